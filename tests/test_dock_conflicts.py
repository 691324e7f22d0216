"""The Conflicts step on the sample project: the boundary and the carved retained land checked."""

from __future__ import annotations

from pathlib import Path

import pytest
from qgis.core import Qgis, QgsVectorLayer

pytest.register_assert_rewrite("dock_support")
from dock_support import messages, wait_for  # noqa: E402

pytest_plugins = ["dock_support"]

RULES = Path(__file__).resolve().parent.parent / "allocation" / "rules"


def _choose_project(dock, value="LHTZ-2024-01"):
    f = dock.steps["project"].form
    f.projectValue.setCurrentIndex(f.projectValue.findData(value))


def test_boundary_conflicts_equal_the_algorithm(dock, sample_project, run_alg, tmp_path, qgis_iface):
    import pyogrio

    project, layers = sample_project
    _choose_project(dock)
    step = dock.steps["conflicts"]
    assert step.is_available()
    assert step.form.proposalSource.currentData() == "boundary"
    step.run()
    wait_for(dock)
    assert not messages(qgis_iface, Qgis.Critical), messages(qgis_iface, Qgis.Critical)
    conflicts = dock.results.layer(dock.setup, "conflicts.OUTPUT")
    assert conflicts is not None and conflicts.renderer().classAttribute() == "severity"
    ref = run_alg(
        "landcoord:planconflicts",
        {
            "INPUT": f"{layers['projects'].source()}|subset=\"项目编号\" = 'LHTZ-2024-01'",
            "INPUT_ID_FIELD": "项目编号",
            "CONTROLS": layers["controls"],
            "KIND_FIELD": "类型",
            "OUTPUT": str(tmp_path / "conflicts.gpkg"),
            "SUMMARY": str(tmp_path / "verdicts.gpkg"),
        },
    )
    want = pyogrio.read_dataframe(ref["OUTPUT"])
    shown = step.table.model.records
    assert len(shown) == len(want) > 0
    got = {(r["input_id"], r["kind"]): r["conflict_area"] for r in shown}
    for r in want.itertuples():
        assert got[(r.input_id, r.kind)] == pytest.approx(r.conflict_area, rel=1e-9)
    verdicts = pyogrio.read_dataframe(ref["SUMMARY"])
    verdict = {"blocked": "blocked", "review": "to review", "clear": "clear"}[verdicts.verdict.iloc[0]]
    assert f"LHTZ-2024-01: {verdict}" in step.form.totalsLabel.text()
    # a conflict row zooms to it and shows its rule and source
    row = max(shown, key=lambda r: r["conflict_area"])
    proxy = step.table.proxy
    index = next(
        proxy.index(i, 0) for i in range(proxy.rowCount()) if step.table.record_at(proxy.index(i, 0)) is row
    )
    step.form.resultTable.clicked.emit(index)
    assert conflicts.selectedFeatureIds() == [row["_fid"]]
    detail = step.form.detailLabel.text()
    assert row["kind"] in detail and row["rule"][:20] in detail and "Source: " in detail
    assert row["source"][:20].replace("&", "&amp;") in detail
    assert qgis_iface.mapCanvas().extent().contains(conflicts.boundingBoxOfSelected())


def test_carved_retained_land_has_no_blocking_conflict(dock, sample_project, qgis_iface):
    _choose_project(dock)
    dock.steps["affected"].run()
    wait_for(dock)
    dock.steps["quota"].form.rulesFile.setFilePath(str(RULES / "examples" / "shenzhen_example.toml"))
    dock.steps["quota"].run()
    wait_for(dock)
    dock.steps["retained"].run()
    wait_for(dock, timeout=300)
    assert dock.results.layer(dock.setup, "retained.OUTPUT") is not None
    step = dock.steps["conflicts"]
    step.form.proposalSource.setCurrentIndex(step.form.proposalSource.findData("retained"))
    qgis_iface.messageBar().clear_messages()
    step.run()
    wait_for(dock)
    assert not messages(qgis_iface, Qgis.Critical), messages(qgis_iface, Qgis.Critical)
    severities = {r["severity"] for r in step.table.model.records}
    assert "blocking" not in severities
    verdicts = dock.results.layer(dock.setup, "conflicts.SUMMARY")
    assert {f["verdict"] for f in verdicts.getFeatures()} <= {"clear", "review"}
    assert {f["input_id"] for f in verdicts.getFeatures()} == {
        f["community"] for f in dock.results.layer(dock.setup, "retained.OUTPUT").getFeatures()
    }


def test_unknown_control_kind_stops_with_the_known_ones(
    dock, sample_project, sample_gpkg, tmp_path, qgis_iface
):
    import geopandas as gpd

    project, _layers = sample_project
    frame = gpd.read_file(sample_gpkg, layer="controls")
    frame.loc[0, "类型"] = "某某线"
    path = tmp_path / "controls_odd.gpkg"
    frame.to_file(path, layer="controls")
    odd = QgsVectorLayer(f"{path}|layername=controls", "controls_odd", "ogr")
    project.addMapLayer(odd)
    dock.steps["project"].form.controlsLayer.setLayer(odd)
    assert dock.setup.field("kind") == "类型"
    qgis_iface.messageBar().clear_messages()
    dock.steps["conflicts"].run()
    wait_for(dock)
    (critical,) = messages(qgis_iface, Qgis.Critical)
    assert critical.startswith("Conflicts failed: ") and "某某线" in critical and "生态保护红线" in critical
    assert dock.results.layer(dock.setup, "conflicts.OUTPUT") is None
