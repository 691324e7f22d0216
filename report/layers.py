"""The core's frames as QGIS memory layers, styled for the hearing sheets.

Every layer here is built from a frame of :class:`~landcoord.allocation.hearing.HearingData`, so it
carries only what may be printed (sheet codes and masked names, never an ID or phone number).
"""

from __future__ import annotations

import colorsys

from qgis.core import (
    Qgis,
    QgsCategorizedSymbolRenderer,
    QgsFillSymbol,
    QgsPalLayerSettings,
    QgsRendererCategory,
    QgsRuleBasedLabeling,
    QgsRuleBasedRenderer,
    QgsTextBufferSettings,
    QgsVectorLayer,
    QgsVectorLayerSimpleLabeling,
)
from qgis.PyQt.QtGui import QColor

from ..qgisio import frame_fields, qgs_crs, write_frame
from .fonts import text_format

__all__ = [
    "frame_layer",
    "holder_colour",
    "style_boundary",
    "style_parcels_by_holder",
    "style_parcels_base",
    "style_pieces_highlight",
    "style_controls",
    "style_retained",
    "style_conflicts",
    "label_layer",
    "CONTROL_COLOURS",
    "SEVERITY_COLOURS",
]

#: Outline colours of control-line kinds, by a word of the kind's name (first match wins).
CONTROL_COLOURS = (
    ("生态保护红线", "#d7191c"),
    ("生态红线", "#d7191c"),
    ("基本生态控制线", "#1a9641"),
    ("永久基本农田", "#a6761d"),
    ("基本农田", "#a6761d"),
    ("城镇开发边界", "#7b3294"),
    ("开发边界", "#7b3294"),
    ("道路红线", "#e66101"),
    ("绿线", "#4dac26"),
    ("蓝线", "#2c7bb6"),
    ("黄线", "#fdb863"),
    ("紫线", "#c51b7d"),
)
SEVERITY_COLOURS = {"blocking": "#d7191c", "review": "#fdae61", "advisory": "#abd9e9", "sliver": "#999999"}


def frame_layer(gdf, name: str, crs) -> QgsVectorLayer:
    """A memory layer holding ``gdf`` (polygons as MultiPolygon) in ``crs`` (a pyproj CRS)."""
    qcrs = qgs_crs(crs)
    layer = QgsVectorLayer("MultiPolygon", name, "memory")
    layer.setCrs(qcrs)
    fields = frame_fields(gdf)
    provider = layer.dataProvider()
    provider.addAttributes(fields.toList())
    layer.updateFields()
    write_frame(provider, gdf, layer.fields())
    layer.updateExtents()
    return layer


def holder_colour(i: int) -> QColor:
    """A distinct, pale-enough colour for the i-th holder (golden-ratio hues, deterministic)."""
    h = (0.07 + i * 0.6180339887) % 1.0
    s = 0.45 + 0.25 * ((i * 7) % 3) / 2
    v = 0.92 - 0.12 * ((i * 5) % 2)
    r, g, b = colorsys.hsv_to_rgb(h, s, v)
    return QColor.fromRgbF(r, g, b)


def _fill(
    color, outline="#555555", width=0.1, style="solid", outline_style="solid", alpha=255
) -> QgsFillSymbol:
    c = QColor(color)
    c.setAlpha(alpha)
    return QgsFillSymbol.createSimple(
        {
            "color": c.name(QColor.NameFormat.HexArgb) if alpha < 255 else c.name(),
            "style": style,
            "outline_color": outline,
            "outline_width": str(width),
            "outline_width_unit": "MM",
            "outline_style": outline_style,
        }
    )


def style_boundary(layer) -> None:
    layer.renderer().setSymbol(_fill("#ffffff", outline="#b2182b", width=0.8, style="no"))


def style_parcels_base(layer) -> None:
    """Every parcel in light grey: the base of the holder sheets."""
    layer.renderer().setSymbol(_fill("#f2f2f2", outline="#9a9a9a", width=0.08))


def style_parcels_by_holder(layer, holders, legend_count: int) -> list:
    """Parcels coloured by the sheet code of their holder (parcels of no affected holder in grey).

    Returns the category labels in the order of the renderer (the first ``legend_count`` are the
    largest holders, the ones the legend lists).
    """
    cats = []
    for i, (code, label) in enumerate(zip(holders["code"], holders["label"])):
        cats.append(
            QgsRendererCategory(
                code, _fill(holder_colour(i), outline="#666666", width=0.08), f"{code} {label}"
            )
        )
    cats.append(
        QgsRendererCategory("", _fill("#f2f2f2", outline="#b0b0b0", width=0.06), "项目外权利人 other parcels")
    )
    layer.setRenderer(QgsCategorizedSymbolRenderer("holder_code", cats))
    return [c.label() for c in cats]


def style_pieces_highlight(layer) -> None:
    """The atlas holder's pieces strongly filled; other pieces only outlined."""
    root = QgsRuleBasedRenderer.Rule(None)
    mine = QgsRuleBasedRenderer.Rule(
        _fill("#e34a33", outline="#7f0000", width=0.35, alpha=200),
        filterExp="\"holder_code\" = attribute(@atlas_feature, 'code')",
        label="本权利人受影响宗地 this holder's affected land",
    )
    others = QgsRuleBasedRenderer.Rule(
        _fill("#fde0c5", outline="#bdbdbd", width=0.08, alpha=140),
        filterExp="ELSE",
        label="其他权利人受影响宗地 other holders' affected land",
    )
    root.appendChild(mine)
    root.appendChild(others)
    layer.setRenderer(QgsRuleBasedRenderer(root))


def style_controls(layer, kinds) -> None:
    cats = []
    for kind in kinds:
        colour = next((c for w, c in CONTROL_COLOURS if w in kind), "#404040")
        # a boundary that land must lie inside is drawn as an outline only; zones to keep out of
        # are hatched
        style = "no" if "边界" in kind else "b_diagonal"
        sym = _fill(colour, outline=colour, width=0.5, style=style, outline_style="dash", alpha=90)
        cats.append(QgsRendererCategory(kind, sym, f"{kind}"))
    layer.setRenderer(QgsCategorizedSymbolRenderer("kind", cats))


def style_retained(layer) -> None:
    """Carved retained land: an opaque yellow fill under a dark hatch and a bold outline, drawn above
    the holders' colours (the maps list it above the parcels), so it never disappears under them."""
    symbol = _fill("#ffd92f", outline="#7f4f00", width=0.9, style="solid", alpha=235)
    hatch = _fill("#7f4f00", outline="#7f4f00", width=0.0, style="f_diagonal", outline_style="no")
    symbol.appendSymbolLayer(hatch.symbolLayer(0).clone())
    layer.renderer().setSymbol(symbol)


def style_conflicts(layer) -> None:
    cats = [
        QgsRendererCategory(k, _fill(c, outline=c, width=0.3, alpha=200), label)
        for k, c, label in (
            ("blocking", SEVERITY_COLOURS["blocking"], "禁止 blocking"),
            ("review", SEVERITY_COLOURS["review"], "需审查 review"),
            ("advisory", SEVERITY_COLOURS["advisory"], "提示 advisory"),
            ("sliver", SEVERITY_COLOURS["sliver"], "碎片 sliver"),
        )
    ]
    layer.setRenderer(QgsCategorizedSymbolRenderer("severity", cats))


def over_point_placement():
    """The "over point" label placement: ``Qgis.LabelPlacement.OverPoint`` (3.26+), else the old name.

    Since QGIS 3.38 ``QgsPalLayerSettings.OverPoint`` names a member of another enum, and setting
    it as a placement crashes; the scoped enum is the one that works on 3.34, 3.40 and QGIS 4.
    """
    scoped = getattr(Qgis, "LabelPlacement", None)
    if scoped is not None:
        return scoped.OverPoint
    return QgsPalLayerSettings.OverPoint  # QGIS < 3.26; qt6-ok: never reached on 3.34+


def label_layer(
    layer, expression: str, family: str, size: float, *, atlas_only: bool = False, fit_inside: bool = False
) -> None:
    """Label features with an expression (buffered text); ``atlas_only``: the atlas holder's only.

    Labels never overlap one another (a label that would is left out); with ``fit_inside`` a
    polygon's label is drawn only where it fits inside the polygon, so long parcel ids on a dense
    sheet never run over their neighbours into an unreadable block: the parcel table of the sheet
    lists every id.
    """
    settings = QgsPalLayerSettings()
    settings.fieldName = expression
    settings.isExpression = True
    fmt = text_format(family, size)
    buf = QgsTextBufferSettings()
    buf.setEnabled(True)
    buf.setSize(0.6)
    buf.setColor(QColor("#ffffff"))
    fmt.setBuffer(buf)
    settings.setFormat(fmt)
    settings.placement = over_point_placement()
    settings.centroidInside = True
    placement = settings.placementSettings()
    placement.setOverlapHandling(Qgis.LabelOverlapHandling.PreventOverlap)
    placement.setAllowDegradedPlacement(False)
    settings.setPlacementSettings(placement)
    settings.fitInPolygonOnly = bool(fit_inside)
    if atlas_only:
        rule = QgsRuleBasedLabeling.Rule(settings)
        rule.setFilterExpression("\"holder_code\" = attribute(@atlas_feature, 'code')")
        root = QgsRuleBasedLabeling.Rule(None)
        root.appendChild(rule)
        layer.setLabeling(QgsRuleBasedLabeling(root))
    else:
        layer.setLabeling(QgsVectorLayerSimpleLabeling(settings))
    layer.setLabelsEnabled(True)
