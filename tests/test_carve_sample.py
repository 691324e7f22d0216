"""Carving on the bundled sample project: the demo step with a quota table shaped like the quota step's
summary (two projects, a row of land with no community, unofficial figures), every guarantee checked
against the sample's own layers."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely


@pytest.fixture
def summary():
    # the columns of landcoord:retainedquota's summary; the figures are test inputs, not rule values
    return pd.DataFrame(
        {
            "project": ["LHTZ-2024-01", "LHTZ-2024-01", "LHTZ-2024-01", "LHTZ-2024-01", "LHTZ-2024-02"],
            "community": ["龙园社区", None, "松坪社区", "石岭社区", "石岭社区"],
            "land_area": [284_591.76, 105_827.15, 84_501.23, 5_533.88, 350_719.88],
            "retained_area": [90_035.52, 0.0, 42_250.62, 1_383.47, 101_757.96],
            "official": [False] * 5,
            "blocking": ["EXAMPLE rule set"] * 5,
        }
    )


@np.errstate(invalid="ignore", divide="ignore")
def test_demo_step_on_the_sample(sample_gpkg, summary, tmp_path, capsys):
    from landcoord.allocation.io.files import read_layer
    from landcoord.cli.carve import SAMPLE_BLOCKING_KINDS, demo_step

    result = demo_step(sample_gpkg, summary, tmp_path)
    printed = capsys.readouterr().out
    assert "checked: " in printed and "written: " in printed
    parcels = gpd.read_file(tmp_path / "retained.gpkg", layer="parcels")
    assert len(parcels) == len(result.parcels)
    src = f"{sample_gpkg}|layername="
    projects = read_layer(src + "projects").set_index("项目编号")
    controls = read_layer(src + "controls")
    zoning = read_layer(src + "zoning")
    zones = list(controls[controls["类型"].isin(SAMPLE_BLOCKING_KINDS)].geometry) + list(
        zoning[zoning["用地性质"].isin(["S1", "GIC"])].geometry
    )
    urban = shapely.union_all(controls[controls["类型"] == "城镇开发边界"].geometry.values)
    roads = read_layer(src + "roads")
    road_land = shapely.union_all(
        shapely.buffer(roads.geometry.values, roads["宽度"].to_numpy() / 2, cap_style="flat")
    )
    geoms = parcels.geometry.values
    for i, (g, project) in enumerate(zip(geoms, parcels["project"])):
        assert shapely.difference(g, projects.geometry[project]).area <= 1e-6
        assert shapely.difference(g, urban).area <= 1e-6
        assert max(shapely.intersection(g, z).area for z in zones) <= 1e-6
        assert shapely.distance(g, road_land) <= 1e-3
        for j in range(i):
            assert shapely.intersection(g, geoms[j]).area <= 1e-6
    assert (np.abs(shapely.area(geoms) - parcels.target_area) <= 0.01).all()
    assert (parcels.min_width >= 20.0 - 0.01).all()
    # every community's whole quota, split only where the note says why
    totals = parcels.groupby(["project", "community"]).area.sum()
    want = summary.dropna(subset=["community"]).set_index(["project", "community"]).retained_area
    assert np.allclose(totals.sort_index(), want.sort_index(), atol=0.03)
    assert parcels[parcels.parts > 1].note.str.contains("does not fit in one parcel").all()
    assert parcels[parcels.parts == 1].note.isna().all()


@np.errstate(invalid="ignore", divide="ignore")
def test_the_quota_steps_trail_feeds_carveretained_on_the_sample(sample_gpkg, tmp_path, run_alg):
    """affectedarea pieces -> landcoord:retainedquota (EXAMPLE rules) -> its trail as QUOTAS."""
    from landcoord.allocation.affected import affected_area
    from landcoord.allocation.io.files import read_layer, write_layers
    from landcoord.allocation.quota import attach_community
    from landcoord.allocation.rules import shipped_rule_sets
    from landcoord.cli.carve import SAMPLE_BLOCKING_KINDS, read_filtered

    src = f"{sample_gpkg}|layername="
    parcels = read_layer(src + "parcels")
    pieces = affected_area(
        read_layer(src + "projects"),
        parcels,
        parcel_field="宗地号",
        holder_field="权利人",
        status_field="用地状态",
        project_field="项目编号",
    ).pieces
    pieces = attach_community(pieces, parcels, parcel_field="宗地号", community_field="社区")
    controls = read_layer(src + "controls")
    projects = read_layer(src + "projects")
    urban = shapely.union_all(controls[controls["类型"] == "城镇开发边界"].geometry.values)
    outside = gpd.GeoDataFrame(
        geometry=[shapely.difference(shapely.union_all(projects.geometry.values), urban)], crs=projects.crs
    )
    work = tmp_path / "work.gpkg"
    write_layers(
        work,
        {
            "pieces": pieces,
            "blocking": read_filtered(src + "controls|类型=" + ",".join(SAMPLE_BLOCKING_KINDS)),
            "planned": read_filtered(src + "zoning|用地性质=S1,GIC"),
            "outside_urban": outside,
        },
    )
    quota = run_alg(
        "landcoord:retainedquota",
        {
            "INPUT": f"{work}|layername=pieces",
            "COMMUNITY_FIELD": "community",
            "BUILDINGS": src + "buildings",
            "FLOOR_AREA_FIELD": "建筑面积",
            "ZONING": src + "zoning",
            "ZONING_FIELD": "用地性质",
            "RULES": str(shipped_rule_sets()["shenzhen_example"]),
            "OUTPUT": str(tmp_path / "trail.gpkg"),
        },
    )
    trail = gpd.read_file(quota["OUTPUT"])
    finals = trail[(trail.quantity == "result.retained_area") & trail.community.notna()]
    res = run_alg(
        "landcoord:carveretained",
        {
            "BOUNDARY": src + "projects",
            "PROJECT_FIELD": "项目编号",
            "QUOTAS": quota["OUTPUT"],
            "EXCLUDE": [f"{work}|layername={n}" for n in ("blocking", "planned", "outside_urban")],
            "PREFER": src + "holdings",
            "PREFER_FIELD": "社区",
            "ROADS": src + "roads",
            "MIN_WIDTH": 20.0,
            "OUTPUT": str(tmp_path / "retained.gpkg"),
        },
    )
    carved = gpd.read_file(res["OUTPUT"])
    totals = carved.groupby(["project", "community"]).area.sum().sort_index()
    want = finals.set_index(["project", "community"]).value.astype(float).sort_index()
    assert list(totals.index) == list(want.index)
    assert np.allclose(totals, want, atol=0.01 * carved.groupby(["project", "community"]).size().max())
    zones = shapely.union_all(
        [
            g
            for n in ("blocking", "planned", "outside_urban")
            for g in read_layer(f"{work}|layername={n}").geometry
        ]
    )
    assert max(shapely.intersection(g, zones).area for g in carved.geometry) <= 1e-6
