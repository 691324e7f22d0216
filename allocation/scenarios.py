"""Benefit-sharing scenarios: what each party receives under each option, side by side.

A scenarios file (TOML) lists options the parties negotiate over. Each scenario gives, with the
source of every figure, the compensation rates per m² of land by legal status and per m² of building
floor area by legal status of the building, the property-swap ratio (m² of new floor area on the
retained land per m² of existing floor area, for the building statuses eligible), the share of the
retained-land quota taken as land (the rest paid in cash at a cash-in-lieu rate), and optionally a
buy-back price for the floor area the government buys back and a developer with a share of the
community's floor area. Rates are inputs from the officer: nothing is defaulted.

For every scenario and project, :func:`benefit_scenarios` gives each party (the government, each
community, each rights-holder, the developer if any) its land area, floor area, money and swap
floor area, and the compensation lines the money is made of. It checks that the land the parties
receive adds up to the land of the project, that the floor area adds up to the planned floor area
taken, and that the money received adds up to the compensation lines (the government pays them).

File format::

    [scenarios]
    title = "..."
    example = false          # true: illustrative rates, never official

    [[scenario]]
    id = "A"
    name = "mostly cash"
    retained_share = {value = 1.0, source = "...", verified = true}
    swap_ratio = {value = 1.0, source = "...", verified = true}
    swap_statuses = ["合法"]                    # building statuses eligible for the swap
    cash_in_lieu_rate = {value = ..., source = "...", verified = ...}   # if retained_share < 1
    buyback_price = {value = ..., source = "...", verified = ...}       # optional
    developer = "name"                         # optional, with developer_floor_share
    developer_floor_share = {value = 0.3, source = "...", verified = ...}

    [scenario.land_rates]                      # yuan per m² of land, by status of the piece
    "房地产证" = {value = ..., source = "...", verified = ...}

    [scenario.floor_rates]                     # yuan per m² of floor area, by building status
    "合法" = {value = ..., source = "...", verified = ...}

Optional sections ``[scenario.finance]``, ``[scenario.payers]``, ``[[scenario.facilities]]`` and
``[[scenario.jobs]]`` add who pays each line (the implementing entity 实施主体 as a party), the land
premium, each party's cash flow, the feasibility test, income over time, facilities and jobs: see
:mod:`.finance`. A file without them gives the same results as before.
"""

from __future__ import annotations

import math
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd

from ._parties import GOVERNMENT
from ._parties import id_key as _key
from ._quantities import check_areas
from .errors import FieldError, InfeasibleError, LayerError, RuleError
from .feedback import Feedback
from .i18n import tr, trn
from .io.files import column_values, layer_name
from .quota import PIECE_FIELDS, building_floor_by_piece, land_area
from .rules import impossible_number
from .rules.toml import Problems, key_lines, place
from .rules.toml import loads as toml_loads

__all__ = [
    "Rate",
    "Scenario",
    "ScenarioSet",
    "ScenarioResult",
    "load_scenarios",
    "read_quota",
    "benefit_scenarios",
    "PARTY_COLUMNS",
    "LINE_COLUMNS",
    "RECONCILE_COLUMNS",
    "PARTY_TYPES",
    "CJK_FONT",
    "cjk_font",
]

PARTY_TYPES = ("government", "community", "holder", "developer", "entity")
PARTY_COLUMNS = [
    "scenario",
    "project",
    "party_type",
    "party",
    "land_area",
    "floor_area",
    "money",
    "swap_floor_area",
    "verified",
]
LINE_COLUMNS = [
    "scenario",
    "project",
    "community",
    "payer",
    "payee_type",
    "payee",
    "basis",
    "quantity",
    "unit",
    "rate",
    "amount",
    "source",
    "verified",
]
RECONCILE_COLUMNS = [
    "scenario",
    "project",
    "project_land",
    "land_received",
    "floor_available",
    "floor_received",
    "compensation_lines",
    "money_received",
    "government_paid",
    "balanced",
]
CJK_FONT = "Noto Sans CJK SC"
_TOL = 1e-6


@dataclass(frozen=True)
class Rate:
    """A figure of a scenario with its source."""

    value: float
    source: str
    verified: bool
    where: str
    document: str = ""
    article: str = ""
    version: str = ""
    note: str = ""

    def text(self) -> str:
        head = " ".join(p for p in (self.document, self.article) if p)
        parts = [head] if head else []
        if self.version:
            parts.append(f"({self.version})")
        parts.append(self.source)
        return " ".join(parts)


@dataclass(frozen=True)
class Scenario:
    id: str
    name: str
    retained_share: Rate
    swap_ratio: Rate
    swap_statuses: tuple
    land_rates: dict
    floor_rates: dict
    cash_in_lieu_rate: Rate | None = None
    buyback_price: Rate | None = None
    developer: str | None = None
    developer_floor_share: Rate | None = None
    where: str = ""
    finance: object = None  # finance.FinanceTerms: who pays, prices, equity, facilities, jobs


@dataclass
class ScenarioSet:
    title: str
    example: bool
    scenarios: list
    path: Path | None = None


@dataclass
class ScenarioResult:
    """Everything :func:`benefit_scenarios` computes.

    Attributes
    ----------
    parties : DataFrame
        :data:`PARTY_COLUMNS`, one row per scenario × project × party.
    lines : DataFrame
        :data:`LINE_COLUMNS`, the compensation lines (who pays whom, for what, at which rate).
    reconciliation : DataFrame
        :data:`RECONCILE_COLUMNS`, per scenario × project.
    official : bool
        True only if every rate and quota figure used is verified and the file is not an example.
    """

    parties: pd.DataFrame
    lines: pd.DataFrame
    reconciliation: pd.DataFrame
    official: bool
    scenarios: ScenarioSet
    warnings: list = field(default_factory=list)
    finance: object = None  # finance.FinanceResult when a scenario has [scenario.finance]

    def layers(self) -> dict:
        out = {
            "scenario_parties": self.parties,
            "scenario_lines": self.lines,
            "scenario_reconciliation": self.reconciliation,
        }
        if self.finance is not None:
            out.update(self.finance.layers())
        return out


# ---------------------------------------------------------------------------------------------
# the scenarios file
# ---------------------------------------------------------------------------------------------

_RATE_KEYS = {"value", "source", "verified", "document", "article", "version", "note", "unit"}
_SCENARIO_KEYS = {
    "id",
    "name",
    "retained_share",
    "swap_ratio",
    "swap_statuses",
    "land_rates",
    "floor_rates",
    "cash_in_lieu_rate",
    "buyback_price",
    "developer",
    "developer_floor_share",
    "finance",
    "payers",
    "facilities",
    "jobs",
}


def _scenario_problems(path, count: int, problems: str) -> str:
    return trn(
        "Scenarios file '{path}' has {n} problem:\n{problems}",
        "Scenarios file '{path}' has {n} problems:\n{problems}",
        count,
        path=path,
        problems=problems,
    )


def _rate(entry, path, probs: Problems, example: bool, lo=0.0, hi=None) -> Rate | None:
    if not isinstance(entry, dict):
        probs.add(path, tr('must be an inline table {{value = ..., source = "...", verified = true/false}}.'))
        return None
    ok = True
    for k in entry:
        if k not in _RATE_KEYS:
            probs.add(path + (k,), tr("unknown key; expected {keys}.", keys=", ".join(sorted(_RATE_KEYS))))
            ok = False
    v = entry.get("value")
    if impossible_number(v):  # infinite, NaN, larger than 1e15, an integer too large for a float
        probs.add(path + ("value",), impossible_number(v))
        ok = False
    elif isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
        probs.add(
            path + ("value",),
            tr("must be a finite number (an officer input; no default), got {value}.", value=repr(v)),
        )
        ok = False
    elif v < lo or (hi is not None and v > hi):
        if hi is not None:
            msg = tr("must be between {low} and {high}, got {value}.", low=lo, high=hi, value=v)
        else:
            msg = tr("must be at least {low}, got {value}.", low=lo, value=v)
        probs.add(path + ("value",), msg)
        ok = False
    src = entry.get("source")
    if not isinstance(src, str) or not src.strip():
        probs.add(path + ("source",), tr("every rate needs its source (document, decision or survey)."))
        ok = False
    ver = entry.get("verified")
    if not isinstance(ver, bool):
        probs.add(path + ("verified",), tr("must be true or false, got {value}.", value=repr(ver)))
        ok = False
    elif ver and example:
        probs.add(path + ("verified",), tr("an example file (example = true) cannot hold verified rates."))
        ok = False
    for k in ("document", "article", "version", "note", "unit"):
        if k in entry and not isinstance(entry[k], str):
            probs.add(path + (k,), tr("must be text."))
            ok = False
    if not ok:
        return None
    return Rate(
        float(v),
        src.strip(),
        ver,
        probs.where(path),
        entry.get("document", ""),
        entry.get("article", ""),
        entry.get("version", ""),
        entry.get("note", ""),
    )


def load_scenarios(source) -> ScenarioSet:
    """Load and validate a scenarios file; every problem is reported with its line and key."""
    path, text, data = _read_toml(source)
    probs, meta, example, items = _read_meta(data, path, text)
    out = []
    ids = set()
    for i, s in enumerate(items):
        p = ("scenario", i)
        if not isinstance(s, dict):
            probs.add(p, tr("must be a table."))
            continue
        for k in s:
            if k not in _SCENARIO_KEYS:
                probs.add(
                    p + (k,), tr("unknown key; expected {keys}.", keys=", ".join(sorted(_SCENARIO_KEYS)))
                )
        sid = s.get("id")
        if not isinstance(sid, str) or not sid.strip():
            probs.add(p + ("id",), tr("each scenario needs an id (text)."))
            continue
        if sid in ids:
            probs.add(p + ("id",), tr("the id '{id}' is used twice.", id=sid))
        ids.add(sid)
        rs = _rate(s.get("retained_share"), p + ("retained_share",), probs, example, 0.0, 1.0)
        sw = _rate(s.get("swap_ratio"), p + ("swap_ratio",), probs, example, 0.0)
        statuses = s.get("swap_statuses", [])
        if not isinstance(statuses, list) or not all(isinstance(x, str) for x in statuses):
            probs.add(p + ("swap_statuses",), tr('must be a list of building statuses, e.g. ["合法"].'))
            statuses = []
        rates = _rate_tables(example, p, probs, s)
        opt = {}
        for k in ("cash_in_lieu_rate", "buyback_price", "developer_floor_share"):
            if k in s:
                opt[k] = _rate(
                    s[k], p + (k,), probs, example, 0.0, 1.0 if k == "developer_floor_share" else None
                )
        dev = _developer(p, probs, rs, s)
        from .finance import parse_terms

        terms = parse_terms(s, p, probs, example, _rate, path.parent)
        if rs is None or sw is None:
            continue
        out.append(
            Scenario(
                id=sid.strip(),
                name=str(s.get("name", sid)),
                retained_share=rs,
                swap_ratio=sw,
                swap_statuses=tuple(statuses),
                land_rates=rates["land_rates"],
                floor_rates=rates["floor_rates"],
                cash_in_lieu_rate=opt.get("cash_in_lieu_rate"),
                buyback_price=opt.get("buyback_price"),
                developer=dev.strip() if dev else None,
                developer_floor_share=opt.get("developer_floor_share"),
                where=probs.where(p),
                finance=terms,
            )
        )
    probs.raise_if_any()
    return ScenarioSet(str(meta.get("title", path.stem)), example, out, path)


def _read_toml(source):
    """Takes the scenarios file; gives its path, text and parsed TOML (raises when it is missing, not UTF-8
    or not TOML).
    """
    path = Path(os.fspath(source))
    if not path.exists():
        raise RuleError(tr("Scenarios file '{path}' does not exist. Check the path.", path=path))
    try:
        text = path.read_text(encoding="utf-8")
        data = toml_loads(text)
    except UnicodeDecodeError:
        raise RuleError(
            tr("Scenarios file '{path}' is not UTF-8 text; save it as UTF-8.", path=path)
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise RuleError(
            tr("Scenarios file '{path}' is not valid TOML: {error}.", path=path, error=exc)
        ) from None
    return path, text, data


def _read_meta(data, path, text):
    """Takes the parsed file; gives the problem collector, the [scenarios] table, whether the file is an
    example and the [[scenario]] items (records unknown keys, raises when there is no scenario).
    """
    probs = Problems(path, key_lines(text), _scenario_problems)
    for k in data:
        if k not in ("scenarios", "scenario"):
            probs.add((k,), tr("unknown section; expected [scenarios] and [[scenario]]."))
    meta = data.get("scenarios", {})
    if not isinstance(meta, dict):
        probs.add(("scenarios",), tr("must be a table."))
        meta = {}
    for k in meta:
        if k not in ("title", "example", "description"):
            probs.add(("scenarios", k), tr("unknown key; expected title, example, description."))
    example = meta.get("example", False)
    if not isinstance(example, bool):
        probs.add(("scenarios", "example"), tr("must be true or false."))
        example = True
    items = data.get("scenario")
    if not isinstance(items, list) or not items:
        probs.add(("scenario",), tr("no [[scenario]] given; list at least one."))
        probs.raise_if_any()
    return probs, meta, example, items


def _rate_tables(example, p, probs, s):
    """Takes one scenario table; gives its land and floor rates by status (records each problem)."""
    rates = {}
    for table in ("land_rates", "floor_rates"):
        t = s.get(table)
        if t is None and table == "floor_rates":
            t = {}
        if not isinstance(t, dict):
            probs.add(p + (table,), tr("[scenario.{table}] must map each status to a rate.", table=table))
            rates[table] = {}
            continue
        rates[table] = {}
        for st, entry in t.items():
            r = _rate(entry, p + (table, st), probs, example)
            if r is not None:
                rates[table][st] = r
    return rates


def _developer(p, probs, rs, s):
    """Takes one scenario table; gives the developer's name (None when not given or not text) and records
    the keys a developer or a retained share under 1 needs.
    """
    dev = s.get("developer")
    if dev is not None and (not isinstance(dev, str) or not dev.strip()):
        probs.add(p + ("developer",), tr("must be the developer's name (text)."))
        dev = None
    if dev and "developer_floor_share" not in s:
        probs.add(
            p + ("developer",),
            tr("a developer needs developer_floor_share (its share of the community's floor area)."),
        )
    if "developer_floor_share" in s and not dev:
        probs.add(p + ("developer_floor_share",), tr('give the developer\'s name as developer = "...".'))
    if rs is not None and rs.value < 1 and "cash_in_lieu_rate" not in s:
        probs.add(
            p + ("retained_share",),
            tr(
                "retained_share < 1 needs cash_in_lieu_rate (yuan per m² of "
                "retained land paid in cash instead)."
            ),
        )
    return dev


# ---------------------------------------------------------------------------------------------
# the quota table
# ---------------------------------------------------------------------------------------------


def _check_quota_figures(name: str, key: tuple, d: dict) -> None:
    """Refuse a quota table (e.g. edited by hand) whose figures cannot be: not finite, over 1e15,
    negative, or retained land larger than the block's land."""
    where = (
        tr("project {project}", project=key[0])
        if key[1] is None
        else tr("project {project} / {community}", project=key[0], community=key[1])
    )
    for q in ("result.retained_area", "result.planned_floor_area", "buyback_floor_area", "land_area"):
        v = d.get(q, (None, False))[0]
        if v is None:
            continue
        if not math.isfinite(v) or abs(v) > 1e15 or v < 0:
            raise RuleError(
                tr(
                    "QUOTA '{name}', {where}: {quantity} = {value} cannot be (infinite, negative or larger "
                    "than 1e15 m²); run the quota again instead of editing its table.",
                    name=name,
                    where=where,
                    quantity=q,
                    value=v,
                )
            )
    retained, land = d.get("result.retained_area", (None,))[0], d.get("land_area", (None,))[0]
    if retained is not None and land is not None and retained > land + 1e-6 * max(1.0, land) + 0.005:
        raise RuleError(
            tr(
                "QUOTA '{name}', {where}: result.retained_area = {retained:,.2f} m² is more than the "
                "{land:,.2f} m² of land of the block; run the quota again instead of editing its table.",
                name=name,
                where=where,
                retained=retained,
                land=land,
            )
        )


def read_quota(quota: pd.DataFrame) -> dict:
    """Per (project, community) the quota results and whether they are verified.

    Reads the rows ``result.retained_area``, ``result.planned_floor_area``, ``buyback_floor_area``
    (0 when the rule set has none) and ``official`` of the trail of
    :func:`~landcoord.allocation.quota.retained_quota`.
    """
    name = layer_name(quota) if hasattr(quota, "attrs") else "quota"
    for f in ("project", "community", "quantity", "value", "verified"):
        if f not in quota.columns:
            raise FieldError(
                name,
                f,
                list(quota.columns),
                expected=tr("present: QUOTA must be the table written by landcoord:retainedquota"),
            )
    out: dict = {}
    ver = quota["verified"].map(
        lambda v: str(v).strip().lower() in ("1", "true", "yes") if v is not None else False
    )
    vals = pd.to_numeric(quota["value"], errors="coerce")
    for p, c, q, v, ok in zip(quota["project"], quota["community"], quota["quantity"], vals, ver):
        k = (_key(p), _key(c))
        d = out.setdefault(k, {"project": p, "community": None if _key(c) is None else c})
        d[str(q)] = (None if pd.isna(v) else float(v), bool(ok))
    for k, d in out.items():
        _check_quota_figures(name, k, d)
        for need in ("result.retained_area", "result.planned_floor_area"):
            if need not in d:
                raise FieldError(
                    name,
                    need,
                    sorted(x for x in d if isinstance(x, str)),
                    expected=tr(
                        "a row of quantity '{quantity}' for project {project}", quantity=need, project=k[0]
                    ),
                )
            if d[need][0] is None:
                if k[1] is None:
                    msg = tr(
                        "QUOTA '{name}': {quantity} of project {project} is empty: the rule set has empty "
                        "values. Fill them in (or use an example rule set to try the scenarios) and run the "
                        "quota again.",
                        name=name,
                        quantity=need,
                        project=k[0],
                    )
                else:
                    msg = tr(
                        "QUOTA '{name}': {quantity} of project {project} / community {community} is empty: "
                        "the rule set has empty values. Fill them in (or use an example rule set to try the "
                        "scenarios) and run the quota again.",
                        name=name,
                        quantity=need,
                        project=k[0],
                        community=k[1],
                    )
                raise RuleError(msg)
        d.setdefault("buyback_floor_area", (0.0, True))
        if d["buyback_floor_area"][0] is None:
            d["buyback_floor_area"] = (0.0, False)
    return out


# ---------------------------------------------------------------------------------------------
# scenarios
# ---------------------------------------------------------------------------------------------


class _NoParty(dict):
    """Stands in for the community of pieces that have none: receives nothing, records nothing."""

    def __init__(self):
        super().__init__(land_area=0.0, floor_area=0.0, money=0.0, swap_floor_area=0.0, ok=True)


class _Acc:
    """Per-party accumulator of one scenario and project."""

    def __init__(self):
        self.rows: dict = {}

    def get(self, ptype, party):
        k = (ptype, party)
        if k not in self.rows:
            self.rows[k] = {
                "land_area": 0.0,
                "floor_area": 0.0,
                "money": 0.0,
                "swap_floor_area": 0.0,
                "ok": True,
                "received": 0.0,
                "paid": 0.0,
            }
        return self.rows[k]


def benefit_scenarios(
    pieces,
    quota,
    scenarios,
    *,
    community_field: str | None = None,
    buildings=None,
    floor_area_field: str | None = None,
    building_status_field: str | None = None,
    official: bool = False,
    years: int | None = None,
    feedback: Feedback | None = None,
) -> ScenarioResult:
    """Each party's land, floor area, money and swap floor area under each scenario.

    Parameters
    ----------
    pieces : GeoDataFrame or DataFrame
        Parcel pieces (:data:`~landcoord.allocation.quota.PIECE_FIELDS`).
    quota : DataFrame or dict
        The trail of :func:`~landcoord.allocation.quota.retained_quota` (or :func:`read_quota`'s
        result), computed with the same community field.
    scenarios : ScenarioSet or path
    community_field : str, optional
        Field of ``pieces`` with each piece's community (as for the quota).
    buildings : GeoDataFrame, optional
        Footprints with ``floor_area_field`` and ``building_status_field`` (合法状态); their floor
        area, split over the pieces, is compensated at the floor rates or swapped.
    official : bool
        Raise :class:`RuleError` unless everything used is verified and the file is no example.
    years : int, optional
        Years of income the finance tables count (overrides each scenario's ``years``).

    Returns
    -------
    ScenarioResult

    Raises
    ------
    FieldError, LayerError, RuleError, InfeasibleError
    """
    # long: its numpydoc docstring (parameters, a runnable example); the body is an orchestrator of phases
    fb = feedback or Feedback()
    warnings: list[str] = []
    sset = scenarios if isinstance(scenarios, ScenarioSet) else load_scenarios(scenarios)
    qmap = quota if isinstance(quota, dict) else read_quota(quota)
    area, projects, comms, holders, statuses = _read_pieces(pieces, community_field, fb, warnings)

    blocks = _match_quota(comms, fb, projects, qmap, warnings)

    floor_rows = _floor_rows(pieces, buildings, floor_area_field, building_status_field, fb)

    party_rows, line_rows, rec_rows = [], [], []
    all_ok = not sset.example
    project_order = list(dict.fromkeys(_key(p) for p in projects))
    for n, sc in enumerate(sset.scenarios):
        fb.check()
        _check_rates(sc, statuses, floor_rows, area)
        all_ok = _scenario_projects(
            community_field,
            all_ok,
            area,
            blocks,
            fb,
            floor_rows,
            holders,
            line_rows,
            party_rows,
            project_order,
            projects,
            qmap,
            rec_rows,
            sc,
            sset,
            statuses,
            warnings,
        )
        fb.progress(20 + 75 * (n + 1) / len(sset.scenarios))

    parties, lines_df, rec = _tables(line_rows, party_rows, rec_rows)
    fin, all_ok = _finance(official, years, all_ok, fb, lines_df, parties, qmap, rec, sset, warnings)
    _check_official(official, all_ok, parties, sset)
    fb.progress(100)
    return ScenarioResult(parties, lines_df, rec, bool(all_ok), sset, warnings, fin)


def _read_pieces(pieces, community_field, fb, warnings):
    """Takes the pieces; gives their layer name, the land each piece holds, and each piece's project,
    community, holder and status (raises on missing fields or areas, warns of pieces with no holder).
    """
    pname = pieces.attrs.get("name", "pieces")
    for f in PIECE_FIELDS:
        if f not in pieces.columns:
            raise FieldError(
                pname,
                f,
                list(pieces.columns),
                expected=tr("present: the pieces must be the output of landcoord:affectedarea"),
            )
    if community_field and community_field not in pieces.columns:
        raise FieldError(pname, community_field, list(pieces.columns))
    area = pd.to_numeric(pieces["piece_area"], errors="coerce").to_numpy(dtype=float)
    check_areas(area, pieces.index, layer=pname, field="piece_area")
    if np.isnan(area).any() or (area < 0).any():
        raise LayerError(
            tr("Layer '{layer}': piece_area is missing or negative for some pieces.", layer=pname)
        )
    # the land each piece holds (double-claimed land split between its claimants, quota.land_area):
    # a project's land adds up to its covered area, the same figure as the quota and hearing pack
    area = land_area(pieces, area)
    projects = column_values(pieces, "project")
    comms = column_values(pieces, community_field) if community_field else np.full(len(pieces), None, object)
    holders = column_values(pieces, "holder")
    statuses = column_values(pieces, "status")
    no_holder = "(no holder)"
    if any(h is None for h in holders):
        msg = tr(
            "Layer '{layer}': some pieces have no holder; their compensation goes to '{no_holder}'.",
            layer=pname,
            no_holder=no_holder,
        )
        warnings.append(msg)
        fb.warning(msg)
    holders = np.array([no_holder if h is None else str(h) for h in holders], dtype=object)
    statuses = np.array(["" if s is None else str(s) for s in statuses], dtype=object)
    return area, projects, comms, holders, statuses


def _match_quota(comms, fb, projects, qmap, warnings):
    """Takes the pieces' projects and communities and the quota; gives the pieces of each project/community
    block (raises when the quota lacks a block, warns of quota blocks not in the pieces).
    """
    blocks = {}
    for i, (p, c) in enumerate(zip(projects, comms)):
        blocks.setdefault((_key(p), _key(c)), []).append(i)
    missing = [k for k in blocks if k not in qmap]
    if missing:
        p, c = missing[0]
        have = ", ".join(f"{a}" + (f"/{b}" if b is not None else "") for a, b in list(qmap)[:10])
        if c is None:
            msg = tr(
                "QUOTA has no result for project {project} (it has: {have}). "
                "Run the quota on the same pieces with the same community field.",
                project=p,
                have=have,
            )
        else:
            msg = tr(
                "QUOTA has no result for project {project} / community {community} (it has: {have}). "
                "Run the quota on the same pieces with the same community field.",
                project=p,
                community=c,
                have=have,
            )
        raise RuleError(msg)
    unused = [k for k in qmap if k not in blocks]
    if unused:
        msg = trn(
            "QUOTA has results for {n} project/community block not in the pieces; ignored.",
            "QUOTA has results for {n} project/community blocks not in the pieces; ignored.",
            len(unused),
        )
        warnings.append(msg)
        fb.warning(msg)
    return blocks


def _floor_rows(pieces, buildings, floor_area_field, building_status_field, fb):
    """Takes the pieces and the buildings; gives the building floor area per piece and building status,
    with each piece's row (raises on missing fields or statuses).
    """
    # building floor area per piece, by building status
    floor_rows = pd.DataFrame(columns=["piece", "floor_area", "status"])
    if buildings is not None:
        if not floor_area_field:
            raise FieldError(
                layer_name(buildings),
                str(floor_area_field),
                list(buildings.columns),
                expected=tr("set (the floor-area field of the buildings)"),
            )
        if not building_status_field:
            raise FieldError(
                layer_name(buildings),
                str(building_status_field),
                list(buildings.columns),
                expected=tr("set (the legal-status field of the buildings, 合法状态)"),
            )
        floor_rows, tot = building_floor_by_piece(
            pieces, buildings, floor_field=floor_area_field, status_field=building_status_field, feedback=fb
        )
        floor_rows = floor_rows.assign(status=[("" if s is None else str(s)) for s in floor_rows.status])
        empty = floor_rows.status == ""
        if empty.any():
            ids = sorted(set(map(str, floor_rows.building[empty])))[:10]
            raise FieldError(
                layer_name(buildings),
                building_status_field,
                list(buildings.columns),
                expected=tr("filled for every building (empty for {ids})", ids=ids),
            )
        pos = pd.Series(np.arange(len(pieces)), index=pieces.index)
        floor_rows["row"] = pos.loc[floor_rows.piece].to_numpy()
    fb.progress(20)
    return floor_rows


def _scenario_projects(
    community_field,
    all_ok,
    area,
    blocks,
    fb,
    floor_rows,
    holders,
    line_rows,
    party_rows,
    project_order,
    projects,
    qmap,
    rec_rows,
    sc,
    sset,
    statuses,
    warnings,
):
    """Takes one scenario; adds its compensation lines, party rows and reconciliation rows for every
    project, and gives whether all its parties are verified so far.
    """
    for pk in project_order:
        acc, lines, gov, project_land, floor_available, pid = _project_blocks(
            community_field, area, blocks, fb, floor_rows, holders, projects, qmap, sc, statuses, warnings, pk
        )
        _settle(line_rows, acc, lines)
        all_ok = _party_rows(all_ok, party_rows, sc, sset, acc, pid)
        _reconcile(rec_rows, sc, acc, floor_available, gov, lines, pid, project_land)
    return all_ok


def _project_blocks(
    community_field, area, blocks, fb, floor_rows, holders, projects, qmap, sc, statuses, warnings, pk
):
    """Takes one scenario and project; gives its parties (accounts), its compensation lines, its land and
    the floor area its retained land offers, block by block.
    """
    acc = _Acc()
    lines = []
    gov = acc.get("government", GOVERNMENT)
    pblocks = [k for k in blocks if k[0] == pk]
    project_land = float(area[np.array([_key(p) == pk for p in projects])].sum())
    floor_available = 0.0
    pid = projects[blocks[pblocks[0]][0]]
    for bk in pblocks:
        floor_available, comm_floor, blk = _block_land(
            community_field, area, blocks, qmap, sc, acc, bk, floor_available, gov, pid
        )
        comm_floor = _holder_lines(area, floor_rows, holders, sc, statuses, acc, comm_floor, lines, pid, blk)
        _check_swap(sc, comm_floor, pid, blk)
        _community_lines(fb, sc, warnings, acc, comm_floor, gov, lines, pid, blk)
    return acc, lines, gov, project_land, floor_available, pid


def _block_land(community_field, area, blocks, qmap, sc, acc, bk, floor_available, gov, pid):
    """Takes one block and its quota figures; shares its land and floor area between the community and the
    government and gives the block's figures (raises when the quota exceeds the block's land or gives
    land outside a community). Hands on rows, cname, cparty, share, r_area, r_ok, b_ok, outside, comm,
    quota_ok, floor_taken, buyback together as ``blk``.
    """
    rows = np.asarray(blocks[bk])
    q = qmap[bk]
    cname = q["community"] if q["community"] is not None else bk[1]
    cparty = str(cname) if cname is not None else f"社区 community of project {pid}"
    share = sc.retained_share.value
    r_area, r_ok = q["result.retained_area"]
    f_area, f_ok = q["result.planned_floor_area"]
    b_area, b_ok = q["buyback_floor_area"]
    land = float(area[rows].sum())
    # pieces of no community (with a community field): no retained land, no swap
    outside = bool(community_field) and bk[1] is None
    if outside and max(r_area, f_area) > _TOL:
        raise RuleError(
            tr(
                "QUOTA gives retained land to the pieces of project {project} that have no "
                "community; compute the quota with the same community field.",
                project=pid,
            )
        )
    comm = _NoParty() if outside else acc.get("community", cparty)
    if r_area > land + _TOL * max(land, 1.0):
        if cname is None:
            msg = tr(
                "Scenario {scenario}, project {project}: the retained-land quota {quota:,.2f} m² "
                "is larger than the land of the block {land:,.2f} m².",
                scenario=sc.id,
                project=pid,
                quota=r_area,
                land=land,
            )
        else:
            msg = tr(
                "Scenario {scenario}, project {project} / community {community}: "
                "the retained-land quota {quota:,.2f} m² is larger than the land of the block "
                "{land:,.2f} m².",
                scenario=sc.id,
                project=pid,
                community=cname,
                quota=r_area,
                land=land,
            )
        raise InfeasibleError(msg)
    quota_ok = r_ok and f_ok and b_ok
    comm["land_area"] += r_area * share
    comm["ok"] &= quota_ok and sc.retained_share.verified
    gov["land_area"] += land - r_area * share
    gov["ok"] &= quota_ok and sc.retained_share.verified
    floor_taken = f_area * share
    floor_available += floor_taken
    buyback = b_area * share
    gov["floor_area"] += buyback
    comm_floor = floor_taken - buyback
    return (
        floor_available,
        comm_floor,
        SimpleNamespace(
            rows=rows,
            cname=cname,
            cparty=cparty,
            share=share,
            r_area=r_area,
            r_ok=r_ok,
            b_ok=b_ok,
            outside=outside,
            comm=comm,
            quota_ok=quota_ok,
            floor_taken=floor_taken,
            buyback=buyback,
        ),
    )


def _holder_lines(area, floor_rows, holders, sc, statuses, acc, comm_floor, lines, pid, blk):
    """Takes one block; adds the holders' land compensation lines and their buildings' swap (eligible
    statuses) or cash lines, and gives the community floor area left after the swaps.
    """
    cname, outside, quota_ok, rows = blk.cname, blk.outside, blk.quota_ok, blk.rows
    # land compensation, by holder and status
    df = pd.DataFrame({"h": holders[rows], "s": statuses[rows], "a": area[rows]})
    for (h, s), a in df.groupby(["h", "s"], sort=False)["a"].sum().items():
        rate = sc.land_rates[s]
        lines.append(_line(sc, pid, cname, "holder", h, f"land: {s}", a, "m2", rate))
    # buildings: swap for eligible statuses, cash for the rest
    if len(floor_rows):
        fr = floor_rows[floor_rows.row.isin(rows)]
        fdf = pd.DataFrame(
            {
                "h": holders[fr.row.to_numpy()],
                "s": fr.status.to_numpy(),
                "a": fr.floor_area.to_numpy(),
            }
        )
        for (h, s), a in fdf.groupby(["h", "s"], sort=False)["a"].sum().items():
            hp = acc.get("holder", h)
            if s in sc.swap_statuses and sc.swap_ratio.value > 0 and not outside:
                swap = a * sc.swap_ratio.value
                hp["swap_floor_area"] += swap
                hp["ok"] &= sc.swap_ratio.verified and quota_ok
                comm_floor -= swap
            else:
                if s not in sc.floor_rates:
                    raise RuleError(
                        tr(
                            "Scenario {scenario} ({where}): buildings of status '{status}' "
                            "({area:,.2f} m²) stand on land of project {project} without a "
                            "community, where no property swap is possible; add a floor rate for "
                            "'{status}' with its source.",
                            scenario=sc.id,
                            where=place(sc.where),
                            status=s,
                            area=a,
                            project=pid,
                        )
                    )
                lines.append(_line(sc, pid, cname, "holder", h, f"floor: {s}", a, "m2", sc.floor_rates[s]))
    return comm_floor


def _check_swap(sc, comm_floor, pid, blk):
    """Takes one block's floor figures; raises when the property swap needs more floor area than the
    retained land offers after the buy-back.
    """
    buyback, cname, floor_taken = blk.buyback, blk.cname, blk.floor_taken
    if comm_floor < -_TOL * max(floor_taken, 1.0):
        if cname is None:
            msg = tr(
                "Scenario {scenario}, project {project}: the property swap needs "
                "{needed:,.2f} m² of floor area but the retained land offers {offered:,.2f} m² "
                "after the buy-back. Lower the swap ratio or raise the share of retained land.",
                scenario=sc.id,
                project=pid,
                needed=floor_taken - buyback - comm_floor,
                offered=floor_taken - buyback,
            )
        else:
            msg = tr(
                "Scenario {scenario}, project {project} / community {community}: "
                "the property swap needs {needed:,.2f} m² of floor area but the retained land "
                "offers {offered:,.2f} m² after the buy-back. Lower the swap ratio or raise the "
                "share of retained land.",
                scenario=sc.id,
                project=pid,
                community=cname,
                needed=floor_taken - buyback - comm_floor,
                offered=floor_taken - buyback,
            )
        raise InfeasibleError(msg)


def _community_lines(fb, sc, warnings, acc, comm_floor, gov, lines, pid, blk):
    """Takes one block; gives the developer its share, the community its floor area, and adds the cash in
    lieu of retained land and the buy-back lines (warns when the buy-back has no price).
    """
    b_ok, buyback, cname, comm, cparty, outside, quota_ok, r_area, r_ok, share = (
        blk.b_ok,
        blk.buyback,
        blk.cname,
        blk.comm,
        blk.cparty,
        blk.outside,
        blk.quota_ok,
        blk.r_area,
        blk.r_ok,
        blk.share,
    )
    if sc.developer and not outside:
        dev = acc.get("developer", sc.developer)
        dshare = comm_floor * sc.developer_floor_share.value
        dev["floor_area"] += dshare
        dev["ok"] &= sc.developer_floor_share.verified and quota_ok
        comm_floor -= dshare
    comm["floor_area"] += comm_floor
    if share < 1 and not outside:
        lines.append(
            _line(
                sc,
                pid,
                cname,
                "community",
                cparty,
                "cash in lieu of retained land",
                r_area * (1 - share),
                "m2",
                sc.cash_in_lieu_rate,
                extra_ok=r_ok,
            )
        )
    if buyback > 0:
        if sc.buyback_price is None:
            msg = tr(
                "Scenario {scenario}, project {project}: {area:,.2f} m² bought back by the "
                "government but no buyback_price: the buy-back is not in the money.",
                scenario=sc.id,
                project=pid,
                area=buyback,
            )
            warnings.append(msg)
            fb.warning(msg)
            gov["ok"] = False
        else:
            lines.append(
                _line(
                    sc,
                    pid,
                    cname,
                    "community",
                    cparty,
                    "floor area bought back",
                    buyback,
                    "m2",
                    sc.buyback_price,
                    extra_ok=b_ok,
                )
            )


def _settle(line_rows, acc, lines):
    """Takes a project's compensation lines; books each amount to its payee and payer and adds the lines to
    the scenario's.
    """
    for ln in lines:
        party = acc.get(ln["payee_type"], ln["payee"])
        party["money"] += ln["amount"]
        party["received"] += ln["amount"]
        party["ok"] &= ln["verified"]
        payer = acc.get(*ln.pop("_payer"))
        payer["money"] -= ln["amount"]
        payer["paid"] += ln["amount"]
        payer["ok"] &= ln["verified"]
    line_rows.extend(lines)


def _party_rows(all_ok, party_rows, sc, sset, acc, pid):
    """Takes a project's parties; adds one row per party and gives whether all parties so far are verified."""
    for (ptype, party), d in sorted(acc.rows.items(), key=lambda kv: PARTY_TYPES.index(kv[0][0])):
        ok = bool(d["ok"]) and not sset.example
        all_ok &= ok
        party_rows.append(
            {
                "scenario": sc.id,
                "project": pid,
                "party_type": ptype,
                "party": party,
                "land_area": d["land_area"],
                "floor_area": d["floor_area"],
                "money": d["money"],
                "swap_floor_area": d["swap_floor_area"],
                "verified": ok,
            }
        )
    return all_ok


def _reconcile(rec_rows, sc, acc, floor_available, gov, lines, pid, project_land):
    """Takes a project's parties and lines; adds its reconciliation row (land, floor area and money
    received against what there is) and raises if it does not balance.
    """
    received = [d for (t, _), d in acc.rows.items()]
    land_received = sum(d["land_area"] for d in received)
    floor_received = sum(d["floor_area"] + d["swap_floor_area"] for d in received)
    comp = float(sum(ln["amount"] for ln in lines))
    money_received = sum(d["received"] for d in acc.rows.values())
    money_paid = sum(d["paid"] for d in acc.rows.values())
    balanced = (
        abs(land_received - project_land) <= 1e-6 * max(project_land, 1.0)
        and abs(floor_received - floor_available) <= 1e-6 * max(floor_available, 1.0)
        and abs(money_received - comp) <= 1e-6 * max(comp, 1.0)
        and abs(money_paid - comp) <= 1e-6 * max(comp, 1.0)
    )
    rec_rows.append(
        {
            "scenario": sc.id,
            "project": pid,
            "project_land": project_land,
            "land_received": land_received,
            "floor_available": floor_available,
            "floor_received": floor_received,
            "compensation_lines": comp,
            "money_received": money_received,
            "government_paid": gov["paid"],
            "balanced": balanced,
        }
    )
    if not balanced:  # pragma: no cover - a bug, not an input problem
        raise RuleError(
            tr(
                "Scenario {scenario}, project {project}: the totals do not reconcile: {totals}",
                scenario=sc.id,
                project=pid,
                totals=rec_rows[-1],
            )
        )


def _tables(line_rows, party_rows, rec_rows):
    """Takes the party, line and reconciliation rows; gives the three frames with their number columns as
    floats.
    """
    parties = pd.DataFrame(party_rows, columns=PARTY_COLUMNS)
    lines_df = pd.DataFrame(line_rows, columns=LINE_COLUMNS)
    rec = pd.DataFrame(rec_rows, columns=RECONCILE_COLUMNS)
    for df, cols in (
        (parties, ["land_area", "floor_area", "money", "swap_floor_area"]),
        (lines_df, ["quantity", "rate", "amount"]),
    ):
        for c in cols:
            df[c] = df[c].astype(float)
    return parties, lines_df, rec


def _finance(official, years, all_ok, fb, lines_df, parties, qmap, rec, sset, warnings):
    """Takes the scenario tables and the quota; gives the finance result when a scenario has finance
    sections (None otherwise) and whether all figures are verified (raises when an official result was
    asked for and the finance is not).
    """
    fin = None
    if any(sc.finance is not None for sc in sset.scenarios):
        from .finance import scenario_finance

        pre = ScenarioResult(parties, lines_df, rec, bool(all_ok), sset, warnings)
        fin = scenario_finance(pre, qmap, years=years, feedback=fb)
        warnings.extend(fin.warnings)
        if official and not fin.official:
            raise RuleError(
                tr(
                    "No official scenario figures from '{source}': the land premium, prices, rates or terms "
                    "of the finance sections are not all verified (see the verified column of "
                    "finance_feasibility).",
                    source=sset.path or sset.title,
                )
            )
        all_ok = all_ok and fin.official
    return fin, all_ok


def _check_official(official, all_ok, parties, sset):
    """Takes the parties; raises when an official result was asked for and some rate or quota figure is not
    verified (or the file is an example).
    """
    if official and not all_ok:
        bad = parties[~parties.verified]
        unverified = ", ".join(sorted({f"{r.scenario}/{r.party}" for r in bad.itertuples()})[:20])
        if sset.example:
            msg = tr(
                "No official scenario figures from '{source}': the file is an EXAMPLE. Unverified: {parties}",
                source=sset.path or sset.title,
                parties=unverified,
            )
        else:
            msg = tr(
                "No official scenario figures from '{source}': some rates or quota figures are not verified. "
                "Unverified: {parties}",
                source=sset.path or sset.title,
                parties=unverified,
            )
        raise RuleError(msg)


def _line(
    sc, project, community, payee_type, payee, basis, quantity, unit, rate: Rate, extra_ok=True
) -> dict:
    from .finance import payer_of

    cparty = str(community) if community is not None else f"社区 community of project {project}"
    payer = payer_of(sc, basis, cparty)
    return {
        "_payer": payer,
        "scenario": sc.id,
        "project": project,
        "community": community,
        "payer": payer[1],
        "payee_type": payee_type,
        "payee": payee,
        "basis": basis,
        "quantity": float(quantity),
        "unit": unit,
        "rate": rate.value,
        "amount": float(quantity) * rate.value,
        "source": f"{rate.text()} [{rate.where}]",
        "verified": bool(rate.verified and extra_ok),
    }


def _check_rates(sc: Scenario, statuses, floor_rows, area) -> None:
    need = pd.DataFrame({"s": statuses, "a": area}).groupby("s")["a"].agg(["count", "sum"])
    miss = [s for s in need.index if s not in sc.land_rates]
    if miss:
        listing = "; ".join(
            trn(
                "'{status}' ({n} piece, {area:,.2f} m²)",
                "'{status}' ({n} pieces, {area:,.2f} m²)",
                int(need.loc[s, "count"]),
                status=s or tr("(empty)"),
                area=need.loc[s, "sum"],
            )
            for s in miss
        )
        raise RuleError(
            tr(
                "Scenario {scenario} ({where}): no land rate for status {listing}. Add it under "
                "[scenario.land_rates] with its source (0 is a rate too; nothing is defaulted).",
                scenario=sc.id,
                where=place(sc.where),
                listing=listing,
            )
        )
    if len(floor_rows):
        fneed = floor_rows.groupby("status")["floor_area"].sum()
        fmiss = [
            s
            for s in fneed.index
            if s not in sc.floor_rates and not (s in sc.swap_statuses and sc.swap_ratio.value > 0)
        ]
        if fmiss:
            raise RuleError(
                tr(
                    "Scenario {scenario} ({where}): no floor rate for building status {listing}. "
                    "Add it under [scenario.floor_rates] with its source.",
                    scenario=sc.id,
                    where=place(sc.where),
                    listing="; ".join(
                        tr("'{status}' ({area:,.2f} m²)", status=s, area=fneed[s]) for s in fmiss
                    ),
                )
            )


# ---------------------------------------------------------------------------------------------
# the CJK font of the charts (the charts are drawn in report/charts.py)
# ---------------------------------------------------------------------------------------------


def cjk_font(feedback=None) -> str | None:
    """The family name of a CJK font matplotlib can use on this platform (see :mod:`.fonts`).

    Windows: Microsoft YaHei, DengXian, SimHei, SimSun; macOS: PingFang SC, Hiragino Sans GB,
    Heiti SC, STHeiti; Linux: Noto Sans CJK SC, Source Han Sans SC, WenQuanYi Micro Hei / Zen Hei,
    Droid Sans Fallback. Debian's fonts-noto-cjk ships one ``.ttc`` collection of which matplotlib
    3.6 reads only the first face, ``Noto Sans CJK JP`` (Japanese glyph shapes for some
    characters), so on Debian WenQuanYi Micro Hei (fonts-wqy-microhei) is found first when
    installed, and that Japanese face is the last resort. Returns None (with a warning saying
    what to install on this platform) when no CJK font is found.
    """
    from .fonts import matplotlib_family

    return matplotlib_family(feedback or Feedback())
