"""Deterministic generator of the bundled sample project: a synthetic village in Longhua, Shenzhen.

Everything here is invented: names, ID numbers, phone numbers, parcels, plans. The village lies at
x 502,000-504,500, y 2,505,000-2,507,500 in EPSG:4547 (CGCS2000 3-degree Gauss-Krüger, central
meridian 114°E, metres) and holds two land-consolidation (土地整备利益统筹) projects.

Run ``python -m landcoord.sample.make_sample [--seed N] [--out PATH]`` to rebuild
``sample/landcoord_sample.gpkg``; :func:`generate` returns the same layers as GeoDataFrames.
The generator uses numpy's ``default_rng`` only (one independent stream per stage, seeded from
``[seed, stage]``), shapely 2, geopandas and pyogrio; it never imports QGIS.

Layers
------
========== ============== ===========================================================================
layer      geometry       fields
========== ============== ===========================================================================
parcels    MultiPolygon   宗地号, 权利人, 权利人类型, 社区, 用地状态, 身份证号, 联系电话
buildings  Polygon        楼栋号, 宗地号, 层数, 基底面积, 建筑面积, 合法状态
projects   Polygon        项目编号, 项目名称
controls   Polygon        类型, 名称
zoning     Polygon        用地性质, 容积率, 地块编号
holdings   Polygon        社区, 社区股份合作公司
roads      LineString     道路名称, 宽度
========== ============== ===========================================================================

How the fabric is made
----------------------
Road centre lines (a jittered grid with a few dropped segments, five major roads, one diagonal)
are buffered into corridors; what is left of the village are street blocks. Each block is split
recursively across its long axis (cut position and angle jittered) until its parcels are smaller
than a size drawn from the block's character (old-village blocks about 150-560 m², mixed and
industrial blocks up to 3,000 m², large community or state blocks and hill land up to 30,000 m²).
Every cut, every block outline, cross-cuts through the road corridors and the rings of the
deliberate holes are then noded together on a 1 mm grid (GEOS snap-rounding) and polygonized once,
so neighbouring parcels share edges vertex for vertex and every coordinate is a whole millimetre.
Road-corridor faces are kept as parcels only where they touch a project (state reserve land held by
深圳市交通运输局 or the 事务中心); elsewhere roads are gaps in the cadastre. Legal statuses are drawn
per block and per run of parcels along the block, so they come in spatial clusters.

Every parcel is stored as a MultiPolygon (the GeoPackage layer type); a "multipart" parcel is one
with two parts. Coordinates of all layers are rounded to the millimetre.

Deliberate defects (default seed 20241125)
------------------------------------------
Each is inside a project unless the project column says otherwise. Gaps are given by the parcels
around them. The bow-tie (two vertices swapped at one end of the parcel) leaves two slivers of a few
m² uncovered once repaired; they are not counted as gaps.

.. defect-table-start

======================= ============ ==================================================== ==========
defect                  project      parcels                                                 area m²
======================= ============ ==================================================== ==========
gap                     LHTZ-2024-01 LH0304-00403, LH0305-00388                                71.30
gap                     LHTZ-2024-01 LH0305-00391, LH0305-00392                                91.44
gap                     LHTZ-2024-02 LH0303-00065, LH0303-00066                                62.57
gap                     LHTZ-2024-02 LH0306-00030, LH0306-00043                                84.52
double claim            LHTZ-2024-01 LH0305-00374 over LH0305-00331                           125.55
double claim            LHTZ-2024-01 LH0305-00394 over LH0305-00412                            53.40
double claim            LHTZ-2024-02 LH0306-00097 over LH0306-00108                            96.86
double claim            LHTZ-2024-02 LH0305-00086 over LH0305-00085                           102.01
multipart               LHTZ-2024-01 LH0304-00224                                             596.05
multipart               LHTZ-2024-01 LH0304-00334                                             606.40
multipart               LHTZ-2024-02 LH0306-00054                                            2388.38
multipart               LHTZ-2024-02 LH0306-00044                                            2675.53
multipart               -            LH0306-00392                                             675.11
multipart               -            LH0308-00599                                             474.82
donut with island       LHTZ-2024-01 LH0304-00350 around island LH0304-00351                  261.44
hole that is a gap      LHTZ-2024-02 LH0306-00112                                              89.99
bow-tie (self-crossing) LHTZ-2024-02 LH0303-00068                                            1672.43
no rights-holder        LHTZ-2024-01 LH0304-00235                                             303.46
no rights-holder        LHTZ-2024-01 LH0304-00474                                            1754.49
no rights-holder        LHTZ-2024-01 LH0305-00390                                            1208.08
no rights-holder        LHTZ-2024-01 LH0305-00427                                            1098.90
no rights-holder        LHTZ-2024-02 LH0305-00084                                            1892.08
no rights-holder        LHTZ-2024-02 LH0306-00003                                            1992.60
no rights-holder        LHTZ-2024-02 LH0306-00015                                            1514.57
no rights-holder        LHTZ-2024-02 LH0306-00142                                             332.14
======================= ============ ==================================================== ==========

.. defect-table-end

The table is :func:`defect_table` of the default seed; ``tests/test_sample.py`` checks that it
matches, and :func:`generate` also returns the planted defects in ``layers["parcels"].attrs``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from shapely import LineString, MultiPolygon, Point, Polygon
from shapely.ops import split as _split

__all__ = [
    "DEFAULT_SEED",
    "DEFAULT_PATH",
    "CRS",
    "EXTENT",
    "LAYERS",
    "STATUSES",
    "HOLDER_TYPES",
    "COMMUNITIES",
    "STATE_BODIES",
    "CONTROL_KINDS",
    "CONTROL_ALIASES",
    "ZONING_FAR",
    "generate",
    "write",
    "defect_table",
    "summary",
    "main",
]

DEFAULT_SEED = 20241125
#: Where :func:`write` puts the GeoPackage by default (beside this module).
DEFAULT_PATH = Path(__file__).resolve().parent / "landcoord_sample.gpkg"
CRS = "EPSG:4547"
#: (xmin, ymin, xmax, ymax) of the village, EPSG:4547 metres.
EXTENT = (502_000.0, 2_505_000.0, 504_500.0, 2_507_500.0)
#: Layer names, in the order they are written.
LAYERS = ("projects", "parcels", "buildings", "controls", "zoning", "holdings", "roads")
#: GeoPackage timestamp written into gpkg_contents, so that the file is byte-reproducible.
GPKG_DATE = "2024-11-25T00:00:00.000Z"

GRID = 0.001  # coordinates are whole millimetres
UNCOMPENSATED = "未完善征转手续"
RESERVE = "国有储备用地"
STATUSES = (
    "房地产证",
    "出让合同",
    "非农建设用地",
    "征地返还用地",
    "历史遗留违法建筑确认",
    "旧屋村",
    UNCOMPENSATED,
    RESERVE,
)
COMPANY, PERSON, STATE = "社区股份合作公司", "个人", "国有单位"
HOLDER_TYPES = (COMPANY, PERSON, STATE)
#: Community -> its shareholding company (fictional).
COMMUNITIES = {
    "龙园社区": "龙园社区股份合作公司",
    "石岭社区": "石岭社区股份合作公司",
    "松坪社区": "松坪社区股份合作公司",
}
CENTRE, PLANNING, TRANSPORT, EDUCATION, WATER = STATE_BODIES = (
    "深圳市龙华区土地整备事务中心",
    "深圳市规划和自然资源局龙华管理局",
    "深圳市交通运输局",
    "深圳市龙华区教育局",
    "深圳市龙华区水务局",
)
CONTROL_KINDS = (
    "生态保护红线",
    "永久基本农田",
    "城镇开发边界",
    "基本生态控制线",
    "道路红线",
    "绿线",
    "蓝线",
    "黄线",
    "紫线",
)
#: Spellings in the controls layer that are not a canonical kind, and the kind they stand for.
CONTROL_ALIASES = {"生态红线": "生态保护红线", "城市绿线": "绿线"}
#: Land-use code -> (min, max) floor-area ratio.
ZONING_FAR = {
    "R2": (2.5, 4.0),
    "R3": (2.0, 3.2),
    "M1": (2.0, 4.0),
    "C1": (4.0, 6.0),
    "GIC": (1.5, 2.5),
    "G1": (0.0, 0.0),
    "S1": (0.0, 0.0),
    "E1": (0.0, 0.0),
    "U": (1.0, 1.0),
}
_LAYER_TITLES = {
    "projects": "项目范围 (合成样例数据)",
    "parcels": "宗地 (合成样例数据, 人名与证件号码均为虚构)",
    "buildings": "建筑物 (合成样例数据)",
    "controls": "控制线 (合成样例数据)",
    "zoning": "规划用地 (合成样例数据)",
    "holdings": "社区现有用地 (合成样例数据)",
    "roads": "现状道路 (合成样例数据)",
}
_PROJECTS = (
    ("LHTZ-2024-01", "龙园片区土地整备利益统筹项目", (502_800.0, 2_506_150.0)),
    ("LHTZ-2024-02", "石岭片区土地整备利益统筹项目", (503_900.0, 2_506_550.0)),
)
#: community -> (territory seed, old-village core)
_COMMUNITY_SITES = {
    "龙园社区": ((502_650.0, 2_506_550.0), (502_640.0, 2_506_420.0)),
    "石岭社区": ((503_850.0, 2_506_450.0), (503_680.0, 2_506_230.0)),
    "松坪社区": ((503_250.0, 2_505_450.0), (503_250.0, 2_505_430.0)),
}
_NUMERALS = "一二三四五六七八九十"

# Generator stages: each draws from its own stream, so tuning one stage leaves the others alone.
(_S_PROJECTS, _S_ROADS, _S_BLOCKS, _S_DEFECTS, _S_STATUS, _S_PEOPLE, _S_BUILDINGS, _S_ZONING, _S_CONTROLS) = (
    range(1, 10)
)


def _rng(seed: int, stage: int) -> np.random.Generator:
    return np.random.default_rng([int(seed), stage])


# ---------------------------------------------------------------------------------------------
# geometry helpers


def _mm(geom):
    """Round every coordinate of ``geom`` (or an array of geometries) to the millimetre."""
    return shapely.transform(geom, lambda xy: np.round(xy, 3))


def _parts(geom) -> list:
    """Polygon parts of a (Multi)Polygon or collection, largest first (stable for equal areas)."""
    parts = [g for g in shapely.get_parts(geom) if g.geom_type == "Polygon" and not g.is_empty]
    return sorted(parts, key=lambda g: -g.area)


def _largest(geom) -> Polygon:
    parts = _parts(geom)
    return parts[0] if parts else Polygon()


def _axes(poly) -> tuple[np.ndarray, np.ndarray, float, float, np.ndarray]:
    """Long-axis unit vector, cross-axis unit vector, long length, short length and centre.

    Taken from the minimum-area rectangle around ``poly``, which has a side on an edge of the
    convex hull (shapely's own falls back to slow Python before GEOS 3.12).
    """
    hull = np.asarray(shapely.convex_hull(poly).exterior.coords)
    edges = np.diff(hull, axis=0)
    lengths = np.hypot(edges[:, 0], edges[:, 1])
    u = edges[lengths > 0] / lengths[lengths > 0, None]
    n = np.column_stack([-u[:, 1], u[:, 0]])
    pu, pn = hull @ u.T, hull @ n.T
    du, dn = pu.max(axis=0) - pu.min(axis=0), pn.max(axis=0) - pn.min(axis=0)
    i = int(np.argmin(du * dn))
    centre = (pu[:, i].max() + pu[:, i].min()) / 2 * u[i] + (pn[:, i].max() + pn[:, i].min()) / 2 * n[i]
    ax, long_, short = (u[i], du[i], dn[i]) if du[i] >= dn[i] else (n[i], dn[i], du[i])
    return ax, np.array([-ax[1], ax[0]]), float(long_), float(short), centre


def _width(poly) -> float:
    return _axes(poly)[3]


def _rect(centre, ax, length: float, width: float) -> Polygon:
    """Rectangle centred on ``centre``, ``length`` along unit vector ``ax`` and ``width`` across."""
    c, a = np.asarray(centre, dtype=float), np.asarray(ax, dtype=float)
    n = np.array([-a[1], a[0]])
    hl, hw = a * length / 2, n * width / 2
    return Polygon([c - hl - hw, c + hl - hw, c + hl + hw, c - hl + hw])


def _blob(rng, centre, area: float, n: int = 44, amp: float = 0.1) -> Polygon:
    """Irregular star-shaped polygon of about ``area`` m² around ``centre``."""
    step = 2 * np.pi / n
    theta = np.arange(n) * step + rng.uniform(-0.3, 0.3, n) * step
    r = np.ones(n)
    for k in range(2, 6):
        r += rng.uniform(0.3, 1.0) * amp / (k - 1) ** 0.7 * np.cos(k * theta + rng.uniform(0, 2 * np.pi))
    r *= 1 + rng.normal(0, 0.015, n)
    xy = np.column_stack([np.cos(theta) * r, np.sin(theta) * r])
    unit = Polygon(xy).area
    return Polygon(np.asarray(centre) + xy * np.sqrt(area / unit))


def _ellipse(centre, a: float, b: float, angle: float, n: int = 48) -> Polygon:
    t = np.linspace(0, 2 * np.pi, n, endpoint=False)
    x, y = a * np.cos(t), b * np.sin(t)
    c, s = np.cos(angle), np.sin(angle)
    return Polygon(np.column_stack([centre[0] + c * x - s * y, centre[1] + s * x + c * y]))


def _polyline(points, rng=None, wobble: float = 0.0, step: float = 40.0) -> LineString:
    """Line through ``points``, densified every ``step`` m and wobbled sideways by smooth noise."""
    line = shapely.segmentize(LineString(points), step)
    if rng is None or wobble == 0:
        return line
    xy = np.asarray(line.coords)
    d = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(xy, axis=0).T))])
    off = np.zeros(len(xy))
    for lam in (rng.uniform(250, 400), rng.uniform(500, 800)):
        off += wobble * rng.uniform(0.5, 1.0) * np.sin(2 * np.pi * d / lam + rng.uniform(0, 2 * np.pi))
    off *= np.abs(np.sin(np.pi * d / d[-1])) ** 0.3  # pinned at the ends
    tang = np.gradient(xy, axis=0)
    tang /= np.hypot(*tang.T)[:, None]
    normal = np.column_stack([-tang[:, 1], tang[:, 0]])
    return LineString(xy + normal * off[:, None])


def _longest_line(geom):
    """Longest LineString of ``geom`` after merging its pieces (None when it has none)."""
    lines = [g for g in shapely.get_parts(geom) if g.geom_type in ("LineString", "MultiLineString")]
    if not lines:
        return None
    merged = [g for g in shapely.get_parts(shapely.line_merge(shapely.union_all(lines))) if g.length > 0]
    return max(merged, key=lambda g: g.length) if merged else None


def _crossings(a, b) -> list[Point]:
    """Points where lines ``a`` and ``b`` cross (tested first: GEOS 3.11 flags empty results)."""
    if not shapely.intersects(a, b):
        return []
    return [p for p in shapely.get_parts(shapely.intersection(a, b)) if p.geom_type == "Point"]


def _extent_box():
    return shapely.box(*EXTENT)


# ---------------------------------------------------------------------------------------------
# projects, hills, farmland


def _projects(rng) -> list[Polygon]:
    for _ in range(50):
        polys = []
        for _pid, _name, centre in _PROJECTS:
            c = np.asarray(centre) + rng.uniform(-50, 50, 2)
            area, n = rng.uniform(400_000, 500_000), int(rng.integers(36, 48))
            polys.append(_mm(_blob(rng, c, area, n=n, amp=0.17)))
        if all(p.is_valid for p in polys) and polys[0].distance(polys[1]) > 150:
            return polys
    raise RuntimeError("could not place two separate projects")  # pragma: no cover


def _hills(rng, p2: Polygon) -> tuple[Polygon, np.ndarray]:
    """Hill land in the north-east (outside the development boundary), cutting into project 2.

    Returns the hill polygon and the anchor point on its edge inside project 2.
    """
    c = np.asarray(p2.centroid.coords[0])
    r = np.sqrt(p2.area / np.pi)
    bearing = np.radians(40 + rng.uniform(-5, 5))
    anchor = c + 0.6 * r * np.array([np.cos(bearing), np.sin(bearing)])
    d = np.array([np.cos(bearing - np.pi / 2), np.sin(bearing - np.pi / 2)])  # along the hill foot
    edge = _polyline([anchor - 2500 * d, anchor, anchor + 2500 * d], rng, wobble=45, step=50)
    far = np.array([np.cos(bearing), np.sin(bearing)]) * 4000
    xy = np.asarray(edge.coords)
    ring = np.vstack([xy, xy[-1] + far, xy[0] + far])
    hills = shapely.intersection(Polygon(ring), _extent_box(), grid_size=GRID)
    return _largest(hills), anchor


def _farmland(rng, p2: Polygon, hills: Polygon) -> Polygon:
    c = np.asarray(p2.centroid.coords[0])
    bearing = np.radians(112 + rng.uniform(-6, 6))
    ray = LineString([c, c + 3000 * np.array([np.cos(bearing), np.sin(bearing)])])
    edge = np.asarray(_parts_points(shapely.intersection(ray, p2.exterior))[0])
    centre = edge + 70 * np.array([np.cos(bearing), np.sin(bearing)])
    ell = _ellipse(centre, rng.uniform(190, 230), rng.uniform(85, 100), np.radians(40))
    return _largest(shapely.difference(shapely.intersection(ell, _extent_box()), hills, grid_size=GRID))


def _parts_points(geom) -> list:
    return [p.coords[0] for p in shapely.get_parts(geom) if p.geom_type == "Point"]


# ---------------------------------------------------------------------------------------------
# roads and blocks


@dataclass
class _Road:
    name: str
    width: float
    line: LineString  # full centre line, beyond the extent
    major: bool
    pieces: list = field(default_factory=list)  # kept centre-line pieces (LineStrings)


def _positions(rng, lo: float, hi: float) -> list[float]:
    out, v = [], lo + rng.uniform(110, 190)
    while v < hi - 110:
        out.append(v)
        v += rng.uniform(180, 260)
    return out


def _snap_major(positions: list[float], targets, rng) -> set[int]:
    majors = set()
    for t in targets:
        i = int(np.argmin([abs(p - t) for p in positions]))
        positions[i] = t + rng.uniform(-20, 20)
        majors.add(i)
    return majors


def _road_network(rng, hills: Polygon) -> list[_Road]:
    """Road centre lines: a jittered grid, five major roads, some minor segments dropped."""
    x0, y0, x1, y1 = EXTENT
    xs, ys = _positions(rng, x0, x1), _positions(rng, y0, y1)
    maj_x = _snap_major(xs, (502_480.0, 503_430.0), rng)
    maj_y = _snap_major(ys, (2_505_850.0, 2_506_900.0), rng)
    major_names = {
        ("x", min(maj_x)): "清湖路",
        ("x", max(maj_x)): "东环二路",
        ("y", min(maj_y)): "石岭大道",
        ("y", max(maj_y)): "龙园大道",
    }

    def make(axis, i, v):
        major = (axis, i) in major_names
        lo, hi = (y0, y1) if axis == "x" else (x0, x1)
        t = np.array([lo - 80, lo + (hi - lo) * rng.uniform(0.3, 0.7), hi + 80])
        off = v + np.concatenate([[0.0], np.cumsum(rng.normal(0, 14 if not major else 8, 2))])
        pts = np.column_stack([off, t]) if axis == "x" else np.column_stack([t, off])
        line = _polyline(pts, rng, wobble=6.0 if major else 0.0, step=60.0)
        width = float(rng.choice([30.0, 32.0, 34.0, 36.0, 40.0] if major else [12.0, 14.0, 16.0, 18.0, 20.0]))
        return _Road(major_names.get((axis, i), ""), width, _mm(line), major)

    roads = [make("x", i, v) for i, v in enumerate(xs)] + [make("y", i, v) for i, v in enumerate(ys)]
    diag = LineString([(x0 - 80, y0 + rng.uniform(230, 330)), (x1 + 80, y0 + rng.uniform(950, 1100))])
    width = float(rng.choice([32.0, 34.0, 36.0]))
    roads.append(_Road("华荣路", width, _mm(shapely.segmentize(diag, 60)), True))

    # minor lines: split at crossings, drop some segments, keep out of the hills
    hill_zone = hills.buffer(15)
    for r in roads:
        if r.major:
            r.pieces = [r.line]
            continue
        hits = [p for o in roads if o is not r for p in _crossings(r.line, o.line)]
        cuts = sorted({float(r.line.project(p)) for p in hits})
        bounds = [0.0, *cuts, r.line.length]
        kept = []
        for a, b in zip(bounds[:-1], bounds[1:]):
            if b - a < 1 or rng.random() < 0.2:
                continue
            seg = shapely.difference(shapely.ops.substring(r.line, a, b), hill_zone)
            kept.extend(p for p in shapely.get_parts(seg) if p.length > 40)
        if kept:
            r.pieces = list(shapely.get_parts(shapely.line_merge(shapely.union_all(kept))))
    roads = [r for r in roads if r.pieces]
    _name_minor_roads(roads)
    return roads


def _community_of(xy) -> str:
    """Community whose territory holds point ``xy`` (nearest territory seed)."""
    names = list(_COMMUNITY_SITES)
    seeds = np.array([_COMMUNITY_SITES[n][0] for n in names])
    return names[int(np.argmin(np.hypot(*(seeds - np.asarray(xy)).T)))]


def _name_minor_roads(roads: list[_Road]) -> None:
    counter: dict[str, int] = {}
    for r in roads:
        if r.name:
            continue
        mid = shapely.union_all(r.pieces).centroid
        prefix = _community_of(mid.coords[0])[:2]
        counter[prefix] = counter.get(prefix, 0) + 1
        k = counter[prefix]
        num = _NUMERALS[k - 1] if k <= 10 else "十" + _NUMERALS[k - 11]
        r.name = f"{prefix}{num}路"


def _corridors(roads: list[_Road]) -> Polygon:
    """Union of all road corridors inside the extent.

    A minor road ending at another road is lengthened by a third of that road's width, so that
    its flat end lies inside the other corridor even where the two do not meet square.
    """
    polys = []
    for r in roads:
        for piece in r.pieces:
            xy = np.array(piece.coords)
            if not r.major:
                for end, nxt in ((0, 1), (-1, -2)):
                    out = (xy[end] - xy[nxt]) / np.hypot(*(xy[end] - xy[nxt]))
                    xy[end] = xy[end] + out * 0.35 * _crossing_width(roads, r, xy[end])
            polys.append(shapely.buffer(LineString(xy), r.width / 2, cap_style="flat", join_style="mitre"))
    return shapely.intersection(shapely.union_all(polys), _extent_box())


def _crossing_width(roads, road, xy) -> float:
    """Width of the widest other road whose centre line passes within 1 m of ``xy`` (0 if none)."""
    p = Point(xy)
    ws = [o.width for o in roads if o is not road and any(q.distance(p) < 1.0 for q in o.pieces)]
    return max(ws, default=0.0)


@dataclass
class _Block:
    geom: Polygon
    char: str  # village / mixed / industrial / large / hill
    community: str
    amax: float
    amin: float
    wmin: float
    project_share: np.ndarray  # share of the block's area inside each project
    leaves: list = field(default_factory=list)


def _blocks(rng, corridors, projects, hills) -> tuple[list[_Block], Polygon]:
    """Street blocks with a character each, and the road land (corridors plus block slivers)."""
    x0, y0, x1, y1 = EXTENT
    raw = []
    for b in _parts(shapely.difference(_extent_box(), corridors)):
        hill = shapely.intersection(b, hills, grid_size=GRID)
        if min(hill.area, b.area - hill.area) < 5_000:
            raw.append(b)
        else:  # the hill foot splits a block: hill land and built land have different fabrics
            raw.extend(_parts(hill) + _parts(shapely.difference(b, hills, grid_size=GRID)))
    kept = [_mm(b) for b in raw if b.area >= 600 and not b.buffer(-5).is_empty]
    kept = [b for b in kept if b.is_valid]
    kept.sort(key=lambda b: (-round(b.centroid.y, 1), round(b.centroid.x, 1)))
    road_land = shapely.difference(_extent_box(), shapely.union_all(kept))
    cores = np.array([s[1] for s in _COMMUNITY_SITES.values()])
    centre = [np.asarray(b.centroid.coords[0]) for b in kept]
    dist = [float(np.min(np.hypot(*(cores - c).T))) for c in centre]
    chars = []
    for b, c, d in zip(kept, centre, dist):
        if shapely.intersection(b, hills).area > 0.5 * b.area:
            chars.append("hill")
        elif rng.random() < np.clip(1.15 - d / 260, 0, 0.95):
            chars.append("village")
        elif rng.random() < 0.12:
            chars.append("large")
        elif c[1] < y0 + 800 or c[0] > x1 - 450:
            chars.append("industrial")
        else:
            chars.append("mixed")
    _calibrate_count(kept, chars, dist)
    # every community has a block of large parcels (its company's big holdings)
    community = [_community_of(c) for c in centre]
    for name in COMMUNITIES:
        if not any(ch == "large" and cm == name for ch, cm in zip(chars, community)):
            cands = [
                i
                for i in range(len(kept))
                if community[i] == name
                and chars[i] in ("mixed", "industrial")
                and not any(shapely.intersects(kept[i], p) for p in projects)
            ]
            if cands:
                chars[max(cands, key=lambda i: (round(kept[i].area, 3), -i))] = "large"
    blocks = []
    for b, char, name in zip(kept, chars, community):
        share = np.array([shapely.intersection(b, p).area / b.area for p in projects])
        lo, hi = _PARCEL_SIZE[char]
        amin, wmin = {
            "village": (150.0, 7.0),
            "mixed": (450.0, 14.0),
            "industrial": (700.0, 18.0),
            "large": (2500.0, 30.0),
            "hill": (4000.0, 40.0),
        }[char]
        blocks.append(_Block(b, char, name, rng.uniform(lo, hi), amin, wmin, share))
    return blocks, road_land


#: Block character -> range of the largest parcel area a block of that character is split to.
_PARCEL_SIZE = {
    "village": (380, 560),
    "mixed": (2000, 3000),
    "industrial": (2400, 3000),
    "large": (9000, 22000),
    "hill": (16000, 28000),
}
_PARCEL_COUNT = (3350, 3750)  # expected number of block parcels the characters are tuned to


def _calibrate_count(blocks: list, chars: list, dist: list) -> None:
    """Turn blocks into old village (or back) until the expected parcel count is in range.

    A block split to at most ``amax`` m² has parcels of about 0.65 ``amax`` on average.
    """
    mean = {k: 0.65 * (lo + hi) / 2 for k, (lo, hi) in _PARCEL_SIZE.items()}

    def expected():
        return sum(b.area / mean[c] for b, c in zip(blocks, chars))

    by_distance = sorted(range(len(blocks)), key=lambda i: (round(dist[i], 3), i))
    for i in by_distance:
        if expected() >= _PARCEL_COUNT[0]:
            break
        if chars[i] not in ("village", "hill"):
            chars[i] = "village"
    for i in reversed(by_distance):
        if expected() <= _PARCEL_COUNT[1]:
            break
        if chars[i] == "village":
            chars[i] = "mixed"


def _subdivide(poly: Polygon, amax: float, amin: float, wmin: float, rng) -> tuple[list, list]:
    """Split ``poly`` recursively across its long axis until pieces are below ``amax`` m².

    Returns the pieces and the cut lines (each clipped to the polygon it split).
    """
    leaves, cuts, stack = [], [], [poly]
    while stack:
        p = stack.pop()
        if p.area <= amax:
            leaves.append(p)
            continue
        ax, nrm, length, width, centre = _axes(p)
        # a piece far above the target may use smaller pieces and thinner cuts to get there
        levels = [(amin, wmin)] + (
            [(max(150.0, amin / 2), wmin / 2), (150.0, min(wmin, 7.0))]
            if p.area > min(2 * amax, 29_000.0)
            else []
        )
        for level, (amin_, wmin_) in ((i, lv) for i, lv in enumerate(levels) for _ in range(8)):
            u = rng.uniform(0.34, 0.66)
            ang = float(np.clip(rng.normal(0, np.radians(5)), -0.2, 0.2))
            along = level > 0 and rng.random() < 0.5  # relaxed: cut along the long axis too
            c, s = np.cos(ang), np.sin(ang)
            base_dir, offset = (ax, width * nrm) if along else (nrm, length * ax)
            d = np.array([c * base_dir[0] - s * base_dir[1], s * base_dir[0] + c * base_dir[1]])
            at = centre + (u - 0.5) * offset
            line = LineString([at - d * 2 * length, at + d * 2 * length])
            pieces = [g for g in _split(p, line).geoms if g.geom_type == "Polygon"]
            if len(pieces) < 2 or min(g.area for g in pieces) < amin_:
                continue
            if min(_width(g) for g in pieces) < wmin_:
                continue
            cuts.append(shapely.intersection(line, p))
            stack.extend(pieces)
            break
        else:
            leaves.append(p)
    return leaves, cuts


def _road_cross_cuts(roads: list[_Road], road_land) -> list:
    """Lines across the road corridors between junctions, so road land falls into pieces."""
    cuts = []
    all_lines = [p for r in roads for p in r.pieces]
    for r in roads:
        for piece in r.pieces:
            others = shapely.union_all([q for q in all_lines if q is not piece])
            hits = sorted(float(piece.project(p)) for p in _crossings(piece, others))
            bounds = [0.0, *hits, piece.length]
            for a, b in zip(bounds[:-1], bounds[1:]):
                if b - a < 60:
                    continue
                n = 1 if b - a < 320 else 2
                for k in range(1, n + 1):
                    t = a + (b - a) * k / (n + 1)
                    p0 = np.asarray(piece.interpolate(t).coords[0])
                    p1 = np.asarray(piece.interpolate(min(t + 1, piece.length)).coords[0])
                    tang = (p1 - p0) / np.hypot(*(p1 - p0))
                    nrm = np.array([-tang[1], tang[0]])
                    seg = LineString([p0 - nrm * (r.width / 2 + 6), p0 + nrm * (r.width / 2 + 6)])
                    inside = [
                        g
                        for g in shapely.get_parts(shapely.intersection(seg, road_land))
                        if g.geom_type == "LineString" and g.distance(Point(p0)) < 1e-6
                    ]
                    if inside and inside[0].length < r.width + 2:
                        cuts.append(inside[0])
    return cuts


def _polygonize(lines) -> list[Polygon]:
    """Faces of the arrangement of ``lines`` noded on the millimetre grid."""
    noded = shapely.union_all(shapely.get_parts(np.asarray(lines, dtype=object)), grid_size=GRID)
    faces = list(shapely.get_parts(shapely.polygonize(shapely.get_parts(noded))))
    return [f for f in faces if f.area > 0]


# ---------------------------------------------------------------------------------------------
# the cadastre


@dataclass
class _Fabric:
    """The polygonized village before attributes are attached."""

    faces: list  # Polygon per face
    block: np.ndarray  # block index per face, -1 for road land
    dropped: np.ndarray  # face lies in a planted hole
    gaps: list  # (project index, polygon) of every planted hole, the hole-gap last
    island: int  # island face (the host face has it as its hole)
    donut: int  # host face around the island
    hole_host: int  # face whose hole is a gap
    road_cuts: list  # lines across the road corridors (reused by the zoning)


def _plant_rings(rng, blocks: list[_Block], inner: list) -> tuple[list, Polygon, Polygon]:
    """Choose the holes to plant in the fabric before it is polygonized.

    Returns the straddling gap rectangles as [(project index, polygon)], the island ring (in
    project 1) and the ring of the hole that is a gap (in project 2).
    """
    leaves = [leaf for b in blocks if b.char != "hill" for leaf in b.leaves]
    geoms = np.asarray(leaves, dtype=object)
    tree = shapely.STRtree(geoms)
    inside = [shapely.contains(p, shapely.centroid(geoms)) for p in inner]
    used: set[int] = set()
    order = rng.permutation(len(leaves))
    gaps = []
    for pi in (0, 1):
        found = 0
        for k in order:
            a = geoms[k]
            if found == 2 or k in used or not inside[pi][k] or a.area < 400:
                continue
            for j in tree.query(a, predicate="touches"):
                b = geoms[j]
                if j in used or b.area < 400 or not inside[pi][j]:
                    continue
                shared = _longest_line(shapely.intersection(a.boundary, b.boundary))
                if shared is None or shared.length < 14:
                    continue
                m = np.asarray(shared.interpolate(0.5, normalized=True).coords[0])
                q = np.asarray(shared.interpolate(0.5 * shared.length + 1.0).coords[0])
                rect = _mm(_rect(m, (q - m) / np.hypot(*(q - m)), rng.uniform(8, 13), rng.uniform(6, 11)))
                if not rect.buffer(2.0).within(shapely.union(a, b)):
                    continue
                if set(tree.query(rect.buffer(2.0), predicate="intersects").tolist()) - {int(k), int(j)}:
                    continue
                gaps.append((pi, rect))
                used.update({int(k), int(j)})
                found += 1
                break
        if found < 2:
            raise RuntimeError(f"no room for two gaps in project {pi + 1}")  # pragma: no cover

    def ring_in(pi: int, min_areas: tuple, w: tuple, h: tuple) -> Polygon:
        """A rectangle well inside a parcel of project ``pi`` (the largest size class that has one)."""
        for k in [k for min_area in min_areas for k in order if geoms[k].area >= min_area]:
            a = geoms[k]
            if k in used or not inside[pi][k]:
                continue
            ww, hh = rng.uniform(*w), rng.uniform(*h)
            room = a.buffer(-(np.hypot(ww, hh) / 2 + 4))
            if room.is_empty:
                continue
            ring = _mm(_rect(np.asarray(room.representative_point().coords[0]), _axes(a)[0], ww, hh))
            if ring.buffer(3).within(a):
                used.add(int(k))
                return ring
        raise RuntimeError(f"no parcel fit for a planted ring in project {pi + 1}")  # pragma: no cover

    island = ring_in(0, (2500, 1500, 900), (16, 20), (12, 16))
    hole_gap = ring_in(1, (1500, 900, 600), (9, 12), (8, 11))
    return gaps, island, hole_gap


def _fabric(rng_blocks, rng_defects, blocks, road_land, roads, projects) -> _Fabric:
    """Subdivide the blocks, plant the holes and polygonize everything on the millimetre grid."""
    cuts = []
    for b in blocks:
        b.leaves, c = _subdivide(b.geom, b.amax, b.amin, b.wmin, rng_blocks)
        cuts.extend(c)
    inner = [p.buffer(-40) for p in projects]
    gaps, island, hole_gap = _plant_rings(rng_defects, blocks, inner)
    road_cuts = _road_cross_cuts(roads, road_land)
    lines = [
        _extent_box().boundary,
        *[b.geom.boundary for b in blocks],
        *cuts,
        *road_cuts,
        *[g.boundary for _, g in gaps],
        island.boundary,
        hole_gap.boundary,
    ]
    faces = _polygonize(lines)
    faces.sort(key=lambda f: (-round(f.centroid.y, 2), round(f.centroid.x, 2)))
    reps = shapely.point_on_surface(np.asarray(faces, dtype=object))
    btree = shapely.STRtree(np.asarray([b.geom for b in blocks], dtype=object))
    fi, bi = btree.query(reps, predicate="within")
    block = np.full(len(faces), -1)
    block[fi] = bi
    dropped = np.zeros(len(faces), dtype=bool)
    for g in [g for _, g in gaps] + [hole_gap]:
        dropped |= shapely.within(reps, g.buffer(0.01))
    island_face = int(np.flatnonzero(shapely.within(reps, island.buffer(0.01)))[0])
    holed = [i for i, f in enumerate(faces) if f.interiors]
    donut = next(i for i in holed if Polygon(faces[i].interiors[0]).buffer(0.01).contains(faces[island_face]))
    hole_host = next(i for i in holed if Polygon(faces[i].interiors[0]).buffer(0.01).contains(hole_gap))
    return _Fabric(faces, block, dropped, gaps + [(1, hole_gap)], island_face, donut, hole_host, road_cuts)


@dataclass
class _Parcel:
    """One parcel while the cadastre is assembled."""

    geom: object  # final geometry (Polygon or MultiPolygon; invalid for the bow-tie)
    base: Polygon  # clean face buildings are placed on
    block: int  # -1 for road land
    road: bool
    project: int  # index of the project holding its base face's interior point, -1 if none
    status: str = ""
    holder: str | None = None
    holder_type: str | None = None
    community: str | None = None
    person: int = -1
    pid: str = ""


def _project_of(point, projects) -> int:
    for i, p in enumerate(projects):
        if p.contains(point):
            return i
    return -1


def _assemble(fab: _Fabric, projects) -> list[_Parcel]:
    parcels = []
    for i, f in enumerate(fab.faces):
        if fab.dropped[i]:
            continue
        road = fab.block[i] < 0
        if road and not any(shapely.relate_pattern(f, p, "T********") for p in projects):
            continue  # road land outside the projects is not in the cadastre
        project = _project_of(f.representative_point(), projects)
        parcels.append(_Parcel(f, f, int(fab.block[i]), road, project))
    return parcels


def _plant_parcel_defects(rng, parcels: list[_Parcel], fab: _Fabric, blocks, projects) -> dict:
    """Multipart parcels, double claims and the bow-tie, made on the assembled parcels.

    Returns ``{kind: [parcel objects or tuples]}`` for the defects (ids are assigned later).
    """
    inner = [p.buffer(-30) for p in projects]
    base = np.asarray([p.base for p in parcels], dtype=object)
    tree = shapely.STRtree(base)
    reserved = {id(p) for p in parcels if p.road}
    reserved |= {
        id(p)
        for p in parcels
        if p.base is fab.faces[fab.island]
        or p.base is fab.faces[fab.donut]
        or p.base is fab.faces[fab.hole_host]
    }
    for _, g in fab.gaps:
        reserved |= {id(parcels[j]) for j in tree.query(g.buffer(0.5), predicate="intersects")}
    order = rng.permutation(len(parcels))

    def deep_inside(k, pi):
        return pi < 0 or inner[pi].contains(base[k].centroid)

    def free(k):
        return id(parcels[k]) not in reserved

    # multipart: two small faces of one block a few metres apart become one parcel; two in each
    # project when they have room, the rest (six in all) anywhere
    multipart, merged_away = [], set()

    def merge(k, pi) -> bool:
        p = parcels[k]
        if not free(k) or (pi is not None and p.project != pi) or not deep_inside(k, p.project):
            return False
        if p.base.area > 1500 or blocks[p.block].char in ("hill", "large"):
            return False
        near = tree.query(p.base.buffer(50), predicate="intersects")
        cands = [
            j
            for j in near
            if j != k
            and free(j)
            and parcels[j].block == p.block
            and parcels[j].base.area <= 1500
            and parcels[j].project == p.project
            and base[j].distance(base[k]) > 3
            and deep_inside(j, p.project)
        ]
        if not cands:
            return False
        j = cands[int(rng.integers(len(cands)))]
        p.geom = MultiPolygon([p.base, parcels[j].base])
        reserved.update({id(p), id(parcels[j])})
        merged_away.add(id(parcels[j]))
        multipart.append(p)
        return True

    for pi in (0, 1, -1):
        got = 0
        for k in order:
            if got == 2:
                break
            got += merge(k, pi)
    for k in order:
        if len(multipart) == 6:
            break
        merge(k, None)
    if len(multipart) < 5:
        raise RuntimeError("no room for five multipart parcels")  # pragma: no cover

    # double claims: a parcel reaching over one shared edge into its neighbour (a triangle on
    # that edge, so the rest of the fabric is untouched and A' ∪ B == A ∪ B exactly)
    claims = []
    for pi in (0, 1):
        got = 0
        for k in order:
            a = parcels[k]
            if got == 2 or not free(k) or a.project != pi or not deep_inside(k, pi) or a.base.area < 300:
                continue
            for j in tree.query(a.base, predicate="touches"):
                b = parcels[j]
                if not free(j) or b.block != a.block or b.base.area < 600 or not deep_inside(j, pi):
                    continue
                grown = _claim(rng, a.base, b.base)
                if grown is not None:
                    a.geom = grown
                    reserved |= {id(a), id(b)}
                    claims.append((a, b))
                    got += 1
                    break
        if got < 2:
            raise RuntimeError(f"no room for double claims in project {pi + 1}")  # pragma: no cover

    # bow-tie: two vertices at one end of a parcel swapped, so the ring crosses itself
    bowtie = None
    for k in order:
        p = parcels[k]
        twisted = _twist(p.base) if free(k) and p.project == 1 and deep_inside(k, 1) else None
        if twisted is not None:
            p.geom, bowtie = twisted, p
            reserved.add(id(p))
            break
    if bowtie is None:
        raise RuntimeError("no parcel fit for the bow-tie")  # pragma: no cover
    parcels[:] = [p for p in parcels if id(p) not in merged_away]
    return {"multipart": multipart, "claims": claims, "bowtie": bowtie, "reserved": reserved}


def _claim(rng, a: Polygon, b: Polygon):
    """``a`` grown by a triangle over the longest edge it shares with ``b``, or None if unfit.

    The triangle stands on an existing edge and its apex (a millimetre point inside ``b``) is
    inserted into ``a``'s ring, so no other vertex moves.
    """
    ring = np.asarray(a.exterior.coords)
    theirs = {tuple(map(tuple, e)) for e in _edges(b)}
    best = None
    for i in range(len(ring) - 1):
        u, v = tuple(ring[i]), tuple(ring[i + 1])
        if (u, v) in theirs or (v, u) in theirs:
            length = float(np.hypot(v[0] - u[0], v[1] - u[1]))
            if length >= 12 and (best is None or length > best[1]):
                best = (i, length)
    if best is None:
        return None
    i, length = best
    u, v = ring[i], ring[i + 1]
    t = (v - u) / length
    n = np.array([-t[1], t[0]])
    mid = (u + v) / 2
    if not b.contains(Point(mid + n * 0.05)):
        n = -n
    height = float(np.clip(2 * rng.uniform(40, 140) / length, 3.0, 0.35 * length))
    apex = np.round(mid + n * height, 3)
    triangle = Polygon([u, v, apex])
    if not (triangle.within(b) and 20 <= triangle.area <= 150):
        return None
    grown = Polygon(np.vstack([ring[: i + 1], apex, ring[i + 1 :]]), [r.coords for r in a.interiors])
    if not grown.is_valid or abs(grown.area - a.area - triangle.area) > 1e-6:
        return None
    return grown


def _edges(poly: Polygon) -> np.ndarray:
    """Segments of every ring of ``poly`` as an (n, 2, 2) array."""
    out = []
    for r in [poly.exterior, *poly.interiors]:
        xy = np.asarray(r.coords)
        out.append(np.stack([xy[:-1], xy[1:]], axis=1))
    return np.concatenate(out)


def _twist(poly: Polygon):
    """``poly`` with the two corners of one short edge swapped (a bow-tie), or None if unfit.

    The corners b, c of an 8-25 m edge become p, c, b, q, where p and q lie 1.2 m back along the
    neighbouring edges: the ring then crosses itself once, near that end of the parcel.
    """
    xy = np.asarray(poly.exterior.coords)[:-1]
    for i in range(len(xy)):
        r = np.roll(xy, 1 - i, axis=0)
        prev, b, c, nxt = r[0], r[1], r[2], r[3]
        bc, pb, cn = np.hypot(*(c - b)), np.hypot(*(b - prev)), np.hypot(*(nxt - c))
        if not (8 <= bc <= 25 and pb > 6 and cn > 6):
            continue
        p = np.round(b + (prev - b) / pb * 1.2, 3)
        q = np.round(c + (nxt - c) / cn * 1.2, 3)
        quad = Polygon([p, b, c, q])
        if not quad.is_valid or quad.area < 0.9 * 1.2 * bc:
            continue  # the end is not a convex, roughly square corner pair
        twisted = Polygon([r[0], p, c, b, q, *r[3:]])
        if "Self-intersection" in shapely.is_valid_reason(twisted):
            return twisted
    return None


# ---------------------------------------------------------------------------------------------
# legal status and rights-holders

#: Block context -> weights of the legal status drawn for each run of parcels.
_STATUS_WEIGHTS = {
    "project": {
        UNCOMPENSATED: 0.72,
        "旧屋村": 0.06,
        "历史遗留违法建筑确认": 0.08,
        "非农建设用地": 0.06,
        "房地产证": 0.04,
        RESERVE: 0.04,
    },
    "village": {"旧屋村": 0.3, "历史遗留违法建筑确认": 0.28, UNCOMPENSATED: 0.3, "房地产证": 0.12},
    "mixed": {
        UNCOMPENSATED: 0.42,
        "房地产证": 0.15,
        "出让合同": 0.13,
        "非农建设用地": 0.12,
        "征地返还用地": 0.08,
        "历史遗留违法建筑确认": 0.05,
        RESERVE: 0.05,
    },
    "industrial": {
        UNCOMPENSATED: 0.35,
        "出让合同": 0.2,
        "房地产证": 0.1,
        "非农建设用地": 0.18,
        "征地返还用地": 0.12,
        RESERVE: 0.05,
    },
    "large": {RESERVE: 0.35, "房地产证": 0.2, UNCOMPENSATED: 0.3, "非农建设用地": 0.15},
    "hill": {UNCOMPENSATED: 0.8, RESERVE: 0.2},
}
_SHARE_RANGE = (0.44, 0.52)  # target share of 未完善征转手续 in the parcel area


def _draw(rng, weights: dict) -> str:
    keys = list(weights)
    p = np.array([weights[k] for k in keys])
    return keys[int(rng.choice(len(keys), p=p / p.sum()))]


@dataclass
class _Run:
    """Contiguous parcels of one block that share a legal status."""

    block: int
    parcels: list
    area: float
    inside: np.ndarray  # area inside each project
    status: str = ""
    fixed: bool = False  # chosen on purpose; calibration leaves it alone


def _runs(rng, members: list[_Parcel], block: _Block) -> list[list[_Parcel]]:
    """Members of a block ordered along its long axis, cut into runs of contiguous parcels.

    Larger blocks get more runs (about one per 2.5 ha), so statuses cluster without whole
    districts sharing one.
    """
    ax = _axes(block.geom)[0]
    members = sorted(members, key=lambda p: float(np.dot(np.asarray(p.base.centroid.coords[0]), ax)))
    n = int(round(block.geom.area / 25_000 * rng.uniform(0.7, 1.3))) + int(rng.random() < 0.3)
    n = max(1, min(n, 8, len(members) // 3))
    if n == 1:
        return [members]
    area = np.cumsum([p.base.area for p in members])
    cuts = np.sort(rng.uniform(0.05, 0.95, n - 1)) * area[-1]
    idx = [0, *np.searchsorted(area, cuts).tolist(), len(members)]
    return [members[a:b] for a, b in zip(idx[:-1], idx[1:]) if b > a]


_LEGAL_IN_PROJECTS = ("旧屋村", "历史遗留违法建筑确认", "非农建设用地", "房地产证")
_PROJECT_SHARE = (0.56, 0.72)  # share of each project's area that is uncompensated


def _statuses(rng, parcels: list[_Parcel], blocks: list[_Block], projects) -> list[_Run]:
    """Legal status per parcel, clustered by block and by runs along each block.

    Drawn per run from weights that depend on the block (inside a project, old village, ...),
    then adjusted on purpose: each project gets a contiguous uncompensated run (the entry
    condition), the main kinds of legal land and 56-72 % uncompensated land; each community
    company gets legal land beside the projects; the village as a whole 44-52 % uncompensated.
    """
    base = np.asarray([p.base for p in parcels], dtype=object)
    inside = np.column_stack([shapely.area(shapely.intersection(base, pr)) for pr in projects])
    row = {id(p): k for k, p in enumerate(parcels)}
    by_block: dict[int, list] = {}
    for p in parcels:
        if p.road:
            p.status = RESERVE
        else:
            by_block.setdefault(p.block, []).append(p)
    runs = []
    for bi in sorted(by_block):
        context = "project" if blocks[bi].project_share.max() >= 0.35 else blocks[bi].char
        for members in _runs(rng, by_block[bi], blocks[bi]):
            rows = [row[id(p)] for p in members]
            runs.append(
                _Run(
                    bi,
                    members,
                    float(shapely.area(base[rows]).sum()),
                    inside[rows].sum(axis=0),
                    _draw(rng, _STATUS_WEIGHTS[context]),
                )
            )
    outside = [r for r in runs if blocks[r.block].project_share.max() < 0.02]

    # each community company holds legal land right beside the projects (its existing holdings)
    union = shapely.union_all(projects)
    for name in COMMUNITIES:
        near = sorted(
            {
                r.block
                for r in outside
                if blocks[r.block].community == name and blocks[r.block].char not in ("hill", "village")
            },
            key=lambda b: (round(blocks[b].geom.distance(union), 3), b),
        )
        for bi, legal in zip(near[:2], ("非农建设用地", "征地返还用地")):
            first = next(r for r in runs if r.block == bi)
            first.status, first.fixed = legal, True

    # ... and some of its large parcels
    for name in COMMUNITIES:
        big = sorted(
            (
                r
                for r in outside
                if not r.fixed and blocks[r.block].community == name and blocks[r.block].char == "large"
            ),
            key=lambda r: (-round(r.area, 3), r.block),
        )
        if big:
            big[0].status, big[0].fixed = "非农建设用地", True

    for pi, project in enumerate(projects):
        mine = [r for r in runs if r.inside[pi] >= 0.5 * r.area]
        # entry condition: the run most inside the project is uncompensated
        best = max(mine, key=lambda r: r.inside[pi])
        best.status, best.fixed = UNCOMPENSATED, True
        # the main kinds of legal land, on small runs (old-village kinds on village blocks first)
        for legal in _LEGAL_IN_PROJECTS:
            if any(r.status == legal for r in mine):
                continue
            village = legal in ("旧屋村", "历史遗留违法建筑确认")
            spare = sorted(
                (r for r in mine if not r.fixed and r.area >= 1500),
                key=lambda r: ((blocks[r.block].char == "village") != village, r.area),
            )
            if spare:
                spare[0].status, spare[0].fixed = legal, True
        # calibrate the uncompensated share of the project
        free = sorted((r for r in mine if not r.fixed), key=lambda r: -r.inside[pi])
        for r in free:
            if _share_in(runs, pi) >= _PROJECT_SHARE[0] * project.area:
                break
            r.status = UNCOMPENSATED
        legal = {k: w for k, w in _STATUS_WEIGHTS["project"].items() if k != UNCOMPENSATED}
        for r in reversed(free):
            if _share_in(runs, pi) <= _PROJECT_SHARE[1] * project.area:
                break
            if r.status == UNCOMPENSATED:
                r.status = _draw(rng, legal)

    # calibrate the village-wide share with runs away from the projects
    total = sum(r.area for r in runs) + sum(p.base.area for p in parcels if p.road)

    def village_share():
        return sum(r.area for r in runs if r.status == UNCOMPENSATED) / total

    free = [outside[k] for k in rng.permutation(len(outside)) if not outside[k].fixed]
    for r in free:
        if village_share() >= _SHARE_RANGE[0]:
            break
        r.status = UNCOMPENSATED
    for r in reversed(free):
        if village_share() <= _SHARE_RANGE[1]:
            break
        if r.status == UNCOMPENSATED:
            r.status = "非农建设用地"
    for r in runs:
        for p in r.parcels:
            p.status = r.status
    return runs


def _share_in(runs: list[_Run], pi: int) -> float:
    """Uncompensated area inside project ``pi`` (m²)."""
    return sum(r.inside[pi] for r in runs if r.status == UNCOMPENSATED)


_SURNAMES = (
    "陈黄李张林刘梁钟廖曾罗叶邓谢温彭赖吴何周郑杨徐朱胡郭萧蔡王赵孙马冯方许邱严古袁卢潘江范苏龚麦"
    "余邝巫利凌简戴丘魏唐宋田韩石汤莫黎丁"
)
_COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛")
_MALE = "伟强军勇杰涛明超刚平辉华建国文斌波宇浩鹏志海峰俊凯鑫磊林永荣德福贵生成东金财添旺锦炳坤松泉"
_FEMALE = "芳娜秀英敏静丽艳娟霞玲燕红梅兰琴萍珍雪慧婷洁莉凤玉翠莲美娣妹好嫦彩"
_ID_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2])
#: First six digits of every synthetic ID number: Shenzhen (4403) plus a county code (99) that
#: no district uses, so the numbers are well-formed but cannot be anyone's.
ID_PREFIX = "440399"
#: Phone numbers are 1300000 plus four digits: well-formed, in a block no operator assigns.
PHONE_PREFIX = "1300000"


def _id_number(rng, male: bool) -> str:
    """An 18-character resident ID: prefix, birth date 1940-2000, sequence (odd = male), check."""
    first, end = np.datetime64("1940-01-01"), np.datetime64("2001-01-01")
    day = first + int(rng.integers(0, int((end - first).astype(int))))
    seq = int(rng.integers(0, 500)) * 2 + (1 if male else 0)
    body = ID_PREFIX + str(day).replace("-", "") + f"{seq:03d}"
    check = "10X98765432"[int(np.dot(_ID_WEIGHTS, [int(c) for c in body])) % 11]
    return body + check


def _people(rng, n: int) -> list[tuple[str, str, str]]:
    """``n`` villagers as (name, ID number, phone), names and numbers unique."""
    w = 1.0 / np.arange(1, len(_SURNAMES) + 1) ** 0.8
    compound_at = set(rng.choice(n, size=min(n, 10), replace=False).tolist())
    phones = rng.choice(10_000, size=n, replace=False)
    names, ids, out = set(), set(), []
    for i in range(n):
        male = bool(rng.random() < 0.55)
        pool = _MALE if male else _FEMALE
        while True:
            if i in compound_at:
                surname = _COMPOUND_SURNAMES[len([j for j in compound_at if j < i]) % 4]
            else:
                surname = _SURNAMES[int(rng.choice(len(_SURNAMES), p=w / w.sum()))]
            given = "".join(pool[int(rng.integers(len(pool)))] for _ in range(1 if rng.random() < 0.3 else 2))
            if surname + given not in names:
                break
        while True:
            idn = _id_number(rng, male)
            if idn not in ids:
                break
        names.add(surname + given)
        ids.add(idn)
        out.append((surname + given, idn, f"{PHONE_PREFIX}{int(phones[i]):04d}"))
    return out


def _holders(rng, rng_people, parcels: list[_Parcel], runs: list[_Run], blocks: list[_Block]) -> list:
    """Rights-holder of every parcel; returns the villagers as (name, ID number, phone)."""
    state_for_reserve = {CENTRE: 0.5, PLANNING: 0.35, WATER: 0.15}
    # the first reserve runs go to each land body in turn, so that all of them hold land
    reserve = [r for r in runs if r.status == RESERVE]
    bodies = {id(r): b for r, b in zip(reserve, (CENTRE, PLANNING, WATER))}
    # a school: the certificated run with the largest parcels (in a block of large parcels if any)
    certified = [r for r in runs if r.status == "房地产证"]
    if certified:
        school = max(certified, key=lambda r: (blocks[r.block].char == "large", r.area / len(r.parcels)))
        bodies[id(school)] = EDUCATION
    chunks = []  # lists of parcels held by one villager
    for run in runs:
        block = blocks[run.block]
        body = bodies.get(id(run))
        if body is None:
            more_schools = run.status == "房地产证" and block.char == "large" and rng.random() < 0.5
            body = EDUCATION if more_schools else _draw(rng, state_for_reserve)
        pending = []
        for p in run.parcels:
            kind = _holder_kind(p, body)
            p.holder_type = kind
            if kind == STATE:
                p.holder = body
            else:
                p.community = block.community
                if kind == COMPANY:
                    p.holder = COMMUNITIES[block.community]
                else:
                    pending.append(p)
        while pending:
            size = int(rng.choice([1, 2, 3, 4, 5], p=[0.3, 0.3, 0.2, 0.12, 0.08]))
            chunks.append(pending[:size])
            pending = pending[size:]
    for p in parcels:
        if p.road:
            p.holder_type, p.holder = STATE, (TRANSPORT if rng.random() < 0.75 else CENTRE)
    people = _people(rng_people, len(chunks))
    for i, chunk in enumerate(chunks):
        for p in chunk:
            p.person = i
            p.holder = people[i][0]
    return people


def _holder_kind(p: _Parcel, body: str) -> str:
    """Kind of holder of a parcel, from its status and size (``body``: the run's state body)."""
    area = p.geom.area if p.geom.geom_type == "MultiPolygon" else p.base.area
    if p.status == RESERVE or (p.status == "房地产证" and body == EDUCATION):
        return STATE
    if p.status in ("非农建设用地", "征地返还用地"):
        return COMPANY
    if p.status in ("出让合同", "房地产证"):
        return PERSON if area < 800 else COMPANY
    return PERSON if area < 1000 else COMPANY


def _number(parcels: list[_Parcel]) -> None:
    """Parcel ids: LH03 + map sheet (3 x 3 over the village) + serial in sheet, north to south."""
    x0, y0, x1, y1 = EXTENT
    keys = []
    for p in parcels:
        pt = p.base.representative_point()
        col = min(2, int((pt.x - x0) / ((x1 - x0) / 3)))
        row = min(2, int((y1 - pt.y) / ((y1 - y0) / 3)))
        keys.append((row * 3 + col + 1, -round(pt.y / 40), round(pt.x, 3), round(pt.y, 3)))
    order = sorted(range(len(parcels)), key=lambda i: keys[i])
    serial: dict[int, int] = {}
    for i in order:
        sheet = keys[i][0]
        serial[sheet] = serial.get(sheet, 0) + 1
        parcels[i].pid = f"LH03{sheet:02d}-{serial[sheet]:05d}"
    parcels[:] = [parcels[i] for i in order]


def _null_holders(rng, parcels: list[_Parcel], reserved: set, projects) -> list[_Parcel]:
    """Four parcels deep inside each project lose their rights-holder (unknown in the register)."""
    out = []
    for pi in range(len(projects)):
        inner = projects[pi].buffer(-30)
        cands = [
            p
            for p in parcels
            if p.project == pi
            and not p.road
            and id(p) not in reserved
            and p.status == UNCOMPENSATED
            and p.holder_type in (PERSON, COMPANY)
            and inner.contains(p.base.centroid)
        ]
        for k in sorted(rng.choice(len(cands), size=4, replace=False).tolist()):
            p = cands[k]
            p.holder = p.holder_type = p.community = None
            p.person = -1
            reserved.add(id(p))
            out.append(p)
    return out


# ---------------------------------------------------------------------------------------------
# buildings

LEGALITY = ("合法", "历史遗留违法建筑", "违法建筑")
_LEGALITY_WEIGHTS = {
    "房地产证": (0.9, 0.05, 0.05),
    "出让合同": (0.92, 0.03, 0.05),
    "非农建设用地": (0.85, 0.1, 0.05),
    "征地返还用地": (0.85, 0.1, 0.05),
    "历史遗留违法建筑确认": (0.1, 0.85, 0.05),
    "旧屋村": (0.7, 0.25, 0.05),
    UNCOMPENSATED: (0.05, 0.6, 0.35),
    RESERVE: (0.0, 0.2, 0.8),
}
_BUILT_SHARE = {"village": 0.9, "mixed": 0.62, "industrial": 0.62, "large": 0.4, "hill": 0.08}


#: Block character -> range of the distance (m) between buildings and their parcel's edges.
_SETBACK = {"village": (0.5, 1.2), "mixed": (2, 5), "industrial": (3, 6), "large": (5, 10), "hill": (5, 15)}


def _footprints(rng, poly: Polygon, char: str) -> list[Polygon]:
    """Building footprints on one parcel: strips across its long axis, set back from its edges."""
    inner = _largest(poly.buffer(-rng.uniform(*_SETBACK[char]), join_style="mitre"))
    if inner.is_empty or inner.area < 30:
        return []
    ax, nrm = _axes(inner)[:2]
    xy = np.asarray(inner.exterior.coords)
    t, u = xy @ ax, xy @ nrm
    a = inner.area
    if char == "village":
        k, gap, depth = (1 if a < 320 else int(rng.integers(1, 3))), 1.5, 1.0
    elif char in ("mixed", "industrial"):
        k = int(np.clip(a // 700 + rng.integers(0, 2), 1, 4))
        gap, depth = rng.uniform(4, 10), rng.uniform(0.6, 0.95)
    elif char == "large":
        k, gap, depth = int(rng.integers(2, 5)), rng.uniform(8, 15), rng.uniform(0.45, 0.8)
    else:
        k, gap, depth = int(rng.integers(1, 3)), 8.0, rng.uniform(0.3, 0.6)
    span = t.max() - t.min()
    while k > 1 and (span - (k - 1) * gap) / k < (6 if char == "village" else 12):
        k -= 1
    w = (span - (k - 1) * gap) / k
    deep = depth * (u.max() - u.min())
    # buildings stand on one side of the parcel when they do not fill its depth
    u0, u1 = (u.min(), u.min() + deep) if rng.random() < 0.5 else (u.max() - deep, u.max())
    out = []
    for i in range(k):
        t0 = t.min() + i * (w + gap)
        corners = [(t0, u0), (t0 + w, u0), (t0 + w, u1), (t0, u1)]
        strip = Polygon([ax * ti + nrm * ui for ti, ui in corners])
        g = _mm(_largest(shapely.intersection(inner, strip)))
        if g.is_empty or g.area < 20 or not g.is_valid or _width(g) < 4:
            continue
        out.append(g)
    return out


def _floors(rng, char: str, status: str) -> int:
    if char == "village":
        lo, hi = (2, 4) if status == "旧屋村" else (4, 8)
    else:
        lo, hi = {"mixed": (3, 8), "industrial": (1, 6), "large": (2, 6), "hill": (1, 2)}[char]
    if char in ("village", "mixed") and rng.random() < 0.05:
        lo, hi = 9, 12  # a few towers
    return int(rng.integers(lo, hi + 1))


def _buildings(rng, parcels: list[_Parcel], blocks: list[_Block], skip: set) -> gpd.GeoDataFrame:
    rows = []
    for p in parcels:
        if p.road or id(p) in skip:
            continue
        char = blocks[p.block].char
        if rng.random() >= (0.15 if p.status == RESERVE else _BUILT_SHARE[char]):
            continue
        for k, g in enumerate(_footprints(rng, p.base, char), 1):
            floors = _floors(rng, char, p.status)
            legal = LEGALITY[int(rng.choice(3, p=_LEGALITY_WEIGHTS[p.status]))]
            foot = round(float(g.area), 2)
            rows.append((f"{p.pid}-{k:02d}", p.pid, floors, foot, round(foot * floors, 2), legal, g))
    columns = ["楼栋号", "宗地号", "层数", "基底面积", "建筑面积", "合法状态", "geometry"]
    df = pd.DataFrame(rows, columns=columns)
    df["层数"] = df["层数"].astype("int64")
    return gpd.GeoDataFrame(df, geometry="geometry", crs=CRS)


# ---------------------------------------------------------------------------------------------
# controls, zoning, holdings, roads


def _precise(geom) -> Polygon:
    """Largest polygon of ``geom`` inside the village, valid and on the millimetre grid."""
    g = shapely.set_precision(shapely.intersection(geom, _extent_box()), GRID)
    return _mm(_largest(g))


def _stream(rng, c1) -> LineString:
    x0, y0, x1, y1 = EXTENT
    top = (c1[0] - rng.uniform(230, 290), y1 + 60)
    bottom = (c1[0] + rng.uniform(170, 230), y0 - 60)
    return _polyline([top, (c1[0] - 20, c1[1]), bottom], rng, wobble=28, step=30)


def _controls(rng, projects, hills, farmland, anchor, stream) -> list[tuple[str, str, Polygon]]:
    """Control-line zones as (kind as written, name, polygon); some kinds in alias spellings.

    Every kind overlaps a project somewhere except the ecological red line proper: 生态红线 (an
    alias) cuts into project 2, as do the basic farmland, a yellow line and the basic ecological
    control lines (two zones of that kind overlapping); project 2 reaches out of the development
    boundary. Project 1 has the stream's blue line across it, a park, a purple-line shrine and two
    planned roads crossing inside it.
    """
    x0, y0, x1, y1 = EXTENT
    p1, p2 = projects
    c1, c2 = np.asarray(p1.centroid.coords[0]), np.asarray(p2.centroid.coords[0])
    out = []

    def add(kind: str, name: str, geom) -> None:
        out.append((kind, name, geom))

    # ecology and farmland, around the hills
    add("生态保护红线", "石岭山生态保护红线", hills.buffer(-150))
    core = shapely.intersection(p2, hills.buffer(-15))
    if core.is_empty:
        core = shapely.intersection(p2, hills)
    patch = shapely.intersection(core.representative_point().buffer(rng.uniform(45, 60)), hills)
    add("生态红线", "石岭山生态保护红线(补划)", patch)
    add("永久基本农田", "石岭永久基本农田保护片", farmland)
    udb = shapely.difference(_extent_box(), shapely.union(hills, farmland))
    add("城镇开发边界", "龙华区城镇开发边界", udb)
    add("基本生态控制线", "石岭山基本生态控制线", hills.buffer(40))
    bearing = np.arctan2(*(anchor - c2)[::-1])
    lobe = _ellipse(anchor, rng.uniform(140, 170), rng.uniform(80, 95), bearing)
    add("基本生态控制线", "石岭水库基本生态控制线", lobe)
    # planned roads
    planned = [
        (
            "规划龙园中路道路红线",
            30.0,
            [
                (c1[0] + rng.uniform(80, 120), y0 - 80),
                (c1[0] + rng.uniform(60, 100), c1[1]),
                (c1[0] + rng.uniform(20, 60), y1 + 80),
            ],
        ),
        (
            "规划华清大道道路红线",
            36.0,
            [(x0 - 80, c1[1] - rng.uniform(50, 90)), (x1 + 80, c1[1] + rng.uniform(150, 230))],
        ),
        ("规划石岭东路道路红线", 24.0, [(c2[0] - 320, c2[1] + 430), (c2[0] + 260, y0 - 80)]),
    ]
    for name, width, pts in planned:
        line = _polyline(pts, rng, wobble=5, step=50)
        add("道路红线", name, shapely.buffer(line, width / 2, cap_style="flat", join_style="mitre"))
    # parks
    at = stream.interpolate(stream.project(Point(c1)) + rng.uniform(-60, 60))
    add("绿线", "龙园公园绿线", shapely.intersection(stream.buffer(55), at.buffer(rng.uniform(150, 180))))
    park = _blob(rng, c2 + np.array([-170.0, -110.0]), rng.uniform(10_000, 14_000), 24)
    add("城市绿线", "石岭社区公园绿线", park)
    songping = np.asarray(_COMMUNITY_SITES["松坪社区"][1])
    park = _blob(rng, songping + np.array([-240.0, -200.0]), rng.uniform(35_000, 45_000), 32)
    add("绿线", "松坪山公园绿线", park)
    # the stream, infrastructure, heritage
    add("蓝线", "龙园河蓝线", stream.buffer(16))
    site = c2 + np.array([rng.uniform(40, 90), -rng.uniform(130, 180)])
    add("黄线", "石岭110kV变电站黄线", _rect(site, _unit(rng.uniform(0, np.pi)), 75, 60))
    bank = stream.interpolate(stream.project(Point(c1[0], y0 + 220)))
    pump = np.asarray(bank.coords[0]) + np.array([45.0, 0.0])
    add("黄线", "松坪污水处理站黄线", _rect(pump, _unit(rng.uniform(0, np.pi)), 45, 35))
    shrine = _rect(c1 + np.array([140.0, 90.0]), _unit(rng.uniform(0, np.pi)), 42, 30)
    if not shrine.within(p1.buffer(-15)):
        shrine = _rect(np.asarray(p1.buffer(-60).representative_point().coords[0]), _unit(0.3), 42, 30)
    add("紫线", "龙园陈氏宗祠紫线", shrine)
    return [(kind, name, _precise(g)) for kind, name, g in out]


def _unit(angle: float) -> np.ndarray:
    return np.array([np.cos(angle), np.sin(angle)])


_ZONING_USE = {
    "project": {"R2": 0.4, "C1": 0.2, "GIC": 0.2, "M1": 0.1, "G1": 0.1},
    "village": {"R3": 0.7, "R2": 0.2, "GIC": 0.1},
    "mixed": {"R2": 0.5, "C1": 0.25, "GIC": 0.15, "G1": 0.1},
    "industrial": {"M1": 0.8, "C1": 0.1, "GIC": 0.05, "U": 0.05},
    "large": {"GIC": 0.6, "R2": 0.2, "G1": 0.2},
    "hill": {"G1": 1.0},
}


def _zoning(rng, blocks, road_land, road_cuts, controls, hills, farmland, stream) -> gpd.GeoDataFrame:
    """Planned land use: a valid coverage of the whole village (plots, roads, water, green)."""
    plots, cuts = [], []
    for b in blocks:
        if b.char == "hill":
            leaves = [b.geom]
        else:
            leaves, c = _subdivide(b.geom, rng.uniform(15_000, 45_000), 4_000, 40, rng)
            cuts.extend(c)
        context = "project" if b.project_share.max() >= 0.35 else b.char
        for leaf in leaves:
            code = _draw(rng, _ZONING_USE[context])
            lo, hi = ZONING_FAR[code]
            plots.append((leaf, code, round(float(rng.uniform(lo, hi)), 1)))
    by_kind = {}
    for kind, _name, g in controls:
        by_kind.setdefault(CONTROL_ALIASES.get(kind, kind), []).append(g)
    water = _precise(stream.buffer(7))
    overlays = [
        ("S1", shapely.union_all([road_land, *by_kind["道路红线"]])),
        ("E1", water),
        ("U", shapely.union_all(by_kind["黄线"])),
        ("G1", shapely.union_all([*by_kind["绿线"], hills, farmland])),
    ]
    lines = [
        _extent_box().boundary,
        *[b.geom.boundary for b in blocks],
        *cuts,
        *road_cuts,
        *[g.boundary for _, g in overlays[:3]],
        *[g.boundary for g in by_kind["绿线"]],
        hills.boundary,
        farmland.boundary,
    ]
    faces = _polygonize(lines)
    faces = _merge_small(faces, 100.0)
    faces.sort(key=lambda f: (-round(f.centroid.y, 2), round(f.centroid.x, 2)))
    reps = shapely.point_on_surface(np.asarray(faces, dtype=object))
    codes = np.full(len(faces), "", dtype=object)
    far = np.zeros(len(faces))
    ptree = shapely.STRtree(np.asarray([p[0] for p in plots], dtype=object))
    fi, pi = ptree.query(reps, predicate="within")
    for f, p in zip(fi, pi):
        codes[f], far[f] = plots[p][1], plots[p][2]
    for code, geom in reversed(overlays):  # the first overlay wins
        hit = shapely.within(reps, geom)
        codes[hit] = code
        far[hit] = ZONING_FAR[code][0]
    codes[codes == ""] = "S1"  # road land between blocks that no plot holds
    far[codes == "S1"] = 0.0
    numbers = [f"LH03-{i + 1:04d}" for i in range(len(faces))]
    df = pd.DataFrame({"用地性质": codes, "容积率": far, "地块编号": numbers})
    return gpd.GeoDataFrame(df, geometry=faces, crs=CRS)


def _merge_small(faces: list, min_area: float) -> list:
    """Merge faces under ``min_area`` m² into the neighbour they share the longest edge with."""
    faces = list(faces)
    while True:
        small = [i for i, f in enumerate(faces) if f.area < min_area]
        if not small:
            return faces
        i = min(small, key=lambda k: (faces[k].area, k))
        tree = shapely.STRtree(np.asarray(faces, dtype=object))
        best, best_len = None, 0.0
        for j in tree.query(faces[i], predicate="touches"):
            line = _longest_line(shapely.intersection(faces[i].boundary, faces[j].boundary))
            length = line.length if line is not None else 0.0
            if length > best_len:
                best, best_len = int(j), length
        if best is None:
            return faces  # pragma: no cover - an isolated sliver; keep it
        faces[best] = _largest(shapely.union(faces[best], faces[i], grid_size=GRID))
        del faces[i]


def _holdings(parcels: list[_Parcel], projects) -> gpd.GeoDataFrame:
    """Each community company's legal land nearest the projects (up to three pieces each)."""
    union = shapely.union_all(projects)
    legal = {"房地产证", "出让合同", "非农建设用地", "征地返还用地"}
    rows = []
    for community, company in COMMUNITIES.items():
        own = [p.base for p in parcels if p.holder == company and p.status in legal and p.project < 0]
        pieces = [g for g in _parts(shapely.union_all(own, grid_size=GRID)) if g.area >= 800] if own else []
        pieces.sort(key=lambda g: (round(g.distance(union), 3), -round(g.area, 3)))
        rows.extend((community, company, _mm(g)) for g in pieces[:3])
    df = pd.DataFrame(rows, columns=["社区", "社区股份合作公司", "geometry"])
    return gpd.GeoDataFrame(df, geometry="geometry", crs=CRS)


def _roads_layer(roads: list[_Road]) -> gpd.GeoDataFrame:
    rows = []
    for r in roads:
        for piece in r.pieces:
            for g in shapely.get_parts(shapely.intersection(piece, _extent_box())):
                if g.geom_type == "LineString" and g.length > 1:
                    rows.append((r.name, r.width, _mm(g)))
    df = pd.DataFrame(rows, columns=["道路名称", "宽度", "geometry"])
    return gpd.GeoDataFrame(df, geometry="geometry", crs=CRS)


# ---------------------------------------------------------------------------------------------
# putting it together


def _as_multi(g) -> MultiPolygon:
    return g if g.geom_type == "MultiPolygon" else MultiPolygon([g])


def _parcels_layer(parcels: list[_Parcel], people: list) -> gpd.GeoDataFrame:
    rows = []
    for p in parcels:
        idn, phone = (people[p.person][1], people[p.person][2]) if p.person >= 0 else (None, None)
        rows.append((p.pid, p.holder, p.holder_type, p.community, p.status, idn, phone, _as_multi(p.geom)))
    cols = ["宗地号", "权利人", "权利人类型", "社区", "用地状态", "身份证号", "联系电话", "geometry"]
    return gpd.GeoDataFrame(pd.DataFrame(rows, columns=cols), geometry="geometry", crs=CRS)


def _defect_records(
    fab: _Fabric, parcels: list[_Parcel], planted: dict, nulls: list, project_ids: list[str]
) -> list[dict]:
    """The planted defects with the final parcel ids, as listed in this module's docstring."""
    geoms = np.asarray([p.geom if p.geom.is_valid else p.base for p in parcels], dtype=object)
    tree = shapely.STRtree(geoms)
    pid = {id(p): p.pid for p in parcels}

    def rec(kind, project, ids, area):
        proj = project_ids[project] if project is not None and project >= 0 else None
        return {"defect": kind, "project": proj, "parcels": tuple(ids), "area": round(float(area), 2)}

    out = []
    for pi, ring in fab.gaps[:-1]:
        ids = sorted(parcels[j].pid for j in tree.query(ring.buffer(0.01), predicate="intersects"))
        out.append(rec("gap", pi, ids, ring.area))
    for a, b in planted["claims"]:
        out.append(rec("double claim", a.project, [a.pid, b.pid], shapely.intersection(a.geom, b.geom).area))
    for p in planted["multipart"]:
        out.append(rec("multipart", p.project, [p.pid], p.geom.area))
    host = next(p for p in parcels if p.base is fab.faces[fab.donut])
    island = next(p for p in parcels if p.base is fab.faces[fab.island])
    out.append(rec("donut with island", host.project, [host.pid, island.pid], island.geom.area))
    holed = next(p for p in parcels if p.base is fab.faces[fab.hole_host])
    out.append(rec("hole that is a gap", holed.project, [holed.pid], fab.gaps[-1][1].area))
    bow = planted["bowtie"]
    out.append(rec("bow-tie (self-crossing)", bow.project, [bow.pid], shapely.make_valid(bow.geom).area))
    for p in sorted(nulls, key=lambda q: (q.project, q.pid)):
        out.append(rec("no rights-holder", p.project, [pid[id(p)]], p.geom.area))
    return out


def generate(seed: int = DEFAULT_SEED) -> dict[str, gpd.GeoDataFrame]:
    """Build every layer of the sample project.

    Parameters
    ----------
    seed : int, default 20241125
        Seed of the random streams; the same seed always gives the same layers.

    Returns
    -------
    dict of str to geopandas.GeoDataFrame
        The layers named in :data:`LAYERS`, in that order, all in EPSG:4547. The planted defects
        are listed in ``layers["parcels"].attrs["defects"]`` (one dict per defect: ``defect``,
        ``project``, ``parcels``, ``area``).

    Examples
    --------
    >>> layers = generate()                                    # doctest: +SKIP
    >>> len(layers["projects"]), layers["parcels"].crs.to_epsg()  # doctest: +SKIP
    (2, 4547)
    """
    # GEOS 3.11 computes NaN envelopes for empty overlay results, which numpy reports as an
    # "invalid value" warning; those results are empty by design here.
    with np.errstate(invalid="ignore"):
        return _generate(int(seed))


def _generate(seed: int) -> dict[str, gpd.GeoDataFrame]:
    projects = _projects(_rng(seed, _S_PROJECTS))
    rr = _rng(seed, _S_ROADS)
    hills, anchor = _hills(rr, projects[1])
    farmland = _farmland(rr, projects[1], hills)
    roads = _road_network(rr, hills)
    rb = _rng(seed, _S_BLOCKS)
    blocks, road_land = _blocks(rb, _corridors(roads), projects, hills)
    rd = _rng(seed, _S_DEFECTS)
    fab = _fabric(rb, rd, blocks, road_land, roads, projects)
    parcels = _assemble(fab, projects)
    planted = _plant_parcel_defects(rd, parcels, fab, blocks, projects)
    rs = _rng(seed, _S_STATUS)
    runs = _statuses(rs, parcels, blocks, projects)
    people = _holders(rs, _rng(seed, _S_PEOPLE), parcels, runs, blocks)
    _number(parcels)
    nulls = _null_holders(rd, parcels, planted["reserved"], projects)
    project_ids = [pid for pid, _name, _c in _PROJECTS]

    rc = _rng(seed, _S_CONTROLS)
    stream = _stream(rc, np.asarray(projects[0].centroid.coords[0]))
    controls = _controls(rc, projects, hills, farmland, anchor, stream)
    layers = {
        "projects": gpd.GeoDataFrame(
            {"项目编号": project_ids, "项目名称": [name for _pid, name, _c in _PROJECTS]},
            geometry=projects,
            crs=CRS,
        ),
        "parcels": _parcels_layer(parcels, people),
        "buildings": _buildings(_rng(seed, _S_BUILDINGS), parcels, blocks, {id(planted["bowtie"])}),
        "controls": gpd.GeoDataFrame(
            {"类型": [k for k, _n, _g in controls], "名称": [n for _k, n, _g in controls]},
            geometry=[g for _k, _n, g in controls],
            crs=CRS,
        ),
        "zoning": _zoning(
            _rng(seed, _S_ZONING), blocks, road_land, fab.road_cuts, controls, hills, farmland, stream
        ),
        "holdings": _holdings(parcels, projects),
        "roads": _roads_layer(roads),
    }
    layers["parcels"].attrs["defects"] = _defect_records(fab, parcels, planted, nulls, project_ids)
    layers["parcels"].attrs["seed"] = seed
    return layers


_GEOMETRY_TYPES = {"parcels": "MultiPolygon", "roads": "LineString"}


def _write_layers(layers: dict, path: Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".gpkg", dir=path.parent)
    os.close(fd)
    os.unlink(tmp)
    before = pyogrio.get_gdal_config_option("OGR_CURRENT_DATE")
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": GPKG_DATE})
    try:
        for name in LAYERS:
            pyogrio.write_dataframe(
                layers[name],
                tmp,
                layer=name,
                driver="GPKG",
                promote_to_multi=False,
                geometry_type=_GEOMETRY_TYPES.get(name, "Polygon"),
                layer_options={"DESCRIPTION": _LAYER_TITLES[name]},
            )
        os.replace(tmp, path)
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": before})
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def write(path: str | os.PathLike | None = None, seed: int = DEFAULT_SEED) -> Path:
    """Generate the sample project and write every layer into one GeoPackage.

    The layers go to a temporary file beside ``path`` that replaces ``path`` only when complete.
    The GeoPackage timestamps are fixed (:data:`GPKG_DATE`), so the same seed gives the same bytes
    with the same GDAL.

    Parameters
    ----------
    path : str or os.PathLike, optional
        Target ``.gpkg`` (default :data:`DEFAULT_PATH`).
    seed : int, default 20241125

    Returns
    -------
    pathlib.Path
        The path written.
    """
    return _write_layers(generate(seed), Path(path) if path is not None else DEFAULT_PATH)


def defect_table(layers: dict) -> str:
    """The planted defects of ``layers`` as the reStructuredText table of this module's docstring."""
    rule = "=" * 23 + " " + "=" * 12 + " " + "=" * 52 + " " + "=" * 10
    lines = [rule, f"{'defect':<23} {'project':<12} {'parcels':<52} {'area m²':>10}", rule]
    for d in layers["parcels"].attrs["defects"]:
        ids = d["parcels"]
        if d["defect"] == "double claim":
            text = f"{ids[0]} over {ids[1]}"
        elif d["defect"] == "donut with island":
            text = f"{ids[0]} around island {ids[1]}"
        else:
            text = ", ".join(ids)
        lines.append(f"{d['defect']:<23} {d['project'] or '-':<12} {text:<52} {d['area']:>10.2f}")
    lines.append(rule)
    return "\n".join(lines)


def summary(layers: dict) -> str:
    """Feature counts, status areas inside each project and the defect table, as text."""
    out = ["features: " + ", ".join(f"{name} {len(layers[name])}" for name in LAYERS)]
    parcels = layers["parcels"]
    with np.errstate(invalid="ignore"):  # see generate()
        geoms = shapely.make_valid(parcels.geometry.values)
        inside = [shapely.area(shapely.intersection(geoms, proj)) for proj in layers["projects"].geometry]
    total = shapely.area(geoms).sum()
    unc = shapely.area(geoms[(parcels["用地状态"] == UNCOMPENSATED).to_numpy()]).sum()
    out.append(f"parcel area {total / 1e4:.2f} ha, of which {UNCOMPENSATED} {unc / total:.1%}")
    projects = layers["projects"]
    for pid, name, proj, pieces in zip(projects["项目编号"], projects["项目名称"], projects.geometry, inside):
        by = pd.Series(pieces, index=parcels["用地状态"].to_numpy()).groupby(level=0).sum()
        out.append(f"{pid} {name}: {proj.area / 1e4:.2f} ha")
        for status in STATUSES:
            a = float(by.get(status, 0.0))
            out.append(f"    {status:<12}\t{a:>12,.1f} m²  {a / proj.area:6.1%}")
    out.append(defect_table(layers))
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m landcoord.sample.make_sample [--seed N] [--out PATH]``."""
    parser = argparse.ArgumentParser(
        prog="python -m landcoord.sample.make_sample", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})"
    )
    parser.add_argument("--out", default=str(DEFAULT_PATH), help="GeoPackage to write (default: %(default)s)")
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    layers = generate(args.seed)
    t1 = time.perf_counter()
    path = _write_layers(layers, Path(args.out))
    t2 = time.perf_counter()
    print(summary(layers))
    size = path.stat().st_size / 1e6
    print(f"written {path} ({size:.2f} MB); generation {t1 - t0:.1f} s, writing {t2 - t1:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
