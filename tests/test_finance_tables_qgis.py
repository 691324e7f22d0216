"""landcoord:benefitscenarios' FINANCE_TABLES (issue 22): every table of the run in one GeoPackage,
the same as the command line's ``landcoord benefits --out x.gpkg`` on the same inputs, and readable
as-is by landcoord:hearingmaps' FINANCE (the pack read back with pdftotext)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyogrio
import pytest
from hearing_support import pdf_text  # tests/ is on sys.path (conftest.py)
from qgis.core import QgsProcessingFeedback
from test_finance_qgis import project  # noqa: F401 - the module's fixture: the sample's pieces and quota

from landcoord.allocation.rules import RULES_DIR

LANDCOORD = Path(sys.executable).parent / "landcoord"
SAMPLE = Path(__file__).resolve().parent.parent / "sample" / "landcoord_sample.gpkg"
FINANCE = RULES_DIR / "scenarios" / "example_sample_finance.toml"
PLAIN = RULES_DIR / "scenarios" / "example_sample_scenarios.toml"
PROJECT = "LHTZ-2024-02"


class _Feedback(QgsProcessingFeedback):
    def __init__(self):
        super().__init__()
        self.warnings = []

    def pushWarning(self, warning):
        self.warnings.append(warning)
        super().pushWarning(warning)


def _params(gpkg, scenarios, **outputs) -> dict:
    return {
        "INPUT": f"{gpkg}|layername=pieces",
        "COMMUNITY_FIELD": "community",
        "QUOTA": f"{gpkg}|layername=quota_trail",
        "BUILDINGS": f"{gpkg}|layername=buildings",
        "FLOOR_AREA_FIELD": "建筑面积",
        "BUILDING_STATUS_FIELD": "合法状态",
        "SCENARIOS": str(scenarios),
        **outputs,
    }


def _layers(path) -> list:
    return [str(name) for name, _geometry in pyogrio.list_layers(path)]


def test_finance_tables_equal_the_command_line_and_print_on_the_pack(
    project,  # noqa: F811 - the fixture
    run_alg,
    tmp_path,
):
    _d, gpkg = project
    tables = tmp_path / "benefits.gpkg"
    res = run_alg(
        "landcoord:benefitscenarios",
        _params(gpkg, FINANCE, OUTPUT=str(tmp_path / "parties.gpkg"), FINANCE_TABLES=str(tables)),
    )
    assert res["FINANCE_TABLES"] == str(tables) and tables.is_file()
    # the command line on the same inputs
    cli = tmp_path / "cli.gpkg"
    proc = subprocess.run(
        [
            str(LANDCOORD),
            "benefits",
            "--pieces",
            f"{gpkg}|layername=pieces",
            "--community-field",
            "community",
            "--quota",
            f"{gpkg}|layername=quota_trail",
            "--buildings",
            f"{gpkg}|layername=buildings",
            "--floor-area-field",
            "建筑面积",
            "--building-status-field",
            "合法状态",
            "--scenarios",
            str(FINANCE),
            "--out",
            str(cli),
        ],  # fmt: skip
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ, "LANDCOORD_LANG": "en", "QT_QPA_PLATFORM": "offscreen"},
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    names = _layers(cli)
    assert set(names) >= {
        "scenario_parties", "finance_lines", "finance_cashflow", "finance_floor", "finance_feasibility",
        "finance_sensitivity", "finance_income", "scenario_terms", "finance_reconciliation",
    }  # fmt: skip
    assert _layers(tables) == names
    for name in names:
        got = pyogrio.read_dataframe(tables, layer=name, read_geometry=False)
        want = pyogrio.read_dataframe(cli, layer=name, read_geometry=False)
        assert len(want), name
        pd.testing.assert_frame_equal(got, want, obj=name)

    # the hearing pack takes the file as it is
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils (pdftotext) is not installed")
    g = f"{SAMPLE}|layername="
    pack = run_alg(
        "landcoord:hearingmaps",
        {
            "BOUNDARY": g + "projects",
            "PROJECT_FIELD": "项目编号",
            "PROJECT": PROJECT,
            "CADASTRE": g + "parcels",
            "PARCEL_FIELD": "宗地号",
            "HOLDER_FIELD": "权利人",
            "STATUS_FIELD": "用地状态",
            "FINANCE": res["FINANCE_TABLES"],
            "DPI": 60,
            "MAX_HOLDERS": 1,
            "OUTPUT": str(tmp_path / "hearing.pdf"),
        },
    )
    text = pdf_text(pack["OUTPUT"])
    assert "Every party, reconciled" in text and "NOT OFFICIAL" in text  # EXAMPLE figures
    feas = pyogrio.read_dataframe(tables, layer="finance_feasibility", read_geometry=False)
    rows = feas[feas.project == PROJECT]
    assert len(rows) == 3  # the three example options
    for r in rows.itertuples(index=False):
        assert f"{r.break_even_price:,.2f}" in text


def test_finance_tables_without_finance_sections_write_nothing(
    project,  # noqa: F811 - the fixture
    run_alg,
    tmp_path,
):
    """A scenarios file without [scenario.finance]: the log says so and the file is not written (the
    hearing pack's Finance tables need the finance tables); the other outputs are written."""
    _d, gpkg = project
    tables = tmp_path / "benefits.gpkg"
    fb = _Feedback()
    res = run_alg(
        "landcoord:benefitscenarios",
        _params(gpkg, PLAIN, OUTPUT=str(tmp_path / "parties.gpkg"), FINANCE_TABLES=str(tables)),
        feedback=fb,
    )
    assert "FINANCE_TABLES" not in res or not res["FINANCE_TABLES"]
    assert not tables.exists()
    assert Path(res["OUTPUT"]).is_file()
    assert any("[scenario.finance]" in w and str(tables) in w for w in fb.warnings), fb.warnings


def test_finance_tables_onto_an_input_is_refused(project, run_alg, tmp_path):  # noqa: F811
    """The output guard: the finance tables onto the GeoPackage of the inputs are refused before
    anything is written, the inputs untouched."""
    from qgis.core import QgsProcessingException

    _d, gpkg = project
    before = gpkg.read_bytes()
    with pytest.raises(QgsProcessingException):
        run_alg(
            "landcoord:benefitscenarios",
            _params(gpkg, FINANCE, OUTPUT=str(tmp_path / "parties.gpkg"), FINANCE_TABLES=str(gpkg)),
        )
    assert gpkg.read_bytes() == before
    assert not (tmp_path / "parties.gpkg").exists()
