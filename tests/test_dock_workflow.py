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
