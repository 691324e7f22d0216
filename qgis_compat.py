"""The QGIS and Qt names that differ between QGIS 3.34, 3.40 and QGIS 4 (Qt6), in one place.

landcoord supports QGIS 3.34 to 3.99 (PyQt5) and is written to run on QGIS 4 (PyQt6). The plugin
uses scoped enum names everywhere (``Qt.AlignmentFlag.AlignLeft``, ``Qgis.GeometryType.Polygon``);
where the scoped ``Qgis.*`` enum was added after 3.34 (the Processing enums moved to ``Qgis`` in
3.36, picture formats and scale bar modes in 3.40) the value comes from here: the new name when
this QGIS has it, else the 3.34 name. Field types likewise: ``QgsField(name, QMetaType.Type.Double)``
works from QGIS 3.38, earlier releases need ``QVariant.Double`` (which PyQt6 no longer has).

This is the only module that names the old spellings; ``tests/test_qt6_ready.py`` keeps them out
of the rest of the plugin.
"""

from __future__ import annotations

from qgis.core import (
    Qgis,
    QgsCoordinateReferenceSystem,
    QgsFeatureRequest,
    QgsLayoutItemPicture,
    QgsProcessing,
    QgsProcessingAlgorithm,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterField,
    QgsProcessingParameterFile,
    QgsProcessingParameterNumber,
    QgsProperty,
    QgsScaleBarSettings,
)
from qgis.PyQt.QtCore import QMetaType, QVariant

__all__ = [
    "METATYPE_FIELDS_FROM",
    "field_type",
    "enum_int",
    "pick",
    "COMPAT",
    "SOURCE_VECTOR",
    "SOURCE_VECTOR_ANY_GEOMETRY",
    "SOURCE_VECTOR_LINE",
    "SOURCE_VECTOR_POLYGON",
    "NUMBER_DOUBLE",
    "NUMBER_INTEGER",
    "PARAMETER_ADVANCED",
    "PARAMETER_OPTIONAL",
    "FIELD_ANY",
    "FIELD_NUMERIC",
    "FILE_FILE",
    "FILE_FOLDER",
    "ALGORITHM_NO_THREADING",
    "REQUEST_NO_GEOMETRY",
    "CRS_WKT_PREFERRED",
    "PROPERTY_STATIC",
    "PICTURE_SVG",
    "PICTURE_RASTER",
    "SCALEBAR_FIT_WIDTH",
]

#: QGIS 3.38 is the first release whose QgsField takes a QMetaType.Type
METATYPE_FIELDS_FROM = 33800

#: kind -> (QMetaType.Type name, QVariant.Type name)
_FIELD_TYPES = {
    "double": ("Double", "Double"),
    "int": ("Int", "Int"),
    "longlong": ("LongLong", "LongLong"),
    "string": ("QString", "String"),
    "bool": ("Bool", "Bool"),
    "date": ("QDate", "Date"),
    "datetime": ("QDateTime", "DateTime"),
}


def field_type(kind: str, version: int | None = None):
    """The field type for ``QgsField`` of ``kind`` (double, int, longlong, string, bool, date, datetime).

    ``QMetaType.Type`` from QGIS 3.38 (``version``, default this QGIS's ``Qgis.QGIS_VERSION_INT``),
    ``QVariant.Type`` before. The two enums share their numbers, so a field's ``type()`` compares
    equal to either.
    """
    try:
        meta, variant = _FIELD_TYPES[kind]
    except KeyError:
        raise ValueError(f"unknown field kind {kind!r}; one of {', '.join(_FIELD_TYPES)}") from None
    if (Qgis.QGIS_VERSION_INT if version is None else version) >= METATYPE_FIELDS_FROM:
        return getattr(QMetaType.Type, meta)
    return getattr(QVariant, variant)


def enum_int(value) -> int:
    """The number of a Qt or QGIS enum or flags value, for APIs that want an int.

    PyQt5's enums and flags are ints (``int(x)``); PyQt6's are ``enum.Enum``/``enum.Flag`` members,
    which ``int()`` refuses unless they are IntEnum/IntFlag, and which carry the number as ``.value``.
    """
    return int(getattr(value, "value", value))


def pick(new_owner, new: str, old_owner, old: str):
    """``new_owner.new`` (a dotted path) when this QGIS has it, else ``old_owner.old`` (3.34's name)."""
    value = new_owner
    try:
        for part in new.split("."):
            value = getattr(value, part)
        return value
    except AttributeError:
        value = old_owner
        for part in old.split("."):
            value = getattr(value, part)
        return value


#: name -> (new owner, new path, old owner, old path): the values below, for the tests to check
COMPAT = {
    "SOURCE_VECTOR": (Qgis, "ProcessingSourceType.Vector", QgsProcessing, "TypeVector"),
    "SOURCE_VECTOR_ANY_GEOMETRY": (
        Qgis,
        "ProcessingSourceType.VectorAnyGeometry",
        QgsProcessing,
        "TypeVectorAnyGeometry",
    ),
    "SOURCE_VECTOR_LINE": (Qgis, "ProcessingSourceType.VectorLine", QgsProcessing, "TypeVectorLine"),
    "SOURCE_VECTOR_POLYGON": (Qgis, "ProcessingSourceType.VectorPolygon", QgsProcessing, "TypeVectorPolygon"),
    "NUMBER_DOUBLE": (Qgis, "ProcessingNumberParameterType.Double", QgsProcessingParameterNumber, "Double"),
    "NUMBER_INTEGER": (
        Qgis,
        "ProcessingNumberParameterType.Integer",
        QgsProcessingParameterNumber,
        "Integer",
    ),
    "PARAMETER_ADVANCED": (
        Qgis,
        "ProcessingParameterFlag.Advanced",
        QgsProcessingParameterDefinition,
        "FlagAdvanced",
    ),
    "PARAMETER_OPTIONAL": (
        Qgis,
        "ProcessingParameterFlag.Optional",
        QgsProcessingParameterDefinition,
        "FlagOptional",
    ),
    "FIELD_ANY": (Qgis, "ProcessingFieldParameterDataType.Any", QgsProcessingParameterField, "Any"),
    "FIELD_NUMERIC": (
        Qgis,
        "ProcessingFieldParameterDataType.Numeric",
        QgsProcessingParameterField,
        "Numeric",
    ),
    "FILE_FILE": (Qgis, "ProcessingFileParameterBehavior.File", QgsProcessingParameterFile, "File"),
    "FILE_FOLDER": (Qgis, "ProcessingFileParameterBehavior.Folder", QgsProcessingParameterFile, "Folder"),
    "ALGORITHM_NO_THREADING": (
        Qgis,
        "ProcessingAlgorithmFlag.NoThreading",
        QgsProcessingAlgorithm,
        "FlagNoThreading",
    ),
    "REQUEST_NO_GEOMETRY": (Qgis, "FeatureRequestFlag.NoGeometry", QgsFeatureRequest, "NoGeometry"),
    "CRS_WKT_PREFERRED": (Qgis, "CrsWktVariant.Preferred", QgsCoordinateReferenceSystem, "WKT_PREFERRED"),
    "PROPERTY_STATIC": (Qgis, "PropertyType.Static", QgsProperty, "StaticProperty"),
    "PICTURE_SVG": (Qgis, "PictureFormat.SVG", QgsLayoutItemPicture, "FormatSVG"),
    "PICTURE_RASTER": (Qgis, "PictureFormat.Raster", QgsLayoutItemPicture, "FormatRaster"),
    "SCALEBAR_FIT_WIDTH": (
        Qgis,
        "ScaleBarSegmentSizeMode.FitWidth",
        QgsScaleBarSettings,
        "SegmentSizeFitWidth",
    ),
}

# Processing (Qgis.Processing* from 3.36; QgsProcessing*.* in 3.34)
SOURCE_VECTOR = pick(*COMPAT["SOURCE_VECTOR"])
SOURCE_VECTOR_ANY_GEOMETRY = pick(*COMPAT["SOURCE_VECTOR_ANY_GEOMETRY"])
SOURCE_VECTOR_LINE = pick(*COMPAT["SOURCE_VECTOR_LINE"])
SOURCE_VECTOR_POLYGON = pick(*COMPAT["SOURCE_VECTOR_POLYGON"])
NUMBER_DOUBLE = pick(*COMPAT["NUMBER_DOUBLE"])
NUMBER_INTEGER = pick(*COMPAT["NUMBER_INTEGER"])
PARAMETER_ADVANCED = pick(*COMPAT["PARAMETER_ADVANCED"])
PARAMETER_OPTIONAL = pick(*COMPAT["PARAMETER_OPTIONAL"])
FIELD_ANY = pick(*COMPAT["FIELD_ANY"])
FIELD_NUMERIC = pick(*COMPAT["FIELD_NUMERIC"])
FILE_FILE = pick(*COMPAT["FILE_FILE"])
FILE_FOLDER = pick(*COMPAT["FILE_FOLDER"])
ALGORITHM_NO_THREADING = pick(*COMPAT["ALGORITHM_NO_THREADING"])
# features, CRS and data-defined properties (Qgis.* from 3.36)
REQUEST_NO_GEOMETRY = pick(*COMPAT["REQUEST_NO_GEOMETRY"])
CRS_WKT_PREFERRED = pick(*COMPAT["CRS_WKT_PREFERRED"])
PROPERTY_STATIC = pick(*COMPAT["PROPERTY_STATIC"])
# layouts (Qgis.* from 3.40)
PICTURE_SVG = pick(*COMPAT["PICTURE_SVG"])
PICTURE_RASTER = pick(*COMPAT["PICTURE_RASTER"])
SCALEBAR_FIT_WIDTH = pick(*COMPAT["SCALEBAR_FIT_WIDTH"])
