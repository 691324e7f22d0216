"""The dock's Consultation tab offers the consultation kinds of issue 21 (座谈会, 意见征询, 论证会, 调解)
and records them in the ledger."""

from __future__ import annotations

import pytest
from qgis.core import Qgis

pytest.register_assert_rewrite("dock_support")
from dock_support import messages, wait_for  # noqa: E402

pytest_plugins = ["dock_support"]


def test_new_consultation_kinds_from_the_dock(dock, sample_project, qgis_iface):
    from landcoord.allocation.ledger.schema import EVENT_KINDS

    f = dock.steps["project"].form
    f.projectValue.setCurrentIndex(f.projectValue.findData("LHTZ-2024-01"))
    dock.steps["affected"].run()
    wait_for(dock)
    step = dock.steps["consultation"]
    step.open_ledger()
    combo = step.form.eventKind
    assert [combo.itemData(i) for i in range(combo.count())] == list(EVENT_KINDS)
    for kind in ("forum", "solicited_comments", "expert_review", "mediation"):
        proxy = step.table.proxy  # the table is rebuilt after each event: select again
        rows = [
            r
            for r in range(proxy.rowCount())
            if step.table.record_at(proxy.index(r, 0))["holder"] is not None
        ]
        step.form.resultTable.setCurrentIndex(proxy.index(rows[0], 0))
        combo.setCurrentIndex(combo.findData(kind))
        step.form.eventSummary.setText(f"{EVENT_KINDS[kind]} (test)")
        assert step.record_event() is not None, [
            messages(qgis_iface, lv) for lv in (Qgis.MessageLevel.Critical, Qgis.MessageLevel.Warning)
        ]
    events = step.ledger.events("LHTZ-2024-01")
    assert set(events["kind"]) >= {"forum", "solicited_comments", "expert_review", "mediation"}
