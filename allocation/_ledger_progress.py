"""Consent progress per project, by number of holders and by affected area.

Private to :mod:`landcoord.allocation.ledger`, which re-exports the public names.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ._ledger_rules import holder_key, project_key, status_code
from ._ledger_schema import STATUSES
from ._quantities import check_areas
from .errors import FieldError, InputError
from .i18n import tr
from .io.files import column_values, layer_name

__all__ = [
    "CONSENTED",
    "PROGRESS_COLUMNS",
    "HOLDER_PROGRESS_COLUMNS",
    "ProgressResult",
    "consent_progress",
    "pieces_status",
]

#: Statuses that count as consent in the rates.
CONSENTED = ("agreed", "signed")
#: Columns of the per-project progress table.
PROGRESS_COLUMNS = [
    "project",
    "holders",
    "consented",
    "signed",
    "consent_rate",
    "signed_rate",
    "area",
    "area_consented",
    "area_consent_rate",
    "area_signed_rate",
    "area_no_holder",
    *[f"n_{s}" for s in STATUSES],
    *[f"area_{s}" for s in STATUSES],
]
#: Columns of the per-holder progress table (for a map coloured by consent).
HOLDER_PROGRESS_COLUMNS = [
    "project",
    "holder",
    "status",
    "status_label",
    "scenario_option",
    "area",
    "version",
]


@dataclass
class ProgressResult:
    """Consent progress: per project (:data:`PROGRESS_COLUMNS`), per holder, and warnings."""

    projects: pd.DataFrame
    holders: pd.DataFrame
    warnings: list = field(default_factory=list)


def consent_progress(
    consent: pd.DataFrame,
    pieces: pd.DataFrame,
    *,
    project_field: str = "project",
    holder_field: str = "holder",
    area_field: str | None = None,
    projects=None,
) -> ProgressResult:
    """Consent rates per project, by number of holders and by affected area.

    Parameters
    ----------
    consent : DataFrame
        Columns ``project``, ``holder``, ``status`` and optionally ``scenario_option`` and
        ``version`` (e.g. :meth:`Ledger.consent_table`).
    pieces : DataFrame
        Affected pieces (``affected_area(...).pieces``): project, holder, piece area in m².
    area_field : str, optional
        The area counted; by default ``held_area`` when the pieces carry it (land claimed by two
        parcels counted once, the project-land figure of the quota, scenarios and hearing pack),
        else ``piece_area``.
    projects : iterable, optional
        Only these projects (default: every project of ``pieces``).

    Returns
    -------
    ProgressResult
        ``projects``: per project, the number of holders with land in it, how many consented
        (agreed or signed) and signed, the rates, the affected area, the area of consenting holders
        and the shares of consenting and signing holders' area, the area without a holder, and
        counts (``n_<status>``) and areas (``area_<status>``) per status. A holder with no
        consent record counts as ``not_contacted``. Area without a holder counts in the total
        area and never as consented. ``holders``: one row per project and
        holder. Rates are NaN when there is nothing to divide by.

    Examples
    --------
    >>> pieces = pd.DataFrame({"project": ["P", "P", "P"], "holder": ["A", "B", "B"],
    ...                        "piece_area": [100.0, 50.0, 50.0]})
    >>> consent = pd.DataFrame({"project": ["P"], "holder": ["B"], "status": ["signed"]})
    >>> r = consent_progress(consent, pieces)
    >>> p = r.projects.iloc[0]
    >>> int(p.holders), int(p.consented), float(p.consent_rate), float(p.area_consent_rate)
    (2, 1, 0.5, 0.5)
    """
    name = layer_name(pieces)
    fields = [c for c in pieces.columns if c != getattr(pieces, "_geometry_column_name", None)]
    if area_field is None:
        area_field = "held_area" if "held_area" in pieces.columns else "piece_area"
    for f in (project_field, holder_field, area_field):
        if f not in pieces.columns:
            raise FieldError(name, f, fields)
    for c in ("project", "holder", "status"):
        if c not in consent.columns:
            raise FieldError("consent", c, list(consent.columns))
    warnings: list = []
    proj_raw = column_values(pieces, project_field)
    holders = column_values(pieces, holder_field)
    area = pd.to_numeric(pd.Series(column_values(pieces, area_field)), errors="coerce").to_numpy(float)
    check_areas(area, pieces.index, layer=name, field=area_field)
    bad_area = np.isnan(area)
    if bad_area.any():
        warnings.append(
            tr(
                "Layer '{layer}': {count} piece(s) have no area in field '{field}'; they count as 0 m².",
                layer=name,
                count=int(bad_area.sum()),
                field=area_field,
            )
        )
        area = np.where(bad_area, 0.0, area)
    if any(p is None for p in proj_raw):
        raise InputError(
            tr(
                "Layer '{layer}': some pieces have no project in field '{field}'.",
                layer=name,
                field=project_field,
            )
        )
    keys = _mapped(proj_raw, project_key)
    df = pd.DataFrame({"key": keys, "holder": _mapped(holders, holder_key), "area": area})
    firsts = pd.DataFrame({"key": keys, "raw": pd.Series(proj_raw, dtype=object)}).drop_duplicates("key")
    first_value = {k: (p.item() if isinstance(p, np.generic) else p) for k, p in zip(firsts.key, firsts.raw)}
    order = list(first_value)
    if projects is not None:
        wanted = [project_key(p) for p in projects]
        missing = [p for p in wanted if p not in first_value]
        if missing:
            warnings.append(
                tr(
                    "Project(s) {projects} have no affected pieces; not reported.",
                    projects=", ".join(missing),
                )
            )
        order = [p for p in order if p in set(wanted)]
        df = df[df.key.isin(order)]

    cdf = pd.DataFrame(
        {
            "key": _mapped(column_values(consent, "project"), project_key),
            "holder": _mapped(column_values(consent, "holder"), holder_key),
            "status": _mapped(column_values(consent, "status"), status_code),
            "scenario_option": (
                column_values(consent, "scenario_option") if "scenario_option" in consent else None
            ),
            "version": column_values(consent, "version") if "version" in consent else 0,
        }
    ).drop_duplicates(["key", "holder"], keep="last")
    by_holder = df[df.holder.notna()].groupby(["key", "holder"], sort=False, as_index=False)["area"].sum()
    no_holder = df[df.holder.isna()].groupby("key")["area"].sum()

    joined = cdf.merge(by_holder[["key", "holder"]], on=["key", "holder"], how="left", indicator=True)
    stray = joined[joined["_merge"] == "left_only"]
    if projects is not None:
        stray = stray[stray.key.isin(order) | ~stray.key.isin(list(first_value))]
    for p, h in sorted(zip(stray.key, stray.holder)):
        if p in first_value:
            warnings.append(
                tr(
                    "Holder '{holder}' has a consent record in project {project} but no affected land in it; "
                    "not counted.",
                    holder=h,
                    project=p,
                )
            )
    for p in sorted(set(stray.key) - set(first_value)):
        warnings.append(
            tr("Project {project} is in the ledger but has no affected pieces; not reported.", project=p)
        )

    hdf = by_holder.merge(cdf, on=["key", "holder"], how="left")
    hdf["status"] = hdf["status"].fillna("not_contacted")
    hdf["status_label"] = hdf["status"].map(STATUSES)
    hdf["scenario_option"] = hdf["scenario_option"].astype(object).where(hdf["scenario_option"].notna(), None)
    hdf["version"] = pd.to_numeric(hdf["version"], errors="coerce").fillna(0).astype("int64")
    hdf["project"] = hdf["key"].map(first_value).astype(object)
    hdf["area"] = hdf["area"].astype(float)

    grouped = hdf.groupby(["key", "status"], sort=False)["area"].agg(["size", "sum"]).unstack("status")
    if len(hdf) == 0:  # no piece has a holder: no (key, status) group, and no size/sum columns
        grouped = pd.DataFrame(columns=pd.MultiIndex.from_product([["size", "sum"], list(STATUSES)]))
    counts = grouped["size"].reindex(index=order, columns=list(STATUSES)).fillna(0).astype("int64")
    areas = grouped["sum"].reindex(index=order, columns=list(STATUSES)).fillna(0.0).astype(float)
    n = counts.sum(axis=1).astype("int64")
    unowned = no_holder.reindex(order).fillna(0.0).astype(float)
    total = areas.sum(axis=1) + unowned
    consented = counts["agreed"] + counts["signed"]
    area_consented = areas["agreed"] + areas["signed"]
    with np.errstate(divide="ignore", invalid="ignore"):
        cols = {
            "project": pd.Series([first_value[k] for k in order], index=order, dtype=object),
            "holders": n,
            "consented": consented.astype("int64"),
            "signed": counts["signed"].astype("int64"),
            "consent_rate": (consented / n).where(n > 0, np.nan),
            "signed_rate": (counts["signed"] / n).where(n > 0, np.nan),
            "area": total,
            "area_consented": area_consented,
            "area_consent_rate": (area_consented / total).where(total > 0, np.nan),
            "area_signed_rate": (areas["signed"] / total).where(total > 0, np.nan),
            "area_no_holder": unowned,
        }
    cols.update({f"n_{s}": counts[s].astype("int64") for s in STATUSES})
    cols.update({f"area_{s}": areas[s].astype(float) for s in STATUSES})
    out = pd.DataFrame(cols, index=order)[PROGRESS_COLUMNS].reset_index(drop=True)
    hdf = hdf[HOLDER_PROGRESS_COLUMNS].reset_index(drop=True)
    return ProgressResult(out, hdf, warnings)


def _mapped(values, fn) -> pd.Series:
    """``fn`` applied once per distinct value (None stays None), for long columns."""
    ser = pd.Series(values, dtype=object)
    table = {v: (None if v is None else fn(v)) for v in pd.unique(ser)}
    return ser.map(table).astype(object)


def pieces_status(consent: pd.DataFrame, pieces, *, project_field="project", holder_field="holder"):
    """A copy of ``pieces`` with the consent of each piece's holder in its project.

    Adds ``status``, ``status_label``, ``scenario_option`` and ``consented`` (agreed or signed);
    a piece without a holder or a holder without a record is ``not_contacted``. Use it to colour
    a map by consent.

    Examples
    --------
    >>> pieces = pd.DataFrame({"project": [1, 1], "holder": ["A", None], "piece_area": [5.0, 2.0]})
    >>> consent = pd.DataFrame({"project": ["1"], "holder": ["A"], "status": ["agreed"]})
    >>> pieces_status(consent, pieces)[["holder", "status", "consented"]].values.tolist()
    [['A', 'agreed', True], [None, 'not_contacted', False]]
    """
    name = layer_name(pieces)
    for f in (project_field, holder_field):
        if f not in pieces.columns:
            raise FieldError(name, f, list(pieces.columns))
    status_of = {
        (project_key(r["project"]), str(r["holder"])): (status_code(r["status"]), r.get("scenario_option"))
        for r in consent.to_dict("records")
    }
    keys = [
        (project_key(p), None if h is None or str(h).strip() == "" else str(h).strip())
        for p, h in zip(column_values(pieces, project_field), column_values(pieces, holder_field))
    ]
    found = [
        status_of.get(k, ("not_contacted", None)) if k[1] is not None else ("not_contacted", None)
        for k in keys
    ]
    out = pieces.copy()
    out["status"] = pd.Series([f[0] for f in found], index=out.index, dtype=object)
    out["status_label"] = pd.Series([STATUSES[f[0]] for f in found], index=out.index, dtype=object)
    out["scenario_option"] = pd.Series([f[1] for f in found], index=out.index, dtype=object)
    out["consented"] = out["status"].isin(CONSENTED)
    return out
