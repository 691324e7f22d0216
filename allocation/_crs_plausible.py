"""Coordinates that cannot be in the CRS a layer declares.

A layer labelled with the wrong CRS measures silently wrong: degrees read as metres give areas of a
fraction of a m² ("balanced", 0.00 m²), metres read as degrees give pyproj errors or infinities.
:func:`check_coordinates` looks at a layer's extent and refuses, naming the layer and the CRS the
coordinates probably are in:

* **degrees labelled as a projected CRS**: every coordinate is a possible longitude/latitude, the
  layer is less than :data:`DEGREE_EXTENT` unit across (no land project is 1 m wide, while a project
  or a city is well under 1° of longitude) and, read as longitude/latitude, it lies in the area the
  declared CRS is used for (so 114, 22 labelled EPSG:4547 is caught, while a 100 m test square at
  0, 0 is not). Degrees more than 1° across are left to the next check;
* **metres labelled as a geographic CRS**: a longitude beyond ±180 or a latitude beyond ±90;
* **projected coordinates far outside the CRS's area of use**: the extent cannot be converted to
  longitude/latitude (or does not convert back), or lies more than :data:`AREA_MARGIN_DEG` degrees
  (about 5,500 km) outside :attr:`pyproj.CRS.area_of_use`. The margin is generous on purpose:
  local test grids at 0, 0 of a Gauss-Krüger zone pass, while zone-prefixed Gauss-Krüger
  coordinates (38,500,000 m) or Web Mercator metres labelled as a Gauss-Krüger zone are refused.

Layers without any CRS are refused by :func:`~landcoord.allocation.crs.measurement_crs` and
:func:`~landcoord.allocation.crs.match_crs` themselves.

Examples
--------
>>> check_coordinates(pyproj.CRS.from_epsg(4547), (500000, 2500000, 501000, 2501000), "parcels")
>>> check_coordinates(pyproj.CRS.from_epsg(4547), (113.9, 22.5, 114.1, 22.7), "parcels")
Traceback (most recent call last):
...
landcoord.allocation.errors.CRSError: Layer 'parcels' says its CRS is EPSG:4547 (CGCS2000 / 3-degree Gauss-Kruger CM 114E), a projected CRS in metres, but its coordinates (113.9, 22.5 to 114.1, 22.7) look like longitude/latitude degrees: EPSG:4326 or EPSG:4490? Set the layer's CRS to the one it was drawn in (in QGIS: Layer Properties > Source > Assigned CRS) and run again.
"""  # noqa: E501

from __future__ import annotations

import math

import numpy as np
import pyproj

from .errors import CRSError
from .i18n import tr

__all__ = ["check_coordinates", "DEGREE_EXTENT", "AREA_MARGIN_DEG"]

#: A layer in a projected CRS less than this wide and high (CRS units: 1 m, while 1° is about
#: 100 km) may be degrees mislabelled.
DEGREE_EXTENT = 1.0
#: How far (degrees) outside its area of use a projected layer may lie before it is refused.
AREA_MARGIN_DEG = 50.0
#: Longitude/latitude box of China (for guessing EPSG:4490 rather than EPSG:4326).
_CHINA = (73.0, 18.0, 135.5, 54.0)


def _label(crs: pyproj.CRS) -> str:
    epsg = crs.to_epsg()
    return f"EPSG:{epsg} ({crs.name})" if epsg else crs.name


def _fmt_bounds(b) -> str:
    return "{:.6g}, {:.6g} to {:.6g}, {:.6g}".format(*b)


def _degrees_guess(b) -> str:
    minx, miny, maxx, maxy = b
    x0, y0, x1, y1 = _CHINA
    if x0 <= minx and maxx <= x1 and y0 <= miny and maxy <= y1:
        return tr("EPSG:4326 or EPSG:4490?")
    return "EPSG:4326?"


def _metres_guess(b) -> str:
    """The likely CRS of coordinates in metres (for a layer that says otherwise)."""
    minx, miny, maxx, maxy = b
    zone = int(minx // 1_000_000)
    if zone == int(maxx // 1_000_000) and 0 <= miny and maxy <= 10_000_000:
        if 25 <= zone <= 45:
            return tr(
                "these look like metres of a CGCS2000 3-degree Gauss-Krüger zone with the zone number in "
                "front of the easting (zone {zone}: EPSG:{epsg}?)",
                zone=zone,
                epsg=4513 + zone - 25,
            )
        if 13 <= zone <= 23:
            return tr(
                "these look like metres of a CGCS2000 6-degree Gauss-Krüger zone with the zone number in "
                "front of the easting (zone {zone}: EPSG:{epsg}?)",
                zone=zone,
                epsg=4491 + zone - 13,
            )
    if 100_000 <= minx and maxx <= 900_000 and 0 <= miny and maxy <= 10_000_000:
        return tr(
            "these look like projected metres of a Gauss-Krüger or UTM zone (e.g. EPSG:4547, "
            "CGCS2000 / 3-degree Gauss-Kruger CM 114E, for Shenzhen)?"
        )
    if max(abs(minx), abs(maxx)) <= 20_037_509 and max(abs(miny), abs(maxy)) <= 20_048_967:
        return tr("these look like projected metres (Web Mercator EPSG:3857, or a national grid)?")
    return tr("these are not coordinates of any usual CRS; check the file.")


def _gap(lo: float, hi: float, a: float, b: float) -> float:
    """Distance from the interval [lo, hi] to the interval [a, b] (0 when they overlap)."""
    return max(0.0, a - hi, lo - b)


def _lon_gap(lo: float, hi: float, a: float, b: float) -> float:
    """Like :func:`_gap` for longitudes, the short way round the globe."""
    return min(_gap(lo + k, hi + k, a, b) for k in (-360.0, 0.0, 360.0))


def _geographic_problem(crs, b, layer):
    minx, miny, maxx, maxy = b
    if max(abs(minx), abs(maxx)) <= 180.0 and max(abs(miny), abs(maxy)) <= 90.0:
        return None
    return tr(
        "Layer '{layer}' says its CRS is {crs}, in longitude/latitude degrees, but its coordinates "
        "({bounds}) are beyond ±180°/±90°: {guess} Set the layer's CRS to the one it was drawn in (in "
        "QGIS: Layer Properties > Source > Assigned CRS) and run again.",
        layer=layer,
        crs=_label(crs),
        bounds=_fmt_bounds(b),
        guess=_metres_guess(b),
    )


def _projected_problem(crs, b, layer):
    minx, miny, maxx, maxy = b
    area = crs.area_of_use
    if area is None:
        return None
    a_w, a_s, a_e, a_n = area.bounds
    if a_e < a_w:  # crosses the antimeridian
        a_e += 360.0
    fix = tr(
        "Set the layer's CRS to the one it was drawn in (in QGIS: Layer Properties > Source > Assigned "
        "CRS) and run again."
    )
    if (
        max(abs(minx), abs(maxx)) <= 180.0
        and max(abs(miny), abs(maxy)) <= 90.0
        and maxx - minx < DEGREE_EXTENT
        and maxy - miny < DEGREE_EXTENT
        and _lon_gap(minx, maxx, a_w, a_e) <= 1.0
        and _gap(miny, maxy, a_s, a_n) <= 1.0
    ):
        return tr(
            "Layer '{layer}' says its CRS is {crs}, a projected CRS in metres, but its coordinates "
            "({bounds}) look like longitude/latitude degrees: {guess} {fix}",
            layer=layer,
            crs=_label(crs),
            bounds=_fmt_bounds(b),
            guess=_degrees_guess(b),
            fix=fix,
        )
    # far outside the area of use: convert the corners (and the centre) to longitude/latitude
    xs = np.array([minx, maxx, minx, maxx, (minx + maxx) / 2])
    ys = np.array([miny, miny, maxy, maxy, (miny + maxy) / 2])
    try:
        geo = crs.geodetic_crs or pyproj.CRS.from_epsg(4326)
        inv = pyproj.Transformer.from_crs(crs, geo, always_xy=True)
        lon, lat = inv.transform(xs, ys, errcheck=False)
        bx, by = inv.transform(lon, lat, direction="INVERSE", errcheck=False)
        lon, lat, bx, by = (np.asarray(v, dtype=float) for v in (lon, lat, bx, by))
    except pyproj.exceptions.ProjError:
        lon = lat = bx = by = np.full(5, np.nan)
    scale = max(1.0, float(np.max(np.abs(np.concatenate([xs, ys])))))
    convertible = (
        np.all(np.isfinite(lon))
        and np.all(np.isfinite(lat))
        and np.all(np.abs(lat) <= 90.0)
        and np.all(np.isfinite(bx))
        and np.all(np.isfinite(by))
        and float(np.max(np.hypot(bx - xs, by - ys))) <= 1e-6 * scale + 1.0
    )
    if convertible:
        far = max(
            max(_lon_gap(float(x), float(x), a_w, a_e) for x in lon),
            max(_gap(float(y), float(y), a_s, a_n) for y in lat),
        )
        if far <= AREA_MARGIN_DEG:
            return None
    return tr(
        "Layer '{layer}' says its CRS is {crs}, but its coordinates ({bounds}) are far outside the area "
        "that CRS is used for ({area}: {west:.1f}°E to {east:.1f}°E, {south:.1f}°N to {north:.1f}°N): "
        "{guess} {fix}",
        layer=layer,
        crs=_label(crs),
        bounds=_fmt_bounds(b),
        area=area.name,
        west=area.west,
        east=area.east,
        south=area.south,
        north=area.north,
        guess=_metres_guess(b),
        fix=fix,
    )


def check_coordinates(crs: pyproj.CRS | None, bounds, layer: str) -> None:
    """Raise :class:`CRSError` when a layer's extent cannot be in the CRS it declares.

    ``bounds`` is ``(minx, miny, maxx, maxy)`` in ``crs``; None, or an empty layer's NaN extent, is
    not checked (there is nothing to measure). A CRS that only says it is undefined (a GeoPackage
    written without one) is refused as no CRS; ``crs`` None is left to the caller's message.
    """
    if crs is None:
        return
    crs = pyproj.CRS(crs)
    if crs.name.lower().startswith("undefined") and crs.to_epsg() is None:
        # a GeoPackage written without a CRS says "Undefined geographic SRS" (srs_id 0) or
        # "Undefined Cartesian SRS" (-1): no CRS at all, never measured as degrees or metres
        raise CRSError(
            tr(
                "Layer '{layer}' has no coordinate reference system (its file says '{name}'). Set its "
                "CRS (the CRS it was drawn in; for Shenzhen cadastres usually EPSG:4547) and run again.",
                layer=layer,
                name=crs.name,
            )
        )
    if bounds is None:
        return
    try:
        b = tuple(float(v) for v in bounds)
    except (TypeError, ValueError):
        return
    if len(b) != 4 or not all(math.isfinite(v) for v in b):
        return
    if crs.is_geographic:
        problem = _geographic_problem(crs, b, layer)
    elif crs.is_projected:
        problem = _projected_problem(crs, b, layer)
    else:
        problem = None
    if problem:
        raise CRSError(problem)
