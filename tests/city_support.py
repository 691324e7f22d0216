"""Data and comparisons shared by the city-scale tests (tests/test_city_*.py)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely import box

FIELDS = {"parcel_field": "pid", "holder_field": "owner", "status_field": "status", "project_field": "code"}
AFFECTED_LAYERS = ("pieces", "summary", "status_summary", "gaps", "overlaps", "reconciliation")


def assert_same_frames(a, b, what=""):
    """Same columns, dtypes, rows and order; floats within 1e-9 relative; geometries equal."""
    a, b = pd.DataFrame(a), pd.DataFrame(b)
    geo = [c for c in a.columns if isinstance(a[c].dtype, gpd.array.GeometryDtype)]
    pd.testing.assert_frame_equal(
        a.drop(columns=geo), b.drop(columns=geo), check_exact=False, rtol=1e-9, obj=what
    )
    for c in geo:
        x, y = np.asarray(a[c].values, dtype=object), np.asarray(b[c].values, dtype=object)
        same = shapely.equals_exact(x, y, tolerance=0) | (shapely.is_missing(x) & shapely.is_missing(y))
        assert bool(same.all()), f"{what}: {c} differ in rows {np.flatnonzero(~same)[:10].tolist()}"


def assert_same_affected(one, city):
    for name in AFFECTED_LAYERS:
        assert_same_frames(getattr(one, name), getattr(city.affected, name), name)


def assert_same_conflicts(one, city):
    assert_same_frames(one.conflicts, city.conflicts.conflicts, "conflicts")
    assert_same_frames(one.summary, city.conflicts.summary, "conflict summary")
    assert one.kinds_checked == city.conflicts.kinds_checked


def make_zones(fabric, n=400, seed=3):
    """Control zones of five kinds; the urban development boundary covers only the west half."""
    rng = np.random.default_rng(seed)
    x0, y0, x1, y1 = fabric.total_bounds
    kinds = np.array(["生态保护红线", "道路红线", "绿线", "紫线"], dtype=object)[rng.integers(0, 4, n)]
    pts = shapely.points(rng.uniform(x0, x1, n), rng.uniform(y0, y1, n))
    geoms = shapely.buffer(pts, rng.uniform(10, 90, n), quad_segs=6)
    udb = [
        box(x0, y0, x0 + 0.3 * (x1 - x0), y1),
        box(x0 + 0.3 * (x1 - x0), y0, x0 + 0.45 * (x1 - x0), y0 + 900),
    ]
    zones = gpd.GeoDataFrame(
        {"kind": list(kinds) + ["UDB", "城镇开发边界"]}, geometry=list(geoms) + udb, crs=fabric.crs
    )
    zones.attrs["name"] = "controls"
    return zones
