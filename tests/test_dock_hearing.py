"""The Hearing step: the PDF pack of the sample project from every step's result, names masked."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from qgis.core import Qgis

pytest.register_assert_rewrite("dock_support")
from dock_support import messages, wait_for  # noqa: E402

pytest_plugins = ["dock_support"]

RULES = Path(__file__).resolve().parent.parent / "allocation" / "rules"
PROJECT = "LHTZ-2024-02"  # the smaller of the sample's two projects


def _text(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def _pages(pdf: Path) -> int:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in out.splitlines() if line.startswith("Pages:")))


@pytest.fixture
def all_steps(dock, qgis_iface):
    """Every step before the hearing, run from the dock on one project of the sample."""
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils (pdftotext) is not installed")
    f = dock.steps["project"].form
    f.projectValue.setCurrentIndex(f.projectValue.findData(PROJECT))
    dock.steps["affected"].run()
    wait_for(dock)
    quota = dock.steps["quota"]
    quota.form.rulesFile.setFilePath(str(RULES / "examples" / "shenzhen_example.toml"))
    quota.form.scenariosFile.setFilePath(str(RULES / "scenarios" / "example_sample_scenarios.toml"))
    quota.run()
    wait_for(dock)
    quota.run_scenarios()
    wait_for(dock)
    dock.steps["retained"].run()
    wait_for(dock, timeout=300)
    conflicts = dock.steps["conflicts"]
    conflicts.form.proposalSource.setCurrentIndex(conflicts.form.proposalSource.findData("retained"))
    conflicts.run()
    wait_for(dock)
    for key in ("affected.OUTPUT", "quota.OUTPUT", "quota.SCENARIOS", "retained.OUTPUT", "conflicts.OUTPUT"):
        assert dock.results.layer(dock.setup, key) is not None, key
    assert not messages(qgis_iface, Qgis.Critical), messages(qgis_iface, Qgis.Critical)
    qgis_iface.messageBar().clear_messages()
    return dock


def test_hearing_pack_from_the_dock(all_steps, sample_project, qgis_iface):
    from landcoord.ui.tasks import _MainThreadRun

    dock = all_steps
    project, layers = sample_project
    step = dock.steps["hearing"]
    assert step.is_available()
    f = step.form
    f.dpi.setValue(60)
    f.maxHolders.setValue(2)
    f.officeEdit.setText("深圳市龙华区土地整备事务中心")
    f.officeEdit.editingFinished.emit()
    params, _keep, _notes = step.parameters()
    assert params["PROJECT"] == PROJECT and params["PIECES"] and params["RETAINED"] and params["CHART"]
    assert params["LEDGER"] is None  # no consultation ledger yet
    # the Consultation step's ledger: its code goes into the pack
    consultation = dock.steps["consultation"]
    consultation.open_ledger()
    params, _keep, _notes = step.parameters()
    assert params["LEDGER"] == consultation.ledger_path()
    code = consultation.ledger.fingerprint().code
    step.run()
    assert isinstance(dock.runner._task, _MainThreadRun)  # print layouts stay in the main thread
    wait_for(dock, timeout=300)
    assert not messages(qgis_iface, Qgis.Critical), messages(qgis_iface, Qgis.Critical)
    pdf = Path(dock.setup.option("hearing_written"))
    assert pdf.is_file() and pdf.parent.parent.parent == Path(dock.output_folder())
    pages = _pages(pdf)
    assert str(pages) == dock.setup.option("hearing_pages") and pages >= 4
    assert f"{pages} pages written to {pdf}." in f.totalsLabel.text()
    assert f.openPdfButton.isEnabled()
    text = _text(pdf)
    assert PROJECT in text and "深圳市龙华区土地整备事务中心" in text
    assert f"台账校验码 Ledger code：{code}" in text
    assert f"Ledger fingerprint code (校验码) printed on the overview: {code}." in f.totalsLabel.text()
    # public version: no individual's full name, no id-card or phone number
    individuals = {
        feat["权利人"]
        for feat in layers["parcels"].getFeatures()
        if feat["权利人类型"] == "个人" and feat["权利人"]
    }
    pieces = dock.results.layer(dock.setup, "affected.OUTPUT")
    in_project = {feat["holder"] for feat in pieces.getFeatures()}
    shown = individuals & in_project
    assert shown and not [name for name in shown if len(name) > 1 and name in text]
    ids = {feat["身份证号"] for feat in layers["parcels"].getFeatures() if feat["身份证号"]}
    assert not [i for i in ids if i in text]


def test_hearing_needs_one_project(dock, qgis_iface):
    qgis_iface.messageBar().clear_messages()
    dock.steps["hearing"].run()
    warning = messages(qgis_iface, Qgis.Warning)
    assert any("The hearing pack is for one project" in m and "LHTZ-2024-01" in m for m in warning), warning
