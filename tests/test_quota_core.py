"""The retained-land quota and its trail: published case, Guangdong example, floor-area identities,
unverified values blocking official results, the geometric entry condition, status maps, communities,
buildings."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely import box

from landcoord.allocation.errors import FieldError, RuleError
from landcoord.allocation.quota import (
    TRAIL_COLUMNS,
    attach_community,
    building_floor_by_piece,
    class_matches,
    largest_block,
    load_status_map,
    retained_quota,
)
from landcoord.allocation.rules import Quantity, evaluate, load_rules

PROV = 'document = "Doc"\narticle = "Art. 1"\nversion = "2024"\nsource = "https://example.org/x"\n'


def pieces_frame(rows, crs=4547, **extra):
    """rows: (project, parcel, holder, status, geometry)."""
    gdf = gpd.GeoDataFrame(
        {
            "project": [r[0] for r in rows],
            "parcel_id": [r[1] for r in rows],
            "holder": [r[2] for r in rows],
            "status": [r[3] for r in rows],
        },
        geometry=[r[4] for r in rows],
        crs=crs,
    )
    gdf["piece_area"] = gdf.geometry.area
    for k, v in extra.items():
        gdf[k] = v
    gdf.attrs["name"] = "pieces"
    return gdf


def block(trail, project, community=None):
    sel = trail.project == project
    sel &= trail.community.isna() if community is None else trail.community == community
    return trail[sel].set_index("quantity")


# ---------------------------------------------------------------------------------------------
# published case and floor-area identities
# ---------------------------------------------------------------------------------------------

# Tsinghua thesis, "project A" (docs/domain.md): retained land 140,103 m2, average FAR 6.33,
# planned floor area 887,524 m2. A consistency fixture: 140,103 x 6.33 agrees within 0.1 %.
SHENZHEN = load_rules("shenzhen_benefit_coordination")
CASE_A = {"retained_area": 140_103.0, "far": 6.33, "planned_floor_area": 887_524.0}


def test_published_case_project_a():
    rs = load_rules("shenzhen_benefit_coordination")
    ev = evaluate(
        rs,
        {"land_area": Quantity("land_area", 300_000.0, "land", "m2", "test", "test")},
        given={
            "retained_area": Quantity(
                "retained_area",
                CASE_A["retained_area"],
                "retained land",
                "m2",
                "published case",
                "Tsinghua thesis, project A",
                verified=True,
            ),
            "plot_far": CASE_A["far"],
            "facilities_floor_area": 0.0,
            "shared_floor_area_requested": 0.0,
        },
    )
    base = ev.env["base_floor_area"]
    assert base == pytest.approx(140_103 * 6.33)
    assert abs(base - CASE_A["planned_floor_area"]) / CASE_A["planned_floor_area"] < 0.001
    assert ev.results["planned_floor_area"] == pytest.approx(base)
    # the given average FAR is not a verified policy value: no official result
    assert not ev.official and any("plot_far is given" in b for b in ev.blocking)


@settings(max_examples=150, deadline=None)
@given(
    retained=st.floats(0, 1e6),
    far=st.floats(0, 12),
    facilities=st.floats(0, 1e5),
    requested=st.floats(0, 5e6),
)
def test_floor_area_identities(retained, far, facilities, requested):
    ev = evaluate(
        SHENZHEN,
        {"land_area": Quantity("land_area", 2e6, "land", "m2", "test", "test")},
        given={
            "retained_area": retained,
            "plot_far": far,
            "facilities_floor_area": facilities,
            "shared_floor_area_requested": requested,
        },
    )
    e = ev.env
    assert e["base_floor_area"] == pytest.approx(retained * far)
    assert e["shared_floor_area"] <= 0.30 * e["base_floor_area"] * (1 + 1e-12) + 1e-9
    assert e["shared_floor_area"] == pytest.approx(min(requested, 0.30 * e["base_floor_area"]))
    assert e["buyback_floor_area"] == pytest.approx(0.60 * e["shared_floor_area"])
    assert e["planned_floor_area"] == pytest.approx(
        e["base_floor_area"] + facilities + e["shared_floor_area"]
    )
    assert e["government_land"] == pytest.approx(2e6 - retained)


# ---------------------------------------------------------------------------------------------
# Guangdong 2016: 10-15 % of requisitioned collective land less resettlement land
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def gd_pieces():
    # 100,000 m2: 60,000 uncompensated collective, 30,000 legal collective, 10,000 state land
    return pieces_frame(
        [
            ("G1", "a", "村集体", "未完善征转手续", box(0, 0, 600, 100)),
            ("G1", "b", "村民甲", "非农建设用地", box(600, 0, 900, 100)),
            ("G1", "c", "国土储备中心", "国有储备用地", box(900, 0, 1000, 100)),
        ]
    )


def test_guangdong_example_10_to_15_percent(gd_pieces):
    # officer inputs for the test: 10,000 m2 of resettlement land, a 12 % ratio, a plan FAR of 2.5,
    # and a minimum industrial land price of 100 yuan/m2 (a test number, not a price of any locality)
    inputs = {
        "resettlement_area": 10_000,
        "retained_ratio": 0.12,
        "plot_far": 2.5,
        "industrial_land_min_price": 100,
    }
    r = retained_quota(gd_pieces, "guangdong_2016", given=inputs)
    t = block(r.trail, "G1")
    assert t.loc["requisitioned_area", "value"] == pytest.approx(90_000)
    assert t.loc["retained_base", "value"] == pytest.approx(80_000)
    assert t.loc["retained_area_min", "value"] == pytest.approx(8_000)  # 10 %
    assert t.loc["retained_area_max", "value"] == pytest.approx(12_000)  # 15 %
    assert t.loc["retained_area", "value"] == pytest.approx(9_600)
    assert t.loc["ratio_in_range", "value"] == 1.0
    assert t.loc["cash_in_lieu_min_price", "value"] == pytest.approx(70.0)  # >= 70 % of the price
    assert t.loc["cash_in_lieu_min_total", "value"] == pytest.approx(9_600 * 70.0)
    assert t.loc["result.planned_floor_area", "value"] == pytest.approx(24_000)
    assert t.loc["result.government_land", "value"] == pytest.approx(100_000 - 9_600)
    # the verified policy values are verified in the trail, the officer inputs given here are not
    assert bool(t.loc["retained_ratio_min", "verified"]) and bool(t.loc["cash_in_lieu_min_share", "verified"])
    assert not bool(t.loc["retained_ratio", "verified"])
    assert not r.official
    blocking = r.summary.blocking.iloc[0]
    assert "steps.requisitioned_area" in blocking and "retained_ratio is given" in blocking


def test_guangdong_ratio_below_ten_percent_is_flagged(gd_pieces):
    r = retained_quota(
        gd_pieces, "guangdong_2016", given={"resettlement_area": 0, "retained_ratio": 0.05, "plot_far": 1}
    )
    t = block(r.trail, "G1")
    assert t.loc["ratio_in_range", "value"] == 0.0
    assert "vote of the members" in t.loc["ratio_in_range", "note"]
    assert t.loc["retained_area", "value"] == pytest.approx(90_000 * 0.05)


def test_guangdong_official_once_the_officer_fills_and_verifies_everything(gd_pieces, tmp_path):
    filled = "\n".join(
        f'[values.{k}]\nlabel = "{k}"\nvalue = {v}\nunit = "{u}"\n{PROV}verified = true\n'
        for k, v, u in (
            ("resettlement_area", 10000, "m2"),
            ("retained_ratio", 0.15, "ratio"),
            ("plot_far", 2.0, "FAR"),
            ("industrial_land_min_price", 100, "yuan/m2"),
        )
    )
    step = (
        '[steps.requisitioned_area]\nlabel = "confirmed"\nformula = "land_area - state_area"\nunit = "m2"\n'
        + PROV
        + "verified = true\n"
    )
    path = tmp_path / "project_g1.toml"
    path.write_text(
        f'[ruleset]\nid = "g1"\ntitle = "G1"\nextends = "guangdong_2016"\n\n{filled}\n{step}',
        encoding="utf-8",
    )
    r = retained_quota(gd_pieces, path, official=True)
    assert r.official
    t = block(r.trail, "G1")
    assert t.loc["result.retained_area", "value"] == pytest.approx(80_000 * 0.15)
    assert t.loc["result.retained_area", "verified"]
    assert t.loc["official", "value"] == 1.0


# ---------------------------------------------------------------------------------------------
# Shenzhen: empty and unverified values are flagged and block an official result
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def sz():
    """One project: legal land, two uncompensated pieces sharing an edge, one touching at a corner."""
    pieces = pieces_frame(
        [
            ("P1", "A", "甲", "未完善征转手续", box(0, 0, 40, 50)),  # 2,000
            ("P1", "B", "乙", "未完善征转手续", box(40, 0, 80, 50)),  # 2,000, shares an edge with A
            ("P1", "C", "丙", "未完善征转手续", box(80, 50, 120, 100)),  # 2,000, touches B at a corner
            ("P1", "D", "社区公司", "房地产证", box(0, 50, 80, 100)),  # 4,000
            ("P1", "E", "国土储备中心", "国有储备用地", box(80, 0, 120, 50)),  # 2,000
        ]
    )
    zoning = gpd.GeoDataFrame(
        {"用地性质": ["R2", "E1"]}, geometry=[box(-10, -10, 70, 110), box(70, -10, 130, 110)], crs=4547
    )
    zoning.attrs["name"] = "zoning"
    buildings = gpd.GeoDataFrame(
        {"建筑面积": [6000.0, 1200.0, None]},
        geometry=[box(10, 60, 50, 90), box(70, 10, 90, 30), box(5, 5, 10, 10)],
        crs=4547,
    )
    buildings.attrs["name"] = "buildings"
    return pieces, zoning, buildings


def test_shenzhen_shipped_rules_give_no_official_figure(sz):
    pieces, zoning, buildings = sz
    r = retained_quota(
        pieces,
        "shenzhen_benefit_coordination",
        zoning=zoning,
        zoning_field="用地性质",
        buildings=buildings,
        floor_area_field="建筑面积",
    )
    t = block(r.trail, "P1")
    assert list(r.trail.columns) == TRAIL_COLUMNS
    for q in ("result.retained_area", "result.planned_floor_area", "result.government_land"):
        assert pd.isna(t.loc[q, "value"]) and not t.loc[q, "verified"]
    assert t.loc["official", "value"] == 0.0 and not r.official
    note = t.loc["official", "note"]
    for key in (
        "values.uncompensated_ratio",
        "values.cap_ratio",
        "values.plot_far",
        "values.facilities_floor_area",
        "values.shared_floor_area_requested",
        "the formula of steps.retained_area",
    ):
        assert key in note, key
    assert "shenzhen_benefit_coordination.toml line" in note
    assert "EMPTY: fill in values.cap_ratio" in t.loc["cap_ratio", "note"]
    # verified rule values are still shown as verified
    assert t.loc["shared_cap_ratio", "verified"] and t.loc["buyback_ratio", "verified"]
    with pytest.raises(RuleError) as e:
        retained_quota(
            pieces, "shenzhen_benefit_coordination", zoning=zoning, zoning_field="用地性质", official=True
        )
    assert "No official result" in str(e.value) and "values.cap_ratio" in str(e.value)


def test_example_values_compute_but_are_never_official(sz):
    pieces, zoning, buildings = sz
    r = retained_quota(
        pieces,
        "shenzhen_example",
        zoning=zoning,
        zoning_field="用地性质",
        buildings=buildings,
        floor_area_field="建筑面积",
    )
    t = block(r.trail, "P1")
    land, legal, unc = 12_000.0, 4_000.0, 6_000.0
    assert t.loc["land_area", "value"] == pytest.approx(land)
    assert t.loc["legal_area", "value"] == pytest.approx(legal)
    assert t.loc["uncompensated_area", "value"] == pytest.approx(unc)
    far = t.loc["existing_far", "value"]
    assert far == pytest.approx(7200 / land)  # 6000 + 1200 m2 of floor area, building without one left out
    ratio = 0.25 if far < 1.0 else 0.2  # the example's made-up tiers
    assert t.loc["uncompensated_ratio", "value"] == ratio
    assert "tier 1 of 2" in t.loc["uncompensated_ratio", "note"]
    retained = min(legal + unc * ratio, 0.5 * land)
    assert t.loc["result.retained_area", "value"] == pytest.approx(retained)
    base = retained * 3.0
    shared = min(10_000, 0.3 * base)
    assert t.loc["result.planned_floor_area", "value"] == pytest.approx(base + 2000 + shared)
    assert t.loc["buyback_floor_area", "value"] == pytest.approx(0.6 * shared)
    assert t.loc["result.government_land", "value"] == pytest.approx(land - retained)
    assert not r.official and "EXAMPLE" in t.loc["official", "note"]
    assert "EXAMPLE value" in t.loc["plot_far", "note"]
    assert any("1 building has no floor area" in w for w in r.warnings)
    with pytest.raises(RuleError, match="EXAMPLE"):
        retained_quota(pieces, "shenzhen_example", zoning=zoning, zoning_field="用地性质", official=True)


def test_trail_reads_top_to_bottom_and_names_rule_and_source(sz):
    pieces, zoning, _ = sz
    r = retained_quota(pieces, "shenzhen_example", zoning=zoning, zoning_field="用地性质")
    rows = list(r.trail.quantity)
    assert rows[-4:] == [
        "official",
        "result.retained_area",
        "result.planned_floor_area",
        "result.government_land",
    ]
    # each rule value appears before the first step that uses it, each step after its inputs
    assert rows.index("plot_far") < rows.index("base_floor_area") < rows.index("shared_floor_area")
    assert rows.index("retained_area") < rows.index("base_floor_area")
    assert (
        rows.index("construction_land_classes")
        < rows.index("uncompensated_block")
        < rows.index("entry_condition")
    )
    assert r.trail.rule.str.len().min() > 0 and r.trail.source.str.len().min() > 0
    base = r.trail.set_index("quantity").loc["base_floor_area"]
    assert "retained_area * plot_far" in base.rule and "shenzhen_benefit_coordination.toml line" in base.rule
    assert "thz918" in base.source  # the mirror the 附件 was read on


# ---------------------------------------------------------------------------------------------
# entry condition, geometrically
# ---------------------------------------------------------------------------------------------


def test_entry_block_dissolves_touching_pieces_on_construction_land(sz):
    pieces, zoning, _ = sz
    r = retained_quota(pieces, "shenzhen_example", zoning=zoning, zoning_field="用地性质")
    t = block(r.trail, "P1")
    # A (2,000) + the part of B on R2 (30 x 50 = 1,500); C is on E1; the state land is not uncompensated
    assert t.loc["uncompensated_block", "value"] == pytest.approx(3_500)
    assert t.loc["entry_condition", "value"] == 1.0


def test_entry_condition_not_met_blocks_official(sz):
    pieces, _, _ = sz
    zoning = gpd.GeoDataFrame(
        {"用地性质": ["R2", "G1", "E1"]},
        geometry=[box(-10, -10, 40, 110), box(40, 50, 200, 200), box(40, -10, 200, 50)],
        crs=4547,
    )
    r = retained_quota(pieces, "shenzhen_example", zoning=zoning, zoning_field="用地性质")
    t = block(r.trail, "P1")
    assert t.loc["uncompensated_block", "value"] == pytest.approx(2_000)  # A only; B is on E1, C alone
    assert t.loc["entry_condition", "value"] == 0.0
    assert "condition steps.entry_condition is not met" in t.loc["official", "note"]


def test_entry_condition_without_zoning_cannot_be_evaluated(sz):
    pieces, _, _ = sz
    r = retained_quota(pieces, "shenzhen_example")
    t = block(r.trail, "P1")
    assert pd.isna(t.loc["uncompensated_block", "value"])
    assert "no ZONING layer" in t.loc["uncompensated_block", "note"]
    assert "condition steps.entry_condition could not be evaluated" in t.loc["official", "note"]


def test_largest_block_point_touch_is_not_contiguous():
    a, b, c = box(0, 0, 50, 60), box(50, 0, 100, 60), box(100, 60, 160, 110)
    area, n, geom = largest_block([a, b, c], [box(-1, -1, 500, 500)])
    assert (area, n) == (6_000.0, 2)
    assert geom.equals(box(0, 0, 100, 60))


def test_largest_block_joins_neighbours_with_floating_point_noise():
    a = box(0, 0, 50.0, 60)
    b = box(50.0 + 1e-7, 0, 100, 60)  # the common edge off by 0.1 micrometre
    assert largest_block([a, b], [box(-1, -1, 500, 500)])[1] == 1


def test_zoning_class_matching():
    assert class_matches("R2", ["R"]) and class_matches("GIC1", ["GIC"]) and class_matches("U", ["U"])
    assert (
        not class_matches("GIC", ["G"])
        and not class_matches("E1", ["R", "G"])
        and not class_matches(None, ["R"])
    )
    assert class_matches("r2+c1", ["R", "C"]) and not class_matches("R2+E1", ["R", "C"])


# ---------------------------------------------------------------------------------------------
# status map, communities, buildings, inputs
# ---------------------------------------------------------------------------------------------


def test_unknown_status_is_an_error_listing_it(sz):
    pieces, _, _ = sz
    pieces = pieces.copy()
    pieces.loc[pieces.index[0], "status"] = "权属争议"
    with pytest.raises(RuleError) as e:
        retained_quota(pieces, "shenzhen_example")
    msg = str(e.value)
    assert "'权属争议' (1 piece, 2,000.00 m²)" in msg and "STATUS_MAP" in msg


def test_status_map_from_csv_and_toml(tmp_path, sz):
    pieces, _, _ = sz
    pieces = pieces.copy()
    pieces.loc[pieces.index[0], "status"] = "权属争议"
    csv = tmp_path / "map.csv"
    csv.write_text("status,category\n权属争议,uncompensated\n", encoding="utf-8")
    r = retained_quota(pieces, "shenzhen_example", status_map=csv)
    assert block(r.trail, "P1").loc["uncompensated_area", "value"] == pytest.approx(6_000)
    assert "map.csv" in block(r.trail, "P1").loc["uncompensated_area", "source"]
    toml = tmp_path / "map.toml"
    toml.write_text('[status_map]\n"权属争议" = "legal"\n', encoding="utf-8")
    r = retained_quota(pieces, "shenzhen_example", status_map=toml)
    assert block(r.trail, "P1").loc["legal_area", "value"] == pytest.approx(6_000)


def test_bad_status_maps_name_row_or_line(tmp_path):
    csv = tmp_path / "map.csv"
    csv.write_text("status,category\n房地产证,legal\n权属争议,disputed\n", encoding="utf-8")
    with pytest.raises(RuleError, match=r"row 3: status '权属争议' has category 'disputed'"):
        load_status_map(csv)
    toml = tmp_path / "map.toml"
    toml.write_text('[status_map]\n"房地产证" = "legal"\n"旧屋村" = "old"\n', encoding="utf-8")
    with pytest.raises(RuleError, match="map.toml' line 3: status_map.旧屋村"):
        load_status_map(toml)
    dup = tmp_path / "dup.csv"
    dup.write_text("status,category\nX,legal\nX,state\n", encoding="utf-8")
    with pytest.raises(RuleError, match="rows 2 and 3"):
        load_status_map(dup)
    missing = tmp_path / "cols.csv"
    missing.write_text("用地状态,类别\nX,legal\n", encoding="utf-8")
    with pytest.raises(FieldError, match="'status'"):
        load_status_map(missing)


def test_default_status_map_covers_domain_categories():
    m, _ = load_status_map()
    legal = {"房地产证", "出让合同", "非农建设用地", "征地返还用地", "历史遗留违法建筑确认", "旧屋村"}
    assert {k for k, v in m.items() if v == "legal"} == legal
    assert m["未完善征转手续"] == "uncompensated" and m["国有储备用地"] == "state"


def test_quota_per_community(sz):
    pieces, zoning, _ = sz
    pieces = pieces.assign(社区=["东村", "东村", "西村", "西村", "西村"])
    r = retained_quota(
        pieces, "shenzhen_example", community_field="社区", zoning=zoning, zoning_field="用地性质"
    )
    assert list(r.summary.community) == ["东村", "西村"]
    east, west = block(r.trail, "P1", "东村"), block(r.trail, "P1", "西村")
    assert east.loc["land_area", "value"] == pytest.approx(4_000)
    assert west.loc["land_area", "value"] == pytest.approx(8_000)
    assert east.loc["project_area", "value"] == west.loc["project_area", "value"] == pytest.approx(12_000)
    # the entry condition is a property of the project: the same block for both communities
    assert east.loc["uncompensated_block", "value"] == west.loc["uncompensated_block", "value"]
    assert r.summary.land_area.sum() == pytest.approx(pieces.piece_area.sum())


def test_attach_community_by_parcel_id(sz):
    pieces, _, _ = sz
    parcels = pd.DataFrame({"宗地号": ["A", "B", "C", "D"], "社区": ["东村", "东村", "西村", None]})
    parcels.attrs["name"] = "parcels"
    out = attach_community(pieces, parcels, parcel_field="宗地号", community_field="社区")
    assert list(out.community) == ["东村", "东村", "西村", None, None]
    assert "community" not in pieces.columns  # the input is not modified
    with pytest.raises(FieldError, match="'社区名'"):
        attach_community(pieces, parcels, parcel_field="宗地号", community_field="社区名")


def test_buildings_split_by_footprint():
    pcs = gpd.GeoDataFrame({"x": [1, 2]}, geometry=[box(0, 0, 10, 10), box(10, 0, 20, 10)], crs=4547)
    b = gpd.GeoDataFrame(
        {"fa": [400.0, 100.0], "st": ["合法", "违法建筑"]},
        geometry=[box(5, 0, 15, 10), box(15, 5, 25, 10)],  # the second is half outside the pieces
        crs=4547,
    )
    rows, tot = building_floor_by_piece(pcs, b, floor_field="fa", status_field="st")
    got = rows.groupby("piece").floor_area.sum()
    assert got[0] == pytest.approx(200) and got[1] == pytest.approx(200 + 50)
    assert tot["inside"] == pytest.approx(450) and tot["outside"] == pytest.approx(50)
    assert set(rows.status) == {"合法", "违法建筑"}


def test_buildings_in_another_crs_are_reprojected(sz):
    pieces, zoning, buildings = sz
    r1 = retained_quota(pieces, "shenzhen_example", buildings=buildings, floor_area_field="建筑面积")
    r2 = retained_quota(
        pieces, "shenzhen_example", buildings=buildings.to_crs(4490), floor_area_field="建筑面积"
    )
    a = block(r1.trail, "P1").loc["existing_floor_area", "value"]
    b = block(r2.trail, "P1").loc["existing_floor_area", "value"]
    assert b == pytest.approx(a, rel=1e-6)


def test_bad_inputs_name_the_field(sz):
    pieces, _, buildings = sz
    with pytest.raises(FieldError, match="'piece_area'"):
        retained_quota(pieces.drop(columns="piece_area"), "shenzhen_example")
    with pytest.raises(FieldError, match="'floor'"):
        retained_quota(pieces, "shenzhen_example", buildings=buildings, floor_area_field="floor")
    with pytest.raises(FieldError, match="'社区'"):
        retained_quota(pieces, "shenzhen_example", community_field="社区")
    bad = buildings.assign(建筑面积=["6000", "lots", None])
    with pytest.raises(FieldError, match="not a number"):
        retained_quota(pieces, "shenzhen_example", buildings=bad, floor_area_field="建筑面积")


def test_inputs_are_not_modified(sz):
    pieces, zoning, buildings = sz
    before = (pieces.copy(), zoning.copy(), buildings.copy())
    retained_quota(
        pieces,
        "shenzhen_example",
        zoning=zoning,
        zoning_field="用地性质",
        buildings=buildings,
        floor_area_field="建筑面积",
    )
    for a, b in zip(before, (pieces, zoning, buildings)):
        pd.testing.assert_frame_equal(pd.DataFrame(a), pd.DataFrame(b))


def test_pieces_without_community_get_no_retained_land(sz):
    pieces, zoning, _ = sz
    pieces = pieces.assign(
        社区=["东村", "东村", "东村", "东村", None]
    )  # the state land belongs to no community
    r = retained_quota(
        pieces, "shenzhen_example", community_field="社区", zoning=zoning, zoning_field="用地性质"
    )
    outside = block(r.trail, "P1", None)
    assert outside.loc["result.retained_area", "value"] == 0.0
    assert outside.loc["result.government_land", "value"] == pytest.approx(2_000)
    assert "the rule set is not applied" in outside.loc["retained_area", "rule"]
    assert "plot_far" not in outside.index  # no rule value is used for it
    assert any("no community" in w for w in r.warnings)
    east = block(r.trail, "P1", "东村")
    assert east.loc["land_area", "value"] == pytest.approx(10_000)
    assert r.summary.land_area.sum() == pytest.approx(12_000)
