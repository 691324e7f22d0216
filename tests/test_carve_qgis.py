"""landcoord:carveretained inside QGIS: processing.run on real GeoPackage files, and the command line.

Synthetic projects are written to GeoPackages; the algorithm's output layer is read back and
checked against the guarantees and against the core run on the same files.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely

from landcoord.allocation.io.files import write_layers
from landcoord.sample.retained_projects import synthetic_project

LANDCOORD = Path(sys.executable).parent / "landcoord"


@pytest.fixture
def project_files(tmp_path):
    p = synthetic_project(7, area_ha=20, communities=3)
    path = tmp_path / "project.gpkg"
    controls, planned, gic = p["exclude"]
    write_layers(
        path,
        {
            "projects": p["boundary"],
            "controls": controls,
            "planned_roads": planned,
            "facilities": gic,
            "roads": p["roads"],
            "holdings": p["holdings"],
            "quotas": p["quotas"],
        },
    )
    p["quotas"].to_csv(tmp_path / "quotas.csv", index=False)
    return p, path


def _layer(path, name):
    return f"{path}|layername={name}"


def _params(path, out, **extra):
    params = {
        "BOUNDARY": _layer(path, "projects"),
        "PROJECT_FIELD": "项目编号",
        "QUOTAS": _layer(path, "quotas"),
        "EXCLUDE": [_layer(path, "controls"), _layer(path, "planned_roads"), _layer(path, "facilities")],
        "PREFER": _layer(path, "holdings"),
        "PREFER_FIELD": "社区",
        "ROADS": _layer(path, "roads"),
        "MIN_WIDTH": 20.0,
        "TOLERANCE": 0.01,
        "OUTPUT": str(out),
    }
    params.update(extra)
    return params


def _road_land(roads):
    return shapely.union_all(
        shapely.buffer(roads.geometry.values, roads["宽度"].to_numpy() / 2, cap_style="flat")
    )


@np.errstate(invalid="ignore", divide="ignore")
def _check(parcels, p, tolerance=0.01, width=20.0):
    geoms = parcels.geometry.values
    zones = [g for layer in p["exclude"] for g in layer.geometry.values]
    outer = p["boundary"].geometry.iloc[0]
    road = _road_land(p["roads"])
    for i, g in enumerate(geoms):
        g = shapely.get_parts(g)[0] if g.geom_type == "MultiPolygon" else g
        assert shapely.difference(g, outer).area <= 1e-6
        assert max(shapely.intersection(g, z).area for z in zones) <= 1e-6
        assert shapely.distance(g, road) <= 1e-3
        for j in range(i):
            assert shapely.intersection(g, geoms[j]).area <= 1e-6
    assert (np.abs(shapely.area(geoms) - parcels.target_area.to_numpy()) <= tolerance).all()
    assert (parcels.min_width >= width - 0.01).all()


def test_processing_carves_every_quota_like_the_core(project_files, tmp_path, run_alg):
    from landcoord.allocation.carve import carve_retained
    from landcoord.allocation.io.files import read_layer, read_table

    p, path = project_files
    out = tmp_path / "parcels.gpkg"
    res = run_alg("landcoord:carveretained", _params(path, out))
    parcels = gpd.read_file(res["OUTPUT"])
    expected = [
        "project",
        "community",
        "part",
        "parts",
        "quota",
        "target_area",
        "area",
        "deviation",
        "compactness",
        "min_width",
        "frontage",
        "distance_to_holdings",
        "method",
        "note",
        "measured",  # issue 19: how the areas were measured, as in every step's output
    ]
    assert [c for c in parcels.columns if c != "geometry"] == expected
    assert sorted(parcels.community) == sorted(p["quotas"].community)
    _check(parcels, p)
    # the same parcels as the core on the same files
    core = carve_retained(
        read_layer(_layer(path, "projects")),
        read_table(_layer(path, "quotas")),
        exclude=[read_layer(_layer(path, n)) for n in ("controls", "planned_roads", "facilities")],
        prefer=read_layer(_layer(path, "holdings")),
        prefer_field="社区",
        roads=read_layer(_layer(path, "roads")),
        project_field="项目编号",
    ).parcels
    assert list(parcels.community) == list(core.community)
    assert np.allclose(parcels.area, core.area, atol=1e-9)
    for a, b in zip(parcels.geometry, core.geometry):
        assert shapely.symmetric_difference(a, b).area <= 1e-6


def test_processing_prints_the_same_qa_line_as_the_command_line(project_files, tmp_path, run_alg):
    from qgis.core import QgsProcessingFeedback

    from landcoord.allocation.carve import carve_retained, check_carving
    from landcoord.allocation.io.files import read_layer, read_table

    class Log(QgsProcessingFeedback):
        def __init__(self):
            super().__init__()
            self.lines = []

        def pushInfo(self, info):
            self.lines.append(info)
            super().pushInfo(info)

    p, path = project_files
    log = Log()
    run_alg("landcoord:carveretained", _params(path, tmp_path / "parcels.gpkg"), feedback=log)
    core = carve_retained(
        read_layer(_layer(path, "projects")),
        read_table(_layer(path, "quotas")),
        exclude=[read_layer(_layer(path, n)) for n in ("controls", "planned_roads", "facilities")],
        prefer=read_layer(_layer(path, "holdings")),
        prefer_field="社区",
        roads=read_layer(_layer(path, "roads")),
        project_field="项目编号",
    )
    qa = [line for line in log.lines if line.startswith("checked: ")]
    assert qa == [check_carving(core).message()]
    assert "parcels off the roads 0" in qa[0]


def test_processing_infeasible_stops_with_the_shortfall(project_files, tmp_path, run_alg):
    from qgis.core import QgsProcessingException

    p, path = project_files
    big = pd.DataFrame({"community": ["社区1"], "target_area": [190_000.0]})
    pyogrio.write_dataframe(big, tmp_path / "big.gpkg", layer="quotas")
    out = tmp_path / "none.gpkg"
    with pytest.raises(QgsProcessingException, match=r"shortfall [\d,]+\.\d\d m²"):
        run_alg("landcoord:carveretained", _params(path, out, QUOTAS=_layer(tmp_path / "big.gpkg", "quotas")))
    assert not out.exists()


def test_processing_selected_features_and_optional_inputs(tmp_path, landcoord_provider, qgis_new_project):
    from qgis import processing
    from qgis.core import (
        QgsProcessingContext,
        QgsProcessingFeatureSourceDefinition,
        QgsProcessingFeedback,
        QgsProject,
        QgsVectorLayer,
    )

    # two projects in one layer; the second is selected; no exclusions, holdings or roads
    boundary = gpd.GeoDataFrame(
        {"code": ["P1", "P2"]},
        geometry=[
            shapely.box(500_000, 2_500_000, 500_150, 2_500_150),
            shapely.box(500_300, 2_500_000, 500_450, 2_500_150),
        ],
        crs=4547,
    )
    quotas = pd.DataFrame({"community": ["A", "B"], "target_area": [5000.0, 4000.0]})
    path = tmp_path / "two.gpkg"
    write_layers(path, {"projects": boundary, "quotas": quotas})
    layer = QgsVectorLayer(_layer(path, "projects"), "projects", "ogr")
    assert layer.isValid()
    QgsProject.instance().addMapLayer(layer)
    second = [f.id() for f in layer.getFeatures() if f["code"] == "P2"]
    layer.selectByIds(second)
    out = tmp_path / "out.gpkg"
    context = QgsProcessingContext()
    context.setProject(QgsProject.instance())  # the selection lives on the project's layer
    res = processing.run(
        "landcoord:carveretained",
        {
            "BOUNDARY": QgsProcessingFeatureSourceDefinition(layer.id(), True),
            "QUOTAS": _layer(path, "quotas"),
            "MIN_WIDTH": 20.0,
            "OUTPUT": str(out),
        },
        context=context,
        feedback=QgsProcessingFeedback(),
    )
    parcels = gpd.read_file(res["OUTPUT"])
    p2 = boundary.geometry.iloc[1]
    assert len(parcels) == 2
    assert all(shapely.difference(g, p2).area <= 1e-6 for g in parcels.geometry)
    assert parcels.frontage.isna().all()


def test_processing_error_names_the_field(project_files, tmp_path, run_alg):
    from qgis.core import QgsProcessingException

    p, path = project_files
    bad = pd.DataFrame({"name": ["社区1"], "target_area": [1000.0]})
    pyogrio.write_dataframe(bad, tmp_path / "bad.gpkg", layer="quotas")
    with pytest.raises(QgsProcessingException, match="field 'community'"):
        run_alg(
            "landcoord:carveretained",
            _params(path, tmp_path / "o.gpkg", QUOTAS=_layer(tmp_path / "bad.gpkg", "quotas")),
        )


def test_cli_carve_writes_parcels_and_land(project_files, tmp_path):
    p, path = project_files
    out = tmp_path / "carved.gpkg"
    cmd = [
        str(LANDCOORD),
        "carve",
        "--boundary",
        _layer(path, "projects"),
        "--project-field",
        "项目编号",
        "--quotas",
        str(tmp_path / "quotas.csv"),
        "--exclude",
        _layer(path, "controls"),
        "--exclude",
        _layer(path, "planned_roads"),
        "--exclude",
        _layer(path, "facilities"),
        "--prefer",
        _layer(path, "holdings"),
        "--prefer-field",
        "社区",
        "--roads",
        _layer(path, "roads"),
        "--min-width",
        "20",
        "--out",
        str(out),
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert [n for n, _ in pyogrio.list_layers(out)] == ["parcels", "land"]
    parcels = gpd.read_file(out, layer="parcels")
    _check(parcels, p)
    for community in p["quotas"].community:
        assert community in proc.stdout
    # the QA line the demo prints, computed by the core (allocation.carve.check_carving)
    qa = [line for line in proc.stdout.splitlines() if line.startswith("checked: ")]
    assert len(qa) == 1, proc.stdout
    assert f"checked: {len(parcels)} parcels" in qa[0] and "parcels off the roads 0" in qa[0]
    assert f"narrowest {parcels.min_width.min():.2f} m (minimum 20 m)" in qa[0]
    land = gpd.read_file(out, layer="land")
    assert list(land.kind) == ["developable", "usable", "remaining"]


def test_cli_infeasible_exits_2_with_the_shortfall(project_files, tmp_path):
    p, path = project_files
    pd.DataFrame({"community": ["社区1"], "target_area": [190_000.0]}).to_csv(
        tmp_path / "big.csv", index=False
    )
    out = tmp_path / "none.gpkg"
    proc = subprocess.run(
        [
            str(LANDCOORD),
            "carve",
            "--boundary",
            _layer(path, "projects"),
            "--quotas",
            str(tmp_path / "big.csv"),
            "--exclude",
            _layer(path, "planned_roads"),
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 2
    assert "landcoord carve: error:" in proc.stderr and "shortfall" in proc.stderr
    assert not out.exists()


def test_cli_layer_filters_and_within(tmp_path):
    from landcoord.cli.carve import split_filters

    assert split_filters("a.gpkg|layername=zoning|用地性质=S1,GIC") == (
        "a.gpkg|layername=zoning",
        [("用地性质", ["S1", "GIC"])],
    )
    boundary = gpd.GeoDataFrame(geometry=[shapely.box(0, 0, 300, 200)], crs=4547)
    zoning = gpd.GeoDataFrame(
        {"用地性质": ["S1", "GIC", "R2"]},
        geometry=[shapely.box(-10, 95, 310, 110), shapely.box(0, 0, 60, 60), shapely.box(100, 0, 300, 95)],
        crs=4547,
    )
    controls = gpd.GeoDataFrame(
        {"类型": ["城镇开发边界", "绿线"]},
        geometry=[shapely.box(0, 0, 200, 200), shapely.box(150, 150, 300, 200)],
        crs=4547,
    )
    path = tmp_path / "plan.gpkg"
    write_layers(path, {"projects": boundary, "zoning": zoning, "controls": controls})
    pd.DataFrame({"community": ["A"], "target_area": [6000.0]}).to_csv(tmp_path / "q.csv", index=False)
    out = tmp_path / "o.gpkg"
    proc = subprocess.run(
        [
            str(LANDCOORD),
            "carve",
            "--boundary",
            _layer(path, "projects"),
            "--quotas",
            str(tmp_path / "q.csv"),
            "--exclude",
            _layer(path, "zoning") + "|用地性质=S1,GIC",
            "--exclude",
            _layer(path, "controls") + "|类型=绿线",
            "--within",
            _layer(path, "controls") + "|类型=城镇开发边界",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    land = gpd.read_file(out, layer="land").set_index("kind")
    # 200 m × 200 m inside the boundary, less S1 (200 × 15), GIC (60 × 60) and the green line (50 × 50)
    assert land.loc["developable", "area"] == pytest.approx(40_000 - 3000 - 3600 - 2500)
    parcel = gpd.read_file(out, layer="parcels").geometry.iloc[0]
    assert shapely.difference(parcel, shapely.box(0, 0, 200, 200)).area <= 1e-6
    bad = subprocess.run(
        [
            str(LANDCOORD),
            "carve",
            "--boundary",
            _layer(path, "projects"),
            "--quotas",
            str(tmp_path / "q.csv"),
            "--exclude",
            _layer(path, "zoning") + "|kind=S1",
            "--out",
            str(tmp_path / "b.gpkg"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert bad.returncode == 2 and "field 'kind' does not exist" in bad.stderr


def test_cli_internal_error_exits_3_not_2(project_files, tmp_path, monkeypatch, capsys):
    """A guarantee failing inside landcoord is not bad input: status 3, "internal error", and the
    message names the project and community. No real input makes the carving fail its own checks
    any more, so the core's InternalError is raised in its place here (the exit-status mapping of
    cli.main is what is tested)."""
    import landcoord.cli.carve as cli_carve
    from landcoord.allocation.errors import InternalError
    from landcoord.cli import main

    def failing(*args, **kwargs):
        raise InternalError(
            "Project P1, community '社区1': the parcel does not keep the minimum width after projecting "
            "back; nothing was written. Report this with the input data."
        )

    monkeypatch.setattr(cli_carve, "carve_retained", failing)
    p, path = project_files
    out = tmp_path / "none.gpkg"
    status = main(
        ["carve", "--boundary", _layer(path, "projects"), "--quotas", str(tmp_path / "quotas.csv")]
        + ["--out", str(out)]
    )
    err = capsys.readouterr().err
    assert status == 3
    assert "landcoord carve: internal error (not a fault of the input):" in err
    assert "Project P1, community '社区1'" in err and "Report this" in err
    assert not out.exists()
