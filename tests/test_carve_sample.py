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
    from landcoord.allocation.files import read_layer
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
