"""The inputs of a hearing pack as the sheets read them: the field-name arguments, the column
aliases of the other steps' outputs (one place), and the small frame helpers (same CRS, same project).

Imports from :mod:`landcoord.allocation` (errors, files, i18n) only; nothing from the sheet builders.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj

from ..errors import FieldError, LayerError
from ..i18n import tr
from ..io.files import layer_name

__all__ = ["COLUMN_ALIASES", "FIELD_ARGUMENTS", "adapt_columns", "field_arguments"]

#: The field-name arguments of :func:`hearing_data` (the sample's and the command line's settings use
#: the same names).
FIELD_ARGUMENTS = (
    "project_field",
    "project_name_field",
    "parcel_field",
    "holder_field",
    "holder_type_field",
    "status_field",
    "control_kind_field",
    "control_name_field",
)


def field_arguments(settings) -> dict:
    """The :data:`FIELD_ARGUMENTS` found in ``settings`` (a mapping), to pass to :func:`hearing_data`."""
    return {k: settings[k] for k in FIELD_ARGUMENTS if k in settings}


#: Expected columns of each input table -> other names accepted for them (the adapter's one place).
COLUMN_ALIASES: dict[str, dict[str, tuple]] = {
    "pieces": {
        "project": ("项目编号", "project_id"),
        "parcel_id": ("宗地号", "parcel"),
        "holder": ("权利人",),
        "status": ("用地状态",),
        "piece_area": ("area", "affected_area"),
        "parcel_area": (),
        "parcel_share": ("share",),
    },
    "summary": {
        "project": ("项目编号", "project_id"),
        "holder": ("权利人",),
        "parcels": ("parcel_count", "n_parcels"),
        "affected_area": ("area",),
        "project_share": ("share",),
    },
    "conflicts": {
        "input_id": ("input", "id", "proposal_id"),
        "kind": ("control_kind", "类型"),
        "severity": (),
        "conflict_area": ("area", "overlap_area"),
        "input_share": ("share",),
        "rule": ("rule_text",),
        "source": ("document",),
        "verified": (),
    },
    "conflict_summary": {
        "input_id": ("input", "id"),
        "blocking_area": ("blocking",),
        "review_area": ("review",),
        "advisory_area": ("advisory",),
        "verdict": (),
    },
    "quota_trail": {
        "project": ("project_id",),
        "community": ("社区",),
        "item": ("key", "name"),
        "quantity": ("label", "description"),
        "value": (),
        "unit": (),
        "rule": ("formula",),
        "source": ("document",),
        "verified": ("official",),
        "note": (),
    },
    "scenarios": {
        "scenario": ("scenario_id", "option", "方案"),
        "project": ("project_id",),
        "party": ("party_name", "name", "参与方"),
        "party_type": ("type", "party_kind", "类别"),
        "land_area": ("land", "land_m2", "用地面积"),
        "floor_area": ("floor", "floor_m2", "建筑面积"),
        "money": ("cash", "compensation", "货币补偿"),
        "swap_floor_area": ("swap_area", "swap_floor", "swap", "置换建筑面积"),
        "verified": ("official",),
    },
    "retained": {
        "project": (),
        "community": ("社区",),
        "target_area": ("quota", "target"),
        "area": ("carved_area",),
        "deviation": (),
        "compactness": (),
        "min_width": (),
        "frontage": (),
        "distance_to_holdings": ("distance",),
    },
}


def adapt_columns(frame, table: str, required=(), name: str | None = None):
    """A copy of ``frame`` with its columns renamed to the names :data:`COLUMN_ALIASES` expects.

    Parameters
    ----------
    frame : DataFrame
    table : str
        Key of :data:`COLUMN_ALIASES` (``"scenarios"``, ``"conflicts"``, ...).
    required : sequence of str
        Expected columns that must be present (after renaming).
    name : str, optional
        Name of the table for messages (default: the frame's layer name).

    Raises
    ------
    FieldError
        When a required column is missing; the message lists the accepted names.

    Examples
    --------
    >>> df = pd.DataFrame({"scenario_id": ["A"], "party_name": ["x"], "type": ["holder"], "cash": [1.0]})
    >>> adapt_columns(df, "scenarios", required=["scenario", "party", "money"]).columns.tolist()
    ['scenario', 'party', 'party_type', 'money']
    """
    aliases = COLUMN_ALIASES[table]
    label = name or layer_name(frame)
    geom = getattr(frame, "_geometry_column_name", None) if isinstance(frame, gpd.GeoDataFrame) else None
    cols = [c for c in frame.columns if c != geom]
    rename = {}
    folded = {str(c).casefold(): c for c in cols}
    for want, alts in aliases.items():
        if want in cols:
            continue
        for alt in (want, *alts):
            c = folded.get(str(alt).casefold())
            if c is not None and c not in rename and c not in aliases:
                rename[c] = want
                break
    out = frame.rename(columns=rename)
    for want in required:
        if want not in out.columns:
            accepted = ", ".join([want, *aliases.get(want, ())])
            raise FieldError(
                label,
                want,
                cols,
                expected=tr("present (a column named one of: {accepted})", accepted=accepted),
            )
    return out


def _same(values, key) -> np.ndarray:
    """values == key, comparing as text so that 1 and '1' match."""
    k = str(key)
    return np.array([v is not None and str(v) == k for v in values], dtype=bool)


def _no_crs(layer: str, what: str) -> LayerError:
    return LayerError(
        tr("Layer '{layer}' ({what}) has no coordinate reference system; set it.", layer=layer, what=what)
    )


def _reproject(gdf, crs, what: str, notes: list):
    """``gdf`` in ``crs`` (a note when it is reprojected); ``what`` says what it is (translated)."""
    if gdf.crs is None:
        raise _no_crs(layer_name(gdf), what)
    if not pyproj.CRS(gdf.crs).equals(crs):
        notes.append(
            tr(
                "Layer '{layer}' ({what}) reprojected to {crs} for the maps.",
                layer=layer_name(gdf),
                what=what,
                crs=pyproj.CRS(crs).name,
            )
        )
        return gdf.to_crs(crs)
    return gdf


def _frame(columns: dict, geoms, crs, index=None) -> gpd.GeoDataFrame:
    df = pd.DataFrame(
        {k: pd.Series(list(v), dtype=object if not _numeric(v) else float) for k, v in columns.items()}
    )
    return gpd.GeoDataFrame(df, geometry=gpd.GeoSeries(list(geoms), crs=crs), crs=crs)


def _numeric(values) -> bool:
    vals = [v for v in values if v is not None]
    return bool(vals) and all(isinstance(v, (float, np.floating)) for v in vals)
