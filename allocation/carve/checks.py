"""The carving's guarantees measured again on the parcels as written, with plain shapely (the QA
line every entry point prints)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

from ..i18n import tr, trn
from .grow import ROAD_TOUCH
from .result import CarveResult

__all__ = ["CarveChecks", "check_carving", "short_frontage"]

#: Without a minimum width, a parcel reaching the road along less than this (m) reaches it at a corner.
CORNER_FRONTAGE = 0.01


def short_frontage(frontage, min_width: float):
    """Whether a parcel's ``frontage`` (m along road land) is shorter than its minimum width (at
    least :data:`CORNER_FRONTAGE`): it reaches the road only at a corner or along a short edge.

    Examples
    --------
    >>> bool(short_frontage(0.0, 20)), bool(short_frontage(12.5, 20)), bool(short_frontage(20.0, 20))
    (True, True, False)
    """
    return np.asarray(frontage, dtype=float) < max(float(min_width), CORNER_FRONTAGE)


@dataclass
class CarveChecks:
    """The guarantees of a carving, measured on the parcels as written (plain shapely).

    ``off_road`` counts the parcels farther than :data:`ROAD_TOUCH` from road land (None when no
    roads were given): the rule the carving enforces, so a parcel touching the road only at a
    corner counts as on the road; its ``frontage`` column says how long its side on the road is.
    ``corner`` counts the parcels on the road whose boundary runs along road land for less than
    MIN_WIDTH (:func:`short_frontage`): they reach the road only at a corner or along a short edge,
    and the QA line says so.
    """

    parcels: int
    overlap: float
    excluded: float
    deviation: float
    narrowest: float
    min_width: float
    off_road: int | None
    corner: int | None = None

    def message(self) -> str:
        """The one QA line the command line, the demo and the Processing algorithm print."""
        line = tr(
            "checked: {n} parcels, largest overlap between parcels {overlap:.1e} m², largest area on "
            "excluded land {excluded:.1e} m², largest |area - target| {deviation:.4f} m², narrowest "
            "{narrowest:.2f} m (minimum {min_width:g} m), parcels off the roads {off_road}",
            n=self.parcels,
            overlap=self.overlap,
            excluded=self.excluded,
            deviation=self.deviation,
            narrowest=self.narrowest,
            min_width=self.min_width,
            off_road="-" if self.off_road is None else self.off_road,
        )
        if self.corner:
            line += trn(
                "; {n} parcel reaches the road only at a corner or along less than {min_width:g} m (its "
                "frontage)",
                "; {n} parcels reach the road only at a corner or along less than {min_width:g} m (their "
                "frontage)",
                self.corner,
                min_width=max(self.min_width, CORNER_FRONTAGE),
            )
        return line


def check_carving(result: CarveResult) -> CarveChecks:
    """Check a carving's guarantees on its parcels with plain shapely (the QA line).

    Largest overlap between two parcels, largest area of a parcel on excluded land (EXCLUDE zones,
    land outside WITHIN and road land), largest |area - target|, the narrowest parcel (its
    ``min_width``, the measure the carving enforces) and how many parcels do not touch road land.
    Areas in the units² of the parcels' CRS (m² in every CRS the carving measures in but feet ones).
    """
    p = result.parcels
    geoms = p.geometry.values
    with np.errstate(invalid="ignore", divide="ignore"):
        overlap = 0.0
        if len(geoms) > 1:
            tree = shapely.STRtree(geoms)
            left, right = tree.query(geoms, predicate="intersects")
            pairs = left < right
            if pairs.any():
                a, b = geoms[left[pairs]], geoms[right[pairs]]
                # also snap-rounded: GEOS's plain overlay has been seen to miss a whole overlap
                overlap = float(
                    max(
                        shapely.area(shapely.intersection(a, b)).max(),
                        shapely.area(shapely.intersection(a, b, grid_size=1e-8)).max(),
                    )
                )
        excluded = 0.0
        if result.excluded is not None and not result.excluded.is_empty and len(geoms):
            excluded = float(shapely.area(shapely.intersection(geoms, result.excluded)).max())
        off_road = corner = None
        if result.road_land is not None:
            on_road = shapely.distance(geoms, result.road_land) <= ROAD_TOUCH
            off_road = int((~on_road).sum()) if len(geoms) else 0
            band = shapely.buffer(result.road_land, ROAD_TOUCH, quad_segs=2)
            along = shapely.length(shapely.intersection(shapely.boundary(geoms), band)) if len(geoms) else []
            corner = int((on_road & short_frontage(along, result.min_width)).sum()) if len(geoms) else 0
    return CarveChecks(
        parcels=len(p),
        overlap=overlap,
        excluded=excluded,
        deviation=float(p.deviation.abs().max()) if len(p) else 0.0,
        narrowest=float(p.min_width.min()) if len(p) else float("nan"),
        min_width=float(result.min_width),
        off_road=off_road,
        corner=corner,
    )
