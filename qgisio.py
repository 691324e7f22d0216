"""QGIS <-> GeoDataFrame conversions, shared by the Processing provider and the report writer.

Features are read into GeoDataFrames and written back as WKB (fast both ways); attribute values
become plain Python (NULL as None) and back; CRSs are converted between QGIS and pyproj.

This module is neutral ground: it imports QGIS, :mod:`landcoord.qgis_compat` and the core
(:mod:`landcoord.allocation`), and nothing of :mod:`landcoord.processing`, :mod:`landcoord.report`
or :mod:`landcoord.ui`, so that both the provider and the report may import it without a loop.
"""

from __future__ import annotations

import numpy as np
from qgis.core import (
    NULL,
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsFeatureRequest,
    QgsFeatureSink,
    QgsField,
    QgsFields,
    QgsGeometry,
    QgsProcessingException,
    QgsRectangle,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QVariant

from .qgis_compat import CRS_WKT_PREFERRED, REQUEST_NO_GEOMETRY, field_type

__all__ = [
    "source_to_frame",
    "source_near_frame",
    "frame_fields",
    "write_frame",
    "qgs_crs",
    "qgs_to_pyproj",
]


def _py(value):
    """A QGIS attribute value as plain Python (NULL becomes None)."""
    if value is None:
        return None
    if isinstance(value, QVariant):
        return None if value.isNull() else value.value()
    if hasattr(value, "toPyDateTime"):
        return value.toPyDateTime()
    if hasattr(value, "toPyDate"):
        return value.toPyDate()
    return value


def source_to_frame(source, fields, name: str, feedback=None, selected_ids=None, rect=None):
    """Read a feature source into a GeoDataFrame (index = feature id) for the core.

    Parameters
    ----------
    source : QgsFeatureSource
    fields : list of str
        Attribute fields to read (empty strings and None are skipped).
    name : str
        Layer name for messages (``attrs['name']``).

    Curved geometries are segmentised and M values dropped here (GEOS 3.11 does not keep M);
    Z values are left for the core to drop and report.
    """
    import geopandas as gpd
    import pandas as pd
    import shapely

    wanted = [f for f in fields if f]
    layer_fields = source.fields()
    missing = [f for f in wanted if layer_fields.indexFromName(f) < 0]
    if missing:
        from .allocation.errors import FieldError

        raise FieldError(name, missing[0], [f.name() for f in layer_fields])
    request = QgsFeatureRequest().setSubsetOfAttributes(wanted, layer_fields)
    if selected_ids is not None:
        request.setFilterFids(list(selected_ids))
    if rect is not None:
        request.setFilterRect(rect)
    idx = [layer_fields.indexFromName(f) for f in wanted]
    fids, wkbs, cols = [], [], [[] for _ in wanted]
    curved = m_dropped = 0
    for feat in source.getFeatures(request):
        if feedback is not None and feedback.isCanceled():
            break
        fids.append(feat.id())
        attrs = feat.attributes()
        for c, i in zip(cols, idx):
            c.append(_py(attrs[i]))
        geom = feat.geometry()
        if geom.isNull() or geom.isEmpty():
            wkbs.append(None)
            continue
        wkb_type = geom.wkbType()
        if QgsWkbTypes.isCurvedType(wkb_type):
            geom = QgsGeometry(geom.constGet().segmentize())
            curved += 1
        if QgsWkbTypes.hasM(geom.wkbType()):
            geom = QgsGeometry(geom.constGet().clone())
            geom.get().dropMValue()
            m_dropped += 1
        wkbs.append(bytes(geom.asWkb()))
    geoms = shapely.from_wkb(np.array(wkbs, dtype=object))
    crs = qgs_to_pyproj(source.sourceCrs())
    index = pd.Index(fids)
    gdf = gpd.GeoDataFrame(
        pd.DataFrame({f: pd.Series(c, dtype=object, index=index) for f, c in zip(wanted, cols)}, index=index),
        geometry=gpd.GeoSeries(geoms, index=index, crs=crs),
        crs=crs,
    )
    gdf.attrs["name"] = name
    if feedback is not None:
        if curved:
            feedback.pushInfo(f"Layer '{name}': {curved} curved geometries converted to straight segments.")
        if m_dropped:
            feedback.pushInfo(f"Layer '{name}': M values dropped from {m_dropped} geometries.")
    return gdf


def source_near_frame(source, field: str, name: str, near, feedback=None):
    """The zones of ``source`` near the frame ``near`` (read whole), and ``field`` of all the others.

    As :func:`landcoord.allocation.io.files.read_layer_near`: when the extent of ``near`` is at most a
    quarter of the source's, only the features meeting it are read with their geometry (through
    the provider's spatial index); of the rest only ``field`` is read, without geometry.
    Returns ``(GeoDataFrame, Series)`` indexed by feature id.
    """
    import pandas as pd

    from .allocation.io.files import boxes_in_crs, near_extent

    def everything():
        return source_to_frame(source, [field], name, feedback), pd.Series([], dtype=object)

    boxes = boxes_in_crs(near, qgs_to_pyproj(source.sourceCrs()))
    extent = source.sourceExtent()
    if boxes is None or not len(boxes) or extent.isEmpty():
        return everything()
    bbox = near_extent(boxes, (extent.xMinimum(), extent.yMinimum(), extent.xMaximum(), extent.yMaximum()))
    if bbox is None:
        return everything()
    x0, y0, x1, y1 = bbox
    gdf = source_to_frame(source, [field], name, feedback, rect=QgsRectangle(x0, y0, x1, y1)).sort_index()
    fields = source.fields()
    request = QgsFeatureRequest().setFlags(REQUEST_NO_GEOMETRY).setSubsetOfAttributes([field], fields)
    i = fields.indexFromName(field)
    near_ids = set(gdf.index.tolist())
    fids, values = [], []
    for feat in source.getFeatures(request):
        if feat.id() not in near_ids:
            fids.append(feat.id())
            values.append(_py(feat.attributes()[i]))
    return gdf, pd.Series(values, index=pd.Index(fids), dtype=object)


def qgs_to_pyproj(crs: QgsCoordinateReferenceSystem):
    import pyproj

    if not crs.isValid():
        return None
    auth = crs.authid()
    if auth.upper().startswith("EPSG:"):
        return pyproj.CRS.from_user_input(auth)
    return pyproj.CRS.from_wkt(crs.toWkt(CRS_WKT_PREFERRED))


def qgs_crs(crs) -> QgsCoordinateReferenceSystem:
    """A pyproj CRS as a ``QgsCoordinateReferenceSystem``."""
    epsg = crs.to_epsg()
    if epsg:
        return QgsCoordinateReferenceSystem(f"EPSG:{epsg}")
    return QgsCoordinateReferenceSystem.fromWkt(crs.to_wkt())


_VARIANT = {
    "f": field_type("double"),
    "i": field_type("longlong"),
    "u": field_type("longlong"),
    "b": field_type("bool"),
}


def frame_fields(df, types: dict | None = None) -> QgsFields:
    """QGIS fields for a frame's columns (geometry excluded); ``types`` overrides by column."""
    types = types or {}
    out = QgsFields()
    geom = getattr(df, "_geometry_column_name", None)
    for col in df.columns:
        if col == geom:
            continue
        if col in types:
            vt = types[col]
        else:
            kind = df[col].dtype.kind
            vt = _VARIANT.get(kind)
            if vt is None:
                vals = [v for v in df[col].tolist() if v is not None and v == v]
                if vals and all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in vals):
                    vt = field_type("longlong")
                elif vals and all(isinstance(v, (float, int, np.number)) for v in vals):
                    vt = field_type("double")
                else:
                    vt = field_type("string")
        out.append(QgsField(col, vt))
    return out


def _plain(value, vtype):
    if value is None:
        return NULL
    if isinstance(value, float) and value != value:
        return NULL
    if isinstance(value, np.generic):
        value = value.item()
        if isinstance(value, float) and value != value:
            return NULL
    if vtype == field_type("string") and not isinstance(value, str):
        return str(value)
    return value


def write_frame(sink, df, fields: QgsFields, feedback=None, multi: bool = True) -> int:
    """Add every row of ``df`` to ``sink``; returns the count written.

    A Processing algorithm writes through :func:`landcoord.processing.base.write_frame`, which also
    counts the features for the output check of its sinks.
    """
    import shapely

    if sink is None:
        return 0
    names = [f.name() for f in fields]
    vtypes = [f.type() for f in fields]
    geom_col = getattr(df, "_geometry_column_name", None)
    wkbs = None
    if geom_col is not None and geom_col in df.columns:
        wkbs = shapely.to_wkb(df[geom_col].values, flavor="iso")
    columns = [df[n].tolist() for n in names]
    n = len(df)
    for i in range(n):
        if feedback is not None and feedback.isCanceled():
            break
        feat = QgsFeature(fields)
        feat.setAttributes([_plain(c[i], t) for c, t in zip(columns, vtypes)])
        if wkbs is not None and wkbs[i] is not None:
            g = QgsGeometry()
            g.fromWkb(wkbs[i])
            if multi:
                g.convertToMultiType()
            feat.setGeometry(g)
        if not sink.addFeature(feat, QgsFeatureSink.Flag.FastInsert):
            raise QgsProcessingException(f"Could not write feature {i} to the output.")
    return n
