"""Consent: rates per project (by holders and by affected area) and the legal consent thresholds
they are judged against.

Part of :mod:`landcoord.allocation.ledger` (which re-exports the public names); imports the
ledger's :mod:`.statuses` and :mod:`.schema`, the rule-set loader (:mod:`landcoord.allocation.rules`)
and the core's helpers, never :mod:`.ledger` itself: rates are computed from a consent table, not a
ledger.

Consent progress
----------------
:func:`consent_progress` counts, per project, the holders and the affected area in each status.

Consent thresholds
------------------
Legal consent thresholds as rule values with provenance, evaluated on consent progress.

A threshold file (shipped: ``rules/thresholds/shenzhen_urban_renewal.toml``) lists thresholds such as
the 《深圳经济特区城市更新条例》 rule that a district may expropriate the unsigned part of an old
residential area once signed agreements cover at least 95 % of the exclusive-part area **and** 95 % of
the owners. Each threshold gives the statuses it counts (``signed``, or ``agreed`` and ``signed``),
the share of holders and/or of affected area it needs (``""`` when not known), what else the law
requires that landcoord cannot check (``also_requires``), and where it was read (the same
provenance keys as rule sets: document, article, version, source, verified).

:func:`evaluate_thresholds` compares, per project, the counted holders and counted area of a
consent progress table (:func:`landcoord.allocation.ledger.consent_progress`) with each threshold,
**exactly**: shares are compared as fractions (``signed * 20 >= holders * 19`` for 95 %), so a project
exactly at 95 % meets it and one a square centimetre under does not. A threshold with an empty value
is "not set" and a verdict on an unverified threshold is never official.

Examples
--------
>>> import pandas as pd
>>> t = load_thresholds("shenzhen_urban_renewal")
>>> progress = pd.DataFrame({"project": ["P"], "holders": [20], "n_signed": [19], "n_agreed": [0],
...                          "area": [1000.0], "area_signed": [949.99], "area_agreed": [0.0]})
>>> v = evaluate_thresholds(progress, t)
>>> row = v[v.threshold == "expropriation_old_residential"].iloc[0]
>>> row.holders_met, row.area_met, row.verdict
(True, False, 'not_met')
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd

from .._quantities import check_areas
from ..errors import FieldError, InputError, RuleError
from ..i18n import tr, trn
from ..io.files import column_values, layer_name
from ..rules import RULES_DIR, Provenance, provenance
from ..rules.toml import Problems, key_lines, loads
from .schema import STATUSES
from .statuses import holder_key, project_key, status_code

__all__ = [
    "CONSENTED",
    "PROGRESS_COLUMNS",
    "HOLDER_PROGRESS_COLUMNS",
    "ProgressResult",
    "consent_progress",
    "pieces_status",
    "THRESHOLDS_DIR",
    "VERDICT_COLUMNS",
    "Threshold",
    "ThresholdSet",
    "load_thresholds",
    "evaluate_thresholds",
    "verdict_lines",
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
    #: what the officer should know but need not fix (e.g. which area field was counted)
    notes: list = field(default_factory=list)


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
    notes: list = []
    area_field = _check_fields(consent, pieces, name, project_field, holder_field, area_field, notes)
    warnings: list = []
    proj_raw = column_values(pieces, project_field)
    holders = column_values(pieces, holder_field)
    area = _piece_areas(pieces, name, area_field, warnings)
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
    first_value, order, df = _projects(keys, proj_raw, df, projects, warnings)
    cdf = _consent_frame(consent)
    by_holder = df[df.holder.notna()].groupby(["key", "holder"], sort=False, as_index=False)["area"].sum()
    no_holder = df[df.holder.isna()].groupby("key")["area"].sum()
    _warn_strays(cdf, by_holder, first_value, order, projects, warnings)
    hdf = _holder_rows(by_holder, cdf, first_value)
    out = _project_rows(hdf, no_holder, first_value, order)
    hdf = hdf[HOLDER_PROGRESS_COLUMNS].reset_index(drop=True)
    return ProgressResult(out, hdf, warnings, notes)


#: The area consent by area counts by default (the one project-land figure, issue 19), and the one
#: counted when the pieces do not carry it (pieces written before held_area existed).
AREA_FIELD = "held_area"
FALLBACK_AREA_FIELD = "piece_area"


def _check_fields(consent, pieces, name, project_field, holder_field, area_field, notes: list) -> str:
    """The area field counted (``held_area`` when the pieces carry it, else ``piece_area`` with a
    note); every field must exist."""
    fields = [c for c in pieces.columns if c != getattr(pieces, "_geometry_column_name", None)]
    if area_field is None:
        area_field = AREA_FIELD
        if AREA_FIELD not in pieces.columns and FALLBACK_AREA_FIELD in pieces.columns:
            area_field = FALLBACK_AREA_FIELD
            notes.append(
                tr(
                    "Layer '{layer}' has no field '{field}' (land claimed by two parcels counted once); "
                    "consent by area counts '{fallback}' instead, where such land counts for each "
                    "claimant. Run landcoord affected again to get '{field}'.",
                    layer=name,
                    field=AREA_FIELD,
                    fallback=FALLBACK_AREA_FIELD,
                )
            )
    for f in (project_field, holder_field, area_field):
        if f not in pieces.columns:
            raise FieldError(name, f, fields)
    for c in ("project", "holder", "status"):
        if c not in consent.columns:
            raise FieldError("consent", c, list(consent.columns))
    return area_field


def _piece_areas(pieces, name, area_field, warnings: list) -> np.ndarray:
    """The pieces' areas; an impossible one refused, a missing one counted as 0 m² with a warning."""
    area = pd.to_numeric(pd.Series(column_values(pieces, area_field)), errors="coerce").to_numpy(float)
    check_areas(area, pieces.index, layer=name, field=area_field)
    bad_area = np.isnan(area)
    if bad_area.any():
        warnings.append(
            trn(
                "Layer '{layer}': {n} piece has no area in field '{field}'; it counts as 0 m².",
                "Layer '{layer}': {n} pieces have no area in field '{field}'; they count as 0 m².",
                int(bad_area.sum()),
                layer=name,
                field=area_field,
            )
        )
        area = np.where(bad_area, 0.0, area)
    return area


def _projects(keys, proj_raw, df, projects, warnings: list) -> tuple:
    """``(first_value, order, df)``: each project key's first value as written, the projects
    reported in order of appearance (only ``projects`` when given), and the pieces of those."""
    firsts = pd.DataFrame({"key": keys, "raw": pd.Series(proj_raw, dtype=object)}).drop_duplicates("key")
    first_value = {k: (p.item() if isinstance(p, np.generic) else p) for k, p in zip(firsts.key, firsts.raw)}
    order = list(first_value)
    if projects is not None:
        wanted = [project_key(p) for p in projects]
        missing = [p for p in wanted if p not in first_value]
        if missing:
            warnings.append(
                trn(
                    "{n} project has no affected pieces and is not reported: {projects}.",
                    "{n} projects have no affected pieces and are not reported: {projects}.",
                    len(missing),
                    projects=", ".join(missing),
                )
            )
        order = [p for p in order if p in set(wanted)]
        df = df[df.key.isin(order)]
    return first_value, order, df


def _consent_frame(consent) -> pd.DataFrame:
    """The consent records keyed as the pieces are (project key, holder key, status code)."""
    return pd.DataFrame(
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


def _warn_strays(cdf, by_holder, first_value, order, projects, warnings: list) -> None:
    """Warn of consent records with no affected land behind them (not counted)."""
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


def _holder_rows(by_holder, cdf, first_value) -> pd.DataFrame:
    """One row per project and holder with land in it: status (``not_contacted`` without a record)."""
    hdf = by_holder.merge(cdf, on=["key", "holder"], how="left")
    hdf["status"] = hdf["status"].fillna("not_contacted")
    hdf["status_label"] = hdf["status"].map(STATUSES)
    hdf["scenario_option"] = hdf["scenario_option"].astype(object).where(hdf["scenario_option"].notna(), None)
    hdf["version"] = pd.to_numeric(hdf["version"], errors="coerce").fillna(0).astype("int64")
    hdf["project"] = hdf["key"].map(first_value).astype(object)
    hdf["area"] = hdf["area"].astype(float)
    return hdf


def _project_rows(hdf, no_holder, first_value, order) -> pd.DataFrame:
    """The per-project table: counts, areas and rates (NaN when there is nothing to divide by)."""
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
    return pd.DataFrame(cols, index=order)[PROGRESS_COLUMNS].reset_index(drop=True)


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


# -- consent thresholds (moved from allocation/thresholds.py) ---------------------------------------
#: Folder of the shipped threshold files.
THRESHOLDS_DIR = RULES_DIR / "thresholds"
#: Default shipped threshold file.
DEFAULT = "shenzhen_urban_renewal"

#: Columns of :func:`evaluate_thresholds`' table.
VERDICT_COLUMNS = [
    "project",
    "threshold",
    "label",
    "counts",
    "holders",
    "holders_counted",
    "holders_share",
    "holders_required",
    "holders_met",
    "holders_short",
    "area",
    "area_counted",
    "area_share",
    "area_required",
    "area_met",
    "area_short",
    "verdict",
    "official",
    "also_requires",
    "verified",
    "source",
]

_KEYS = {"label", "counts", "by_holders", "by_area", "also_requires"}


@dataclass(frozen=True)
class Threshold:
    """One legal threshold: shares of holders and/or area whose consent has one of ``counts``."""

    key: str
    label: str
    counts: tuple
    by_holders: Fraction | None
    by_area: Fraction | None
    also_requires: str
    provenance: Provenance
    origin: str

    @property
    def is_set(self) -> bool:
        return self.by_holders is not None or self.by_area is not None


@dataclass(frozen=True)
class ThresholdSet:
    id: str
    title: str
    path: Path
    thresholds: tuple


def _problems_header(path, count: int, problems: str) -> str:
    return trn(
        "Threshold file '{path}' has {n} problem:\n{problems}",
        "Threshold file '{path}' has {n} problems:\n{problems}",
        count,
        path=path,
        problems=problems,
    )


def _resolve(source) -> Path:
    text = str(source)
    if not text.lower().endswith(".toml") and "/" not in text and "\\" not in text:
        shipped = THRESHOLDS_DIR / f"{text}.toml"
        if shipped.exists():
            return shipped
        names = ", ".join(sorted(p.stem for p in THRESHOLDS_DIR.glob("*.toml")))
        raise RuleError(
            tr(
                "No shipped threshold file '{name}'; shipped: {names}; or give a .toml path.",
                name=text,
                names=names,
            )
        )
    return Path(source)


def _share(value, path: tuple, probs: Problems) -> Fraction | None:
    """A share in (0, 1] as an exact fraction of its decimal text; ``""`` means not known."""
    if value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(float(value)):
        probs.add(
            path,
            tr(
                'must be a share between 0 and 1 (e.g. 0.95), or "" when not known; got {value}.',
                value=repr(value),
            ),
        )
        return None
    if not 0 < value <= 1:
        probs.add(path, tr("must be a share above 0 and at most 1 (95 % is 0.95); got {value}.", value=value))
        return None
    return Fraction(repr(float(value))) if isinstance(value, float) else Fraction(value)


def load_thresholds(source=DEFAULT) -> ThresholdSet:
    """Load and check a threshold file (a ``.toml`` path, or a shipped name).

    Raises
    ------
    RuleError
        Naming the file, line and key of every problem.
    """
    path = _resolve(source)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise RuleError(
            tr("Threshold file '{path}' is not UTF-8 text; save it as UTF-8.", path=path)
        ) from None
    except OSError as exc:
        raise RuleError(
            tr("Threshold file '{path}' cannot be read: {error}.", path=path, error=exc)
        ) from None
    try:
        data = loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RuleError(
            tr(
                "Threshold file '{path}' is not valid TOML: {error}. Fix the file at that line.",
                path=path,
                error=exc,
            )
        ) from None
    probs = Problems(path, key_lines(text), _problems_header)
    meta = data.get("thresholds")
    if not isinstance(meta, dict) or not isinstance(meta.get("id"), str) or not meta.get("id", "").strip():
        probs.add(("thresholds",), tr("the [thresholds] table with an id and a title is missing."))
        meta = {}
    for k in data:
        if k not in ("thresholds", "threshold"):
            probs.add((k,), tr("unknown section; expected [thresholds] and [threshold.NAME]."))
    entries = data.get("threshold", {})
    if not isinstance(entries, dict) or not entries:
        probs.add(("threshold",), tr("no [threshold.NAME] entries."))
        entries = {}
    out = []
    for key, entry in entries.items():
        here = ("threshold", key)
        if not isinstance(entry, dict):
            probs.add(here, tr("must be a table."))
            continue
        prov = provenance(entry, here, probs, _KEYS)
        counts = entry.get("counts", ["signed"])
        if not isinstance(counts, list) or not counts or any(c not in STATUSES for c in counts):
            probs.add(
                here + ("counts",),
                tr(
                    "must list consent statuses among {statuses}; got {value}.",
                    statuses=", ".join(STATUSES),
                    value=repr(counts),
                ),
            )
            continue
        holders = _share(entry.get("by_holders", ""), here + ("by_holders",), probs)
        area = _share(entry.get("by_area", ""), here + ("by_area",), probs)
        if prov is None:
            continue
        if prov.verified and holders is None and area is None:
            probs.add(here, tr("verified = true needs a value in by_holders or by_area."))
            continue
        out.append(
            Threshold(
                key=key,
                label=str(entry.get("label", key)),
                counts=tuple(counts),
                by_holders=holders,
                by_area=area,
                also_requires=str(entry.get("also_requires", "")),
                provenance=prov,
                origin=probs.where(here),
            )
        )
    probs.raise_if_any()
    return ThresholdSet(id=meta["id"], title=str(meta.get("title", "")), path=path, thresholds=tuple(out))


def _column(progress: pd.DataFrame, name: str) -> pd.Series:
    if name not in progress.columns:
        raise RuleError(tr("The consent progress table has no column '{column}'.", column=name))
    return progress[name]


def _short_holders(counted: int, total: int, need: Fraction) -> int:
    """How many more holders must be counted to reach ``need`` of ``total``."""
    return max(0, math.ceil(need * total) - counted)


def evaluate_thresholds(progress: pd.DataFrame, thresholds: ThresholdSet) -> pd.DataFrame:
    """Each project of a consent progress table against each threshold (:data:`VERDICT_COLUMNS`).

    ``verdict`` is ``met`` (every set share reached), ``not_met``, ``not_set`` (the threshold has no
    value) or ``no_holders``. ``official`` is True only for a verdict on a verified threshold.
    Shares are compared exactly as fractions; ``*_short`` say how many holders and how many m² more
    must be counted to reach the threshold.
    """
    rows = []
    for _, p in progress.iterrows():
        total = int(_column(progress, "holders")[_])
        area_total = float(_column(progress, "area")[_])
        for t in thresholds.thresholds:
            counted = int(sum(int(_column(progress, f"n_{s}")[_]) for s in t.counts))
            area_counted = float(sum(float(_column(progress, f"area_{s}")[_]) for s in t.counts))
            h_met = a_met = None
            h_short = a_short = None
            if t.by_holders is not None and total > 0:
                h_met = Fraction(counted) >= t.by_holders * total
                h_short = _short_holders(counted, total, t.by_holders)
            if t.by_area is not None and area_total > 0:
                a_met = Fraction(area_counted) >= t.by_area * Fraction(area_total)
                a_short = max(0.0, float(t.by_area * Fraction(area_total) - Fraction(area_counted)))
            if not t.is_set:
                verdict = "not_set"
            elif total == 0:
                verdict = "no_holders"
            else:
                tests = [m for m in (h_met, a_met) if m is not None]
                verdict = "met" if tests and all(tests) else "not_met"
            rows.append(
                {
                    "project": p["project"],
                    "threshold": t.key,
                    "label": t.label,
                    "counts": ",".join(t.counts),
                    "holders": total,
                    "holders_counted": counted,
                    "holders_share": counted / total if total else float("nan"),
                    "holders_required": float(t.by_holders) if t.by_holders is not None else float("nan"),
                    "holders_met": h_met,
                    "holders_short": h_short,
                    "area": area_total,
                    "area_counted": area_counted,
                    "area_share": area_counted / area_total if area_total else float("nan"),
                    "area_required": float(t.by_area) if t.by_area is not None else float("nan"),
                    "area_met": a_met,
                    "area_short": a_short,
                    "verdict": verdict,
                    "official": bool(t.provenance.verified and t.is_set and verdict in ("met", "not_met")),
                    "also_requires": t.also_requires,
                    "verified": t.provenance.verified,
                    "source": t.provenance.text(),
                }
            )
    out = pd.DataFrame(rows, columns=VERDICT_COLUMNS)
    # "not evaluated" stays missing (not False) in files: nullable booleans and integers
    return out.astype({"holders_met": "boolean", "area_met": "boolean", "holders_short": "Int64"})


def verdict_lines(verdicts: pd.DataFrame) -> list[str]:
    """One line per project and threshold, for a terminal or a log (in the message language)."""

    def pct(x):
        return "-" if x != x else f"{x:.2%}"

    words = {
        "met": tr("met"),
        "not_met": tr("not met"),
        "not_set": tr("not set (no verified value; enter the value in force with its source)"),
        "no_holders": tr("no holders"),
    }
    out = []
    for r in verdicts.itertuples(index=False):
        parts = []
        if r.holders_required == r.holders_required:
            parts.append(
                tr(
                    "holders {share} of {required} needed ({short} more)",
                    share=pct(r.holders_share),
                    required=pct(r.holders_required),
                    short=r.holders_short if r.holders_short is not None else "-",
                )
            )
        if r.area_required == r.area_required:
            parts.append(
                tr(
                    "area {share} of {required} needed ({short:,.2f} m² more)",
                    share=pct(r.area_share),
                    required=pct(r.area_required),
                    short=r.area_short if r.area_short is not None else float("nan"),
                )
            )
        status = words[r.verdict]
        if r.verdict in ("met", "not_met") and not r.official:
            status = tr("{verdict} (NOT OFFICIAL: the threshold is not verified)", verdict=status)
        line = tr(
            "{project}: {threshold}: {status}; {details}. Source: {source}",
            project=r.project,
            threshold=r.threshold,
            status=status,
            details="; ".join(parts) if parts else "-",
            source=r.source if r.verified else tr("{source} (unverified)", source=r.source),
        )
        if r.verdict == "met" and r.also_requires:
            line += " " + tr("Also required: {what}.", what=r.also_requires)
        out.append(line)
    return out
