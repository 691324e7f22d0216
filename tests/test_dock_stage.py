"""The dock's Stage tab (issue 21): the project's stage and history, the next stage's entry conditions
met or not, the move (refused with the unmet conditions, forced only with a reason, approver required)
and the monitoring indicators, clicked through on the sample project with a real ledger."""

from __future__ import annotations

import datetime as dt

import pytest
from qgis.core import Qgis

pytest.register_assert_rewrite("dock_support")
from dock_support import messages, wait_for  # noqa: E402

pytest_plugins = ["dock_support"]

PROJECT = "LHTZ-2024-01"


def _cells(table) -> list:
    """The texts of a SearchableTable's view, row by row, as shown."""
    model = table.view.model()
    return [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]


def _indicators(step) -> dict:
    return {r["key"]: r["value"] for r in step.monitor.model.records}


def test_stage_tab_moves_the_project_and_shows_conditions_and_indicators(dock, qgis_iface):
    from landcoord.allocation.procedure import stage_history

    f = dock.steps["project"].form
    f.projectValue.setCurrentIndex(f.projectValue.findData(PROJECT))
    dock.steps["affected"].run()
    wait_for(dock)
    consultation = dock.steps["consultation"]
    consultation.form.officerEdit.setText("王科长")
    consultation.on_officer()
    consultation.open_ledger()
    step = dock.steps["stage"]
    # the tab is one of the dock's tabs, and reads the ledger when shown
    tabs = dock.stepTabs
    index = next(i for i in range(tabs.count()) if tabs.widget(i).isAncestorOf(step.page))
    tabs.setCurrentIndex(0)  # the dock opens on the tab used last
    tabs.setCurrentIndex(index)
    assert "has not entered a stage yet" in step.form.stageLabel.text()
    assert _cells(step.history) == []

    def critical():
        return messages(qgis_iface, Qgis.MessageLevel.Critical)

    def warnings():
        return messages(qgis_iface, Qgis.MessageLevel.Warning)

    # no approver: nothing moves
    assert step.advance() is None
    assert any("Approved by" in m for m in warnings())
    assert len(stage_history(consultation.ledger, PROJECT)) == 0
    step.form.approvedByEdit.setText("李处长")
    for expected in ("plan", "survey"):  # no entry conditions
        move = step.advance()
        assert move is not None and move["to"] == expected, critical()
    assert [row[2] for row in _cells(step.history)][-1].endswith("(survey)")
    # scheme needs the affected area reconciled and consent recorded: neither (no reconciliation file)
    conds = {row[0]: row[1] for row in _cells(step.conditions)}
    assert conds == {"affected_reconciled": "NOT met", "consent_recorded": "NOT met"}
    assert "2 entry condition(s) not met" in step.form.stageLabel.text()
    qgis_iface.messageBar().clear_messages()
    assert step.advance() is None
    assert any("conditions not met" in m and "affected_reconciled" in m for m in critical())
    assert len(stage_history(consultation.ledger, PROJECT)) == 2
    # forced: only with a reason
    step.form.forceCheck.setChecked(True)
    assert step.form.forceReasonEdit.isEnabled()
    assert step.advance() is None
    assert any("needs its reason" in m for m in warnings())
    step.form.forceReasonEdit.setText("区政府会议纪要 3 号")
    move = step.advance()
    assert move is not None and move["to"] == "scheme" and move["forced"]
    assert not step.form.forceCheck.isChecked() and step.form.forceReasonEdit.text() == ""
    h = stage_history(consultation.ledger, PROJECT)
    last = h.iloc[-1]
    assert (last["to_stage"], last["moved_by"], last["approved_by"]) == ("scheme", "王科长", "李处长")
    assert bool(last["forced"]) and last["reason"] == "区政府会议纪要 3 号"
    assert _cells(step.history)[-1][5] == "forced: 区政府会议纪要 3 号"
    # the hearing, recorded in the Consultation tab, meets the notice stage's condition
    proxy = consultation.table.proxy
    row = next(
        r
        for r in range(proxy.rowCount())
        if consultation.table.record_at(proxy.index(r, 0))["holder"] is not None
    )
    holder = consultation.table.record_at(proxy.index(row, 0))["holder"]
    consultation.form.resultTable.setCurrentIndex(proxy.index(row, 0))
    combo = consultation.form.eventKind
    combo.setCurrentIndex(combo.findData("hearing"))
    assert consultation.record_event() is not None
    proxy = consultation.table.proxy
    row = next(
        r
        for r in range(proxy.rowCount())
        if consultation.table.record_at(proxy.index(r, 0))["holder"] == holder
    )
    consultation.form.resultTable.setCurrentIndex(proxy.index(row, 0))
    status = consultation.form.consentStatus
    status.setCurrentIndex(status.findData("agreed"))
    assert consultation.record_consent() is not None, critical() + warnings()
    tabs.setCurrentIndex(0)
    tabs.setCurrentIndex(index)  # shown again: read again
    assert {row[0]: row[1] for row in _cells(step.conditions)} == {"hearing_held": "met"}
    move = step.advance()
    assert move is not None and move["to"] == "notice" and not move["forced"]
    assert len(_cells(step.history)) == 4
    # the indicators of the project today, against a count of the Affected area step's pieces
    pieces = dock.results.layer(dock.setup, "affected.OUTPUT")
    holders = {
        feat["holder"] for feat in pieces.getFeatures() if feat["project"] == PROJECT and feat["holder"]
    }
    got = _indicators(step)
    assert got["day"] == dt.date.today().isoformat()
    assert got["holders"] == f"{len(holders):,d}" and got["consented"] == "1" and got["signed"] == "0"
    assert got["consent_rate"] == f"{100 / len(holders):.1f} %"
    assert got["stage"] == "notice" and got["days_in_stage"] == "0"
    assert got["open_objections"] == "0" and got["open_requests"] == "0"
    today = dt.date.today().isoformat()
    assert step.form.stageLabel.text() == (
        f"Project {PROJECT}: stage 公示 public notice of the scheme (notice) since {today} (0 days). "
        "Next: 协议签订 signing the agreements (agreement); 1 entry condition(s) not met."
    )
    # four eyes: the officer moving the project cannot approve the move himself
    step.form.approvedByEdit.setText("王科长")
    step.form.forceCheck.setChecked(True)
    step.form.forceReasonEdit.setText("test")
    qgis_iface.messageBar().clear_messages()
    assert step.advance() is None
    assert any("Four-eyes" in m for m in critical())
    assert len(stage_history(consultation.ledger, PROJECT)) == 4
    # the indicators over the months as a chart, shown in the tab
    path = step.chart_over_time()
    assert path is not None and open(path, "rb").read(8) == b"\x89PNG\r\n\x1a\n", critical() + warnings()
    assert not step.chart.image().isNull()


def test_chart_days():
    from landcoord.ui.step_stage import StageStep

    days = StageStep.chart_days("2024-11-15", dt.date(2025, 2, 10))
    assert days == ["2024-11-01", "2024-12-01", "2025-01-01", "2025-02-01", "2025-02-10"]
    assert StageStep.chart_days("2025-02-01", dt.date(2025, 2, 1)) == ["2025-02-01"]
    assert len(StageStep.chart_days("2020-01-01", dt.date(2025, 2, 10))) == 25  # 24 months and today
    assert len(StageStep.chart_days(None, dt.date(2025, 2, 10))) == 8  # Aug 2024 ... Feb 2025, today


def test_stage_tab_exports_the_public_notice_pdf(dock, qgis_iface, sample_gpkg, tmp_path, monkeypatch):
    """ "Export notice PDF…" on the sample project's real ledger: the file dialog's choice (".pdf"
    added) gets the project's notice, the objections and answers, names and phone numbers masked;
    the choice is kept in the set-up and offered again."""
    import shutil

    from hearing_support import pdf_text
    from qgis.PyQt.QtWidgets import QFileDialog

    from landcoord.allocation import notice as nt
    from landcoord.allocation.io.files import read_layer

    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils (pdftotext) is not installed")
    f = dock.steps["project"].form
    f.projectValue.setCurrentIndex(f.projectValue.findData(PROJECT))
    consultation = dock.steps["consultation"]
    consultation.form.officerEdit.setText("王科长")
    consultation.on_officer()
    consultation.open_ledger()
    ledger = consultation.ledger
    # two individuals of the sample's cadastre (holders of the ledger, synced from it)
    parcels = read_layer(f"{sample_gpkg}|layername=parcels")
    people = list(dict.fromkeys(parcels.loc[parcels["权利人类型"] == "个人", "权利人"]))[:2]
    assert len(people) == 2
    title, place = "利益统筹方案公示（第一次）", "龙园社区公告栏"
    nid = nt.open_notice(ledger, PROJECT, title, "2024-05-10", 7, place=place)
    for i, who in enumerate(people):
        oid = nt.add_objection(ledger, nid, who, f"{who}的补偿面积少算，电话 1381234567{i}", "2024-05-12")
        nt.answer_objection(ledger, oid, f"答复{i}：经复核，面积按测绘成果确定", "2024-05-15")
    step = dock.steps["stage"]
    step.refresh()
    button = step.form.noticePdfButton
    assert button.isEnabled() and button.text() == "Export notice PDF…"
    offered = []

    def choose(parent, title, start, filters):
        offered.append((start, filters))
        return str(tmp_path / "posted" / "公示"), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(choose))
    qgis_iface.messageBar().clear_messages()
    button.click()
    wait_for(dock)
    pdf = tmp_path / "posted" / "公示.pdf"
    assert pdf.is_file(), messages(qgis_iface, Qgis.MessageLevel.Critical)
    assert offered[0][0].endswith(f"notice_{PROJECT}.pdf") and "*.pdf" in offered[0][1]
    assert any(str(pdf) in m for m in messages(qgis_iface, Qgis.MessageLevel.Success))
    text = "".join(pdf_text(pdf).split())
    assert title in text and place in text
    assert "答复0：经复核" in text and "答复1：经复核" in text
    for who in people:
        assert who not in text, who  # in the objector column and inside the objection's text
        assert who[0] + "*" * (len(who) - 1) in text or who[:2] + "*" * (len(who) - 2) in text
    assert "13812345670" not in text and "13812345671" not in text
    # the choice is the set-up's: offered again next time
    assert dock.setup.option("notice_pdf") == str(pdf)
    button.click()
    wait_for(dock)
    assert offered[1][0] == str(pdf)
