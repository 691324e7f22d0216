"""The procedure step of ``landcoord demo`` on the bundled sample (issue 21): the sample's projects
through their stages on the real affected-area reconciliation and the demo ledger; the stage history
and the threshold verdicts printed; the move to 审批 refused while the 利益统筹 signing threshold is
not set; the ledger still verifies against the fingerprint printed."""

from __future__ import annotations

import contextlib
import io
import re

from landcoord.allocation.affected import affected_area
from landcoord.allocation.io.files import read_layer
from landcoord.allocation.ledger import Ledger
from landcoord.cli.consent import demo_step as consent_demo
from landcoord.cli.demo import SAMPLE_SCHEMA
from landcoord.cli.stage import demo_step as stage_demo


def test_the_sample_projects_through_their_stages(sample_gpkg, tmp_path):
    s = SAMPLE_SCHEMA
    result = affected_area(
        read_layer(f"{sample_gpkg}|layername={s['boundary']}"),
        read_layer(f"{sample_gpkg}|layername={s['cadastre']}"),
        parcel_field=s["parcel_field"],
        holder_field=s["holder_field"],
        status_field=s["status_field"],
        project_field=s["project_field"],
    )
    with contextlib.redirect_stdout(io.StringIO()):
        progress = consent_demo(sample_gpkg, result.pieces, tmp_path)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        history = stage_demo(tmp_path / "project.gpkg", result.reconciliation, progress.projects)
    text = out.getvalue()
    projects = sorted(str(p) for p in progress.projects["project"])
    assert projects == ["LHTZ-2024-01", "LHTZ-2024-02"]
    for p in projects:
        moves = history[history["project"] == p]
        assert list(moves["to_stage"]) == ["plan", "survey", "scheme", "notice", "agreement"]
        assert (moves["forced"] == 0).all() and (moves["approved_by"] != moves["moved_by"]).all()
        lines = [x for x in text.splitlines() if x.startswith(p + " ")]
        assert len(lines) == 5 and "affected_reconciled=✓, consent_recorded=✓" in lines[2]
        assert f"Project {p} cannot enter stage approval" in text
        assert f"{p}: expropriation_old_residential: not met" in text
        assert f"{p}: benefit_coordination_agreement: not set" in text
    code = re.search(r"LC1-\d+-[0-9A-F-]{19}", text).group(0)
    with Ledger.open(tmp_path / "project.gpkg") as ledger:
        v = ledger.verify(code)
        assert v.chain_ok and v.replay_ok
