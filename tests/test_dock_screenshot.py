"""Screenshots of the dock in a real QGIS main window under Xvfb, in English and in Chinese.

The main test process runs offscreen; the screenshot runs ``tests/dock_screenshot.py`` in a
subprocess under ``xvfb-run`` with ``QT_QPA_PLATFORM=xcb``. The same script made
``docs/dock-en.png`` and ``docs/dock-zh.png``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "tests" / "dock_screenshot.py"


def _shoot(lang: str, out: Path, work: Path) -> dict:
    if shutil.which("xvfb-run") is None:
        pytest.skip("xvfb-run is not installed")
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "QGIS_CUSTOM_CONFIG_PATH")}
    env["QT_QPA_PLATFORM"] = "xcb"
    cmd = ["xvfb-run", "-a", "-s", "-screen 0 1600x1000x24", sys.executable, str(SCRIPT)]
    cmd += ["--lang", lang, "--out", str(out), "--work", str(work)]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _not_blank(path: Path) -> None:
    from qgis.PyQt.QtGui import QImage

    image = QImage(str(path))
    assert image.width() >= 1200 and image.height() >= 800
    colours = {image.pixel(x, y) for x in range(0, image.width(), 23) for y in range(0, image.height(), 19)}
    assert len(colours) > 50  # a map and a table, not an empty window


@pytest.mark.parametrize(
    ("lang", "tabs"),
    [
        ("en", ["Project", "Affected area", "Conflicts", "Quota and scenarios", "Retained land", "Hearing"]),
        ("zh", ["项目", "受影响面积", "冲突", "指标与方案", "留用地", "听证"]),
    ],
)
def test_screenshot_shows_real_results(lang, tabs, tmp_path, qgis_app, run_alg, sample_gpkg):
    import pyogrio

    out = tmp_path / f"dock-{lang}.png"
    shown = _shoot(lang, out, tmp_path / "work")
    assert out.is_file() and 20_000 < out.stat().st_size < 800_000
    _not_blank(out)
    assert shown["tabs"][: len(tabs)] == tabs
    # the table shown is the algorithm's result for project LHTZ-2024-01
    ref = run_alg(
        "landcoord:affectedarea",
        {
            "BOUNDARY": f"{sample_gpkg}|layername=projects",
            "PROJECT_FIELD": "项目编号",
            "CADASTRE": f"{sample_gpkg}|layername=parcels",
            "PARCEL_FIELD": "宗地号",
            "HOLDER_FIELD": "权利人",
            "STATUS_FIELD": "用地状态",
            "OUTPUT": str(tmp_path / "pieces.gpkg"),
            "SUMMARY": str(tmp_path / "summary.gpkg"),
        },
    )
    summary = pyogrio.read_dataframe(ref["SUMMARY"])
    summary = summary[summary.project == "LHTZ-2024-01"]
    assert shown["rows"] == len(summary)
    want = summary.set_index("holder").affected_area[shown["holder"]]
    assert shown["area"] == pytest.approx(want, rel=1e-9)
    assert f"{summary.affected_area.sum():,.2f}" in shown["totals"]
