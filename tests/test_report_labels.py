"""Issue 19: the hearing maps' labels never overlap into an unreadable block, and carved retained land is
drawn above the holders' colours (real QGIS layers, styled as the pack styles them)."""

from __future__ import annotations

import pytest
from qgis.core import Qgis, QgsVectorLayer

pytestmark = pytest.mark.usefixtures("qgis_app")


def _layer():
    layer = QgsVectorLayer("Polygon?crs=EPSG:4547&field=parcel_id:string", "pieces", "memory")
    assert layer.isValid()
    return layer


def test_parcel_id_labels_fit_inside_their_parcel_and_never_overlap():
    from landcoord.report.layers import label_layer

    layer = _layer()
    label_layer(layer, '"parcel_id"', "Noto Sans CJK SC", 6.0, fit_inside=True)
    s = layer.labeling().settings()
    assert s.fitInPolygonOnly is True
    assert s.placementSettings().overlapHandling() == Qgis.LabelOverlapHandling.PreventOverlap
    assert s.placementSettings().allowDegradedPlacement() is False
    other = _layer()
    label_layer(other, '"parcel_id"', "Noto Sans CJK SC", 6.0)
    assert other.labeling().settings().fitInPolygonOnly is False


def test_retained_land_is_opaque_with_a_bold_outline():
    from landcoord.report.layers import style_retained

    layer = _layer()
    style_retained(layer)
    symbol = layer.renderer().symbol()
    fill = symbol.symbolLayer(0)
    assert fill.brushStyle() == 1 and fill.color().alpha() >= 200  # solid, nearly opaque
    assert fill.strokeWidth() >= 0.8
    assert symbol.symbolLayerCount() == 2  # the hatch above the fill
