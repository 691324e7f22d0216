"""Checks of a set-up before a step runs: clear messages instead of failures deep in an algorithm."""

from __future__ import annotations

from qgis.core import Qgis, QgsProject, QgsVectorLayer
from qgis.PyQt.QtCore import QCoreApplication

from .guard import SetupError

__all__ = [
    "LAYER_FILTERS",
    "layer_label",
    "field_label",
    "require_layer",
    "optional_layer",
    "require_field",
    "optional_field",
    "crs_notes",
]


def tr(text: str) -> str:
    """Translate ``text`` (context ``@default``: lupdate's context for strings outside a class)."""
    return QCoreApplication.translate("@default", text)


#: Which layers each role accepts (the layer combo boxes' filters).
LAYER_FILTERS = {
    "boundary": Qgis.LayerFilter.PolygonLayer,
    "cadastre": Qgis.LayerFilter.PolygonLayer,
    "buildings": Qgis.LayerFilter.PolygonLayer,
    "controls": Qgis.LayerFilter.PolygonLayer,
    "zoning": Qgis.LayerFilter.PolygonLayer,
    "holdings": Qgis.LayerFilter.PolygonLayer,
    "roads": Qgis.LayerFilter.LineLayer | Qgis.LayerFilter.PolygonLayer,
}

_GEOMETRIES = {
    role: (
        (Qgis.GeometryType.Line, Qgis.GeometryType.Polygon)
        if role == "roads"
        else (Qgis.GeometryType.Polygon,)
    )
    for role in LAYER_FILTERS
}


def layer_label(role: str) -> str:
    return {
        "boundary": tr("project boundaries"),
        "cadastre": tr("cadastral parcels"),
        "buildings": tr("buildings"),
        "controls": tr("control lines"),
        "zoning": tr("zoning"),
        "holdings": tr("community holdings"),
        "roads": tr("roads"),
    }.get(role, role)


def field_label(role: str) -> str:
    return {
        "project_id": tr("project id"),
        "project_name": tr("project name"),
        "zone_name": tr("control-line name"),
        "parcel_id": tr("parcel id"),
        "holder": tr("rights-holder"),
        "holder_type": tr("holder type"),
        "status": tr("legal status"),
        "community": tr("community"),
        "kind": tr("control-line kind"),
        "floor_area": tr("floor area"),
        "building_status": tr("building legal status"),
        "land_use": tr("land use"),
        "holdings_community": tr("community of the holdings"),
    }.get(role, role)


def optional_layer(project: QgsProject, setup, role: str) -> QgsVectorLayer | None:
    """The layer chosen for ``role``, checked; None when none is chosen."""
    layer_id = setup.layer_id(role)
    if not layer_id:
        return None
    layer = project.mapLayer(layer_id)
    if layer is None:
        raise SetupError(
            tr(
                "The layer chosen for the {what} is no longer in the QGIS project. "
                "Choose it again on the Project step."
            ).format(what=layer_label(role))
        )
    if not isinstance(layer, QgsVectorLayer) or not layer.isValid():
        raise SetupError(
            tr("Layer '{layer}' ({what}) cannot be read: repair its data source.").format(
                layer=layer.name(), what=layer_label(role)
            )
        )
    if layer.geometryType() not in _GEOMETRIES[role]:
        raise SetupError(
            tr("Layer '{layer}' cannot serve as the {what}: it has the wrong geometry type.").format(
                layer=layer.name(), what=layer_label(role)
            )
        )
    if layer.featureCount() == 0:
        raise SetupError(
            tr("Layer '{layer}' ({what}) is empty: choose a layer with features.").format(
                layer=layer.name(), what=layer_label(role)
            )
        )
    return layer


def require_layer(project: QgsProject, setup, role: str) -> QgsVectorLayer:
    layer = optional_layer(project, setup, role)
    if layer is None:
        raise SetupError(
            tr("Choose the layer of {what} on the Project step first.").format(what=layer_label(role))
        )
    return layer


def optional_field(layer: QgsVectorLayer | None, setup, role: str) -> str:
    """The field chosen for ``role`` ('' when none), checked against ``layer``."""
    name = setup.field(role)
    if not name or layer is None:
        return ""
    if layer.fields().indexFromName(name) < 0:
        available = ", ".join(f.name() for f in layer.fields()) or tr("(none)")
        raise SetupError(
            tr(
                "Layer '{layer}' has no field '{field}' (chosen as the {what}). "
                "Available fields: {available}. Choose one on the Project step."
            ).format(layer=layer.name(), field=name, what=field_label(role), available=available)
        )
    return name


def require_field(layer: QgsVectorLayer, setup, role: str) -> str:
    name = optional_field(layer, setup, role)
    if not name:
        raise SetupError(
            tr("Choose the {what} field of layer '{layer}' on the Project step.").format(
                what=field_label(role), layer=layer.name()
            )
        )
    return name


def crs_notes(reference: QgsVectorLayer, *others: QgsVectorLayer | None) -> list[str]:
    """Messages for layers whose CRS differs from ``reference`` (they are reprojected, never mixed)."""
    notes = []
    for other in others:
        if other is None or other.crs() == reference.crs():
            continue
        notes.append(
            tr(
                "Layer '{other}' is in {other_crs} and '{ref}' in {ref_crs}: '{other}' is reprojected "
                "to {ref_crs} for the computation."
            ).format(
                other=other.name(),
                other_crs=other.crs().authid() or other.crs().description(),
                ref=reference.name(),
                ref_crs=reference.crs().authid() or reference.crs().description(),
            )
        )
    return notes
