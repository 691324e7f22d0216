"""``landcoord conflicts`` in a subprocess: layers written, verdict table printed, errors explained."""

from __future__ import annotations

import subprocess
from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest
from shapely import box

ROOT = Path(__file__).resolve().parent.parent
LANDCOORD = ROOT / ".venv" / "bin" / "landcoord"


def run(*args, cwd=None):
    return subprocess.run(
        [str(LANDCOORD), *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=120
    )


@pytest.fixture
def plan(tmp_path):
    if not LANDCOORD.exists():
        pytest.skip(f"{LANDCOORD} not found: run scripts/bootstrap.sh")
    proposal = gpd.GeoDataFrame(
        {"code": ["S1", "S2", "S3"]},
        geometry=[box(0, 0, 100, 100), box(200, 0, 300, 100), box(400, 0, 500, 100)],
        crs=4547,
    )
    controls = gpd.GeoDataFrame(
        {"kind": ["永久基本农田", "purple line", "UDB", "road red line"]},
        geometry=[
            box(50, 50, 150, 150),
            box(250, 50, 260, 60),
            box(-10, -10, 520, 110),
            box(500, 0, 520, 100),
        ],
        crs=4547,
    )
    path = tmp_path / "plan.gpkg"
    proposal.to_file(path, layer="sites")
    controls.to_file(path, layer="controls")
    return path


def test_cli_writes_both_layers_and_prints_the_verdicts(plan, tmp_path):
    out = tmp_path / "out" / "conflicts.gpkg"
    proc = run(
        "conflicts",
        "--input",
        f"{plan}|layername=sites",
        "--controls",
        f"{plan}|layername=controls",
        "--kind-field",
        "kind",
        "--input-id-field",
        "code",
        "--out",
        out,
    )
    assert proc.returncode == 0, proc.stderr
    assert [name for name, _ in pyogrio.list_layers(out)] == ["conflicts", "summary"]
    conflicts = gpd.read_file(out, layer="conflicts")
    assert conflicts[["input_id", "kind", "severity"]].values.tolist() == [
        ["S1", "永久基本农田", "blocking"],
        ["S2", "紫线", "review"],
    ]
    assert conflicts.conflict_area.tolist() == pytest.approx([2500.0, 100.0])
    summary = pyogrio.read_dataframe(out, layer="summary")
    assert summary.verdict.tolist() == ["blocked", "review", "clear"]
    lines = proc.stdout.splitlines()
    assert lines[0].split()[:3] == ["input", "verdict", "blocking"]
    body = [ln.split() for ln in lines[2:5]]
    assert [(r[0], r[1]) for r in body] == [("S1", "blocked"), ("S2", "review"), ("S3", "clear")]
    assert body[0][2] == "2,500.00" and "永久基本农田" in lines[2]
    assert "3 inputs: 1 blocked, 1 review, 1 clear" in proc.stdout
    assert f"written: {out}" in proc.stdout
    assert "EPSG:4547" in proc.stderr  # the measurement note


def test_cli_tolerance_and_registry(plan, tmp_path):
    mine = tmp_path / "mine.toml"
    mine.write_text('[kinds.purple_line]\nseverity = "advisory"\n', encoding="utf-8")
    out = tmp_path / "c.gpkg"
    proc = run(
        "conflicts",
        "--input",
        f"{plan}|layername=sites",
        "--controls",
        f"{plan}|layername=controls",
        "--kind-field",
        "kind",
        "--registry",
        mine,
        "--tolerance",
        "200",
        "--out",
        out,
    )
    assert proc.returncode == 0, proc.stderr
    conflicts = gpd.read_file(out, layer="conflicts")
    assert conflicts.severity.tolist() == ["blocking", "sliver"]  # 100 m² of purple line < 200 m²
    summary = pyogrio.read_dataframe(out, layer="summary")
    assert summary.input_id.tolist() == [1, 2, 3]  # feature ids by default
    assert "of which 1 sliver;" in proc.stdout


def test_cli_unknown_kind_and_bad_registry_exit_2_without_output(plan, tmp_path):
    controls = gpd.read_file(plan, layer="controls")
    controls.loc[1, "kind"] = "风貌保护区"
    bad = tmp_path / "bad.gpkg"
    controls.to_file(bad, layer="controls")
    out = tmp_path / "never.gpkg"
    args = ["conflicts", "--input", f"{plan}|layername=sites", "--kind-field", "kind", "--out", out]
    proc = run(*args, "--controls", f"{bad}|layername=controls")
    assert proc.returncode == 2
    assert "风貌保护区" in proc.stderr and "Known kinds" in proc.stderr and "--registry" in proc.stderr
    assert not out.exists()
    broken = tmp_path / "broken.toml"
    broken.write_text('[kinds.green_line]\nseverity = "hard"\n', encoding="utf-8")
    proc = run(*args, "--controls", f"{plan}|layername=controls", "--registry", broken)
    assert proc.returncode == 2
    assert (
        str(broken) in proc.stderr
        and "kinds.green_line.severity" in proc.stderr
        and "(line 2)" in proc.stderr
    )
    assert not out.exists()
