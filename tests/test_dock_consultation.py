"""The Consultation tab: the consent ledger of the sample project, edited from the dock."""

from __future__ import annotations

import pytest
from qgis.core import NULL, Qgis

pytest.register_assert_rewrite("dock_support")
from dock_support import messages, wait_for  # noqa: E402

pytest_plugins = ["dock_support"]


def _select(step, holder: str) -> dict:
    proxy = step.table.proxy
    for row in range(proxy.rowCount()):
        index = proxy.index(row, 0)
        if step.table.record_at(index)["holder"] == holder:
            step.form.resultTable.setCurrentIndex(index)
            return step.table.record_at(index)
    raise AssertionError(f"{holder} not in the table")


@pytest.fixture
def consulting(dock, sample_project):
    project, _layers = sample_project
    f = dock.steps["project"].form
    f.projectValue.setCurrentIndex(f.projectValue.findData("LHTZ-2024-01"))
    dock.steps["affected"].run()
    wait_for(dock)
    step = dock.steps["consultation"]
    assert step.is_available()
    return step


def test_ledger_is_created_with_the_cadastres_holders(consulting, dock, sample_project):
    project, layers = sample_project
    step = consulting
    report = step.open_ledger()
    holders = {f["权利人"] for f in layers["parcels"].getFeatures() if f["权利人"]}
    assert len(report.added) == len(holders) and report.known == 0
    pieces = dock.results.layer(dock.setup, "affected.OUTPUT")
    in_project = {f["holder"] for f in pieces.getFeatures() if f["holder"] not in (None, NULL)}
    shown = {r["holder"] for r in step.table.model.records if r["holder"] is not None}
    assert shown == in_project
    assert all(r["status"] == "not_contacted" for r in step.table.model.records)
    # opening again adds nothing
    assert step.open_ledger().added == []


def test_events_and_consent_update_the_progress(consulting, dock, qgis_iface):
    step = consulting
    step.open_ledger()
    rows = sorted((r for r in step.table.model.records if r["holder"] is not None), key=lambda r: -r["area"])
    big, small = rows[0]["holder"], rows[1]["holder"]
    _select(step, big)
    step.form.eventKind.setCurrentIndex(step.form.eventKind.findData("home_visit"))
    step.form.eventSummary.setText("入户走访，解释补偿方案")
    assert step.record_event() is not None
    assert _select(step, big)["status"] == "contacted"
    for status in ("negotiating", "agreed"):
        _select(step, big)
        step.form.consentStatus.setCurrentIndex(step.form.consentStatus.findData(status))
        step.form.scenarioOption.setText("产权置换")
        step.record_consent()
    record = _select(step, big)
    assert record["status"] == "agreed" and record["scenario_option"] == "产权置换"
    # the rates are those of an independent count over the pieces
    import pyogrio

    pieces = dock.results.layer(dock.setup, "affected.OUTPUT")
    frame = pyogrio.read_dataframe(pieces.source().split("|")[0], read_geometry=False)
    # the land counted once (held_area, issue 19), as the quota, scenarios and hearing pack count it
    areas = frame.groupby(frame["holder"].fillna("<none>"))["held_area"].sum().to_dict()
    total = frame["held_area"].sum()
    areas.pop("<none>", None)
    progress = step.progress().projects.iloc[0]
    assert progress["consented"] == 1
    assert progress["holders"] == len(areas)
    assert progress["area_consent_rate"] == pytest.approx(areas[big] / total, rel=1e-9)
    assert f"{areas[big] / total * 100:.1f} %" in step.form.totalsLabel.text()
    # a change the rules do not allow is refused with the allowed ones named, nothing written
    _select(step, small)
    step.form.consentStatus.setCurrentIndex(step.form.consentStatus.findData("signed"))
    qgis_iface.messageBar().clear_messages()
    assert step.record_consent() is None
    critical = messages(qgis_iface, Qgis.Critical)
    assert critical and "not_contacted" in critical[-1] and "contacted" in critical[-1]
    assert _select(step, small)["status"] == "not_contacted"


def test_concurrent_edit_is_detected_not_overwritten(consulting, dock, qgis_iface):
    from landcoord.allocation.ledger import Ledger

    step = consulting
    step.open_ledger()
    holder = next(r["holder"] for r in step.table.model.records if r["holder"] is not None)
    _select(step, holder)  # the officer reads version 0 ...
    with Ledger.open(step.ledger_path(), officer="另一位科员") as other:  # ... another QGIS writes
        other.set_consent("LHTZ-2024-01", holder, "contacted", expected_version=0)
    step.form.consentStatus.setCurrentIndex(step.form.consentStatus.findData("contacted"))
    qgis_iface.messageBar().clear_messages()
    assert step.record_consent() is None
    warning = messages(qgis_iface, Qgis.Warning)
    assert warning and "Someone else changed" in warning[-1] and holder in warning[-1]
    record = _select(step, holder)  # reloaded: the other officer's change is shown
    assert record["status"] == "contacted" and record["version"] == 1
    history = step.ledger.history("ledger_consent")
    assert list(history["actor"]) == ["另一位科员"]  # the dock wrote nothing


def test_consent_progress_runs_and_colours_the_pieces(consulting, dock, qgis_iface, run_alg, tmp_path):
    import pyogrio

    step = consulting
    step.open_ledger()
    holder = next(r["holder"] for r in step.table.model.records if r["holder"] is not None)
    _select(step, holder)
    step.form.consentStatus.setCurrentIndex(step.form.consentStatus.findData("contacted"))
    step.record_consent()
    step.run()
    wait_for(dock)
    assert not messages(qgis_iface, Qgis.Critical)
    coloured = dock.results.layer(dock.setup, "consultation.PIECES_STATUS")
    assert coloured is not None and coloured.renderer().classAttribute() == "status"
    statuses = {f["status"] for f in coloured.getFeatures()}
    assert statuses == {"contacted", "not_contacted"}
    table = dock.results.layer(dock.setup, "consultation.OUTPUT")
    row = next(table.getFeatures())
    want = step.progress().projects.iloc[0]
    assert row["holders"] == want["holders"]
    assert row["area"] == pytest.approx(want["area"], rel=1e-9)
    assert pyogrio.read_dataframe(table.source().split("|")[0]).shape[0] == 1


def test_import_with_preview_and_export(consulting, dock, sample_project, tmp_path, qgis_iface):
    from landcoord.ui.panels import ImportDialog

    project, layers = sample_project
    step = consulting
    step.open_ledger()
    pieces = dock.results.layer(dock.setup, "affected.OUTPUT")
    in_project = {f["holder"] for f in pieces.getFeatures() if f["holder"] not in (None, NULL)}
    kinds = {f["权利人"]: f["权利人类型"] for f in layers["parcels"].getFeatures()}
    person = sorted(h for h in in_project if kinds.get(h) == "个人")[0]
    elsewhere = sorted(h for h in kinds if h not in in_project and h)[0]  # a holder without land here
    sheet = tmp_path / "consent.csv"
    sheet.write_text(
        "权利人,状态,方案\n"
        + f"{person},已同意,货币补偿\n"
        + "不存在的人,已同意,\n"
        + f"{elsewhere},已接触,\n",
        encoding="gbk",
    )
    preview = step.preview_import(str(sheet))
    dialog = ImportDialog(preview)
    rows = dialog.table.model.records
    assert [r["action"] for r in rows] == ["set", "bad", "bad"]
    assert "不存在的人" in rows[1]["reason"]
    assert "1 rows to record, 0 unchanged, 2 refused" in dialog.form.summaryLabel.text()
    assert _select(step, person)["status"] == "not_contacted"  # a preview writes nothing
    qgis_iface.messageBar().clear_messages()
    result = step.commit_import(dialog.preview)
    assert result.imported == 1 and len(result.bad) == 2
    record = _select(step, person)
    assert record["status"] == "agreed" and record["scenario_option"] == "货币补偿"
    assert any(
        "1 consent records imported, 0 unchanged, 2 rows refused" in m
        for m in messages(qgis_iface, Qgis.Warning)
    )
    # exports: the public one never shows an individual's full name
    public = step.export_ledger(str(tmp_path / "public.csv"), public=True)
    internal = step.export_ledger(str(tmp_path / "internal.csv"), public=False)
    public_text = open(public, encoding="utf-8-sig").read()
    internal_text = open(internal, encoding="utf-8-sig").read()
    assert person in internal_text and person not in public_text
    assert person[0] in public_text  # the surname stays, the given name is masked
