"""Legal consent thresholds as rule values with provenance, evaluated on consent progress.

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
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import pandas as pd

from ._ledger_schema import STATUSES
from .errors import RuleError
from .i18n import tr
from .rules import RULES_DIR, Provenance, provenance
from .rules.toml import Problems, key_lines, loads

__all__ = [
    "THRESHOLDS_DIR",
    "VERDICT_COLUMNS",
    "Threshold",
    "ThresholdSet",
    "load_thresholds",
    "evaluate_thresholds",
    "verdict_lines",
]

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
    return tr(
        "Threshold file '{path}' has {count} problem(s):\n{problems}",
        path=path,
        count=count,
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
