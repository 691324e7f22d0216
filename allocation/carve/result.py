"""What a carving produces: the parcels, the land, and what the command line writes."""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd

from ..crs import MeasureCRS

__all__ = ["CarveResult", "PARCEL_COLUMNS", "LAND_COLUMNS"]

PARCEL_COLUMNS = [
    "project",
    "community",
    "part",
    "parts",
    "quota",
    "target_area",
    "area",
    "deviation",
    "compactness",
    "min_width",
    "frontage",
    "distance_to_holdings",
    "method",
    "note",
    "measured",
]
LAND_COLUMNS = ["project", "kind", "area", "measured"]


@dataclass
class CarveResult:
    """What :func:`carve_retained` produces.

    Attributes
    ----------
    parcels : GeoDataFrame
        One row per carved parcel (:data:`PARCEL_COLUMNS`), Polygon geometries.
    land : GeoDataFrame
        Per project: the developable land, the usable land (at least ``min_width`` wide) and the
        land remaining after carving (:data:`LAND_COLUMNS`).
    measure : MeasureCRS
        The CRS the parcels are in and were measured in.
    notes, warnings : list of str
        What was done and what the officer should look at (e.g. why a quota came as several
        parcels, communities without holdings).
    """

    parcels: gpd.GeoDataFrame
    land: gpd.GeoDataFrame
    measure: MeasureCRS
    notes: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    #: the land no parcel may use (EXCLUDE zones, land outside WITHIN, road land) and the road
    #: land, in the parcels' CRS, and MIN_WIDTH: what :func:`check_carving` checks against
    excluded: object = None
    road_land: object = None
    min_width: float = 0.0

    def layers(self) -> dict:
        """Output layers by the names the command line writes them under."""
        return {"parcels": self.parcels, "land": self.land}
