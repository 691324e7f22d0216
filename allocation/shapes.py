"""Shape measures of parcels: compactness, width, frontage.

Width is measured the way a parcel is drafted, between opposite edges: a parcel is at least ``w``
wide when moving every edge inwards by ``w/2`` and then outwards again by ``w/2`` (GEOS offsets with
mitred corners) gives the parcel back. A part narrower than ``w`` (a neck, a strip, a spike)
disappears when the edges move inwards and does not come back, so the parcel loses area. Corners
keep their points when they are :data:`MIN_CORNER_ANGLE` (60°) or wider; a sharper corner is cut off,
because the tip of such a wedge is narrower than the parcel is allowed to be. The measure is
rotation-invariant and exact for straight edges: a rectangle of 30 m × 100 m has width 30 m.

Floating-point noise is not narrowness: the check moves the edges by :data:`WIDTH_SLACK` less than
half the width (so a strip exactly 30 m wide is 30 m wide, not a degenerate line), ignores lost
hairlines thinner than ``2 *`` :data:`HAIRLINE` (slivers the offsets leave along nearly parallel
edges) and tolerates a loss of :data:`WIDTH_LOSS_RTOL` of the parcel's area (at least
:data:`WIDTH_LOSS_ATOL` m²): nothing a surveyor could draw.
"""

from __future__ import annotations

import functools
import math

import numpy as np
import shapely

__all__ = [
    "MITRE_LIMIT",
    "MIN_CORNER_ANGLE",
    "WIDTH_LOSS_RTOL",
    "WIDTH_LOSS_ATOL",
    "WIDTH_SLACK",
    "HAIRLINE",
    "polsby_popper",
    "erode",
    "dilate",
    "width_opening",
    "width_loss",
    "respects_width",
    "min_width",
    "frontage",
]

#: Mitre limit of the offsets (ratio of the mitre length to the offset distance). A corner of
#: interior angle ``a`` has mitre ratio ``1 / sin(a / 2)``; 2.0 keeps corners of 60° or more.
MITRE_LIMIT = 2.0
#: The sharpest corner that keeps its point under :data:`MITRE_LIMIT`, in degrees.
MIN_CORNER_ANGLE = math.degrees(2 * math.asin(1 / MITRE_LIMIT))
#: Relative area a parcel may lose in the width check (floating-point noise).
WIDTH_LOSS_RTOL = 1e-6
#: Absolute floor of that loss, in m².
WIDTH_LOSS_ATOL = 1e-4
#: The width check offsets by half the width less this (m).
WIDTH_SLACK = 1e-4
#: Lost parts no thicker than twice this (m) are offset noise, not narrow parts of the parcel.
HAIRLINE = 1e-3


def _quiet(func):
    """Run ``func`` with numpy's floating-point warnings off: GEOS's robust predicates divide by
    zero on purpose in degenerate cases and numpy would report each as a RuntimeWarning."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
            return func(*args, **kwargs)

    return wrapper


def polsby_popper(geom) -> float:
    """Polsby–Popper compactness ``4πA / P²``: 1 for a disk, π/4 for a square, → 0 for a strip.

    Examples
    --------
    >>> from shapely import box
    >>> round(polsby_popper(box(0, 0, 10, 10)), 4)
    0.7854
    >>> round(polsby_popper(box(0, 0, 10, 100)), 4)
    0.2596
    """
    if geom is None or geom.is_empty:
        return float("nan")
    perimeter = geom.length
    return float(4.0 * math.pi * geom.area / (perimeter * perimeter)) if perimeter > 0 else float("nan")


def _repaired(geom):
    """GEOS's mitred offsets can, rarely, return nested shells; repair those."""
    if geom.is_valid:
        return geom
    fixed = shapely.make_valid(geom, method="structure", keep_collapsed=False)
    parts = [p for p in shapely.get_parts(fixed) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def erode(geom, distance: float):
    """Move every edge of ``geom`` inwards by ``distance`` (mitred corners)."""
    return _repaired(shapely.buffer(geom, -distance, join_style="mitre", mitre_limit=MITRE_LIMIT))


def dilate(geom, distance: float):
    """Move every edge of ``geom`` outwards by ``distance`` (mitred corners)."""
    return _repaired(shapely.buffer(geom, distance, join_style="mitre", mitre_limit=MITRE_LIMIT))


@_quiet
def width_opening(geom, width: float):
    """The part of ``geom`` that is at least ``width`` wide (edges in by ``width/2``, out again).

    Examples
    --------
    >>> from shapely import box
    >>> neck = box(0, 0, 40, 40).union(box(40, 15, 60, 25)).union(box(60, 0, 100, 40))
    >>> round(width_opening(neck, 20).area, 6)   # the 10 m neck is lost
    3200.0
    """
    if geom is None or geom.is_empty:
        return shapely.Polygon()
    half = max(width / 2.0 - WIDTH_SLACK, 0.0)
    # consecutive vertices a few ulps apart make GEOS's offset directions NaN
    tidy = shapely.remove_repeated_points(geom, WIDTH_SLACK)
    if not tidy.is_valid:
        tidy = geom
    opened = dilate(erode(tidy, half), half)
    return shapely.intersection(opened, geom)


@_quiet
def width_loss(geom, width: float) -> float:
    """Area of ``geom`` (m²) narrower than ``width``: what :func:`width_opening` removes, less
    hairlines (lost parts thinner than ``2 * HAIRLINE``)."""
    if geom is None or geom.is_empty:
        return 0.0
    lost = shapely.difference(geom, width_opening(geom, width))
    parts = shapely.get_parts(lost)
    parts = parts[shapely.area(parts) > 0]
    if len(parts) == 0:
        return 0.0
    thick = ~shapely.is_empty(shapely.buffer(parts, -HAIRLINE, quad_segs=2))
    return float(shapely.area(parts[thick]).sum())


@_quiet
def respects_width(geom, width: float) -> bool:
    """True when no part of ``geom`` is narrower than ``width`` (see the module notes).

    Examples
    --------
    >>> from shapely import box
    >>> respects_width(box(0, 0, 30, 100), 20), respects_width(box(0, 0, 15, 100), 20)
    (True, False)
    """
    if width <= 0:
        return True
    area = geom.area
    return width_loss(geom, width) <= max(WIDTH_LOSS_RTOL * area, WIDTH_LOSS_ATOL)


@_quiet
def min_width(geom, *, resolution: float = 0.01) -> float:
    """The largest width (to ``resolution`` m, rounded down) that ``geom`` respects.

    Found by bisection on :func:`respects_width`: the narrowest part of the parcel measured between
    opposite edges, or the width at which a sharp corner starts to be cut.

    Examples
    --------
    >>> from shapely import box
    >>> min_width(box(0, 0, 30, 100))
    30.0
    """
    if geom is None or geom.is_empty or geom.area <= 0:
        return 0.0
    if not respects_width(geom, resolution):
        return 0.0
    lo = resolution
    # no polygon has an inscribed disk larger than a disk of its own area
    hi = 2.0 * math.sqrt(geom.area / math.pi) + resolution
    if respects_width(geom, hi):
        return float(math.floor(hi / resolution) * resolution)
    while hi - lo > 1e-6:
        mid = 0.5 * (lo + hi)
        if respects_width(geom, mid):
            lo = mid
        else:
            hi = mid
    steps = math.floor(lo / resolution + 1e-3)
    return float(np.round(steps * resolution, 6))


@_quiet
def frontage(geom, road_land, tolerance: float) -> float:
    """Length (m) of the boundary of ``geom`` lying within ``tolerance`` of ``road_land``.

    Examples
    --------
    >>> from shapely import box
    >>> round(frontage(box(0, 0, 30, 40), box(-10, -10, 0, 100), 0.001), 2)
    40.0
    """
    if road_land is None or road_land.is_empty or geom is None or geom.is_empty:
        return 0.0
    band = shapely.buffer(road_land, tolerance, quad_segs=2)
    polygons = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
    if not polygons:
        return 0.0
    along = shapely.intersection(shapely.boundary(shapely.union_all(polygons)), band)
    return float(along.length)
