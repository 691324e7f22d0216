"""``landcoord:cityscreen`` through ``processing.run`` in a real QGIS: file layers and a PostGIS layer."""

from __future__ import annotations

import numpy as np
import pyogrio
import pytest

from landcoord.sample.fabric import blob_boundaries, quad_fabric

pytest.register_assert_rewrite("city_support")
from city_support import FIELDS, make_zones  # noqa: E402


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    fabric = quad_fabric(2500, seed=41, gap_fraction=0.004, overlap_count=3)
    plan = blob_boundaries(fabric, 10, seed=41, coverage=0.4)
    zones = make_zones(fabric, n=120)
    path = tmp_path_factory.mktemp("cityq") / "city.gpkg"
    pyogrio.write_dataframe(fabric, path, layer="parcels")
    pyogrio.write_dataframe(plan, path, layer="projects")
    pyogrio.write_dataframe(zones, path, layer="controls")
    return path, fabric, plan, zones


def _params(path, tmp_path, cadastre=None, **extra):
    return {
        "PROJECTS": f"{path}|layername=projects",
        "PROJECT_FIELD": "code",
        "CADASTRE": cadastre or f"{path}|layername=parcels",
        "PARCEL_FIELD": "pid",
        "HOLDER_FIELD": "owner",
        "STATUS_FIELD": "status",
        "PARTITIONS": 3,
        "OUTPUT": str(tmp_path / "projects.gpkg"),
        "SUMMARY": str(tmp_path / "summary.gpkg"),
        **extra,
    }


def test_registered_with_its_parameters(landcoord_provider):
    alg = landcoord_provider.algorithm("cityscreen")
    assert alg is not None
    keys = {p.name() for p in alg.parameterDefinitions()}
    assert {"PROJECTS", "CADASTRE", "CONTROLS", "KIND_FIELD", "WORKERS", "PARTITIONS", "OUTPUT"} <= keys
    assert all(p.help() for p in alg.parameterDefinitions())


def test_processing_matches_the_core(data, tmp_path, run_alg):
    from landcoord.allocation.city import city_screen

    path, fabric, plan, zones = data
    params = _params(
        path,
        tmp_path,
        CONTROLS=f"{path}|layername=controls",
        KIND_FIELD="kind",
        CONFLICTS=str(tmp_path / "conflicts.gpkg"),
    )
    res = run_alg("landcoord:cityscreen", params)
    got = pyogrio.read_dataframe(res["OUTPUT"])
    core = city_screen(plan, fabric, controls=zones, kind_field="kind", partitions=3, **FIELDS)
    assert got["project"].tolist() == core.projects["project"].tolist()
    for c in ("project_area", "gap_area", "blocking_area", "review_area"):
        assert np.allclose(got[c], core.projects[c], rtol=1e-12), c
    assert got["verdict"].tolist() == core.projects["verdict"].tolist()
    summary = pyogrio.read_dataframe(res["SUMMARY"])
    assert np.allclose(summary["affected_area"], core.affected.summary["affected_area"], rtol=1e-12)
    conflicts = pyogrio.read_dataframe(res["CONFLICTS"])
    assert len(conflicts) == len(core.conflicts.conflicts)


def test_controls_without_kind_field_is_an_error(data, tmp_path, run_alg):
    from qgis.core import QgsProcessingException

    path, *_ = data
    with pytest.raises(QgsProcessingException, match="kind field"):
        run_alg("landcoord:cityscreen", _params(path, tmp_path, CONTROLS=f"{path}|layername=controls"))


def test_postgis_layer_is_read_near_the_projects_only(
    postgres_dsn, data, tmp_path, run_alg, recording_feedback
):
    from qgis.core import QgsDataSourceUri, QgsProject, QgsVectorLayer

    from landcoord.allocation.city import city_screen
    from landcoord.allocation.io import postgis as pg

    path, fabric, plan, _ = data
    pg.write_postgis(fabric, f"PG:{postgres_dsn}|table=public.qgis_parcels", replace=True)
    uri = QgsDataSourceUri(postgres_dsn)
    uri.setDataSource("public", "qgis_parcels", "geom", "", "fid")
    layer = QgsVectorLayer(uri.uri(False), "qgis_parcels", "postgres")
    assert layer.isValid() and layer.featureCount() == len(fabric)
    QgsProject.instance().addMapLayer(layer)
    try:
        from qgis import processing
        from qgis.core import QgsProcessingContext

        fb = recording_feedback
        context = QgsProcessingContext()
        context.setProject(QgsProject.instance())
        res = processing.run(
            "landcoord:cityscreen", _params(path, tmp_path, cadastre=layer.id()), context=context, feedback=fb
        )
    finally:
        QgsProject.instance().removeMapLayer(layer.id())
    assert any("read from PostGIS near the projects only" in m for m in fb.infos)
    got = pyogrio.read_dataframe(res["OUTPUT"])
    core = city_screen(plan, fabric, partitions=3, **FIELDS).projects
    assert got["project"].tolist() == core["project"].tolist()
    assert np.allclose(got["affected_area"], core["affected_area"], rtol=1e-12)
