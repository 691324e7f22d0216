"""`landcoord quota` and `landcoord benefits` in a subprocess, on the GeoPackage of `landcoord affected`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import pytest
from shapely import box

from landcoord.sample.fabric import blob_boundaries, quad_fabric

LANDCOORD = Path(sys.executable).parent / "landcoord"


def cli(*args, check=True):
    proc = subprocess.run([str(LANDCOORD), *map(str, args)], capture_output=True, text=True, timeout=300)
    if check:
        assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc


@pytest.fixture(scope="module")
def affected(tmp_path_factory):
    d = tmp_path_factory.mktemp("cli")
    parcels = quad_fabric(300, cell=25.0, seed=9)
    parcels["社区"] = np.where(parcels.index % 3 == 0, "西村", "东村")
    bounds = blob_boundaries(parcels, 2, seed=9, coverage=0.5)
    parcels.to_file(d / "cad.gpkg", layer="parcels")
    bounds.to_file(d / "prj.gpkg", layer="projects")
    rng = np.random.default_rng(9)
    c = parcels.geometry.centroid
    s = rng.uniform(3, 8, len(c))
    buildings = gpd.GeoDataFrame(
        {
            "建筑面积": np.round(s * s * rng.integers(1, 6, len(c)), 1),
            "合法状态": rng.choice(["合法", "历史遗留违法建筑", "违法建筑"], len(c)),
        },
        geometry=[box(p.x - r, p.y - r, p.x + r, p.y + r) for p, r in zip(c, s)],
        crs=parcels.crs,
    )
    buildings.to_file(d / "cad.gpkg", layer="buildings")
    cli(
        "affected",
        "--boundary",
        f"{d / 'prj.gpkg'}|layername=projects",
        "--cadastre",
        f"{d / 'cad.gpkg'}|layername=parcels",
        "--parcel-field",
        "pid",
        "--holder-field",
        "owner",
        "--status-field",
        "status",
        "--project-field",
        "code",
        "--out",
        d / "affected.gpkg",
    )
    return d


def test_quota_list_rules():
    out = cli("quota", "--list-rules").stdout
    assert "shenzhen_benefit_coordination" in out and "guangdong_2016" in out
    assert "shenzhen_example" in out and "EXAMPLE" in out


def test_quota_with_shipped_rules_prints_why_not_official(affected):
    d = affected
    proc = cli("quota", "--pieces", f"{d / 'affected.gpkg'}|layername=pieces", "--out", d / "q0.csv")
    assert "NOT OFFICIAL" in proc.stdout and "values.cap_ratio" in proc.stdout
    assert "(empty)" in proc.stdout
    proc = cli(
        "quota",
        "--pieces",
        f"{d / 'affected.gpkg'}|layername=pieces",
        "--out",
        d / "q1.csv",
        "--official",
        check=False,
    )
    assert proc.returncode == 2 and "No official result" in proc.stderr
    assert not (d / "q1.csv").exists()


def test_quota_and_benefits_end_to_end(affected):
    from landcoord.allocation.io.files import read_table
    from landcoord.allocation.rules import RULES_DIR

    d = affected
    gpkg = d / "cad.gpkg"
    common = ["--pieces", f"{d / 'affected.gpkg'}|layername=pieces", "--parcels", f"{gpkg}|layername=parcels"]
    common += ["--parcel-field", "pid", "--community-field", "社区"]
    common += ["--buildings", f"{gpkg}|layername=buildings", "--floor-area-field", "建筑面积"]
    proc = cli("quota", *common, "--rules", "shenzhen_example", "--out", d / "quota.gpkg")
    assert "rule set shenzhen-example" in proc.stdout and "EXAMPLE" in proc.stdout
    trail = pyogrio.read_dataframe(d / "quota.gpkg", layer="quota_trail")
    summary = pyogrio.read_dataframe(d / "quota.gpkg", layer="quota_summary")
    assert set(summary.community) == {"东村", "西村"} and summary.retained_area.notna().all()
    assert (trail.quantity == "result.planned_floor_area").sum() == len(summary)
    # the same trail as CSV, which `benefits` reads as well
    cli("quota", *common, "--rules", "shenzhen_example", "--out", d / "quota.csv")
    assert (d / "quota_quota_summary.csv").exists()
    assert len(read_table(d / "quota.csv")) == len(trail)

    scen = RULES_DIR / "scenarios" / "example_sample_scenarios.toml"
    for quota in (d / "quota.gpkg", d / "quota.csv"):
        proc = cli(
            "benefits", *common, "--building-status-field", "合法状态", "--quota", quota, "--scenarios", scen,
            "--out", d / "benefits.gpkg", "--chart", d / "benefits.png",
        )  # fmt: skip
        assert "NOT OFFICIAL" in proc.stdout and "NOT BALANCED" not in proc.stdout
        assert proc.stdout.count("(balanced)") == 3 * 2  # 3 scenarios x 2 projects
    parties = pyogrio.read_dataframe(d / "benefits.gpkg", layer="scenario_parties")
    assert set(parties.scenario) == {"A", "B", "C"}
    assert (d / "benefits.png").read_bytes()[:4] == b"\x89PNG"
    # holders are summed in the printed table: no rights-holder's name is printed
    assert "H000001" not in proc.stdout and "rights-holders" in proc.stdout


def test_benefits_error_is_reported_with_exit_status_2(affected, tmp_path):
    d = affected
    bad = tmp_path / "s.toml"
    bad.write_text('[scenarios]\ntitle = "t"\n[[scenario]]\nid = "A"\n', encoding="utf-8")
    proc = cli(
        "benefits",
        "--pieces",
        f"{d / 'affected.gpkg'}|layername=pieces",
        "--quota",
        d / "q0.csv",
        "--scenarios",
        bad,
        "--out",
        tmp_path / "b.gpkg",
        check=False,
    )
    assert proc.returncode == 2
    assert "s.toml line 3" in proc.stderr and "retained_share" in proc.stderr


def test_quota_check_lists_rules_and_reports_bad_files(tmp_path):
    out = cli("quota", "--check", "--rules", "shenzhen_benefit_coordination").stdout
    assert "values.cap_ratio" in out and "EMPTY" in out and "values.shared_cap_ratio" in out
    assert "measures.uncompensated_block" in out and "shenzhen_benefit_coordination.toml line" in out
    bad = tmp_path / "mine.toml"
    bad.write_text(
        '[ruleset]\nid = "m"\ntitle = "m"\nextends = "shenzhen_benefit_coordination"\n\n'
        '[values.plot_far]\nlabel = "x"\nvalue = 3.2\nunit = "FAR"\ndocument = "深标"\narticle = ""\n'
        'version = ""\nsource = ""\nverified = yes\n',
        encoding="utf-8",
    )
    proc = cli("quota", "--check", "--rules", bad, check=False)
    assert proc.returncode == 2 and "not valid TOML" in proc.stderr and "line 14" in proc.stderr
    bad.write_text(
        bad.read_text(encoding="utf-8").replace("verified = yes", "verified = true"), encoding="utf-8"
    )
    proc = cli("quota", "--check", "--rules", bad, check=False)
    assert proc.returncode == 2
    assert "mine.toml line 13: values.plot_far.source: verified = true needs the 'source'" in proc.stderr
