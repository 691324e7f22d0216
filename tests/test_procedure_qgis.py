"""``landcoord:projectstage`` in QGIS (issue 21): through ``processing.run`` in this process, and through
the real ``qgis_process`` with the plugin installed by ``make install`` into a throw-away HOME."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pyogrio
import pytest
from qgis.core import QgsProcessingException

pytest.register_assert_rewrite("ledger_support")
from ledger_support import Where, make_project_gpkg, seeded  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
QGIS_PROCESS = "/usr/bin/qgis_process.bin"


@pytest.fixture
def ledger_gpkg(tmp_path):
    where = Where("gpkg", str(make_project_gpkg(tmp_path / "project.gpkg")))
    seeded(where).close()
    return where.location


def test_show_advance_and_four_eyes(ledger_gpkg, tmp_path, run_alg):
    from landcoord.allocation import procedure as pr
    from landcoord.allocation.ledger import Ledger

    res = run_alg(
        "landcoord:projectstage",
        {"LEDGER": ledger_gpkg, "PROJECT": "P1", "ACTION": 0, "OUTPUT": str(tmp_path / "h0.gpkg")},
    )
    assert res["STAGE"] == "" and res["CONDITIONS"] == ""  # the first stage has no condition
    assert len(pyogrio.read_dataframe(res["OUTPUT"])) == 0
    with pytest.raises(QgsProcessingException, match="Four-eyes"):
        run_alg(
            "landcoord:projectstage",
            {
                "LEDGER": ledger_gpkg,
                "PROJECT": "P1",
                "ACTION": 1,
                "OFFICER": "王科长",
                "APPROVED_BY": "王科长",
                "OUTPUT": str(tmp_path / "h1.gpkg"),
            },
        )
    for n in (2, 3):
        res = run_alg(
            "landcoord:projectstage",
            {
                "LEDGER": ledger_gpkg,
                "PROJECT": "P1",
                "ACTION": 1,
                "OFFICER": "王科长",
                "APPROVED_BY": "李处长",
                "OUTPUT": str(tmp_path / f"h{n}.gpkg"),
            },
        )
    assert res["STAGE"] == "survey"
    got = pyogrio.read_dataframe(res["OUTPUT"])
    with Ledger.open(ledger_gpkg) as ledger:
        core = pr.stage_history(ledger, "P1")
    assert list(got["to_stage"]) == list(core["to_stage"]) == ["plan", "survey"]
    assert list(got["moved_by"]) == ["王科长", "王科长"] and list(got["approved_by"]) == ["李处长", "李处长"]
    res = run_alg(
        "landcoord:projectstage",
        {"LEDGER": ledger_gpkg, "PROJECT": "P1", "ACTION": 0, "OUTPUT": str(tmp_path / "h4.gpkg")},
    )
    assert res["CONDITIONS"].startswith("affected_reconciled: NOT met")
    with pytest.raises(QgsProcessingException, match="cannot enter stage scheme"):
        run_alg(
            "landcoord:projectstage",
            {
                "LEDGER": ledger_gpkg,
                "PROJECT": "P1",
                "ACTION": 1,
                "OFFICER": "王科长",
                "APPROVED_BY": "李处长",
                "OUTPUT": str(tmp_path / "h5.gpkg"),
            },
        )


def _plain_env(home) -> dict:
    env = dict(os.environ, HOME=str(home), QT_QPA_PLATFORM="offscreen", PATH="/usr/local/bin:/usr/bin:/bin")
    for var in ("VIRTUAL_ENV", "PYTHONPATH", "QGIS_CUSTOM_CONFIG_PATH", "QGIS_OPTIONS_PATH", "MAKEFLAGS"):
        env.pop(var, None)
    env["LANDCOORD_LANG"] = "en"
    env["LANDCOORD_OFFICER"] = "王科长"
    return env


def test_projectstage_through_qgis_process(ledger_gpkg, tmp_path):
    if not Path(QGIS_PROCESS).exists():
        pytest.skip("qgis_process.bin is not installed")
    home = tmp_path / "home"
    home.mkdir()
    proc = subprocess.run(
        ["make", "-s", "-C", str(ROOT), "install"], env=_plain_env(home), capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    args = [
        QGIS_PROCESS,
        "run",
        "landcoord:projectstage",
        "--json",
        "--",
        f"LEDGER={ledger_gpkg}",
        "PROJECT=P1",
        "ACTION=1",
        "APPROVED_BY=李处长",
        f"OUTPUT={tmp_path / 'history.gpkg'}",
    ]
    proc = subprocess.run(args, env=_plain_env(home), capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    results = json.loads(proc.stdout[proc.stdout.index("{") :])["results"]
    assert results["STAGE"] == "plan"
    history = pyogrio.read_dataframe(tmp_path / "history.gpkg")
    assert list(history["moved_by"]) == ["王科长"] and list(history["approved_by"]) == ["李处长"]
    # the same person approving is refused by qgis_process too, and nothing is written
    args[args.index("APPROVED_BY=李处长")] = "APPROVED_BY=王科长"
    proc = subprocess.run(args, env=_plain_env(home), capture_output=True, text=True, timeout=600)
    assert proc.returncode != 0 and "Four-eyes" in proc.stdout + proc.stderr
    from landcoord.allocation import procedure as pr
    from landcoord.allocation.ledger import Ledger

    with Ledger.open(ledger_gpkg) as ledger:
        assert pr.current_stage(ledger, "P1")[0] == "plan"
