"""``landcoord:cityscreen`` measures as ``landcoord city`` does (issue 19): the MEASURE_CRS and
AREA_METHOD parameters reach the core, and the per-project output states the CRS and method."""

from __future__ import annotations

import numpy as np
import pyogrio
import pytest

from landcoord.sample.fabric import blob_boundaries, quad_fabric

pytest.register_assert_rewrite("city_support")
from city_support import FIELDS  # noqa: E402


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    # a cadastre in EPSG:4547 (CGCS2000 / 3-degree Gauss-Krüger CM 114E)
    fabric = quad_fabric(600, seed=43, gap_fraction=0.004, overlap_count=2)
    plan = blob_boundaries(fabric, 5, seed=43, coverage=0.4)
    path = tmp_path_factory.mktemp("citym") / "city.gpkg"
    pyogrio.write_dataframe(fabric, path, layer="parcels")
    pyogrio.write_dataframe(plan, path, layer="projects")
    return path, fabric, plan


def _params(path, tmp_path, out, **extra):
    return {
        "PROJECTS": f"{path}|layername=projects",
        "PROJECT_FIELD": "code",
        "CADASTRE": f"{path}|layername=parcels",
        "PARCEL_FIELD": "pid",
        "HOLDER_FIELD": "owner",
        "STATUS_FIELD": "status",
        "PARTITIONS": 2,
        "OUTPUT": str(tmp_path / f"{out}.gpkg"),
        "SUMMARY": str(tmp_path / f"{out}_summary.gpkg"),
        **extra,
    }


def _keeping_feedback():
    from qgis.core import QgsProcessingFeedback

    class Keeping(QgsProcessingFeedback):
        def __init__(self):
            super().__init__()
            self.infos = []

        def pushInfo(self, info):
            self.infos.append(info)
            super().pushInfo(info)

    return Keeping()


def test_parameters_are_there(landcoord_provider):
    alg = landcoord_provider.algorithm("cityscreen")
    params = {p.name(): p for p in alg.parameterDefinitions()}
    assert params["MEASURE_CRS"].type() == "crs" and params["MEASURE_CRS"].flags() & 8  # optional
    assert params["AREA_METHOD"].type() == "enum"


def test_measure_crs_and_method_reach_the_core_and_are_stated(data, tmp_path, run_alg):
    from landcoord.allocation.city import city_screen

    path, fabric, plan = data
    # default: the cadastre's own CRS
    fb = _keeping_feedback()
    res = run_alg("landcoord:cityscreen", _params(path, tmp_path, "default"), fb)
    default = pyogrio.read_dataframe(res["OUTPUT"])
    stated = "planar areas in EPSG:4547 (CGCS2000 / 3-degree Gauss-Kruger CM 114E)"
    assert set(default["measured"]) == {stated}
    assert f"Areas: {stated}" in fb.infos

    # chosen: UTM zone 50N, as landcoord city --measure-crs EPSG:32650
    fb = _keeping_feedback()
    res = run_alg("landcoord:cityscreen", _params(path, tmp_path, "utm", MEASURE_CRS="EPSG:32650"), fb)
    got = pyogrio.read_dataframe(res["OUTPUT"])
    core = city_screen(plan, fabric, partitions=2, measure_crs="EPSG:32650", **FIELDS)
    assert set(got["measured"]) == {"planar areas in EPSG:32650 (WGS 84 / UTM zone 50N)"}
    assert got["project"].tolist() == core.projects["project"].tolist()
    for c in ("project_area", "affected_area", "gap_area"):
        assert np.allclose(got[c], core.projects[c], rtol=1e-12), c
    # measured in another CRS, the areas are not those of the default run (UTM's scale 0.9996 here)
    assert not np.allclose(got["project_area"], default["project_area"], rtol=1e-5)
    assert pyogrio.read_info(res["OUTPUT"])["crs"] == "EPSG:32650"
    assert any("differs from the ellipsoidal" in w and "--measure-crs" in w for w in core.warnings)

    # on the ellipsoid, as landcoord city --ellipsoidal
    res = run_alg("landcoord:cityscreen", _params(path, tmp_path, "ell", AREA_METHOD=1))
    ell = pyogrio.read_dataframe(res["OUTPUT"])
    core = city_screen(plan, fabric, partitions=2, area_method=1, **FIELDS)
    assert set(ell["measured"]) == {core.affected.statement}
    assert core.affected.statement.startswith("ellipsoidal areas on the")
    assert np.allclose(ell["project_area"], core.projects["project_area"], rtol=1e-12)

    # not a projected CRS: refused with the core's message
    from qgis.core import QgsProcessingException

    with pytest.raises(QgsProcessingException, match="not a projected CRS"):
        run_alg("landcoord:cityscreen", _params(path, tmp_path, "bad", MEASURE_CRS="EPSG:4326"))


def test_landcoord_city_ellipsoidal_is_stated_as_ellipsoidal(data, tmp_path):
    """``landcoord city --ellipsoidal``: the first line and the projects table say ellipsoidal (the
    run used to print the planar note of the projection plane)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    path, _fabric, _plan = data
    out = tmp_path / "city.gpkg"
    args = [
        str(Path(sys.executable).parent / "landcoord"),
        "city",
        "--projects",
        f"{path}|layername=projects",
    ]
    args += ["--cadastre", f"{path}|layername=parcels", "--parcel-field", "pid", "--holder-field", "owner"]
    args += ["--project-field", "code", "--partitions", "2", "--ellipsoidal", "--out", str(out)]
    proc = subprocess.run(args, capture_output=True, text=True, env={**os.environ, "LANDCOORD_LANG": "en"})
    assert proc.returncode == 0, proc.stderr[-2000:]
    text = proc.stdout + proc.stderr
    assert "ellipsoidal areas on the CGCS2000 ellipsoid (geometries in EPSG:4547)" in text
    assert "areas measured on the projection plane" not in text
    projects = pyogrio.read_dataframe(out, layer="projects")
    assert set(projects["measured"]) == {
        "ellipsoidal areas on the CGCS2000 ellipsoid (geometries in EPSG:4547)"
    }
    rec = pyogrio.read_dataframe(out, layer="reconciliation")
    assert set(rec["measured"]) == set(projects["measured"])
