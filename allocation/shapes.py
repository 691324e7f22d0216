"""Shape measures of parcels: compactness, width, frontage.

What "minimum width" means
--------------------------
Width is measured the way a parcel is drafted, between opposite edges. The *opening* of a parcel
at width ``w`` is what a disk of diameter ``w`` sweeps while it moves about inside the parcel, plus
the corners it cannot reach: it moves every edge inwards by ``w/2`` (the *centre land*, where the
disk can be centred) and then outwards again by ``w/2``, with mitred corners (GEOS offsets,
:data:`MITRE_LIMIT`), and keeps what lies in the parcel. A part narrower than ``w`` (a strip, a
spike, a neck) disappears when the edges move inwards and does not come back. The opening *keeps
the parcel at* ``w`` when the area it loses is within the tolerance below (:func:`keeps_width`).
Corners keep their points when they are :data:`MIN_CORNER_ANGLE` (60°) or wider; a sharper corner
is cut off, because the tip of such a wedge is narrower than ``w``.

*Necks* (issue 18). The mitred corners alone would carry the width across a neck: when a neck
splits the centre land, the pointed corners of the two pieces reach into the neck from both sides
and, grown back out, cover it again (a parcel through a 16.27 m neck measured 23.81 m). So:

* the pieces of the centre land are grouped by which of them a disk of diameter ``w`` can travel
  between (the pieces of the *round* inward offset, corrected for GEOS's chords), and the opening
  is that of one group: the group that loses least. Land behind a neck narrower than ``w`` is lost.
* a mitred corner is kept only where it fills a corner of the parcel: where the two offset edges
  meet (its *tip*) is a convex vertex of the parcel, or lies outside it (a chamfered or rounded
  corner, an edge bent outwards). A corner whose tip lies inside the parcel or on an edge (not at
  a vertex) points into a neck: what it alone covers is lost, and only what the disks cover (round
  offsets) or true corners cover stays. Corners turning by less than a degree are always kept
  (their fill is a few cm²).

This is the same picture as the carving's (a parcel is a connected piece of centre land grown
back out with mitred corners). Lenient in one place, on purpose: a corner whose tip is a vertex
of the parcel is kept even when an edge of it is shorter than the corner's fill (a pointed corner
ending in a notch); what it fills then is the parcel's own corner region, never land across a
neck. Not seen: a neck whose corner tips fall outside the parcel while the centre land stays in
one piece (e.g. both sides of the neck bend away from each other right at it); the loss of the
other parts of such a neck is still counted.

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
30 m × 100 m has width 30 m, an L with arms 30 m and 50 m wide has width 30 m, two blocks joined
by a 10 m bar or pinched by two notches to a 10 m neck have width 10 m.
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
    """The part of ``geom`` that the opening at ``width`` keeps (see the module notes): at least
    ``width`` wide, and reachable from the rest of it without passing a neck narrower than
    ``width`` (of the parts a neck separates, the one that loses least is kept).

    Examples
    --------
    >>> from shapely import box
    >>> bar = box(0, 0, 40, 40).union(box(40, 15, 60, 25)).union(box(60, 0, 110, 40))
    >>> round(width_opening(bar, 8).area, 6)   # 8 m: all of it
    3800.0
    >>> round(width_opening(bar, 20).area, 6)  # the 10 m bar is lost, and the block behind it
    2000.0
    """
    if geom is None or geom.is_empty:
        return shapely.Polygon()
    return shapely.intersection(_opened(geom, width), geom)


def _opened(geom, width: float):
    """The opening of ``geom`` at ``width`` (not yet clipped to ``geom``), see the module notes."""
    return _cover(_Parcel(geom), width)[0]


@_quiet
def width_loss(geom, width: float) -> float:
    """Area of ``geom`` (m²) narrower than ``width``: what the opening at ``width`` does not cover
    (see the module notes), less hairlines (lost parts thinner than ``2 * HAIRLINE``)."""
    if geom is None or geom.is_empty:
        return 0.0
    parcel = _Parcel(geom)
    return _cover(parcel, width, enough=parcel.tolerance)[1]


class _Parcel:
    """A parcel being measured, with what does not depend on the width (computed once per scan)."""

    def __init__(self, geom):
        self.geom = geom
        # consecutive vertices a few ulps apart make GEOS's offset directions NaN
        tidy = shapely.remove_repeated_points(geom, WIDTH_SLACK)
        self.tidy = tidy if tidy.is_valid else geom
        self.tolerance = _loss_tolerance(geom.area)
        self._corners = None

    @property
    def corners(self):
        """The parcel's convex vertices, an array (n, 2)."""
        if self._corners is None:
            self._corners = _corners(self.tidy)[0]
        return self._corners


def _cover(parcel, width: float, enough: float | None = None):
    """The opening of a :class:`_Parcel` at ``width`` and the area of the parcel it loses
    (hairlines ignored).

    With ``enough``, a loss above it is returned as soon as it is known (the opening returned is
    then the mitred one, which holds the true one).
    """
    geom, tidy = parcel.geom, parcel.tidy
    half = max(width / 2.0 - WIDTH_SLACK, 0.0)
    centres = erode(tidy, half)
    opened = dilate(centres, half)
    loss = _thick_area(shapely.difference(geom, opened))
    if half <= 0 or centres.is_empty or (enough is not None and loss > enough):
        return opened, loss
    # the mitred corners of the opening, and those that fill no corner of the parcel
    corners = _corners(centres)
    tips = _tips(corners, half)
    false = _false_kites(parcel, tips, corners[3])
    pieces = (
        [centres] if centres.geom_type == "Polygon" else [p for p in shapely.get_parts(centres) if p.area > 0]
    )
    if not false.any() and len(pieces) <= 1:
        return opened, loss  # one piece, true corners: the mitred opening is the opening
    # where disks of diameter ``width`` fit, and which of them can reach which (round erosion)
    quad_segs = _round_segments(half)
    # GEOS's arcs are chords inside the circle: erode by their sag more, so no gap looks wider
    sag = half * (1.0 - math.cos(math.pi / (4.0 * quad_segs)))
    reach = shapely.buffer(tidy, -(half + sag), quad_segs=quad_segs)
    reach = [r for r in shapely.get_parts(reach) if r.area > 0]
    if not reach:
        return opened, loss
    groups: dict[int, list] = {}
    for piece in pieces:
        at = shapely.point_on_surface(piece)
        k = int(np.argmin([shapely.distance(at, r) for r in reach]))
        groups.setdefault(k, []).append(piece)
    if not false.any() and len(groups) <= 1:
        return opened, loss
    kites = _corner_kites(corners, half, tips)
    quads = shapely.make_valid(shapely.polygons(kites)) if false.any() else None
    best = None
    for k, group in groups.items():
        part = shapely.union_all(group)
        cover = dilate(part, half) if len(groups) > 1 else opened
        mine = _kites_of(kites, part)
        if (false & mine).any():
            bad = shapely.union_all(quads[false & mine])
            keep = [shapely.buffer(reach[k], half, quad_segs=quad_segs)]
            if (mine & ~false).any():
                keep.append(shapely.union_all(quads[mine & ~false]))
            cover = shapely.difference(cover, shapely.difference(bad, shapely.union_all(keep)))
        lost = _thick_area(shapely.difference(geom, cover))
        if best is None or lost < best[1]:
            best = (cover, lost)
    return best


def _thick_area(lost) -> float:
    """Total area of the parts of ``lost`` thicker than ``2 * HAIRLINE``."""
    parts = shapely.get_parts(lost)
    parts = parts[shapely.area(parts) > 0]
    if len(parts) == 0:
        return 0.0
    thick = ~shapely.is_empty(shapely.buffer(parts, -HAIRLINE, quad_segs=2))
    return float(shapely.area(parts[thick]).sum())


def _corners(geom):
    """The convex vertices of ``geom`` (every ring): the vertex, the unit directions of the edges
    into it and out of it (the polygon's interior on their left), and their dot product."""
    empty = np.empty((0, 2)), np.empty((0, 2)), np.empty((0, 2)), np.empty(0)
    if geom.geom_type == "Polygon" and shapely.get_num_interior_rings(geom) == 0:
        xy = shapely.get_coordinates(geom)[:-1]  # one ring: the commonest case, made quick
        ring = np.zeros(len(xy), dtype=np.intp)
        exterior = np.ones(1, dtype=bool)
    else:
        parts = shapely.get_parts(geom)
        parts = parts[shapely.get_type_id(parts) == 3]  # polygons
        if len(parts) == 0:
            return empty
        per_part = 1 + shapely.get_num_interior_rings(parts)
        exterior = np.zeros(int(per_part.sum()), dtype=bool)
        exterior[np.r_[0, np.cumsum(per_part)[:-1]]] = True
        xy, ring = shapely.get_coordinates(shapely.get_rings(parts), return_index=True)
        last = np.r_[ring[1:] != ring[:-1], True]  # each ring's closing point
        xy, ring = xy[~last], ring[~last]
    if len(xy) < 3:
        return empty
    start = np.searchsorted(ring, ring)  # first vertex of each vertex's ring
    count = np.bincount(ring, minlength=len(exterior))
    pos = np.arange(len(xy)) - start
    prev = xy[start + (pos - 1) % count[ring]]
    nxt = xy[start + (pos + 1) % count[ring]]
    a, b = xy - prev, nxt - xy  # the edges into and out of each vertex
    # the interior must lie left of every edge: exteriors counter-clockwise, holes clockwise; a
    # ring the other way round is walked backwards (in and out swap and reverse)
    twice_area = np.bincount(
        ring, weights=xy[:, 0] * nxt[:, 1] - nxt[:, 0] * xy[:, 1], minlength=len(exterior)
    )
    flip = ((twice_area > 0) != exterior)[ring]
    a, b = np.where(flip[:, None], -b, a), np.where(flip[:, None], -a, b)
    la, lb = np.hypot(a[:, 0], a[:, 1]), np.hypot(b[:, 0], b[:, 1])
    ok = (la > 0) & (lb > 0) & (count[ring] >= 3)
    a, b, u = a[ok] / la[ok, None], b[ok] / lb[ok, None], xy[ok]
    cross = a[:, 0] * b[:, 1] - a[:, 1] * b[:, 0]
    dot = np.einsum("ij,ij->i", a, b)
    keep = (cross > 0) & (dot > -1.0 + 1e-9)  # a left turn (and not a hairpin)
    return u[keep], a[keep], b[keep], dot[keep]


def _tips(corners, half: float):
    """Where the offset edges of each corner (:func:`_corners`) of the centre land meet, when
    moved out by ``half``: the tip of its mitred corner, bevelled or not (n, 2)."""
    u, a, b, dot = corners
    return u + half * (np.column_stack([a[:, 1] + b[:, 1], -a[:, 0] - b[:, 0]])) / (1.0 + dot)[:, None]


def _corner_kites(corners, half: float, tips):
    """The mitred corners of ``dilate(centres, half)``, given the convex vertices ``u`` of the
    centre land (:func:`_corners`) and their :func:`_tips`: the points ``u``, ``t1``, ``p1``,
    ``p2``, ``t2`` (``t1``, ``t2``: where the disk of radius ``half`` round ``u`` touches the two
    offset edges; ``p1``, ``p2``: the tip, or where :data:`MITRE_LIMIT` bevels it, as GEOS does,
    across the bisector at ``MITRE_LIMIT * half`` from ``u``), an array (n, 5, 2)."""
    u, a, b, dot = corners
    na = np.column_stack([a[:, 1], -a[:, 0]])  # outward normals
    nb = np.column_stack([b[:, 1], -b[:, 0]])
    t1, t2 = u + half * na, u + half * nb
    bis = na + nb
    bis = bis / np.hypot(bis[:, 0], bis[:, 1])[:, None]
    reach = MITRE_LIMIT * half
    sharp = np.einsum("ij,ij->i", tips - u, bis) > reach
    p1, p2 = tips.copy(), tips.copy()
    if sharp.any():
        s, bs = bis[sharp], reach - half * np.einsum("ij,ij->i", na[sharp], bis[sharp])
        p1[sharp] = t1[sharp] + (bs / np.einsum("ij,ij->i", a[sharp], s))[:, None] * a[sharp]
        p2[sharp] = t2[sharp] - (bs / np.einsum("ij,ij->i", b[sharp], s))[:, None] * b[sharp]
    return np.stack([u, t1, p1, p2, t2], axis=1)


def _false_kites(parcel, tips, turn):
    """Which mitred corners fill no corner of the :class:`_Parcel`, given their tips (where the two
    offset edges meet) and the cosine of their turn: those whose tip lies in the parcel or on its boundary
    (within :data:`HAIRLINE`) but not at one of its convex vertices (within ``10 * HAIRLINE``).
    Corners turning by less than a degree are never false (their fill is a few cm² at most, and a
    parcel's nearly straight vertices put such tips anywhere on its edges).

    A true corner's tip is a vertex of the parcel, or lies outside the parcel when its corner is
    chamfered or rounded or its edges bend outwards; the corner of a piece of centre land that
    points into a neck has its tip in the neck: inside the parcel, on the edge across the neck, or
    at the vertex that pinches the neck (a reflex one).
    """
    false = turn < _COS_ONE_DEGREE
    corners = parcel.corners
    if false.any() and len(corners):
        gap = tips[false, None, :] - corners[None, :, :]
        false[false] = np.einsum("ijk,ijk->ij", gap, gap).min(axis=1) > (10 * HAIRLINE) ** 2
    if false.any():
        false[false] = shapely.dwithin(parcel.tidy, shapely.points(tips[false]), HAIRLINE)
    return false


_COS_ONE_DEGREE = math.cos(math.radians(1.0))


def _kites_of(kites, part):
    """Which of ``kites`` belong to vertices of ``part`` (a union of centre-land pieces)."""
    if len(kites) == 0:
        return np.zeros(0, dtype=bool)
    return shapely.dwithin(part, shapely.points(kites[:, 0, :]), 1e-6)


def _round_segments(half: float) -> int:
    """Segments per quarter circle so that a chord is within ``HAIRLINE / 20`` (0.5 mm) of its
    arc (at most 256: up to a width of about 210 m; within 2.5 mm at 1 km)."""
    if half <= HAIRLINE:
        return 8
    step = math.acos(1.0 - 0.05 * HAIRLINE / half)  # half the angle one chord spans
    return int(min(256, max(8, math.ceil(math.pi / (4.0 * step)))))


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
    return _keeps(_Parcel(geom), width)


def _keeps(parcel, width: float) -> bool:
    if width <= 0:
        return True
    if parcel.geom is None or parcel.geom.is_empty:
        return True
    return _cover(parcel, width, enough=parcel.tolerance)[1] <= parcel.tolerance


def _width_scan(geom, resolution: float, need: float | None = None):
    """:func:`min_width`, or with ``need``, whether it is at least ``need`` (stops early)."""
    if geom is None or geom.is_empty or geom.area <= 0:
        return 0.0 if need is None else need <= 0
    # no polygon's opening keeps it beyond the width of a disk of its own area
    upper = 2.0 * math.sqrt(geom.area / math.pi) + 2 * resolution
    parcel = _Parcel(geom)
    prev = 0.0
    fail = None
    for w in (*(x for x in WIDTH_LADDER if x < upper), upper):
        if need is not None and prev >= need:
            return True  # every ladder width up to ``prev`` is kept: the measure is at least ``prev``
        if not _keeps(parcel, w):
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
            if _keeps(parcel, mid):
                lo = mid
            else:
                hi = mid
        # the resolution step just below the failing end, when the opening keeps it
        top = math.floor(hi / resolution - 1e-6) * resolution
        width = top if lo < top < hi and _keeps(parcel, top) else lo
    # round down to the resolution; the width reported is always one the opening keeps (``width``
    # was checked; a rounded value is checked too, and one step lower tried, else ``width`` stays)
    steps = math.floor(width / resolution + 1e-6)
    for k in (steps, steps - 1):
        rounded = float(np.round(k * resolution, 6))
        if rounded == width or (0 < rounded and _keeps(parcel, rounded)):
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
