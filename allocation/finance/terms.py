"""The finance terms of a scenario: ``[scenario.finance]``, ``[scenario.payers]``,
``[[scenario.facilities]]`` and ``[[scenario.jobs]]`` read and checked (:func:`parse_terms`), and
who plays each role (the implementing entity, the payer of a compensation line).

:func:`parse_terms` is an orchestrator of named phases, each reading one part of the sections and
reporting its problems with their line and key: :func:`_finance_table`, :func:`_text_keys`,
:func:`_rates`, :func:`_years`, :func:`_factors`, :func:`_payers`, :func:`_role_checks`,
:func:`_facilities`, :func:`_jobs`; :func:`_build` makes the :class:`FinanceTerms`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

from ..i18n import tr, trn
from .model import CATEGORIES

#: Most years of income a scenario counts (a longer horizon is a typing error).
MAX_YEARS = 200

#: Kinds of compensation line a payer is assigned to, and the start of their ``basis``.
PAYER_KINDS = {
    "land": "land: ",
    "floor": "floor: ",
    "cash_in_lieu": "cash in lieu",
    "buyback": "floor area bought",
}
PAYER_ROLES = ("government", "entity", "developer")
BUILDER_ROLES = ("entity", "government", "community", "developer")
DEFAULT_FACTORS = (0.8, 0.9, 1.0, 1.1, 1.2)


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
    benchmark_prices: Path | None  # None: every use the categories need is priced by the scenario
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
    land_prices: dict = field(default_factory=dict)  # use -> Rate: the scenario's own benchmark prices
    category_uses: dict = field(default_factory=dict)  # floor category -> use (default: land_use)


_FIN_KEYS = {
    "implementing_entity", "premium_rules", "benchmark_prices", "land_use", "zone", "sale_price",
    "build_cost", "discount_rate", "years", "required_margin", "community_payment", "equity_share",
    "rental_yield", "price_factors", "far_factors", "land_prices", "category_uses",
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
    from ..rules import RULES_DIR

    p = Path(text)
    cands = [p] if p.is_absolute() else ([base / p] if base else []) + [RULES_DIR / sub / p, p]
    if not p.suffix:
        cands += [c.with_name(c.name + ".toml") for c in cands]
    for c in cands:
        if c.exists():
            return c
    return cands[0]


def _rules_path(text: str, base: Path | None) -> Path:
    """The premium rule set named by ``premium_rules``: resolved as every rule set's name is
    (:func:`~landcoord.allocation.rules.resolve_rules_path`: a path relative to the scenarios file,
    or a shipped rule set's name such as ``land_premium``); a name found nowhere is kept as a path
    for :func:`.premium.load_premium_rules` to report."""
    from ..errors import RuleError
    from ..rules import resolve_rules_path

    try:
        return resolve_rules_path(text, relative_to=base)
    except RuleError:
        return _resolve_file(text, base, "finance")


def parse_terms(s: dict, p: tuple, probs, example: bool, rate, base: Path | None) -> FinanceTerms | None:
    """The finance sections of one ``[[scenario]]`` (None when it has none).

    ``rate`` is the scenario file's rate reader (:func:`.scenarios._rate`); problems go to ``probs``.
    Every phase reports all of its problems before the terms are refused (None), so that one run
    lists every problem of the file.
    """
    if not any(k in s for k in SCENARIO_KEYS):
        return None
    fin = _finance_table(s, p, probs)
    if fin is None:
        return None
    q = p + ("finance",)
    ok = _text_keys(fin, q, probs)
    rates, fine = _rates(fin, q, probs, example, rate)
    ok &= fine
    prices, fine = _land_prices(fin, q, probs, example, rate)
    ok &= fine
    years, fine = _years(fin, q, probs)
    ok &= fine
    factors, fine = _factors(fin, q, probs)
    ok &= fine
    entity = str(fin.get("implementing_entity", "")).strip()
    payers, fine = _payers(s, p, probs)
    ok &= fine
    ok &= _role_checks(s, p, q, entity, payers, probs)
    facilities, fine = _facilities(s, p, probs, example, rate)
    ok = ok and fine
    jobs, fine = _jobs(s, p, probs, example, rate)
    ok = ok and fine
    if not ok:
        return None
    return _build(fin, base, entity, rates, prices, years, factors, payers, facilities, jobs, probs.where(q))


def _finance_table(s: dict, p: tuple, probs) -> dict | None:
    """The ``[scenario.finance]`` table (None, reported, when it is missing); unknown keys reported."""
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
    return fin


def _text_keys(fin: dict, q: tuple, probs) -> bool:
    """Whether the text keys (entity, premium rules, use, zone; the benchmark price table when
    given) are given."""
    ok = True
    for k in ("implementing_entity", "premium_rules", "benchmark_prices", "land_use", "zone"):
        if k == "benchmark_prices" and k not in fin:
            continue  # checked by _land_prices: needed unless the scenario prices every use itself
        if not _text(fin.get(k)):
            probs.add(q + (k,), tr("'{key}' is missing or empty; give it as text.", key=k))
            ok = False
    return ok


def _land_prices(fin: dict, q: tuple, probs, example: bool, rate) -> tuple[dict, bool]:
    """The scenario's own prices: ``land_prices`` (use -> benchmark land price, yuan per m² of floor
    area, with its source) and ``category_uses`` (floor category -> use; default ``land_use``). The
    benchmark price table is the default of every use the scenario does not price; without it,
    every use the categories need must be priced here."""
    ok = True
    own = {}
    lp = fin.get("land_prices", {})
    if not isinstance(lp, dict):
        probs.add(
            q + ("land_prices",),
            tr('must be a table of prices by use, e.g. R = {{value = ..., source = "...", verified = ...}}.'),
        )
        lp, ok = {}, False
    for use, entry in lp.items():
        r = rate(entry, q + ("land_prices", use), probs, example, 0.0)
        if r is None:
            ok = False
        else:
            own[str(use).strip()] = r
    uses = {}
    cu = fin.get("category_uses", {})
    if not isinstance(cu, dict):
        probs.add(
            q + ("category_uses",), tr('must be a table of uses by floor category, e.g. facilities = "G".')
        )
        cu, ok = {}, False
    for cat, use in cu.items():
        if cat not in CATEGORIES:
            probs.add(
                q + ("category_uses", cat),
                tr("unknown floor category; expected {keys}.", keys=", ".join(CATEGORIES)),
            )
            ok = False
        elif not _text(use):
            probs.add(
                q + ("category_uses", cat), tr("'{key}' is missing or empty; give it as text.", key=cat)
            )
            ok = False
        else:
            uses[cat] = use.strip()
    if "benchmark_prices" not in fin and _text(fin.get("land_use")):
        need = {uses.get(c, fin["land_use"].strip()) for c in CATEGORIES}
        unpriced = sorted(need - set(own))
        if unpriced:
            probs.add(
                q,
                trn(
                    "'benchmark_prices' is missing: name the benchmark price table, or give the price of "
                    "use {uses} in [scenario.finance.land_prices].",
                    "'benchmark_prices' is missing: name the benchmark price table, or give the price of "
                    "the {n} uses {uses} in [scenario.finance.land_prices].",
                    len(unpriced),
                    uses=", ".join(unpriced),
                ),
            )
            ok = False
    return {"land_prices": own, "category_uses": uses}, ok


def _rates(fin: dict, q: tuple, probs, example: bool, rate) -> tuple[dict, bool]:
    """The prices and rates of the finance table (the needed ones reported when missing)."""
    ok = True
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
    return rates, ok


def _years(fin: dict, q: tuple, probs) -> tuple[object, bool]:
    """The years of income counted (a whole number from 0 to :data:`MAX_YEARS`)."""
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
        return years, False
    return years, True


def _factors(fin: dict, q: tuple, probs) -> tuple[dict, bool]:
    """The sensitivity table's grids (price and FAR factors), sorted; the default when not given."""
    ok = True
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
    return factors, ok


def _payers(s: dict, p: tuple, probs) -> tuple[dict, bool]:
    """``[scenario.payers]``: the role paying each kind of compensation line."""
    ok = True
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
    return payers, ok


def _role_checks(s: dict, p: tuple, q: tuple, entity: str, payers: dict, probs) -> bool:
    """Whether the roles fit: a developer named when one pays or implements; the community, as the
    entity, paying itself nothing."""
    ok = True
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
    return ok


def _facilities(s: dict, p: tuple, probs, example: bool, rate) -> tuple[list, bool]:
    """``[[scenario.facilities]]``: each facility's type, roles, project and floor area."""
    dev = s.get("developer")
    facilities = []
    ftables, ok = _tables(
        s, "facilities", p, probs, _FAC_KEYS, tr("write each facility as [[scenario.facilities]].")
    )
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
    return facilities, ok


def _jobs(s: dict, p: tuple, probs, example: bool, rate) -> tuple[list, bool]:
    """``[[scenario.jobs]]``: each employment commitment's employer, count and years."""
    jobs = []
    jtables, ok = _tables(s, "jobs", p, probs, _JOB_KEYS, tr("write each commitment as [[scenario.jobs]]."))
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
    return jobs, ok


def _build(fin, base, entity, rates, prices, years, factors, payers, facilities, jobs, where) -> FinanceTerms:
    """The checked terms, the rule set and price table resolved against the scenarios file's folder."""
    table = fin.get("benchmark_prices")
    return FinanceTerms(
        entity=entity,
        premium_rules=_rules_path(fin["premium_rules"].strip(), base),
        benchmark_prices=_resolve_file(table.strip(), base, "finance") if table is not None else None,
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
        where=where,
        land_prices=prices["land_prices"],
        category_uses=prices["category_uses"],
    )


def payer_kind(basis: str) -> str:
    """The kind of a compensation line (a key of :data:`PAYER_KINDS`) from its ``basis``."""
    for k, start in PAYER_KINDS.items():
        if basis.startswith(start):
            return k
    raise ValueError(basis)  # pragma: no cover - the core writes only these


def entity_party(sc, community: str | None) -> tuple:
    """(party_type, party) of the scenario's implementing entity (``community``: the block's)."""
    from .._parties import GOVERNMENT

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
    from .._parties import GOVERNMENT

    if role == "government":
        return ("government", GOVERNMENT)
    if role == "developer":
        return ("developer", sc.developer)
    if role == "community":
        return ("community", community)
    return entity_party(sc, community)


def payer_of(sc, basis: str, community: str | None) -> tuple:
    """(party_type, party) paying a compensation line of the scenario (the government by default)."""
    from .._parties import GOVERNMENT

    if sc.finance is None:
        return ("government", GOVERNMENT)
    return role_party(sc, sc.finance.payers.get(payer_kind(basis), "government"), community)
