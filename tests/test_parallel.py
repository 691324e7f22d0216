"""Work split over threads gives exactly the serial result, and a prepared geometry stays in one thread."""

from __future__ import annotations

import threading

import numpy as np
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely import box

from landcoord.allocation import _parallel
from landcoord.allocation._parallel import prepared_copies


@settings(max_examples=30, deadline=None)
@given(keys=st.lists(st.integers(0, 40), min_size=0, max_size=3000), min_chunk=st.integers(1, 200))
def test_chunked_groups_equals_the_serial_result(keys, min_chunk):
    key = np.array(keys, dtype=np.int64)
    polys = shapely.buffer(shapely.points(np.arange(41.0) * 10, 0), 4)
    shapely.prepare(polys)
    rng = np.random.default_rng(len(keys))
    pts = shapely.points(key * 10.0 + rng.uniform(-6, 6, len(key)), rng.uniform(-6, 6, len(key)))
    got = _parallel.chunked_groups(shapely.contains, key, polys[key], pts, min_chunk=min_chunk)
    assert got.tolist() == shapely.contains(polys[key], pts).tolist()


def test_rows_with_one_key_are_never_split_over_threads(monkeypatch):
    monkeypatch.setenv("LANDCOORD_THREADS", "2")
    key = np.sort(np.random.default_rng(0).integers(0, 50, 20_000))[::-1].copy()  # unsorted input
    seen = {}
    lock = threading.Lock()

    def record(k):
        with lock:
            for v in np.unique(k).tolist():
                seen.setdefault(v, set()).add(threading.get_ident())
        return k * 2

    got = _parallel.chunked_groups(record, key, key, min_chunk=100)
    assert got.tolist() == (key * 2).tolist()
    assert all(len(threads) == 1 for threads in seen.values())


def test_the_cores_never_prepare_the_callers_geometries():
    """Preparing changes a geometry in place and is not thread-safe (GEOS#825); a city run shares
    the control zones between partitions that run side by side, so the cores prepare copies."""
    import geopandas as gpd

    from landcoord.allocation.affected import affected_area
    from landcoord.allocation.conflicts import plan_conflicts

    zones = gpd.GeoDataFrame(
        {"kind": ["道路红线", "道路红线", "城镇开发边界"]},
        geometry=[box(0, 40, 100, 60), box(40, 0, 60, 100), box(-10, -10, 110, 110)],
        crs=4547,
    )
    proposals = gpd.GeoDataFrame(
        {"code": ["A", "B"]}, geometry=[box(30, 30, 70, 70), box(35, 35, 80, 80)], crs=4547
    )
    result = plan_conflicts(proposals, zones, kind_field="kind", input_id_field="code")
    assert len(result.conflicts)
    assert not shapely.is_prepared(zones.geometry.values).any()
    assert not shapely.is_prepared(proposals.geometry.values).any()

    parcels = gpd.GeoDataFrame(
        {"pid": ["p1", "p2"], "owner": ["甲", "乙"]},
        geometry=[box(0, 0, 50, 100), box(50, 0, 100, 100)],
        crs=4547,
    )
    affected = affected_area(
        proposals, parcels, parcel_field="pid", holder_field="owner", project_field="code"
    )
    assert len(affected.pieces)
    assert not shapely.is_prepared(proposals.geometry.values).any()
    assert not shapely.is_prepared(parcels.geometry.values).any()


def test_prepared_copies_leave_the_originals_alone():
    geoms = np.array([box(0, 0, 1, 1), None, box(2, 2, 3, 3)], dtype=object)
    mine = prepared_copies(geoms)
    assert shapely.is_prepared(mine[[0, 2]]).all() and mine[1] is None
    assert not shapely.is_prepared(geoms[[0, 2]]).any()
    assert all(a is not b and a.equals_exact(b, 0) for a, b in zip(mine[[0, 2]], geoms[[0, 2]]))
