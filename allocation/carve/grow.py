"""The geometry engine of :mod:`landcoord.allocation.carve` (private): growing one parcel.

Everything here works in a local frame: metres, origin near the project, x along the project's
main axis. The public module moves the inputs into that frame and the parcels back out.

How one parcel is grown
-----------------------
``A`` is the land still available (developable land less the parcels carved so far) and ``r`` half
the minimum width. ``E``, the *centre land*, is ``A`` with every edge moved inwards by ``r``
(:func:`~landcoord.allocation.shapes.erode`): the places a parcel ``2r`` wide can be centred on.
A parcel is ``P = dilate(C, r) ∩ A`` for a connected piece ``C`` of ``E``; moving its edges in by
``r`` gives back ``C`` or more, so it is at least ``2r`` wide wherever the mitred offsets behave;
every parcel is checked (:func:`acceptable`) and, where a mitred corner meets the edge of the land
at a sharp angle, grown again with round joins (a union of disks ``2r`` across).

``C`` grows from a *seed* point of ``E`` inside a *gauge* of size ``t``: a block (a square on the
project's axes, or a rectangle squared to the nearest road edge) or a disk around the seed, or a
half-plane swept across the land (the equal-area strip of the baseline, but width-safe). ``C(t)``
is the part of ``E ∩ gauge(t)`` that holds the seed, so the parcel is always one polygon, and its
area grows with ``t``: a safeguarded regula falsi on ``t`` finds the area to well within the
tolerance. Where the area jumps over the target (a piece of land joining at once) the gauge gives
up and another is tried. When the seed lies within ``r`` of a road, the parcel touches the road for
every ``t``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import shapely
from shapely import affinity

from ..geometry import polygonal_part
from ..shapes import dilate, erode, keeps_width, polsby_popper

#: Distance (m) within which a parcel counts as touching road land (floating-point noise only).
ROAD_TOUCH = 1e-3

_UNIT_DISK = shapely.Point(0.0, 0.0).buffer(1.0, quad_segs=32)


def overlay(op, a, b):
    """``shapely.<op>(a, b)``, repairing an input GEOS finds invalid (mitred offsets can, rarely,
    fold a corner onto itself) instead of failing."""
    try:
        return op(a, b)
    except shapely.errors.GEOSException:
        return op(_valid(a), _valid(b))


def _valid(g):
    if g is None or g.is_valid:
        return g
    return clean(shapely.make_valid(g, method="structure", keep_collapsed=False))


def parts_of(geom) -> list:
    """Polygon parts of a (multi)polygon, largest first (deterministic on ties by bounds)."""
    geom = polygonal_part(geom) if geom is not None else None
    if geom is None or geom.is_empty:
        return []
    parts = [p for p in shapely.get_parts(geom) if p.area > 0]
    parts.sort(key=lambda p: (-round(p.area, 6), tuple(np.round(p.bounds, 6))))
    return parts


def clean(geom):
    """Polygonal part of ``geom`` (empty polygon when none)."""
    out = polygonal_part(geom) if geom is not None else None
    return out if out is not None else shapely.Polygon()


@dataclass
class Gauge:
    """One way to grow a parcel: ``kind`` in square / disk / sweep, from ``seed``."""

    kind: str
    seed: tuple
    direction: tuple = (0.0, 0.0)
    label: str = ""
    #: for ``block`` gauges: unit vectors along the front and inwards, and the depth ratio: the
    #: block spans ``u in [-t, t]`` along and ``v in [-t, (2 * depth - 1) * t]`` inwards.
    along: tuple = (1.0, 0.0)
    inward: tuple = (0.0, 1.0)
    depth: float = 1.0


@dataclass
class Grown:
    parcel: object
    area: float
    gauge: Gauge
    evaluations: int
    round_corners: bool = False


class Land:
    """The available land of one stage of the carving, with its centre land and usable land."""

    def __init__(self, available, r: float, road_land=None, corners: bool = False):
        if r <= 0:
            raise ValueError("the centre land needs a positive half-width")
        self.available = clean(available)
        self.r = r
        self.road_land = road_land
        #: the fallback: components whose usable land meets the road only at a corner or along a
        #: short edge (no disk ``2r`` across against the road) count as reachable too
        self.corners = corners
        self._touch = {}
        self.centre = clean(erode(self.available, r))
        self.components = parts_of(self.centre)
        shapely.prepare(self.available)
        if road_land is not None and not road_land.is_empty:
            reach = shapely.buffer(road_land, r + ROAD_TOUCH / 2, quad_segs=16)
            self.road_centres = [clean(overlay(shapely.intersection, c, reach)) for c in self.components]
        else:
            self.road_centres = list(self.components)
        self._near = {}
        self._parts = np.array([q for q in shapely.get_parts(self.available) if q.area > 0], dtype=object)
        self._tree = shapely.STRtree(self._parts) if len(self._parts) > 1 else None
        self.usable = [self.dilated(c, k=k) for k, c in enumerate(self.components)]
        self.capacity = np.array([u.area for u in self.usable])

    def near(self, k: int):
        """The available land within reach of component ``k``: everything a parcel grown from it
        can cover (a mitred offset by ``r`` stays within ``2r`` of its source), so clipping to it
        instead of the whole available land changes no parcel and keeps the overlays small."""
        if k not in self._near:
            reach = shapely.buffer(self.components[k], 2.5 * self.r + 1.0, quad_segs=8)
            source = self.available
            if self._tree is not None:  # only the parts of the land the reach meets
                hits = np.sort(self._tree.query(reach, predicate="intersects"))
                picked = list(self._parts[hits])
                source = picked[0] if len(picked) == 1 else shapely.MultiPolygon(picked)
            local = clean(overlay(shapely.intersection, source, reach))
            shapely.prepare(local)
            self._near[k] = local
        return self._near[k]

    def dilated(self, centre, round_corners: bool = False, k: int | None = None):
        """``centre`` (a piece of component ``k``, if given) with its edges moved out by ``r``,
        within the available land."""
        if round_corners:
            grown = shapely.buffer(centre, self.r, quad_segs=16)
        else:
            grown = dilate(centre, self.r)
        return clean(overlay(shapely.intersection, grown, self.available if k is None else self.near(k)))

    def accessible(self) -> list[int]:
        """Indexes of the components a parcel reachable from a road can be grown in (with
        ``corners``, also those whose usable land meets the road only at a corner)."""
        if self.corners:
            return [k for k, rc in enumerate(self.road_centres) if not rc.is_empty or self.touches(k)]
        return [k for k, rc in enumerate(self.road_centres) if not rc.is_empty]

    def touches(self, k: int) -> bool:
        """Whether the usable land of component ``k`` comes within :data:`ROAD_TOUCH` of road land
        (by a corner or a short edge, if not with a disk ``2r`` across)."""
        if self.road_land is None or self.road_land.is_empty:
            return True
        if k not in self._touch:
            self._touch[k] = bool(shapely.distance(self.usable[k], self.road_land) <= ROAD_TOUCH)
        return self._touch[k]

    def corner_seed(self, k: int):
        """The point of component ``k`` from which a parcel reaches the road at the usable land's
        nearest corner: the centre point nearest to where the usable land comes closest to the road."""
        q = _nearest(self.usable[k], self.road_land)
        return _nearest(self.components[k], q)

    @property
    def usable_area(self) -> float:
        return float(self.capacity[self.accessible()].sum()) if self.components else 0.0


def _clip(geom, xmin, ymin, xmax, ymax):
    """``geom`` ∩ the rectangle, robustly (GEOS overlay; ``clip_by_rect`` may return invalid output)."""
    return overlay(shapely.intersection, geom, shapely.box(xmin, ymin, xmax, ymax))


def _piece_with(geom, seed):
    """The part of ``geom`` holding (or nearest to) ``seed``."""
    if geom is None or geom.is_empty:
        return None
    geom = polygonal_part(geom)
    if geom is None:
        return None
    if geom.geom_type == "Polygon":
        return geom
    parts = shapely.get_parts(geom)
    d = shapely.distance(parts, seed)
    return parts[int(np.argmin(d))]


class Grower:
    """Grows parcels in one component of the centre land to an exact area."""

    def __init__(self, land: Land, k: int):
        self.land = land
        self.k = k
        self.centre = land.components[k]
        self.usable = land.usable[k]
        self.capacity = float(land.capacity[k])
        minx, miny, maxx, maxy = self.centre.bounds
        self.bounds = (minx, miny, maxx, maxy)
        self._span = math.hypot(maxx - minx, maxy - miny) + 1.0
        shapely.prepare(self.centre)

    def _gauge_geom(self, g: Gauge, t: float):
        sx, sy = g.seed
        if g.kind == "block":
            (ax, ay), (nx, ny) = g.along, g.inward
            if g.along == (1.0, 0.0) and g.inward == (0.0, 1.0) and g.depth == 1.0:
                return _clip(self.centre, sx - t, sy - t, sx + t, sy + t)
            front = (2.0 * g.depth - 1.0) * t
            corners = [(-t, -t), (t, -t), (t, front), (-t, front)]
            block = shapely.Polygon([(sx + u * ax + v * nx, sy + u * ay + v * ny) for u, v in corners])
            return overlay(shapely.intersection, self.centre, block)
        if g.kind == "disk":
            disk = affinity.affine_transform(_UNIT_DISK, [t, 0, 0, t, sx, sy])
            return overlay(shapely.intersection, self.centre, disk)
        if g.kind == "wedge":  # a rhombus of side t, its apex (angle ``depth``) at the seed
            (ix, iy), (ax, ay), half = g.inward, g.along, g.depth / 2.0
            c, s = math.cos(half), math.sin(half)
            pts = [(0.0, 0.0), (t * c, t * s), (2.0 * t * c, 0.0), (t * c, -t * s)]
            rhombus = shapely.Polygon([(sx + v * ix + u * ax, sy + v * iy + u * ay) for v, u in pts])
            return overlay(shapely.intersection, self.centre, rhombus)
        if g.kind == "pivot":  # the sector from the ray along ``along``, turned by t towards ``inward``
            (ax, ay), (ix, iy), big = g.along, g.inward, self._span
            steps = np.linspace(0.0, min(t, math.pi), max(2, int(math.ceil(t / (math.pi / 16))) + 1))
            ring = [(sx, sy)] + [
                (
                    sx + big * (math.cos(a) * ax + math.sin(a) * ix),
                    sy + big * (math.cos(a) * ay + math.sin(a) * iy),
                )
                for a in steps
            ]
            return overlay(shapely.intersection, self.centre, shapely.Polygon(ring))
        if g.kind == "halfplane":  # points whose coordinate along ``direction`` is at most t
            (dx, dy), big = g.direction, self._span
            corners = [(-big, -big), (t, -big), (t, big), (-big, big)]
            plane = shapely.Polygon([(sx + u * dx - v * dy, sy + u * dy + v * dx) for u, v in corners])
            return overlay(shapely.intersection, self.centre, plane)
        # sweep: half-plane of points whose coordinate along ``direction`` is at most t (from seed)
        minx, miny, maxx, maxy = self.bounds
        dx, dy = g.direction
        if dx > 0:
            return _clip(self.centre, minx - 1, miny - 1, sx + t, maxy + 1)
        if dx < 0:
            return _clip(self.centre, sx - t, miny - 1, maxx + 1, maxy + 1)
        if dy > 0:
            return _clip(self.centre, minx - 1, miny - 1, maxx + 1, sy + t)
        return _clip(self.centre, minx - 1, sy - t, maxx + 1, maxy + 1)

    def t_max(self, g: Gauge) -> float:
        minx, miny, maxx, maxy = self.bounds
        sx, sy = g.seed
        if g.kind in ("block", "disk"):
            return max(math.hypot(x - sx, y - sy) for x in (minx, maxx) for y in (miny, maxy)) + 1.0
        if g.kind in ("halfplane", "wedge"):
            return self._span
        if g.kind == "pivot":
            return math.pi
        return max(maxx - minx, maxy - miny) + 1.0

    def parcel_at(self, g: Gauge, t: float, round_corners: bool = False):
        seed = shapely.Point(g.seed)
        piece = _piece_with(self._gauge_geom(g, t), seed)
        if piece is None or piece.is_empty:
            piece = seed  # the seed alone: a parcel of one minimum-width disk
        return self.land.dilated(piece, round_corners, k=self.k)

    def grow(
        self, g: Gauge, target: float, aim: float, round_corners: bool = False, max_eval: int = 80
    ) -> Grown | None:
        """The parcel of area ``target`` (± ``aim``) grown with gauge ``g``, or None.

        With ``round_corners`` the centre piece is dilated with round joins: the parcel is then a
        union of disks ``2r`` wide, which never has a corner sharper than the width allows (used
        when the mitred parcel has one where it meets the edge of the land).
        """
        # (a little over 80 lines: one safeguarded root search, kept whole so its bracket reads at once)
        if self.capacity < target - aim:
            return None
        n = 0

        def f(t):
            nonlocal n
            n += 1
            p = self.parcel_at(g, t, round_corners)
            return p, p.area

        r = self.land.r
        lo, hi = 0.0, self.t_max(g)
        p_lo, a_lo = f(lo)
        if abs(a_lo - target) <= aim:
            return Grown(p_lo, a_lo, g, n, round_corners)
        if a_lo > target:
            return None  # even the seed's own disk is larger than the quota
        # Search on s(t) = sqrt(area): nearly linear in the gauge's size t for blocks and disks, so
        # secant steps from a first guess converge in a few evaluations; the bracket [lo, hi] keeps
        # them safe (false position on it, and a bisection when it stops shrinking).
        goal = math.sqrt(target)
        s_lo, s_hi = math.sqrt(a_lo), None  # s at hi: None until hi is evaluated
        if g.kind == "block":
            t = max(math.sqrt(target / g.depth) / 2.0 - r, 0.0)
        elif g.kind == "disk":
            t = max(math.sqrt(target / math.pi) - r, 0.0)
        elif g.kind == "wedge":
            t = max(math.sqrt(target / max(math.sin(g.depth), 0.5)) - 2.0 * r, 0.0)
        else:
            t = hi * target / max(self.capacity, target)
        prev = (lo, s_lo)
        width_before = hi - lo
        stalls = 0
        while n < max_eval:
            if not (lo < t < hi):
                t = 0.5 * (lo + hi) if s_hi is not None else min(max(2.0 * t, lo + r), hi)
                if not (lo < t < hi):
                    t = 0.5 * (lo + hi)
            if t >= hi and s_hi is None:
                t = hi
            p, a = f(t)
            fa = a - target
            if abs(fa) <= aim:
                return Grown(p, a, g, n, round_corners)
            st = math.sqrt(max(a, 0.0))
            if fa < 0:
                lo, s_lo = t, st
            else:
                hi, s_hi = t, st
            if t == hi and fa < 0:
                return None  # the whole component at t_max is still too small
            if hi - lo <= 1e-10 * max(1.0, hi):
                return None  # the area jumps over the target here (a piece of land joins at once)
            # next guess: secant through the last two points, false position when it leaves the
            # bracket, bisection when the bracket shrank less than half in three steps
            tp, sp = prev
            prev = (t, st)
            guess = None
            if st != sp and t != tp:
                guess = t + (goal - st) * (t - tp) / (st - sp)
            if guess is None or not (lo < guess < hi):
                if s_hi is not None and s_hi != s_lo:
                    guess = lo + (goal - s_lo) * (hi - lo) / (s_hi - s_lo)
                elif s_hi is None:
                    guess = None  # expand (above)
            stalls += 1
            if stalls >= 3:
                if s_hi is not None and (hi - lo) > 0.5 * width_before:
                    guess = 0.5 * (lo + hi)
                width_before, stalls = hi - lo, 0
            t = guess if guess is not None else (2.0 * t + r)
        return None


def candidate_gauges(
    grower: Grower,
    anchor,
    *,
    n_seeds: int = 3,
    sweeps: bool = True,
    disks: bool = False,
    deep: bool = False,
) -> list[Gauge]:
    """Seeds near ``anchor`` (the community's holdings, or None) on the road-reachable centre land.

    With ``deep`` (packing), blocks six and twelve times as deep as wide off the road are tried
    too: they use the least road frontage for their area, leaving frontage for the quotas still to
    be carved. On land in ``corners`` mode (the fallback), a component that meets the road only at
    a corner is seeded there, and strips swept along the road from either end are tried too: each
    reaches the road at its end of the frontage and leaves the rest of it to the others.
    """
    land, k = grower.land, grower.k
    reach = land.road_centres[k]
    if reach.is_empty:
        if not (land.corners and land.touches(k)):
            return []
        reach = land.corner_seed(k)
    seeds, labels = _seeds(land, reach, anchor, n_seeds)
    gauges = []
    for (sx, sy), label in zip(seeds, labels):
        gauges.append(Gauge("block", (sx, sy), label=f"square from {label}"))
        axes = road_axes(land.road_land, (sx, sy))
        if axes is not None:
            along, inward = axes
            shapes = [
                (1.5, "square off the road"),
                (1.0, "block along the road"),
                (2.5, "deep block off the road"),
            ]
            if deep:
                shapes.append((6.0, "narrow block deep off the road"))
                shapes.append((12.0, "strip deep off the road"))
            for depth, name in shapes:
                gauges.append(
                    Gauge(
                        "block",
                        (sx, sy),
                        label=f"{name} from {label}",
                        along=along,
                        inward=inward,
                        depth=depth,
                    )
                )
    if sweeps:
        gauges.extend(sweep_gauges(grower, anchor))
    if land.corners and not disks:
        gauges.extend(pivot_gauges(grower))
        gauges.extend(corner_gauges(grower))
        gauges.extend(road_sweep_gauges(grower, seeds[0]))
    if disks:
        for (sx, sy), label in zip(seeds, labels):
            gauges.append(Gauge("disk", (sx, sy), label=f"disk from {label}"))
    return gauges


def _seeds(land, reach, anchor, n_seeds):
    """Up to ``n_seeds`` seeds on ``reach`` (road-reachable centre land) and their labels: the point
    on (or next to) the holdings, then vertices nearest to them, spaced apart."""
    seeds: list[tuple] = []
    labels: list[str] = []
    minx, miny, _, _ = reach.bounds
    if anchor is not None and not anchor.is_empty:
        inside = clean(overlay(shapely.intersection, reach, anchor))
        if not inside.is_empty:
            target_pt = shapely.centroid(anchor)
            p = _nearest(inside, target_pt)
            labels.append("on holdings")
        else:
            p = _nearest(reach, anchor)
            labels.append("next to holdings")
        seeds.append((p.x, p.y))
        ref = anchor
    else:
        p = _nearest(reach, shapely.Point(minx, miny))
        seeds.append((p.x, p.y))
        labels.append("corner of the land")
        ref = shapely.Point(minx, miny)
    # further seeds: vertices of the reachable centre land nearest to the anchor, spaced apart
    coords = shapely.get_coordinates(reach)
    if len(coords):
        pts = shapely.points(coords)
        d = shapely.distance(pts, ref)
        order = np.lexsort((coords[:, 1], coords[:, 0], np.round(d, 6)))
        spacing = max(2.0 * land.r, 5.0)
        for i in order:
            if len(seeds) >= n_seeds:
                break
            x, y = coords[i]
            if all(math.hypot(x - sx, y - sy) >= spacing for sx, sy in seeds):
                seeds.append((float(x), float(y)))
                labels.append(
                    "corner of the land near holdings" if anchor is not None else "corner of the land"
                )
    return seeds, labels


def road_axes(road_land, seed):
    """Unit vectors along the road edge nearest to ``seed`` and from it towards the seed, or None."""
    if road_land is None or road_land.is_empty:
        return None
    pt = shapely.Point(seed)
    edge = shapely.boundary(road_land)
    near = _nearest(edge, pt)
    best, best_d = None, float("inf")
    for part in shapely.get_parts(edge):
        xy = shapely.get_coordinates(part)
        if len(xy) < 2:
            continue
        segs = shapely.linestrings(np.stack([xy[:-1], xy[1:]], axis=1))
        d = shapely.distance(segs, near)
        i = int(np.argmin(d))
        if d[i] < best_d:
            best_d, best = d[i], xy[i : i + 2]
    if best is None:
        return None
    (x0, y0), (x1, y1) = best
    length = math.hypot(x1 - x0, y1 - y0)
    if length == 0:
        return None
    ax, ay = (x1 - x0) / length, (y1 - y0) / length
    nx, ny = -ay, ax
    if (seed[0] - near.x) * nx + (seed[1] - near.y) * ny < 0:
        nx, ny = -nx, -ny
    return (ax, ay), (nx, ny)


def pivot_gauges(grower: Grower) -> list[Gauge]:
    """Parcels that share the road frontage: a line turned about a pivot on the land next to the
    road (its two ends along the road and its middle) until the land on one side of it has the
    area; the parcel keeps the frontage on that side of the pivot and leaves the rest."""
    land, k = grower.land, grower.k
    reach = land.road_centres[k]
    if reach.is_empty:
        return []
    first = _nearest(reach, land.road_land)
    axes = road_axes(land.road_land, (first.x, first.y))
    if axes is None:
        return []
    (ax, ay), _ = axes
    coords = shapely.get_coordinates(reach)
    key = coords[:, 0] * ax + coords[:, 1] * ay
    lo, hi = coords[int(np.argmin(key))], coords[int(np.argmax(key))]
    mid = _nearest(reach, shapely.Point((lo + hi) / 2.0))
    out = []
    for (sx, sy), name in (
        ((lo[0], lo[1]), "one end"),
        ((mid.x, mid.y), "the middle"),
        ((hi[0], hi[1]), "the other end"),
    ):
        axes = road_axes(land.road_land, (float(sx), float(sy)))
        if axes is None:
            continue
        (bx, by), inward = axes
        for along, side in (((bx, by), "ahead"), ((-bx, -by), "behind")):
            out.append(
                Gauge(
                    "pivot",
                    (float(sx), float(sy)),
                    label=f"cut turned about {name} of the frontage, {side}",
                    along=along,
                    inward=inward,
                )
            )
    return out


def corner_gauges(grower: Grower) -> list[Gauge]:
    """Parcels that reach the road with a corner: a rhombus grown inwards from a centre point at
    most ``2r`` from the road (the nearest one and the two ends of that land along the road), its
    apex at the point and pointing at the road. The apex angle is the widest whose mitred corner
    still reaches the road (60° to 90°: a corner sharper than 60° is narrower than the width)."""
    land = grower.land
    r = land.r
    near = clean(
        overlay(shapely.intersection, grower.centre, shapely.buffer(land.road_land, 2.0 * r, quad_segs=8))
    )
    if near.is_empty:
        return []
    first = _nearest(near, land.road_land)
    axes = road_axes(land.road_land, (first.x, first.y))
    if axes is None:
        return []
    (ax, ay), _ = axes
    coords = shapely.get_coordinates(near)
    key = coords[:, 0] * ax + coords[:, 1] * ay
    points = [(first.x, first.y)] + [tuple(map(float, coords[int(np.argmin(key))]))]
    points.append(tuple(map(float, coords[int(np.argmax(key))])))
    out, seen = [], set()
    for (sx, sy), name in zip(points, ("nearest point", "one end", "the other end")):
        if (round(sx, 6), round(sy, 6)) in seen:
            continue
        seen.add((round(sx, 6), round(sy, 6)))
        axes = road_axes(land.road_land, (sx, sy))
        if axes is None:
            continue
        along, inward = axes
        d = float(shapely.distance(shapely.Point(sx, sy), land.road_land))
        # the apex angle whose mitre (r / sin(angle / 2)) reaches the road, with a little to spare
        ratio = min(max((d + ROAD_TOUCH / 2) / r, 1.0), 1.0 / math.sin(math.radians(31.0)))
        angle = min(math.pi / 2, 2.0 * math.asin(1.0 / ratio))
        label = f"corner to the road from the {name} of the land near it"
        out.append(Gauge("wedge", (sx, sy), label=label, along=along, inward=inward, depth=angle))
    return out


def road_sweep_gauges(grower: Grower, seed, n: int = 12) -> list[Gauge]:
    """Half-planes swept across the component in ``n`` directions, the first along the road edge
    nearest to ``seed``: where the cut line crosses the road, the parcel leaves the rest of the
    frontage to the others (its own contact can be a corner or a short edge)."""
    axes = road_axes(grower.land.road_land, seed)
    if axes is None:
        return []
    (ax, ay), _ = axes
    base = math.atan2(ay, ax)
    coords = shapely.get_coordinates(grower.centre)
    out = []
    for i in range(n):
        angle = base + 2.0 * math.pi * i / n
        dx, dy = math.cos(angle), math.sin(angle)
        key = coords[:, 0] * dx + coords[:, 1] * dy
        j = int(np.lexsort((coords[:, 1], coords[:, 0], np.round(key, 9)))[0])
        start = (float(coords[j, 0]), float(coords[j, 1]))
        label = f"strip swept at {round(360.0 * i / n)}° to the road"
        out.append(Gauge("halfplane", start, (dx, dy), label=label))
    return out


def sweep_gauges(grower: Grower, anchor) -> list[Gauge]:
    """Half-planes swept across the component from each side (the side nearest the anchor first)."""
    centre = grower.centre
    minx, miny, maxx, maxy = grower.bounds
    coords = shapely.get_coordinates(centre)
    out = []
    for direction, name in (((1, 0), "west"), ((-1, 0), "east"), ((0, 1), "south"), ((0, -1), "north")):
        dx, dy = direction
        key = coords[:, 0] * dx + coords[:, 1] * dy
        i = int(np.lexsort((coords[:, 1], coords[:, 0], key))[0])
        seed = (float(coords[i, 0]), float(coords[i, 1]))
        out.append(Gauge("sweep", seed, direction, label=f"strip swept from the {name}"))
    if anchor is not None and not anchor.is_empty:
        c = shapely.centroid(anchor)
        out.sort(key=lambda g: round(math.hypot(g.seed[0] - c.x, g.seed[1] - c.y), 6))
    return out


def _nearest(geom, other):
    """The point of ``geom`` nearest to ``other`` (deterministic)."""
    line = shapely.shortest_line(geom, other)
    x, y = shapely.get_coordinates(line)[0]
    return shapely.Point(float(x), float(y))


def score(parcel, anchor, target: float, others=None) -> float:
    """Higher is better: compact, close to the holdings (distance in parcel sizes) and off the
    holdings of the communities still to be carved (share of the parcel on them)."""
    s = polsby_popper(parcel)
    if anchor is not None and not anchor.is_empty:
        s -= shapely.distance(parcel, anchor) / math.sqrt(max(target, 1.0))
    if others is not None and not others.is_empty:
        s -= overlay(shapely.intersection, parcel, others).area / max(parcel.area, 1.0)
    return s


def acceptable(parcel, width: float, road_land) -> bool:
    """The guarantees a grown parcel must meet to stay a candidate.

    The width is checked here with one opening at ``width`` (:func:`~.shapes.keeps_width`), a cheap
    filter; the parcel that is taken is checked in full (:func:`~.shapes.respects_width`, the
    measure the parcels report) in the output coordinates by the caller.
    """
    if parcel is None or parcel.is_empty or parcel.geom_type != "Polygon" or not parcel.is_valid:
        return False
    if width > 0 and not keeps_width(parcel, width):
        return False
    if road_land is not None and not road_land.is_empty:
        if shapely.distance(parcel, road_land) > ROAD_TOUCH:
            return False
    return True


def road_front(block, road_land):
    """The road frontage of ``block``: its two ends ``a`` and ``b`` (points of its boundary within
    :data:`ROAD_TOUCH` of road land farthest apart along the road), the unit vector ``u`` from ``a``
    to ``b`` and ``n``, perpendicular to it, into the block; None without frontage."""
    if road_land is None or road_land.is_empty:
        return None
    front = shapely.intersection(shapely.boundary(block), shapely.buffer(road_land, ROAD_TOUCH, quad_segs=2))
    if front.is_empty or front.length <= 0:
        return None
    xy = shapely.get_coordinates(front)
    mid = xy.mean(axis=0)
    axes = road_axes(road_land, (float(mid[0]), float(mid[1])))
    if axes is None:
        return None
    (ux, uy), _ = axes
    key = xy[:, 0] * ux + xy[:, 1] * uy
    a, b = xy[int(np.argmin(key))], xy[int(np.argmax(key))]
    length = float(math.hypot(*(b - a)))
    if length <= 0:
        return None
    u = (b - a) / length
    n = np.array([-u[1], u[0]])
    c = shapely.get_coordinates(shapely.point_on_surface(block))[0]
    if float(np.dot(c - (a + b) / 2.0, n)) < 0:
        n = -n
    return a, b, u, n


def fan(block, front, targets, spread: float, width: float, aim: float):
    """Parcels of areas ``targets`` side by side along the road frontage ``front`` of ``block``
    (:func:`road_front`), in that order: the frontage is shared out in equal parts and the
    dividing lines between them leave the road fanning out by ``spread`` radians in all (0:
    perpendicular to the road), so the parcels widen away from it; each parcel is the land of its
    sector at least ``width`` wide up to a depth from the road found by bisection. None when a
    sector is too small or its area cannot be met to ``aim``.
    """
    a, b, u, n = front
    length = float(np.hypot(*(b - a)))
    k = len(targets)
    minx, miny, maxx, maxy = block.bounds
    big = 2.0 * math.hypot(maxx - minx, maxy - miny) + 10.0
    cuts = []
    for j in range(1, k):
        p = a + u * length * j / k
        angle = spread * (j / k - 0.5)
        cuts.append((p, math.cos(angle) * n + math.sin(angle) * u))

    def side_of(p, d, towards):
        """The half-plane bounded by the line through ``p`` along ``d`` on the side of ``towards``."""
        s = np.array([d[1], -d[0]])
        if float(np.dot(s, towards)) < 0:
            s = -s
        return shapely.Polygon([p - d * big, p + d * big, p + d * big + s * big, p - d * big + s * big])

    mid = (a + b) / 2.0
    sectors = []
    for j, target in enumerate(targets):  # the sectors first: most spreads fail on their areas
        sector = block
        if j > 0:
            sector = overlay(shapely.intersection, sector, side_of(*cuts[j - 1], u))
        if j < k - 1:
            sector = overlay(shapely.intersection, sector, side_of(*cuts[j], -u))
        if sector.area < target - aim:
            return None
        sectors.append(sector)
    parcels = []
    for sector, target in zip(sectors, targets):

        def piece(depth, sector=sector):
            start = mid - n * 1.0
            strip = shapely.Polygon(
                [start - u * big, start + u * big, start + u * big + n * depth, start - u * big + n * depth]
            )
            g = overlay(shapely.intersection, sector, strip)
            if width > 0:
                g = overlay(shapely.intersection, dilate(erode(g, width / 2.0), width / 2.0), g)
            parts = parts_of(g)
            return parts[0] if parts else shapely.Polygon()

        lo, hi = 0.0, big
        found = None
        for _ in range(80):
            depth = 0.5 * (lo + hi)
            g = piece(depth)
            if abs(g.area - target) <= aim:
                found = g
                break
            if g.area < target:
                lo = depth
            else:
                hi = depth
        if found is None:
            return None
        parcels.append(found)
    return parcels
