"""Synthetic consolidation projects for carving retained land, for tests and benchmarks.

A project is an irregular village-shaped boundary crossed by planned roads (S1 land, excluded),
with public-facility sites (GIC, excluded), a blocking ecological control zone biting into one
edge, existing roads as centre lines with a width field (宽度) along the planned roads and along
the boundary, each community's holdings (社区) scattered inside and around it, and a quota table.
Deterministic for a given seed.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely import affinity

__all__ = ["synthetic_project"]


def _blob(rng, n: int, radius: float, irregularity: float = 0.25):
    t = np.sort(rng.uniform(0, 2 * np.pi, n))
    r = radius * rng.uniform(1 - irregularity, 1 + irregularity, n)
    return shapely.Polygon(np.column_stack([r * np.cos(t), r * np.sin(t)])).buffer(0)


def synthetic_project(
    seed: int = 0,
    *,
    area_ha: float = 50.0,
    communities: int = 5,
    quota_share: float = 0.2,
    origin=(500_000.0, 2_500_000.0),
    crs: int = 4547,
) -> dict:
    """A generated project with everything :func:`~landcoord.allocation.carve.carve_retained` takes.

    Parameters
    ----------
    seed : int
        Seed of ``numpy.random.default_rng``.
    area_ha : float
        Area of the project boundary in hectares (exact).
    communities : int
        Number of communities with holdings and a quota.
    quota_share : float
        The quotas total this share of the project area, split unevenly among the communities.
    origin : (x, y)
        Centre of the project (default: an EPSG:4547 location in Shenzhen).

    Returns
    -------
    dict with ``boundary`` (GeoDataFrame, field 项目编号), ``exclude`` (list of GeoDataFrames:
    ``controls``, ``planned_roads``, ``facilities``), ``roads`` (lines with 宽度 and 道路名称),
    ``holdings`` (社区), ``quotas`` (DataFrame community, target_area).

    Examples
    --------
    >>> p = synthetic_project(1)
    >>> round(p["boundary"].area.sum() / 10_000, 6)
    50.0
    >>> list(p["quotas"].columns), len(p["quotas"])
    (['community', 'target_area'], 5)
    """
    rng = np.random.default_rng(seed)
    radius = float(np.sqrt(area_ha * 10_000 / np.pi))
    shape = _blob(rng, int(rng.integers(9, 16)), radius)
    k = float(np.sqrt(area_ha * 10_000 / shape.area))
    shape = affinity.scale(shape, k, k, origin=(0, 0))
    ox, oy = origin

    def world(g):
        return affinity.translate(g, ox, oy)

    # planned roads: one or two straight S1 strips through the project, with their centre lines
    lines, widths, names = [], [], []
    planned = []
    for k in range(int(rng.integers(1, 3))):
        angle = rng.uniform(0, np.pi)
        c = rng.uniform(-0.3, 0.3, 2) * radius
        d = np.array([np.cos(angle), np.sin(angle)]) * radius * 3
        line = shapely.LineString([tuple(c - d), tuple(c + d)])
        width = float(rng.choice([16.0, 20.0, 30.0]))
        planned.append(line.buffer(width / 2, cap_style="flat"))
        lines.append(line)
        widths.append(width)
        names.append(f"规划路{k + 1}")
    # an existing road along part of the boundary, just outside it
    ring = shapely.LinearRing(shape.exterior.coords)
    start = rng.uniform(0, ring.length)
    pts = [ring.interpolate((start + f * ring.length * 0.3) % ring.length) for f in np.linspace(0, 1, 12)]
    edge = shapely.LineString([(p.x, p.y) for p in pts])
    outside = edge.offset_curve(-6.0) if shape.exterior.is_ccw else edge.offset_curve(6.0)
    lines.append(outside)
    widths.append(12.0)
    names.append("现状路")

    # public facilities (GIC) and an ecological control zone biting into one edge
    facilities = []
    for _ in range(int(rng.integers(1, 3))):
        c = rng.uniform(-0.5, 0.5, 2) * radius
        w, h = rng.uniform(40, 90, 2)
        facilities.append(affinity.rotate(shapely.box(c[0], c[1], c[0] + w, c[1] + h), rng.uniform(0, 90)))
    a = rng.uniform(0, 2 * np.pi)
    eco = affinity.translate(_blob(rng, 10, radius * 0.35), radius * np.cos(a), radius * np.sin(a))

    # holdings: a few plots per community, inside and around the project
    holdings, owners = [], []
    for i in range(communities):
        c = rng.uniform(-0.9, 0.9, 2) * radius
        for _ in range(int(rng.integers(1, 4))):
            off = rng.uniform(-40, 40, 2)
            w, h = rng.uniform(15, 45, 2)
            holdings.append(shapely.box(c[0] + off[0], c[1] + off[1], c[0] + off[0] + w, c[1] + off[1] + h))
            owners.append(f"社区{i + 1}")

    shares = rng.dirichlet(np.full(communities, 3.0))
    total = quota_share * area_ha * 10_000
    quotas = pd.DataFrame(
        {
            "community": [f"社区{i + 1}" for i in range(communities)],
            "target_area": np.round(shares * total, 2),
        }
    )

    def frame(data, geoms, name):
        gdf = gpd.GeoDataFrame(data, geometry=[world(g) for g in geoms], crs=crs)
        gdf.attrs["name"] = name
        return gdf

    boundary = frame({"项目编号": [f"GEN{seed:03d}"]}, [shape], "projects")
    controls = frame({"类型": ["生态保护红线"]}, [eco], "controls")
    planned_roads = frame({"用地性质": ["S1"] * len(planned)}, planned, "planned_roads")
    gic = frame({"用地性质": ["GIC"] * len(facilities)}, facilities, "facilities")
    roads = frame({"道路名称": names, "宽度": widths}, lines, "roads")
    hold = frame({"社区": owners}, holdings, "holdings")
    quotas.attrs["name"] = "quotas"
    return {
        "boundary": boundary,
        "exclude": [controls, planned_roads, gic],
        "roads": roads,
        "holdings": hold,
        "quotas": quotas,
    }
