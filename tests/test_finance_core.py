"""Who pays, land premium, feasibility, sensitivity, equity income over time, facilities and jobs
(allocation/finance.py through benefit_scenarios): hand-computed figures on a small case,
reconciliation of floor area and money (hypothesis), monotonicity, the annuity closed form."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from hearing_support import quota_table, write_scenarios  # tests/ is on sys.path (conftest.py)
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from shapely import box

from landcoord.allocation.errors import InfeasibleError, RuleError
from landcoord.allocation.finance import (
    annuity_factor,
    break_even_price,
    entity_economics,
    load_premium_rules,
    premium_factors,
)
from landcoord.allocation.rules import RULES_DIR
from landcoord.allocation.scenarios import benefit_scenarios, load_scenarios

FIN = RULES_DIR / "finance"
GOV = "政府 government"


def rate(v, verified=False, source="test decision 2024-01"):
    return f'{{value = {v}, source = "{source}", verified = {str(verified).lower()}}}'


def premium_rules(tmp_path, values, verified=False, name="premium.toml"):
    """A premium rule set extending the shipped one; values: {key: number}."""
    lines = [
        "[ruleset]",
        'id = "test-premium"',
        'title = "test premium"',
        f'extends = "{(FIN / "land_premium.toml").as_posix()}"',
    ]
    for k, v in values.items():
        lines += [
            f"[values.{k}]",
            f'label = "{k}"',
            f"value = {v}",
            'unit = "ratio"',
            'document = "test land-price rules"',
            'article = "art. 1"',
            'version = "2024"',
            'source = "https://example.org/rules"',
            f"verified = {str(verified).lower()}",
        ]
    if verified:  # the steps (formulas) checked as well
        for c in ("base", "shared", "buyback", "facilities"):
            lines += [
                f"[steps.premium_factor_{c}]",
                f'formula = "premium_rate_{c} * (1 - premium_discount_{c})"',
                'unit = "ratio"',
                'document = "test land-price rules"',
                'article = "art. 2"',
                'version = "2024"',
                'source = "https://example.org/rules"',
                "verified = true",
            ]
    p = tmp_path / name
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


def prices(tmp_path, price=2000, verified=False, name="prices.csv"):
    p = tmp_path / name
    p.write_text(
        "use,zone,price,source,verified\n"
        f"R,一级,{price},test price table 2024,{str(verified).lower()}\n"
        "M,一级,500,test price table 2024,false\n",
        encoding="utf-8",
    )
    return p


PREMIUM = {
    "premium_rate_base": 0.5,
    "premium_discount_base": 0.2,
    "premium_rate_shared": 1.0,
    "premium_discount_shared": 0.0,
    "premium_rate_buyback": 0.0,
    "premium_discount_buyback": 0.0,
    "premium_rate_facilities": 0.0,
    "premium_discount_facilities": 0.0,
}


def scenario(
    tmp_path,
    *,
    sid="S",
    verified=False,
    entity="实施主体 E",
    payers=None,
    equity=None,
    payment=1000,
    facilities=((500, "entity", "government"),),
    developer=None,
    swap=0.0,
    rules=None,
    price_table=None,
    finance=True,
    extra_fin="",
):
    v = verified
    lines = [
        "[[scenario]]",
        f'id = "{sid}"',
        f'name = "scenario {sid}"',
        f"retained_share = {rate(1.0, v)}",
        f"swap_ratio = {rate(swap, v)}",
        'swap_statuses = ["合法"]' if swap else "swap_statuses = []",
        f"buyback_price = {rate(5000, v)}",
    ]
    if developer is not None:
        lines += ['developer = "开发商 D"', f"developer_floor_share = {rate(developer, v)}"]
    lines += [
        "[scenario.land_rates]",
        f'"房地产证" = {rate(100, v)}',
        f'"未完善征转手续" = {rate(100, v)}',
        "[scenario.floor_rates]",
        f'"合法" = {rate(1000, v)}',
    ]
    if finance:
        lines += [
            "[scenario.finance]",
            f'implementing_entity = "{entity}"',
            f'premium_rules = "{rules}"',
            f'benchmark_prices = "{price_table}"',
            'land_use = "R"',
            'zone = "一级"',
            f"sale_price = {rate(10000, v)}",
            f"build_cost = {rate(3000, v)}",
            f"discount_rate = {rate(0.08, v)}",
            "years = 10",
            f"required_margin = {rate(0.15, v)}",
        ]
        if payment is not None:
            lines.append(f"community_payment = {rate(payment, v)}")
        if equity is not None:
            lines += [f"equity_share = {rate(equity, v)}", f"rental_yield = {rate(0.05, v)}"]
        if extra_fin:
            lines.append(extra_fin)
        if payers:
            lines.append("[scenario.payers]")
            lines += [f'{k} = "{r}"' for k, r in payers.items()]
        for area, builder, owner in facilities:
            lines += [
                "[[scenario.facilities]]",
                'type = "社区服务中心 community centre"',
                f"floor_area = {rate(area, v)}",
                f'builder = "{builder}"',
                f'owner = "{owner}"',
            ]
        lines += [
            "[[scenario.jobs]]",
            'employer = "entity"',
            f"count = {rate(40, v)}",
            f"years = {rate(5, v)}",
            'note = "物业管理 property management"',
        ]
    return "\n".join(lines) + "\n"


write = write_scenarios


def quota(rows, verified=True, shared=2000.0, facilities=500.0):
    return quota_table(rows, verified, {"shared_floor_area": shared, "facilities_floor_area": facilities})


@pytest.fixture
def small():
    """One project, one community: 4,000 m² 房地产证 of 张三 and 6,000 m² 未完善征转手续 of 李四."""
    pieces = gpd.GeoDataFrame(
        {
            "project": ["P1", "P1"],
            "parcel_id": ["A", "B"],
            "holder": ["张三", "李四"],
            "status": ["房地产证", "未完善征转手续"],
            "社区": ["东村", "东村"],
        },
        geometry=[box(0, 0, 40, 100), box(40, 0, 100, 100)],
        crs=4547,
    )
    pieces["piece_area"] = pieces.area
    pieces.attrs["name"] = "pieces"
    return pieces


QROWS = [("P1", "东村", 2000.0, 10000.0, 1000.0)]


def run(pieces, path, q=None, **kw):
    return benefit_scenarios(pieces, q if q is not None else quota(QROWS), path, community_field="社区", **kw)


def setup(tmp_path, verified=False, **kw):
    rules = premium_rules(tmp_path, PREMIUM, verified=verified)
    table = prices(tmp_path, verified=verified)
    return write(tmp_path, scenario(tmp_path, rules=rules, price_table=table, verified=verified, **kw))


# ---------------------------------------------------------------------------------------------
# hand-computed figures
# ---------------------------------------------------------------------------------------------


def test_premium_cash_flow_and_feasibility_by_hand(tmp_path, small):
    path = setup(tmp_path, payers={"land": "entity", "buyback": "government"}, equity=0.2)
    r = run(small, path)
    f = r.finance
    assert f is not None and not r.official
    # floor: 10,000 planned, 1,000 bought back, 500 facilities, 8,500 left: 20 % kept (1,700), 6,800 sold
    fl = f.floors.set_index("use")
    assert fl.loc["buyback", "floor_area"] == pytest.approx(1000)
    assert fl.loc["facility: 社区服务中心 community centre", "floor_area"] == pytest.approx(500)
    assert fl.loc["equity", "floor_area"] == pytest.approx(1700)
    assert fl.loc["sale: the community's floor area", "floor_area"] == pytest.approx(6800)
    assert f.floors.floor_area.sum() == pytest.approx(10000)
    # premium: base 10,000 - 1,000 bought back - (2,000 - 1,000) shared kept - 500 facilities = 7,500
    # at 2,000 x 0.5 x (1 - 0.2) = 800 yuan/m²; shared kept 1,000 at 2,000 x 1.0; others 0
    lines = f.lines.set_index("item")
    assert lines.loc["land premium: base", "quantity"] == pytest.approx(7500)
    assert lines.loc["land premium: base", "amount"] == pytest.approx(6_000_000)
    assert lines.loc["land premium: shared", "amount"] == pytest.approx(2_000_000)
    assert lines.loc["land premium: buyback", "amount"] == 0  # rate 0: the line says so
    assert (f.lines[f.lines.item.str.startswith("land premium")].payee == GOV).all()
    # who pays: land lines by the entity, the buy-back by the government
    comp = f.lines[f.lines.item.str.startswith("compensation")]
    land = comp[comp.item.str.startswith("compensation: land")]
    assert set(land.payer) == {"实施主体 E"} and land.amount.sum() == pytest.approx(1_000_000)
    bb = comp[comp.item.str.contains("bought back")]
    assert list(bb.payer) == [GOV] and bb.amount.sum() == pytest.approx(5_000_000)
    # the party table of the core follows the payer
    p = r.parties.set_index("party")
    assert p.loc["实施主体 E", "money"] == pytest.approx(-1_000_000)
    assert p.loc[GOV, "money"] == pytest.approx(-5_000_000)
    assert r.reconciliation.government_paid.iloc[0] == pytest.approx(5_000_000)
    # feasibility: cost = 1,000,000 compensation + 8,000,000 premium + 10,000 m² x 3,000 construction
    # + 6,800 m² x 1,000 community payment = 45,800,000; revenue 6,800 x 10,000 = 68,000,000
    fe = f.feasibility.iloc[0]
    assert fe.cost == pytest.approx(45_800_000)
    assert fe.revenue == pytest.approx(68_000_000)
    assert fe.profit == pytest.approx(22_200_000)
    assert fe.margin == pytest.approx(22.2 / 45.8)
    assert fe.break_even_price == pytest.approx(45_800_000 / 6800)
    assert fe.verdict == "feasible" and not fe.verified
    # cash flow per party
    cf = f.cashflow.set_index("party")
    assert cf.loc["实施主体 E", "net_now"] == pytest.approx(22_200_000)
    assert cf.loc["实施主体 E", "premium_paid"] == pytest.approx(8_000_000)
    assert cf.loc["实施主体 E", "construction_paid"] == pytest.approx(30_000_000)
    assert cf.loc[GOV, "net_now"] == pytest.approx(8_000_000 - 5_000_000)
    assert cf.loc["东村", "net_now"] == pytest.approx(5_000_000 + 6_800_000)
    assert cf.loc["张三", "net_now"] == pytest.approx(400_000)
    assert cf.loc["李四", "net_now"] == pytest.approx(600_000)
    # equity: 1,700 m² valued at 10,000 yuan/m², rent 5 % a year
    assert cf.loc["东村", "annual_income"] == pytest.approx(1700 * 10000 * 0.05)
    # terms: the facility and the jobs
    t = f.terms.set_index("term")
    assert t.loc["facility", "floor_area"] == 500 and t.loc["facility", "owner"] == GOV
    assert t.loc["jobs", "count"] == 40 and t.loc["jobs", "years"] == 5


def test_break_even_price_makes_the_margin_zero(tmp_path, small):
    r = run(small, setup(tmp_path, payers={"land": "entity"}, equity=0.2))
    fe = r.finance.feasibility.iloc[0]
    # a second run at the break-even price: profit 0
    text = (tmp_path / "scen.toml").read_text(encoding="utf-8")
    text = text.replace(f"sale_price = {rate(10000)}", f"sale_price = {rate(repr(fe.break_even_price))}")
    (tmp_path / "scen.toml").write_text(text, encoding="utf-8")
    r2 = run(small, tmp_path / "scen.toml")
    f2 = r2.finance.feasibility.iloc[0]
    assert f2.profit == pytest.approx(0.0, abs=1e-4) and f2.margin == pytest.approx(0.0, abs=1e-12)
    assert f2.verdict == "not feasible"  # below the required 15 %
    assert f2.break_even_price == pytest.approx(fe.break_even_price)


def test_equity_income_is_the_closed_form_annuity(tmp_path, small):
    r = run(small, setup(tmp_path, equity=0.2))
    cf = r.finance.cashflow.set_index("party")
    rent = 1700 * 10000 * 0.05
    i, n = 0.08, 10
    closed = rent * (1 - (1 + i) ** -n) / i
    assert cf.loc["东村", "npv"] == pytest.approx(cf.loc["东村", "net_now"] + closed, rel=1e-12)
    inc = r.finance.income
    com = inc[inc.party == "东村"].sort_values("year")
    assert list(com.year) == list(range(n + 1))
    assert com.discounted.sum() == pytest.approx(cf.loc["东村", "npv"], rel=1e-12)
    assert com[com.year > 0].cash.tolist() == pytest.approx([rent] * n)
    # the tenants (the market) pay the rent: every year adds up to zero
    for _y, g in inc[inc.year > 0].groupby("year"):
        assert g.cash.sum() == pytest.approx(0.0, abs=1e-6)
    assert annuity_factor(0.0, 7) == 7 and annuity_factor(0.05, 0) == 0


def test_years_parameter_overrides_the_file(tmp_path, small):
    r = run(small, setup(tmp_path, equity=0.2), years=3)
    cf = r.finance.cashflow.set_index("party")
    assert cf.loc["东村", "years"] == 3
    assert r.finance.income[r.finance.income.party == "东村"].year.max() == 3
    assert cf.loc["东村", "npv"] == pytest.approx(
        cf.loc["东村", "net_now"] + 850_000 * annuity_factor(0.08, 3)
    )


def test_sensitivity_is_monotone_in_price_and_far(tmp_path, small):
    r = run(small, setup(tmp_path, payers={"land": "entity"}, equity=0.2))
    s = r.finance.sensitivity
    assert len(s) == 25 and set(s.price_factor) == {0.8, 0.9, 1.0, 1.1, 1.2}
    for _far, g in s.groupby("far_factor"):
        g = g.sort_values("price_factor")
        assert (np.diff(g.profit) > 0).all() and (np.diff(g.margin) > 0).all()
        # feasible from some price on, never back
        flags = g.feasible.tolist()
        assert flags == sorted(flags)
    # the unit margin (sale price 8,000+ against 3,000 construction and ~1,000 premium) is positive:
    # more floor area, more profit
    for _price, g in s.groupby("price_factor"):
        g = g.sort_values("far_factor")
        assert (np.diff(g.profit) > 0).all()
        assert (np.diff(g.floor_area) > 0).all()
    base = s[(s.price_factor == 1.0) & (s.far_factor == 1.0)].iloc[0]
    assert base.profit == pytest.approx(r.finance.feasibility.profit.iloc[0])


def test_shipped_premium_rules_are_empty_and_give_no_verdict(tmp_path, small):
    rs = load_premium_rules(FIN / "land_premium.toml")
    factors, oks = premium_factors(rs)
    assert all(v is None for v in factors.values()) and not any(oks.values())
    assert all(v.empty and not v.prov.verified for v in rs.values.values())
    table = prices(tmp_path)
    path = write(tmp_path, scenario(tmp_path, rules=FIN / "land_premium.toml", price_table=table))
    r = run(small, path)
    fe = r.finance.feasibility.iloc[0]
    assert fe.verdict == "unknown" and math.isnan(fe.profit) and math.isnan(fe.break_even_price)
    assert not r.finance.lines.item.str.startswith("land premium").any()
    assert not r.official


def test_official_only_when_everything_is_verified(tmp_path, small):
    path = setup(tmp_path, verified=True, payers={"land": "entity"}, equity=0.2)
    r = run(small, path, official=True)
    assert r.official and r.finance.official
    assert r.finance.feasibility.verified.all() and r.finance.cashflow.verified.all()
    # one unverified figure of the finance section: refused
    text = path.read_text(encoding="utf-8").replace(
        f"build_cost = {rate(3000, True)}", f"build_cost = {rate(3000)}"
    )
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RuleError, match="finance_feasibility"):
        run(small, path, official=True)
    r = run(small, path)
    assert not r.official and not r.finance.feasibility.verified.any()
    # an unverified quota figure: nothing built on it is verified
    ok = setup(tmp_path, verified=True, payers={"land": "entity"}, equity=0.2)
    r = run(small, ok, quota(QROWS, verified=False))
    assert not r.official and not r.finance.feasibility.verified.any()
    assert not r.finance.floors.verified.any()
    # an unverified benchmark price
    path = setup(tmp_path, verified=True)
    prices(tmp_path, verified=False)
    r = run(small, path)
    assert not r.official and not r.finance.feasibility.verified.any()


def test_finance_keeps_the_core_figures(tmp_path, small):
    """A finance section with the government paying every line leaves the party table unchanged."""
    rules = premium_rules(tmp_path, PREMIUM)
    table = prices(tmp_path)
    plain = write(tmp_path, scenario(tmp_path, finance=False))
    a = run(small, plain)
    assert a.finance is None and set(a.layers()) == {
        "scenario_parties",
        "scenario_lines",
        "scenario_reconciliation",
    }
    b = run(small, write(tmp_path, scenario(tmp_path, rules=rules, price_table=table)))
    pd.testing.assert_frame_equal(a.parties, b.parties)
    pd.testing.assert_frame_equal(a.lines, b.lines)
    pd.testing.assert_frame_equal(a.reconciliation, b.reconciliation)
    assert "finance_feasibility" in b.layers() and "scenario_terms" in b.layers()


def test_developer_as_entity_with_swaps(tmp_path, small):
    buildings = gpd.GeoDataFrame({"fa": [1200.0], "st": ["合法"]}, geometry=[box(10, 10, 30, 40)], crs=4547)
    rules = premium_rules(tmp_path, PREMIUM)
    table = prices(tmp_path)
    text = scenario(
        tmp_path, rules=rules, price_table=table, entity="developer", developer=0.25, swap=1.0,
        payers={"land": "entity", "floor": "developer"}, payment=None,
    )  # fmt: skip
    r = benefit_scenarios(
        small, quota(QROWS), write(tmp_path, text), community_field="社区", buildings=buildings,
        floor_area_field="fa", building_status_field="st",
    )  # fmt: skip
    f = r.finance
    fl = f.floors
    # 10,000 - 1,000 bought back - 1,200 swapped = 7,800; developer 25 % = 1,950; community 5,850
    own = fl[fl.use == "sale: own share"].floor_area.sum()
    assert own == pytest.approx(1950)
    sold = fl[fl.use == "sale: the community's floor area"]
    assert sold.party.tolist() == ["开发商 D"] and sold.floor_area.sum() == pytest.approx(5850 - 500)
    assert fl.floor_area.sum() == pytest.approx(10000)
    fe = f.feasibility.iloc[0]
    assert fe.entity == "开发商 D" and fe.floor_sold == pytest.approx(1950 + 5350)
    # premium 7,500 base x 800 + 1,000 shared x 2,000; compensation 1,000,000 land (the 合法 building
    # is swapped, not paid); construction 10,000 m² x 3,000 (the developer builds all, the facility too)
    assert not r.lines.basis.str.startswith("floor: ").any()
    assert fe.cost == pytest.approx(8_000_000 + 1_000_000 + 30_000_000)
    assert fe.break_even_price == pytest.approx(fe.cost / 7300)


# ---------------------------------------------------------------------------------------------
# errors
# ---------------------------------------------------------------------------------------------


def test_file_problems_name_the_line_and_key(tmp_path):
    rules = premium_rules(tmp_path, PREMIUM)
    table = prices(tmp_path)
    text = scenario(tmp_path, rules=rules, price_table=table, equity=0.2, payers={"rent": "entity"})
    text = text.replace(f"sale_price = {rate(10000)}\n", "").replace(f"rental_yield = {rate(0.05)}\n", "")
    text += '[[scenario.facilities]]\ntype = "x"\nfloor_area = {value = 1, source = "s", verified = false}\n'
    text += 'builder = "mayor"\nowner = "government"\n'
    path = write(tmp_path, text)
    with pytest.raises(RuleError) as e:
        load_scenarios(path)
    msg = str(e.value)
    assert "'sale_price' is missing" in msg
    assert "equity_share needs rental_yield" in msg
    assert "scenario.0.payers.rent: unknown kind" in msg
    assert "builder: must be one of entity, government, community, developer" in msg
    assert "scen.toml line " in msg


def test_sections_without_finance_and_bad_tables(tmp_path, small):
    path = write(tmp_path, scenario(tmp_path, finance=False) + '[scenario.payers]\nland = "entity"\n')
    with pytest.raises(RuleError, match=r"need a \[scenario.finance\]"):
        load_scenarios(path)
    rules = premium_rules(tmp_path, PREMIUM)
    path = write(tmp_path, scenario(tmp_path, rules=rules, price_table=tmp_path / "none.csv"))
    with pytest.raises(RuleError, match="Benchmark price table .* does not exist"):
        run(small, path)
    table = prices(tmp_path)
    path = write(
        tmp_path, scenario(tmp_path, rules=rules, price_table=table).replace('zone = "一级"', 'zone = "九级"')
    )
    with pytest.raises(RuleError, match="has 0 row"):
        run(small, path)
    bad = tmp_path / "bad.toml"
    bad.write_text(
        '[ruleset]\nid = "b"\ntitle = "b"\nresults = ["x"]\n[steps.x]\nformula = "1"\nunit = "ratio"\n'
        'document = ""\narticle = ""\nversion = ""\nsource = ""\nverified = false\n',
        encoding="utf-8",
    )
    path = write(tmp_path, scenario(tmp_path, rules=bad, price_table=table))
    with pytest.raises(RuleError, match="no step premium_factor_base"):
        run(small, path)


def test_too_many_facilities_are_infeasible(tmp_path, small):
    rules = premium_rules(tmp_path, PREMIUM)
    table = prices(tmp_path)
    path = write(
        tmp_path,
        scenario(tmp_path, rules=rules, price_table=table, facilities=((9500, "entity", "government"),)),
    )
    with pytest.raises(InfeasibleError, match="the facilities need 9,500.00 m²"):
        run(small, path, quota(QROWS, facilities=9500.0))


def test_facilities_differing_from_the_quota_warn(tmp_path, small):
    r = run(small, setup(tmp_path), quota(QROWS, facilities=800.0))
    assert any("facilities_floor_area = 800.00" in w for w in r.warnings)


# ---------------------------------------------------------------------------------------------
# reconciliation (hypothesis)
# ---------------------------------------------------------------------------------------------


@st.composite
def cases(draw):
    n = draw(st.integers(2, 6))
    widths = draw(st.lists(st.floats(5, 60), min_size=n, max_size=n))
    comms = draw(st.lists(st.sampled_from(["东村", "西村"]), min_size=n, max_size=n))
    holders = draw(st.lists(st.sampled_from(["甲", "乙", "丙"]), min_size=n, max_size=n))
    statuses = draw(st.lists(st.sampled_from(["房地产证", "未完善征转手续"]), min_size=n, max_size=n))
    nb = draw(st.integers(0, 3))
    bx = draw(st.lists(st.floats(0, 0.9), min_size=nb, max_size=nb))
    bf = draw(st.lists(st.floats(10, 2000), min_size=nb, max_size=nb))
    planned = draw(st.floats(0.5, 4.0))
    bshare = draw(st.floats(0, 0.3))
    sc = {
        "share": draw(st.floats(0.5, 1.0)),
        "swap": draw(st.sampled_from([0.0, 0.5, 1.0])),
        "developer": draw(st.one_of(st.none(), st.floats(0, 0.5))),
        "equity": draw(st.one_of(st.none(), st.floats(0, 1))),
        "payment": draw(st.one_of(st.none(), st.floats(0, 5000))),
        "entity": draw(st.sampled_from(["named", "developer", "government"])),
        "payers": {
            k: draw(st.sampled_from(["government", "entity", "developer"]))
            for k in ("land", "floor", "cash_in_lieu", "buyback")
        },
        "facility": draw(st.floats(0, 200)),
        "builder": draw(st.sampled_from(["entity", "government", "developer"])),
        "owner": draw(st.sampled_from(["entity", "government", "developer"])),
        "price": draw(st.floats(1000, 50000)),
    }
    return widths, comms, holders, statuses, (bx, bf), planned, bshare, sc


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=cases())
def test_every_square_metre_and_yuan_once(tmp_path_factory, case):
    widths, comms, holders, statuses, (bx, bf), planned, bshare, sc = case
    d = tmp_path_factory.mktemp("f")
    edges = np.concatenate([[0.0], np.cumsum(widths)])
    pieces = gpd.GeoDataFrame(
        {"project": "P1", "parcel_id": [f"p{i}" for i in range(len(widths))], "holder": holders,
         "status": statuses, "comm": comms},
        geometry=[box(edges[i], 0, edges[i + 1], 100) for i in range(len(widths))],
        crs=4547,
    )  # fmt: skip
    pieces["piece_area"] = pieces.area
    buildings = gpd.GeoDataFrame(
        {"fa": bf, "st": ["合法"] * len(bf)},
        geometry=[box(x * edges[-1], 10, x * edges[-1] + 3, 13) for x in bx],
        crs=4547,
    )
    rows = []
    for c, g in pieces.groupby("comm"):
        land = float(g.piece_area.sum())
        rows.append(("P1", c, land * 0.3, land * 0.3 * planned, land * 0.3 * planned * bshare))
    q = quota(rows, shared=0.0, facilities=0.0)
    dev = sc["developer"]
    roles = [sc["entity"], *sc["payers"].values(), sc["builder"], sc["owner"]]
    if dev is None and "developer" in roles:
        dev = 0.1
    rules = premium_rules(d, PREMIUM)
    table = prices(d)
    entity = {"named": "实施主体 E", "developer": "developer", "government": "government"}[sc["entity"]]
    text = scenario(
        d, rules=rules, price_table=table, entity=entity, payers=sc["payers"], equity=sc["equity"],
        payment=sc["payment"], facilities=((sc["facility"], sc["builder"], sc["owner"]),), developer=dev,
        swap=sc["swap"],
    ).replace(f"sale_price = {rate(10000)}", f"sale_price = {rate(sc['price'])}")  # fmt: skip
    text = text.replace(f"retained_share = {rate(1.0)}", f"retained_share = {rate(sc['share'])}")
    text = text.replace("[scenario.land_rates]", f"cash_in_lieu_rate = {rate(700)}\n[scenario.land_rates]")
    path = write(d, text)
    try:
        r = benefit_scenarios(
            pieces, q, path, community_field="comm", buildings=buildings, floor_area_field="fa",
            building_status_field="st",
        )  # fmt: skip
    except InfeasibleError:
        assume(False)  # swaps or facilities larger than the retained floor area
    f = r.finance
    rec = r.reconciliation.iloc[0]
    # floor area: every m² of the planned floor area taken goes to one party, once
    assert f.floors.floor_area.sum() == pytest.approx(rec.floor_available, rel=1e-9, abs=1e-6)
    assert (f.floors.floor_area >= -1e-9).all()
    # land: the core's land adds up to the project's land
    assert r.parties.land_area.sum() == pytest.approx(pieces.piece_area.sum(), rel=1e-9)
    # money: each compensation line once, with one payer; every party's net plus the market's is zero
    comp = f.lines[f.lines.item.str.startswith("compensation")]
    assert len(comp) == len(r.lines)
    assert comp.amount.sum() == pytest.approx(r.lines.amount.sum(), rel=1e-9, abs=1e-6)
    scale = max(f.lines.amount.abs().sum(), 1.0)
    assert f.cashflow.net_now.sum() == pytest.approx(0.0, abs=1e-9 * scale)
    assert f.cashflow.annual_income.sum() == pytest.approx(0.0, abs=1e-9 * scale)
    for party, g in f.cashflow.groupby(["party_type", "party"]):
        paid = f.lines[(f.lines.payer_type == party[0]) & (f.lines.payer == party[1])].amount.sum()
        got = f.lines[(f.lines.payee_type == party[0]) & (f.lines.payee == party[1])].amount.sum()
        assert g.net_now.iloc[0] == pytest.approx(got - paid, rel=1e-9, abs=1e-6)
    # the core's party money follows the payers: what the parties paid equals the lines
    core_paid = -r.parties[r.parties.money < 0].money.sum()
    assert r.parties.money.sum() == pytest.approx(0.0, abs=1e-9 * max(core_paid, 1.0))
    assert bool(f.reconciliation.balanced.all())
    # the entity's cash flow is the feasibility's profit (a community entity also receives its lines)
    fe = f.feasibility.iloc[0]
    if sc["entity"] != "community" and not math.isnan(fe.profit):
        ent = f.cashflow[f.cashflow.party == fe.entity]
        assert ent.net_now.sum() == pytest.approx(fe.profit, rel=1e-9, abs=1e-6 * scale)
    # the break-even price gives a zero margin, and the feasibility row is the model's
    fe = f.feasibility.iloc[0]
    if not math.isnan(fe.break_even_price):
        from landcoord.allocation.finance import ProjectFloors  # noqa: F401 - the model used

        assert fe.revenue - fe.cost == pytest.approx(fe.profit, rel=1e-9, abs=1e-6)
        assert fe.floor_sold * fe.break_even_price == pytest.approx(fe.cost, rel=1e-9, abs=1e-6)


def test_entity_economics_break_even():
    from landcoord.allocation.finance import ProjectFloors

    pf = ProjectFloors(
        floor=10000, buyback=1000, shared=2000, swap=500, developer_share=0.2, facilities=300,
        facilities_by_entity=300, equity_share=0.1, developer_is_entity=False, community_is_entity=False,
        comp_paid=1e6, premium_factor={"base": 0.4, "shared": 1.0, "buyback": 0.0, "facilities": 0.0},
        price=2000.0, build_cost=3000.0, community_payment=500.0,
    )  # fmt: skip
    for far in (0.8, 1.0, 1.3):
        p = break_even_price(pf, far)
        e = entity_economics(pf, p, far)
        assert e["profit"] == pytest.approx(0.0, abs=1e-3) and e["margin"] == pytest.approx(0.0, abs=1e-12)
        p15 = break_even_price(pf, far, margin=0.15)
        assert entity_economics(pf, p15, far)["margin"] == pytest.approx(0.15)
    # margin increases with the sale price
    margins = [entity_economics(pf, p)["margin"] for p in (5000, 8000, 12000, 20000)]
    assert margins == sorted(margins) and len(set(margins)) == 4


def test_finance_chart(tmp_path, small):
    from landcoord.allocation.errors import OutputError
    from landcoord.report.charts import finance_chart

    r = run(small, setup(tmp_path, payers={"land": "entity"}, equity=0.2))
    out = finance_chart(r, tmp_path / "f.png")
    assert out.read_bytes()[:4] == b"\x89PNG"
    plain = run(small, write(tmp_path, scenario(tmp_path, finance=False)))
    with pytest.raises(OutputError, match="no finance chart"):
        finance_chart(plain, tmp_path / "g.png")
    assert not (tmp_path / "g.png").exists()


def test_community_as_implementing_entity(tmp_path, small):
    """The community implements: it pays the land lines, sells its floor area itself, pays itself nothing."""
    path = setup(tmp_path, entity="community", payers={"land": "entity"}, equity=0.2)
    r = run(small, path)
    f = r.finance
    fe = f.feasibility.iloc[0]
    assert fe.entity == "东村"
    assert not f.lines.item.str.startswith("payment").any()  # no payment to itself
    land = f.lines[f.lines.item.str.startswith("compensation: land")]
    assert set(land.payer) == {"东村"}
    sold = f.floors[f.floors.use == "sale: the community's floor area"]
    assert sold.party.tolist() == ["东村"] and sold.floor_area.sum() == pytest.approx(6800)
    # cost: 1,000,000 land + 8,000,000 premium + 30,000,000 construction (no payment)
    assert fe.cost == pytest.approx(39_000_000)
    cf = f.cashflow.set_index("party")
    assert cf.loc["东村", "net_now"] == pytest.approx(5_000_000 + 68_000_000 - 39_000_000)
    # a community paying the buy-back to itself is refused when the file is read
    bad = setup(tmp_path, entity="community", payers={"buyback": "entity"})
    with pytest.raises(RuleError, match="cannot pay the buyback lines to itself"):
        load_scenarios(bad)


def test_hearing_benefit_table_names_the_implementing_entity():
    """The hearing's benefit table labels the entity party (实施主体) and masks a person's name."""
    import hearing_support as hs  # tests/ is on sys.path (conftest.py)

    from landcoord.allocation.hearing import hearing_data

    _, _, _, result = hs.sample_frames()
    sc = hs.scenario_parties()
    sc = sc[sc["project"] == hs.PROJECT]
    extra = sc.iloc[:1].assign(party_type="entity", party="示例实施主体有限公司", money=-1.0)
    person = sc.iloc[:1].assign(scenario=sc.scenario.iloc[-1], party_type="entity", party="张伟", money=-2.0)
    data = hearing_data(result.pieces, **hs.hearing_arguments(scenarios=pd.concat([sc, extra, person])))
    rows = [r for r in data.benefits.rows if r[1] == "实施主体 implementing entity"]
    assert sorted(r[0] for r in rows) == sorted(["示例实施主体有限公司", "张*"])  # the person masked
    assert all(r[0] != "张伟" for r in data.benefits.rows)


def test_a_facility_of_an_unknown_project_is_an_error(tmp_path, small):
    rules = premium_rules(tmp_path, PREMIUM)
    table = prices(tmp_path)
    text = scenario(tmp_path, rules=rules, price_table=table).replace(
        'owner = "government"\n', 'owner = "government"\nproject = "P9"\n'
    )
    with pytest.raises(RuleError, match=r"for project P9, which the pieces do not hold \(they hold P1\)"):
        run(small, write(tmp_path, text))
