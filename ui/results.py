"""Result layers: one layer-tree group per consolidation project, styled layers, replaced on re-runs.

Layers and groups the dock adds carry custom properties (``landcoord/setup`` on the group,
``landcoord/output`` on each layer) so they are found again after the project is reopened, even
when the officer renamed them.
"""

from __future__ import annotations

import colorsys
import logging
import os
from pathlib import Path

from qgis.core import (
    NULL,
    Qgis,
    QgsCategorizedSymbolRenderer,
    QgsFillSymbol,
    QgsLayerTreeGroup,
    QgsLayerTreeLayer,
    QgsProject,
    QgsRendererCategory,
    QgsSymbol,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtGui import QColor

from ..allocation.errors import OutputError

__all__ = [
    "GROUP_PROPERTY",
    "LAYER_PROPERTY",
    "ResultLayers",
    "style_categories",
    "style_by_holder",
    "style_by_community",
    "style_by_severity",
    "style_fill",
    "SEVERITY_COLOURS",
]

LOG = logging.getLogger("landcoord")
GROUP_PROPERTY = "landcoord/setup"
LAYER_PROPERTY = "landcoord/output"
FILE_PROPERTY = "landcoord/file"

SEVERITY_COLOURS = {
    "blocking": "#d7191c",
    "review": "#fdae61",
    "advisory": "#ffe066",
    "sliver": "#9e9e9e",
}


def tr(text: str) -> str:
    """Translate ``text`` (context ``@default``: lupdate's context for strings outside a class)."""
    return QCoreApplication.translate("@default", text)


def severity_label(value: str) -> str:
    labels = {
        "blocking": tr("Blocking"),
        "review": tr("Review"),
        "advisory": tr("Advisory"),
        "sliver": tr("Sliver (below tolerance)"),
    }
    return labels.get(value, value)


def palette(n: int, saturation: float = 0.55, value: float = 0.92) -> list[QColor]:
    """``n`` distinct, stable colours (golden-ratio hues)."""
    out = []
    for i in range(n):
        h = (0.11 + i * 0.618033988749895) % 1.0
        s = saturation if i % 2 == 0 else min(1.0, saturation + 0.2)
        v = value if i % 3 else value - 0.12
        r, g, b = colorsys.hsv_to_rgb(h, s, v)
        out.append(QColor.fromRgbF(r, g, b))
    return out


def _fill(colour: QColor | str, opacity: float = 0.85, outline: str = "#5a5a5a", width: float = 0.1):
    colour = QColor(colour)
    symbol = QgsFillSymbol.createSimple(
        {
            "color": f"{colour.red()},{colour.green()},{colour.blue()},255",
            "outline_color": outline,
            "outline_width": str(width),
            "outline_width_unit": "MM",
        }
    )
    symbol.setOpacity(opacity)
    return symbol


def _symbol_for(layer: QgsVectorLayer, colour: QColor | str, opacity: float):
    if layer.geometryType() == Qgis.GeometryType.Polygon:
        return _fill(colour, opacity)
    symbol = QgsSymbol.defaultSymbol(layer.geometryType())
    symbol.setColor(QColor(colour))
    symbol.setOpacity(opacity)
    return symbol


def style_categories(
    layer: QgsVectorLayer,
    field: str,
    colours: dict | None = None,
    labels: dict | None = None,
    null_label: str | None = None,
    opacity: float = 0.85,
) -> QgsCategorizedSymbolRenderer:
    """A categorised renderer on ``field``: one stable colour per value, NULL grey and last."""
    idx = layer.fields().indexFromName(field)
    if idx < 0:
        raise OutputError(
            tr("Layer '{layer}' has no field '{field}' to colour by.").format(layer=layer.name(), field=field)
        )
    values = [v for v in layer.uniqueValues(idx) if v is not None and v != NULL]
    values = sorted(values, key=lambda v: str(v))
    has_null = any(v is None or v == NULL for v in layer.uniqueValues(idx))
    auto = palette(len(values))
    categories = []
    for i, value in enumerate(values):
        colour = (colours or {}).get(value, auto[i])
        label = (labels or {}).get(value, str(value))
        categories.append(QgsRendererCategory(value, _symbol_for(layer, colour, opacity), label))
    if has_null:
        # the empty-string category is QGIS's "all other values": it is the one that draws NULL
        categories.append(
            QgsRendererCategory("", _symbol_for(layer, "#bdbdbd", opacity), null_label or tr("(none)"))
        )
    renderer = QgsCategorizedSymbolRenderer(field, categories)
    layer.setRenderer(renderer)
    layer.triggerRepaint()
    return renderer


def style_by_holder(layer: QgsVectorLayer, field: str = "holder") -> None:
    style_categories(layer, field, null_label=tr("(no rights-holder)"), opacity=0.8)


def style_by_community(layer: QgsVectorLayer, field: str = "community") -> None:
    style_categories(layer, field, null_label=tr("(no community)"), opacity=0.9)


def style_by_severity(layer: QgsVectorLayer, field: str = "severity") -> None:
    labels = {k: severity_label(k) for k in SEVERITY_COLOURS}
    style_categories(layer, field, colours=SEVERITY_COLOURS, labels=labels, opacity=0.75)


def style_fill(colour: str, opacity: float = 0.7):
    def apply(layer: QgsVectorLayer) -> None:
        if layer.isSpatial():
            from qgis.core import QgsSingleSymbolRenderer

            layer.setRenderer(QgsSingleSymbolRenderer(_symbol_for(layer, colour, opacity)))

    return apply


def _walk(group: QgsLayerTreeGroup):
    for child in group.children():
        if isinstance(child, QgsLayerTreeGroup):
            yield child
            yield from _walk(child)


def source_file(layer: QgsVectorLayer) -> str:
    """The file behind an OGR layer ('' for others)."""
    if layer is None or layer.providerType() != "ogr":
        return ""
    return layer.source().split("|")[0]


class ResultLayers:
    """Adds, finds and replaces the result layers of each consolidation project."""

    def __init__(self, project: QgsProject | None = None):
        self.project = project or QgsProject.instance()

    @staticmethod
    def group_title(setup) -> str:
        return tr("landcoord: {name}").format(name=setup.name)

    def group(self, setup, create: bool = True) -> QgsLayerTreeGroup | None:
        root = self.project.layerTreeRoot()
        for group in _walk(root):
            if group.customProperty(GROUP_PROPERTY) == setup.key:
                return group
        if not create:
            return None
        group = root.insertGroup(0, self.group_title(setup))
        group.setCustomProperty(GROUP_PROPERTY, setup.key)
        return group

    def rename_group(self, setup) -> None:
        group = self.group(setup, create=False)
        if group is not None:
            group.setName(self.group_title(setup))

    def layer(self, setup, output_key: str) -> QgsVectorLayer | None:
        layer_id = setup.results.get(output_key, "")
        layer = self.project.mapLayer(layer_id) if layer_id else None
        if layer is None:
            for candidate in self.project.mapLayers().values():
                if candidate.customProperty(LAYER_PROPERTY) == f"{setup.key}/{output_key}":
                    setup.results[output_key] = candidate.id()
                    return candidate
        return layer if isinstance(layer, QgsVectorLayer) else None

    def add(self, setup, output_key: str, uri: str, name: str, style=None, position: int | None = None):
        """Load ``uri`` as the result ``output_key`` of ``setup`` (replacing an earlier one).

        Returns ``(layer, replaced_files)``: files of replaced results that no layer uses any more.
        """
        layer = QgsVectorLayer(uri, name, "ogr")
        if not layer.isValid():
            raise OutputError(
                tr("The result '{name}' could not be loaded from {uri}.").format(name=name, uri=uri)
            )
        layer.setCustomProperty(LAYER_PROPERTY, f"{setup.key}/{output_key}")
        layer.setCustomProperty(FILE_PROPERTY, source_file(layer))
        if style is not None:
            style(layer)
        replaced = []
        old = self.layer(setup, output_key)
        group = self.group(setup)
        index = position
        if old is not None:
            node = group.findLayer(old.id())
            if node is not None and index is None:
                index = group.children().index(node)
            replaced.append(source_file(old))
            self.project.removeMapLayer(old.id())
        self.project.addMapLayer(layer, False)
        node = QgsLayerTreeLayer(layer)
        count = len(group.children())
        group.insertChildNode(count if index is None else min(index, count), node)
        setup.results[output_key] = layer.id()
        still_used = {source_file(lyr) for lyr in self.project.mapLayers().values()}
        return layer, [f for f in replaced if f and f not in still_used]

    def remove(self, setup) -> None:
        """Remove every result layer and the group of ``setup`` from the project."""
        for key in list(setup.results):
            layer = self.layer(setup, key)
            if layer is not None:
                self.project.removeMapLayer(layer.id())
        setup.results.clear()
        group = self.group(setup, create=False)
        if group is not None and group.parent() is not None:
            group.parent().removeChildNode(group)


def delete_files(paths, inside: str) -> list[str]:
    """Delete result files that lie inside the folder ``inside`` (never anything else, and never a
    file holding a consultation ledger)."""
    from ..allocation.io.outputs import is_ledger_file

    deleted = []
    root = Path(inside).resolve() if inside else None
    for path in paths:
        try:
            p = Path(path).resolve()
            if root is None or root not in p.parents or not p.is_file() or is_ledger_file(p):
                continue
            os.remove(p)
            deleted.append(str(p))
        except OSError as exc:
            LOG.warning("landcoord: could not delete the replaced result %s: %s", path, exc)
    return deleted
