"""Choosing the coordinate reference system areas are measured in.

Legal area in Chinese land administration is measured on the projection plane of the cadastre
(CGCS2000 3-degree Gauss-Krüger). A cadastre in a geographic CRS is never measured in degrees: it is
projected to the CGCS2000 3-degree Gauss-Krüger zone of its centre (for CGCS2000 data), to the
national projection where one is known (:data:`NATIONAL_PROJECTIONS`, e.g. Lambert-93 in metropolitan
France; Japan's plane rectangular zone where only one zone is possible, :func:`japan_zone`), else to a
local transverse Mercator with scale factor 1 centred on the layer (never a UTM
zone, whose 0.9996 scale shrinks every area by 0.08 %, unless the officer asks for it).

One project run measures in one CRS: :func:`project_measurement_crs` applies the rule (the officer's
choice; else the boundary's projected CRS; else the cadastre's; else the national or local projection
at the boundary's centre) and every step (affected area, conflicts, quota, carving, hearing) uses it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import pyproj

from ._crs_plausible import check_coordinates
from .errors import CRSError
from .i18n import tr

__all__ = [
    "MeasureCRS",
    "measurement_crs",
    "project_measurement_crs",
    "parse_measure_crs",
    "local_tm",
    "national_projection",
    "NATIONAL_PROJECTIONS",
    "JAPAN_ZONES",
    "japan_zone",
    "scale_warning",
    "is_national_projection",
    "cgcs2000_gk3_epsg",
    "to_crs",
    "match_crs",
]


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

    def statement(self, ellipsoidal: bool = False) -> str:
        """The one line every output, table and hearing sheet prints: CRS and method.

        Examples
        --------
        >>> m = measurement_crs(pyproj.CRS.from_epsg(2154), (0, 0, 1, 1), "parcels")
        >>> m.statement()
        'planar areas in EPSG:2154 (RGF93 v1 / Lambert-93)'
        >>> m.statement(ellipsoidal=True)
        'ellipsoidal areas on the GRS 1980 ellipsoid (geometries in EPSG:2154)'
        """
        if ellipsoidal:
            ellps = self.crs.ellipsoid.name if self.crs.ellipsoid is not None else "?"
            return tr(
                "ellipsoidal areas on the {ellipsoid} ellipsoid (geometries in {label})",
                ellipsoid=ellps,
                label=self.label,
            )
        if self.label == self.crs.name:
            return tr("planar areas in {label}", label=self.label)
        return tr("planar areas in {label} ({crs})", label=self.label, crs=self.crs.name)


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
    check_coordinates(crs, bounds, layer)  # degrees labelled metres, metres labelled degrees, ...
    if crs.is_projected:
        return _projected_measure(crs)
    if not crs.is_geographic:
        raise CRSError(
            tr(
                "Layer '{layer}' has CRS {crs}, which is neither projected nor geographic; "
                "reproject it to a projected CRS in metres.",
                layer=layer,
                crs=crs.name,
            )
        )
    return _geographic_measure(crs, bounds, layer)


def _projected_measure(crs: pyproj.CRS) -> MeasureCRS:
    """A projected layer is measured on its own projection plane (its units converted to metres)."""
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


def _geographic_measure(crs: pyproj.CRS, bounds, layer: str) -> MeasureCRS:
    """A geographic layer is measured in the CGCS2000 Gauss-Krüger zone of its centre (CGCS2000 data),
    else in the national projection of the place, else in a local transverse Mercator with scale 1."""
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
    elif (
        national := national_projection(lon, lat, minx, miny, maxx, maxy, japan=_is_japanese(crs))
    ) is not None:
        epsg, region = national
        target = pyproj.CRS.from_epsg(epsg)
        note = tr(
            "layer '{layer}' is in the geographic CRS {crs}; areas measured in {target} (EPSG:{epsg}), "
            "the national projection of {region}",
            layer=layer,
            crs=_label(crs),
            target=target.name,
            epsg=epsg,
            region=region,
        )
    else:
        target = local_tm(crs, lon, lat)
        note = tr(
            "layer '{layer}' is in the geographic CRS {crs}; areas measured in {target}, a transverse "
            "Mercator projection with scale factor 1 centred on the layer (no national projection is "
            "known here; give a measuring CRS to use another)",
            layer=layer,
            crs=_label(crs),
            target=target.name,
        )
    return MeasureCRS(target, 1.0, note)


#: National projections for geographic data, tried in order: (EPSG code, region, lon/lat box the data
#: must lie in wholly). Chinese CGCS2000 data take their 3-degree Gauss-Krüger zone first; Japan's
#: zones are chosen by :func:`japan_zone`.
NATIONAL_PROJECTIONS = ((2154, "metropolitan France (RGF93 / Lambert-93)", (-5.5, 41.0, 10.0, 51.5)),)

#: Japan's plane rectangular coordinate systems (平面直角座標系) I-XIX on JGD2011 (EPSG:6669-6687), and the
#: same zones on JGD2000 (EPSG:2443-2461), in zone order.
JAPAN_ZONES = tuple(range(6669, 6688))
JAPAN_ZONES_JGD2000 = tuple(range(2443, 2462))


def national_projection(lon, lat, minx=None, miny=None, maxx=None, maxy=None, *, japan=True):
    """(EPSG code, region) of the national projection for data around ``lon``/``lat``, or None.

    ``japan=False`` leaves Japan's zones out (geographic data not on a Japanese datum, which may lie
    off Japan's coasts, e.g. on Korean islands inside the box of zone I).

    Examples
    --------
    >>> national_projection(2.35, 48.89)
    (2154, 'metropolitan France (RGF93 / Lambert-93)')
    >>> national_projection(138.24, 37.11)   # Joetsu, Niigata: zone VIII
    (6676, 'Japan (JGD2011 / Japan Plane Rectangular CS VIII)')
    >>> national_projection(138.6, 35.6) is None   # Yamanashi: zones VIII and IX both cover it
    True
    """
    box_ = (lon, lat, lon, lat) if minx is None else (minx, miny, maxx, maxy)
    for epsg, region, (x0, y0, x1, y1) in NATIONAL_PROJECTIONS:
        if x0 <= box_[0] and box_[2] <= x1 and y0 <= box_[1] and box_[3] <= y1:
            return epsg, region
    return japan_zone(*box_) if japan else None


def _is_japanese(crs: pyproj.CRS) -> bool:
    """Whether ``crs`` is on a Japanese datum (JGD2011, JGD2000 or Tokyo)."""
    geod = crs.geodetic_crs
    return geod is not None and geod.to_epsg() in (6668, 4612, 4301)


def japan_zone(minx, miny, maxx, maxy):
    """(EPSG code, region) of the JGD2011 plane rectangular zone of data in this lon/lat box, or None.

    A zone is assigned by prefecture (in Hokkaido, Tokyo, Okinawa and Kagoshima by island group), not
    by longitude. Without the prefectures' boundaries the zone is known only where it is the one
    possibility: the box lies wholly in that zone's EPSG area of use (the extent of its prefectures)
    and touches no other zone's. Elsewhere, near the boundary between two zones' prefectures, the answer
    is None (the caller then measures in a local transverse Mercator with scale factor 1).

    Examples
    --------
    >>> japan_zone(139.69, 35.68, 139.70, 35.69)   # Shinjuku, Tokyo: zones VIII and IX overlap here
    >>> japan_zone(141.34, 43.06, 141.36, 43.07)   # Sapporo: zone XI and XII both cover it
    >>> japan_zone(130.40, 33.58, 130.41, 33.59)   # Fukuoka: zones I and II
    >>> japan_zone(127.68, 26.21, 127.69, 26.22)   # Naha, Okinawa: zone XV only
    (6683, 'Japan (JGD2011 / Japan Plane Rectangular CS XV)')
    """
    touched = [
        (epsg, b)
        for epsg, b in _japan_areas()
        if b[0] <= maxx and minx <= b[2] and b[1] <= maxy and miny <= b[3]
    ]
    if len(touched) != 1:
        return None
    epsg, (x0, y0, x1, y1) = touched[0]
    if not (x0 <= minx and maxx <= x1 and y0 <= miny and maxy <= y1):
        return None
    return epsg, f"Japan ({pyproj.CRS.from_epsg(epsg).name})"


@cache
def _japan_areas() -> tuple:
    """((EPSG code, lon/lat box of its area of use), ...) of :data:`JAPAN_ZONES`, from PROJ's database."""
    return tuple((epsg, tuple(pyproj.CRS.from_epsg(epsg).area_of_use.bounds)) for epsg in JAPAN_ZONES)


def local_tm(geographic: pyproj.CRS, lon: float, lat: float) -> pyproj.CRS:
    """A transverse Mercator with scale factor 1 centred on ``lon``/``lat`` (rounded to 0.01°).

    The centre is rounded so that every step of a project run, whatever extent it sees, lands on the
    same CRS. Within a few km of the centre planar areas equal ellipsoidal ones to better than 1e-6.

    Examples
    --------
    >>> c = local_tm(pyproj.CRS.from_epsg(6668), 138.2457, 37.1149)
    >>> c.name
    'Local transverse Mercator k=1 at 138.25E 37.11N (JGD2011)'
    """
    from pyproj.crs import ProjectedCRS
    from pyproj.crs.coordinate_operation import TransverseMercatorConversion

    lon0, lat0 = round(float(lon), 2), round(float(lat), 2)
    geodetic = geographic.geodetic_crs or geographic
    ew = f"{abs(lon0):.2f}{'E' if lon0 >= 0 else 'W'}"
    ns = f"{abs(lat0):.2f}{'N' if lat0 >= 0 else 'S'}"
    return ProjectedCRS(
        conversion=TransverseMercatorConversion(
            latitude_natural_origin=lat0,
            longitude_natural_origin=lon0,
            false_easting=0.0,
            false_northing=0.0,
            scale_factor_natural_origin=1.0,
        ),
        geodetic_crs=geodetic,
        name=f"Local transverse Mercator k=1 at {ew} {ns} ({geodetic.name})",
    )


def parse_measure_crs(text, what: str = "--measure-crs") -> pyproj.CRS | None:
    """The officer's measuring CRS (``EPSG:2154``, WKT, PROJ string), or None when not given.

    Raises :class:`CRSError` when it is not a CRS or not projected (areas are never measured in
    degrees).

    Examples
    --------
    >>> parse_measure_crs("EPSG:4547").to_epsg()
    4547
    >>> parse_measure_crs("") is None
    True
    """
    if text is None:
        return None
    if isinstance(text, pyproj.CRS):
        crs = text
    else:
        text = str(text).strip()
        if not text:
            return None
        try:
            crs = pyproj.CRS.from_user_input(text)
        except pyproj.exceptions.CRSError:
            raise CRSError(
                tr(
                    "{what} '{value}' is not a coordinate reference system; give one like EPSG:4547.",
                    what=what,
                    value=text,
                )
            ) from None
    if not crs.is_projected:
        raise CRSError(
            tr(
                "{what} {value} is not a projected CRS; areas are measured on a projection plane in "
                "metres (e.g. EPSG:4547 or EPSG:2154).",
                what=what,
                value=_label(crs),
            )
        )
    return crs


def _chosen(crs: pyproj.CRS, why: str) -> MeasureCRS:
    unit = crs.axis_info[0].unit_conversion_factor if crs.axis_info else 1.0
    return MeasureCRS(crs, unit * unit, why)


def project_measurement_crs(boundary, cadastre=None, *, choice=None) -> MeasureCRS:
    """The one measuring CRS of a project run.

    The officer's ``choice`` (a projected CRS); else the boundary's projected CRS; else the
    cadastre's projected CRS; else, for geographic data, the national projection at the boundary's
    centre (CGCS2000 Gauss-Krüger zone, :data:`NATIONAL_PROJECTIONS`) or a local transverse Mercator
    with scale factor 1 (:func:`measurement_crs`). Every step of a run calls this with the same
    layers (or passes the result on), so affected area, conflicts, quota, carving and hearing all
    measure in the same CRS.

    Parameters
    ----------
    boundary, cadastre : GeoDataFrame or None
        The project boundaries and the cadastre (or the layer that plays its part: control zones,
        pieces).
    choice : pyproj.CRS, str or None
        The officer's measuring CRS (``--measure-crs``, Processing MEASURE_CRS, the dock setting).

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely import box
    >>> b = gpd.GeoDataFrame(geometry=[box(650000, 6860000, 651000, 6861000)], crs=2154)
    >>> c = b.to_crs(4326)
    >>> project_measurement_crs(b, c).label
    'EPSG:2154'
    >>> project_measurement_crs(c, c).label
    'EPSG:2154'
    >>> project_measurement_crs(c, b, choice="EPSG:32631").label
    'EPSG:32631'
    """
    chosen = parse_measure_crs(choice)
    if chosen is not None:
        return _chosen(
            chosen, tr("areas measured in {label} ({crs}), as chosen", label=_label(chosen), crs=chosen.name)
        )
    layers = [(g, role) for g, role in ((boundary, "boundary"), (cadastre, "cadastre")) if g is not None]
    for k, (g, _role) in enumerate(layers):
        if g.crs is not None and pyproj.CRS(g.crs).is_projected:
            crs = pyproj.CRS(g.crs)
            m = measurement_crs(crs, g.total_bounds, _layer_name(g))
            first = layers[0][0]
            if k > 0 and first.crs is not None and pyproj.CRS(first.crs).is_geographic:
                note = tr(
                    "layer '{layer}' is in the geographic CRS {crs}; areas measured in {target} ({label}), "
                    "the projected CRS of layer '{other}'",
                    layer=_layer_name(first),
                    crs=_label(pyproj.CRS(first.crs)),
                    target=crs.name,
                    label=_label(crs),
                    other=_layer_name(g),
                )
                m = MeasureCRS(m.crs, m.area_factor, note)
            return m
    for g, _role in layers:
        if g.crs is not None and len(g):
            return measurement_crs(pyproj.CRS(g.crs), g.total_bounds, _layer_name(g))
    g = layers[0][0] if layers else None
    return measurement_crs(None, (np.nan,) * 4, _layer_name(g) if g is not None else "?")


def _layer_name(g) -> str:
    return str(getattr(g, "attrs", {}).get("name", "layer"))


#: Planar and ellipsoidal area of a project may differ by this share before a warning is given.
SCALE_TOLERANCE = 1e-4


def scale_warning(measure: MeasureCRS, project, geom) -> str | None:
    """The warning when ``geom``'s planar area in ``measure`` differs from its ellipsoidal area by
    more than 0.01 % (:data:`SCALE_TOLERANCE`), else None.

    Examples
    --------
    >>> from shapely import box
    >>> m = measurement_crs(pyproj.CRS.from_epsg(32631), (0, 0, 1, 1), "parcels")
    >>> "0.0" in scale_warning(m, "P1", box(448000, 5411000, 449000, 5412000))
    True
    >>> scale_warning(m, "P1", box(448000, 5411000, 448000, 5411000)) is None
    True
    """
    import shapely

    if geom is None or geom.is_empty:
        return None
    planar = float(geom.area) * measure.area_factor
    geodetic = measure.crs.geodetic_crs
    if planar <= 0 or geodetic is None:
        return None
    to_geo = pyproj.Transformer.from_crs(measure.crs, geodetic, always_xy=True)
    lonlat = shapely.transform(geom, lambda xy: np.column_stack(to_geo.transform(xy[:, 0], xy[:, 1])))
    ellipsoidal = abs(geodetic.get_geod().geometry_area_perimeter(lonlat)[0])
    if ellipsoidal <= 0:
        return None
    diff = planar / ellipsoidal - 1.0
    if abs(diff) <= SCALE_TOLERANCE:
        return None
    fields = dict(project=project, label=measure.label, planar=planar, ellipsoidal=ellipsoidal, diff=diff)
    lon, lat = shapely.centroid(lonlat).coords[0]
    if is_national_projection(measure.crs, lon, lat):
        # another planar CRS would not help: the national projection is the one the law measures in
        return tr(
            "Project {project}: the planar area in {label} ({planar:,.2f} m²) differs from the ellipsoidal "
            "area ({ellipsoidal:,.2f} m²) by {diff:+.3%}; {label} is the national projection here and its "
            "scale distorts areas this much at this place, so no other planar CRS would do better. Where "
            "the rules allow it, measure on the ellipsoid (--ellipsoidal; the Ellipsoidal area method in "
            "Processing and the dock).",
            **fields,
        )
    return tr(
        "Project {project}: the planar area in {label} ({planar:,.2f} m²) differs from the ellipsoidal "
        "area ({ellipsoidal:,.2f} m²) by {diff:+.3%}; the projection's scale distorts areas here. "
        "Measure in the national projection (--measure-crs) or on the ellipsoid.",
        **fields,
    )


def is_national_projection(crs: pyproj.CRS, lon: float, lat: float) -> bool:
    """Whether ``crs`` is the national projection at ``lon``/``lat``: the CGCS2000 3-degree
    Gauss-Krüger zone of that longitude (with or without the zone number in the false easting), the
    projection :data:`NATIONAL_PROJECTIONS` gives for that place, or Japan's plane rectangular zone
    where :func:`japan_zone` knows it (on JGD2011 or JGD2000). A UTM zone, Web Mercator or a 6-degree
    zone is not.

    Examples
    --------
    >>> is_national_projection(pyproj.CRS.from_epsg(2154), 2.35, 48.69)
    True
    >>> is_national_projection(pyproj.CRS.from_epsg(32631), 2.35, 48.69)
    False
    >>> is_national_projection(pyproj.CRS.from_epsg(4547), 114.05, 22.55)   # CM 114E
    True
    >>> is_national_projection(pyproj.CRS.from_epsg(4526), 114.05, 22.55)   # zone 38, CM 114E
    True
    >>> is_national_projection(pyproj.CRS.from_epsg(4548), 114.05, 22.55)   # CM 117E
    False
    """
    epsg = crs.to_epsg()
    if epsg is None:
        return False
    national = national_projection(lon, lat)
    if national is not None and national[0] == epsg:
        return True
    if national is not None and national[0] in JAPAN_ZONES:  # the same zone on the older datum
        return epsg == JAPAN_ZONES_JGD2000[JAPAN_ZONES.index(national[0])]
    try:
        cm_epsg = cgcs2000_gk3_epsg(lon)
    except CRSError:  # outside China's zones
        return False
    return epsg in (cm_epsg, cm_epsg - _GK3_ZONE_NUMBERED_OFFSET)


#: EPSG:4513-4533 (CGCS2000 3-degree Gauss-Krüger zones 25-45, zone number in the false easting) are
#: EPSG:4534-4554 (the same zones named by central meridian) less 21.
_GK3_ZONE_NUMBERED_OFFSET = 21


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
    check_coordinates(crs, gdf.total_bounds if len(gdf) else None, layer)
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
