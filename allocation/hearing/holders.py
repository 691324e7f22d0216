"""The project and its rights-holders: the project's pieces, its boundary and name, who is an
individual, each holder's figures, sheet code (H01 ...) and printed label, which holders get a
sheet, and the holders' parcel tables (one per holder sheet).

Imports :mod:`.columns` and :mod:`.formatting` of this package and :mod:`landcoord.allocation`'s
affected, errors, files, i18n and privacy modules.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from ..affected import measured_statement
from ..errors import FieldError, InputError
from ..i18n import tr, trn
from ..io.files import column_values, layer_name
from ..privacy import classify_holders
from .columns import _no_crs, _reproject, _same, adapt_columns
from .formatting import _NO_HOLDER, Table, _code_width, _text, fmt_area, fmt_share

__all__ = ["HolderIndex"]


@dataclass
class Pieces:
    """The pieces of the printed project (:func:`_project_pieces`)."""

    project: str
    projects: list  # every project of the pieces layer
    crs: pyproj.CRS
    mine: gpd.GeoDataFrame  # this project's pieces, figures numeric, held_area filled
    measured: str  # how the areas were measured (affected.measured_statement)


@dataclass
class HolderIndex:
    """The project's holders in sheet order (largest affected area first), as the sheets name them.

    ``keys`` are the holders as in the data (None: land of no holder); ``codes`` their sheet codes,
    ``labels`` their printed (masked) names; ``table`` one row per holder (code, label, individual,
    parcels, affected_area, project_share, held_area, basis, sheet).
    """

    raw_holders: list  # the holder of each piece of ``mine``
    keys: list
    codes: list
    labels: list
    code_of: dict
    label_of: dict
    type_of: dict  # holder -> holder type from the parcels layer (empty without it)
    classes: pd.DataFrame  # privacy.classify_holders of ``keys``
    table: pd.DataFrame
    sheet: np.ndarray | None = None  # which holders get a sheet (_sheet_selection)


def _project_pieces(pieces, project) -> Pieces:
    """Check the pieces layer, choose the project and take its pieces with numeric figures."""
    if pieces is None or not isinstance(pieces, gpd.GeoDataFrame):
        raise InputError(tr("hearing_data: 'pieces' must be the GeoDataFrame of affected pieces."))
    pname = layer_name(pieces)
    pieces = adapt_columns(
        pieces, "pieces", required=["project", "parcel_id", "holder", "piece_area"], name=pname
    )
    if pieces.crs is None:
        raise _no_crs(pname, tr("affected pieces"))
    crs = pyproj.CRS(pieces.crs)
    projects = list(dict.fromkeys(str(p) for p in column_values(pieces, "project") if p is not None))
    if project is None:
        if len(projects) != 1:
            raise InputError(
                tr(
                    "Layer '{layer}' holds {count} projects ({projects}); choose the project to print.",
                    layer=pname,
                    count=len(projects),
                    projects=", ".join(projects[:20]) or tr("none"),
                )
            )
        project = projects[0]
    project = str(project)
    if project not in projects:
        raise InputError(
            tr(
                "Project '{project}' is not in layer '{layer}' (affected pieces); "
                "its projects are: {projects}.",
                project=project,
                layer=pname,
                projects=", ".join(projects[:50]) or tr("(none)"),
            )
        )
    mine = pieces[_same(column_values(pieces, "project"), project)].copy()
    for col in ("status", "parcel_area", "parcel_share"):
        if col not in mine.columns:
            mine[col] = None if col == "status" else np.nan
    mine["piece_area"] = pd.to_numeric(mine["piece_area"], errors="coerce").astype(float)
    mine["parcel_area"] = pd.to_numeric(mine["parcel_area"], errors="coerce").astype(float)
    mine["parcel_share"] = pd.to_numeric(mine["parcel_share"], errors="coerce").astype(float)
    # the land counted once (double-claimed land split between its claimants), as the quota,
    # scenarios and consent by area count it; pieces without held_area count piece_area
    if "held_area" in mine.columns:
        mine["held_area"] = pd.to_numeric(mine["held_area"], errors="coerce").astype(float)
    else:
        mine["held_area"] = mine["piece_area"]
    return Pieces(project, projects, crs, mine, measured_statement(mine))


def _project_boundary(boundary, p: Pieces, project_field, project_name, project_name_field, notes):
    """The project's outline, area and name: ``(geometry, area or None, name)``.

    Without a boundary the outline is the union of the pieces and the area unknown.
    """
    bgeom = None
    project_area = None
    if boundary is not None:
        boundary = _reproject(boundary, p.crs, tr("project boundaries"), notes)
        if project_field:
            if project_field not in boundary.columns:
                raise FieldError(layer_name(boundary), project_field, list(boundary.columns))
            sel = _same(column_values(boundary, project_field), p.project)
            if not sel.any():
                raise InputError(
                    tr(
                        "Layer '{layer}': no feature has {field} = '{project}'; choose the project id field "
                        "that the affected pieces were computed with.",
                        layer=layer_name(boundary),
                        field=project_field,
                        project=p.project,
                    )
                )
            b = boundary[sel]
        else:
            b = boundary
        bgeom = shapely.union_all(shapely.make_valid(b.geometry.values))
        project_area = float(bgeom.area)
        if project_name is None and project_name_field:
            if project_name_field not in b.columns:
                raise FieldError(layer_name(boundary), project_name_field, list(boundary.columns))
            names = [v for v in column_values(b, project_name_field) if v is not None]
            project_name = str(names[0]) if names else None
    if bgeom is None:
        bgeom = shapely.union_all(p.mine.geometry.values) if len(p.mine) else shapely.Polygon()
    return bgeom, project_area, project_name or p.project


def _holder_types(parcels, holder_field, holder_type_field, warn) -> dict:
    """Holder -> its holder type in the parcels layer (an individual type wins over another)."""
    type_of: dict = {}
    if parcels is not None and holder_type_field:
        for f in (holder_field, holder_type_field):
            if not f or f not in parcels.columns:
                raise FieldError(layer_name(parcels), str(f), list(parcels.columns))
        kinds: dict = {}
        for h, t in zip(column_values(parcels, holder_field), column_values(parcels, holder_type_field)):
            if h is not None:
                kinds.setdefault(h, []).append(t)
        for h, ts in kinds.items():
            distinct = list(dict.fromkeys(t for t in ts if t is not None))
            if len(distinct) > 1:
                # any individual type wins: masking is the safe side
                cls = classify_holders([h] * len(distinct), distinct)
                type_of[h] = distinct[int(np.argmax(cls["individual"].to_numpy()))]
                warn(
                    tr(
                        "Layer '{layer}': one holder has holder types {types} in field '{field}'; "
                        "treated as '{type}'.",
                        layer=layer_name(parcels),
                        types=", ".join(map(str, distinct)),
                        field=holder_type_field,
                        type=type_of[h],
                    )
                )
            else:
                type_of[h] = distinct[0] if distinct else None
    elif holder_type_field:
        warn(
            tr(
                "Holder type field '{field}' given without the parcels layer; names decide.",
                field=holder_type_field,
            )
        )
    return type_of


def _summary_rows(summary, project):
    """The given per-holder summary as holder -> row, or None when none is given."""
    if summary is None:
        return None
    summary = adapt_columns(summary, "summary", required=["holder", "affected_area"], name="summary")
    if "project" in summary.columns:
        summary = summary[_same(column_values(summary, "project"), project)]
    srows = {}
    for r in summary.to_dict("records"):
        srows[r["holder"] if r["holder"] == r["holder"] else None] = r
    return srows


def _check_summary(srows, keys, area_of, project) -> None:
    """Refuse a summary that is not the one of these pieces (a holder missing, another area)."""
    missing = [k for k in keys if k not in srows]
    if missing:
        raise InputError(
            trn(
                "The summary table has no row for {n} holder of project '{project}' that the "
                "pieces have; give the summary computed with these pieces, or none "
                "(it is then computed).",
                "The summary table has no row for {n} holders of project '{project}' that the "
                "pieces have; give the summary computed with these pieces, or none "
                "(it is then computed).",
                len(missing),
                project=project,
            )
        )
    for k in keys:
        if abs(float(srows[k]["affected_area"]) - area_of[k]) > 1e-6 * max(area_of[k], 1.0):
            raise InputError(
                tr(
                    "The summary table's affected area of a holder of project '{project}' "
                    "({area:.2f} m²) differs from the sum of its pieces ({pieces:.2f} m²); "
                    "give the summary computed with these pieces.",
                    project=project,
                    area=float(srows[k]["affected_area"]),
                    pieces=area_of[k],
                )
            )


def _holder_index(
    p: Pieces, summary, type_of, project_area, public, compound_surnames, holder_type_field, warn
) -> HolderIndex:
    """Each holder's figures, in sheet order, with its code and printed (masked) label."""
    mine, project = p.mine, p.project
    srows = _summary_rows(summary, project)
    raw_holders = column_values(mine, "holder")
    order = pd.DataFrame(
        {
            "holder": pd.Series(raw_holders, dtype=object),
            "area": mine["piece_area"].to_numpy(),
            "held": mine["held_area"].to_numpy(),
        }
    )
    grp = order.groupby("holder", dropna=False, sort=False)["area"].sum()
    held_grp = order.groupby("holder", dropna=False, sort=False)["held"].sum()
    keys = list(grp.index)
    keys = [None if (k is None or (isinstance(k, float) and k != k)) else k for k in keys]
    per_parcels = {}
    for h, pid in zip(raw_holders, column_values(mine, "parcel_id")):
        per_parcels.setdefault(h, set()).add(pid)
    area_of = {k: float(a) for k, a in zip(keys, grp.to_numpy())}
    held_of = {k: float(a) for k, a in zip(keys, held_grp.to_numpy())}
    if srows is not None:
        _check_summary(srows, keys, area_of, project)
    keys.sort(key=lambda k: (-area_of[k], str(k)))
    types = [type_of.get(k) for k in keys]
    cls = classify_holders(
        keys, types if type_of else None, public=public, compound_surnames=compound_surnames
    )
    for k, b in zip(keys, cls["basis"]):
        if b.startswith("masked"):
            warn(
                tr(
                    "A holder of project '{project}' is typed as an organisation in '{field}' but its name "
                    "has no organisation marker; it is masked to be safe. Check its holder type. "
                    "Parcels: {parcels}",
                    project=project,
                    field=holder_type_field,
                    parcels=", ".join(sorted(map(str, per_parcels.get(k, ()))))[:200],
                )
            )
    width = _code_width(len(keys))
    codes = [f"H{i + 1:0{width}d}" for i in range(len(keys))]
    labels = [d if d is not None else _NO_HOLDER for d in cls["display"]]
    individual = dict(zip(keys, cls["individual"]))
    holder_rows = []
    for k, c, lab in zip(keys, codes, labels):
        if srows is not None:
            r = srows[k]
            n = int(r.get("parcels", len(per_parcels.get(k, ()))))
            a = float(r["affected_area"])
            share = r.get("project_share")
            share = float(share) if share is not None and share == share else None
        else:
            n = len(per_parcels.get(k, ()))
            a = area_of[k]
            share = a / project_area if project_area else None
        holder_rows.append((c, lab, bool(individual[k]), n, a, share, held_of[k]))
    holders_df = pd.DataFrame(
        holder_rows,
        columns=["code", "label", "individual", "parcels", "affected_area", "project_share", "held_area"],
    )
    holders_df["basis"] = cls["basis"].to_numpy()
    return HolderIndex(
        raw_holders,
        keys,
        codes,
        labels,
        dict(zip(keys, codes)),
        dict(zip(keys, labels)),
        type_of,
        cls,
        holders_df,
    )


def _sheet_selection(who: HolderIndex, holders, max_holders, project) -> None:
    """Which holders get a sheet (``holders`` by code or name, at most ``max_holders``): sets
    ``who.sheet`` and the ``sheet`` column of ``who.table``."""
    keys, codes = who.keys, who.codes
    sheet = np.ones(len(keys), dtype=bool)
    if holders is not None:
        wanted = [str(h) for h in holders]
        known = set(codes) | {str(k) for k in keys if k is not None}
        unknown = [w for w in wanted if w not in known]
        if unknown:
            raise InputError(
                trn(
                    "{holders} is not a holder of project '{project}'; give sheet codes "
                    "{first}...{last} or names as in the cadastre.",
                    "{n} of the holders asked for are not holders of project '{project}': {holders}; give "
                    "sheet codes {first}...{last} or names as in the cadastre.",
                    len(unknown),
                    holders=", ".join(unknown[:10]),
                    project=project,
                    first=codes[0] if codes else "H01",
                    last=codes[-1] if codes else "",
                )
            )
        sheet = np.array([c in wanted or (k is not None and str(k) in wanted) for c, k in zip(codes, keys)])
    if max_holders is not None:
        if max_holders < 0:
            raise InputError(tr("max_holders must be 0 or more, got {value}.", value=max_holders))
        sheet &= np.cumsum(sheet) <= max_holders
    who.table["sheet"] = sheet
    who.sheet = sheet


def holder_parcel_tables(who: HolderIndex, mine) -> dict:
    """Sheet code -> the table of that holder's parcels (holders with a sheet only)."""
    holder_parcels: dict = {}
    for k, c, s in zip(who.keys, who.codes, who.sheet):
        if not s:
            continue
        sel = np.array([h == k for h in who.raw_holders], dtype=bool)
        sub = mine[sel].sort_values("parcel_id", key=lambda x: x.astype(str), kind="stable")
        vals = pd.DataFrame(
            {
                "parcel_id": [_text(v) for v in column_values(sub, "parcel_id")],
                "status": [_text(v) for v in column_values(sub, "status")],
                "parcel_area": sub["parcel_area"].to_numpy(),
                "piece_area": sub["piece_area"].to_numpy(),
                "parcel_share": sub["parcel_share"].to_numpy(),
            }
        )
        holder_parcels[c] = Table(
            title="宗地 Parcels",
            columns=[
                "宗地号 parcel",
                "用地状态 status",
                "宗地面积 parcel m²",
                "受影响面积 affected m²",
                "占宗地 share",
            ],
            rows=[
                [p, st, fmt_area(pa), fmt_area(a), fmt_share(sh)]
                for p, st, pa, a, sh in vals.itertuples(index=False)
            ],
            values=vals,
            align=["l", "l", "r", "r", "r"],
            total=["合计 total", "", "", fmt_area(float(vals["piece_area"].sum())), ""],
        )
    return holder_parcels
