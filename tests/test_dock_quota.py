"""The Quota and scenarios step on the sample project: community joined, trail and parties shown."""

from __future__ import annotations

from pathlib import Path

import pytest
from qgis.core import Qgis

pytest.register_assert_rewrite("dock_support")
from dock_support import messages, wait_for  # noqa: E402

pytest_plugins = ["dock_support"]

RULES = Path(__file__).resolve().parent.parent / "allocation" / "rules"
EXAMPLE_RULES = RULES / "examples" / "shenzhen_example.toml"
EXAMPLE_SCENARIOS = RULES / "scenarios" / "example_sample_scenarios.toml"


@pytest.fixture
def quota_dock(dock, qgis_iface):
    f = dock.steps["project"].form
    f.projectValue.setCurrentIndex(f.projectValue.findData("LHTZ-2024-01"))
    dock.steps["affected"].run()
    wait_for(dock)
    q = dock.steps["quota"].form
    q.rulesFile.setFilePath(str(EXAMPLE_RULES))
    q.scenariosFile.setFilePath(str(EXAMPLE_SCENARIOS))
    qgis_iface.messageBar().clear_messages()
    return dock


def test_quota_needs_the_affected_pieces(dock, qgis_iface):
    qgis_iface.messageBar().clear_messages()
    dock.steps["quota"].run()
    assert not dock.runner.is_running()
    assert any("Affected area step first" in m for m in messages(qgis_iface, Qgis.Warning))


def test_quota_and_scenarios_equal_the_algorithms(quota_dock, sample_project, run_alg, tmp_path, qgis_iface):
    import pyogrio

    dock = quota_dock
    step = dock.steps["quota"]
    assert step.is_available()
    step.run()
    wait_for(dock)
    assert not messages(qgis_iface, Qgis.Critical), messages(qgis_iface, Qgis.Critical)
    joined = dock.results.layer(dock.setup, "quota.PIECES")
    trail = dock.results.layer(dock.setup, "quota.OUTPUT")
    assert joined is not None and "社区" in joined.fields().names()
    assert trail is not None
    # the same algorithm on the same joined pieces gives the same trail
    project, layers = sample_project
    ref = run_alg(
        "landcoord:retainedquota",
        {
            "INPUT": joined.source(),
            "COMMUNITY_FIELD": "社区",
            "BUILDINGS": layers["buildings"],
            "FLOOR_AREA_FIELD": "建筑面积",
            "ZONING": layers["zoning"],
            "ZONING_FIELD": "用地性质",
            "RULES": str(EXAMPLE_RULES),
            "OUTPUT": str(tmp_path / "ref_trail.gpkg"),
        },
    )
    want = pyogrio.read_dataframe(ref["OUTPUT"])
    shown = step.trail.table.model.records
    assert len(shown) == len(want) > 10
    got = {(r["project"], r["community"], r["quantity"]): r["value"] for r in shown}
    for r in want.itertuples():
        value = got[(r.project, r.community, r.quantity)]
        assert (value is None and r.value != r.value) or value == pytest.approx(r.value, rel=1e-12)
    communities = {r["community"] for r in shown if r["community"] is not None}
    assert communities  # per community, thanks to the joined community field
    assert "NOT OFFICIAL" in step.form.totalsLabel.text()  # an example rule set is never official
    for community in communities:
        assert community in step.form.totalsLabel.text()

    step.run_scenarios()
    wait_for(dock)
    assert not messages(qgis_iface, Qgis.Critical), messages(qgis_iface, Qgis.Critical)
    parties = dock.results.layer(dock.setup, "quota.SCENARIOS")
    assert parties is not None
    rows = step.parties.table.model.records
    assert len(rows) == parties.featureCount() > 0
    chart = Path(dock.setup.option("quota_chart"))
    assert chart.is_file() and chart.stat().st_size > 1000
    assert not step.chart.image().isNull() and step.chart.image().width() > 300
    # land received adds up to the project's land in every scenario (what the algorithm reconciles):
    # held_area, land two parcels claim counted once, as the command line and the quota count it
    for scenario in {r["scenario"] for r in rows}:
        land = sum(r["land_area"] or 0.0 for r in rows if r["scenario"] == scenario)
        held = sum(f["held_area"] for f in joined.getFeatures())
        assert land == pytest.approx(held, rel=1e-9)
        assert held < sum(f["piece_area"] for f in joined.getFeatures())  # the sample has overlaps


def test_scenarios_need_a_scenarios_file(quota_dock, qgis_iface):
    dock = quota_dock
    step = dock.steps["quota"]
    step.run()
    wait_for(dock)
    step.form.scenariosFile.setFilePath("")
    qgis_iface.messageBar().clear_messages()
    step.run_scenarios()
    assert not dock.runner.is_running()
    assert any("scenarios file" in m for m in messages(qgis_iface, Qgis.Warning))
