"""The whole landcoord chain as one Processing model: ``landcoord:landcoordchain``.

The model itself is the file ``landcoord_chain.model3`` beside this module, so batch and Model
Designer users get exactly what the provider lists. :func:`build_model` builds it and
:func:`write_model` writes it: run ``.venv/bin/python scripts/build_chain_model.py`` after changing
the chain (a test checks that the shipped file is what :func:`build_model` gives).
:class:`ChainModel` loads the file and shows its name, help and parameter labels in the user's
language.

The chain: affected area by rights-holder -> the community of each piece joined from the cadastre
(``native:joinattributestable``) -> retained-land quota -> benefit-sharing scenarios, and the
retained land carved to the quota -> its one-map conflicts -> the hearing pack (PDF) of one project.
"""

from __future__ import annotations

from pathlib import Path

from qgis.core import (
    QgsProcessingModelAlgorithm,
    QgsProcessingModelChildAlgorithm,
    QgsProcessingModelChildParameterSource,
    QgsProcessingModelOutput,
    QgsProcessingModelParameter,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFile,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QPointF

from ...qgis_compat import (
    FIELD_ANY,
    FIELD_NUMERIC,
    NUMBER_DOUBLE,
    NUMBER_INTEGER,
    SOURCE_VECTOR_LINE,
    SOURCE_VECTOR_POLYGON,
)

__all__ = ["MODEL_FILE", "MODEL_NAME", "ChainModel", "build_model", "load_chain"]

MODEL_FILE = Path(__file__).resolve().parent / "landcoord_chain.model3"
#: The id of the model in the provider (``landcoord:landcoordchain``).
MODEL_NAME = "landcoordchain"
CONTEXT = "ChainModel"

#: Every label stored in the model file, so the translation tools see them (context ChainModel).
LABELS = {
    "Land consolidation chain": QT_TRANSLATE_NOOP("ChainModel", "Land consolidation chain"),
    "Project boundaries": QT_TRANSLATE_NOOP("ChainModel", "Project boundaries"),
    "Project id field": QT_TRANSLATE_NOOP("ChainModel", "Project id field"),
    "Cadastral parcels": QT_TRANSLATE_NOOP("ChainModel", "Cadastral parcels"),
    "Parcel id field": QT_TRANSLATE_NOOP("ChainModel", "Parcel id field"),
    "Rights-holder field": QT_TRANSLATE_NOOP("ChainModel", "Rights-holder field"),
    "Legal status field": QT_TRANSLATE_NOOP("ChainModel", "Legal status field"),
    "Community field": QT_TRANSLATE_NOOP("ChainModel", "Community field"),
    "Buildings": QT_TRANSLATE_NOOP("ChainModel", "Buildings"),
    "Floor area field of the buildings": QT_TRANSLATE_NOOP("ChainModel", "Floor area field of the buildings"),
    "Legal status field of the buildings": QT_TRANSLATE_NOOP(
        "ChainModel", "Legal status field of the buildings"
    ),
    "Zoning (planned land use)": QT_TRANSLATE_NOOP("ChainModel", "Zoning (planned land use)"),
    "Land-use class field of the zoning": QT_TRANSLATE_NOOP(
        "ChainModel", "Land-use class field of the zoning"
    ),
    "Rule set (TOML)": QT_TRANSLATE_NOOP("ChainModel", "Rule set (TOML)"),
    "Scenarios file (TOML)": QT_TRANSLATE_NOOP("ChainModel", "Scenarios file (TOML)"),
    "Affected pieces": QT_TRANSLATE_NOOP("ChainModel", "Affected pieces"),
    "Affected area by holder": QT_TRANSLATE_NOOP("ChainModel", "Affected area by holder"),
    "Quota trail": QT_TRANSLATE_NOOP("ChainModel", "Quota trail"),
    "Scenarios by party": QT_TRANSLATE_NOOP("ChainModel", "Scenarios by party"),
    "Scenario chart": QT_TRANSLATE_NOOP("ChainModel", "Scenario chart"),
    "Land retained land may not use": QT_TRANSLATE_NOOP("ChainModel", "Land retained land may not use"),
    "Existing holdings of the communities": QT_TRANSLATE_NOOP(
        "ChainModel", "Existing holdings of the communities"
    ),
    "Community field of the holdings": QT_TRANSLATE_NOOP("ChainModel", "Community field of the holdings"),
    "Roads": QT_TRANSLATE_NOOP("ChainModel", "Roads"),
    "Minimum width (m)": QT_TRANSLATE_NOOP("ChainModel", "Minimum width (m)"),
    "Retained-land parcels": QT_TRANSLATE_NOOP("ChainModel", "Retained-land parcels"),
    "Control lines": QT_TRANSLATE_NOOP("ChainModel", "Control lines"),
    "Kind field": QT_TRANSLATE_NOOP("ChainModel", "Kind field"),
    "Conflicts of the retained land": QT_TRANSLATE_NOOP("ChainModel", "Conflicts of the retained land"),
    "Conflict verdicts": QT_TRANSLATE_NOOP("ChainModel", "Conflict verdicts"),
    "Project to print": QT_TRANSLATE_NOOP("ChainModel", "Project to print"),
    "Project name field": QT_TRANSLATE_NOOP("ChainModel", "Project name field"),
    "Holder type field": QT_TRANSLATE_NOOP("ChainModel", "Holder type field"),
    "Issuing office": QT_TRANSLATE_NOOP("ChainModel", "Issuing office"),
    "Resolution (DPI)": QT_TRANSLATE_NOOP("ChainModel", "Resolution (DPI)"),
    "At most this many holder sheets (0: all)": QT_TRANSLATE_NOOP(
        "ChainModel", "At most this many holder sheets (0: all)"
    ),
    "Hearing pack": QT_TRANSLATE_NOOP("ChainModel", "Hearing pack"),
}

# fmt: off
HELP = QT_TRANSLATE_NOOP("ChainModel", "The whole landcoord chain in one run, for batch processing and the Model Designer: affected area by rights-holder, the community of each piece joined from the cadastre, the retained-land quota with its trail, the benefit-sharing scenarios with their chart, the retained land carved to the quota clear of the land you exclude, its conflicts with the control lines of the one map, and the hearing pack (PDF) of the project you name. The same algorithms the dock runs step by step; open the model in the Model Designer to see or extend it.")  # noqa: E501 - one literal, for the translation tools
# fmt: on


def _tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


# -- building the model file ---------------------------------------------------------------------------
def _param(model, definition, x: float, y: float) -> None:
    component = QgsProcessingModelParameter(definition.name())
    component.setPosition(QPointF(x, y))
    component.setDescription(definition.description())
    model.addModelParameter(definition, component)


def _field(name, label, parent, optional=False, numeric=False):
    kind = FIELD_NUMERIC if numeric else FIELD_ANY
    return QgsProcessingParameterField(name, label, None, parent, kind, False, optional)


def _child(alg_id: str, child_id: str, description: str, x: float, y: float, sources: dict, outputs=None):
    child = QgsProcessingModelChildAlgorithm(alg_id)
    child.setChildId(child_id)
    child.setDescription(description)
    child.setPosition(QPointF(x, y))
    for name, source in sources.items():
        child.addParameterSources(name, source if isinstance(source, list) else [source])
    models = {}
    for model_name, (child_output, x_out, y_out) in (outputs or {}).items():
        output = QgsProcessingModelOutput(model_name, model_name)
        output.setChildId(child_id)
        output.setChildOutputName(child_output)
        output.setPosition(QPointF(x_out, y_out))
        models[model_name] = output
    child.setModelOutputs(models)
    return child


def build_model() -> QgsProcessingModelAlgorithm:
    """The chain model, as written to :data:`MODEL_FILE` (labels in English)."""
    polygon = [SOURCE_VECTOR_POLYGON]
    m = QgsProcessingModelAlgorithm("Land consolidation chain", "landcoord", "landcoord")
    m.setHelpContent({"ALG_DESC": HELP, "ALG_CREATOR": "landcoord", "ALG_VERSION": "1"})
    _param(m, QgsProcessingParameterFeatureSource("BOUNDARY", "Project boundaries", polygon), 120, 60)
    _param(m, _field("PROJECT_FIELD", "Project id field", "BOUNDARY", optional=True), 120, 110)
    _param(m, QgsProcessingParameterFeatureSource("CADASTRE", "Cadastral parcels", polygon), 120, 170)
    _param(m, _field("PARCEL_FIELD", "Parcel id field", "CADASTRE"), 120, 220)
    _param(m, _field("HOLDER_FIELD", "Rights-holder field", "CADASTRE"), 120, 270)
    _param(m, _field("STATUS_FIELD", "Legal status field", "CADASTRE", optional=True), 120, 320)
    _param(m, _field("COMMUNITY_FIELD", "Community field", "CADASTRE", optional=True), 120, 370)
    buildings = QgsProcessingParameterFeatureSource("BUILDINGS", "Buildings", polygon, None, True)
    _param(m, buildings, 120, 440)
    _param(
        m, _field("FLOOR_AREA_FIELD", "Floor area field of the buildings", "BUILDINGS", True, True), 120, 490
    )
    _param(
        m, _field("BUILDING_STATUS_FIELD", "Legal status field of the buildings", "BUILDINGS", True), 120, 540
    )
    zoning = QgsProcessingParameterFeatureSource("ZONING", "Zoning (planned land use)", polygon, None, True)
    _param(m, zoning, 120, 610)
    _param(m, _field("ZONING_FIELD", "Land-use class field of the zoning", "ZONING", optional=True), 120, 660)
    rules = QgsProcessingParameterFile("RULES", "Rule set (TOML)", extension="toml", optional=True)
    _param(m, rules, 120, 730)
    _param(m, QgsProcessingParameterFile("SCENARIOS", "Scenarios file (TOML)", extension="toml"), 120, 780)
    exclude = QgsProcessingParameterMultipleLayers(
        "EXCLUDE", "Land retained land may not use", SOURCE_VECTOR_POLYGON, None, True
    )
    _param(m, exclude, 120, 850)
    holdings = QgsProcessingParameterFeatureSource(
        "HOLDINGS", "Existing holdings of the communities", polygon, None, True
    )
    _param(m, holdings, 120, 900)
    _param(
        m, _field("HOLDINGS_FIELD", "Community field of the holdings", "HOLDINGS", optional=True), 120, 950
    )
    roads = QgsProcessingParameterFeatureSource(
        "ROADS", "Roads", [SOURCE_VECTOR_LINE, SOURCE_VECTOR_POLYGON], None, True
    )
    _param(m, roads, 120, 1000)
    width = QgsProcessingParameterNumber("MIN_WIDTH", "Minimum width (m)", NUMBER_DOUBLE, 20.0, False, 0.0)
    _param(m, width, 120, 1050)
    _param(m, QgsProcessingParameterFeatureSource("CONTROLS", "Control lines", polygon), 120, 1120)
    _param(m, _field("KIND_FIELD", "Kind field", "CONTROLS"), 120, 1170)
    _param(m, QgsProcessingParameterString("PROJECT", "Project to print", None, False, True), 120, 1240)
    _param(m, _field("PROJECT_NAME_FIELD", "Project name field", "BOUNDARY", optional=True), 120, 1290)
    _param(m, _field("HOLDER_TYPE_FIELD", "Holder type field", "CADASTRE", optional=True), 120, 1340)
    _param(m, QgsProcessingParameterString("OFFICE", "Issuing office", None, False, True), 120, 1390)
    dpi = QgsProcessingParameterNumber("DPI", "Resolution (DPI)", NUMBER_INTEGER, 200, False, 50, 1200)
    _param(m, dpi, 120, 1440)
    most = QgsProcessingParameterNumber(
        "MAX_HOLDERS",
        "At most this many holder sheets (0: all)",
        NUMBER_INTEGER,
        0,
        False,
        0,
    )
    _param(m, most, 120, 1490)

    P = QgsProcessingModelChildParameterSource.fromModelParameter  # noqa: N806 - short alias
    C = QgsProcessingModelChildParameterSource.fromChildOutput  # noqa: N806
    S = QgsProcessingModelChildParameterSource.fromStaticValue  # noqa: N806

    m.addChildAlgorithm(
        _child(
            "landcoord:affectedarea",
            "affectedarea",
            "Affected area by rights-holder",
            480,
            160,
            {
                "BOUNDARY": P("BOUNDARY"),
                "PROJECT_FIELD": P("PROJECT_FIELD"),
                "CADASTRE": P("CADASTRE"),
                "PARCEL_FIELD": P("PARCEL_FIELD"),
                "HOLDER_FIELD": P("HOLDER_FIELD"),
                "STATUS_FIELD": P("STATUS_FIELD"),
                "AREA_METHOD": S(0),
            },
            {"Affected pieces": ("OUTPUT", 700, 110), "Affected area by holder": ("SUMMARY", 700, 210)},
        )
    )
    m.addChildAlgorithm(
        _child(
            "native:joinattributestable",
            "community",
            "Community of each piece",
            480,
            360,
            {
                "INPUT": C("affectedarea", "OUTPUT"),
                "FIELD": S("parcel_id"),
                "INPUT_2": P("CADASTRE"),
                "FIELD_2": P("PARCEL_FIELD"),
                "FIELDS_TO_COPY": P("COMMUNITY_FIELD"),
                "METHOD": S(1),
                "DISCARD_NONMATCHING": S(False),
                "PREFIX": S(""),
            },
        )
    )
    m.addChildAlgorithm(
        _child(
            "landcoord:retainedquota",
            "retainedquota",
            "Retained-land quota",
            480,
            520,
            {
                "INPUT": C("community", "OUTPUT"),
                "COMMUNITY_FIELD": P("COMMUNITY_FIELD"),
                "BUILDINGS": P("BUILDINGS"),
                "FLOOR_AREA_FIELD": P("FLOOR_AREA_FIELD"),
                "ZONING": P("ZONING"),
                "ZONING_FIELD": P("ZONING_FIELD"),
                "RULES": P("RULES"),
                "OFFICIAL": S(False),
            },
            {"Quota trail": ("OUTPUT", 700, 520)},
        )
    )
    m.addChildAlgorithm(
        _child(
            "landcoord:benefitscenarios",
            "benefitscenarios",
            "Benefit-sharing scenarios",
            480,
            700,
            {
                "INPUT": C("community", "OUTPUT"),
                "COMMUNITY_FIELD": P("COMMUNITY_FIELD"),
                "QUOTA": C("retainedquota", "OUTPUT"),
                "BUILDINGS": P("BUILDINGS"),
                "FLOOR_AREA_FIELD": P("FLOOR_AREA_FIELD"),
                "BUILDING_STATUS_FIELD": P("BUILDING_STATUS_FIELD"),
                "SCENARIOS": P("SCENARIOS"),
                "OFFICIAL": S(False),
            },
            {"Scenarios by party": ("OUTPUT", 700, 680), "Scenario chart": ("CHART", 700, 740)},
        )
    )
    m.addChildAlgorithm(
        _child(
            "landcoord:carveretained",
            "carveretained",
            "Carve retained-land parcels",
            480,
            880,
            {
                "BOUNDARY": P("BOUNDARY"),
                "PROJECT_FIELD": P("PROJECT_FIELD"),
                "QUOTAS": C("retainedquota", "OUTPUT"),
                "EXCLUDE": P("EXCLUDE"),
                "PREFER": P("HOLDINGS"),
                "PREFER_FIELD": P("HOLDINGS_FIELD"),
                "ROADS": P("ROADS"),
                "MIN_WIDTH": P("MIN_WIDTH"),
            },
            {"Retained-land parcels": ("OUTPUT", 700, 880)},
        )
    )
    m.addChildAlgorithm(
        _child(
            "landcoord:planconflicts",
            "planconflicts",
            "One-map conflicts of the retained land",
            480,
            1060,
            {
                "INPUT": C("carveretained", "OUTPUT"),
                "INPUT_ID_FIELD": S("community"),
                "CONTROLS": P("CONTROLS"),
                "KIND_FIELD": P("KIND_FIELD"),
                "TOLERANCE": S(1.0),
            },
            {
                "Conflicts of the retained land": ("OUTPUT", 700, 1030),
                "Conflict verdicts": ("SUMMARY", 700, 1090),
            },
        )
    )
    m.addChildAlgorithm(
        _child(
            "landcoord:hearingmaps",
            "hearingmaps",
            "Hearing maps (PDF pack)",
            480,
            1300,
            {
                "BOUNDARY": P("BOUNDARY"),
                "PROJECT_FIELD": P("PROJECT_FIELD"),
                "PROJECT": P("PROJECT"),
                "PROJECT_NAME_FIELD": P("PROJECT_NAME_FIELD"),
                "CADASTRE": P("CADASTRE"),
                "PARCEL_FIELD": P("PARCEL_FIELD"),
                "HOLDER_FIELD": P("HOLDER_FIELD"),
                "HOLDER_TYPE_FIELD": P("HOLDER_TYPE_FIELD"),
                "STATUS_FIELD": P("STATUS_FIELD"),
                "PIECES": C("affectedarea", "OUTPUT"),
                "CONTROLS": P("CONTROLS"),
                "CONTROL_KIND_FIELD": P("KIND_FIELD"),
                "RETAINED": C("carveretained", "OUTPUT"),
                "CONFLICTS": C("planconflicts", "OUTPUT"),
                "CONFLICT_SUMMARY": C("planconflicts", "SUMMARY"),
                "QUOTA_TRAIL": C("retainedquota", "OUTPUT"),
                "SCENARIOS": C("benefitscenarios", "OUTPUT"),
                "CHART": C("benefitscenarios", "CHART"),
                "OFFICE": P("OFFICE"),
                "PAPER": S(0),
                "DPI": P("DPI"),
                "INTERNAL": S(False),
                "MAX_HOLDERS": P("MAX_HOLDERS"),
            },
            {"Hearing pack": ("OUTPUT", 700, 1300)},
        )
    )
    return m


def write_model(path: Path = MODEL_FILE) -> Path:
    """Write :func:`build_model` to ``path`` (needs the landcoord provider registered)."""
    model = build_model()
    if not model.toFile(str(path)):
        raise OSError(f"could not write the model to {path}")
    return path


# -- the model in the provider ------------------------------------------------------------------------------
class ChainModel(QgsProcessingModelAlgorithm):
    """The shipped chain model, with a stable id and its labels in the user's language."""

    def __init__(self, path: Path | None = MODEL_FILE):
        super().__init__()
        if path is not None:
            if not self.fromFile(str(path)):
                raise OSError(f"The landcoord model {path} could not be read.")
            self._translate()

    def _translate(self) -> None:
        for definition in self.parameterDefinitions():
            label = definition.description()
            if label in LABELS:
                definition.setDescription(_tr(label))

    def name(self) -> str:
        return MODEL_NAME

    def displayName(self) -> str:
        return _tr("Land consolidation chain")

    def group(self) -> str:
        return ""  # the whole chain stands above the groups of its steps

    def groupId(self) -> str:
        return ""

    def tags(self) -> list[str]:
        from ..conventions import tags_for

        return tags_for(MODEL_NAME)

    def helpUrl(self) -> str:
        from ..base import help_url

        return help_url(MODEL_NAME)

    def shortHelpString(self) -> str:
        return _tr(HELP)

    def reattach(self) -> None:
        """Read the model again now that its child algorithms can be found.

        The provider loads its algorithms before QGIS registers it, so when the model is first
        read its ``landcoord:`` children are not yet found and QGIS declares none of the model's
        outputs (``qgis_process help`` listed no outputs, and the toolbox offered no output files).
        Once the provider is registered, reading the same definition again attaches the children
        and declares every model output as a destination parameter and an output.
        """
        self.loadVariant(self.toVariant())
        self._translate()

    # -- the output guard over the whole chain (processing/guard.py). Each step guards its own
    # outputs against its own inputs, but a model output may name a file that is an input of
    # another step (the quota trail written onto the control lines' GeoPackage, read later by the
    # conflicts step): the model checks all of them against all of its inputs before any step runs.
    def checkParameterValues(self, parameters, context):
        from ..base import guarded_check

        return guarded_check(self, super().checkParameterValues(parameters, context), parameters, context)

    def prepareAlgorithm(self, parameters, context, feedback):
        from ..base import guard_outputs

        guard_outputs(self, parameters, context)
        return super().prepareAlgorithm(parameters, context, feedback)

    def createInstance(self):
        instance = ChainModel(path=None)
        instance.loadVariant(self.toVariant())
        instance._translate()
        return instance


def load_chain() -> ChainModel | None:
    """The chain model for the provider, or None when its file or a child algorithm is missing."""
    if not MODEL_FILE.exists():
        return None
    return ChainModel()
