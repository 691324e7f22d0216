"""The bulk GeoPackage writer writes what GDAL writes: same rows read back, a valid GeoPackage, an
R-tree SQLite accepts and GDAL keeps up to date, and layers QGIS opens with their spatial index."""

from __future__ import annotations

import sqlite3

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely import box

from landcoord.allocation.errors import OutputError
from landcoord.allocation.io import _gpkg, files


def _frame(n: int, seed: int = 0) -> gpd.GeoDataFrame:
    rng = np.random.default_rng(seed)
    x, y = rng.uniform(500_000, 510_000, n), rng.uniform(2_500_000, 2_510_000, n)
    w = rng.uniform(0.5, 80, n)
    geoms = np.array(shapely.box(x, y, x + w, y + w * 0.7), dtype=object)
    multi = rng.random(n) < 0.2
    geoms[multi] = [shapely.MultiPolygon([g, shapely.box(*(np.array(g.bounds) + 100))]) for g in geoms[multi]]
    holes = rng.random(n) < 0.1
    geoms[holes] = [g.difference(g.centroid.buffer(0.2)) for g in geoms[holes]]
    geoms[rng.random(n) < 0.05] = None
    geoms[rng.random(n) < 0.02] = shapely.Polygon()
    text = np.array([f"宗地-{i}" for i in range(n)], dtype=object)
    text[rng.random(n) < 0.1] = None
    text[rng.random(n) < 0.05] = np.nan
    mixed = np.array([i if i % 3 else f"p{i}" for i in range(n)], dtype=object)
    area = rng.uniform(0, 1e6, n)
    area[rng.random(n) < 0.1] = np.nan
    return gpd.GeoDataFrame(
        {
            "parcel_id": text,
            "project": mixed,
            "piece_area": area,
            "parcels": rng.integers(0, 2**40, n),
            "small": rng.integers(-1000, 1000, n).astype(np.int32),
            "byte": rng.integers(0, 255, n).astype(np.uint8),
            "balanced": rng.random(n) < 0.5,
            "share": rng.random(n).astype(np.float32),
        },
        geometry=gpd.GeoSeries(geoms, crs=4547),
        crs=4547,
    )


def _table(n: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "project": [f"项目{i % 7}" for i in range(n)],
            "holder": [None if i % 11 == 0 else f"户{i}" for i in range(n)],
            "area": np.arange(n, dtype=float) / 3,
        }
    )


def _meets(b, x0, y0, x1, y1):
    """Which bounds ``b`` (minx, miny, maxx, maxy rows) meet the window."""
    return (b[:, 2] >= x0) & (b[:, 0] <= x1) & (b[:, 3] >= y0) & (b[:, 1] <= y1)


def _write_both(tmp_path, layers):
    pyogrio.set_gdal_config_options({"OGR_SQLITE_SYNCHRONOUS": "OFF"})
    fast, slow = tmp_path / "fast.gpkg", tmp_path / "slow.gpkg"
    files._write_all(fast, layers, bulk=True)
    files._write_all(slow, layers, bulk=False)
    return fast, slow


def _same_layers(fast, slow, names):
    for name in names:
        a = pyogrio.read_dataframe(fast, layer=name, fid_as_index=True)
        b = pyogrio.read_dataframe(slow, layer=name, fid_as_index=True)
        if "geometry" in b:
            wa, wb = shapely.to_wkb(a.geometry.values), shapely.to_wkb(b.geometry.values)
            assert list(wa) == list(wb), name
            a, b = a.drop(columns="geometry"), b.drop(columns="geometry")
        pd.testing.assert_frame_equal(a, b, check_exact=True)
        ia, ib = pyogrio.read_info(fast, layer=name), pyogrio.read_info(slow, layer=name)
        assert ia["features"] == ib["features"] == len(a)
        assert list(ia["fields"]) == list(ib["fields"]) and list(ia["dtypes"]) == list(ib["dtypes"])
        assert ia["geometry_type"] == ib["geometry_type"] and ia["crs"] == ib["crs"]
        if ib.get("total_bounds") is not None:
            np.testing.assert_allclose(ia["total_bounds"], ib["total_bounds"], rtol=0, atol=1e-6)


def test_rows_read_back_as_gdal_writes_them(tmp_path):
    frame, table = _frame(3000), _table(500)
    assert _gpkg.bulk_ok(frame, "MultiPolygon") and _gpkg.bulk_ok(table, None)
    layers = {"pieces": frame, "summary": table, "one": frame.iloc[:1], "empty": frame.iloc[:0]}
    fast, slow = _write_both(tmp_path, layers)
    _same_layers(fast, slow, layers)


def test_the_file_is_a_valid_geopackage_with_a_sound_rtree(tmp_path):
    validate = pytest.importorskip("osgeo_utils.samples.validate_gpkg")
    frame = _frame(6000, seed=3)  # more than 51 x 51 boxes: an R-tree three levels deep
    # (the validator also rejects GDAL's own encoding of an empty polygon, byte for byte the same
    # as ours, see test_rows_read_back_as_gdal_writes_them: leave empty geometries out here)
    frame.loc[frame.geometry.is_empty, "geometry"] = None
    fast = tmp_path / "fast.gpkg"
    files.write_layers(fast, {"pieces": frame, "summary": _table(100)})
    assert validate.check(str(fast), abort_at_first_error=False, warning_msg=False) == []
    con = sqlite3.connect(fast)
    assert con.execute("SELECT rtreecheck('rtree_pieces_geom')").fetchone() == ("ok",)
    depth = con.execute("SELECT data FROM rtree_pieces_geom_node WHERE nodeno = 1").fetchone()[0][:2]
    assert int.from_bytes(depth, "big") == 2
    # every box a window query should find is found, and nothing far away
    g = frame.geometry.values
    ok = ~(shapely.is_missing(g) | shapely.is_empty(g))
    b = shapely.bounds(g[ok])
    fids = np.flatnonzero(ok) + 1
    rng = np.random.default_rng(1)
    for _ in range(50):
        x0, y0 = rng.uniform(500_000, 510_000), rng.uniform(2_500_000, 2_510_000)
        x1, y1 = x0 + rng.uniform(1, 2000), y0 + rng.uniform(1, 2000)
        got = {
            r[0]
            for r in con.execute(
                "SELECT id FROM rtree_pieces_geom WHERE maxx >= ? AND minx <= ? AND maxy >= ? AND miny <= ?",
                (x0, x1, y0, y1),
            )
        }
        exact = set(fids[_meets(b, x0, y0, x1, y1)].tolist())
        loose = set(fids[_meets(b, x0 - 1, y0 - 1, x1 + 1, y1 + 1)].tolist())
        assert exact <= got <= loose
    con.close()


@settings(max_examples=40, deadline=None)
@given(
    boxes=st.lists(
        st.tuples(st.floats(-1e7, 1e7), st.floats(-1e7, 1e7), st.floats(0, 1e4), st.floats(0, 1e4)),
        min_size=1,
        max_size=400,
    )
)
def test_rtree_bulk_load_passes_sqlites_own_check(tmp_path_factory, boxes):
    path = tmp_path_factory.mktemp("rtree") / "r.db"
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("CREATE VIRTUAL TABLE r USING rtree(id, minx, maxx, miny, maxy)")
    a = np.array(boxes)
    env = np.column_stack([a[:, 0], a[:, 0] + a[:, 2], a[:, 1], a[:, 1] + a[:, 3]])
    ids = np.arange(1, len(a) + 1) * 3
    con.execute("BEGIN")
    _gpkg.load_rtree(con, "r", ids, env)
    con.execute("COMMIT")
    assert con.execute("SELECT rtreecheck('r')").fetchone() == ("ok",)
    stored = np.array(con.execute("SELECT id, minx, maxx, miny, maxy FROM r ORDER BY id").fetchall())
    assert stored[:, 0].tolist() == ids.tolist()
    # float32 boxes contain the float64 ones
    assert (stored[:, 1] <= env[:, 0]).all() and (stored[:, 2] >= env[:, 1]).all()
    assert (stored[:, 3] <= env[:, 2]).all() and (stored[:, 4] >= env[:, 3]).all()
    con.close()


def test_gdal_keeps_the_index_up_to_date_after_a_bulk_write(tmp_path):
    ogr = pytest.importorskip("osgeo.ogr")
    fast = tmp_path / "fast.gpkg"
    files.write_layers(fast, {"pieces": _frame(500)})
    ds = ogr.Open(str(fast), update=1)
    layer = ds.GetLayerByName("pieces")
    feat = ogr.Feature(layer.GetLayerDefn())
    feat.SetField("parcel_id", "new")
    feat.SetGeometry(ogr.CreateGeometryFromWkt("MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)))"))
    assert layer.CreateFeature(feat) == 0
    fid = feat.GetFID()
    layer.DeleteFeature(1)
    ds = None
    con = sqlite3.connect(fast)
    assert con.execute("SELECT rtreecheck('rtree_pieces_geom')").fetchone() == ("ok",)
    assert con.execute("SELECT count(*) FROM rtree_pieces_geom WHERE id = ?", (fid,)).fetchone() == (1,)
    assert con.execute("SELECT count(*) FROM rtree_pieces_geom WHERE id = 1").fetchone() == (0,)
    count = "SELECT feature_count FROM gpkg_ogr_contents WHERE table_name = 'pieces'"
    assert con.execute(count).fetchone() == (500,)
    con.close()


def test_frames_the_bulk_path_cannot_take_are_written_by_gdal(tmp_path):
    frame = _frame(50)
    frame["when"] = pd.Timestamp("2026-11-25 10:00")
    frame["count"] = pd.array([1, None] * 25, dtype="Int64")
    lines = gpd.GeoDataFrame({"n": [1]}, geometry=[shapely.LineString([(0, 0), (1, 1)])], crs=4547)
    clash = _table(5).assign(fid=1)
    assert not _gpkg.bulk_ok(frame, "MultiPolygon")
    assert not _gpkg.bulk_ok(lines, "other")
    assert not _gpkg.bulk_ok(clash, None)
    layers = {"pieces": frame, "lines": lines, "summary": _table(20)}
    fast, slow = _write_both(tmp_path, layers)
    _same_layers(fast, slow, layers)


def test_qgis_opens_the_layers_with_their_spatial_index(qgis_app, tmp_path):
    from qgis.core import QgsFeatureSource, QgsVectorLayer

    frame = _frame(800, seed=9)
    path = tmp_path / "out.gpkg"
    files.write_layers(path, {"pieces": frame, "summary": _table(30)})
    layer = QgsVectorLayer(f"{path}|layername=pieces", "pieces", "ogr")
    assert layer.isValid() and layer.featureCount() == 800
    assert layer.hasSpatialIndex() == QgsFeatureSource.SpatialIndexPresent
    ok = ~shapely.is_missing(frame.geometry.values) & ~shapely.is_empty(frame.geometry.values)
    ext = layer.extent()
    np.testing.assert_allclose(
        [ext.xMinimum(), ext.yMinimum(), ext.xMaximum(), ext.yMaximum()],
        shapely.total_bounds(frame.geometry.values[ok]),
        atol=1e-6,
    )
    from qgis.core import QgsFeatureRequest, QgsRectangle

    b = shapely.bounds(frame.geometry.values[ok])
    x0, y0 = 503_000, 2_503_000
    request = QgsFeatureRequest().setFilterRect(QgsRectangle(x0, y0, x0 + 1500, y0 + 1500))
    got = sorted(f.id() for f in layer.getFeatures(request))
    want = sorted((np.flatnonzero(ok)[_meets(b, x0, y0, x0 + 1500, y0 + 1500)] + 1).tolist())
    assert got == want
    table = QgsVectorLayer(f"{path}|layername=summary", "summary", "ogr")
    assert table.isValid() and table.featureCount() == 30
    holders = [f["holder"] for f in table.getFeatures()][:2]
    assert not holders[0] and holders[1] == "户1"


def test_a_target_that_cannot_be_written_is_left_as_it_was(tmp_path):
    path = tmp_path / "out.gpkg"
    path.write_bytes(b"previous")
    bad = gpd.GeoDataFrame({"x": [1]}, geometry=[box(0, 0, 1, 1)], crs=4547)
    with pytest.raises(OutputError, match="Nothing was written"):
        files.write_layers(path, {"ok": _frame(10), "bad": bad, "worse": object()})
    assert path.read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.gpkg"]


def test_chinese_layer_and_field_names_and_a_named_index(tmp_path):
    names = {"parcel_id": "宗地号", "project": "项目 编号", "piece_area": 'area "m²"'}
    frame = _frame(300).rename(columns=names)
    frame.index = pd.Index(np.arange(1000, 1300), name="row")
    table = _table(40).rename(columns={"holder": "权利人"})
    layers = {"冲突 图斑": frame, "汇总": table}
    assert _gpkg.bulk_ok(frame, "MultiPolygon") and _gpkg.bulk_ok(table, None)
    fast, slow = _write_both(tmp_path, layers)  # the bulk path raises rather than fall back here
    _same_layers(fast, slow, layers)
    con = sqlite3.connect(fast)
    assert con.execute("SELECT rtreecheck('rtree_冲突 图斑_geom')").fetchone() == ("ok",)
    con.close()
