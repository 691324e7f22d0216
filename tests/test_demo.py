"""`make demo`'s command: the whole pipeline on the bundled sample project, every output written."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pyogrio
from hearing_support import pdf_text  # tests/ is on sys.path (conftest.py)

from landcoord.allocation.ledger import Ledger
from landcoord.allocation.notice import notice_frames

LANDCOORD = Path(sys.executable).parent / "landcoord"
OUTPUTS = [
    "affected.gpkg",
    "conflicts.gpkg",
    "quota.gpkg",
    "benefits.gpkg",
    "benefits.png",
    "retained.gpkg",
    "retained_conflicts.gpkg",
    "project.gpkg",
    "consent_progress.csv",
    "ledger.xlsx",
    "ledger_public.xlsx",
    "notice.pdf",
    "hearing_LHTZ-2024-01.pdf",
    "hearing_LHTZ-2024-02.pdf",
]


def test_demo_runs_every_step_on_the_sample(tmp_path, sample_gpkg):
    out = tmp_path / "sample"
    before = sample_gpkg.read_bytes()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run(
        [str(LANDCOORD), "demo", "--out", str(out)], capture_output=True, text=True, env=env, timeout=600
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    for name in OUTPUTS:
        assert (out / name).is_file() and (out / name).stat().st_size > 0, name
    text = proc.stdout
    for step in range(1, 7):
        assert f"== {step}." in text
    assert "project LHTZ-2024-01: boundary" in text and "NOT BALANCED" not in text  # areas reconcile
    # carved retained land is never blocked by the one map; the registry leaves 紫线 to review by hand
    assert re.search(r"7 inputs: 0 blocked, \d review, \d clear", text), text[-3000:]
    layers = {name for name, _ in pyogrio.list_layers(out / "affected.gpkg")}
    assert {"pieces", "summary", "status_summary", "gaps", "overlaps", "reconciliation"} <= layers
    assert sample_gpkg.read_bytes() == before  # the bundled project is never modified
    # the public notice of step 5b (issue 21): every project's notice and answered objection, the
    # objectors' names masked as in the ledger's public export, never in full
    notice = _flat(pdf_text(out / "notice.pdf"))
    with Ledger.open(out / "project.gpkg") as ledger:
        full = notice_frames(ledger, None, public=False)
        public = notice_frames(ledger, None, public=True)
    assert len(full["notices"]) == 2 and len(full["objections"]) == 2
    for title in full["notices"]["title"]:
        assert _flat(title) in notice
    masked = 0
    for name, shown in zip(full["objections"]["objector"], public["objections"]["objector"]):
        assert _flat(shown) in notice
        if shown != name:
            masked += 1
            assert _flat(name) not in notice, name
    assert masked, "no objector of the demo is a person: the masking is not tested"
    assert "经复核" in notice  # the answers are printed


def _flat(text: str) -> str:
    """pdftotext's text without spaces and line breaks (a cell may wrap over several lines)."""
    return "".join(str(text).split())
