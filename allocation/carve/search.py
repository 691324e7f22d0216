"""The search for parcels: communities carved one after the other, each parcel chosen among the
candidates grown in the land still available (:mod:`.grow`), with the passes that pack the parcels
tightly when the compact ones leave too little land for the last quotas."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np
import shapely

from ..i18n import tr
from . import grow as eng


@dataclass
class _Community:
    name: str
    target: float
    anchor: object  # holdings in the local frame, or None


@dataclass
class _Piece:
    community: str
    target: float
    parcel: object  # local frame
    method: str
    note: str = ""


class _ShortfallError(Exception):
    def __init__(self, community, needed, usable, carved):
        self.community, self.needed, self.usable, self.carved = community, needed, usable, carved
        super().__init__(community)


class _OverlayError(Exception):
    """GEOS could not take a parcel out of the available land, even with snap-rounding."""

    def __init__(self, land, parcel, rest):
        self.land, self.parcel, self.rest = land, parcel, rest
        self.community = None
        super().__init__(f"{land} - {parcel} gave {rest}")


#: Overlap (m²) left by rounding that needs no clipping: far below the 1e-6 m² guarantee.
_TRACE = 1e-8
#: Without a minimum width, parcels are still at least twice this wide (m): hairline slivers
#: (rounding left between parcels) are not land.
_SLIVER = 1e-3


def _fmt(a: float) -> str:
    return f"{a:,.2f}"


def _named_area(name, area: float) -> str:
    """``'A' (1,200.00 m²)``: a community and an area, in a list within a message."""
    return tr("'{community}' ({area:,.2f} m²)", community=name, area=area)


class _Carver:
    def __init__(self, developable, r, road_land, width, tolerance, fb, verify=None, corners=False):
        self.developable = developable
        #: the fallback: parcels may reach the road only at a corner or along a short edge
        self.corners = corners
        #: ``verify(parcel)``: whether a parcel (local frame) keeps every guarantee once in the
        #: output CRS (the full width measure the parcels report); None checks nothing more
        self.verify = verify or (lambda parcel: True)
        self.r = r
        self.road_land = road_land
        self.width = width
        self.tolerance = tolerance
        self.aim = tolerance / 4.0
        self.fb = fb

    def land(self, available) -> eng.Land:
        return eng.Land(available, self.r, self.road_land, corners=self.corners)

    def run(self, communities: list[_Community], pack: bool, progress) -> tuple[list[_Piece], eng.Land]:
        land = self.land(self.developable)
        pieces: list[_Piece] = []
        for i, c in enumerate(communities):
            self.fb.check()
            rest = communities[i + 1 :]
            try:
                new_pieces, land = self._carve_community(land, c, rest, pack, pieces)
            except _OverlayError as exc:
                exc.community = c.name
                raise
            pieces.extend(new_pieces)
            progress(i + 1)
        return pieces, land

    def run_fan(self, communities: list[_Community]) -> list[_Piece] | None:
        """The last resort when parcels carved one after the other cannot all reach the road: every
        quota side by side along the road frontage of one block that can hold them all
        (:func:`.grow.fan`), the orders along the road (every one up to 4 communities) and fan
        spreads tried in turn. The pieces, or None."""
        land = self.land(self.developable)
        need = sum(c.target for c in communities)
        if len(communities) <= 4:
            orders = [list(o) for o in itertools.permutations(communities)]
        else:
            orders = [communities, communities[::-1]]
        spreads = [0.2 * i for i in range(14)]
        for k in sorted(land.accessible(), key=lambda k: (-land.capacity[k], k)):
            if land.capacity[k] < need - self.aim:
                continue
            block = land.usable[k]
            front = eng.road_front(block, self.road_land)
            if front is None:
                continue
            for spread in spreads:
                for order in orders:
                    self.fb.check()
                    targets = [c.target for c in order]
                    parcels = eng.fan(block, front, targets, spread, self.width, self.aim)
                    if parcels is None:
                        continue
                    if all(eng.acceptable(p, self.width, self.road_land) and self.verify(p) for p in parcels):
                        method = "fan from the road frontage"
                        return [_Piece(c.name, c.target, p, method) for c, p in zip(order, parcels)]
        return None

    # -- one community --------------------------------------------------------------------------
    def _carve_community(self, land, c: _Community, rest, pack, done):
        accessible = land.accessible()
        total = float(land.capacity[accessible].sum()) if accessible else 0.0
        if total < c.target - self.aim:
            raise _ShortfallError(c, c.target, total, done)
        fits = [k for k in accessible if land.capacity[k] >= c.target - self.aim]
        if fits:
            best = self._best_single(land, c, c.target, fits, rest, pack)
            if best is not None:
                grown, new_land = best
                return [_Piece(c.name, c.target, grown.parcel, grown.gauge.label)], new_land
        # no single block can hold the quota (or none could be grown there): several parcels
        return self._carve_split(land, c, rest, pack, done, fits)

    def _components_near(self, land, ks, anchor):
        if anchor is not None and not anchor.is_empty:
            d = [shapely.distance(land.components[k], anchor) for k in ks]
            order = sorted(range(len(ks)), key=lambda i: (round(d[i], 6), -land.capacity[ks[i]], ks[i]))
        else:
            order = sorted(range(len(ks)), key=lambda i: (-land.capacity[ks[i]], ks[i]))
        return [ks[i] for i in order]

    def _grown_candidates(self, land, c, target, ks, pack):
        """Every acceptable parcel of area ``target`` grown in components ``ks`` (nearest first)."""
        found = []
        for disks in (False, True):
            for k in self._components_near(land, ks, c.anchor)[:2]:
                grower = eng.Grower(land, k)
                gauges = eng.candidate_gauges(
                    grower, c.anchor, n_seeds=3, sweeps=not disks, disks=disks, deep=pack
                )
                for g in gauges:
                    if disks and g.kind != "disk":
                        continue
                    self.fb.check()
                    res = grower.grow(g, target, self.aim)
                    if res is None or not eng.acceptable(res.parcel, self.width, self.road_land):
                        res = grower.grow(g, target, self.aim, round_corners=True)
                        if res is None or not eng.acceptable(res.parcel, self.width, self.road_land):
                            continue
                    found.append(res)
                if found and not pack:
                    break
            if found:
                break
        return found

    def _leftover(self, land, parcel):
        rest = eng.overlay(shapely.difference, land.available, parcel)
        # the parcel lies in the available land, so the rest has the area of the land less the
        # parcel's; GEOS 3.11's overlay can miss the parcel altogether (seen: an intersection of 0
        # m² for a parcel inside the land, so the next parcel was carved on top of it): redo it
        # with snap-rounding (a 1 nm grid) when the areas disagree
        expected = land.available.area - parcel.area
        if abs(rest.area - expected) > max(1e-6 * land.available.area, 1e-3):
            rest = eng.clean(shapely.difference(land.available, parcel, grid_size=1e-9))
            if abs(rest.area - expected) > max(1e-6 * land.available.area, 1e-3):
                raise _OverlayError(land.available.area, parcel.area, rest.area)
        return self.land(rest)

    def _lack(self, new_land: eng.Land, rest) -> float:
        """How much the remaining quotas lack on ``new_land`` (0 when they can still fit)."""
        need = sum(c.target for c in rest)
        if not rest:
            return 0.0
        return max(need - new_land.usable_area, 0.0)

    def _best_single(self, land, c, target, ks, rest, pack, max_checks: int = 6):
        """The best acceptable parcel and the land it leaves, or None when none could be grown.

        Compact pass: by score, the first whose leftover can still hold the remaining quotas.
        Pack pass: the one leaving the most usable land (least wasted), then by score.
        """
        found = self._grown_candidates(land, c, target, ks, pack)
        if not found:
            return None
        verified = {}

        def ok(i):
            if i not in verified:
                verified[i] = bool(self.verify(found[i].parcel))
            return verified[i]

        pending = [o.anchor for o in rest if o.anchor is not None and o.name != c.name]
        others = shapely.union_all(np.array(pending, dtype=object)) if pending else None
        if others is not None and c.anchor is not None:
            others = eng.overlay(shapely.difference, others, c.anchor)  # shared holdings count as own
        scores = [eng.score(g.parcel, c.anchor, target, others) for g in found]
        order = sorted(range(len(found)), key=lambda i: (-round(scores[i], 9), i))
        if not rest:
            i = next((i for i in order if ok(i)), None)
            return (found[i], None) if i is not None else None
        checked = []
        for i in order:
            if not pack and len(checked) >= max_checks:
                break
            if not ok(i):
                continue
            new_land = self._leftover(land, found[i].parcel)
            lack = self._lack(new_land, rest)
            if not pack and lack <= 0:
                return found[i], new_land
            checked.append(
                (round(lack, 6), -round(new_land.usable_area, 6), -round(scores[i], 9), i, new_land)
            )
        if not checked:
            return None
        best = min(checked, key=lambda x: x[:4])
        return found[best[3]], best[4]

    def _whole_block_order(self, land, smaller, accessible, remaining, anchor):
        """Blocks to take whole: those after which the rest fits in one other block first, then
        the nearest to the holdings, then the largest."""
        cap = {k: float(land.capacity[k]) for k in accessible}

        def parts_after(k):
            left = remaining - cap[k]
            return 1 if any(cap[j] >= left - self.aim for j in accessible if j != k) else 2

        def dist(k):
            if anchor is None or anchor.is_empty:
                return 0.0
            return round(float(shapely.distance(land.usable[k], anchor)), 3)

        return sorted(smaller, key=lambda k: (parts_after(k), dist(k), -round(cap[k], 6), k))

    def _carve_split(self, land, c, rest, pack, done, fits):
        pieces = []
        remaining = c.target
        largest = float(land.capacity[land.accessible()].max()) if land.accessible() else 0.0
        # fewest parcels: the rest goes where one block can hold it, else the largest block is
        # taken whole and the loop goes on
        while remaining > self.aim:
            self.fb.check()
            accessible = land.accessible()
            if not accessible:
                raise _ShortfallError(c, remaining, 0.0, done + pieces)
            holders = [k for k in accessible if land.capacity[k] >= remaining - self.aim]
            if holders:
                best = self._best_single(land, c, remaining, holders, rest, pack)
                if best is not None:
                    grown, land = best
                    pieces.append(_Piece(c.name, remaining, grown.parcel, grown.gauge.label))
                    remaining = 0.0
                    break
            smaller = [k for k in accessible if land.capacity[k] < remaining - self.aim]
            placed = False
            for k in self._whole_block_order(land, smaller, accessible, remaining, c.anchor):
                whole = land.usable[k]
                if whole.geom_type != "Polygon" or not eng.acceptable(whole, self.width, self.road_land):
                    continue
                if not self.verify(whole):
                    continue
                floor = 2.0 * math.pi * self.r**2  # a remainder this large can still be grown
                left = remaining - whole.area
                if self.width > 0 and self.aim < left < floor:
                    # the whole block would leave less than the smallest parcel MIN_WIDTH wide:
                    # take less from it, so that the rest can be grown in another block
                    part = remaining - floor
                    best = self._best_single(land, c, part, [k], rest, pack) if part > floor else None
                    if best is None:
                        continue
                    grown, new_land = best
                    pieces.append(_Piece(c.name, part, grown.parcel, grown.gauge.label))
                    remaining = floor
                    land = new_land if new_land is not None else self._leftover(land, grown.parcel)
                    placed = True
                    break
                pieces.append(_Piece(c.name, whole.area, whole, "whole block of usable land"))
                remaining -= whole.area
                land = self._leftover(land, whole)
                placed = True
                break
            if not placed:
                raise _ShortfallError(c, remaining, land.usable_area, done + pieces)
        self._split_note(c, pieces, fits, largest)
        return pieces, land

    def _split_note(self, c, pieces, fits, largest) -> None:
        """Say why a quota came as several parcels: in each parcel's note and in the log."""
        n = len(pieces)
        # the parcels' note: prose for the officer, in the current language
        if fits:
            note = tr(
                "quota {quota} m² could not be grown as one parcel meeting every guarantee in the blocks "
                "large enough for it; carved as {n} parcels",
                quota=_fmt(c.target),
                n=n,
            )
        elif self.road_land is not None:
            note = tr(
                "quota {quota} m² does not fit in one parcel: the largest block of usable land reachable "
                "from a road holds {largest} m²; carved as {n} parcels",
                quota=_fmt(c.target),
                n=n,
                largest=_fmt(largest),
            )
        else:
            note = tr(
                "quota {quota} m² does not fit in one parcel: the largest block of usable land holds "
                "{largest} m²; carved as {n} parcels",
                quota=_fmt(c.target),
                n=n,
                largest=_fmt(largest),
            )
        for p in pieces:
            p.note = note
        fields = dict(community=c.name, quota=c.target, n=n)
        if fits:
            msg = tr(
                "Community '{community}': quota {quota:,.2f} m² could not be grown as one parcel meeting "
                "every guarantee in the blocks large enough for it; carved as {n} parcels.",
                **fields,
            )
        elif self.road_land is not None:
            msg = tr(
                "Community '{community}': quota {quota:,.2f} m² does not fit in one parcel: the largest "
                "block of usable land reachable from a road holds {largest:,.2f} m²; carved as {n} parcels.",
                largest=largest,
                **fields,
            )
        else:
            msg = tr(
                "Community '{community}': quota {quota:,.2f} m² does not fit in one parcel: the largest "
                "block of usable land holds {largest:,.2f} m²; carved as {n} parcels.",
                largest=largest,
                **fields,
            )
        self.fb.warning(msg)
