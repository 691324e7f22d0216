"""End to end: landcoord:carveretained in a real qgis_process.bin, the plugin installed by `make install`
into a temporary HOME (never the user's profile)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely

from landcoord.allocation.io.files import write_layers
from landcoord.sample.retained_projects import synthetic_project

ROOT = Path(__file__).resolve().parent.parent
QGIS_PROCESS = "/usr/bin/qgis_process.bin"


def _plain_env(home) -> dict:
    env = dict(os.environ, HOME=str(home), QT_QPA_PLATFORM="offscreen", PATH="/usr/local/bin:/usr/bin:/bin")
    for var in ("VIRTUAL_ENV", "PYTHONPATH", "QGIS_CUSTOM_CONFIG_PATH", "QGIS_OPTIONS_PATH", "MAKEFLAGS"):
        env.pop(var, None)
    return env


# qgis_home: conftest.py (a HOME with landcoord installed, for QGIS_PROCESS with _plain_env)


def _run(home, *args):
    return subprocess.run(
        [QGIS_PROCESS, *args], env=_plain_env(home), capture_output=True, text=True, timeout=600
    )


@pytest.mark.qgis_process
def test_qgis_process_carves_a_generated_project(qgis_home, tmp_path):
    p = synthetic_project(3, area_ha=15, communities=3)
    path = tmp_path / "project.gpkg"
    controls, planned, gic = p["exclude"]
    write_layers(
        path,
        {
            "projects": p["boundary"],
            "controls": controls,
            "planned_roads": planned,
            "facilities": gic,
            "roads": p["roads"],
            "holdings": p["holdings"],
            "quotas": p["quotas"],
        },
    )
    out = tmp_path / "parcels.gpkg"
    proc = _run(
        qgis_home,
        "run",
        "landcoord:carveretained",
        "--json",
        "--",
        f"BOUNDARY={path}|layername=projects",
        f"QUOTAS={path}|layername=quotas",
        f"EXCLUDE={path}|layername=controls",
        f"EXCLUDE={path}|layername=planned_roads",
        f"EXCLUDE={path}|layername=facilities",
        f"PREFER={path}|layername=holdings",
        "PREFER_FIELD=社区",
        f"ROADS={path}|layername=roads",
        "MIN_WIDTH=20",
        f"OUTPUT={out}",
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    result = json.loads(proc.stdout[proc.stdout.index("{") :])
    parcels = gpd.read_file(result["results"]["OUTPUT"])
    assert sorted(parcels.community) == sorted(p["quotas"].community)
    assert (np.abs(shapely.area(parcels.geometry.values) - parcels.target_area) <= 0.01).all()
    zones = shapely.union_all([g for layer in p["exclude"] for g in layer.geometry.values])
    assert max(shapely.intersection(g, zones).area for g in parcels.geometry) <= 1e-6


@pytest.mark.qgis_process
def test_qgis_process_reports_infeasible_quotas(qgis_home, tmp_path):
    p = synthetic_project(3, area_ha=5, communities=1, quota_share=0.99)
    path = tmp_path / "small.gpkg"
    write_layers(path, {"projects": p["boundary"], "planned_roads": p["exclude"][1], "quotas": p["quotas"]})
    proc = _run(
        qgis_home,
        "run",
        "landcoord:carveretained",
        "--",
        f"BOUNDARY={path}|layername=projects",
        f"QUOTAS={path}|layername=quotas",
        f"EXCLUDE={path}|layername=planned_roads",
        f"OUTPUT={tmp_path / 'x.gpkg'}",
    )
    assert proc.returncode != 0
    assert "shortfall" in proc.stdout + proc.stderr
