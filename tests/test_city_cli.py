"""``landcoord city`` in a subprocess: files and PostGIS in, every layer out, the project table printed."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pyogrio
import pytest

from landcoord.allocation.city import PROJECT_COLUMNS, city_screen
from landcoord.sample.fabric import blob_boundaries, quad_fabric

pytest.register_assert_rewrite("city_support")
from city_support import FIELDS, make_zones  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
LANDCOORD = ROOT / ".venv" / "bin" / "landcoord"
ARGS = [
    "--parcel-field",
    "pid",
    "--holder-field",
    "owner",
    "--status-field",
    "status",
    "--project-field",
    "code",
]


def run(*args, timeout=300):
    return subprocess.run([str(LANDCOORD), *map(str, args)], capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    if not LANDCOORD.exists():
        pytest.skip(f"{LANDCOORD} not found: run scripts/bootstrap.sh")
    fabric = quad_fabric(3000, seed=31, gap_fraction=0.003, overlap_count=3)
    plan = blob_boundaries(fabric, 12, seed=31, coverage=0.4)
    zones = make_zones(fabric, n=150)
    path = tmp_path_factory.mktemp("city") / "city.gpkg"
    pyogrio.write_dataframe(fabric, path, layer="parcels")
    pyogrio.write_dataframe(plan, path, layer="projects")
    pyogrio.write_dataframe(zones, path, layer="controls")
    return path, fabric, plan, zones


def test_cli_files_to_geopackage(data, tmp_path):
    path, fabric, plan, zones = data
    out = tmp_path / "out" / "city.gpkg"
    proc = run(
        "city",
        "--projects",
        f"{path}|layername=projects",
        "--cadastre",
        f"{path}|layername=parcels",
        "--controls",
        f"{path}|layername=controls",
        "--kind-field",
        "kind",
        *ARGS,
        "--partitions",
        "4",
        "--out",
        out,
    )
    assert proc.returncode == 0, proc.stderr
    layers = {str(n) for n, _ in pyogrio.list_layers(out)}
    assert layers == {
        "projects",
        "pieces",
        "summary",
        "status_summary",
        "gaps",
        "overlaps",
        "reconciliation",
        "conflicts",
        "conflict_summary",
        "partitions",
    }
    got = pyogrio.read_dataframe(out, layer="projects")
    assert list(got.columns[: len(PROJECT_COLUMNS)]) == PROJECT_COLUMNS
    core = city_screen(plan, fabric, controls=zones, kind_field="kind", partitions=4, **FIELDS).projects
    assert got["project"].tolist() == core["project"].tolist()
    assert np.allclose(got["gap_area"], core["gap_area"], rtol=1e-12)
    assert got["verdict"].tolist() == core["verdict"].tolist()
    assert "4 partitions" in proc.stdout and "PRJ0000" in proc.stdout and "blocked" in proc.stdout
    assert "distributed.scheduler" not in proc.stderr


def test_cli_postgis_cadastre(postgres_dsn, data, tmp_path):
    from landcoord.allocation.io import postgis as pg

    path, fabric, plan, _ = data
    pg.write_postgis(fabric, f"PG:{postgres_dsn}|table=public.cli_parcels", replace=True)
    out = tmp_path / "pg.gpkg"
    proc = run(
        "city",
        "--projects",
        f"{path}|layername=projects",
        "--cadastre",
        f"PG:{postgres_dsn}|table=public.cli_parcels",
        *ARGS,
        "--scheduler",
        "processes",  # worker processes import the landcoord script again: it must run only once
        "--workers",
        "2",
        "--out",
        out,
    )
    assert proc.returncode == 0, proc.stderr
    got = pyogrio.read_dataframe(out, layer="summary")
    core = city_screen(plan, fabric, **FIELDS).affected.summary
    assert got["holder"].tolist() == core["holder"].tolist()
    assert np.allclose(got["affected_area"], core["affected_area"], rtol=1e-12)
    assert "verdict" not in pyogrio.read_dataframe(out, layer="projects").columns


def test_cli_progress_bar_on_a_terminal(data, tmp_path):
    """On a terminal (a pseudo-terminal made by script(1)) the run draws a progress bar."""
    if shutil.which("script") is None:
        pytest.skip("script(1) is not installed")
    path, *_ = data
    cmd = (
        f"'{LANDCOORD}' city --projects '{path}|layername=projects' --cadastre '{path}|layername=parcels' "
        + " ".join(ARGS)
        + f" --partitions 5 --out '{tmp_path / 'bar.gpkg'}'"
    )
    proc = subprocess.run(["script", "-qec", cmd, "/dev/null"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout
    assert "[" in proc.stdout and "#" in proc.stdout and "%" in proc.stdout


def test_cli_errors(data, tmp_path):
    path, *_ = data
    base = ["city", "--projects", f"{path}|layername=projects", "--cadastre", f"{path}|layername=parcels"]
    proc = run(*base, *ARGS, "--controls", f"{path}|layername=controls", "--out", tmp_path / "x.gpkg")
    assert proc.returncode == 2 and "--kind-field" in proc.stderr
    proc = run(*base, *ARGS, "--scheduler", "gpu", "--out", tmp_path / "x.gpkg")
    assert proc.returncode == 2 and "Unknown scheduler 'gpu'" in proc.stderr
    proc = run(*base, *ARGS[:2], "--holder-field", "nope", "--out", tmp_path / "x.gpkg")
    assert proc.returncode == 2 and "'nope'" in proc.stderr
    assert not (tmp_path / "x.gpkg").exists()
