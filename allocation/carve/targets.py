"""Each community's retained-land quota from a quota table (wide, or the quota step's trail)."""

from __future__ import annotations

import math

import pandas as pd

from ..errors import FieldError, InputError
from ..i18n import tr

__all__ = ["quota_targets", "TARGET_COLUMNS", "QUOTA_ITEMS", "QUOTA_LABELS", "COMMUNITY_COLUMNS"]

#: Names of the quota column in a wide quota table (``community`` + one of these), in order.
TARGET_COLUMNS = ("target_area", "quota", "retained_quota", "retained_land_quota", "retained_area")
#: In a long (trail) table with ``quantity``/``item`` and ``value``, the final quota, in order.
QUOTA_ITEMS = (
    "result.retained_area",
    "retained_area",
    "retained_land_quota",
    "retained_quota",
    "final_quota",
    "retained_land_area",
    "retained_area",
    "quota",
)
#: Labels of the final quota in a trail's ``item`` column (lower case).
QUOTA_LABELS = ("retained land quota", "留用地规模")
#: Accepted names of the community column of the quota table, in order.
COMMUNITY_COLUMNS = ("community", "社区", "community_name", "社区名称")


def _norm(name) -> str:
    return str(name).strip().lower()


def _find_column(df, names) -> str | None:
    lower = {_norm(c): c for c in df.columns}
    for n in names:
        if _norm(n) in lower:
            return lower[_norm(n)]
    return None


def quota_targets(quotas: pd.DataFrame, *, project=None) -> pd.DataFrame:
    """Each community's retained-land target area from a quota table.

    Accepted forms (column names case-insensitive):

    * wide: a community column (:data:`COMMUNITY_COLUMNS`) and ``target_area`` or another name of
      :data:`TARGET_COLUMNS`, one row per community; this includes the summary table of
      ``landcoord:retainedquota`` (``community``, ``retained_area``, ``official``, ``blocking``);
    * long, the calculation trail of ``landcoord:retainedquota``: ``community``, ``quantity``
      (or ``item``) and ``value``; the rows of the final quota are taken: the first name of
      :data:`QUOTA_ITEMS` present (``result.retained_area`` in that trail), else an item labelled
      "retained land quota" / 留用地规模. A missing figure is reported with the note of the
      trail's ``official`` row.

    With a ``project`` column, only the rows of ``project`` are taken (all rows when ``project``
    is None). ``verified`` (trail) or ``official`` (summary) columns are carried along as
    ``verified`` so unofficial quotas can be reported. Rows without a community and without a
    quota (land of no community) are skipped.

    Returns
    -------
    DataFrame with ``project`` (None when the table has no project column), ``community``,
    ``target_area`` (float, m²) and ``verified`` (bool or None).

    Examples
    --------
    >>> t = pd.DataFrame({"community": ["A", "A", "B"], "quantity": ["legal_area", "retained_area",
    ...                   "retained_area"], "value": [9000, 1200.5, 800]})
    >>> quota_targets(t)[["community", "target_area"]].values.tolist()
    [['A', 1200.5], ['B', 800.0]]
    """
    name = str(getattr(quotas, "attrs", {}).get("name", "quotas"))
    cols = [c for c in quotas.columns if c != getattr(quotas, "_geometry_column_name", None)]
    ccol = _find_column(quotas, COMMUNITY_COLUMNS)
    if ccol is None:
        raise FieldError(
            name, "community", cols, expected=tr("present (the community each quota belongs to)")
        )
    df = pd.DataFrame(quotas).copy()
    pcol = _find_column(df, ("project",))
    if pcol is not None and project is not None:
        df = df[df[pcol].map(lambda v: str(v).strip()) == str(project).strip()]
    df, tcol, why_not = _quota_column(df, name, cols, ccol, pcol)
    vcol_verified = _find_column(df, ("verified",)) or _find_column(df, ("official",))
    bcol = _find_column(df, ("blocking",))
    rows = []
    seen = {}
    for idx, rec in df.iterrows():
        row = _target_row(rec, idx, name, ccol, tcol, pcol, bcol, vcol_verified, why_not, seen)
        if row is not None:
            rows.append(row)
    return pd.DataFrame(rows, columns=["project", "community", "target_area", "verified"])


def _quota_column(df, name, cols, ccol, pcol):
    """The rows and column holding the quotas: ``(rows, column, why_not)``, ``why_not`` mapping
    (project, community) to why the quota step gave no official figure (trail rows)."""
    tcol = _find_column(df, TARGET_COLUMNS)
    vcol = _find_column(df, ("value",))
    keys = [c for c in (_find_column(df, ("quantity",)), _find_column(df, ("item",))) if c is not None]
    why_not = {}  # (project, community) -> why the quota step gave no official figure (trail rows)
    ncol = _find_column(df, ("note",))
    if tcol is None and keys and vcol is not None and ncol is not None:
        official = df[df[keys[0]].map(lambda v: _norm(v) if v is not None else "") == "official"]
        for _, rec in official.iterrows():
            proj = str(rec[pcol]).strip() if pcol is not None else None
            why_not[(proj, None if rec[ccol] is None else str(rec[ccol]).strip())] = str(rec[ncol])
    if tcol is None and keys and vcol is not None:
        chosen = None
        for kcol in keys:
            items = df[kcol].map(lambda v: _norm(v) if v is not None else "")
            q = next((q for q in QUOTA_ITEMS if (items == q).any()), None)
            if q is not None:
                chosen = items == q
                break
        if chosen is None:
            for kcol in keys:
                items = df[kcol].map(lambda v: _norm(v) if v is not None else "")
                labelled = items.map(lambda v: any(label in v for label in QUOTA_LABELS))
                if labelled.any():
                    chosen = labelled
                    break
        if chosen is None:
            present = sorted({str(v) for v in df[keys[0]].dropna()})
            raise FieldError(
                name,
                keys[0],
                present,
                expected=tr(
                    "a quota item ({items}); the items in the table are listed", items=", ".join(QUOTA_ITEMS)
                ),
            )
        df = df[chosen]
        tcol = vcol
    elif tcol is None:
        raise FieldError(
            name,
            "target_area",
            cols,
            expected=tr("present: give community + target_area (m²), or the quota trail with item + value"),
        )
    return df, tcol, why_not


def _target_row(rec, idx, name, ccol, tcol, pcol, bcol, vcol_verified, why_not, seen):
    """One row of the quota table checked: ``(project, community, target, verified)``, or None for
    a row of no community and no quota (land of no community: no retained land)."""
    community = rec[ccol]
    raw = rec[tcol]
    try:
        value = float(str(raw).replace(",", "").strip()) if raw is not None else float("nan")
    except ValueError:
        value = float("nan")
    if community is None or (isinstance(community, float) and math.isnan(community)) or not str(community):
        if not math.isfinite(value) or value == 0:
            return None  # land of no community: no retained land
        raise InputError(
            tr(
                "Table '{table}', row {row}: the community is empty. Name the community.",
                table=name,
                row=idx,
            )
        )
    community = str(community).strip()
    proj = str(rec[pcol]).strip() if pcol is not None else None
    if not math.isfinite(value):
        why = str(rec[bcol]).strip() if bcol is not None and rec[bcol] not in (None, "") else ""
        why = why or why_not.get((proj, community), "")
        if why and why != "nan":
            msg = tr(
                "Table '{table}', community '{community}': target area '{value}' is not a number of m². "
                "The quota step gave no figure: {why}. Enter the quota in square metres.",
                table=name,
                community=community,
                value=raw,
                why=why,
            )
        else:
            msg = tr(
                "Table '{table}', community '{community}': target area '{value}' is not a number of m². "
                "Enter the quota in square metres.",
                table=name,
                community=community,
                value=raw,
            )
        raise InputError(msg)
    if value < 0:
        raise InputError(
            tr(
                "Table '{table}', community '{community}': target area {value} m² is negative.",
                table=name,
                community=community,
                value=value,
            )
        )
    key = (proj, community)
    if key in seen:
        fields = dict(table=name, community=community, first=seen[key], second=idx)
        if proj is not None:
            msg = tr(
                "Table '{table}': community '{community}' of project '{project}' has two quotas "
                "(rows {first} and {second}). Keep one row per community.",
                project=proj,
                **fields,
            )
        else:
            msg = tr(
                "Table '{table}': community '{community}' has two quotas (rows {first} and {second}). "
                "Keep one row per community.",
                **fields,
            )
        raise InputError(msg)
    seen[key] = idx
    verified = None
    if vcol_verified is not None:
        v = rec[vcol_verified]
        verified = None if v is None else str(v).strip().lower() in ("1", "true", "yes", "t", "y")
    return (proj, community, value, verified)
