"""End to end: `make install` into a temporary profile, then real qgis_process.bin runs; the CLI."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest

from landcoord.sample.fabric import blob_boundaries, quad_fabric

ROOT = Path(__file__).resolve().parent.parent
QGIS_PROCESS = "/usr/bin/qgis_process.bin"
LANDCOORD = Path(sys.executable).parent / "landcoord"


def _plain_env(home) -> dict:
    """The environment of a plain QGIS process for this HOME: no venv, no pytest-qgis settings path."""
    env = dict(os.environ, HOME=str(home), QT_QPA_PLATFORM="offscreen", PATH="/usr/local/bin:/usr/bin:/bin")
    for var in ("VIRTUAL_ENV", "PYTHONPATH", "QGIS_CUSTOM_CONFIG_PATH", "QGIS_OPTIONS_PATH", "MAKEFLAGS"):
        env.pop(var, None)
    return env


@pytest.fixture(scope="module")
def qgis_home(qgis_home):
    """conftest's HOME with landcoord installed, checked to link this checkout."""
    link = qgis_home / ".local/share/QGIS/QGIS3/profiles/default/python/plugins/landcoord"
    assert link.is_symlink() and link.resolve() == ROOT
    return qgis_home


def qgis_process(home, *args, check=True):
    proc = subprocess.run(
        [QGIS_PROCESS, *args], env=_plain_env(home), capture_output=True, text=True, timeout=600
    )
    if check:
        assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("data")
    parcels = quad_fabric(600, cell=20.0, seed=11, gap_fraction=0.02, overlap_count=10)
    bounds = blob_boundaries(parcels, 3, seed=11, coverage=0.4)
    parcels.to_file(d / "cad.gpkg", layer="parcels")
    bounds.to_file(d / "prj.gpkg", layer="projects")
    return d, parcels, bounds


@pytest.mark.qgis_process
def test_qgis_process_lists_and_runs_affectedarea(qgis_home, files):
    from landcoord.allocation.affected import affected_area

    d, parcels, bounds = files
    listing = qgis_process(qgis_home, "list").stdout
    assert "landcoord:affectedarea" in listing
    out = d / "qp"
    out.mkdir(exist_ok=True)
    proc = qgis_process(
        qgis_home,
        "run",
        "landcoord:affectedarea",
        "--json",
        "--",
        f"BOUNDARY={d / 'prj.gpkg'}|layername=projects",
        "PROJECT_FIELD=code",
        f"CADASTRE={d / 'cad.gpkg'}|layername=parcels",
        "PARCEL_FIELD=pid",
        "HOLDER_FIELD=owner",
        "STATUS_FIELD=status",
        f"OUTPUT={out / 'pieces.gpkg'}",
        f"SUMMARY={out / 'summary.csv'}",
        f"GAPS={out / 'gaps.gpkg'}",
        f"OVERLAPS={out / 'overlaps.gpkg'}",
    )
    result = json.loads(proc.stdout[proc.stdout.index("{") :])
    assert Path(result["results"]["OUTPUT"]).exists()
    summary = pyogrio.read_dataframe(out / "summary.csv")
    core = affected_area(bounds, parcels, parcel_field="pid", holder_field="owner", project_field="code")
    got = summary.astype({"affected_area": float}).set_index(["project", "holder"]).affected_area.sort_index()
    want = core.summary.set_index(["project", "holder"]).affected_area.sort_index()
    assert got.to_numpy() == pytest.approx(want.to_numpy(), rel=1e-9)
    assert len(gpd.read_file(out / "overlaps.gpkg")) == len(core.overlaps) > 0


@pytest.mark.qgis_process
def test_qgis_process_reports_a_bad_field_clearly(qgis_home, files):
    d, _, _ = files
    proc = qgis_process(
        qgis_home,
        "run",
        "landcoord:affectedarea",
        "--",
        f"BOUNDARY={d / 'prj.gpkg'}",
        f"CADASTRE={d / 'cad.gpkg'}",
        "PARCEL_FIELD=pid",
        "HOLDER_FIELD=权利人",
        f"OUTPUT={d / 'x.gpkg'}",
        check=False,
    )
    assert proc.returncode != 0
    assert "权利人" in proc.stdout + proc.stderr


def test_cli_affected_writes_every_layer(files, tmp_path):
    d, parcels, _ = files
    out = tmp_path / "affected.gpkg"
    proc = subprocess.run(
        [
            str(LANDCOORD),
            "affected",
            "--boundary",
            f"{d / 'prj.gpkg'}|layername=projects",
            "--cadastre",
            str(d / "cad.gpkg"),
            "--parcel-field",
            "pid",
            "--holder-field",
            "owner",
            "--status-field",
            "status",
            "--project-field",
            "code",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    layers = {name for name, _ in pyogrio.list_layers(out)}
    assert {"pieces", "summary", "status_summary", "gaps", "overlaps", "reconciliation"} <= layers
    pieces = gpd.read_file(out, layer="pieces")
    assert list(pieces.columns[:7]) == [
        "project",
        "parcel_id",
        "holder",
        "status",
        "piece_area",
        "parcel_area",
        "parcel_share",
    ]
    assert "balanced" in proc.stdout and "holder" in proc.stdout


def test_cli_bad_field_exit_2_with_message(files, tmp_path):
    d, _, _ = files
    proc = subprocess.run(
        [
            str(LANDCOORD),
            "affected",
            "--boundary",
            str(d / "prj.gpkg"),
            "--cadastre",
            str(d / "cad.gpkg"),
            "--parcel-field",
            "pid",
            "--holder-field",
            "权利人",
            "--out",
            str(tmp_path / "o.gpkg"),
        ],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2
    assert "权利人" in proc.stderr and "owner" in proc.stderr
    assert not (tmp_path / "o.gpkg").exists()
    assert shutil.which("ogrinfo") is None or True
