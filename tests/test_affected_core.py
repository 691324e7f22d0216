"""Affected area by rights-holder: exactness, awkward inputs and clear errors (core, no QGIS)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely import Polygon, box

from landcoord.allocation.affected import AreaMethod, affected_area
from landcoord.allocation.errors import CRSError, FieldError, LayerError
from landcoord.allocation.feedback import RecordingFeedback


def frame(records, geoms, crs=4547, name="layer"):
    gdf = gpd.GeoDataFrame(pd.DataFrame(records), geometry=list(geoms), crs=crs)
    gdf.attrs["name"] = name
    return gdf


def cadastre(parcels, crs=4547):
    """parcels: list of (pid, holder, status, geometry)."""
    return frame(
        {"pid": [p[0] for p in parcels], "owner": [p[1] for p in parcels], "st": [p[2] for p in parcels]},
        [p[3] for p in parcels],
        crs=crs,
        name="parcels",
    )


def boundary(projects, crs=4547):
    return frame({"code": [p[0] for p in projects]}, [p[1] for p in projects], crs=crs, name="projects")


def run(b, c, **kw):
    kw.setdefault("parcel_field", "pid")
    kw.setdefault("holder_field", "owner")
    kw.setdefault("status_field", "st")
    kw.setdefault("project_field", "code")
    return affected_area(b, c, **kw)


def test_simple_grid_exact_figures():
    c = cadastre(
        [
            ("A", "X", "legal", box(0, 0, 10, 10)),
            ("B", "Y", "uncomp", box(10, 0, 20, 10)),
            ("C", "X", "uncomp", box(20, 0, 30, 10)),
        ]
    )
    b = boundary([("P1", box(5, 0, 25, 10))])
    r = run(b, c)
    pieces = r.pieces.set_index("parcel_id")
    assert pieces.loc["A", "piece_area"] == pytest.approx(50)
    assert pieces.loc["B", "piece_area"] == pytest.approx(100)
    assert pieces.loc["B", "parcel_share"] == pytest.approx(1.0)
    assert pieces.loc["C", "parcel_share"] == pytest.approx(0.5)
    summary = r.summary.set_index("holder")
    assert summary.loc["X", "affected_area"] == pytest.approx(100)
    assert summary.loc["X", "parcels"] == 2
    assert summary.loc["X", "project_share"] == pytest.approx(0.5)
    st = r.status_summary.set_index(["holder", "status"])["area"]
    assert st[("X", "legal")] == pytest.approx(50) and st[("X", "uncomp")] == pytest.approx(50)
    assert len(r.gaps) == 0 and len(r.overlaps) == 0
    rec = r.reconciliation.iloc[0]
    assert rec.project_area == pytest.approx(200) and rec.covered_area == pytest.approx(200)
    assert rec.balanced


def test_gap_and_overlap_are_reported_not_hidden():
    c = cadastre(
        [
            ("A", "X", "s", box(0, 0, 10, 10)),
            ("B", "Y", "s", box(8, 0, 20, 10)),  # overlaps A by 2 x 10
            ("C", "Z", "s", box(25, 0, 30, 10)),  # gap 20..25
        ]
    )
    b = boundary([("P", box(0, 0, 30, 10))])
    r = run(b, c)
    assert r.overlaps[["parcel_a", "parcel_b"]].values.tolist() == [["A", "B"]]
    assert r.overlaps.overlap_area.sum() == pytest.approx(20)
    assert r.gaps.gap_area.sum() == pytest.approx(50)
    rec = r.reconciliation.iloc[0]
    assert rec.claimed_area == pytest.approx(270)
    assert rec.covered_area == pytest.approx(250)
    assert rec.double_claimed_area == pytest.approx(20)
    assert rec.covered_area + rec.gap_area == pytest.approx(rec.project_area)
    # each claimant keeps the double-claimed land in its figure
    s = r.summary.set_index("holder").affected_area
    assert s["X"] == pytest.approx(100) and s["Y"] == pytest.approx(120)
    assert any("claim the same land" in w for w in r.warnings)


def test_touching_parcels_give_no_piece_and_no_overlap():
    c = cadastre([("A", "X", "s", box(0, 0, 10, 10)), ("B", "Y", "s", box(10, 0, 20, 10))])
    b = boundary([("P", box(10, 0, 20, 10))])  # touches A along x=10 only
    r = run(b, c)
    assert r.pieces.parcel_id.tolist() == ["B"]
    assert len(r.overlaps) == 0


def test_null_holder_is_kept_and_named_in_a_warning():
    c = cadastre([("A", None, "s", box(0, 0, 10, 10)), ("B", "Y", "s", box(10, 0, 20, 10))])
    fb = RecordingFeedback()
    r = run(boundary([("P", box(0, 0, 20, 10))]), c, feedback=fb)
    assert r.pieces.set_index("parcel_id").loc["A", "holder"] is None
    assert r.summary.holder.isna().sum() == 1
    assert any("no rights-holder" in w and "A" in w for w in fb.warnings)


def test_invalid_geometry_repaired_and_reported_by_parcel_id():
    bowtie = Polygon([(0, 0), (10, 10), (10, 0), (0, 10), (0, 0)])
    c = cadastre([("BAD-1", "X", "s", bowtie), ("OK", "Y", "s", box(20, 0, 30, 10))])
    r = run(boundary([("P", box(-5, -5, 35, 15))]), c)
    assert r.pieces.set_index("parcel_id").loc["BAD-1", "piece_area"] == pytest.approx(50)
    assert any("BAD-1" in w and "repaired" in w for w in r.warnings)


def test_multipart_and_hole_parcels():
    donut = box(0, 0, 30, 30).difference(box(10, 10, 20, 20))
    multi = shapely.MultiPolygon([box(40, 0, 50, 10), box(60, 0, 70, 10)])
    c = cadastre([("D", "X", "s", donut), ("I", "Y", "s", box(10, 10, 20, 20)), ("M", "Z", "s", multi)])
    r = run(boundary([("P", box(0, 0, 65, 30))]), c)
    p = r.pieces.set_index("parcel_id").piece_area
    assert p["D"] == pytest.approx(800) and p["I"] == pytest.approx(100) and p["M"] == pytest.approx(150)
    assert r.gaps.gap_area.sum() == pytest.approx(65 * 30 - 800 - 100 - 150)


def test_z_values_dropped_with_notice():
    g = shapely.force_3d(box(0, 0, 10, 10), 5.0)
    r = run(boundary([("P", box(0, 0, 10, 10))]), cadastre([("A", "X", "s", g)]))
    assert r.pieces.piece_area.iloc[0] == pytest.approx(100)
    assert any("Z/M values dropped" in w for w in r.warnings)
    assert not shapely.has_z(r.pieces.geometry.values).any()


def test_boundary_in_other_crs_is_reprojected_and_logged():
    c = cadastre([("A", "X", "s", box(500000, 2500000, 500100, 2500100))])
    b = boundary([("P", box(500000, 2500000, 500050, 2500100))]).to_crs(4490)
    b.attrs["name"] = "projects"
    r = run(b, c)
    assert r.pieces.piece_area.iloc[0] == pytest.approx(5000, rel=1e-6)
    assert any("reprojected" in n for n in r.notes)


def test_geographic_cadastre_measured_in_gauss_kruger_zone():
    c = cadastre([("A", "X", "s", box(503000, 2506000, 503100, 2506100))]).to_crs(4490)
    c.attrs["name"] = "parcels"
    b = boundary([("P", box(503000, 2506000, 503100, 2506050))]).to_crs(4490)
    r = run(b, c)
    assert r.measure.label == "EPSG:4547"
    assert r.pieces.piece_area.iloc[0] == pytest.approx(5000, rel=1e-6)
    assert "EPSG:4547" in r.measure.note


def test_wgs84_cadastre_measured_in_utm():
    c = cadastre([("A", "X", "s", box(448000, 5411000, 448100, 5411100))], crs=32631).to_crs(4326)
    c.attrs["name"] = "parcels"
    b = boundary([("P", box(448000, 5411000, 448100, 5411100))], crs=32631)
    r = run(b, c)
    assert r.measure.label == "EPSG:32631"
    assert r.pieces.piece_area.iloc[0] == pytest.approx(10000, rel=1e-6)


def test_ellipsoidal_area_close_to_planar_but_not_equal():
    c = cadastre([("A", "X", "s", box(503000, 2506000, 503100, 2506100))])
    b = boundary([("P", box(502000, 2505000, 504000, 2507000))])
    planar = run(b, c).pieces.piece_area.iloc[0]
    ellipsoidal = run(b, c, area_method=AreaMethod.ELLIPSOIDAL).pieces.piece_area.iloc[0]
    assert planar == pytest.approx(10000)
    assert ellipsoidal == pytest.approx(planar, rel=1e-3) and ellipsoidal != planar


def test_missing_field_names_layer_field_and_alternatives():
    c = cadastre([("A", "X", "s", box(0, 0, 1, 1))])
    with pytest.raises(FieldError) as e:
        run(boundary([("P", box(0, 0, 1, 1))]), c, holder_field="权利人")
    msg = str(e.value)
    assert "'parcels'" in msg and "权利人" in msg and "pid" in msg and "owner" in msg


def test_empty_layers_and_non_polygons_are_clear_errors():
    c = cadastre([("A", "X", "s", box(0, 0, 1, 1))])
    empty = boundary([("P", box(0, 0, 1, 1))]).iloc[:0]
    empty.attrs["name"] = "projects"
    with pytest.raises(LayerError, match="'projects'.*empty"):
        run(empty, c)
    points = cadastre([("A", "X", "s", shapely.Point(0, 0))])
    with pytest.raises(LayerError, match="'parcels' holds no polygons"):
        run(boundary([("P", box(0, 0, 1, 1))]), points)


def test_missing_crs_is_an_error():
    c = cadastre([("A", "X", "s", box(0, 0, 1, 1))], crs=None)
    with pytest.raises(CRSError, match="'parcels' has no coordinate reference system"):
        run(boundary([("P", box(0, 0, 1, 1))]), c)


def test_no_overlap_is_an_empty_result_with_a_message():
    c = cadastre([("A", "X", "s", box(0, 0, 1, 1))])
    r = run(boundary([("P", box(100, 100, 101, 101))]), c)
    assert len(r.pieces) == 0 and len(r.summary) == 0
    assert r.gaps.gap_area.sum() == pytest.approx(1)
    assert any("does not overlap" in n or "overlaps any project" in n for n in r.notes)


def test_inputs_are_not_modified():
    c = cadastre(
        [("A", "X", "s", Polygon([(0, 0), (10, 10), (10, 0), (0, 10)])), ("B", None, "s", box(10, 0, 20, 10))]
    )
    b = boundary([("P", box(0, 0, 15, 10))]).to_crs(4490)
    c_before, b_before = c.copy(deep=True), b.copy(deep=True)
    run(b, c)
    pd.testing.assert_frame_equal(pd.DataFrame(c.drop(columns="geometry")), c_before.drop(columns="geometry"))
    assert list(shapely.to_wkb(c.geometry.values)) == list(shapely.to_wkb(c_before.geometry.values))
    assert list(shapely.to_wkb(b.geometry.values)) == list(shapely.to_wkb(b_before.geometry.values))


def test_default_project_id_is_the_feature_id_and_parts_of_a_project_are_merged():
    c = cadastre([("A", "X", "s", box(0, 0, 10, 10)), ("B", "Y", "s", box(20, 0, 30, 10))])
    b = boundary([("P1", box(0, 0, 5, 10)), ("P1", box(25, 0, 30, 10)), ("P2", box(5, 0, 10, 10))])
    r = run(b, c)
    assert sorted(r.reconciliation.project) == ["P1", "P2"]
    assert r.reconciliation.set_index("project").project_area["P1"] == pytest.approx(100)
    r2 = run(b, c, project_field=None)
    assert sorted(r2.reconciliation.project) == [0, 1, 2]


def test_many_projects_share_parcels():
    c = cadastre([("A", "X", "s", box(0, 0, 10, 10))])
    b = boundary([("P1", box(0, 0, 5, 10)), ("P2", box(0, 0, 10, 10))])
    r = run(b, c)
    got = r.pieces.set_index("project").piece_area
    assert got["P1"] == pytest.approx(50) and got["P2"] == pytest.approx(100)


def test_agrees_with_geopandas_overlay_on_a_large_fabric():
    from landcoord.sample.fabric import quad_fabric

    parcels = quad_fabric(3000, cell=25.0, seed=3, origin=(0.0, 0.0), gap_fraction=0.01, overlap_count=5)
    parcels.attrs["name"] = "parcels"
    rng = np.random.default_rng(3)
    centres = rng.uniform(100, 1200, (12, 2))
    bounds = boundary(
        [(f"P{i}", shapely.Point(x, y).buffer(150)) for i, (x, y) in enumerate(centres)], crs=parcels.crs
    )
    r = affected_area(bounds, parcels, parcel_field="pid", holder_field="owner", project_field="code")
    assert len(r.overlaps) > 0 and len(r.gaps) > 0
    ov = gpd.overlay(parcels, bounds, how="intersection", keep_geom_type=True)
    expected = ov.assign(a=ov.area).groupby(["code", "owner"]).a.sum()
    got = r.summary.set_index(["project", "holder"]).affected_area
    got.index.names = ["code", "owner"]
    pd.testing.assert_series_equal(got.sort_index(), expected.sort_index(), check_names=False, rtol=1e-9)
