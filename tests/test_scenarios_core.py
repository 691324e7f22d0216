"""Benefit-sharing scenarios: party figures, reconciliation (hypothesis), rates never defaulted,
unverified figures never official, the chart."""

from __future__ import annotations

import textwrap

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from hearing_support import quota_table, write_scenarios  # tests/ is on sys.path (conftest.py)
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from shapely import box

from landcoord.allocation.errors import InfeasibleError, RuleError
from landcoord.allocation.quota import retained_quota
from landcoord.allocation.rules import RULES_DIR
from landcoord.allocation.scenarios import (
    LINE_COLUMNS,
    PARTY_COLUMNS,
    benefit_scenarios,
    cjk_font,
    load_scenarios,
)
from landcoord.report.charts import scenario_chart

EXAMPLE = RULES_DIR / "scenarios" / "example_sample_scenarios.toml"
LAND_STATUSES = ["房地产证", "未完善征转手续", "国有储备用地"]
FLOOR_STATUSES = ["合法", "违法建筑"]


def rate(v, verified=True, source="test decision 2024-01"):
    return f'{{value = {v}, source = "{source}", verified = {str(verified).lower()}}}'


def scenario_text(
    sid="S",
    land=None,
    floor=None,
    share=1.0,
    swap=0.0,
    swap_statuses=(),
    cash=None,
    buyback=None,
    developer=None,
    verified=True,
):
    land = land if land is not None else dict.fromkeys(LAND_STATUSES, 100.0)
    floor = floor if floor is not None else dict.fromkeys(FLOOR_STATUSES, 1000.0)
    lines = [
        "[[scenario]]",
        f'id = "{sid}"',
        f'name = "scenario {sid}"',
        f"retained_share = {rate(share, verified)}",
        f"swap_ratio = {rate(swap, verified)}",
        f"swap_statuses = {list(swap_statuses)!r}".replace("'", '"'),
    ]
    if cash is not None:
        lines.append(f"cash_in_lieu_rate = {rate(cash, verified)}")
    if buyback is not None:
        lines.append(f"buyback_price = {rate(buyback, verified)}")
    if developer is not None:
        lines += ['developer = "开发商"', f"developer_floor_share = {rate(developer, verified)}"]
    lines.append("[scenario.land_rates]")
    lines += [f'"{k}" = {rate(v, verified)}' for k, v in land.items()]
    lines.append("[scenario.floor_rates]")
    lines += [f'"{k}" = {rate(v, verified)}' for k, v in floor.items()]
    return "\n".join(lines) + "\n"


@pytest.fixture
def village():
    pieces = gpd.GeoDataFrame(
        {
            "project": ["P1"] * 4,
            "parcel_id": list("ABCD"),
            "holder": ["张三", "李四", "社区公司", "国土储备中心"],
            "status": ["房地产证", "未完善征转手续", "未完善征转手续", "国有储备用地"],
            "社区": ["东村", "东村", "东村", "东村"],
        },
        geometry=[box(0, 0, 40, 100), box(40, 0, 100, 100), box(100, 0, 150, 100), box(150, 0, 200, 100)],
        crs=4547,
    )
    pieces["piece_area"] = pieces.area
    pieces.attrs["name"] = "pieces"
    buildings = gpd.GeoDataFrame(
        {"建筑面积": [3000.0, 1000.0, 500.0], "合法状态": ["合法", "违法建筑", "合法"]},
        geometry=[box(10, 10, 30, 60), box(50, 10, 90, 30), box(110, 10, 130, 30)],
        crs=4547,
    )
    buildings.attrs["name"] = "buildings"
    return pieces, buildings


def run(village, path, quota=None, **kw):
    pieces, buildings = village
    quota = quota if quota is not None else quota_table([("P1", "东村", 6000.0, 20000.0, 1000.0)])
    return benefit_scenarios(
        pieces,
        quota,
        path,
        community_field="社区",
        buildings=buildings,
        floor_area_field="建筑面积",
        building_status_field="合法状态",
        **kw,
    )


def test_party_figures_of_a_cash_scenario(tmp_path, village):
    path = write_scenarios(tmp_path, scenario_text("A", buyback=5000.0))
    r = run(village, path)
    assert list(r.parties.columns) == PARTY_COLUMNS and list(r.lines.columns) == LINE_COLUMNS
    p = r.parties.set_index("party")
    assert p.loc["政府 government", "land_area"] == pytest.approx(20_000 - 6_000)
    assert p.loc["东村", "land_area"] == pytest.approx(6_000)
    assert p.loc["政府 government", "floor_area"] == pytest.approx(1_000)  # the buy-back
    assert p.loc["东村", "floor_area"] == pytest.approx(19_000)
    # land: 4,000 m2 of 房地产证 at 100; buildings: 3,000 m2 合法 at 1,000 on 张三's parcel
    assert p.loc["张三", "money"] == pytest.approx(4_000 * 100 + 3_000 * 1_000)
    assert p.loc["李四", "money"] == pytest.approx(6_000 * 100 + 1_000 * 1_000)
    assert p.loc["国土储备中心", "money"] == pytest.approx(5_000 * 100)
    assert p.loc["东村", "money"] == pytest.approx(1_000 * 5_000)  # buy-back paid to the community
    assert p.loc["政府 government", "money"] == pytest.approx(-r.lines.amount.sum())
    assert r.parties.verified.all() and r.official
    assert r.reconciliation.balanced.all()
    line = r.lines[r.lines.basis == "land: 房地产证"].iloc[0]
    assert line.rate == 100 and "test decision 2024-01" in line.source and "scen.toml line" in line.source


def test_swap_replaces_cash_for_eligible_buildings(tmp_path, village):
    path = write_scenarios(tmp_path, scenario_text("B", swap=1.2, swap_statuses=["合法"], buyback=5000.0))
    r = run(village, path)
    p = r.parties.set_index("party")
    assert p.loc["张三", "swap_floor_area"] == pytest.approx(3_000 * 1.2)
    assert p.loc["社区公司", "swap_floor_area"] == pytest.approx(500 * 1.2)
    assert p.loc["张三", "money"] == pytest.approx(4_000 * 100)  # no cash for the swapped floor area
    assert p.loc["李四", "money"] == pytest.approx(6_000 * 100 + 1_000 * 1_000)  # 违法建筑 is not swapped
    assert p.loc["东村", "floor_area"] == pytest.approx(20_000 - 1_000 - 3_500 * 1.2)
    assert not (r.lines.basis == "floor: 合法").any()


def test_part_cash_in_lieu_and_developer(tmp_path, village):
    path = write_scenarios(
        tmp_path, scenario_text("C", share=0.75, cash=2000.0, developer=0.4, buyback=5000.0)
    )
    r = run(village, path)
    p = r.parties.set_index("party")
    assert p.loc["东村", "land_area"] == pytest.approx(6_000 * 0.75)
    assert p.loc["政府 government", "land_area"] == pytest.approx(20_000 - 4_500)
    cash = r.lines[r.lines.basis == "cash in lieu of retained land"]
    assert cash.amount.sum() == pytest.approx(1_500 * 2_000)
    after_buyback = 20_000 * 0.75 - 1_000 * 0.75
    assert p.loc["开发商", "floor_area"] == pytest.approx(after_buyback * 0.4)
    assert p.loc["东村", "floor_area"] == pytest.approx(after_buyback * 0.6)
    rec = r.reconciliation.iloc[0]
    assert rec.floor_available == pytest.approx(15_000) and rec.floor_received == pytest.approx(15_000)


def test_missing_rates_are_never_defaulted(tmp_path, village):
    path = write_scenarios(tmp_path, scenario_text("A", land={"房地产证": 100.0, "国有储备用地": 0.0}))
    with pytest.raises(RuleError) as e:
        run(village, path)
    assert "no land rate for status '未完善征转手续' (2 pieces, 11,000.00 m²)" in str(e.value)
    path = write_scenarios(tmp_path, scenario_text("A", floor={"合法": 10.0}))
    with pytest.raises(RuleError, match="no floor rate for building status '违法建筑'"):
        run(village, path)


def test_scenario_file_errors_name_line_and_key(tmp_path):
    text = (
        '[scenarios]\ntitle = "t"\n\n[[scenario]]\nid = "A"\n'
        'retained_share = {value = 1.5, source = "x", verified = false}\n'
        "swap_ratio = {value = 0, verified = false}\n[scenario.land_rates]\n"
        '"房地产证" = {value = "lots", source = "x", verified = false}\n'
    )
    p = tmp_path / "bad.toml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(RuleError) as e:
        load_scenarios(p)
    msg = str(e.value)
    assert "bad.toml line 6: scenario.0.retained_share.value: must be between 0.0 and 1.0" in msg
    assert "bad.toml line 7: scenario.0.swap_ratio.source: every rate needs its source" in msg
    assert "bad.toml line 9: scenario.0.land_rates.房地产证.value: must be a finite number" in msg


def test_example_file_cannot_hold_verified_rates(tmp_path):
    path = write_scenarios(tmp_path, scenario_text("A"), example=True)
    with pytest.raises(RuleError, match="an example file"):
        load_scenarios(path)


def test_more_scenario_file_checks(tmp_path):
    for text, fragment in (
        (scenario_text("A", share=0.5), "needs cash_in_lieu_rate"),
        (scenario_text("A") + scenario_text("A"), "used twice"),
        (scenario_text("A").replace('id = "A"', 'id = "A"\ndeveloper = "D"'), "needs developer_floor_share"),
        (scenario_text("A").replace('name = "scenario A"', 'nmae = "x"'), "unknown key"),
    ):
        with pytest.raises(RuleError, match=fragment):
            load_scenarios(write_scenarios(tmp_path, text))


def test_shipped_example_is_marked_and_never_official(village):
    sset = load_scenarios(EXAMPLE)
    assert sset.example and "EXAMPLE" in sset.title
    for s in sset.scenarios:
        rates = list(s.land_rates.values()) + list(s.floor_rates.values()) + [s.retained_share, s.swap_ratio]
        assert all(not r.verified for r in rates)
    r = run(village, EXAMPLE)
    assert not r.official and not r.parties.verified.any()
    assert r.reconciliation.balanced.all()
    with pytest.raises(RuleError, match="EXAMPLE"):
        run(village, EXAMPLE, official=True)


def test_unverified_quota_or_rate_makes_party_rows_unverified(tmp_path, village):
    path = write_scenarios(tmp_path, scenario_text("A", buyback=1.0))
    r = run(village, path, quota=quota_table([("P1", "东村", 6000.0, 20000.0, 1000.0)], verified=False))
    assert not r.official
    p = r.parties.set_index("party")
    assert not p.loc["东村", "verified"] and not p.loc["政府 government", "verified"]
    assert p.loc["张三", "verified"]  # paid at verified rates, whatever the quota
    path = write_scenarios(
        tmp_path,
        scenario_text("A", buyback=1.0).replace(
            '"违法建筑" = {value = 1000.0, source = "test decision 2024-01", verified = true}',
            '"违法建筑" = {value = 1000.0, source = "draft", verified = false}',
        ),
    )
    r = run(village, path)
    p = r.parties.set_index("party")
    assert not p.loc["李四", "verified"] and p.loc["张三", "verified"]
    with pytest.raises(RuleError, match="李四"):
        run(village, path, official=True)


def test_buyback_without_price_is_reported(tmp_path, village):
    path = write_scenarios(tmp_path, scenario_text("A"))
    r = run(village, path)
    assert any("no buyback_price" in w for w in r.warnings)
    assert not r.parties.set_index("party").loc["政府 government", "verified"]


def test_quota_problems(tmp_path, village):
    path = write_scenarios(tmp_path, scenario_text("A", buyback=1.0))
    with pytest.raises(RuleError, match="no result for project P1 / community 东村"):
        run(village, path, quota=quota_table([("P1", "西村", 6000.0, 20000.0, 0.0)]))
    with pytest.raises(RuleError, match="is empty"):
        run(village, path, quota=quota_table([("P1", "东村", None, 20000.0, 0.0)]))
    with pytest.raises(InfeasibleError, match="larger than the land"):
        run(village, path, quota=quota_table([("P1", "东村", 30000.0, 20000.0, 0.0)]))
    swap = write_scenarios(tmp_path, scenario_text("B", swap=10.0, swap_statuses=["合法"], buyback=1.0))
    with pytest.raises(InfeasibleError, match="property swap needs"):
        run(village, swap, quota=quota_table([("P1", "东村", 6000.0, 20000.0, 0.0)]))


def test_quota_trail_of_the_quota_step_is_read(tmp_path, village):
    """The real trail (CSV round trip: text ids, text booleans) feeds the scenarios."""
    pieces, buildings = village
    z = gpd.GeoDataFrame({"k": ["R2"]}, geometry=[box(-1, -1, 300, 300)], crs=4547)
    q = retained_quota(
        pieces,
        "shenzhen_example",
        community_field="社区",
        zoning=z,
        zoning_field="k",
        buildings=buildings,
        floor_area_field="建筑面积",
    )
    csv = tmp_path / "quota.csv"
    q.trail.to_csv(csv, index=False)
    from landcoord.allocation.io.files import read_table

    r = run(village, EXAMPLE, quota=read_table(csv))
    s = q.summary.iloc[0]
    p = r.parties[r.parties.scenario == "A"].set_index("party")
    assert p.loc["东村", "land_area"] == pytest.approx(s.retained_area)
    assert p.loc["政府 government", "land_area"] == pytest.approx(s.government_land)


# ---------------------------------------------------------------------------------------------
# reconciliation, property-based
# ---------------------------------------------------------------------------------------------


@st.composite
def cases(draw):
    n = draw(st.integers(2, 12))
    projects = draw(st.lists(st.sampled_from(["P1", "P2"]), min_size=n, max_size=n))
    comms = draw(st.lists(st.sampled_from(["东村", "西村", None]), min_size=n, max_size=n))
    holders = draw(st.lists(st.sampled_from(["甲", "乙", "丙", None]), min_size=n, max_size=n))
    statuses = draw(st.lists(st.sampled_from(LAND_STATUSES), min_size=n, max_size=n))
    widths = draw(st.lists(st.floats(1, 80), min_size=n, max_size=n))
    nb = draw(st.integers(0, 6))
    bx = draw(st.lists(st.floats(0, 1), min_size=nb, max_size=nb))
    bw = draw(st.lists(st.floats(0.5, 30), min_size=nb, max_size=nb))
    bf = draw(st.lists(st.floats(0, 5000), min_size=nb, max_size=nb))
    bs = draw(st.lists(st.sampled_from(FLOOR_STATUSES), min_size=nb, max_size=nb))
    quota_share = draw(st.floats(0, 1))
    planned = draw(st.floats(0, 50))
    buyback_share = draw(st.floats(0, 0.3))
    sc = {
        "land": {k: draw(st.floats(0, 1e5)) for k in LAND_STATUSES},
        "floor": {k: draw(st.floats(0, 1e5)) for k in FLOOR_STATUSES},
        "share": draw(st.floats(0, 1)),
        "swap": draw(st.floats(0, 2)),
        "swap_statuses": draw(st.lists(st.sampled_from(FLOOR_STATUSES), unique=True)),
        "cash": draw(st.floats(0, 1e4)),
        "buyback": draw(st.floats(0, 1e4)),
        "developer": draw(st.one_of(st.none(), st.floats(0, 1))),
    }
    return (
        projects,
        comms,
        holders,
        statuses,
        widths,
        (bx, bw, bf, bs),
        quota_share,
        planned,
        buyback_share,
        sc,
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=cases())
def test_scenarios_reconcile(tmp_path_factory, case):
    projects, comms, holders, statuses, widths, (bx, bw, bf, bs), qshare, planned, bshare, sc = case
    edges = np.concatenate([[0.0], np.cumsum(widths)])
    geoms = [box(edges[i], 0, edges[i + 1], 100) for i in range(len(widths))]
    pieces = gpd.GeoDataFrame(
        {
            "project": projects,
            "parcel_id": [f"p{i}" for i in range(len(geoms))],
            "holder": holders,
            "status": statuses,
            "comm": comms,
        },
        geometry=geoms,
        crs=4547,
    )
    pieces["piece_area"] = pieces.area
    total = edges[-1]
    buildings = gpd.GeoDataFrame(
        {"fa": bf, "st": bs},
        geometry=[box(x * total, 10, x * total + w, 10 + w) for x, w in zip(bx, bw)],
        crs=4547,
    )
    rows = []
    for (p, c), g in pieces.groupby(["project", "comm"], dropna=False):
        land = float(g.piece_area.sum())
        c = None if pd.isna(c) else c
        q = 0.0 if c is None else qshare  # pieces of no community get no retained land (as retained_quota)
        rows.append((p, c, land * q, land * q * planned, land * q * planned * bshare))
    quota = quota_table(rows)
    text = scenario_text(
        "H",
        land=sc["land"],
        floor=sc["floor"],
        share=sc["share"],
        swap=sc["swap"],
        swap_statuses=sc["swap_statuses"],
        cash=sc["cash"],
        buyback=sc["buyback"],
        developer=sc["developer"],
    )
    path = write_scenarios(tmp_path_factory.mktemp("s"), text)
    try:
        r = benefit_scenarios(
            pieces,
            quota,
            path,
            community_field="comm",
            buildings=buildings,
            floor_area_field="fa",
            building_status_field="st",
        )
    except InfeasibleError:
        assume(False)  # more swap floor area asked for than the retained land offers
    parties, lines = r.parties, r.lines
    for p, g in parties.groupby("project"):
        land = pieces[pieces["project"] == p].piece_area.sum()
        assert g.land_area.sum() == pytest.approx(land, rel=1e-9, abs=1e-6)
        pl = lines[lines.project == p]
        assert g[g.party_type != "government"].money.sum() == pytest.approx(
            pl.amount.sum(), rel=1e-9, abs=1e-6
        )
        assert -g[g.party_type == "government"].money.sum() == pytest.approx(
            pl.amount.sum(), rel=1e-9, abs=1e-6
        )
        taken = sum(f * sc["share"] for (pp, _, _, f, _) in rows if pp == p)
        got = g.floor_area.sum() + g.swap_floor_area.sum()
        assert got == pytest.approx(taken, rel=1e-9, abs=1e-6)
        assert (g.land_area >= -1e-9).all() and (g.floor_area >= -1e-6).all()
    # every land line is one piece status of one holder: the land lines cover every piece once
    land_lines = lines[lines.basis.str.startswith("land: ")]
    assert land_lines.quantity.sum() == pytest.approx(pieces.piece_area.sum(), rel=1e-9)
    assert r.reconciliation.balanced.all()


# ---------------------------------------------------------------------------------------------
# chart
# ---------------------------------------------------------------------------------------------


def test_cjk_font_is_found():
    font = cjk_font()
    assert font in ("WenQuanYi Micro Hei", "Noto Sans CJK SC"), "install fonts-wqy-microhei"


def test_chart_is_written(tmp_path, village, recwarn):
    r = run(village, EXAMPLE)
    out = scenario_chart(r, tmp_path / "charts" / "scenarios.png")
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
    assert not [w for w in recwarn if "Glyph" in str(w.message)], "a Chinese label had no glyph"
    assert not list((tmp_path / "charts").glob(".*"))  # no temporary file left behind


def test_example_toml_is_valid_text():
    text = EXAMPLE.read_text(encoding="utf-8")
    assert "EXAMPLE" in textwrap.dedent(text).splitlines()[0]


def test_pieces_without_community_are_paid_in_cash(tmp_path, village):
    pieces, buildings = village
    pieces = pieces.assign(社区=["东村", "东村", None, "东村"])  # 社区公司's parcel C has no community here
    quota = quota_table([("P1", "东村", 6000.0, 20000.0, 0.0), ("P1", None, 0.0, 0.0, 0.0)])
    path = write_scenarios(tmp_path, scenario_text("B", swap=1.0, swap_statuses=["合法"], buyback=1.0))
    r = benefit_scenarios(
        pieces,
        quota,
        path,
        community_field="社区",
        buildings=buildings,
        floor_area_field="建筑面积",
        building_status_field="合法状态",
    )
    p = r.parties.set_index("party")
    assert p.loc["社区公司", "swap_floor_area"] == 0.0  # no retained floor area to swap into
    assert p.loc["社区公司", "money"] == pytest.approx(5_000 * 100 + 500 * 1_000)
    assert p.loc["张三", "swap_floor_area"] == pytest.approx(3_000)
    assert list(r.parties.party_type).count("community") == 1
    assert r.reconciliation.balanced.all()
    no_rate = write_scenarios(
        tmp_path, scenario_text("B", swap=1.0, swap_statuses=["合法"], floor={"违法建筑": 1.0})
    )
    with pytest.raises(RuleError, match="without a community, where no property swap is possible"):
        benefit_scenarios(
            pieces,
            quota,
            no_rate,
            community_field="社区",
            buildings=buildings,
            floor_area_field="建筑面积",
            building_status_field="合法状态",
        )
    bad = quota_table([("P1", "东村", 6000.0, 20000.0, 0.0), ("P1", None, 10.0, 0.0, 0.0)])
    with pytest.raises(RuleError, match="no community"):
        benefit_scenarios(pieces, bad, path, community_field="社区")
