"""Issue 19: the Processing algorithms take the run's measuring CRS (MEASURE_CRS) and give the core's
figures in it; left empty they choose as the core chooses (real QGIS Processing, the sample)."""

from __future__ import annotations

import geopandas as gpd
import pyogrio
import pytest

PARAMS = {
    "PROJECT_FIELD": "项目编号",
    "PARCEL_FIELD": "宗地号",
    "HOLDER_FIELD": "权利人",
    "STATUS_FIELD": "用地状态",
}


@pytest.mark.parametrize("chosen", [None, "EPSG:32650"])
def test_affected_area_algorithm_measures_in_the_chosen_crs(chosen, run_alg, sample_gpkg, tmp_path):
    from landcoord.allocation.affected import affected_area

    params = {
        "BOUNDARY": f"{sample_gpkg}|layername=projects",
        "CADASTRE": f"{sample_gpkg}|layername=parcels",
        "OUTPUT": str(tmp_path / "pieces.gpkg"),
        "SUMMARY": str(tmp_path / "summary.gpkg"),
        **PARAMS,
    }
    if chosen:
        params["MEASURE_CRS"] = chosen
    res = run_alg("landcoord:affectedarea", params)
    pieces = gpd.read_file(res["OUTPUT"])
    core = affected_area(
        gpd.read_file(sample_gpkg, layer="projects"),
        gpd.read_file(sample_gpkg, layer="parcels"),
        parcel_field="宗地号",
        holder_field="权利人",
        status_field="用地状态",
        project_field="项目编号",
        measure_crs=chosen,
    )
    assert pieces.crs.to_epsg() == (32650 if chosen else 4547) == core.measure.crs.to_epsg()
    assert pieces.piece_area.sum() == pytest.approx(core.pieces.piece_area.sum(), rel=1e-9)
    assert pieces.held_area.sum() == pytest.approx(core.reconciliation.covered_area.sum(), rel=1e-9)
    summary = pyogrio.read_dataframe(res["SUMMARY"])
    assert summary.held_area.sum() == pytest.approx(core.summary.held_area.sum(), rel=1e-9)
