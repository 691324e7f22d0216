"""Carving one project: its phases from the developable land to the rows written.

:func:`_carve_project` is the orchestrator: the developable land and the local frame
(:func:`_developable`, :class:`_Frame`), the communities to carve (:func:`_communities`), the
feasibility checks that need no search (:meth:`_Project.check_enough`), the search
(:meth:`_Project.search`, which says why when it fails: :meth:`_Project.shortfall`) and the parcels
and land as written (:meth:`_Project.parcel_rows`, :meth:`_Project.land_rows`).
"""

from __future__ import annotations

import math

import numpy as np
import shapely
from shapely import affinity

from ..errors import InfeasibleError, InternalError
from ..geometry import polygonal_part
from ..i18n import tr, trn
from ..shapes import frontage, min_width, polsby_popper, respects_width
from . import grow as eng
from .checks import short_frontage
from .grow import ROAD_TOUCH
from .search import _SLIVER, _TRACE, _Carver, _Community, _named_area, _OverlayError, _ShortfallError


class _Frame:
    """Metres, origin at the project, x along the project's main axis (for square gauges)."""

    def __init__(self, geom, unit: float):
        self.unit = unit
        c = geom.centroid
        self.ox, self.oy = round(c.x, 0), round(c.y, 0)
        rect = shapely.minimum_rotated_rectangle(geom)
        xy = shapely.get_coordinates(rect)
        dx, dy = xy[1] - xy[0]
        angle = math.atan2(dy, dx) if (dx or dy) else 0.0
        # fold into [-45°, 45°): the smallest rotation that aligns an edge of the rectangle with x
        angle = (angle + math.pi / 4) % (math.pi / 2) - math.pi / 4
        self.angle = angle
        ca, sa = math.cos(-angle), math.sin(-angle)
        u = unit
        # local = R(-angle) * u * (p - o)
        self._fwd = [u * ca, -u * sa, u * sa, u * ca, 0.0, 0.0]
        cb, sb = math.cos(angle), math.sin(angle)
        self._back = [cb / u, -sb / u, sb / u, cb / u, 0.0, 0.0]

    def to_local(self, geom):
        if geom is None:
            return None
        g = affinity.translate(geom, -self.ox, -self.oy)
        return affinity.affine_transform(g, self._fwd)

    def to_world(self, geom):
        g = affinity.affine_transform(geom, self._back)
        return affinity.translate(g, self.ox, self.oy)


def _describe_land(geoms, frame: _Frame, limit: int = 8) -> str:
    parts = eng.parts_of(shapely.union_all(np.array(geoms, dtype=object))) if len(geoms) else []
    if not parts:
        return tr("none")
    lines = []
    for p in parts[:limit]:
        w = frame.to_world(p)
        c = w.centroid
        minx, miny, maxx, maxy = w.bounds
        lines.append(
            tr(
                "{area:,.2f} m² around ({x:.1f}, {y:.1f}), extent ({minx:.1f}, {miny:.1f})–({maxx:.1f}, "
                "{maxy:.1f})",
                area=p.area,
                x=c.x,
                y=c.y,
                minx=minx,
                miny=miny,
                maxx=maxx,
                maxy=maxy,
            )
        )
    if len(parts) > limit:
        return tr(
            "{n} block(s): {blocks}; and {more} smaller block(s)",
            n=len(parts),
            blocks="; ".join(lines),
            more=len(parts) - limit,
        )
    return tr("{n} block(s): {blocks}", n=len(parts), blocks="; ".join(lines))


def _developable(pgeom, within_union, excl_union, road_land_w):
    """Developable land in world coordinates: the exact reference the parcels are clipped to."""
    developable_w = pgeom
    if within_union is not None:
        developable_w = shapely.intersection(developable_w, within_union)
    if excl_union is not None:
        developable_w = shapely.difference(developable_w, excl_union)
    if road_land_w is not None:
        developable_w = shapely.difference(developable_w, road_land_w)
    return polygonal_part(developable_w) or shapely.Polygon()


def _local_roads(pgeom, road_land_w, frame, unit):
    """The road land near the project (within 1 km), in the local frame; None without roads."""
    if road_land_w is None:
        return None
    near = shapely.buffer(pgeom, 1000.0 / unit, quad_segs=2)
    road_land = frame.to_local(shapely.intersection(road_land_w, near))
    if road_land.is_empty:
        road_land = frame.to_local(road_land_w)
    return road_land


def _communities(pid, table, holdings, frame, notes, warnings, fb) -> list:
    """The communities to carve, largest quota first, each with its holdings in the local frame."""
    communities = []
    for rec in table.itertuples(index=False):
        if rec.target_area <= 0:
            msg = tr(
                "Project {project}, community '{community}': quota 0 m², nothing to carve.",
                project=pid,
                community=rec.community,
            )
            notes.append(msg)
            fb.info(msg)
            continue
        h = holdings.get(str(rec.community).strip())
        anchor = frame.to_local(h) if h is not None else None
        if holdings and h is None:
            msg = tr(
                "Community '{community}' has no holdings in PREFER; its parcel is placed by shape and road "
                "access only.",
                community=rec.community,
            )
            warnings.append(msg)
            fb.warning(msg)
        communities.append(_Community(str(rec.community), float(rec.target_area), anchor))
    communities.sort(key=lambda c: (-c.target, c.name))
    return communities


class _Project:
    """One project being carved: its land in both frames, its settings and its log."""

    def __init__(
        self, pid, pgeom, developable_w, road_land_w, width, tolerance, measure, notes, warnings, fb
    ):
        self.pid = pid
        unit = math.sqrt(measure.area_factor)
        #: how every area was measured (the ``measured`` column of the parcels and the land)
        self.measured = measure.statement()
        self.developable_w = developable_w
        self.road_land_w = road_land_w
        self.width = width
        self.tolerance = tolerance
        self.unit = unit
        self.notes, self.warnings, self.fb = notes, warnings, fb
        self.frame = _Frame(pgeom, unit)
        self.developable = eng.clean(self.frame.to_local(developable_w))
        self.road_land = _local_roads(pgeom, road_land_w, self.frame, unit)
        #: whether the parcels came from the fallback that lets them reach the road at a corner
        self.corner_run = False

    def note(self, msg) -> None:
        self.notes.append(msg)
        self.fb.info(msg)

    def to_output(self, parcel):
        """A parcel (local frame) as it is written: in the output CRS, within the developable land."""
        g = self.frame.to_world(parcel)
        if not g.is_valid:  # rounding in the transform can fold a micrometre-sized notch
            g = polygonal_part(shapely.make_valid(g, method="structure", keep_collapsed=False))
            g = eng.parts_of(g)[0] if g is not None else shapely.Polygon()
        # the parcel lies in the developable land up to rounding; clip only when rounding left more
        # than a trace outside (clipping along nearly tangent edges would add needle-thin corners)
        if shapely.difference(g, self.developable_w).area * self.unit * self.unit > _TRACE:
            g = shapely.intersection(g, self.developable_w)
            parts = eng.parts_of(g)
            g = parts[0] if parts else shapely.Polygon()
        return g

    def metric(self, g):
        unit = self.unit
        return affinity.scale(g, unit, unit, origin=(0, 0)) if unit != 1.0 else g

    def verify(self, parcel) -> bool:
        """The full width measure (the one reported) on the parcel as it will be written."""
        if self.width <= 0:
            return True
        g = self.to_output(parcel)
        return g.geom_type == "Polygon" and g.is_valid and respects_width(self.metric(g), self.width)

    def where(self, start) -> str:
        """Where the developable land and the usable land are (for the messages of a shortfall)."""
        developable, frame, width, road_land = self.developable, self.frame, self.width, self.road_land
        land_fields = dict(
            area=developable.area,
            developable=_describe_land([developable], frame),
            width=width,
            usable=_describe_land([start.usable[k] for k in start.accessible()], frame),
        )
        if road_land is not None:
            where = tr(
                "Developable land (project less EXCLUDE zones and road land): {area:,.2f} m² in "
                "{developable}. Of it, land at least {width:g} m wide and reachable from a road: {usable}.",
                **land_fields,
            )
        else:
            where = tr(
                "Developable land (project less EXCLUDE zones and road land): {area:,.2f} m² in "
                "{developable}. Of it, land at least {width:g} m wide: {usable}.",
                **land_fields,
            )
        return where

    def check_enough(self, communities, start, carver, where) -> None:
        """Refuse, before any search, quotas that no carving can meet (each message gives the
        shortfall and where the land is)."""
        pid, width, tolerance, road_land = self.pid, self.width, self.tolerance, self.road_land
        # land reaching the road only at a corner counts: the fallback of the search can use it
        reachable = [
            k for k in range(len(start.components)) if not start.road_centres[k].is_empty or start.touches(k)
        ]
        usable_total = float(start.capacity[reachable].sum()) if reachable else 0.0
        need = sum(c.target for c in communities)
        smallest = math.pi * (width / 2.0) ** 2
        too_small = [c for c in communities if c.target < smallest - tolerance]
        if too_small:
            names = ", ".join(_named_area(c.name, c.target) for c in too_small)
            raise InfeasibleError(
                tr(
                    "Project {project}: the quota of {names} is smaller than the smallest parcel at least "
                    "{width:g} m wide (a disk {width:g} m across: {smallest:,.2f} m²); no parcel can be "
                    "both. Lower MIN_WIDTH for this run or merge the quota with another.",
                    project=pid,
                    names=names,
                    width=width,
                    smallest=smallest,
                )
            )
        if road_land is not None and communities and not reachable:
            # how far the nearest parcel at least MIN_WIDTH wide could stand from a road: its centre
            # land (the usable land eroded by half the width) lies that much more than half a width away
            gap = min((shapely.distance(c, road_land) for c in start.components), default=float("nan"))
            gap = max(gap - start.r, 0.0)
            raise InfeasibleError(
                tr(
                    "Project {project}: no road access. No land at least {width:g} m wide touches road land; "
                    "the nearest is {gap:,.2f} m from a road: shortfall {need:,.2f} m² (every quota). "
                    "{where} Give the roads that serve the project (road polygons, or lines with a width "
                    "field).",
                    project=pid,
                    width=width,
                    gap=gap,
                    need=need,
                    where=where,
                )
            )
        if need > usable_total + carver.aim * len(communities):
            fields = dict(
                project=pid,
                need=need,
                usable=usable_total,
                width=width,
                shortfall=need - usable_total,
                where=where,
            )
            if road_land is not None:
                msg = tr(
                    "Project {project}: not enough land for the retained-land quotas. They total {need:,.2f} "
                    "m², but only {usable:,.2f} m² of the developable land is at least {width:g} m wide and "
                    "reachable from a road: shortfall {shortfall:,.2f} m². {where} Lower the quotas, review "
                    "the EXCLUDE zones or the minimum width.",
                    **fields,
                )
            else:
                msg = tr(
                    "Project {project}: not enough land for the retained-land quotas. They total {need:,.2f} "
                    "m², but only {usable:,.2f} m² of the developable land is at least {width:g} m wide: "
                    "shortfall {shortfall:,.2f} m². {where} Lower the quotas, review the EXCLUDE zones or "
                    "the minimum width.",
                    **fields,
                )
            raise InfeasibleError(msg)

    def search(self, carver, communities, progress, failure=None):
        """The parcels: compact ones, largest quota first; else packed tightly; else packed, smallest
        quota first (a large parcel carved first can cut the land behind it off from the roads).
        Returns ``(pieces, None)``, or ``(None, the closest failure)`` (``failure``: that of an
        earlier search)."""
        pid, notes, fb = self.pid, self.notes, self.fb
        n = max(len(communities), 1)
        pieces = None
        # compact parcels, largest quota first; else packed tightly; else packed, smallest quota first
        # (a large parcel carved first can cut the land behind it off from the roads)
        attempts = [(False, communities), (True, communities)]
        if len(communities) > 1:
            attempts.append((True, sorted(communities, key=lambda c: (c.target, c.name))))
        rank = {c.name: i for i, c in enumerate(communities)}
        for j, (pack, order) in enumerate(attempts):
            try:
                pieces, end = carver.run(order, pack, lambda i, j=j: progress((j + i / n) / len(attempts)))
                pieces.sort(key=lambda p: rank[p.community])  # stable: a community's parts keep their order
                if carver.corners:
                    self._corner_note()
                if pack:
                    msg = tr(
                        "Project {project}: carving the most compact parcels first left too little land for "
                        "the last quotas; the parcels were packed tightly instead.",
                        project=pid,
                    )
                    notes.append(msg)
                    fb.info(msg)
                break
            except _ShortfallError as exc:
                if failure is None or exc.needed - exc.usable < failure.needed - failure.usable:
                    failure = exc
            except _OverlayError as exc:
                raise InternalError(
                    tr(
                        "Project {project}, community '{community}': GEOS could not take the carved parcel "
                        "({parcel:,.2f} m²) out of the available land ({land:,.2f} m²; the rest came out as "
                        "{rest:,.2f} m²), even with snap-rounding; nothing was written. Report this with the "
                        "input data.",
                        project=pid,
                        community=exc.community,
                        parcel=exc.parcel,
                        land=exc.land,
                        rest=exc.rest,
                    )
                ) from exc
        return pieces, failure

    def _corner_note(self) -> None:
        self.note(
            tr(
                "Project {project}: parcels with a side along the road could not hold every quota; parcels "
                "reaching the road only at a corner or along a short edge were allowed (see the frontage "
                "and note of each parcel).",
                project=self.pid,
            )
        )

    def road_frontage(self, start) -> float:
        """How long (m) the usable land reachable from a road runs along road land, before carving."""
        reachable = [
            u for k, u in enumerate(start.usable) if not start.road_centres[k].is_empty or start.touches(k)
        ]
        if not reachable:
            return 0.0
        return frontage(shapely.union_all(np.array(reachable, dtype=object)), self.road_land, ROAD_TOUCH)

    def _corner_parcel_note(self, row) -> str:
        """The note of a parcel of the fallback that reaches the road only at a corner."""
        note = tr(
            "reaches the road only at a corner or along a short edge ({frontage:.2f} m of frontage, less "
            "than the minimum width {width:g} m): parcels with a side along the road could not hold every "
            "quota",
            frontage=row["frontage"],
            width=self.width,
        )
        return f"{row['note']}; {note}" if row["note"] else note

    def shortfall(self, exc, communities, start, carver, where) -> InfeasibleError:
        """Why the search failed: which community, what was carved first, the shortfall."""
        pid, width, tolerance, road_land = self.pid, self.width, self.tolerance, self.road_land
        need = sum(c.target for c in communities)
        usable_total = start.usable_area
        smallest = math.pi * (width / 2.0) ** 2
        carved = ", ".join(_named_area(p.community, p.parcel.area) for p in exc.carved) or tr("nothing")
        fields = dict(
            project=pid,
            community=exc.community.name,
            carved=carved,
            needed=exc.needed,
            width=width,
            usable=exc.usable,
            shortfall=max(exc.needed - exc.usable, 0.0),
            need=need,
            total=usable_total,
            where=where,
        )
        if exc.needed <= exc.usable + carver.aim:
            # enough land by area, but no parcel meeting every guarantee could be grown in it
            if exc.needed < smallest - tolerance:
                why = tr(
                    "{needed:,.2f} m² is less than the smallest parcel at least {width:g} m wide "
                    "({smallest:,.2f} m²)",
                    needed=exc.needed,
                    width=width,
                    smallest=smallest,
                )
            else:
                why = tr(
                    "no parcel of that area at least {width:g} m wide and touching a road could be grown in "
                    "the remaining blocks",
                    width=width,
                )
            msg = tr(
                "Project {project}: community '{community}' cannot get its quota. After carving {carved}, "
                "{needed:,.2f} m² are still to be carved; the remaining usable land ({usable:,.2f} m²) holds "
                "that much by area, but {why}: shortfall {needed:,.2f} m² (compact and packed carvings, "
                "largest and smallest quotas first, were all tried). Lower the quotas, review the EXCLUDE "
                "zones or the minimum width. {where}",
                why=why,
                **fields,
            )
        elif road_land is not None:
            msg = tr(
                "Project {project}: community '{community}' cannot get its quota. After carving {carved}, "
                "{needed:,.2f} m² are still to be carved but the remaining land at least {width:g} m wide "
                "and reachable from a road is {usable:,.2f} m²: shortfall {shortfall:,.2f} m² (the quotas "
                "total {need:,.2f} m² against {total:,.2f} m² of such land, but road access is the limit: "
                "that land meets the roads along {frontage:,.2f} m, and the parcels carved first leave the "
                "rest narrower than {width:g} m or cut off from the roads; compact and packed carvings, and "
                "parcels reaching the road only at a corner, were all tried). {where}",
                frontage=self.road_frontage(start),
                **fields,
            )
        else:
            msg = tr(
                "Project {project}: community '{community}' cannot get its quota. After carving {carved}, "
                "{needed:,.2f} m² are still to be carved but the remaining land at least {width:g} m wide is "
                "{usable:,.2f} m²: shortfall {shortfall:,.2f} m² (the quotas total {need:,.2f} m² against "
                "{total:,.2f} m² of such land, but the parcels carved first leave the rest narrower than "
                "{width:g} m; compact and packed carvings were both tried). {where}",
                **fields,
            )
        return InfeasibleError(msg)

    def parcel_rows(self, pieces, communities, holdings):
        """The parcels as written (output CRS, within the developable land, disjoint), measured:
        ``(rows, taken)``; an internal failure when rounding broke a guarantee."""
        pid, width, tolerance, unit = self.pid, self.width, self.tolerance, self.unit
        road_land_w, to_output, metric = self.road_land_w, self.to_output, self.metric
        rows, taken = [], []
        counts = {}
        for p in pieces:
            counts[p.community] = counts.get(p.community, 0) + 1
        seen = {}
        quota_of = {c.name: c.target for c in communities}
        holdings_w = {c.name: holdings.get(c.name) for c in communities}
        for p in pieces:
            g = to_output(p.parcel)
            # off the other parcels up to rounding (clipped only beyond a trace, as in to_output)
            if taken:
                others = shapely.union_all(np.array(taken, dtype=object))
                if shapely.intersection(g, others).area * unit * unit > _TRACE:
                    g = shapely.difference(g, others)
            parts = eng.parts_of(g)
            g = parts[0] if parts else shapely.Polygon()
            area = g.area * unit * unit
            if abs(area - p.target) > tolerance:
                raise InternalError(
                    tr(
                        "Project {project}, community '{community}': the parcel's area {area:.4f} m² misses "
                        "its target {target:.4f} m² by more than {tolerance} m² after projecting back; "
                        "nothing was written. Report this with the input data.",
                        project=pid,
                        community=p.community,
                        area=area,
                        target=p.target,
                        tolerance=tolerance,
                    )
                )
            taken.append(g)
            metric_g = metric(g)
            road_metric = None
            if road_land_w is not None:
                road_metric = (
                    affinity.scale(road_land_w, unit, unit, origin=(0, 0)) if unit != 1.0 else road_land_w
                )
            h = holdings_w.get(p.community)
            dist = float(shapely.distance(g, h)) * unit if h is not None else float("nan")
            seen[p.community] = seen.get(p.community, 0) + 1
            row = {
                "project": pid,
                "community": p.community,
                "part": seen[p.community],
                "parts": counts[p.community],
                "quota": quota_of[p.community],
                "target_area": p.target,
                "area": area,
                "deviation": area - p.target,
                "compactness": polsby_popper(metric_g),
                "min_width": min_width(metric_g),
                "frontage": frontage(metric_g, road_metric, ROAD_TOUCH)
                if road_metric is not None
                else float("nan"),
                "distance_to_holdings": dist,
                "method": p.method,
                "note": p.note or None,
                "measured": self.measured,
            }
            if width > 0 and row["min_width"] < width - 1e-9:  # the measure reported is the one enforced
                raise InternalError(
                    tr(
                        "Project {project}, community '{community}': the parcel does not keep the minimum "
                        "width after projecting back; nothing was written. Report this with the input data.",
                        project=pid,
                        community=p.community,
                    )
                )
            if self.corner_run and short_frontage(row["frontage"], width):
                row["note"] = self._corner_parcel_note(row)
            rows.append((row, g))
        return rows, taken

    def land_rows(self, start, taken):
        """The developable, usable and remaining land of the project, as written."""
        pid, unit, developable_w, frame = self.pid, self.unit, self.developable_w, self.frame
        remaining_w = shapely.difference(developable_w, shapely.union_all(np.array(taken, dtype=object)))
        usable_w = frame.to_world(
            shapely.union_all(
                np.array([start.usable[k] for k in start.accessible()] or [shapely.Polygon()], dtype=object)
            )
        )
        u2 = unit * unit
        lrows = [
            (
                {
                    "project": pid,
                    "kind": "developable",
                    "measured": self.measured,
                    "area": developable_w.area * u2,
                },
                developable_w,
            ),
            (
                {"project": pid, "kind": "usable", "measured": self.measured, "area": usable_w.area * u2},
                usable_w,
            ),
            (
                {
                    "project": pid,
                    "kind": "remaining",
                    "measured": self.measured,
                    "area": remaining_w.area * u2,
                },
                polygonal_part(remaining_w) or shapely.Polygon(),
            ),
        ]
        return lrows


def _carve_project(
    pid,
    pgeom,
    table,
    excl_union,
    within_union,
    road_land_w,
    holdings,
    width,
    tolerance,
    unit,
    measure,
    notes,
    warnings,
    fb,
    progress,
):
    """Carve one project's quotas: ``(parcel rows, land rows)``, each row ``(record, geometry)``."""
    developable_w = _developable(pgeom, within_union, excl_union, road_land_w)
    proj = _Project(pid, pgeom, developable_w, road_land_w, width, tolerance, measure, notes, warnings, fb)
    # even without a minimum width, hairline slivers (rounding left between parcels) are not land
    r = max(width / 2.0, _SLIVER) + 1e-6
    communities = _communities(pid, table, holdings, proj.frame, notes, warnings, fb)
    carver = _Carver(proj.developable, r, proj.road_land, width, tolerance, fb, verify=proj.verify)
    start = carver.land(proj.developable)
    where = proj.where(start)
    proj.check_enough(communities, start, carver, where)
    pieces, failure = proj.search(carver, communities, progress)
    if pieces is None and proj.road_land is not None:
        # the fallback: parcels reaching the road only at a corner or along a short edge
        corners = _Carver(
            proj.developable, r, proj.road_land, width, tolerance, fb, proj.verify, corners=True
        )
        pieces, failure = proj.search(corners, communities, progress, failure)
        proj.corner_run = pieces is not None
        if pieces is None:
            # the last resort: every quota side by side along the frontage of one block
            pieces = corners.run_fan(communities)
            if pieces is not None:
                proj.corner_run = True
                proj.note(
                    tr(
                        "Project {project}: parcels carved one after the other could not all reach the "
                        "road; they were laid out side by side along the road frontage of one block, "
                        "widening away from the road (method 'fan from the road frontage').",
                        project=pid,
                    )
                )
    if pieces is None:
        raise proj.shortfall(failure, communities, start, carver, where)
    rows, taken = proj.parcel_rows(pieces, communities, holdings)
    lrows = proj.land_rows(start, taken)
    msg = tr(
        "Project {project}: {parcels} for {communities}, {area:,.2f} m² of "
        "{developable:,.2f} m² developable.",
        project=pid,
        parcels=trn("{n} parcel", "{n} parcels", len(rows)),
        communities=trn("{n} community", "{n} communities", len(communities)),
        area=sum(r[0]["area"] for r in rows),
        developable=developable_w.area * unit * unit,
    )
    notes.append(msg)
    fb.info(msg)
    progress(1.0)
    return rows, lrows
