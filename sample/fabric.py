"""Synthetic parcel fabrics of any size, for tests and benchmarks.

A fabric is a grid of quadrilateral parcels whose corners are jittered, so parcels are irregular
but neighbours share their edges exactly (a clean coverage), like a topology-checked cadastre.
Optional defects make it realistic: dropped parcels leave gaps, enlarged parcels overlap their
neighbours. Deterministic for a given seed.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

__all__ = ["quad_fabric", "blob_boundaries"]

STATUSES = ["房地产证", "出让合同", "非农建设用地", "未完善征转手续", "未完善征转手续", "国有储备用地"]


def quad_fabric(
    n: int,
    *,
    cell: float = 30.0,
    seed: int = 0,
    origin=(500_000.0, 2_500_000.0),
    holders: int | None = None,
    gap_fraction: float = 0.0,
    overlap_count: int = 0,
    crs: int = 4547,
) -> gpd.GeoDataFrame:
    """A fabric of about ``n`` quadrilateral parcels.

    Parameters
    ----------
    n : int
        Number of parcels before gaps are made.
    cell : float
        Mean parcel width in metres.
    seed : int
        Seed of ``numpy.random.default_rng``.
    origin : (x, y)
        Lower-left corner (default: an EPSG:4547 location).
    holders : int, optional
        Number of distinct holders (default ``max(n // 5, 1)``), assigned with a skewed
        distribution (a few holders own many parcels, as community companies do).
    gap_fraction : float
        Share of parcels dropped, leaving gaps.
    overlap_count : int
        Parcels enlarged by 10 % about their centroid, overlapping their neighbours.

    Returns
    -------
    GeoDataFrame with columns ``pid``, ``owner``, ``status`` and the geometry.

    Examples
    --------
    >>> f = quad_fabric(100, seed=1)
    >>> len(f), bool(shapely.is_valid(f.geometry.values).all())
    (100, True)
    """
    rng = np.random.default_rng(seed)
    k = int(np.ceil(np.sqrt(n)))
    xs = np.arange(k + 1, dtype=float) * cell
    ys = np.arange(k + 1, dtype=float) * cell
    gx, gy = np.meshgrid(xs, ys)
    gx = gx + rng.uniform(-0.3, 0.3, gx.shape) * cell
    gy = gy + rng.uniform(-0.3, 0.3, gy.shape) * cell
    gx = np.round(gx + origin[0], 3)
    gy = np.round(gy + origin[1], 3)
    i, j = np.meshgrid(np.arange(k), np.arange(k), indexing="ij")
    i, j = i.ravel()[:n], j.ravel()[:n]
    corners = [(i, j), (i, j + 1), (i + 1, j + 1), (i + 1, j), (i, j)]
    ring = np.stack([np.stack([gx[a, b], gy[a, b]], -1) for a, b in corners], 1)
    geoms = shapely.polygons(ring)
    # orient counter-clockwise like most cadastres (the grid above runs clockwise)
    geoms = shapely.orient_polygons(geoms) if hasattr(shapely, "orient_polygons") else geoms

    n_holders = holders or max(n // 5, 1)
    weights = 1.0 / np.arange(1, n_holders + 1) ** 0.8
    owner_idx = rng.choice(n_holders, size=n, p=weights / weights.sum())
    owners = np.array([f"H{h:06d}" for h in range(n_holders)], dtype=object)[owner_idx]
    status = np.array(STATUSES, dtype=object)[rng.integers(0, len(STATUSES), n)]
    pids = np.array([f"P{x:07d}" for x in range(n)], dtype=object)

    keep = np.ones(n, dtype=bool)
    if gap_fraction > 0:
        keep[rng.choice(n, size=int(n * gap_fraction), replace=False)] = False
    if overlap_count > 0:
        grow = rng.choice(np.flatnonzero(keep), size=min(overlap_count, int(keep.sum())), replace=False)
        centroids = shapely.centroid(geoms[grow])
        for g, c in zip(grow, centroids):
            cx, cy = c.x, c.y
            geoms[g] = shapely.transform(geoms[g], lambda xy, cx=cx, cy=cy: (xy - [cx, cy]) * 1.1 + [cx, cy])
    gdf = gpd.GeoDataFrame(
        {"pid": pids[keep], "owner": owners[keep], "status": status[keep]},
        geometry=geoms[keep],
        crs=crs,
    )
    gdf.attrs["name"] = "parcels"
    return gdf


def blob_boundaries(
    fabric: gpd.GeoDataFrame, count: int, *, seed: int = 0, coverage: float = 0.3
) -> gpd.GeoDataFrame:
    """``count`` irregular project boundaries over a fabric, covering about ``coverage`` of it.

    Boundaries are jittered circles (32-gons) that do not follow parcel edges; they may overlap
    each other, as projects of different years do.
    """
    rng = np.random.default_rng(seed + 1)
    minx, miny, maxx, maxy = fabric.total_bounds
    area = (maxx - minx) * (maxy - miny)
    mean_r = np.sqrt(coverage * area / (count * np.pi))
    cx = rng.uniform(minx, maxx, count)
    cy = rng.uniform(miny, maxy, count)
    r = mean_r * rng.uniform(0.6, 1.4, count)
    t = np.linspace(0, 2 * np.pi, 33)[:-1]
    geoms = []
    for x, y, rr in zip(cx, cy, r):
        jitter = rr * rng.uniform(0.8, 1.2, len(t))
        pts = np.column_stack([x + jitter * np.cos(t), y + jitter * np.sin(t)])
        geoms.append(shapely.Polygon(np.round(pts, 3)))
    gdf = gpd.GeoDataFrame({"code": [f"PRJ{k:04d}" for k in range(count)]}, geometry=geoms, crs=fabric.crs)
    gdf.attrs["name"] = "projects"
    return gdf
