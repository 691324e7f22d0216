"""The dock on the sample project: set up, run each available step, check layers and tables."""

from __future__ import annotations

import pytest
from qgis.core import Qgis

pytest.register_assert_rewrite("dock_support")
from dock_support import messages, wait_for  # noqa: E402

pytest_plugins = ["dock_support"]


def test_set_up_is_recognised_on_the_sample(dock, sample_project):
    project, layers = sample_project
    setup = dock.setup
    assert {role: project.mapLayer(i).name() for role, i in setup.layers.items()} == {
        "boundary": "projects",
        "cadastre": "parcels",
        "buildings": "buildings",
        "controls": "controls",
        "zoning": "zoning",
        "holdings": "holdings",
        "roads": "roads",
    }
    assert setup.fields == {
        "project_id": "项目编号",
        "project_name": "项目名称",
        "parcel_id": "宗地号",
        "holder": "权利人",
        "holder_type": "权利人类型",
        "status": "用地状态",
        "community": "社区",
        "kind": "类型",
        "zone_name": "名称",
        "land_use": "用地性质",
        "floor_area": "建筑面积",
        "building_status": "合法状态",
        "holdings_community": "社区",
    }
    form = dock.steps["project"].form
    assert form.cadastreLayer.currentLayer() is layers["parcels"]
    assert form.holderField.currentField() == "权利人"
    assert form.kindField.currentField() == "类型"
    assert "complete" in form.checksLabel.text()


def test_affected_area_step_runs_in_the_background(dock, sample_project, run_alg, tmp_path, qgis_iface):
    import pyogrio

    project, layers = sample_project
    step = dock.steps["affected"]
    assert step.is_available()
    step.run()
    assert dock.runner.is_running()
    wait_for(dock)
    assert not messages(qgis_iface, Qgis.Critical)
    pieces = dock.results.layer(dock.setup, "affected.OUTPUT")
    summary = dock.results.layer(dock.setup, "affected.SUMMARY")
    assert pieces is not None and summary is not None
    group = dock.results.group(dock.setup, create=False)
    assert group is not None and group.findLayer(pieces.id()) is not None
    # the table shows exactly what the algorithm gives for the same inputs
    ref = run_alg(
        "landcoord:affectedarea",
        {
            "BOUNDARY": layers["projects"],
            "PROJECT_FIELD": "项目编号",
            "CADASTRE": layers["parcels"],
            "PARCEL_FIELD": "宗地号",
            "HOLDER_FIELD": "权利人",
            "STATUS_FIELD": "用地状态",
            "OUTPUT": str(tmp_path / "ref_pieces.gpkg"),
            "SUMMARY": str(tmp_path / "ref_summary.gpkg"),
        },
    )
    want = pyogrio.read_dataframe(ref["SUMMARY"])
    got = step.table.model.records
    assert len(got) == len(want) > 10
    want_area = {(r.project, r.holder): r.affected_area for r in want.itertuples()}
    for rec in got:
        assert rec["affected_area"] == pytest.approx(want_area[(rec["project"], rec["holder"])], rel=1e-9)
    assert pieces.featureCount() == len(pyogrio.read_dataframe(ref["OUTPUT"]))
    assert pieces.renderer().type() == "categorizedSymbol"
    assert pieces.renderer().classAttribute() == "holder"
    # every piece is drawn, those without a holder too (in the grey "no rights-holder" class)
    from qgis.core import QgsRenderContext

    renderer = pieces.renderer().clone()
    context = QgsRenderContext()
    renderer.startRender(context, pieces.fields())
    drawn = [renderer.symbolForFeature(f, context) is not None for f in pieces.getFeatures()]
    renderer.stopRender(context)
    assert all(drawn) and len(drawn) == pieces.featureCount()
    labels = {c.label() for c in renderer.categories()}
    assert "(no rights-holder)" in labels and len(labels) == len({r["holder"] for r in got})


def test_run_is_in_the_background_with_progress_and_qgis_stays_responsive(dock, qgis_iface):
    from qgis.core import QgsProcessingAlgRunnerTask
    from qgis.PyQt.QtCore import QTimer

    progress, ticks = [], []
    dock.runner.progressChanged.connect(progress.append)
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(0)
    dock.steps["affected"].run()
    assert isinstance(dock.runner._task, QgsProcessingAlgRunnerTask)
    assert not dock.progressBar.isHidden() and not dock.cancelButton.isHidden()
    assert not dock.steps["affected"].form.runButton.isEnabled()  # one task at a time
    wait_for(dock)
    timer.stop()
    assert len(ticks) >= 2  # the event loop ran while the algorithm worked
    assert progress and max(progress) == 100
    assert dock.progressBar.isHidden() and dock.cancelButton.isHidden()
    assert dock.steps["affected"].form.runButton.isEnabled()
    assert dock.statusLabel.text() == "Done."


def test_cancel_changes_nothing(dock, qgis_iface):
    qgis_iface.messageBar().clear_messages()
    dock.steps["affected"].run()
    dock.cancelButton.click()
    wait_for(dock)
    assert dock.results.layer(dock.setup, "affected.OUTPUT") is None
    assert dock.setup.results == {}
    assert any("canceled; nothing was changed" in m for m in messages(qgis_iface, Qgis.Info))
    assert dock.statusLabel.text() == "Canceled."


def test_clicking_a_holder_selects_and_zooms_to_their_pieces(dock, qgis_iface):
    step = dock.steps["affected"]
    step.run()
    wait_for(dock)
    pieces = dock.results.layer(dock.setup, "affected.OUTPUT")
    proxy = step.table.proxy
    step.table.search("深圳市交通运输局")
    assert proxy.rowCount() == 2  # one row per project: searchable
    index = proxy.index(0, 0)
    record = step.table.record_at(index)
    step.form.resultTable.clicked.emit(index)
    want = [
        f.id()
        for f in pieces.getFeatures()
        if f["holder"] == "深圳市交通运输局" and f["project"] == record["project"]
    ]
    assert sorted(pieces.selectedFeatureIds()) == sorted(want) and want
    canvas = qgis_iface.mapCanvas()
    assert canvas.extent().contains(pieces.boundingBoxOfSelected())
    # sorting is by value: the largest area first when sorted descending
    step.table.search("")
    areas = [r["affected_area"] for r in step.table.visible_records()]
    assert areas == sorted(areas, reverse=True)


def test_layer_boxes_are_filtered_by_geometry(dock, sample_project):
    project, layers = sample_project
    f = dock.steps["project"].form
    cadastre = [f.cadastreLayer.layer(i) for i in range(f.cadastreLayer.count())]
    roads = [f.roadsLayer.layer(i) for i in range(f.roadsLayer.count())]
    assert layers["roads"] not in cadastre and layers["parcels"] in cadastre
    assert layers["roads"] in roads
    # "recognise" puts back what an officer changed by hand
    f.holderField.setField("权利人类型")
    assert dock.setup.field("holder") == "权利人类型"
    f.recogniseButton.click()
    assert dock.setup.field("holder") == "权利人" and f.holderField.currentField() == "权利人"


def test_two_consolidation_projects_have_their_own_groups(dock, sample_project):
    f = dock.steps["project"].form
    f.projectValue.setCurrentIndex(f.projectValue.findData("LHTZ-2024-01"))
    dock.steps["affected"].run()
    wait_for(dock)
    first = dock.setup
    dock.rename_project("龙园片区")
    second = dock.add_project("石岭片区")
    f.projectValue.setCurrentIndex(f.projectValue.findData("LHTZ-2024-02"))
    assert dock.steps["affected"].table.model.records == []  # nothing run yet for this one
    dock.steps["affected"].run()
    wait_for(dock)
    projects = {r["project"] for r in dock.steps["affected"].table.model.records}
    assert projects == {"LHTZ-2024-02"}
    groups = {g.name() for g in sample_project[0].layerTreeRoot().children() if hasattr(g, "addGroup")}
    assert {"landcoord: 龙园片区", "landcoord: 石岭片区"} <= groups
    # removing one takes its group and layers away, the other stays
    pieces_first = dock.results.layer(first, "affected.OUTPUT")
    dock.remove_project(second.key)
    assert dock.store.keys() == [first.key] and dock.setup.key == first.key
    assert dock.results.layer(first, "affected.OUTPUT") is pieces_first
    groups = {g.name() for g in sample_project[0].layerTreeRoot().children() if hasattr(g, "addGroup")}
    assert "landcoord: 石岭片区" not in groups and "landcoord: 龙园片区" in groups


def test_a_rerun_replaces_its_layers_and_files(dock, tmp_path):
    from pathlib import Path

    from landcoord.ui.results import source_file

    step = dock.steps["affected"]
    step.run()
    wait_for(dock)
    group = dock.results.group(dock.setup, create=False)
    first = dock.results.layer(dock.setup, "affected.OUTPUT")
    first_id, first_file = first.id(), Path(source_file(first))
    names = [c.name() for c in group.children()]
    assert first_file.is_file() and str(tmp_path / "out") in str(first_file)
    step.run()
    wait_for(dock)
    second = dock.results.layer(dock.setup, "affected.OUTPUT")
    assert second.id() != first_id and dock.project.mapLayer(first_id) is None
    assert [c.name() for c in group.children()] == names  # same layers, same order
    assert not first_file.exists() and Path(source_file(second)).is_file()
