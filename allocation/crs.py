"""Choosing the coordinate reference system areas are measured in.

Legal area in Chinese land administration is measured on the projection plane of the cadastre
(CGCS2000 3-degree Gauss-Krüger). A cadastre in a geographic CRS is never measured in degrees: it is
projected to the CGCS2000 3-degree Gauss-Krüger zone of its centre (for CGCS2000 data) or to the UTM
zone of its centre (anything else).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyproj

from .errors import CRSError
from .i18n import tr

__all__ = ["MeasureCRS", "measurement_crs", "cgcs2000_gk3_epsg", "to_crs", "match_crs"]


@dataclass(frozen=True)
class MeasureCRS:
    """The CRS areas are computed in, and why.

    Attributes
    ----------
    crs : pyproj.CRS
        A projected CRS.
    area_factor : float
        Multiply planar areas in ``crs`` units by this to get m² (1.0 for metre-based CRSs).
    note : str
        One sentence for the log and the output ("areas measured in EPSG:4547 ...").
    """

    crs: pyproj.CRS
    area_factor: float
    note: str

    @property
    def label(self) -> str:
        epsg = self.crs.to_epsg()
        return f"EPSG:{epsg}" if epsg else self.crs.name


def cgcs2000_gk3_epsg(lon: float) -> int:
    """EPSG code of the CGCS2000 3-degree Gauss-Krüger zone (CM only, no zone prefix) for ``lon``.

    Examples
    --------
    >>> cgcs2000_gk3_epsg(114.05)   # Shenzhen
    4547
    >>> cgcs2000_gk3_epsg(116.4)    # Beijing
    4548
    """
    cm = int(round(lon / 3.0)) * 3
    if not 75 <= cm <= 135:
        raise CRSError(
            tr(
                "Longitude {lon:.3f} lies outside the CGCS2000 3-degree Gauss-Krüger zones "
                "(central meridians 75°E-135°E); give the layer a projected CRS.",
                lon=lon,
            )
        )
    return 4534 + (cm - 75) // 3


def _is_cgcs2000(crs: pyproj.CRS) -> bool:
    geod = crs.geodetic_crs
    if geod is None:
        return False
    if geod.to_epsg() in (4490, 4479, 4480):
        return True
    return "2000" in (geod.datum.name if geod.datum else "") and "China" in geod.datum.name


def measurement_crs(crs: pyproj.CRS | None, bounds, layer: str) -> MeasureCRS:
    """The projected CRS to measure a layer's areas in.

    Parameters
    ----------
    crs : pyproj.CRS or None
        The layer's CRS.
    bounds : (minx, miny, maxx, maxy)
        The layer's extent in ``crs`` (used to pick a zone for geographic data).
    layer : str
        The layer's name, for messages.

    Examples
    --------
    >>> m = measurement_crs(pyproj.CRS.from_epsg(4490), (113.9, 22.5, 114.1, 22.7), "cadastre")
    >>> m.label
    'EPSG:4547'
    """
    if crs is None:
        raise CRSError(
            tr(
                "Layer '{layer}' has no coordinate reference system. Set its CRS (for Shenzhen "
                "cadastres usually EPSG:4547, CGCS2000 / 3-degree Gauss-Kruger CM 114E) and run again.",
                layer=layer,
            )
        )
    if crs.is_projected:
        unit = crs.axis_info[0].unit_conversion_factor if crs.axis_info else 1.0
        if abs(unit - 1.0) > 1e-12:
            note = tr(
                "areas measured on the projection plane of {crs} ({label}), units converted to metres "
                "(1 unit = {unit} m)",
                crs=crs.name,
                label=_label(crs),
                unit=unit,
            )
        else:
            note = tr(
                "areas measured on the projection plane of {crs} ({label})", crs=crs.name, label=_label(crs)
            )
        return MeasureCRS(crs, unit * unit, note)
    if not crs.is_geographic:
        raise CRSError(
            tr(
                "Layer '{layer}' has CRS {crs}, which is neither projected nor geographic; "
                "reproject it to a projected CRS in metres.",
                layer=layer,
                crs=crs.name,
            )
        )
    minx, miny, maxx, maxy = bounds
    if not np.all(np.isfinite([minx, miny, maxx, maxy])):
        raise CRSError(tr("Layer '{layer}' has no extent; is it empty?", layer=layer))
    lon, lat = (minx + maxx) / 2.0, (miny + maxy) / 2.0
    if _is_cgcs2000(crs):
        epsg = cgcs2000_gk3_epsg(lon)
        target = pyproj.CRS.from_epsg(epsg)
        note = tr(
            "layer '{layer}' is in the geographic CRS {crs}; areas measured in {target} (EPSG:{epsg}), "
            "the CGCS2000 3-degree Gauss-Krüger zone of the layer's centre",
            layer=layer,
            crs=_label(crs),
            target=target.name,
            epsg=epsg,
        )
    else:
        zone = int((lon + 180) // 6) + 1
        epsg = (32600 if lat >= 0 else 32700) + zone
        target = pyproj.CRS.from_epsg(epsg)
        note = tr(
            "layer '{layer}' is in the geographic CRS {crs}; areas measured in {target} (EPSG:{epsg}), "
            "the UTM zone of the layer's centre",
            layer=layer,
            crs=_label(crs),
            target=target.name,
            epsg=epsg,
        )
    return MeasureCRS(target, 1.0, note)


def _label(crs: pyproj.CRS) -> str:
    epsg = crs.to_epsg()
    return f"EPSG:{epsg}" if epsg else crs.name


def to_crs(gdf, target: pyproj.CRS):
    """``gdf`` in ``target`` (the same object when it is already there)."""
    if gdf.crs is not None and pyproj.CRS(gdf.crs).equals(target):
        return gdf
    return gdf.to_crs(target)


def match_crs(gdf, measure: MeasureCRS, *, layer: str, to_what: str, role: str | None = None):
    """``gdf`` in the measurement CRS, and the sentence saying it was reprojected (or None).

    Raises :class:`CRSError` naming the layer when it has no CRS: layers are never mixed silently.
    ``to_what`` ends the sentence ("... to match {to_what}.") and is already in the current language
    (e.g. ``tr("the cadastre")``); ``role`` is a parameter name (``EXCLUDE``), shown as it is.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely import box
    >>> m = measurement_crs(pyproj.CRS.from_epsg(4547), (0, 0, 1, 1), "parcels")
    >>> g = gpd.GeoDataFrame(geometry=[box(114.0, 22.6, 114.01, 22.61)], crs=4490)
    >>> g2, note = match_crs(g, m, layer="projects", to_what="the cadastre")
    >>> note
    "Layer 'projects' is in China Geodetic Coordinate System 2000; reprojected to CGCS2000 / 3-degree Gauss-Kruger CM 114E (EPSG:4547) to match the cadastre."
    """  # noqa: E501
    if gdf.crs is None:
        if role:
            msg = tr(
                "Layer '{layer}' ({role}) has no coordinate reference system. Set its CRS (the CRS it was "
                "drawn in) and run again.",
                layer=layer,
                role=role,
            )
        else:
            msg = tr(
                "Layer '{layer}' has no coordinate reference system. Set its CRS (the CRS it was drawn in) "
                "and run again.",
                layer=layer,
            )
        raise CRSError(msg)
    crs = pyproj.CRS(gdf.crs)
    if crs.equals(measure.crs):
        return gdf, None
    fields = dict(layer=layer, crs=crs.name, target=measure.crs.name, label=measure.label, to_what=to_what)
    if role:
        note = tr(
            "Layer '{layer}' ({role}) is in {crs}; reprojected to {target} ({label}) to match {to_what}.",
            role=role,
            **fields,
        )
    else:
        note = tr(
            "Layer '{layer}' is in {crs}; reprojected to {target} ({label}) to match {to_what}.", **fields
        )
    return to_crs(gdf, measure.crs), note
