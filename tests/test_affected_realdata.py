"""Affected area on real cadastres and against QGIS's own output (data in ../shared/data)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely

from landcoord.allocation.affected import RESIDUE_AREA, affected_area
from landcoord.allocation.io.files import read_layer


def test_against_qgis_intersection_in_us_survey_feet(shared_data):
    """NYC boroughs x circles: QGIS's own intersection (geopandas' oracle) in ft², ours in m²."""
    d = shared_data / "oracles" / "geopandas-overlay" / "data"
    boroughs = gpd.read_file(f"zip://{d / 'nybb_16a.zip'}")
    boroughs.attrs["name"] = "nybb"
    circles = gpd.read_file(d / "overlay" / "nybb_qgis" / "polydf2.shp")
    circles["pid"] = [f"C{v1}-{v2}" for v1, v2 in zip(circles.value1, circles.value2)]
    circles.attrs["name"] = "circles"
    qgis = gpd.read_file(d / "overlay" / "nybb_qgis" / "qgis-intersection.shp")
    r = affected_area(
        circles, boroughs, parcel_field="BoroCode", holder_field="BoroName", project_field="pid"
    )
    ft = 0.304800609601219
    assert r.measure.area_factor == pytest.approx(ft * ft)
    want = {
        (f"C{a}-{b}", code): geom.area * ft * ft
        for a, b, code, geom in zip(qgis.value1, qgis.value2, qgis.BoroCode, qgis.geometry)
    }
    got = {(p, c): a for p, c, a in zip(r.pieces["project"], r.pieces["parcel_id"], r.pieces["piece_area"])}
    assert set(got) == set(want)
    for key, area in want.items():
        assert got[key] == pytest.approx(area, rel=1e-6), key


def test_essonne_cadastre_overlaps_and_totals(shared_data):
    """17,641 real French parcels with 159 overlapping neighbour pairs: all found, totals exact."""
    parcels = read_layer(shared_data / "real" / "fr-etalab-essonne" / "parcelles_essonne_4communes_l93.gpkg")
    minx, miny, maxx, maxy = parcels.total_bounds
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    boundary = gpd.GeoDataFrame(
        {"code": ["E1"]}, geometry=[shapely.Point(cx, cy).buffer(1500)], crs=parcels.crs
    )
    boundary.attrs["name"] = "projects"
    r = affected_area(boundary, parcels, parcel_field="id", holder_field="section", project_field="code")
    rec = r.reconciliation.iloc[0]
    assert rec.balanced
    b = boundary.geometry.iloc[0]
    # per holder against an independent overlay
    ov = gpd.overlay(parcels[["section", "geometry"]], boundary, how="intersection", keep_geom_type=True)
    want = ov.assign(a=ov.area).groupby("section").a.sum()
    got = r.summary.set_index("holder").affected_area
    assert got.sort_index().to_numpy() == pytest.approx(want.sort_index().to_numpy(), rel=1e-9)
    # every overlapping pair inside the project, by brute force over candidate pairs
    geoms = shapely.make_valid(parcels.geometry.values)
    tree = shapely.STRtree(geoms)
    a, c = tree.query(geoms, predicate="intersects")
    keep = a < c
    inter = shapely.intersection(shapely.intersection(geoms[a[keep]], geoms[c[keep]]), b)
    areas = shapely.area(inter)
    expected = {
        tuple(sorted((parcels.id.iloc[i], parcels.id.iloc[j]))): v
        for i, j, v in zip(a[keep], c[keep], areas)
        if v >= RESIDUE_AREA
    }
    listed = {
        tuple(sorted((x, y))): v
        for x, y, v in zip(r.overlaps.parcel_a, r.overlaps.parcel_b, r.overlaps.overlap_area)
    }
    assert set(listed) == set(expected) and len(listed) > 0
    for key, v in expected.items():
        assert listed[key] == pytest.approx(v, rel=1e-6, abs=1e-9)


def test_geographic_cadastre_is_measured_in_lambert93_and_matches_legal_area(shared_data):
    """Paris 18e in EPSG:4326: measured in Lambert-93 (the national projection, not UTM 31N with its
    0.9996 scale), parcel areas agree with the recorded contenance."""
    parcels = read_layer(shared_data / "real" / "fr-etalab-paris18-epinay" / "cadastre-75118-parcelles.json")
    minx, miny, maxx, maxy = parcels.total_bounds
    boundary = gpd.GeoDataFrame(
        {"code": ["P18"]}, geometry=[shapely.box(minx, miny, maxx, maxy)], crs=parcels.crs
    )
    boundary.attrs["name"] = "projects"
    r = affected_area(boundary, parcels, parcel_field="id", holder_field="section", project_field="code")
    assert r.measure.label == "EPSG:2154"
    legal = dict(zip(parcels.id, parcels.contenance.astype(float)))
    ratio = np.array([a / legal[p] for p, a in zip(r.pieces.parcel_id, r.pieces.parcel_area) if legal.get(p)])
    assert 0.97 < float(np.median(ratio)) < 1.03
    assert r.reconciliation.iloc[0].balanced
