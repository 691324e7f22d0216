"""Carving retained land: every guarantee of the issue on hand-made and generated projects (no QGIS).

The guarantees are checked here with plain shapely, independently of the carving code:
disjoint, inside the boundary, outside every EXCLUDE zone (1e-6 m²), off road land, area within the
tolerance, at least MIN_WIDTH wide (edges in by W/2 and out again lose nothing), touching a road.
"""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely import LineString, box

from landcoord.allocation.carve import carve_retained, quota_targets
from landcoord.allocation.errors import FieldError, InfeasibleError, InputError, LayerError
from landcoord.allocation.feedback import RecordingFeedback
from landcoord.sample.retained_projects import synthetic_project

CRS = 4547
X0, Y0 = 500_000.0, 2_500_000.0


def frame(geoms, crs=CRS, name="layer", **cols):
    gdf = gpd.GeoDataFrame(pd.DataFrame(cols), geometry=list(geoms), crs=crs)
    gdf.attrs["name"] = name
    return gdf


def at(g):
    """A local shape moved to the EPSG:4547 project location."""
    return shapely.affinity.translate(g, X0, Y0)


def opened(g, width):
    half = width / 2 - 1e-4
    e = shapely.buffer(g, -half, join_style="mitre", mitre_limit=2.0)
    return shapely.buffer(e, half, join_style="mitre", mitre_limit=2.0)


def narrow_loss(g, width):
    """Area of ``g`` lost by the opening, hairlines (parts under 2 mm thick) aside."""
    lost = [p for p in shapely.get_parts(shapely.difference(g, opened(g, width))) if p.area > 0]
    return sum(p.area for p in lost if not shapely.buffer(p, -1e-3, quad_segs=2).is_empty)


@np.errstate(invalid="ignore", divide="ignore")
def assert_guarantees(result, boundary, exclude, tolerance, width, road_land=None):
    """Check every guarantee of the issue on a result, with plain shapely."""
    parcels = result.parcels
    assert len(parcels) > 0
    geoms = parcels.geometry.values
    assert all(g.geom_type == "Polygon" and g.is_valid for g in geoms)
    outer = shapely.union_all(boundary.geometry.values)
    zones = [g for layer in exclude for g in layer.geometry.values]
    for i, g in enumerate(geoms):
        assert shapely.difference(g, outer).area <= 1e-6, "outside the boundary"
        for z in zones:
            assert shapely.intersection(g, z).area <= 1e-6, "inside an EXCLUDE zone"
        for j in range(i):
            assert shapely.intersection(g, geoms[j]).area <= 1e-6, "parcels overlap"
        if width > 0:
            loss = narrow_loss(g, width)
            assert loss <= max(1e-6 * g.area, 1e-4), f"narrower than {width} m: {loss} m² lost"
        if road_land is not None:
            assert shapely.distance(g, road_land) <= 1e-3, "does not touch a road"
            assert shapely.intersection(g, road_land).area <= 1e-6, "on road land"
    assert np.allclose(parcels.area.to_numpy(), shapely.area(geoms), rtol=0, atol=1e-9)
    assert (np.abs(shapely.area(geoms) - parcels.target_area.to_numpy()) <= tolerance).all()
    assert np.allclose(parcels.deviation, parcels.area - parcels.target_area, atol=1e-12)
    pp = 4 * math.pi * shapely.area(geoms) / shapely.length(geoms) ** 2
    assert np.allclose(parcels.compactness, pp)
    assert (parcels.min_width >= width - 0.01).all()
    # each community gets its whole quota
    totals = parcels.groupby("community")["area"].sum()
    quotas = parcels.groupby("community")["quota"].first()
    assert (np.abs(totals - quotas) <= tolerance * parcels.groupby("community").size()).all()


@pytest.fixture
def village():
    """A 300 m × 200 m project, a school (GIC) and a planned road strip (S1) excluded, a road."""
    boundary = frame([at(box(0, 0, 300, 200))], name="projects", code=["P1"])
    school = frame([at(box(120, 0, 170, 60))], name="gic")
    s1 = frame([at(box(-50, 95, 350, 110))], name="s1")
    roads = frame([at(LineString([(-50, 102.5), (350, 102.5)]))], name="roads", 宽度=[15.0])
    holdings = frame(
        [at(box(10, 10, 40, 40)), at(box(250, 150, 290, 190)), at(box(260, 20, 280, 40))],
        name="holdings",
        社区=["A", "B", "C"],
    )
    quotas = pd.DataFrame({"community": ["A", "B", "C"], "target_area": [6000.0, 5000.5, 3000.25]})
    return boundary, [school, s1], roads, holdings, quotas


def test_village_every_guarantee(village):
    boundary, exclude, roads, holdings, quotas = village
    fb = RecordingFeedback()
    r = carve_retained(
        boundary, quotas, exclude=exclude, prefer=holdings, prefer_field="社区", roads=roads, feedback=fb
    )
    road_land = at(box(-50, 95, 350, 110))
    assert_guarantees(r, boundary, exclude, 0.01, 20.0, road_land)
    assert sorted(r.parcels.community) == ["A", "B", "C"]
    assert (r.parcels.parts == 1).all()
    # next to their holdings where the land allows, with frontage on the road
    dist = r.parcels.set_index("community").distance_to_holdings
    assert dist["A"] == pytest.approx(0.0, abs=1e-6) and dist["B"] == pytest.approx(0.0, abs=1e-6)
    assert (r.parcels.frontage >= 20.0).all()
    # frontage is the boundary length along road land, measured independently
    for g, f in zip(r.parcels.geometry, r.parcels.frontage):
        along = shapely.intersection(g.boundary, shapely.buffer(road_land, 1e-3)).length
        assert f == pytest.approx(along, abs=1e-6)
    # and far more compact than a strip
    assert r.parcels.compactness.mean() > 0.6
    land = r.land.set_index("kind")
    assert land.loc["developable", "area"] == pytest.approx(300 * 200 - 50 * 60 - 300 * 15)
    assert land.loc["remaining", "area"] == pytest.approx(
        land.loc["developable", "area"] - r.parcels.area.sum(), abs=1e-6
    )


def test_deterministic(village):
    boundary, exclude, roads, holdings, quotas = village
    kw = dict(exclude=exclude, prefer=holdings, prefer_field="社区", roads=roads)
    a = carve_retained(boundary, quotas, **kw)
    b = carve_retained(boundary, quotas, **kw)
    assert list(shapely.to_wkb(a.parcels.geometry.values)) == list(shapely.to_wkb(b.parcels.geometry.values))
    pd.testing.assert_frame_equal(a.parcels.drop(columns="geometry"), b.parcels.drop(columns="geometry"))


def test_inputs_are_not_modified(village):
    boundary, exclude, roads, holdings, quotas = village
    before = [x.copy() for x in (boundary, *exclude, roads, holdings)], quotas.copy()
    carve_retained(boundary, quotas, exclude=exclude, prefer=holdings, prefer_field="社区", roads=roads)
    for old, new in zip(before[0], (boundary, *exclude, roads, holdings)):
        pd.testing.assert_frame_equal(pd.DataFrame(old), pd.DataFrame(new))
    pd.testing.assert_frame_equal(before[1], quotas)


def test_not_enough_land_gives_shortfall_and_where(village):
    boundary, exclude, roads, holdings, quotas = village
    big = pd.DataFrame({"community": ["A", "B"], "target_area": [40_000.0, 20_000.0]})
    with pytest.raises(InfeasibleError) as err:
        carve_retained(boundary, big, exclude=exclude, roads=roads)
    msg = str(err.value)
    # the usable land (at least 20 m wide, on a road), computed independently
    developable = box(0, 0, 300, 200).difference(box(120, 0, 170, 60)).difference(box(-50, 95, 350, 110))
    usable = shapely.intersection(opened(developable, 20.0), developable).area
    shortfall = 60_000.0 - usable
    assert "shortfall" in msg
    assert f"{shortfall:,.2f} m²" in msg
    assert "around (" in msg and "extent" in msg  # where the developable land is
    assert f"{developable.area:,.2f} m²" in msg


def test_no_road_access_is_infeasible(village):
    boundary, exclude, _, holdings, quotas = village
    far = frame([at(LineString([(0, 1000), (300, 1000)]))], name="roads", 宽度=[10.0])
    with pytest.raises(InfeasibleError, match="no road access") as err:
        carve_retained(boundary, quotas, exclude=exclude, roads=far)
    assert "shortfall" in str(err.value)


def test_quota_smaller_than_a_minimum_width_parcel(village):
    boundary, exclude, roads, _, _ = village
    q = pd.DataFrame({"community": ["A"], "target_area": [200.0]})
    with pytest.raises(InfeasibleError, match="smaller than the smallest parcel at least 20 m wide"):
        carve_retained(boundary, q, exclude=exclude, roads=roads)


def test_split_only_when_one_cannot_fit_and_says_why():
    # two blocks of 100 m × 90 m separated by a road: a 12,000 m² quota fits in neither
    boundary = frame([at(box(0, 0, 100, 200))], name="projects")
    s1 = frame([at(box(-10, 90, 110, 110))], name="s1")
    roads = frame([at(box(-10, 90, 110, 110))], name="roads")
    q = pd.DataFrame({"community": ["A", "B"], "target_area": [12_000.0, 2_000.0]})
    fb = RecordingFeedback()
    r = carve_retained(boundary, q, exclude=[s1], roads=roads, feedback=fb)
    assert_guarantees(r, boundary, [s1], 0.01, 20.0, at(box(-10, 90, 110, 110)))
    a = r.parcels[r.parcels.community == "A"]
    assert len(a) == 2 and (a.parts == 2).all()
    assert a.note.iloc[0].startswith("quota 12,000.00 m² does not fit in one parcel")
    assert a.area.sum() == pytest.approx(12_000.0, abs=0.02)
    b = r.parcels[r.parcels.community == "B"]
    assert len(b) == 1 and b.note.isna().all()
    assert any("carved as 2 parcels" in w for w in fb.warnings)


def test_without_roads_or_holdings_and_zero_width():
    boundary = frame([at(box(0, 0, 100, 100))], name="projects")
    q = pd.DataFrame({"community": ["A", "B", "C"], "target_area": [2500.0, 2500.0, 0.0]})
    r = carve_retained(boundary, q, min_width=0)
    assert sorted(r.parcels.community) == ["A", "B"]
    assert_guarantees(r, boundary, [], 0.01, 0.0)
    assert r.parcels.frontage.isna().all() and r.parcels.distance_to_holdings.isna().all()


def test_tight_packing_uses_the_whole_land():
    # four quotas fill 96 % of a 200 m × 100 m block: only tight packing works
    boundary = frame([at(box(0, 0, 200, 100))], name="projects")
    q = pd.DataFrame({"community": list("ABCD"), "target_area": [4800.0, 4800.0, 4800.0, 4800.0]})
    r = carve_retained(boundary, q, min_width=20)
    assert_guarantees(r, boundary, [], 0.01, 20.0)


def test_line_roads_without_width_are_road_edges():
    boundary = frame([at(box(0, 0, 200, 100))], name="projects")
    road = frame([at(LineString([(-10, 50), (210, 50)]))], name="roads", kind=["x"])
    q = pd.DataFrame({"community": ["A", "B"], "target_area": [3000.0, 3000.0]})
    fb = RecordingFeedback()
    r = carve_retained(boundary, q, roads=road, feedback=fb)
    line = road.geometry.iloc[0]
    for g in r.parcels.geometry:
        assert shapely.distance(g, line) <= 1e-3
        assert not shapely.crosses(g, line)
    assert any("road edge" in n for n in fb.infos)


def test_geographic_boundary_is_measured_in_metres(village):
    boundary, exclude, roads, holdings, quotas = village
    geo = boundary.to_crs(4490)
    r = carve_retained(geo, quotas, exclude=exclude, prefer=holdings, prefer_field="社区", roads=roads)
    assert r.measure.crs.to_epsg() == 4547
    assert r.parcels.crs.to_epsg() == 4547
    assert (r.parcels.deviation.abs() <= 0.01).all()


def test_projects_by_field_with_project_column_in_quotas():
    boundary = frame([at(box(0, 0, 150, 150)), at(box(300, 0, 450, 150))], name="projects", code=["P1", "P2"])
    q = pd.DataFrame(
        {
            "project": ["P1", "P1", "P2"],
            "community": ["A", "B", "A"],
            "item": ["retained_land_quota"] * 3,
            "value": [4000.0, 3000.0, 5000.0],
        }
    )
    r = carve_retained(boundary, q, project_field="code")
    assert sorted(zip(r.parcels["project"], r.parcels.community)) == [("P1", "A"), ("P1", "B"), ("P2", "A")]
    p2 = r.parcels[r.parcels["project"] == "P2"].geometry.iloc[0]
    assert shapely.difference(p2, at(box(300, 0, 450, 150))).area <= 1e-6
    only = carve_retained(boundary, q, project_field="code", project="P2")
    assert list(only.parcels.community) == ["A"]
    with pytest.raises(LayerError, match="no project 'P9'"):
        carve_retained(boundary, q, project_field="code", project="P9")


def test_several_projects_need_a_project_column():
    boundary = frame([at(box(0, 0, 150, 150)), at(box(300, 0, 450, 150))], name="projects", code=["P1", "P2"])
    q = pd.DataFrame({"community": ["A"], "target_area": [1000.0]})
    with pytest.raises(InputError, match="no project column"):
        carve_retained(boundary, q, project_field="code")


def test_quota_table_forms_and_errors():
    wide = pd.DataFrame({"社区": ["A", "B"], "target_area": ["1,200.5", 800]})
    assert quota_targets(wide)[["community", "target_area"]].values.tolist() == [["A", 1200.5], ["B", 800.0]]
    trail = pd.DataFrame(
        {
            "community": ["A", "A", "B", "B"],
            "item": ["legal_area", "Retained_Land_Quota", "legal_area", "retained_land_quota"],
            "value": [9000.0, 1500.0, 7000.0, 700.0],
            "verified": [True, False, True, True],
        }
    )
    t = quota_targets(trail)
    assert t[["community", "target_area", "verified"]].values.tolist() == [
        ["A", 1500.0, False],
        ["B", 700.0, True],
    ]
    with pytest.raises(FieldError, match="'community'"):
        quota_targets(pd.DataFrame({"name": ["A"], "target_area": [1.0]}))
    with pytest.raises(FieldError, match="target_area"):
        quota_targets(pd.DataFrame({"community": ["A"], "area": [1.0]}))
    with pytest.raises(FieldError, match="legal_area"):
        quota_targets(pd.DataFrame({"community": ["A"], "item": ["legal_area"], "value": [1.0]}))
    with pytest.raises(InputError, match="community is empty"):
        quota_targets(pd.DataFrame({"community": [None], "target_area": [10.0]}))
    with pytest.raises(InputError, match="two quotas"):
        quota_targets(pd.DataFrame({"community": ["A", "A"], "target_area": [1.0, 2.0]}))
    with pytest.raises(InputError, match="'abc' is not a number"):
        quota_targets(pd.DataFrame({"community": ["A"], "target_area": ["abc"]}))
    with pytest.raises(InputError, match="negative"):
        quota_targets(pd.DataFrame({"community": ["A"], "target_area": [-5.0]}))


def test_the_quota_steps_summary_and_trail_work_directly():
    # columns of landcoord:retainedquota's summary and trail (TRAIL_COLUMNS, SUMMARY_COLUMNS)
    summary = pd.DataFrame(
        {
            "project": ["P1", "P1", "P1"],
            "community": ["A", "B", None],
            "land_area": [20_000.0, 9_000.0, 4_000.0],
            "retained_area": [2_400.0, 1_080.0, 0.0],
            "planned_floor_area": [6_000.0, 2_700.0, 0.0],
            "government_land": [17_600.0, 7_920.0, 4_000.0],
            "official": [False, False, False],
            "blocking": ["ratio is an example value", "ratio is an example value", ""],
        }
    )
    t = quota_targets(summary)
    assert t[["project", "community", "target_area", "verified"]].values.tolist() == [
        ["P1", "A", 2400.0, False],
        ["P1", "B", 1080.0, False],
    ]
    trail = pd.DataFrame(
        {
            "project": ["P1"] * 4,
            "community": ["A", "A", "B", "B"],
            "item": ["合法用地 legal land", "留用地规模 retained land quota"] * 2,
            "quantity": ["legal_area", "retained_area"] * 2,
            "value": [9000.0, 2400.0, 4000.0, 1080.0],
            "unit": ["m²"] * 4,
            "rule": [""] * 4,
            "source": [""] * 4,
            "verified": [True, False, True, False],
            "note": [""] * 4,
        }
    )
    assert quota_targets(trail)[["community", "target_area"]].values.tolist() == [
        ["A", 2400.0],
        ["B", 1080.0],
    ]
    # the final row wins over the step of the same name
    final = pd.concat(
        [trail, trail[trail.quantity == "retained_area"].assign(quantity="result.retained_area")]
    )
    final.loc[final.quantity == "result.retained_area", "value"] = [2000.0, 1000.0]
    assert quota_targets(final)[["community", "target_area"]].values.tolist() == [
        ["A", 2000.0],
        ["B", 1000.0],
    ]
    labelled = trail.drop(columns="quantity")
    assert quota_targets(labelled)[["community", "target_area"]].values.tolist() == [
        ["A", 2400.0],
        ["B", 1080.0],
    ]
    blocked = summary.assign(retained_area=[None, 1_080.0, 0.0])
    with pytest.raises(InputError, match="The quota step gave no figure: ratio is an example value"):
        quota_targets(blocked)
    boundary = frame([at(box(0, 0, 150, 150))], name="projects", code=["P1"])
    fb = RecordingFeedback()
    r = carve_retained(boundary, summary, project_field="code", feedback=fb)
    assert sorted(r.parcels.community) == ["A", "B"]
    assert any("not official" in w for w in fb.warnings)


def test_unverified_quotas_are_reported():
    boundary = frame([at(box(0, 0, 150, 150))], name="projects")
    q = pd.DataFrame({"community": ["A"], "target_area": [2000.0], "verified": ["false"]})
    fb = RecordingFeedback()
    carve_retained(boundary, q, feedback=fb)
    assert any("not official" in w for w in fb.warnings)


def test_bad_parameters_and_fields(village):
    boundary, exclude, roads, holdings, quotas = village
    with pytest.raises(InputError, match="TOLERANCE"):
        carve_retained(boundary, quotas, tolerance=0)
    with pytest.raises(InputError, match="MIN_WIDTH"):
        carve_retained(boundary, quotas, min_width=-1)
    with pytest.raises(FieldError, match="'holdings': field 'community' does not exist"):
        carve_retained(boundary, quotas, prefer=holdings, prefer_field="community")
    with pytest.raises(FieldError, match="road width"):
        carve_retained(boundary, quotas, roads=roads, road_width_field="w")
    nocrs = boundary.set_crs(None, allow_override=True)
    with pytest.raises(LayerError, match="no coordinate reference system"):
        carve_retained(nocrs, quotas)


def test_communities_without_holdings_are_reported(village):
    boundary, exclude, roads, holdings, quotas = village
    fb = RecordingFeedback()
    q = pd.concat([quotas, pd.DataFrame({"community": ["Z"], "target_area": [1000.0]})], ignore_index=True)
    r = carve_retained(
        boundary, q, exclude=exclude, prefer=holdings, prefer_field="社区", roads=roads, feedback=fb
    )
    assert any("'Z' has no holdings" in w for w in fb.warnings)
    assert math.isnan(r.parcels.set_index("community").distance_to_holdings["Z"])


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_generated_50_hectare_projects(seed):
    p = synthetic_project(seed)
    r = carve_retained(
        p["boundary"],
        p["quotas"],
        exclude=p["exclude"],
        prefer=p["holdings"],
        prefer_field="社区",
        roads=p["roads"],
    )
    roads = p["roads"]
    road_land = shapely.union_all(
        shapely.buffer(roads.geometry.values, roads["宽度"].to_numpy() / 2, cap_style="flat")
    )
    assert_guarantees(r, p["boundary"], p["exclude"], 0.01, 20.0, road_land)
    assert set(r.parcels.community) == set(p["quotas"].community)


def test_generator_docstring_examples():
    import doctest

    import landcoord.sample.retained_projects as module

    assert doctest.testmod(module).failed == 0


def test_within_keeps_parcels_inside_the_urban_development_boundary(village):
    boundary, exclude, roads, holdings, quotas = village
    urban = frame([at(box(0, 0, 150, 200))], name="城镇开发边界")
    r = carve_retained(
        boundary, quotas, exclude=exclude, prefer=holdings, prefer_field="社区", roads=roads, within=urban
    )
    inside = urban.geometry.iloc[0]
    assert all(shapely.difference(g, inside).area <= 1e-6 for g in r.parcels.geometry)
    assert r.land.set_index("kind").loc["developable", "area"] == pytest.approx(
        150 * 200 - 30 * 60 - 150 * 15
    )
