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


@pytest.fixture(scope="module")
def finance_gpkg(tmp_path_factory):
    """The finance tables of the sample (``landcoord demo``'s finance step: the EXAMPLE options of
    ``example_sample_finance.toml``), written to ``finance.gpkg`` as ``landcoord benefits`` writes them."""
    import contextlib
    import io

    from landcoord.allocation.affected import affected_area
    from landcoord.allocation.io.files import read_layer
    from landcoord.cli.benefits import demo_step as finance_demo
    from landcoord.cli.demo import SAMPLE, SAMPLE_SCHEMA
    from landcoord.cli.quota import demo_step as quota_demo

    out = tmp_path_factory.mktemp("finance")
    s = SAMPLE_SCHEMA
    pieces = affected_area(
        read_layer(f"{SAMPLE}|layername={s['boundary']}"),
        read_layer(f"{SAMPLE}|layername={s['cadastre']}"),
        parcel_field=s["parcel_field"],
        holder_field=s["holder_field"],
        status_field=s["status_field"],
        project_field=s["project_field"],
    ).pieces
    with contextlib.redirect_stdout(io.StringIO()):
        quota, _ = quota_demo(SAMPLE, pieces, out)
        finance_demo(SAMPLE, pieces, quota.trail, out)
    return out / "finance.gpkg"


def test_hearing_pack_prints_the_finance_tables(dock, sample_project, finance_gpkg, qgis_iface, tmp_path):
    """Issue 22 from the dock: "Finance tables" on the Hearing step (the benefits GeoPackage) puts
    the finance tables on the benefit sheet: who pays, every party reconciled, the feasibility, read
    back with pdftotext against the GeoPackage read with pyogrio; the choice is kept with the set-up
    in the project file; a file that has gone is refused by name."""
    import pyogrio

    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils (pdftotext) is not installed")
    project, _layers = sample_project
    f = dock.steps["project"].form
    f.projectValue.setCurrentIndex(f.projectValue.findData(PROJECT))
    step = dock.steps["hearing"]
    assert step.parameters()[0]["FINANCE"] is None  # nothing chosen: no finance tables
    form = step.form
    assert (
        form.financeFileLabel.text() == "Finance tables" and form.financeFileLabel.buddy() is form.financeFile
    )
    form.financeFile.setFilePath(str(finance_gpkg))
    assert dock.setup.option("hearing_finance") == str(finance_gpkg)
    form.dpi.setValue(60)
    form.maxHolders.setValue(1)
    qgis_iface.messageBar().clear_messages()
    form.runButton.click()
    wait_for(dock, timeout=300)
    assert not messages(qgis_iface, Qgis.Critical), messages(qgis_iface, Qgis.Critical)
    text = _text(Path(dock.setup.option("hearing_written")))
    assert "Every party, reconciled" in text and "NOT OFFICIAL" in text  # EXAMPLE figures
    feas = pyogrio.read_dataframe(finance_gpkg, layer="finance_feasibility")
    rows = feas[feas.project == PROJECT]
    assert len(rows) == 3  # the three example options
    for r in rows.itertuples(index=False):
        assert f"{r.break_even_price:,.2f}" in text
    cash = pyogrio.read_dataframe(finance_gpkg, layer="finance_cashflow")
    entity = cash[(cash.project == PROJECT) & (cash.party_type == "entity")]
    assert len(entity)
    for r in entity.itertuples(index=False):
        assert f"{r.net_now / 1e4:,.2f}" in text  # 万元, as the sheet prints money
    # kept with the set-up: the project file written and read again gives the choice back
    path = tmp_path / "consolidation.qgz"
    assert project.write(str(path))
    project.clear()
    assert project.read(str(path))
    assert dock.steps["hearing"].form.financeFile.filePath() == str(finance_gpkg)
    assert dock.steps["hearing"].parameters()[0]["FINANCE"] == str(finance_gpkg)
    # a file that has gone: refused before the run, naming it
    dock.steps["hearing"].form.financeFile.setFilePath(str(tmp_path / "gone.gpkg"))
    qgis_iface.messageBar().clear_messages()
    dock.steps["hearing"].run()
    warnings = messages(qgis_iface, Qgis.Warning)
    assert any("gone.gpkg" in m and "Finance tables" in m for m in warnings), warnings
    assert not dock.runner.is_running()


def test_hearing_pack_prints_the_quota_steps_finance_tables(dock, qgis_iface, tmp_path):
    """Issue 22 without the command line: the Quota step's scenarios run with a scenarios file that
    has [scenario.finance] writes the finance tables (landcoord:benefitscenarios FINANCE_TABLES), the
    step keeps them, and the Hearing step with an empty "Finance tables" prints them on the benefit
    sheet (read back with pdftotext against the tables read with pyogrio); a file chosen there wins;
    a scenarios run without finance sections leaves no finance tables behind."""
    import pyogrio

    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils (pdftotext) is not installed")
    # both projects of the sample (the example finance file has facilities in each), the pack of one
    dock.steps["affected"].run()
    wait_for(dock)
    quota = dock.steps["quota"]
    quota.form.rulesFile.setFilePath(str(RULES / "examples" / "shenzhen_example.toml"))
    quota.form.scenariosFile.setFilePath(str(RULES / "scenarios" / "example_sample_finance.toml"))
    quota.run()
    wait_for(dock)
    params = quota.scenario_parameters()
    assert params["FINANCE_TABLES"].endswith(".gpkg")
    # the Processing dialog asks for the outputs itself, as for OUTPUT and CHART
    assert "FINANCE_TABLES" not in quota.scenario_parameters(for_dialog=True)
    quota.run_scenarios()
    wait_for(dock)
    assert not messages(qgis_iface, Qgis.Critical), messages(qgis_iface, Qgis.Critical)
    tables = Path(dock.setup.option("quota_finance"))
    assert tables.is_file() and tables.parent.parent.parent == Path(dock.output_folder())
    names = {str(n) for n, _g in pyogrio.list_layers(tables)}
    assert {"scenario_parties", "finance_cashflow", "finance_floor", "finance_feasibility"} <= names

    f = dock.steps["project"].form
    f.projectValue.setCurrentIndex(f.projectValue.findData(PROJECT))
    step = dock.steps["hearing"]
    form = step.form
    assert form.financeFile.filePath() == ""  # the chooser is empty: the Quota step's tables are used
    assert form.financeFile.lineEdit().placeholderText() == str(tables)
    assert step.parameters()[0]["FINANCE"] == str(tables)
    assert step.parameters(for_dialog=True)[0]["FINANCE"] == str(tables)  # Open in Processing: the same
    form.dpi.setValue(60)
    form.maxHolders.setValue(1)
    qgis_iface.messageBar().clear_messages()
    form.runButton.click()
    wait_for(dock, timeout=300)
    assert not messages(qgis_iface, Qgis.Critical), messages(qgis_iface, Qgis.Critical)
    text = _text(Path(dock.setup.option("hearing_written")))
    assert "Every party, reconciled" in text and "NOT OFFICIAL" in text  # EXAMPLE figures
    feas = pyogrio.read_dataframe(tables, layer="finance_feasibility", read_geometry=False)
    rows = feas[feas.project == PROJECT]
    assert len(rows) == 3  # the three example options
    for r in rows.itertuples(index=False):
        assert f"{r.break_even_price:,.2f}" in text
    cash = pyogrio.read_dataframe(tables, layer="finance_cashflow", read_geometry=False)
    entity = cash[(cash.project == PROJECT) & (cash.party_type == "entity")]
    assert len(entity)
    for r in entity.itertuples(index=False):
        assert f"{r.net_now / 1e4:,.2f}" in text  # 万元, as the sheet prints money

    # a file chosen under "Finance tables" wins over the Quota step's
    chosen = tmp_path / "chosen.gpkg"
    chosen.write_bytes(tables.read_bytes())
    form.financeFile.setFilePath(str(chosen))
    assert step.parameters()[0]["FINANCE"] == str(chosen)
    form.financeFile.setFilePath("")
    assert step.parameters()[0]["FINANCE"] == str(tables)

    # scenarios without finance sections: no finance tables asked for, none kept, none printed
    quota.form.scenariosFile.setFilePath(str(RULES / "scenarios" / "example_sample_scenarios.toml"))
    assert "FINANCE_TABLES" not in quota.scenario_parameters()
    quota.run_scenarios()
    wait_for(dock)
    assert not messages(qgis_iface, Qgis.Critical), messages(qgis_iface, Qgis.Critical)
    assert dock.setup.option("quota_finance") == ""
    assert step.parameters()[0]["FINANCE"] is None
    assert form.financeFile.lineEdit().placeholderText() == ""
