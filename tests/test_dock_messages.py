"""Bad set-ups give clear message-bar messages, never a traceback; a CRS mismatch is handled."""

from __future__ import annotations

import pytest
from qgis.core import Qgis, QgsVectorLayer

pytest.register_assert_rewrite("dock_support")
from dock_support import messages, wait_for  # noqa: E402

pytest_plugins = ["dock_support"]


def _clear(iface):
    iface.messageBar().clear_messages()


def test_missing_field_names_layer_field_and_choices(dock, qgis_iface):
    dock.setup.fields["holder"] = "业主"  # e.g. the cadastre was replaced by one without that field
    _clear(qgis_iface)
    dock.steps["affected"].run()
    assert not dock.runner.is_running()
    (text,) = messages(qgis_iface, Qgis.Warning)
    assert "Layer 'parcels' has no field '业主'" in text
    assert "权利人" in text and "宗地号" in text  # the available fields are listed
    assert "Project step" in text
    assert not messages(qgis_iface, Qgis.Critical)


def test_unchosen_required_field_and_layer(dock, qgis_iface):
    step = dock.steps["project"]
    step.form.parcelField.setField("")
    assert dock.setup.field("parcel_id") == ""
    assert "choose the parcel id field" in step.form.checksLabel.text()
    _clear(qgis_iface)
    dock.steps["affected"].run()
    assert any(
        "Choose the parcel id field of layer 'parcels'" in m for m in messages(qgis_iface, Qgis.Warning)
    )
    step.form.cadastreLayer.setLayer(None)
    _clear(qgis_iface)
    dock.steps["affected"].run()
    assert any("Choose the layer of cadastral parcels" in m for m in messages(qgis_iface, Qgis.Warning))


def test_empty_and_removed_layers(dock, sample_project, qgis_iface):
    project, layers = sample_project
    empty = QgsVectorLayer(
        "MultiPolygon?crs=EPSG:4547&field=宗地号:string&field=权利人:string", "空宗地", "memory"
    )
    project.addMapLayer(empty)
    dock.steps["project"].form.cadastreLayer.setLayer(empty)
    assert dock.setup.fields["parcel_id"] == "宗地号" and dock.setup.fields["holder"] == "权利人"
    _clear(qgis_iface)
    dock.steps["affected"].run()
    assert any("Layer '空宗地' (cadastral parcels) is empty" in m for m in messages(qgis_iface, Qgis.Warning))
    dock.steps["project"].form.cadastreLayer.setLayer(layers["parcels"])
    project.removeMapLayer(layers["projects"].id())
    _clear(qgis_iface)
    dock.steps["affected"].run()
    warning = messages(qgis_iface, Qgis.Warning)
    assert any("project boundaries is no longer in the QGIS project" in m for m in warning), warning


def test_crs_mismatch_is_reprojected_and_said(dock, sample_project, sample_gpkg, tmp_path, qgis_iface):
    import geopandas as gpd

    project, layers = sample_project
    step = dock.steps["affected"]
    step.run()
    wait_for(dock)
    total_4547 = sum(r["affected_area"] for r in step.table.model.records)

    geographic = gpd.read_file(sample_gpkg, layer="projects").to_crs("EPSG:4326")
    path = tmp_path / "projects_wgs84.gpkg"
    geographic.to_file(path, layer="projects_wgs84")
    boundary = QgsVectorLayer(f"{path}|layername=projects_wgs84", "projects_wgs84", "ogr")
    project.addMapLayer(boundary)
    dock.steps["project"].form.boundaryLayer.setLayer(boundary)
    assert dock.setup.field("project_id") == "项目编号"
    assert "EPSG:4326" in dock.steps["project"].form.checksLabel.text()
    _clear(qgis_iface)
    step.run()
    wait_for(dock)
    info = messages(qgis_iface, Qgis.Info)
    assert any(
        "'projects_wgs84' is in EPSG:4326" in m and "reprojected to EPSG:4547" in m for m in info
    ), info
    assert not messages(qgis_iface, Qgis.Critical)
    total_4326 = sum(r["affected_area"] for r in step.table.model.records)
    assert total_4326 == pytest.approx(total_4547, rel=1e-6)


def test_algorithm_error_goes_to_the_message_bar(dock, sample_project, sample_gpkg, tmp_path, qgis_iface):
    import geopandas as gpd

    project, _layers = sample_project
    frame = gpd.read_file(sample_gpkg, layer="projects")
    frame.loc[1, "项目编号"] = None  # a boundary without its project id
    path = tmp_path / "projects_gap.gpkg"
    frame.to_file(path, layer="projects")
    boundary = QgsVectorLayer(f"{path}|layername=projects", "projects_gap", "ogr")
    project.addMapLayer(boundary)
    dock.steps["project"].form.boundaryLayer.setLayer(boundary)
    _clear(qgis_iface)
    dock.steps["affected"].run()
    wait_for(dock)
    critical = messages(qgis_iface, Qgis.Critical)
    assert len(critical) == 1
    assert critical[0].startswith("Affected area failed: ")
    assert "field '项目编号' is empty for 1 feature: " in critical[0]
    assert dock.results.layer(dock.setup, "affected.OUTPUT") is None  # nothing half-loaded
    assert dock.statusLabel.text() == "Failed: see the message bar."


def test_unexpected_error_in_a_slot_is_caught(dock, qgis_iface, monkeypatch, caplog):
    step = dock.steps["affected"]

    def broken(for_dialog=False):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(step, "parameters", broken)
    _clear(qgis_iface)
    step.form.runButton.click()  # through Qt, as the officer would
    critical = messages(qgis_iface, Qgis.Critical)
    assert critical == [
        "Unexpected error: division by zero. The details are in the log panel (tab landcoord)."
    ]
    assert "Traceback" in caplog.text and "ZeroDivisionError" in caplog.text
