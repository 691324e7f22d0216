"""Who pays, land premium (地价), feasibility, equity income over time, facilities and jobs.

A scenario of a scenarios file (see :mod:`.scenarios`) may carry these optional sections::

    [scenario.finance]
    implementing_entity = "社区股份公司 community company"   # 实施主体: "developer" (the scenario's
                                 # developer), "community" (the project's community), "government",
                                 # or a name (a party of its own, party_type "entity")
    premium_rules = "../finance/land_premium.toml"   # a rule set with steps premium_factor_<category>
    benchmark_prices = "prices.csv"   # table use, zone, price, source, verified (+ document, unit)
    land_use = "R"                    # the row of the table: use and zone of the retained land
    zone = "一级"
    sale_price = {value = ..., source = "...", verified = ...}      # yuan per m² of floor area sold
    build_cost = {value = ..., source = "...", verified = ...}      # yuan per m² of floor area built
    discount_rate = {value = ..., source = "...", verified = ...}   # per year, for the NPV
    years = 20                                                      # years of income counted
    required_margin = {...}      # optional: profit / cost the entity needs (else profit >= 0)
    community_payment = {...}    # optional: yuan per m² of the community's floor area the entity sells
    equity_share = {...}         # optional 物业参股: share of the community's floor area it keeps
    rental_yield = {...}         # annual rent / valuation of the kept floor area (with equity_share)
    price_factors = [0.8, 0.9, 1.0, 1.1, 1.2]   # optional: the sensitivity table's grid
    far_factors = [0.8, 0.9, 1.0, 1.1, 1.2]

    [scenario.payers]            # optional: who pays each kind of compensation line
    land = "entity"              # "government" (the default), "entity" or "developer"
    floor = "entity"
    cash_in_lieu = "government"
    buyback = "government"

    [[scenario.facilities]]      # public facilities (公共服务设施配套)
    type = "社区服务中心 community centre"
    floor_area = {value = ..., source = "...", verified = ...}
    builder = "entity"           # "entity", "government", "community", "developer"
    owner = "government"
    project = "P1"               # optional when the pieces hold one project

    [[scenario.jobs]]            # employment commitments (持续性就业), recorded as terms
    employer = "entity"
    count = {value = ..., source = "...", verified = ...}
    years = {value = ..., source = "...", verified = ...}
    note = "..."

The model, per scenario and project (all figures from the scenario's party table):

* floor area: the holders' swap floor area and the government's bought-back floor area stay as
  they are; the facilities are taken out of the community's floor area and go to their owners;
  the community keeps ``equity_share`` of the rest (物业参股, valued at the sale price, rented at
  ``rental_yield`` a year); the entity sells what is left of the community's floor area (paying
  the community ``community_payment`` per m² of it), and the developer (when it is not the
  entity) sells its own share. Every m² of the planned floor area goes to exactly one party.
* money: each compensation line is paid by the payer the scenario assigns; the entity pays the
  land premium of every floor category to the government (floor area x benchmark price x
  ``premium_factor_<category>`` of the premium rule set), builds everything but the developer's own
  share and the facilities others build, at ``build_cost``; buyers, builders and tenants are the
  market. Every yuan is one line with a payer and a payee: the parties' and the market's net
  amounts add up to zero.
* feasibility: the entity's profit = sales - (compensation paid + premium + construction +
  community payment), margin = profit / cost, break-even sale price = cost / floor area sold; a
  sensitivity table over sale price and FAR (the planned floor area scaled; facilities and swaps
  fixed).
* income over time: year 0 is each party's net of the lines; years 1..N the community's rent;
  discounted at ``discount_rate``: NPV = net now + rent x (1 - (1 + i)^-N) / i.

Every figure carries whether everything it rests on is verified. A scenario using an unverified
or empty value is not official.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import InfeasibleError, RuleError
from .i18n import tr

__all__ = [
    "CATEGORIES",
    "PAYER_KINDS",
    "MARKET",
    "FinanceTerms",
    "Facility",
    "Job",
    "Premium",
    "ProjectFloors",
    "FinanceResult",
    "FIN_LINE_COLUMNS",
    "CASHFLOW_COLUMNS",
    "FLOOR_COLUMNS",
    "FEASIBILITY_COLUMNS",
    "SENSITIVITY_COLUMNS",
    "INCOME_COLUMNS",
    "TERMS_COLUMNS",
    "FIN_RECONCILE_COLUMNS",
    "parse_terms",
    "load_premium_rules",
    "benchmark_price",
    "premium_factors",
    "annuity_factor",
    "entity_economics",
    "break_even_price",
    "scenario_finance",
]

#: Most years of income a scenario counts (a longer horizon is a typing error).
MAX_YEARS = 200

#: Floor categories the premium is computed on.
CATEGORIES = ("base", "shared", "buyback", "facilities")
#: Kinds of compensation line a payer is assigned to, and the start of their ``basis``.
PAYER_KINDS = {
    "land": "land: ",
    "floor": "floor: ",
    "cash_in_lieu": "cash in lieu",
    "buyback": "floor area bought",
}
PAYER_ROLES = ("government", "entity", "developer")
BUILDER_ROLES = ("entity", "government", "community", "developer")
MARKET = "市场 market (buyers, builders, tenants)"
DEFAULT_FACTORS = (0.8, 0.9, 1.0, 1.1, 1.2)

FIN_LINE_COLUMNS = [
    "scenario", "project", "payer_type", "payer", "payee_type", "payee", "item",
    "quantity", "unit", "rate", "amount", "source", "verified",
]  # fmt: skip
CASHFLOW_COLUMNS = [
    "scenario", "project", "party_type", "party", "sales", "compensation_received", "compensation_paid",
    "premium_received", "premium_paid", "construction_paid", "payment_received", "payment_paid",
    "inflow", "outflow", "net_now", "annual_income", "years", "npv", "verified",
]  # fmt: skip
FLOOR_COLUMNS = ["scenario", "project", "party_type", "party", "use", "floor_area", "verified"]
FEASIBILITY_COLUMNS = [
    "scenario", "project", "entity", "floor_sold", "sale_price", "revenue", "cost", "profit",
    "margin", "required_margin", "break_even_price", "verdict", "verified",
]  # fmt: skip
SENSITIVITY_COLUMNS = [
    "scenario", "project", "price_factor", "far_factor", "sale_price", "floor_area", "floor_sold",
    "revenue", "cost", "profit", "margin", "feasible",
]  # fmt: skip
INCOME_COLUMNS = [
    "scenario", "project", "party_type", "party", "year", "cash", "discount_factor", "discounted", "verified",
]  # fmt: skip
TERMS_COLUMNS = [
    "scenario", "project", "term", "type", "floor_area", "builder", "owner", "count", "years",
    "source", "verified",
]  # fmt: skip
FIN_RECONCILE_COLUMNS = [
    "scenario", "project", "floor_available", "floor_allocated", "lines_total", "net_sum",
    "compensation_lines", "compensation_in_finance", "balanced",
]  # fmt: skip


# ---------------------------------------------------------------------------------------------
# the scenario's terms
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Facility:
    type: str
    floor_area: object  # Rate
    builder: str
    owner: str
    project: str | None
    where: str


@dataclass(frozen=True)
class Job:
    employer: str
    count: object  # Rate
    years: object  # Rate
    note: str
    where: str


@dataclass(frozen=True)
class FinanceTerms:
    entity: str
    premium_rules: Path
    benchmark_prices: Path
    land_use: str
    zone: str
    sale_price: object
    build_cost: object
    discount_rate: object
    years: int
    required_margin: object = None
    community_payment: object = None
    equity_share: object = None
    rental_yield: object = None
    price_factors: tuple = DEFAULT_FACTORS
    far_factors: tuple = DEFAULT_FACTORS
    payers: dict = field(default_factory=dict)
    facilities: tuple = ()
    jobs: tuple = ()
    where: str = ""


_FIN_KEYS = {
    "implementing_entity", "premium_rules", "benchmark_prices", "land_use", "zone", "sale_price",
    "build_cost", "discount_rate", "years", "required_margin", "community_payment", "equity_share",
    "rental_yield", "price_factors", "far_factors",
}  # fmt: skip
_FAC_KEYS = {"type", "floor_area", "builder", "owner", "project"}
_JOB_KEYS = {"employer", "count", "years", "note"}
SCENARIO_KEYS = ("finance", "payers", "facilities", "jobs")


def _tables(s: dict, key: str, p: tuple, probs, allowed, not_a_list: str) -> tuple[list, bool]:
    """The tables of the array ``[[scenario.KEY]]`` of scenario ``s`` (at path ``p``), each with its
    path, and whether they are well formed: ``not_a_list`` when it is not an array, an entry that is
    not a table or has a key outside ``allowed`` is reported (and a malformed entry left out)."""
    items = s.get(key, [])
    if not isinstance(items, list):
        probs.add(p + (key,), not_a_list)
        return [], False
    tables, ok = [], True
    for i, t in enumerate(items):
        tp = p + (key, i)
        if not isinstance(t, dict):
            probs.add(tp, tr("must be a table."))
            ok = False
            continue
        for k in t:
            if k not in allowed:
                probs.add(tp + (k,), tr("unknown key; expected {keys}.", keys=", ".join(sorted(allowed))))
                ok = False
        tables.append((tp, t))
    return tables, ok


def _text(v) -> bool:
    return isinstance(v, str) and bool(v.strip())


def _resolve_file(text: str, base: Path | None, sub: str) -> Path:
    from .rules import RULES_DIR

    p = Path(text)
    cands = [p] if p.is_absolute() else ([base / p] if base else []) + [RULES_DIR / sub / p, p]
    if not p.suffix:
        cands += [c.with_name(c.name + ".toml") for c in cands]
    for c in cands:
        if c.exists():
            return c
    return cands[0]


def parse_terms(s: dict, p: tuple, probs, example: bool, rate, base: Path | None) -> FinanceTerms | None:
    """The finance sections of one ``[[scenario]]`` (None when it has none).

    ``rate`` is the scenario file's rate reader (:func:`.scenarios._rate`); problems go to ``probs``.
    """
    if not any(k in s for k in SCENARIO_KEYS):
        return None
    fin = s.get("finance")
    if not isinstance(fin, dict):
        probs.add(
            p + ("finance",),
            tr("[scenario.payers], [[scenario.facilities]] and [[scenario.jobs]] need a [scenario.finance] "
               "table (implementing_entity, premium_rules, benchmark_prices, prices and rates)."),
        )  # fmt: skip
        return None
    q = p + ("finance",)
    for k in fin:
        if k not in _FIN_KEYS:
            probs.add(q + (k,), tr("unknown key; expected {keys}.", keys=", ".join(sorted(_FIN_KEYS))))
    ok = True
    for k in ("implementing_entity", "premium_rules", "benchmark_prices", "land_use", "zone"):
        if not _text(fin.get(k)):
            probs.add(q + (k,), tr("'{key}' is missing or empty; give it as text.", key=k))
            ok = False
    rates = {}
    for k, hi, need in (
        ("sale_price", None, True),
        ("build_cost", None, True),
        ("discount_rate", 1.0, True),
        ("required_margin", None, False),
        ("community_payment", None, False),
        ("equity_share", 1.0, False),
        ("rental_yield", 1.0, False),
    ):
        if k in fin:
            rates[k] = rate(fin[k], q + (k,), probs, example, 0.0, hi)
            ok &= rates[k] is not None
        elif need:
            probs.add(q, tr("'{key}' is missing: an officer input with its source (no default).", key=k))
            ok = False
    if "equity_share" in fin and "rental_yield" not in fin:
        probs.add(q + ("equity_share",), tr("equity_share needs rental_yield (annual rent / valuation)."))
        ok = False
    years = fin.get("years")
    if isinstance(years, bool) or not isinstance(years, int) or not 0 <= years <= MAX_YEARS:
        probs.add(
            q + ("years",),
            tr(
                "must be a whole number of years from 0 to {high}, got {value}.",
                high=MAX_YEARS,
                value=repr(years),
            ),
        )
        ok = False
    factors = {}
    for k in ("price_factors", "far_factors"):
        v = fin.get(k, list(DEFAULT_FACTORS))
        good = (
            isinstance(v, list)
            and v
            and all(
                isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x) and x > 0
                for x in v
            )
        )
        if not good:
            probs.add(q + (k,), tr("must be a list of positive numbers, e.g. [0.8, 1.0, 1.2]."))
            ok = False
        else:
            factors[k] = tuple(sorted(float(x) for x in v))
    entity = str(fin.get("implementing_entity", "")).strip()
    payers = {}
    ptab = s.get("payers", {})
    if not isinstance(ptab, dict):
        probs.add(p + ("payers",), tr('must be a table, e.g. land = "entity".'))
        ok = False
        ptab = {}
    for k, v in ptab.items():
        if k not in PAYER_KINDS:
            probs.add(p + ("payers", k), tr("unknown kind; expected {keys}.", keys=", ".join(PAYER_KINDS)))
            ok = False
        elif v not in PAYER_ROLES:
            probs.add(
                p + ("payers", k),
                tr("must be one of {roles}, got {value}.", roles=", ".join(PAYER_ROLES), value=repr(v)),
            )
            ok = False
        else:
            payers[k] = v
    dev = s.get("developer")
    if "developer" in payers.values() and not dev:
        probs.add(p + ("payers",), tr("a payer 'developer' needs the scenario's developer = \"...\"."))
        ok = False
    if entity == "developer" and not dev:
        probs.add(q + ("implementing_entity",), tr("'developer' needs the scenario's developer = \"...\"."))
        ok = False
    if entity == "community":
        for k in ("cash_in_lieu", "buyback"):
            if payers.get(k) == "entity":
                probs.add(
                    p + ("payers", k),
                    tr(
                        "the community is the implementing entity: it cannot pay the {kind} lines to itself.",
                        kind=k,
                    ),
                )
                ok = False
    facilities = []
    ftables, fine = _tables(
        s, "facilities", p, probs, _FAC_KEYS, tr("write each facility as [[scenario.facilities]].")
    )
    ok = ok and fine
    for fp, f in ftables:
        for k in ("type", "builder", "owner"):
            if not _text(f.get(k)):
                probs.add(fp + (k,), tr("'{key}' is missing or empty; give it as text.", key=k))
                ok = False
        for k in ("builder", "owner"):
            if _text(f.get(k)) and f[k] not in BUILDER_ROLES:
                probs.add(
                    fp + (k,),
                    tr(
                        "must be one of {roles}, got {value}.",
                        roles=", ".join(BUILDER_ROLES),
                        value=repr(f[k]),
                    ),
                )
                ok = False
            if f.get(k) == "developer" and not dev:
                probs.add(fp + (k,), tr("'developer' needs the scenario's developer = \"...\"."))
                ok = False
        if "project" in f and not _text(str(f["project"])):
            probs.add(fp + ("project",), tr("'{key}' is missing or empty; give it as text.", key="project"))
            ok = False
        fa = rate(f.get("floor_area"), fp + ("floor_area",), probs, example, 0.0)
        if fa is None:
            ok = False
            continue
        facilities.append(
            Facility(str(f.get("type", "")).strip(), fa, str(f.get("builder", "")), str(f.get("owner", "")),
                     str(f["project"]).strip() if "project" in f else None, probs.where(fp))
        )  # fmt: skip
    jobs = []
    jtables, fine = _tables(s, "jobs", p, probs, _JOB_KEYS, tr("write each commitment as [[scenario.jobs]]."))
    ok = ok and fine
    for jp, j in jtables:
        if not _text(j.get("employer")):
            probs.add(jp + ("employer",), tr("'{key}' is missing or empty; give it as text.", key="employer"))
            ok = False
        c = rate(j.get("count"), jp + ("count",), probs, example, 0.0)
        y = rate(j.get("years"), jp + ("years",), probs, example, 0.0)
        if c is None or y is None:
            ok = False
            continue
        jobs.append(Job(str(j.get("employer", "")).strip(), c, y, str(j.get("note", "")), probs.where(jp)))
    if not ok:
        return None
    return FinanceTerms(
        entity=entity,
        premium_rules=_resolve_file(fin["premium_rules"].strip(), base, "finance"),
        benchmark_prices=_resolve_file(fin["benchmark_prices"].strip(), base, "finance"),
        land_use=fin["land_use"].strip(),
        zone=fin["zone"].strip(),
        sale_price=rates["sale_price"],
        build_cost=rates["build_cost"],
        discount_rate=rates["discount_rate"],
        years=years,
        required_margin=rates.get("required_margin"),
        community_payment=rates.get("community_payment"),
        equity_share=rates.get("equity_share"),
        rental_yield=rates.get("rental_yield"),
        price_factors=factors["price_factors"],
        far_factors=factors["far_factors"],
        payers=payers,
        facilities=tuple(facilities),
        jobs=tuple(jobs),
        where=probs.where(q),
    )


def payer_kind(basis: str) -> str:
    """The kind of a compensation line (a key of :data:`PAYER_KINDS`) from its ``basis``."""
    for k, start in PAYER_KINDS.items():
        if basis.startswith(start):
            return k
    raise ValueError(basis)  # pragma: no cover - the core writes only these


def entity_party(sc, community: str | None) -> tuple:
    """(party_type, party) of the scenario's implementing entity (``community``: the block's)."""
    from ._parties import GOVERNMENT

    e = sc.finance.entity
    if e == "developer":
        return ("developer", sc.developer)
    if e == "government":
        return ("government", GOVERNMENT)
    if e == "community":
        return ("community", community)
    return ("entity", e)


def role_party(sc, role: str, community: str | None) -> tuple:
    """(party_type, party) of a role (government, entity, developer, community)."""
    from ._parties import GOVERNMENT

    if role == "government":
        return ("government", GOVERNMENT)
    if role == "developer":
        return ("developer", sc.developer)
    if role == "community":
        return ("community", community)
    return entity_party(sc, community)


def payer_of(sc, basis: str, community: str | None) -> tuple:
    """(party_type, party) paying a compensation line of the scenario (the government by default)."""
    from ._parties import GOVERNMENT

    if sc.finance is None:
        return ("government", GOVERNMENT)
    return role_party(sc, sc.finance.payers.get(payer_kind(basis), "government"), community)


# ---------------------------------------------------------------------------------------------
# premium: rule set and benchmark prices
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Premium:
    """Premium factors by category and the benchmark price, with whether each is verified."""

    factors: dict  # category -> float or None (empty)
    factors_ok: dict  # category -> bool
    price: float | None
    price_ok: bool
    source: str

    def rate(self, category: str) -> float | None:
        f = self.factors[category]
        return None if f is None or self.price is None else f * self.price

    def verified(self, category: str) -> bool:
        return bool(self.factors_ok[category] and self.price_ok)


def load_premium_rules(path):
    """Load a premium rule set; it must define a step ``premium_factor_<category>`` per category."""
    from .rules import load_rules

    rs = load_rules(path)
    miss = [f"premium_factor_{c}" for c in CATEGORIES if f"premium_factor_{c}" not in rs.steps]
    if miss:
        raise RuleError(
            tr(
                "Premium rule set '{path}' has no step {steps}; it must define premium_factor_<category> "
                "for {categories} (extend land_premium.toml).",
                path=path,
                steps=", ".join(miss),
                categories=", ".join(CATEGORIES),
            )
        )
    return rs


def premium_factors(rs) -> tuple[dict, dict]:
    """Each category's premium factor (None when a value it needs is empty) and whether verified."""
    from .rules.expr import MissingValue

    env = {k: (v.value if isinstance(v.value, float) else None) for k, v in rs.values.items()}
    factors, oks = {}, {}
    for c in CATEGORIES:
        step = rs.steps[f"premium_factor_{c}"]
        used = rs.uses([step.key])
        try:
            factors[c] = float(step.expr.evaluate(env))
        except MissingValue:
            factors[c] = None
        oks[c] = (
            factors[c] is not None
            and step.prov.verified
            and not rs.example
            and all(rs.values[n].verified for n in used if n in rs.values)
        )
    return factors, oks


def benchmark_price(path, use: str, zone: str) -> tuple[float | None, bool, str]:
    """The benchmark land price (yuan/m² of floor area) of ``use`` and ``zone`` from the table.

    The table (CSV, XLSX or a layer) has the columns use, zone, price, source, verified; an empty
    price is returned as None (not verified).
    """
    from .io.files import read_table

    p = Path(os.fspath(path))
    if not p.exists():
        raise RuleError(tr("Benchmark price table '{path}' does not exist. Check the path.", path=p))
    df = read_table(str(p))
    need = ["use", "zone", "price", "source", "verified"]
    miss = [c for c in need if c not in df.columns]
    if miss:
        raise RuleError(
            tr(
                "Benchmark price table '{path}' lacks the column(s) {columns}; it needs {need}.",
                path=p,
                columns=", ".join(miss),
                need=", ".join(need),
            )
        )
    rows = df[(df["use"].astype(str).str.strip() == use) & (df["zone"].astype(str).str.strip() == zone)]
    if len(rows) != 1:
        have = "; ".join(f"{u}/{z}" for u, z in zip(df["use"], df["zone"]))
        raise RuleError(
            tr(
                "Benchmark price table '{path}' has {count} row(s) for use '{use}' and zone '{zone}' "
                "(one is needed). Rows: {have}.",
                path=p,
                count=len(rows),
                use=use,
                zone=zone,
                have=have,
            )
        )
    r = rows.iloc[0]
    raw = r["price"]
    price = (
        None if raw is None or (isinstance(raw, float) and math.isnan(raw)) or str(raw).strip() == "" else raw
    )
    if price is not None:
        try:
            price = float(price)
        except ValueError:
            price = math.nan
        if not math.isfinite(price) or price < 0:
            raise RuleError(
                tr(
                    "Benchmark price table '{path}', use '{use}' zone '{zone}': price must be a number "
                    "of at least 0 (or empty when unknown), got {value}.",
                    path=p,
                    use=use,
                    zone=zone,
                    value=repr(raw),
                )
            )
    ver = str(r["verified"]).strip().lower() in ("1", "true", "yes")
    doc = str(r.get("document", "") or "").strip()
    src = " ".join(x for x in (doc, str(r["source"] or "").strip()) if x and x != "nan")
    return price, bool(ver and price is not None), f"{src} [{p.name}: {use}/{zone}]"


# ---------------------------------------------------------------------------------------------
# the model of one scenario and project
# ---------------------------------------------------------------------------------------------


def annuity_factor(rate: float, years: int) -> float:
    """Present value of 1 a year for ``years`` years at ``rate``: (1 - (1 + i)^-n) / i (n if i = 0)."""
    if years <= 0:
        return 0.0
    if rate == 0:
        return float(years)
    return (1 - (1 + rate) ** -years) / rate


@dataclass
class ProjectFloors:
    """The inputs of :func:`entity_economics` for one scenario and project (figures at FAR factor 1).

    ``floor``: planned floor area taken; ``buyback``: bought back by the government; ``shared``:
    shared floor area (bought-back part included; 0 when the quota trail has none); ``swap``: the
    holders' swap floor area; ``developer_share``: the developer's share of the community's floor
    area (0: no developer); ``facilities``: floor area of the facilities; ``facilities_by_entity``:
    of which the entity builds; ``equity_share``; ``developer_is_entity``; ``community_is_entity``.
    ``comp_paid``: compensation the entity pays; ``premium_factor``: per category (floor × benchmark
    price × factor); ``price``: benchmark land price; ``build_cost``; ``community_payment``.
    """

    floor: float
    buyback: float
    shared: float
    swap: float
    developer_share: float
    facilities: float
    facilities_by_entity: float
    equity_share: float
    developer_is_entity: bool
    community_is_entity: bool
    comp_paid: float
    premium_factor: dict
    price: float | None
    build_cost: float
    community_payment: float
    entity_pays_premium: bool = True  # False when the government implements (it pays itself nothing)

    def split(self, far: float = 1.0) -> dict:
        """Floor area by use at FAR factor ``far``: the planned floor area scaled, swaps, facilities fixed."""
        floor, buyback = self.floor * far, self.buyback * far
        shared = self.shared * far
        rest = floor - buyback - self.swap
        dev = rest * self.developer_share
        comm = rest - dev
        free = comm - self.facilities
        if free < -1e-6 * max(floor, 1.0):
            return {"infeasible": True, "why": "facilities", "floor": floor, "community": comm}
        free = max(free, 0.0)
        equity = free * self.equity_share
        sold = free - equity
        shared_kept = max(shared - buyback, 0.0)
        base = floor - buyback - shared_kept - self.facilities
        if base < -1e-6 * max(floor, 1.0):
            return {"infeasible": True, "why": "premium floor", "floor": floor, "community": comm}
        base = max(base, 0.0)
        return {
            "infeasible": False,
            "floor": floor,
            "buyback": buyback,
            "swap": self.swap,
            "developer": dev,
            "community": comm,
            "facilities": self.facilities,
            "equity": equity,
            "sold_by_entity": sold,
            "premium_floor": {
                "base": base,
                "shared": shared_kept,
                "buyback": buyback,
                "facilities": self.facilities,
            },
        }

    def premium(self, split: dict) -> float | None:
        total = 0.0
        for c, a in split["premium_floor"].items():
            f = self.premium_factor.get(c)
            if f is None or self.price is None:
                return None
            total += a * self.price * f
        return total


def entity_economics(pf: ProjectFloors, sale_price: float, far: float = 1.0) -> dict:
    """The entity's revenue, cost, profit and margin at ``sale_price`` and FAR factor ``far``.

    Cost = compensation paid + premium + construction (all floor area but the developer's own share
    when the developer is not the entity, and facilities others build) + community payment.
    ``profit`` is None when the premium is unknown (an empty rate or price); ``infeasible`` when the
    facilities do not fit in the community's floor area.
    """
    s = pf.split(far)
    if s["infeasible"]:
        return {"infeasible": True, "floor": s["floor"]}
    floor_sold = s["sold_by_entity"] + (s["developer"] if pf.developer_is_entity else 0.0)
    built = (
        s["floor"]
        - (0.0 if pf.developer_is_entity else s["developer"])
        - (pf.facilities - pf.facilities_by_entity)
    )
    premium = pf.premium(s) if pf.entity_pays_premium else 0.0
    pay = 0.0 if pf.community_is_entity else pf.community_payment * s["sold_by_entity"]
    revenue = floor_sold * sale_price
    out = {
        "infeasible": False,
        "floor": s["floor"],
        "floor_sold": floor_sold,
        "revenue": revenue,
        "premium": premium,
        "construction": built * pf.build_cost,
        "payment": pay,
        "split": s,
    }
    if premium is None:
        out.update(cost=None, profit=None, margin=None, break_even=None)
        return out
    cost = pf.comp_paid + premium + built * pf.build_cost + pay
    profit = revenue - cost
    out.update(
        cost=cost,
        profit=profit,
        margin=(profit / cost) if cost > 0 else None,
        break_even=(cost / floor_sold) if floor_sold > 0 else None,
    )
    return out


def break_even_price(pf: ProjectFloors, far: float = 1.0, margin: float = 0.0) -> float | None:
    """The sale price at which the entity's margin is ``margin`` (profit = margin × cost)."""
    e = entity_economics(pf, 0.0, far)
    if e.get("infeasible") or e.get("cost") is None or e["floor_sold"] <= 0:
        return None
    return e["cost"] * (1 + margin) / e["floor_sold"]


# ---------------------------------------------------------------------------------------------
# all scenarios
# ---------------------------------------------------------------------------------------------


@dataclass
class FinanceResult:
    lines: pd.DataFrame
    cashflow: pd.DataFrame
    floors: pd.DataFrame
    feasibility: pd.DataFrame
    sensitivity: pd.DataFrame
    income: pd.DataFrame
    terms: pd.DataFrame
    reconciliation: pd.DataFrame
    official: bool
    warnings: list = field(default_factory=list)

    def layers(self) -> dict:
        return {
            "finance_lines": self.lines,
            "finance_cashflow": self.cashflow,
            "finance_floor": self.floors,
            "finance_feasibility": self.feasibility,
            "finance_sensitivity": self.sensitivity,
            "finance_income": self.income,
            "scenario_terms": self.terms,
            "finance_reconciliation": self.reconciliation,
        }


def _project_facilities(sc, project, projects) -> list:
    out = []
    for f in sc.finance.facilities:
        if f.project is None:
            if len(projects) > 1:
                raise RuleError(
                    tr(
                        "Scenario {scenario} ({where}): the pieces hold {count} projects; give each facility "
                        'its project = "...".',
                        scenario=sc.id,
                        where=f.where,
                        count=len(projects),
                    )
                )
            out.append(f)
        elif f.project == str(project):
            out.append(f)
    return out


class _Rows:
    """The rows of the finance tables of one scenario and project."""

    def __init__(self, sc, project):
        self.sc, self.project = sc, project
        self.lines: list = []
        self.floors: list = []

    def add(self, payer, payee, item, quantity, unit, rate, amount, source, ok) -> None:
        self.lines.append(
            {
                "scenario": self.sc.id,
                "project": self.project,
                "payer_type": payer[0],
                "payer": payer[1],
                "payee_type": payee[0],
                "payee": payee[1],
                "item": item,
                "quantity": float(quantity),
                "unit": unit,
                "rate": np.nan if rate is None else float(rate),
                "amount": float(amount),
                "source": source,
                "verified": bool(ok),
            }
        )

    def floor(self, party, use, area, ok) -> None:
        self.floors.append(
            {
                "scenario": self.sc.id,
                "project": self.project,
                "party_type": party[0],
                "party": party[1],
                "use": use,
                "floor_area": float(area),
                "verified": bool(ok),
            }
        )


def _src(rate) -> str:
    return f"{rate.text()} [{rate.where}]"


def _quota_figures(qmap, pid, share: float) -> tuple:
    """Shared floor area, whether it and the quota results are verified, and the quota's facilities
    floor area (None: not in the trail) of the project's blocks."""
    from ._parties import id_key as _key

    shared, ok, fac = 0.0, True, None
    for (qp, _qc), q in qmap.items():
        if qp != _key(pid):
            continue
        v, v_ok = q.get("shared_floor_area", (None, True))
        if v is not None:
            shared += v * share
        ok &= v_ok
        for k in ("result.retained_area", "result.planned_floor_area", "buyback_floor_area"):
            ok &= q.get(k, (None, True))[1]
        fv = q.get("facilities_floor_area", (None, True))[0]
        if fv is not None:
            fac = (fac or 0.0) + fv * share
    return shared, ok, fac


def _check_facilities(sc, pid, facs, community, count) -> None:
    for f in facs:
        for role in (f.builder, f.owner):
            if role == "community" and community is None:
                raise RuleError(
                    tr(
                        "Scenario {scenario} ({where}): project {project} has {count} communities; "
                        'a facility built or owned by "community" is ambiguous. Name the builder and owner '
                        "by role: entity, government or developer.",
                        scenario=sc.id,
                        where=f.where,
                        project=pid,
                        count=count,
                    )
                )


def _meets(margin, required: float) -> bool:
    return (math.inf if margin is None else margin) >= required - 1e-12


def _project(result, sc, prem: Premium, pid, qmap, projects, years: int, fb, warnings: list) -> dict:
    """The finance rows of one scenario and project (see the module's description of the model)."""
    from ._parties import GOVERNMENT

    t = sc.finance
    example = result.scenarios.example
    pt = result.parties[(result.parties.scenario == sc.id) & (result.parties.project == pid)]
    lt = result.lines[(result.lines.scenario == sc.id) & (result.lines.project == pid)]
    rt = result.reconciliation[
        (result.reconciliation.scenario == sc.id) & (result.reconciliation.project == pid)
    ]
    cfloor = pt[pt.party_type == "community"].groupby("party", sort=False).floor_area.sum()
    comms = list(cfloor.index)
    if t.entity == "community" and len(comms) != 1:
        raise RuleError(
            tr(
                'Scenario {scenario}: implementing_entity = "community" needs exactly one community in '
                "project {project}, which has {count}; name the entity instead.",
                scenario=sc.id,
                project=pid,
                count=len(comms),
            )
        )
    community = comms[0] if len(comms) == 1 else None
    ctotal = float(cfloor.sum())
    weights = {k: (float(v) / ctotal if ctotal > 0 else 1.0 / len(cfloor)) for k, v in cfloor.items()}
    ent = entity_party(sc, community)
    dev = ("developer", sc.developer) if sc.developer else None
    gov = ("government", GOVERNMENT)
    market = ("market", MARKET)
    facs = _project_facilities(sc, pid, projects)
    _check_facilities(sc, pid, facs, community, len(comms))
    fac_total = float(sum(f.floor_area.value for f in facs))
    fac_ok = all(f.floor_area.verified for f in facs)
    floor = float(rt.floor_available.iloc[0])
    shared, quota_ok, fac_quota = _quota_figures(qmap, pid, sc.retained_share.value)
    if fac_quota is not None and facs and abs(fac_quota - fac_total) > 1e-6 * max(fac_total, 1.0):
        msg = tr(
            "Scenario {scenario}, project {project}: the facilities listed have {listed:,.2f} m² of floor "
            "area but the quota used facilities_floor_area = {quota:,.2f} m²; set facilities_floor_area "
            "to {listed:,.2f} in the rule set and run the quota again.",
            scenario=sc.id,
            project=pid,
            listed=fac_total,
            quota=fac_quota,
        )
        warnings.append(msg)
        fb.warning(msg)
    base_ok = quota_ok and sc.retained_share.verified
    rows = _Rows(sc, pid)
    comp_paid = 0.0
    for ln in lt.itertuples(index=False):
        payer = payer_of(sc, ln.basis, community)
        rows.add(payer, (ln.payee_type, ln.payee), f"compensation: {ln.basis}", ln.quantity, ln.unit, ln.rate,
                 ln.amount, ln.source, ln.verified)  # fmt: skip
        if payer == ent:
            comp_paid += float(ln.amount)
    pf = ProjectFloors(
        floor=floor,
        buyback=float(pt[pt.party_type == "government"].floor_area.sum()),
        shared=shared,
        swap=float(pt.swap_floor_area.sum()),
        developer_share=sc.developer_floor_share.value if sc.developer else 0.0,
        facilities=fac_total,
        facilities_by_entity=float(
            sum(f.floor_area.value for f in facs if role_party(sc, f.builder, community) == ent)
        ),
        equity_share=t.equity_share.value if t.equity_share else 0.0,
        developer_is_entity=(dev is not None and ent == dev),
        community_is_entity=(ent[0] == "community"),
        comp_paid=comp_paid,
        premium_factor=prem.factors,
        price=prem.price,
        build_cost=t.build_cost.value,
        community_payment=t.community_payment.value if t.community_payment else 0.0,
        entity_pays_premium=ent != gov,
    )
    split = pf.split(1.0)
    if split["infeasible"] and split["why"] == "facilities":
        raise InfeasibleError(
            tr(
                "Scenario {scenario}, project {project}: the facilities need {facilities:,.2f} m² of floor "
                "area but the community's floor area is {floor:,.2f} m². List fewer facilities or raise "
                "the floor area of the retained land.",
                scenario=sc.id,
                project=pid,
                facilities=fac_total,
                floor=ctotal,
            )
        )
    if split["infeasible"]:
        raise InfeasibleError(
            tr(
                "Scenario {scenario}, project {project}: the bought-back, shared and facilities floor area "
                "exceed the planned floor area {floor:,.2f} m²; check the quota and the facilities.",
                scenario=sc.id,
                project=pid,
                floor=floor,
            )
        )
    sp, bc = t.sale_price, t.build_cost
    e_ok = base_ok and sp.verified
    # floor area by use: every m² once
    for r in pt.itertuples(index=False):
        if r.swap_floor_area:
            rows.floor((r.party_type, r.party), "swap", r.swap_floor_area, r.verified)
    rows.floor(gov, "buyback", split["buyback"], base_ok)
    for f in facs:
        owner = role_party(sc, f.owner, community)
        rows.floor(owner, f"facility: {f.type}", f.floor_area.value, f.floor_area.verified and base_ok)
    eq_ok = base_ok and fac_ok and (t.equity_share is None or t.equity_share.verified)
    if t.equity_share is not None:
        for k, w in weights.items():
            rows.floor(("community", k), "equity", split["equity"] * w, eq_ok)
    sold = split["sold_by_entity"]
    rows.floor(ent, "sale: the community's floor area", sold, base_ok and fac_ok)
    if dev is not None:
        rows.floor(dev, "sale: own share", split["developer"], base_ok and sc.developer_floor_share.verified)
    # money: premium, construction, sales, payment to the communities
    for c in CATEGORIES:
        a, rate = split["premium_floor"][c], prem.rate(c)
        if a > 0 and rate is not None and ent != gov:
            ok = prem.verified(c) and base_ok and fac_ok
            rows.add(ent, gov, f"land premium: {c}", a, "m2", rate, a * rate, prem.source, ok)
    own_built = floor - (0.0 if pf.developer_is_entity or dev is None else split["developer"]) - fac_total
    rows.add(ent, market, "construction", own_built, "m2", bc.value, own_built * bc.value, _src(bc),
             bc.verified and base_ok)  # fmt: skip
    if dev is not None and not pf.developer_is_entity:
        a = split["developer"]
        rows.add(
            dev, market, "construction", a, "m2", bc.value, a * bc.value, _src(bc), bc.verified and base_ok
        )
    for f in facs:
        a = f.floor_area.value
        rows.add(role_party(sc, f.builder, community), market, f"facility construction: {f.type}", a, "m2",
                 bc.value, a * bc.value, _src(bc), bc.verified and f.floor_area.verified)  # fmt: skip
    item = "sale of the community's floor area"
    rows.add(market, ent, item, sold, "m2", sp.value, sold * sp.value, _src(sp), e_ok and fac_ok)
    if dev is not None:
        a = split["developer"]
        rows.add(market, dev, "sale of own share", a, "m2", sp.value, a * sp.value, _src(sp),
                 e_ok and sc.developer_floor_share.verified)  # fmt: skip
    if t.community_payment is not None and ent[0] != "community":
        cp = t.community_payment
        for k, w in weights.items():
            rows.add(ent, ("community", k), "payment for the community's floor area sold", sold * w, "m2",
                     cp.value, sold * w * cp.value, _src(cp), cp.verified and base_ok)  # fmt: skip
    # cash flow and income over time per party
    fl = pd.DataFrame(rows.lines, columns=FIN_LINE_COLUMNS)
    rents: dict = {}
    rent_ok = True
    if t.equity_share is not None:
        yld = t.rental_yield.value
        rents = {("community", k): split["equity"] * w * sp.value * yld for k, w in weights.items()}
        rent_ok = eq_ok and t.rental_yield.verified and e_ok
    rents[market] = -sum(rents.values())
    who = [(r.party_type, r.party) for r in pt.itertuples(index=False)] + [ent] + ([dev] if dev else [])
    i = t.discount_rate.value
    af = annuity_factor(i, years)
    cash, income = [], []
    parties_ok = True
    for party in list(dict.fromkeys(who + [market])):
        pays = fl[(fl.payer_type == party[0]) & (fl.payer == party[1])]
        gets = fl[(fl.payee_type == party[0]) & (fl.payee == party[1])]

        def part(df, prefix):
            return float(df[df.item.str.startswith(prefix)].amount.sum())

        annual = rents.get(party, 0.0)
        inflow, outflow = float(gets.amount.sum()), float(pays.amount.sum())
        net = inflow - outflow
        ok = bool(pays.verified.all() and gets.verified.all()) and t.discount_rate.verified and not example
        if annual:
            ok &= rent_ok
        if party != market:
            parties_ok &= ok
        cash.append(
            {
                "scenario": sc.id,
                "project": pid,
                "party_type": party[0],
                "party": party[1],
                "sales": part(gets, "sale"),
                "compensation_received": part(gets, "compensation"),
                "compensation_paid": part(pays, "compensation"),
                "premium_received": part(gets, "land premium"),
                "premium_paid": part(pays, "land premium"),
                "construction_paid": part(pays, "construction") + part(pays, "facility construction"),
                "payment_received": part(gets, "payment"),
                "payment_paid": part(pays, "payment"),
                "inflow": inflow,
                "outflow": outflow,
                "net_now": net,
                "annual_income": annual,
                "years": years,
                "npv": net + annual * af,
                "verified": ok,
            }
        )
        for y in range(years + 1 if annual else 1):
            c = net if y == 0 else annual
            d = (1 + i) ** -y
            row = {"scenario": sc.id, "project": pid, "party_type": party[0], "party": party[1], "year": y}
            income.append({**row, "cash": c, "discount_factor": d, "discounted": c * d, "verified": ok})
    # feasibility and sensitivity
    e = entity_economics(pf, sp.value)
    rm = t.required_margin.value if t.required_margin else 0.0
    f_ok = e_ok and fac_ok and bc.verified and all(prem.verified(c) for c in CATEGORIES) and not example
    f_ok &= all(x["verified"] for x in rows.lines if (x["payer_type"], x["payer"]) == ent)
    f_ok &= t.required_margin is None or t.required_margin.verified
    verdict = (
        "unknown" if e["profit"] is None else ("feasible" if _meets(e["margin"], rm) else "not feasible")
    )
    feas = {
        "scenario": sc.id,
        "project": pid,
        "entity": ent[1],
        "floor_sold": e["floor_sold"],
        "sale_price": sp.value,
        "revenue": e["revenue"],
        "cost": e["cost"],
        "profit": e["profit"],
        "margin": e["margin"],
        "required_margin": rm,
        "break_even_price": e["break_even"],
        "verdict": verdict,
        "verified": bool(f_ok),
    }
    sens = []
    for k_price in t.price_factors:
        for k_far in t.far_factors:
            x = entity_economics(pf, sp.value * k_price, k_far)
            row = {"scenario": sc.id, "project": pid, "price_factor": k_price, "far_factor": k_far,
                   "sale_price": sp.value * k_price, "floor_area": x["floor"]}  # fmt: skip
            if x["infeasible"]:
                row.update(dict.fromkeys(("floor_sold", "revenue", "cost", "profit", "margin"), np.nan))
                row["feasible"] = False
            else:
                row.update({k: x[k] for k in ("floor_sold", "revenue", "cost", "profit", "margin")})
                row["feasible"] = bool(x["profit"] is not None and _meets(x["margin"], rm))
            sens.append(row)
    # terms: facilities and jobs
    terms = []
    for f in facs:
        terms.append(
            {
                "scenario": sc.id,
                "project": pid,
                "term": "facility",
                "type": f.type,
                "floor_area": f.floor_area.value,
                "builder": role_party(sc, f.builder, community)[1],
                "owner": role_party(sc, f.owner, community)[1],
                "count": np.nan,
                "years": np.nan,
                "source": _src(f.floor_area),
                "verified": bool(f.floor_area.verified),
            }
        )
    for j in t.jobs:
        employer = role_party(sc, j.employer, community)[1] if j.employer in BUILDER_ROLES else j.employer
        terms.append(
            {
                "scenario": sc.id,
                "project": pid,
                "term": "jobs",
                "type": j.note,
                "floor_area": np.nan,
                "builder": employer,
                "owner": "",
                "count": j.count.value,
                "years": j.years.value,
                "source": _src(j.count),
                "verified": bool(j.count.verified and j.years.verified),
            }
        )
    # reconciliation: every m² and every yuan once
    floor_alloc = float(sum(r["floor_area"] for r in rows.floors))
    net_sum = float(sum(c["net_now"] for c in cash))
    comp_core = float(lt.amount.sum())
    comp_fin = float(fl[fl.item.str.startswith("compensation")].amount.sum())
    balanced = (
        abs(floor_alloc - floor) <= 1e-6 * max(floor, 1.0)
        and abs(net_sum) <= 1e-6 * max(float(fl.amount.abs().sum()), 1.0)
        and abs(sum(c["annual_income"] for c in cash)) <= 1e-6 * max(abs(rents[market]), 1.0)
        and abs(comp_core - comp_fin) <= 1e-6 * max(comp_core, 1.0)
    )
    rec = {
        "scenario": sc.id,
        "project": pid,
        "floor_available": floor,
        "floor_allocated": floor_alloc,
        "lines_total": float(fl.amount.sum()),
        "net_sum": net_sum,
        "compensation_lines": comp_core,
        "compensation_in_finance": comp_fin,
        "balanced": balanced,
    }
    if not balanced:  # pragma: no cover - a bug, not an input problem
        raise RuleError(
            tr(
                "Scenario {scenario}, project {project}: the totals do not reconcile: {totals}",
                scenario=sc.id,
                project=pid,
                totals=rec,
            )
        )
    return {
        "lines": rows.lines,
        "cash": cash,
        "floors": rows.floors,
        "feas": [feas],
        "sens": sens,
        "income": income,
        "terms": terms,
        "rec": [rec],
        "ok": parties_ok and f_ok,
    }


def scenario_finance(result, qmap: dict, *, years: int | None = None, feedback=None) -> FinanceResult | None:
    """The finance tables of the scenarios of ``result`` that have a ``[scenario.finance]``.

    ``result`` is the :class:`~.scenarios.ScenarioResult` of the scenarios (the party table, the
    compensation lines and the reconciliation); ``qmap`` the quota (:func:`.scenarios.read_quota`),
    for the shared and facilities floor area; ``years`` overrides each scenario's ``years``.
    Returns None when no scenario has a finance section.
    """
    from .feedback import Feedback

    fb = feedback or Feedback()
    sset = result.scenarios
    scen = [sc for sc in sset.scenarios if sc.finance is not None]
    if not scen:
        return None
    bad_years = isinstance(years, bool) or not isinstance(years, int) or not 0 <= years <= MAX_YEARS
    if years is not None and bad_years:
        raise RuleError(
            tr(
                "Years of income must be a whole number from 0 to {high}, got {value}.",
                high=MAX_YEARS,
                value=years,
            )
        )
    warnings: list = []
    out = {k: [] for k in ("lines", "cash", "floors", "feas", "sens", "income", "terms", "rec")}
    all_ok = not sset.example
    projects = list(dict.fromkeys(result.parties.project))
    cache: dict = {}
    for sc in scen:
        t = sc.finance
        key = (str(t.premium_rules), str(t.benchmark_prices), t.land_use, t.zone)
        if key not in cache:
            rs = load_premium_rules(t.premium_rules)
            factors, f_ok = premium_factors(rs)
            price, p_ok, psrc = benchmark_price(t.benchmark_prices, t.land_use, t.zone)
            cache[key] = Premium(factors, f_ok, price, p_ok, f"{rs.title} <{Path(rs.path).name}>; {psrc}")
        yrs = t.years if years is None else int(years)
        for f in t.facilities:
            if f.project is not None and f.project not in {str(p) for p in projects}:
                raise RuleError(
                    tr(
                        "Scenario {scenario} ({where}): the facility '{type}' is for project {project}, "
                        "which the pieces do not hold (they hold {projects}). Check the project code.",
                        scenario=sc.id,
                        where=f.where,
                        type=f.type,
                        project=f.project,
                        projects=", ".join(map(str, projects)),
                    )
                )
        for pid in projects:
            if not ((result.parties.scenario == sc.id) & (result.parties.project == pid)).any():
                continue
            got = _project(result, sc, cache[key], pid, qmap, projects, yrs, fb, warnings)
            all_ok &= got.pop("ok")
            for k, v in got.items():
                out[k].extend(v)
    res = FinanceResult(
        pd.DataFrame(out["lines"], columns=FIN_LINE_COLUMNS),
        pd.DataFrame(out["cash"], columns=CASHFLOW_COLUMNS),
        pd.DataFrame(out["floors"], columns=FLOOR_COLUMNS),
        pd.DataFrame(out["feas"], columns=FEASIBILITY_COLUMNS),
        pd.DataFrame(out["sens"], columns=SENSITIVITY_COLUMNS),
        pd.DataFrame(out["income"], columns=INCOME_COLUMNS),
        pd.DataFrame(out["terms"], columns=TERMS_COLUMNS),
        pd.DataFrame(out["rec"], columns=FIN_RECONCILE_COLUMNS),
        bool(all_ok),
        warnings,
    )
    for df, cols in (
        (res.feasibility, ("floor_sold", "revenue", "cost", "profit", "margin", "break_even_price")),
        (res.sensitivity, ("floor_sold", "revenue", "cost", "profit", "margin")),
    ):
        for c in cols:
            df[c] = df[c].astype(float)
    return res
