"""The finance tables of the scenarios: lines (every yuan with its payer and payee), cash flow and
income over time per party, floor area by use, feasibility, sensitivity, terms, reconciliation.

:func:`scenario_finance` loads each scenario's premium once and calls :func:`_project` per scenario
and project; :func:`_project` is an orchestrator of named phases, in the order the figures depend on
each other: :func:`_inputs` (the scenario's tables of the project, its communities and parties),
:func:`_facility_inputs` (facilities, floor area, quota figures), :func:`_compensation_rows`,
:func:`_floors_model` and :func:`_checked_split` (the floor area by use at FAR 1),
:func:`_floor_rows`, :func:`_money_rows`, :func:`_cash_and_income`, :func:`_feasibility`,
:func:`_sensitivity`, :func:`_terms_rows` and :func:`_reconcile`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import InfeasibleError, RuleError
from ..i18n import tr
from .model import CATEGORIES, ProjectFloors, annuity_factor, entity_economics
from .premium import Premium, scenario_premium
from .terms import BUILDER_ROLES, MAX_YEARS, entity_party, payer_of, role_party

MARKET = "市场 market (buyers, builders, tenants)"

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
    from .._parties import id_key as _key

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


@dataclass
class _Project:
    """One scenario and project being computed: its slices of the scenario tables, its communities
    (``community``: the one, or None when there are several), the parties, facilities and floor area."""

    sc: object
    pid: object
    example: bool
    pt: pd.DataFrame
    lt: pd.DataFrame
    rt: pd.DataFrame
    comms: list
    community: str | None
    ctotal: float
    weights: dict
    ent: tuple
    dev: tuple | None
    gov: tuple
    market: tuple
    facs: list = field(default_factory=list)
    fac_total: float = 0.0
    fac_ok: bool = True
    floor: float = 0.0
    shared: float = 0.0
    base_ok: bool = True
    e_ok: bool = True
    eq_ok: bool = True
    fl: pd.DataFrame | None = None
    rents: dict = field(default_factory=dict)

    @property
    def t(self):
        return self.sc.finance


def _project(result, sc, prem: Premium, pid, qmap, projects, years: int, fb, warnings: list) -> dict:
    """The finance rows of one scenario and project (see the package's description of the model)."""
    c = _inputs(result, sc, pid)
    _facility_inputs(c, projects, qmap, fb, warnings)
    rows = _Rows(sc, pid)
    comp_paid = _compensation_rows(c, rows)
    pf = _floors_model(c, prem, comp_paid)
    split = _checked_split(c, pf)
    _floor_rows(c, rows, split)
    _money_rows(c, rows, prem, pf, split)
    cash, income, parties_ok = _cash_and_income(c, rows, split, years)
    feas, f_ok = _feasibility(c, rows, prem, pf)
    sens = _sensitivity(c, pf)
    terms = _terms_rows(c)
    rec = _reconcile(c, rows, cash)
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


def _inputs(result, sc, pid) -> _Project:
    """The scenario's party table, lines and reconciliation of the project, its communities (each
    one's weight by floor area) and the parties; a community entity needs exactly one community."""
    from .._parties import GOVERNMENT

    t = sc.finance
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
    return _Project(
        sc=sc,
        pid=pid,
        example=result.scenarios.example,
        pt=pt,
        lt=lt,
        rt=rt,
        comms=comms,
        community=community,
        ctotal=ctotal,
        weights=weights,
        ent=entity_party(sc, community),
        dev=("developer", sc.developer) if sc.developer else None,
        gov=("government", GOVERNMENT),
        market=("market", MARKET),
    )


def _facility_inputs(c: _Project, projects, qmap, fb, warnings: list) -> None:
    """The project's facilities (checked), the floor area available, the shared floor area and
    whether the quota figures are verified; a warning when the quota used other facilities."""
    sc, pid = c.sc, c.pid
    c.facs = _project_facilities(sc, pid, projects)
    _check_facilities(sc, pid, c.facs, c.community, len(c.comms))
    c.fac_total = float(sum(f.floor_area.value for f in c.facs))
    c.fac_ok = all(f.floor_area.verified for f in c.facs)
    c.floor = float(c.rt.floor_available.iloc[0])
    c.shared, quota_ok, fac_quota = _quota_figures(qmap, pid, sc.retained_share.value)
    fac_total = c.fac_total
    if fac_quota is not None and c.facs and abs(fac_quota - fac_total) > 1e-6 * max(fac_total, 1.0):
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
    c.base_ok = quota_ok and sc.retained_share.verified


def _compensation_rows(c: _Project, rows: _Rows) -> float:
    """Each compensation line with the payer the scenario assigns; the amount the entity pays."""
    comp_paid = 0.0
    for ln in c.lt.itertuples(index=False):
        payer = payer_of(c.sc, ln.basis, c.community)
        rows.add(payer, (ln.payee_type, ln.payee), f"compensation: {ln.basis}", ln.quantity, ln.unit, ln.rate,
                 ln.amount, ln.source, ln.verified)  # fmt: skip
        if payer == c.ent:
            comp_paid += float(ln.amount)
    return comp_paid


def _floors_model(c: _Project, prem: Premium, comp_paid: float) -> ProjectFloors:
    """The inputs of the entity's economics (:class:`ProjectFloors`) of the project."""
    sc, t, pt = c.sc, c.t, c.pt
    return ProjectFloors(
        floor=c.floor,
        buyback=float(pt[pt.party_type == "government"].floor_area.sum()),
        shared=c.shared,
        swap=float(pt.swap_floor_area.sum()),
        developer_share=sc.developer_floor_share.value if sc.developer else 0.0,
        facilities=c.fac_total,
        facilities_by_entity=float(
            sum(f.floor_area.value for f in c.facs if role_party(sc, f.builder, c.community) == c.ent)
        ),
        equity_share=t.equity_share.value if t.equity_share else 0.0,
        developer_is_entity=(c.dev is not None and c.ent == c.dev),
        community_is_entity=(c.ent[0] == "community"),
        comp_paid=comp_paid,
        premium_factor=prem.factors,
        price=prem.price,
        prices={k: prem.price_of(k)[0] for k in CATEGORIES},
        build_cost=t.build_cost.value,
        community_payment=t.community_payment.value if t.community_payment else 0.0,
        entity_pays_premium=c.ent != c.gov,
    )


def _checked_split(c: _Project, pf: ProjectFloors) -> dict:
    """The floor area by use at FAR factor 1 (refused when the facilities or the premium floor do not fit)."""
    split = pf.split(1.0)
    if split["infeasible"] and split["why"] == "facilities":
        raise InfeasibleError(
            tr(
                "Scenario {scenario}, project {project}: the facilities need {facilities:,.2f} m² of floor "
                "area but the community's floor area is {floor:,.2f} m². List fewer facilities or raise "
                "the floor area of the retained land.",
                scenario=c.sc.id,
                project=c.pid,
                facilities=c.fac_total,
                floor=c.ctotal,
            )
        )
    if split["infeasible"]:
        raise InfeasibleError(
            tr(
                "Scenario {scenario}, project {project}: the bought-back, shared and facilities floor area "
                "exceed the planned floor area {floor:,.2f} m²; check the quota and the facilities.",
                scenario=c.sc.id,
                project=c.pid,
                floor=c.floor,
            )
        )
    return split


def _floor_rows(c: _Project, rows: _Rows, split: dict) -> None:
    """The floor area by use and party: every m² once (swaps, buy-back, facilities, equity, sales)."""
    sc, t, base_ok = c.sc, c.t, c.base_ok
    c.e_ok = base_ok and t.sale_price.verified
    for r in c.pt.itertuples(index=False):
        if r.swap_floor_area:
            rows.floor((r.party_type, r.party), "swap", r.swap_floor_area, r.verified)
    rows.floor(c.gov, "buyback", split["buyback"], base_ok)
    for f in c.facs:
        owner = role_party(sc, f.owner, c.community)
        rows.floor(owner, f"facility: {f.type}", f.floor_area.value, f.floor_area.verified and base_ok)
    c.eq_ok = base_ok and c.fac_ok and (t.equity_share is None or t.equity_share.verified)
    if t.equity_share is not None:
        for k, w in c.weights.items():
            rows.floor(("community", k), "equity", split["equity"] * w, c.eq_ok)
    rows.floor(c.ent, "sale: the community's floor area", split["sold_by_entity"], base_ok and c.fac_ok)
    if c.dev is not None:
        dev_ok = base_ok and sc.developer_floor_share.verified
        rows.floor(c.dev, "sale: own share", split["developer"], dev_ok)


def _money_rows(c: _Project, rows: _Rows, prem: Premium, pf: ProjectFloors, split: dict) -> None:
    """The money lines but compensation: premium, construction, sales, payment to the communities."""
    sc, t, ent, dev, market, base_ok = c.sc, c.t, c.ent, c.dev, c.market, c.base_ok
    sp, bc = t.sale_price, t.build_cost
    for cat in CATEGORIES:
        a, rate = split["premium_floor"][cat], prem.rate(cat)
        if a > 0 and rate is not None and ent != c.gov:
            ok = prem.verified(cat) and base_ok and c.fac_ok
            rows.add(ent, c.gov, f"land premium: {cat}", a, "m2", rate, a * rate, prem.source_of(cat), ok)
    own_built = c.floor - (0.0 if pf.developer_is_entity or dev is None else split["developer"]) - c.fac_total
    rows.add(ent, market, "construction", own_built, "m2", bc.value, own_built * bc.value, _src(bc),
             bc.verified and base_ok)  # fmt: skip
    if dev is not None and not pf.developer_is_entity:
        a = split["developer"]
        rows.add(
            dev, market, "construction", a, "m2", bc.value, a * bc.value, _src(bc), bc.verified and base_ok
        )
    for f in c.facs:
        a = f.floor_area.value
        rows.add(role_party(sc, f.builder, c.community), market, f"facility construction: {f.type}", a, "m2",
                 bc.value, a * bc.value, _src(bc), bc.verified and f.floor_area.verified)  # fmt: skip
    sold = split["sold_by_entity"]
    item = "sale of the community's floor area"
    rows.add(market, ent, item, sold, "m2", sp.value, sold * sp.value, _src(sp), c.e_ok and c.fac_ok)
    if dev is not None:
        a = split["developer"]
        rows.add(market, dev, "sale of own share", a, "m2", sp.value, a * sp.value, _src(sp),
                 c.e_ok and sc.developer_floor_share.verified)  # fmt: skip
    if t.community_payment is not None and ent[0] != "community":
        cp = t.community_payment
        for k, w in c.weights.items():
            rows.add(ent, ("community", k), "payment for the community's floor area sold", sold * w, "m2",
                     cp.value, sold * w * cp.value, _src(cp), cp.verified and base_ok)  # fmt: skip


def _cash_and_income(c: _Project, rows: _Rows, split: dict, years: int) -> tuple[list, list, bool]:
    """Each party's cash flow (net now, annual income, NPV) and income by year; whether every party's
    figures are verified (the market's aside)."""
    t, market = c.t, c.market
    c.fl = fl = pd.DataFrame(rows.lines, columns=FIN_LINE_COLUMNS)
    rents: dict = {}
    rent_ok = True
    if t.equity_share is not None:
        yld = t.rental_yield.value
        price = t.sale_price.value
        rents = {("community", k): split["equity"] * w * price * yld for k, w in c.weights.items()}
        rent_ok = c.eq_ok and t.rental_yield.verified and c.e_ok
    rents[market] = -sum(rents.values())
    c.rents = rents
    who = [(r.party_type, r.party) for r in c.pt.itertuples(index=False)]
    who += [c.ent] + ([c.dev] if c.dev else [])
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
        ok = bool(pays.verified.all() and gets.verified.all()) and t.discount_rate.verified and not c.example
        if annual:
            ok &= rent_ok
        if party != market:
            parties_ok &= ok
        cash.append(
            {
                "scenario": c.sc.id,
                "project": c.pid,
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
            cy = net if y == 0 else annual
            d = (1 + i) ** -y
            row = {"scenario": c.sc.id, "project": c.pid, "party_type": party[0], "party": party[1]}
            row["year"] = y
            income.append({**row, "cash": cy, "discount_factor": d, "discounted": cy * d, "verified": ok})
    return cash, income, parties_ok


def _feasibility(c: _Project, rows: _Rows, prem: Premium, pf: ProjectFloors) -> tuple[dict, bool]:
    """The entity's feasibility row (margin against the required margin, break-even sale price) and
    whether everything it rests on is verified."""
    t = c.t
    sp, bc = t.sale_price, t.build_cost
    e = entity_economics(pf, sp.value)
    rm = t.required_margin.value if t.required_margin else 0.0
    f_ok = c.e_ok and c.fac_ok and bc.verified and all(prem.verified(k) for k in CATEGORIES) and not c.example
    f_ok &= all(x["verified"] for x in rows.lines if (x["payer_type"], x["payer"]) == c.ent)
    f_ok &= t.required_margin is None or t.required_margin.verified
    verdict = (
        "unknown" if e["profit"] is None else ("feasible" if _meets(e["margin"], rm) else "not feasible")
    )
    feas = {
        "scenario": c.sc.id,
        "project": c.pid,
        "entity": c.ent[1],
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
    return feas, f_ok


def _sensitivity(c: _Project, pf: ProjectFloors) -> list:
    """The entity's economics over the grid of sale-price and FAR factors."""
    t = c.t
    sp = t.sale_price
    rm = t.required_margin.value if t.required_margin else 0.0
    sens = []
    for k_price in t.price_factors:
        for k_far in t.far_factors:
            x = entity_economics(pf, sp.value * k_price, k_far)
            row = {"scenario": c.sc.id, "project": c.pid, "price_factor": k_price, "far_factor": k_far,
                   "sale_price": sp.value * k_price, "floor_area": x["floor"]}  # fmt: skip
            if x["infeasible"]:
                row.update(dict.fromkeys(("floor_sold", "revenue", "cost", "profit", "margin"), np.nan))
                row["feasible"] = False
            else:
                row.update({k: x[k] for k in ("floor_sold", "revenue", "cost", "profit", "margin")})
                row["feasible"] = bool(x["profit"] is not None and _meets(x["margin"], rm))
            sens.append(row)
    return sens


def _terms_rows(c: _Project) -> list:
    """The terms table: each facility (floor area, builder, owner) and employment commitment."""
    sc, community = c.sc, c.community
    terms = []
    for f in c.facs:
        terms.append(
            {
                "scenario": sc.id,
                "project": c.pid,
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
    for j in c.t.jobs:
        employer = role_party(sc, j.employer, community)[1] if j.employer in BUILDER_ROLES else j.employer
        terms.append(
            {
                "scenario": sc.id,
                "project": c.pid,
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
    return terms


def _reconcile(c: _Project, rows: _Rows, cash: list) -> dict:
    """The reconciliation row: every m² and every yuan once (a failure is a bug, raised)."""
    fl, floor = c.fl, c.floor
    floor_alloc = float(sum(r["floor_area"] for r in rows.floors))
    net_sum = float(sum(x["net_now"] for x in cash))
    comp_core = float(c.lt.amount.sum())
    comp_fin = float(fl[fl.item.str.startswith("compensation")].amount.sum())
    balanced = (
        abs(floor_alloc - floor) <= 1e-6 * max(floor, 1.0)
        and abs(net_sum) <= 1e-6 * max(float(fl.amount.abs().sum()), 1.0)
        and abs(sum(x["annual_income"] for x in cash)) <= 1e-6 * max(abs(c.rents[c.market]), 1.0)
        and abs(comp_core - comp_fin) <= 1e-6 * max(comp_core, 1.0)
    )
    rec = {
        "scenario": c.sc.id,
        "project": c.pid,
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
                scenario=c.sc.id,
                project=c.pid,
                totals=rec,
            )
        )
    return rec


def scenario_finance(result, qmap: dict, *, years: int | None = None, feedback=None) -> FinanceResult | None:
    """The finance tables of the scenarios of ``result`` that have a ``[scenario.finance]``.

    ``result`` is the :class:`~.scenarios.ScenarioResult` of the scenarios (the party table, the
    compensation lines and the reconciliation); ``qmap`` the quota (:func:`.scenarios.read_quota`),
    for the shared and facilities floor area; ``years`` overrides each scenario's ``years``.
    Returns None when no scenario has a finance section.
    """
    from ..feedback import Feedback

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
    rules_cache: dict = {}
    price_cache: dict = {}
    for sc in scen:
        t = sc.finance
        prem = scenario_premium(sc, rules_cache, price_cache)
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
            got = _project(result, sc, prem, pid, qmap, projects, yrs, fb, warnings)
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
