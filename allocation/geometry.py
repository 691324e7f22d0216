"""Making polygon layers fit for exact area accounting, and saying what was changed.

Cadastres have invalid rings, empty geometries, Z values and stray non-polygon parts. Each is
handled here, vectorised, and reported by feature id so the officer can fix the source data.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import shapely

from ._parallel import chunked
from .errors import GeometryError, LayerError
from .i18n import tr, trn

__all__ = ["CleanReport", "clean_polygons", "polygonal_part", "as_multipolygons"]

_POLYGONAL = {"Polygon", "MultiPolygon"}


@dataclass
class CleanReport:
    """What :func:`clean_polygons` changed in a layer.

    Attributes hold the ids (as the user knows them: parcel ids, project ids) of the features
    concerned, so messages can name them.
    """

    layer: str
    repaired: list = field(default_factory=list)
    empty: list = field(default_factory=list)
    z_dropped: int = 0
    non_polygonal_dropped: list = field(default_factory=list)

    def messages(self) -> list[str]:
        """Human-readable notices, one per kind of change (empty list when nothing changed)."""
        out = []
        if self.repaired:
            fields = dict(layer=self.layer, n=len(self.repaired), ids=_ids(self.repaired))
            if len(self.repaired) == 1:
                msg = tr(
                    "Layer '{layer}': {n} invalid geometry repaired (make_valid, structure method): {ids}. "
                    "Check these features in the source data.",
                    **fields,
                )
            else:
                msg = tr(
                    "Layer '{layer}': {n} invalid geometries repaired (make_valid, structure method): {ids}. "
                    "Check these features in the source data.",
                    **fields,
                )
            out.append(msg)
        if self.empty:
            out.append(
                trn(
                    "Layer '{layer}': {n} feature with no or empty geometry kept in the attribute tables "
                    "but given no area: {ids}.",
                    "Layer '{layer}': {n} features with no or empty geometry kept in the attribute tables "
                    "but given no area: {ids}.",
                    len(self.empty),
                    layer=self.layer,
                    ids=_ids(self.empty),
                )
            )
        if self.z_dropped:
            out.append(
                trn(
                    "Layer '{layer}': Z/M values dropped from {n} geometry (areas are planar).",
                    "Layer '{layer}': Z/M values dropped from {n} geometries (areas are planar).",
                    self.z_dropped,
                    layer=self.layer,
                )
            )
        if self.non_polygonal_dropped:
            out.append(
                trn(
                    "Layer '{layer}': point or line parts dropped from {n} feature: {ids}.",
                    "Layer '{layer}': point or line parts dropped from {n} features: {ids}.",
                    len(self.non_polygonal_dropped),
                    layer=self.layer,
                    ids=_ids(self.non_polygonal_dropped),
                )
            )
        return out


def _ids(ids, limit: int = 20) -> str:
    shown = ", ".join(str(i) for i in ids[:limit])
    if len(ids) > limit:
        return tr("{ids} and {more} more", ids=shown, more=len(ids) - limit)
    return shown


def polygonal_part(geom):
    """The polygonal part of ``geom`` as a Polygon or MultiPolygon (or None when it has none).

    Examples
    --------
    >>> from shapely import GeometryCollection, LineString, box
    >>> polygonal_part(GeometryCollection([box(0, 0, 1, 1), LineString([(1, 1), (2, 2)])])).wkt
    'POLYGON ((1 0, 1 1, 0 1, 0 0, 1 0))'
    """
    if geom is None or geom.is_empty:
        return None
    kind = geom.geom_type
    if kind in _POLYGONAL:
        return geom
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in _POLYGONAL]
    polys = []
    for p in parts:
        polys.extend(shapely.get_parts(p) if p.geom_type == "MultiPolygon" else [p])
    if not polys:
        return None
    if len(polys) == 1:
        return polys[0]
    return shapely.MultiPolygon(polys)


def as_multipolygons(geoms: np.ndarray) -> np.ndarray:
    """Every Polygon in ``geoms`` wrapped as a one-part MultiPolygon (None stays None)."""
    out = np.asarray(geoms, dtype=object).copy()
    kinds = shapely.get_type_id(out)
    single = kinds == 3
    if single.any():
        out[single] = [shapely.MultiPolygon([g]) for g in out[single]]
    return out


def clean_polygons(geoms, ids, layer: str) -> tuple[np.ndarray, CleanReport]:
    """Repair a polygon layer's geometries for area accounting.

    Z and M are dropped, invalid geometries are repaired with GEOS MakeValid (structure method,
    collapsed parts dropped), point and line parts are dropped, and missing or empty geometries
    become ``None``. Nothing is silently lost: every change is listed in the returned report.

    Parameters
    ----------
    geoms : array-like of shapely geometries (or None)
    ids : sequence
        The id the user knows each feature by (used in the report).
    layer : str
        Layer name, for messages.

    Returns
    -------
    (numpy.ndarray of geometries or None, CleanReport)

    Raises
    ------
    LayerError
        When no feature of the layer has a polygonal geometry.

    Examples
    --------
    >>> from shapely import Polygon
    >>> bowtie = Polygon([(0, 0), (2, 2), (2, 0), (0, 2), (0, 0)])
    >>> out, report = clean_polygons([bowtie], ["P1"], "parcels")
    >>> round(out[0].area, 6), report.repaired
    (2.0, ['P1'])
    """
    geoms = np.asarray(geoms, dtype=object)
    ids = list(ids)
    report = CleanReport(layer=layer)
    out = geoms.copy()
    present = ~(shapely.is_missing(out) | shapely.is_empty(out))
    if present.any():
        _drop_z(out, present, report)
        _polygonal_only(out, present, ids, layer, report)
        _repair(out, ids, layer, report)
    missing = shapely.is_missing(out) | shapely.is_empty(out)
    out[missing] = None
    report.empty = [ids[i] for i in np.flatnonzero(missing)]
    return out, report


def _drop_z(out: np.ndarray, present: np.ndarray, report: CleanReport) -> None:
    """Drops Z (and M, where GEOS reads it) from ``out`` in place, counting the geometries."""
    has_z = np.zeros(len(out), dtype=bool)
    has_z[present] = shapely.has_z(out[present])
    if shapely.geos_version >= (3, 12, 0):  # older GEOS drops M when reading
        has_z[present] |= shapely.has_m(out[present])
    if has_z.any():
        out[has_z] = shapely.force_2d(out[has_z])
        report.z_dropped = int(has_z.sum())


def _polygonal_only(out: np.ndarray, present: np.ndarray, ids: list, layer: str, report: CleanReport) -> None:
    """Keeps the polygonal part of each geometry in ``out`` in place (listing features that lost point or
    line parts); raises when the layer holds no polygon at all."""
    kinds = np.full(len(out), -1)
    kinds[present] = shapely.get_type_id(out[present])
    if not np.isin(kinds[present], (3, 6, 7)).any():
        names = sorted({str(g.geom_type) for g in out[present]})
        raise LayerError(
            tr(
                "Layer '{layer}' holds no polygons (geometry types: {types}); choose a polygon layer.",
                layer=layer,
                types=", ".join(names),
            )
        )
    mixed = present & ~np.isin(kinds, (3, 6))
    for i in np.flatnonzero(mixed):
        part = polygonal_part(out[i])
        if part is None or part.geom_type != out[i].geom_type:
            report.non_polygonal_dropped.append(ids[i])
        out[i] = part


def _repair(out: np.ndarray, ids: list, layer: str, report: CleanReport) -> None:
    """Repairs invalid geometries of ``out`` in place with GEOS MakeValid (structure method, collapsed
    parts dropped), listing them; raises when one collapses to nothing."""
    present = ~(shapely.is_missing(out) | shapely.is_empty(out))
    invalid = np.zeros(len(out), dtype=bool)
    invalid[present] = ~chunked(shapely.is_valid, out[present])
    if not invalid.any():
        return
    fixed = shapely.make_valid(out[invalid], method="structure", keep_collapsed=False)
    for k, i in enumerate(np.flatnonzero(invalid)):
        part = polygonal_part(fixed[k])
        if part is None:
            raise GeometryError(
                tr(
                    "Layer '{layer}', feature {feature}: the geometry collapses to nothing when "
                    "repaired (a polygon with no area). Fix or delete this feature.",
                    layer=layer,
                    feature=ids[i],
                )
            )
        out[i] = part
        report.repaired.append(ids[i])
