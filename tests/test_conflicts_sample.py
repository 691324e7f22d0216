"""The conflict check on the bundled sample project: every kind recognised, areas exact, CLI output."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pyogrio
import pytest
import shapely

from landcoord.allocation.conflicts import plan_conflicts
from landcoord.allocation.controls import load_registry
from landcoord.allocation.files import read_layer

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample" / "landcoord_sample.gpkg"

pytestmark = pytest.mark.skipif(
    not SAMPLE.exists(), reason="the sample project has not landed: run `make sample`"
)


@pytest.fixture(scope="module")
def sample_layers():
    projects = read_layer(f"{SAMPLE}|layername=projects")
    controls = read_layer(f"{SAMPLE}|layername=controls")
    return projects, controls


def test_every_kind_of_the_sample_is_known_and_checked(sample_layers):
    projects, controls = sample_layers
    reg = load_registry()
    assert all(reg.lookup(v) is not None for v in controls["类型"])
    r = plan_conflicts(projects, controls, kind_field="类型", input_id_field="项目编号")
    assert sorted(r.kinds_checked) == sorted(k.name for k in reg)
    assert r.summary.input_id.tolist() == projects["项目编号"].tolist()
    assert not [w for w in r.warnings if "not checked" in w]


def test_sample_areas_match_an_independent_computation(sample_layers):
    projects, controls = sample_layers
    reg = load_registry()
    r = plan_conflicts(projects, controls, kind_field="类型", input_id_field="项目编号", tolerance=0.0)
    kinds = np.array([reg.lookup(v).key for v in controls["类型"]])
    have = {(x.input_id, x.kind): x.conflict_area for x in r.conflicts.itertuples()}
    want = {}
    with np.errstate(invalid="ignore"):
        for key in np.unique(kinds):
            kind = reg[key]
            union = shapely.union_all(shapely.make_valid(controls.geometry.values[kinds == key]))
            for pid, g in zip(projects["项目编号"], shapely.make_valid(projects.geometry.values)):
                part = g.difference(union) if kind.rule_type == "must_lie_inside" else g.intersection(union)
                if part.area > 0:
                    want[(pid, kind.name)] = part.area
    assert set(have) == set(want)
    for k, area in want.items():
        assert have[k] == pytest.approx(area, rel=1e-6), k
    for s in r.summary.itertuples():
        assert s.blocking_area <= s.input_area
        assert s.verdict == ("blocked" if s.blocking_area > 0 else "review" if s.review_area > 0 else "clear")


def test_cli_on_the_sample(tmp_path):
    exe = ROOT / ".venv" / "bin" / "landcoord"
    if not exe.exists():
        pytest.skip(f"{exe} not found: run scripts/bootstrap.sh")
    out = tmp_path / "conflicts.gpkg"
    proc = subprocess.run(
        [
            str(exe),
            "conflicts",
            "--input",
            f"{SAMPLE}|layername=projects",
            "--controls",
            f"{SAMPLE}|layername=controls",
            "--kind-field",
            "类型",
            "--input-id-field",
            "项目编号",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    summary = pyogrio.read_dataframe(out, layer="summary")
    projects = pyogrio.read_dataframe(SAMPLE, layer="projects", columns=["项目编号"])
    assert sorted(summary.input_id) == sorted(projects["项目编号"])
    for pid, verdict in zip(summary.input_id, summary.verdict):
        assert any(line.startswith(pid) and verdict in line for line in proc.stdout.splitlines())
