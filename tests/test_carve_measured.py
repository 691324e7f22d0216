"""Carving outputs say how their areas were measured (issue 19), like every other step's output:
the ``measured`` column of the parcels and the land (core, the GeoPackage ``landcoord carve``
writes, the Processing output layer) and the line the command line prints.

The statement is the run's one measuring CRS (:meth:`MeasureCRS.statement`): checked against an
independent pyproj reading of the CRS, with the boundary in a CRS other than the measuring one.
"""

from __future__ import annotations

import geopandas as gpd
import pyproj
import pytest

from landcoord.allocation.carve import carve_retained
from landcoord.allocation.io.files import write_layers
from landcoord.cli import main
from landcoord.sample.retained_projects import synthetic_project


def _expected(epsg: int) -> str:
    return f"planar areas in EPSG:{epsg} ({pyproj.CRS.from_epsg(epsg).name})"


@pytest.fixture
def project(tmp_path):
    p = synthetic_project(3, area_ha=12, communities=2)
    path = tmp_path / "project.gpkg"
    controls, planned, gic = p["exclude"]
    write_layers(
        path,
        {
            # the boundary in degrees: the run measures in the CRS given by --measure-crs
            "projects": p["boundary"].to_crs(4490),
            "controls": controls,
            "roads": p["roads"],
            "holdings": p["holdings"],
        },
    )
    p["quotas"].to_csv(tmp_path / "quotas.csv", index=False)
    return p, path


def test_core_parcels_and_land_state_the_measuring_crs(project):
    p, _ = project
    result = carve_retained(
        p["boundary"],
        p["quotas"],
        exclude=list(p["exclude"]),
        roads=p["roads"],
        prefer=p["holdings"],
        prefer_field="社区",
        project_field="项目编号",
    )
    epsg = p["boundary"].crs.to_epsg()
    assert len(result.parcels) >= 2
    assert list(result.parcels.columns[-2:]) == ["measured", "geometry"]
    assert set(result.parcels["measured"]) == {_expected(epsg)}
    assert set(result.land["measured"]) == {_expected(epsg)}


def test_cli_writes_and_prints_how_areas_were_measured(project, tmp_path, capsys):
    p, path = project
    out = tmp_path / "carved.gpkg"
    epsg = p["boundary"].crs.to_epsg()
    args = ["carve", "--boundary", f"{path}|layername=projects", "--project-field", "项目编号"]
    args += ["--quotas", str(tmp_path / "quotas.csv"), "--exclude", f"{path}|layername=controls"]
    args += ["--roads", f"{path}|layername=roads", "--prefer", f"{path}|layername=holdings"]
    args += ["--prefer-field", "社区", "--measure-crs", f"EPSG:{epsg}", "--out", str(out)]
    assert main(args) == 0
    printed = capsys.readouterr().out
    assert f"areas in m², {_expected(epsg)}" in printed.splitlines()
    parcels = gpd.read_file(out, layer="parcels")
    land = gpd.read_file(out, layer="land")
    assert len(parcels) == len(p["quotas"])
    assert set(parcels["measured"]) == {_expected(epsg)}
    assert set(land["measured"]) == {_expected(epsg)}
    assert parcels.crs.to_epsg() == epsg


def test_processing_output_layer_has_the_measured_field(project, tmp_path, run_alg):
    p, path = project
    epsg = p["boundary"].crs.to_epsg()
    q = tmp_path / "quotas.gpkg"
    write_layers(q, {"quotas": p["quotas"]})
    res = run_alg(
        "landcoord:carveretained",
        {
            "BOUNDARY": f"{path}|layername=projects",
            "PROJECT_FIELD": "项目编号",
            "QUOTAS": f"{q}|layername=quotas",
            "EXCLUDE": [f"{path}|layername=controls"],
            "ROADS": f"{path}|layername=roads",
            "PREFER": f"{path}|layername=holdings",
            "PREFER_FIELD": "社区",
            "MEASURE_CRS": f"EPSG:{epsg}",
            "OUTPUT": str(tmp_path / "parcels.gpkg"),
        },
    )
    parcels = gpd.read_file(res["OUTPUT"])
    assert len(parcels) == len(p["quotas"])
    assert set(parcels["measured"]) == {_expected(epsg)}
