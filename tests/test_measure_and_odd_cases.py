"""Issue 19: one measuring CRS chosen by one rule, stated with its method; the odd cases are not silent.

Real command line (``landcoord``), real GeoPackages, the cores where the rule itself is checked.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from landcoord.allocation.affected import AreaMethod, affected_area
from landcoord.allocation.crs import project_measurement_crs
from landcoord.allocation.errors import CRSError

LANDCOORD = Path(sys.executable).parent / "landcoord"


def _run(*args, check_rc=None):
    env = {**os.environ, "LANDCOORD_LANG": "en"}
    proc = subprocess.run([str(LANDCOORD), *map(str, args)], capture_output=True, text=True, env=env)
    if check_rc is not None:
        assert proc.returncode == check_rc, proc.stdout[-2000:] + proc.stderr[-2000:]
    return proc


def _parcels(crs=2154):
    # a 3 x 2 block of 100 m parcels near Paris (Lambert-93)
    x0, y0 = 652000.0, 6862000.0
    geoms, ids, owners = [], [], []
    for i in range(3):
        for j in range(2):
            geoms.append(shapely.box(x0 + 100 * i, y0 + 100 * j, x0 + 100 * (i + 1), y0 + 100 * (j + 1)))
            ids.append(f"P{i}{j}")
            owners.append(f"H{i}")
    g = gpd.GeoDataFrame({"pid": ids, "owner": owners}, geometry=geoms, crs=2154).to_crs(crs)
    g.attrs["name"] = "parcels"
    return g


def _boundary(crs=2154, box=(652050.0, 6862050.0, 652250.0, 6862150.0)):
    b = gpd.GeoDataFrame({"code": ["P1"]}, geometry=[shapely.box(*box)], crs=2154).to_crs(crs)
    b.attrs["name"] = "projects"
    return b


# --- the rule --------------------------------------------------------------------------------------------


def test_rule_boundary_projected_first_then_cadastre_then_national():
    assert project_measurement_crs(_boundary(2154), _parcels(4326)).label == "EPSG:2154"
    assert project_measurement_crs(_boundary(4326), _parcels(2154)).label == "EPSG:2154"
    # boundary in UTM, cadastre in Lambert-93: the boundary's CRS wins
    assert project_measurement_crs(_boundary(32631), _parcels(2154)).label == "EPSG:32631"
    # both geographic in metropolitan France: Lambert-93, not UTM 31N
    m = project_measurement_crs(_boundary(4326), _parcels(4326))
    assert m.label == "EPSG:2154" and "national projection" in m.note
    # the officer's choice over everything
    assert project_measurement_crs(_boundary(2154), _parcels(2154), choice="EPSG:32631").label == "EPSG:32631"


def test_geographic_data_without_national_projection_get_a_local_tm_with_scale_one():
    # Yamanashi in JGD2011 degrees: the areas of use of plane rectangular zones VIII and IX both cover
    # it (the zone goes by prefecture), so no national zone is known: a local transverse Mercator, k = 1
    b = gpd.GeoDataFrame(geometry=[shapely.box(138.60, 35.60, 138.62, 35.62)], crs=6668)
    m = project_measurement_crs(b, None)
    params = m.crs.to_dict()
    assert m.crs.is_projected and params["proj"] == "tmerc" and params["k"] == 1
    assert m.crs.to_epsg() is None and "UTM" not in m.crs.name
    # one CRS whatever extent a step sees (the centre is rounded)
    b2 = gpd.GeoDataFrame(geometry=[shapely.box(138.6001, 35.6002, 138.6199, 35.6198)], crs=6668)
    assert project_measurement_crs(b2, None).crs.equals(m.crs)
    # planar in it equals ellipsoidal to far better than 0.01 %
    r = affected_area(
        b,
        gpd.GeoDataFrame(
            {"pid": ["A"], "owner": ["X"]}, geometry=[shapely.box(138.60, 35.60, 138.62, 35.62)], crs=6668
        ),
        parcel_field="pid",
        holder_field="owner",
    )
    e = affected_area(
        b,
        gpd.GeoDataFrame(
            {"pid": ["A"], "owner": ["X"]}, geometry=[shapely.box(138.60, 35.60, 138.62, 35.62)], crs=6668
        ),
        parcel_field="pid",
        holder_field="owner",
        area_method=AreaMethod.ELLIPSOIDAL,
    )
    assert r.pieces.piece_area.iloc[0] == pytest.approx(e.pieces.piece_area.iloc[0], rel=1e-6)
    assert not any("differs from the ellipsoidal" in w for w in r.warnings)


def test_a_choice_that_is_not_projected_is_refused():
    with pytest.raises(CRSError, match="not a projected CRS"):
        project_measurement_crs(_boundary(), _parcels(), choice="EPSG:4326")
    with pytest.raises(CRSError, match="is not a coordinate reference system"):
        project_measurement_crs(_boundary(), _parcels(), choice="EPSG:nonsense")


def test_utm_scale_is_warned_and_ellipsoidal_is_stated_as_such():
    r = affected_area(
        _boundary(), _parcels(), parcel_field="pid", holder_field="owner", measure_crs="EPSG:32631"
    )
    assert r.measure.label == "EPSG:32631"
    assert any("differs from the ellipsoidal area" in w and "EPSG:32631" in w for w in r.warnings)
    e = affected_area(
        _boundary(), _parcels(), parcel_field="pid", holder_field="owner", area_method=AreaMethod.ELLIPSOIDAL
    )
    assert e.notes[0].startswith("ellipsoidal areas on the GRS 1980 ellipsoid")
    assert "UTM" not in e.notes[0] and "projection plane" not in e.notes[0]
    assert set(e.reconciliation.measured) == {e.statement} and e.statement.startswith("ellipsoidal")
    assert set(r.reconciliation.measured) == {"planar areas in EPSG:32631 (WGS 84 / UTM zone 31N)"}


def test_cli_measure_crs_option(tmp_path):
    gpkg = tmp_path / "in.gpkg"
    _parcels(4326).to_file(gpkg, layer="parcels")
    _boundary(2154).to_file(gpkg, layer="projects")
    common = [
        "affected",
        "--boundary",
        f"{gpkg}|layername=projects",
        "--cadastre",
        f"{gpkg}|layername=parcels",
    ]
    common += ["--parcel-field", "pid", "--holder-field", "owner", "--project-field", "code"]
    proc = _run(*common, "--out", tmp_path / "a.gpkg", check_rc=0)
    assert "EPSG:2154" in proc.stdout + proc.stderr
    proc = _run(*common, "--measure-crs", "EPSG:32631", "--out", tmp_path / "b.gpkg", check_rc=0)
    rec = gpd.read_file(tmp_path / "b.gpkg", layer="reconciliation")
    assert rec.measured.iloc[0] == "planar areas in EPSG:32631 (WGS 84 / UTM zone 31N)"
    proc = _run(*common, "--measure-crs", "EPSG:4326", "--out", tmp_path / "c.gpkg", check_rc=2)
    assert "not a projected CRS" in proc.stderr and not (tmp_path / "c.gpkg").exists()


# --- odd cases ----------------------------------------------------------------------------------------------


def test_a_project_mostly_outside_the_cadastre_is_warned_with_its_share():
    # 200 x 100 m inside the parcels, 1800 x 100 m outside: 90 % gap
    b = _boundary(box=(652100.0, 6862000.0, 654100.0, 6862100.0))
    r = affected_area(b, _parcels(), parcel_field="pid", holder_field="owner", project_field="code")
    [w] = [w for w in r.warnings if "lies in no parcel" in w]
    assert "Project P1: 90.0% of its area" in w and "'parcels'" in w
    ok = affected_area(_boundary(), _parcels(), parcel_field="pid", holder_field="owner")
    assert not any("lies in no parcel" in w for w in ok.warnings)


def test_double_claims_are_counted_once_and_split_between_the_claimants():
    p = gpd.GeoDataFrame(
        {"pid": ["A", "B"], "owner": ["X", "Y"]},
        geometry=[shapely.box(0, 0, 60, 10), shapely.box(40, 0, 100, 10)],
        crs=4547,
    )
    b = gpd.GeoDataFrame({"code": ["P"]}, geometry=[shapely.box(0, 0, 100, 10)], crs=4547)
    r = affected_area(b, p, parcel_field="pid", holder_field="owner", project_field="code")
    assert r.pieces.piece_area.tolist() == [600.0, 600.0]  # each parcel claims its land
    assert r.pieces.held_area.tolist() == [500.0, 500.0]  # the 200 m² claimed twice: 100 each
    assert r.summary.held_area.sum() == r.reconciliation.covered_area.iloc[0] == 1000.0


def test_consent_import_with_rejected_rows_exits_non_zero_unless_allowed(tmp_path):
    from ledger_support import make_project_gpkg

    gpkg = make_project_gpkg(tmp_path / "project.gpkg")
    cad = f"{gpkg}|layername=parcels"
    _run("consent", "init", gpkg, "--cadastre", cad, "--holder-field", "权利人", check_rc=0)
    sheet = tmp_path / "sheet.csv"
    pd.DataFrame({"权利人": ["王五", "无此人"], "状态": ["同意", "同意"], "项目": ["P1", "P1"]}).to_csv(
        sheet, index=False, encoding="utf-8-sig"
    )
    args = ["consent", "import", gpkg, sheet, "--cadastre", cad, "--holder-field", "权利人"]
    proc = _run(*args, "--dry-run", check_rc=4)
    assert "1 row was rejected: exit status 4" in proc.stderr
    proc = _run(*args, check_rc=4)
    assert "imported 1 row;" in proc.stdout  # the good row is in; the status says one was not
    proc = _run(*args, "--allow-rejected", check_rc=0)


def test_quota_without_buildings_and_zoning_says_so_at_the_end(tmp_path):
    from landcoord.allocation.io.files import write_layers

    r = affected_area(_boundary(), _parcels(), parcel_field="pid", holder_field="owner", project_field="code")
    pieces = r.pieces.assign(status="未完善征转手续")
    write_layers(tmp_path / "aff.gpkg", {"pieces": pieces})
    proc = _run(
        "quota", "--pieces", f"{tmp_path / 'aff.gpkg'}|layername=pieces", "--rules", "shenzhen_example",
        "--out", tmp_path / "q.csv", check_rc=0,
    )  # fmt: skip
    tail = proc.stdout.strip().splitlines()[-6:]
    assert any(line.startswith("!! BUILDINGS not given: not computed: existing_far") for line in tail), tail
    assert any(
        line.startswith("!! ZONING not given: not computed: uncompensated_block") for line in tail
    ), tail
    assert "BUILDINGS is missing" in proc.stderr + proc.stdout
