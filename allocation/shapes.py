"""Shape measures of parcels: compactness, width, frontage.

What "minimum width" means
--------------------------
Width is measured the way a parcel is drafted, between opposite edges. The *opening* of a parcel
at width ``w`` moves every edge inwards by ``w/2`` and then outwards again by ``w/2`` (GEOS offsets
with mitred corners, :data:`MITRE_LIMIT`) and keeps what lies in the parcel: a part narrower than
``w`` (a neck, a strip, a spike) disappears when the edges move inwards and does not come back. The
opening *keeps the parcel at* ``w`` when the area it loses is within the tolerance below
(:func:`keeps_width`). Corners keep their points when they are :data:`MIN_CORNER_ANGLE` (60°) or
wider; a sharper corner is cut off, because the tip of such a wedge is narrower than ``w``.

*Tolerance.* Floating-point noise and survey slivers are not narrowness: the edges move by
:data:`WIDTH_SLACK` less than half the width (a strip exactly 30 m wide is 30 m wide), lost pieces
thinner than ``2 *`` :data:`HAIRLINE` (2 cm, below cadastral survey precision; mitred offsets of
nearly parallel edges leave such slivers) are ignored, and the rest may total
``max(WIDTH_LOSS_ATOL, WIDTH_LOSS_RTOL * area)`` (0.01 m², or a millionth of the parcel).

*The measure.* Because of that noise, "the opening keeps the parcel at ``w``" is not monotonic in
``w`` (on real cadastres a 20 m opening can keep a parcel that a 12 m opening loses a sliver of), so
it is never bisected on its own. :func:`min_width` is defined on a fixed ladder of widths
(:data:`WIDTH_LADDER`: 0.1 m, then steps of 30 %): it walks the ladder upwards until the
first width the opening does not keep, then bisects between that width and the last kept one
(to ``resolution``, rounded down). So the minimum width ``W`` of a parcel is a width at which the
opening keeps it, and so does every ladder width below ``W``. :func:`respects_width`
(``W >= w``) is by construction monotonic, and it is the one test both the carving enforces and
the parcels report: a carved parcel's reported ``min_width`` is never below MIN_WIDTH.

The measure is rotation- and translation-invariant and exact for straight edges: a rectangle of
30 m × 100 m has width 30 m, an L with arms 30 m and 50 m wide has width 30 m.
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
    "keeps_width",
    "respects_width",
    "WIDTH_LADDER",
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
WIDTH_LOSS_ATOL = 1e-2
#: The width check offsets by half the width less this (m).
WIDTH_SLACK = 1e-4
#: Lost parts no thicker than twice this (m) are offset noise or survey slivers, not narrow parts.
HAIRLINE = 1e-2
#: The widths (m) :func:`min_width` checks on its way up (0.1 m, then steps of 30 %), before
#: bisecting between the last one the opening keeps and the first one it does not.
WIDTH_LADDER = tuple(round(0.1 * 1.3**k, 3) for k in range(0, 45))


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
    """Move every edge of ``geom`` inwards by ``distance`` (mitred corners).

    GEOS's mitred inward offset can, at isolated distances, return an empty polygon for a shape
    whose round inward offset is not empty (seen on a rectangle with a hair-thin appendage, GEOS
    3.12): the mitred offset holds the round one, so an empty result is checked against it and the
    offset is retried a micrometre either side.
    """
    out = shapely.buffer(geom, -distance, join_style="mitre", mitre_limit=MITRE_LIMIT)
    if out.is_empty and distance > 0 and not geom.is_empty:
        if not shapely.buffer(geom, -distance, quad_segs=4).is_empty:
            for d in (distance - 1e-6, distance + 1e-6):
                retry = shapely.buffer(geom, -d, join_style="mitre", mitre_limit=MITRE_LIMIT)
                if not retry.is_empty:
                    out = retry
                    break
    return _repaired(out)


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
    return shapely.intersection(_opened(geom, width), geom)


def _opened(geom, width: float):
    """The mitred opening of ``geom`` at ``width`` (not yet clipped to ``geom``)."""
    half = max(width / 2.0 - WIDTH_SLACK, 0.0)
    # consecutive vertices a few ulps apart make GEOS's offset directions NaN
    tidy = shapely.remove_repeated_points(geom, WIDTH_SLACK)
    if not tidy.is_valid:
        tidy = geom
    return dilate(erode(tidy, half), half)


@_quiet
def width_loss(geom, width: float) -> float:
    """Area of ``geom`` (m²) narrower than ``width``: what :func:`width_opening` removes, less
    hairlines (lost parts thinner than ``2 * HAIRLINE``)."""
    if geom is None or geom.is_empty:
        return 0.0
    lost = shapely.difference(geom, _opened(geom, width))
    parts = shapely.get_parts(lost)
    parts = parts[shapely.area(parts) > 0]
    if len(parts) == 0:
        return 0.0
    thick = ~shapely.is_empty(shapely.buffer(parts, -HAIRLINE, quad_segs=2))
    return float(shapely.area(parts[thick]).sum())


def _loss_tolerance(area: float) -> float:
    return max(WIDTH_LOSS_RTOL * area, WIDTH_LOSS_ATOL)


@_quiet
def keeps_width(geom, width: float) -> bool:
    """Whether the opening at ``width`` keeps ``geom`` (loses no more than the tolerance).

    One check at one width; not monotonic in ``width`` on noisy shapes: use :func:`respects_width`
    or :func:`min_width` to say how wide a parcel is.
    """
    if width <= 0:
        return True
    return width_loss(geom, width) <= _loss_tolerance(geom.area)


def _width_scan(geom, resolution: float, need: float | None = None):
    """:func:`min_width`, or with ``need``, whether it is at least ``need`` (stops early)."""
    if geom is None or geom.is_empty or geom.area <= 0:
        return 0.0 if need is None else need <= 0
    # no polygon's opening keeps it beyond the width of a disk of its own area
    upper = 2.0 * math.sqrt(geom.area / math.pi) + 2 * resolution
    prev = 0.0
    fail = None
    for w in (*(x for x in WIDTH_LADDER if x < upper), upper):
        if need is not None and prev >= need:
            return True  # every ladder width up to ``prev`` is kept: the measure is at least ``prev``
        if not keeps_width(geom, w):
            fail = w
            break
        prev = w
    if fail is None:
        width = prev
    else:
        if need is not None and need > fail:
            return False
        lo, hi = prev, fail
        while hi - lo > resolution / 8:
            mid = 0.5 * (lo + hi)
            if keeps_width(geom, mid):
                lo = mid
            else:
                hi = mid
        # the resolution step just below the failing end, when the opening keeps it
        top = math.floor(hi / resolution - 1e-6) * resolution
        width = top if lo < top < hi and keeps_width(geom, top) else lo
    # round down to the resolution; the width reported is always one the opening keeps (``width``
    # was checked; a rounded value is checked too, and one step lower tried, else ``width`` stays)
    steps = math.floor(width / resolution + 1e-6)
    for k in (steps, steps - 1):
        rounded = float(np.round(k * resolution, 6))
        if rounded == width or (0 < rounded and keeps_width(geom, rounded)):
            width = rounded
            break
    return width if need is None else width >= need - 1e-9


@_quiet
def respects_width(geom, width: float, *, resolution: float = 0.01) -> bool:
    """True when :func:`min_width` of ``geom`` is at least ``width`` (see the module notes).

    Equivalent to ``min_width(geom) >= width`` but stops as soon as the answer is known.

    Examples
    --------
    >>> from shapely import box
    >>> respects_width(box(0, 0, 30, 100), 20), respects_width(box(0, 0, 15, 100), 20)
    (True, False)
    """
    if width <= 0:
        return True
    return bool(_width_scan(geom, resolution, need=width))


@_quiet
def min_width(geom, *, resolution: float = 0.01) -> float:
    """The minimum width of ``geom`` in m (rounded down to ``resolution`` where the opening keeps
    the parcel at the rounded width, else unrounded); see the module notes.

    The opening at that width keeps the parcel, and so does the opening at every width of
    :data:`WIDTH_LADDER` below it; the opening at the next ladder width above (or at the bisected
    bracket's upper end) does not.

    Examples
    --------
    >>> from shapely import box
    >>> min_width(box(0, 0, 30, 100))
    30.0
    """
    return float(_width_scan(geom, resolution))


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
