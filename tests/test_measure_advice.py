"""The planar-vs-ellipsoidal warning gives advice that helps (issue 19).

When the data are already in the national projection (Lambert-93 in France, the CGCS2000 3-degree
Gauss-Krüger zone of the place in China), another planar CRS would not do better: the advice is then
only to measure on the ellipsoid. When the measuring CRS is not the national one (a UTM zone, Web
Mercator, a neighbouring Gauss-Krüger zone), the advice still names ``--measure-crs``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pyproj
import pytest
import shapely

from landcoord.allocation.affected import affected_area
from landcoord.allocation.crs import (
    is_national_projection,
    measurement_crs,
    project_measurement_crs,
    scale_warning,
)
from landcoord.allocation.io.files import read_layer

LANDCOORD = Path(sys.executable).parent / "landcoord"
ESSONNE = Path("real") / "fr-etalab-essonne" / "parcelles_essonne_4communes_l93.gpkg"


def _warning(epsg, geom_l93=None, *, geom=None, crs=None):
    """scale_warning for a 2 km square, given in Lambert-93 (reprojected to ``epsg``) or as is."""
    if geom is None:
        geom = gpd.GeoSeries([geom_l93], crs=2154).to_crs(epsg).iloc[0]
    m = measurement_crs(pyproj.CRS.from_epsg(epsg), geom.bounds, "parcels")
    return scale_warning(m, "P1", geom)


# Essonne, south of Paris: Lambert-93's scale there shrinks areas by about 0.04 %
_L93_SQUARE = shapely.box(652000.0, 6844000.0, 654000.0, 6846000.0)


def test_national_projection_is_told_to_measure_on_the_ellipsoid_only():
    msg = _warning(2154, _L93_SQUARE)
    assert msg is not None and "-0.04" in msg
    assert "national projection here" in msg and "--ellipsoidal" in msg
    assert "--measure-crs" not in msg


@pytest.mark.parametrize("epsg", [32631, 3857])
def test_a_crs_that_is_not_the_national_one_still_suggests_measure_crs(epsg):
    msg = _warning(epsg, _L93_SQUARE)
    assert msg is not None and f"EPSG:{epsg}" in msg
    assert "--measure-crs" in msg and "national projection here" not in msg


def test_cgcs2000_zone_of_the_place_is_national_a_neighbouring_zone_is_not():
    # lon 115.4 lies in the zone of CM 114E (EPSG:4547; numbered zone 38 is EPSG:4526), 1.4° from its
    # meridian: the zone's scale enlarges areas by about 0.05 %
    square = gpd.GeoSeries([shapely.box(115.39, 23.0, 115.41, 23.02)], crs=4490)
    for epsg in (4547, 4526):
        msg = _warning(epsg, geom=square.to_crs(epsg).iloc[0])
        assert msg is not None and "national projection here" in msg and "--measure-crs" not in msg, epsg
    # the zone of CM 117E is not the national projection at 115.4E
    msg = _warning(4548, geom=square.to_crs(4548).iloc[0])
    assert msg is not None and "--measure-crs" in msg and "national projection here" not in msg
    assert is_national_projection(pyproj.CRS.from_epsg(4547), 115.4, 23.0)
    assert not is_national_projection(pyproj.CRS.from_epsg(4548), 115.4, 23.0)
    # a 6-degree zone is not the cadastral projection either
    assert not is_national_projection(pyproj.CRS.from_epsg(4502 + (117 - 75) // 6), 115.4, 23.0)


def test_essonne_cadastre_in_lambert93_through_the_command_line(shared_data, tmp_path):
    """The real Essonne cadastre (Lambert-93), a 1.5 km project: -0.041 %, advice on the ellipsoid;
    the same project measured in UTM 31N on request: advice names --measure-crs."""
    parcels = read_layer(shared_data / ESSONNE)
    minx, miny, maxx, maxy = parcels.total_bounds
    disc = shapely.Point((minx + maxx) / 2, (miny + maxy) / 2).buffer(1500)
    near = parcels[parcels.intersects(disc.buffer(50))]
    gpkg = tmp_path / "essonne.gpkg"
    near.to_file(gpkg, layer="parcels")
    gpd.GeoDataFrame({"code": ["E1"]}, geometry=[disc], crs=2154).to_file(gpkg, layer="projects")
    common = ["affected", "--boundary", f"{gpkg}|layername=projects"]
    common += ["--cadastre", f"{gpkg}|layername=parcels"]
    common += ["--parcel-field", "id", "--holder-field", "section", "--project-field", "code"]
    env = {**os.environ, "LANDCOORD_LANG": "en"}

    def run(*extra, out):
        args = [str(LANDCOORD), *common, *extra, "--out", str(tmp_path / out)]
        proc = subprocess.run(args, capture_output=True, text=True, env=env)
        assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
        text = proc.stdout + proc.stderr
        lines = [ln for ln in text.splitlines() if "differs from the ellipsoidal" in ln]
        assert len(lines) == 1, proc.stdout[-2000:] + proc.stderr[-2000:]
        return lines[0]

    line = run(out="l93.gpkg")
    assert "EPSG:2154" in line and "-0.041%" in line
    assert "--ellipsoidal" in line and "--measure-crs" not in line
    line = run("--measure-crs", "EPSG:32631", out="utm.gpkg")
    assert "EPSG:32631" in line and "--measure-crs" in line
    # measured on the ellipsoid, there is nothing to warn about
    r = affected_area(
        gpd.read_file(gpkg, layer="projects"),
        gpd.read_file(gpkg, layer="parcels"),
        parcel_field="id",
        holder_field="section",
        project_field="code",
        area_method=1,
    )
    assert not any("differs from the ellipsoidal" in w for w in r.warnings)


# --- Japan: the plane rectangular zone where it is the only possibility --------------------------------

JOETSU = Path("real") / "jp-moj-joetsu" / "joetsu_15222_parcels_epsg6676.gpkg"


def test_japan_zones_are_the_epsg_plane_rectangular_systems():
    from landcoord.allocation.crs import JAPAN_ZONES, JAPAN_ZONES_JGD2000

    numerals = "I II III IV V VI VII VIII IX X XI XII XIII XIV XV XVI XVII XVIII XIX".split()
    for zones, datum in ((JAPAN_ZONES, "JGD2011"), (JAPAN_ZONES_JGD2000, "JGD2000")):
        names = [pyproj.CRS.from_epsg(e).name for e in zones]
        assert names == [f"{datum} / Japan Plane Rectangular CS {n}" for n in numerals]


@pytest.mark.parametrize(
    "box_, want",
    [
        ((138.24, 37.11, 138.26, 37.13), 6676),  # Joetsu, Niigata: VIII
        ((127.68, 26.21, 127.69, 26.22), 6683),  # Naha, Okinawa: XV
        ((138.60, 35.60, 138.62, 35.62), None),  # Yamanashi: VIII and IX both possible
        ((139.69, 35.68, 139.70, 35.69), None),  # Tokyo: VIII and IX both possible
        ((137.3, 36.5, 137.4, 36.6), None),  # a box across the edge of VIII's area: not wholly in one zone
        ((2.30, 48.80, 2.40, 48.90), 2154),  # France still first
    ],
)
def test_national_projection_of_japanese_data_only_where_one_zone_is_possible(box_, want):
    from landcoord.allocation.crs import national_projection

    got = national_projection((box_[0] + box_[2]) / 2, (box_[1] + box_[3]) / 2, *box_)
    assert (got[0] if got else None) == want


def test_joetsu_registry_map_is_measured_in_its_own_zone_and_told_to_use_the_ellipsoid(shared_data, tmp_path):
    """The real Joetsu registry map (MOJ, EPSG:6676, zone VIII): in degrees it is measured in zone VIII,
    the zone the Ministry of Justice gives it; in zone VIII the -0.019 % of the zone's scale is told
    to be measured on the ellipsoid, not in another planar CRS."""
    parcels = read_layer(shared_data / JOETSU)
    parcels.attrs["name"] = "fude"
    degrees = parcels.to_crs(6668)
    degrees.attrs["name"] = "fude"
    m = project_measurement_crs(degrees, degrees)
    assert m.label == "EPSG:6676" and "national projection of Japan" in m.note
    # on another datum (WGS 84) the data could lie off Japan: the local transverse Mercator, as before
    wgs84 = parcels.to_crs(4326)
    assert project_measurement_crs(wgs84, wgs84).crs.to_dict()["proj"] == "tmerc"
    assert project_measurement_crs(wgs84, wgs84).crs.to_epsg() is None
    # the figures are those of the data in their own zone
    r = affected_area(
        degrees, degrees.iloc[:50], parcel_field="筆ID", holder_field="大字名", project_field="筆ID"
    )
    own = affected_area(
        parcels, parcels.iloc[:50], parcel_field="筆ID", holder_field="大字名", project_field="筆ID"
    )
    assert r.measure.label == own.measure.label == "EPSG:6676"
    got = r.pieces.set_index("parcel_id").piece_area.sort_index()
    want = own.pieces.set_index("parcel_id").piece_area.sort_index()
    assert got.to_numpy() == pytest.approx(want.to_numpy(), rel=1e-7)

    # the advice, through the command line, on a project over the whole sheet
    gpkg = tmp_path / "joetsu.gpkg"
    parcels.to_file(gpkg, layer="fude")
    boundary = gpd.GeoDataFrame({"code": ["J1"]}, geometry=[shapely.box(*parcels.total_bounds)], crs=6676)
    boundary.to_file(gpkg, layer="projects")
    args = [str(LANDCOORD), "affected", "--boundary", f"{gpkg}|layername=projects"]
    args += ["--cadastre", f"{gpkg}|layername=fude", "--parcel-field", "筆ID", "--holder-field", "大字名"]
    args += ["--project-field", "code", "--out", str(tmp_path / "out.gpkg")]
    proc = subprocess.run(args, capture_output=True, text=True, env={**os.environ, "LANDCOORD_LANG": "en"})
    assert proc.returncode == 0, proc.stderr[-2000:]
    lines = [ln for ln in (proc.stdout + proc.stderr).splitlines() if "differs from the ellipsoidal" in ln]
    assert len(lines) == 1 and "-0.019%" in lines[0]
    assert "national projection here" in lines[0] and "--measure-crs" not in lines[0]
    # the same zone on the older datum (JGD2000) is national too; a UTM zone is not
    assert is_national_projection(pyproj.CRS.from_epsg(2450), 138.25, 37.12)
    assert not is_national_projection(pyproj.CRS.from_epsg(32654), 138.25, 37.12)
