"""Who pays, land premium (地价), feasibility, equity income over time, facilities and jobs.

A scenario of a scenarios file (see :mod:`.scenarios`) may carry these optional sections::

    [scenario.finance]
    implementing_entity = "社区股份公司 community company"   # 实施主体: "developer" (the scenario's
                                 # developer), "community" (the project's community), "government",
                                 # or a name (a party of its own, party_type "entity")
    premium_rules = "land_premium"    # a rule set with steps premium_factor_<category>: a shipped
                                      # name or a path (relative to the scenarios file)
    benchmark_prices = "prices.csv"   # the project's table use, zone, price, source, verified (+
                                      # document, unit); optional when land_prices prices every use
    land_use = "R"                    # the row of the table: use and zone of the retained land
    zone = "一级"
    category_uses = {shared = "C"}    # optional: the use of a floor category (base, shared, buyback,
                                      # facilities) other than land_use
    land_prices = {C = {value = ..., source = "...", verified = ...}}   # optional: this scenario's own
                                      # benchmark land price of a use (yuan/m² of floor area), in
                                      # place of the table's row: scenarios that differ in price
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
  share and the facilities others build, at ``build_cost``; a category's benchmark price is that of
  its use (``category_uses``, else ``land_use``): the scenario's own (``land_prices``), else the
  table's. Buyers, builders and tenants are the market. Every yuan is one line with a payer and a
  payee: the parties' and the market's net amounts add up to zero.
* feasibility: the entity's profit = sales - (compensation paid + premium + construction +
  community payment), margin = profit / cost, break-even sale price = cost / floor area sold; a
  sensitivity table over sale price and FAR (the planned floor area scaled; facilities and swaps
  fixed).
* income over time: year 0 is each party's net of the lines; years 1..N the community's rent;
  discounted at ``discount_rate``: NPV = net now + rent x (1 - (1 + i)^-N) / i.

Every figure carries whether everything it rests on is verified. A scenario using an unverified
or empty value is not official.

What the package holds:

- :mod:`.terms` — the scenario's finance sections read and checked (:func:`parse_terms`, an
  orchestrator of one phase per part), :class:`FinanceTerms`, :class:`Facility`, :class:`Job`, and
  who plays each role (:func:`entity_party`, :func:`role_party`, :func:`payer_of`);
- :mod:`.premium` — the premium rule set's factors and the benchmark land price table
  (:class:`Premium`, :func:`load_premium_rules`, :func:`premium_factors`, :func:`benchmark_price`);
- :mod:`.model` — the entity's economics (:class:`ProjectFloors`, :func:`entity_economics`,
  :func:`break_even_price`, :func:`annuity_factor`): arithmetic only;
- :mod:`.tables` — the finance tables of all scenarios (:func:`scenario_finance`,
  :class:`FinanceResult`, the column lists), one phase function per table.

What it may import: numpy, pandas and the other modules of :mod:`landcoord.allocation` but
:mod:`landcoord.allocation.scenarios` (which imports this package: the scenario result arrives as an
argument); never QGIS, never :mod:`landcoord.report`. Within the package, :mod:`.model` imports no
sibling, :mod:`.terms` and :mod:`.premium` import only :mod:`.model` (the floor categories), and
only :mod:`.tables` imports them all.
"""

from __future__ import annotations

from .model import CATEGORIES, ProjectFloors, annuity_factor, break_even_price, entity_economics
from .premium import Premium, benchmark_price, load_premium_rules, premium_factors, scenario_premium
from .tables import (
    CASHFLOW_COLUMNS,
    FEASIBILITY_COLUMNS,
    FIN_LINE_COLUMNS,
    FIN_RECONCILE_COLUMNS,
    FLOOR_COLUMNS,
    INCOME_COLUMNS,
    MARKET,
    SENSITIVITY_COLUMNS,
    TERMS_COLUMNS,
    FinanceResult,
    scenario_finance,
)
from .terms import (
    BUILDER_ROLES,
    DEFAULT_FACTORS,
    MAX_YEARS,
    PAYER_KINDS,
    PAYER_ROLES,
    SCENARIO_KEYS,
    Facility,
    FinanceTerms,
    Job,
    entity_party,
    parse_terms,
    payer_kind,
    payer_of,
    role_party,
)

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

#: Names of the package that are not in ``__all__`` but that other modules import from it.
_ALSO = (BUILDER_ROLES, DEFAULT_FACTORS, MAX_YEARS, PAYER_ROLES, SCENARIO_KEYS, entity_party, payer_kind,
         payer_of, role_party, scenario_premium)  # fmt: skip
