"""Issue 19: the dock works on a 1280 x 800 screen: every step's tab and every column of the results
table can be seen without scrolling (real QGIS main window under Xvfb, as ``docs/dock-1280x800.png``)."""

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


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_dock_fits_a_1280_by_800_screen(lang, tmp_path, qgis_app):
    if shutil.which("xvfb-run") is None:
        pytest.skip("xvfb-run is not installed")
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "QGIS_CUSTOM_CONFIG_PATH")}
    env["QT_QPA_PLATFORM"] = "xcb"
    out = tmp_path / f"dock-{lang}.png"
    cmd = ["xvfb-run", "-a", "-s", "-screen 0 1280x800x24", sys.executable, str(SCRIPT)]
    cmd += ["--lang", lang, "--out", str(out), "--work", str(tmp_path / "work"), "--size", "1280x800"]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    shown = json.loads(proc.stdout.strip().splitlines()[-1])
    assert (shown["width"], shown["height"]) == (1280, 800)
    assert len(shown["tabs"]) >= 6
    assert shown["tabs_visible"], "a step's tab is out of sight"
    assert shown["columns_visible"], "a column of the results table is cut off"
    assert out.is_file() and out.stat().st_size > 20_000
