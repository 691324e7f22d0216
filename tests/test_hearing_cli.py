"""``landcoord hearing`` on the command line (a subprocess with its own headless QGIS) and in-process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import hearing_support as hs  # tests/ is on sys.path (conftest.py)
import pytest

ROOT = Path(__file__).resolve().parent.parent
LANDCOORD = Path(sys.executable).parent / "landcoord"


def _run(*args, **kw):
    env = dict(os.environ)
    env.pop("QT_QPA_PLATFORM", None)  # the command sets it up itself
    env.pop("DISPLAY", None)
    cmd = [str(LANDCOORD)] if LANDCOORD.exists() else [sys.executable, "-m", "landcoord"]
    return subprocess.run(cmd + list(args), capture_output=True, text=True, env=env, timeout=600, **kw)


def test_command_writes_the_pack(tmp_path, sample_gpkg):
    out = tmp_path / "h.pdf"
    r = _run(
        "hearing",
        "--gpkg",
        str(sample_gpkg),
        "--project",
        hs.PROJECT,
        "--max-holders",
        "2",
        "--dpi",
        "60",
        "--paper",
        "A4",
        "--office",
        "龙华区土地整备事务中心",
        "--png",
        "--out",
        str(out),
    )
    assert r.returncode == 0, r.stderr
    pages = hs.pdf_pages(out)
    assert f"{pages} pages, public" in r.stdout
    assert "2 of 51 holders have a sheet" in r.stdout
    assert len(list((tmp_path / "h_png").glob("h_p*.png"))) == pages
    text = hs.pdf_text(out)
    assert "龙华区土地整备事务中心" in text and "Rights-holder sheet H02" in text
    _, parcels, _, _ = hs.sample_frames()
    people = parcels.loc[parcels["权利人类型"] == "个人", "权利人"].dropna().unique()
    assert [n for n in people if n in text] == []


def test_command_errors_are_clear(tmp_path, sample_gpkg):
    r = _run("hearing", "--gpkg", str(sample_gpkg), "--out", str(tmp_path / "x.pdf"))
    assert r.returncode == 2
    assert "holds 2 projects (LHTZ-2024-01, LHTZ-2024-02); choose the project" in r.stderr
    r = _run("hearing", "--gpkg", str(sample_gpkg), "--project", hs.PROJECT)
    assert r.returncode == 2 and "--out is required" in r.stderr
    r = _run("hearing", "--out", str(tmp_path / "x.pdf"))
    assert r.returncode == 2 and "--boundary is required (or give --gpkg)" in r.stderr
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.usefixtures("qgis_app")
def test_in_process_with_the_other_steps_outputs(tmp_path, sample_gpkg):
    """The other steps' outputs as files (quota trail, scenarios, chart, retained land,
    conflicts), the internal version, a holder chosen by code."""
    from landcoord.allocation.io.files import write_layers
    from landcoord.cli import main

    _, _, controls, result = hs.sample_frames()
    retained = hs.retained()
    conflicts, verdicts = hs.conflicts()
    steps = tmp_path / "steps.gpkg"
    write_layers(
        steps,
        {
            "quota_trail": hs.quota_trail(),
            "scenario_parties": hs.scenario_parties(),
            "parcels": retained,
            "conflicts": conflicts,
            "summary": verdicts,
        },
    )
    write_layers(tmp_path / "affected.gpkg", result.layers())
    chart = hs.chart(tmp_path / "chart.png")
    out = tmp_path / "internal.pdf"
    code = main(
        [
            "-q",
            "hearing",
            "--gpkg",
            str(sample_gpkg),
            "--project",
            hs.PROJECT,
            "--affected",
            str(tmp_path / "affected.gpkg"),
            "--quota-trail",
            f"{steps}|layername=quota_trail",
            "--scenarios",
            f"{steps}|layername=scenario_parties",
            "--chart",
            str(chart),
            "--retained",
            f"{steps}|layername=parcels",
            "--conflicts",
            f"{steps}|layername=conflicts",
            "--conflict-summary",
            f"{steps}|layername=summary",
            "--holders",
            "H03",
            "--internal",
            "--dpi",
            "60",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    texts = hs.page_texts(out)
    assert all("INTERNAL — NOT FOR PUBLIC DISPLAY" in t for t in texts)
    sheets = [t for t in texts if "Rights-holder sheet H" in t]
    assert sheets and all("Rights-holder sheet H03" in t for t in sheets)
    joined = "\n".join(texts)
    assert "Benefit sharing" in joined and "不可行 blocked" in joined
    _, parcels, _, _ = hs.sample_frames()
    for col in ("身份证号", "联系电话"):
        assert [x for x in parcels[col].dropna().unique() if x in joined] == []


@pytest.mark.usefixtures("qgis_app")
def test_ledger_option_prints_the_code(tmp_path, sample_gpkg, capsys):
    from landcoord.allocation.ledger import Ledger
    from landcoord.cli import main

    gpkg = hs.ledger_gpkg(tmp_path / "project.gpkg")
    with Ledger.open(gpkg) as ledger:
        code = ledger.fingerprint().code
    _, _, _, result = hs.sample_frames()
    from landcoord.allocation.io.files import write_layers

    write_layers(tmp_path / "affected.gpkg", result.layers())
    args = [
        "hearing",
        "--gpkg",
        str(gpkg),
        "--project",
        hs.PROJECT,
        "--affected",
        str(tmp_path / "affected.gpkg"),
    ]
    args += ["--max-holders", "0", "--dpi", "50", "--paper", "A4"]
    assert main([*args, "--ledger", str(gpkg), "--out", str(tmp_path / "h.pdf")]) == 0
    assert f"printed on the overview: {code}" in capsys.readouterr().out
    assert f"Ledger code：{code}" in hs.page_texts(tmp_path / "h.pdf")[0]
    assert main(["consent", "verify", str(gpkg), "--code", code]) == 0
    # not a ledger: exit status 2, the file named
    capsys.readouterr()
    assert main([*args, "--ledger", str(sample_gpkg), "--out", str(tmp_path / "x.pdf")]) == 2
    err = capsys.readouterr().err
    assert str(sample_gpkg) in err and "has no consultation ledger" in err
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.usefixtures("qgis_app")
def test_write_templates(tmp_path):
    from landcoord.cli import main

    assert main(["hearing", "--write-templates", str(tmp_path / "tpl"), "--paper", "A4"]) == 0
    names = sorted(p.name for p in (tmp_path / "tpl").iterdir())
    assert names == ["benefit.qpt", "conflicts.qpt", "holder.qpt", "monitoring.qpt", "overview.qpt"]
    text = (tmp_path / "tpl" / "holder.qpt").read_text(encoding="utf-8")
    for item_id in ("title", "titleblock", "map", "holder", "table_parcels", "table_scenarios", "stamp"):
        assert f'id="{item_id}"' in text
