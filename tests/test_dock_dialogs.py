"""Each step opens its algorithm's Processing dialog, filled in with the dock's choices."""

from __future__ import annotations

import pytest

pytest.register_assert_rewrite("dock_support")
from dock_support import process_events, wait_for  # noqa: E402

pytest_plugins = ["dock_support"]


@pytest.fixture(autouse=True)
def browser_model(qgis_iface, monkeypatch):
    """Processing's dialogs ask QGIS for its browser model; the test interface has none."""
    from qgis.gui import QgsBrowserGuiModel

    model = QgsBrowserGuiModel()
    monkeypatch.setattr(qgis_iface, "browserModel", lambda: model, raising=False)
    yield model


def _values(dialog) -> dict:
    values = dialog.createProcessingParameters()
    out = {}
    for key, value in values.items():
        out[key] = value.id() if hasattr(value, "id") and callable(value.id) else value
    return out


def test_affected_area_dialog_is_prefilled(dock, sample_project):
    project, layers = sample_project
    step = dock.steps["affected"]
    dialog = step.open_dialog()
    try:
        assert dialog is not None and dialog.isVisible()
        assert dialog.algorithm().id() == "landcoord:affectedarea"
        values = _values(dialog)
        assert values["BOUNDARY"] == layers["projects"].id()
        assert values["CADASTRE"] == layers["parcels"].id()
        assert values["PROJECT_FIELD"] == "项目编号"
        assert values["PARCEL_FIELD"] == "宗地号"
        assert values["HOLDER_FIELD"] == "权利人"
        assert values["STATUS_FIELD"] == "用地状态"
    finally:
        step.close_down()
        process_events()
    assert step._dialog is None


def test_quota_and_consent_dialogs_use_the_results(dock, sample_project):
    dock.steps["affected"].run()
    wait_for(dock)
    pieces = dock.results.layer(dock.setup, "affected.OUTPUT")
    quota = dock.steps["quota"]
    dialog = quota.open_dialog()
    try:
        values = _values(dialog)
        assert values["INPUT"] == pieces.id()
        assert values["ZONING_FIELD"] == "用地性质"
        assert values["FLOOR_AREA_FIELD"] == "建筑面积"
    finally:
        quota.close_down()
    consult = dock.steps["consultation"]
    dialog = consult.open_dialog()
    try:
        values = _values(dialog)
        assert values["PIECES"] == pieces.id()
        assert values["LEDGER"] == consult.ledger_path()
    finally:
        consult.close_down()


def test_conflicts_and_carving_dialogs_are_prefilled(dock, sample_project):
    project, layers = sample_project
    conflicts = dock.steps["conflicts"]
    dialog = conflicts.open_dialog()
    try:
        values = _values(dialog)
        assert values["INPUT"] == layers["projects"].id()
        assert values["INPUT_ID_FIELD"] == "项目编号"
        assert values["CONTROLS"] == layers["controls"].id()
        assert values["KIND_FIELD"] == "类型"
        assert values["TOLERANCE"] == 1.0
    finally:
        conflicts.close_down()
    dock.steps["affected"].run()
    wait_for(dock)
    dock.steps["quota"].run()  # the shipped rule set: no figures, but a trail to carve from
    wait_for(dock)
    retained = dock.steps["retained"]
    dialog = retained.open_dialog()
    try:
        values = _values(dialog)
        assert values["BOUNDARY"] == layers["projects"].id()
        assert values["QUOTAS"] == dock.results.layer(dock.setup, "quota.OUTPUT").id()
        assert values["PREFER"] == layers["holdings"].id() and values["PREFER_FIELD"] == "社区"
        assert values["ROADS"] == layers["roads"].id()
        # the control lines as the run gives them: the registry decides inside the algorithm
        assert values["CONTROLS"] == layers["controls"].id() and values["KIND_FIELD"] == "类型"
        assert values["MIN_WIDTH"] == 20.0
    finally:
        retained.close_down()
