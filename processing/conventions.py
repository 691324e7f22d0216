"""What QGIS users expect of a Processing provider: groups, search tags, and styled toolbox results.

* **Groups** in the order of the work: ``1 Analysis``, ``2 Allocation``, ``3 Consultation``,
  ``4 Hearing`` (the number keeps the toolbox's alphabetical order the workflow's); the group ids
  are stable ASCII, the names are translated (context ``LandcoordAlgorithm``).
* **Tags** in English and Chinese, so the toolbox search finds an algorithm by either (宗地, 留用地 ...).
* **Messages name layers as QGIS shows them** (:func:`layer_name`): a project layer by its name in the
  Layers panel, a file by its layer (``|layername=``) or file name, else the parameter's label.
* **Styled results**: a layer an algorithm writes gets, when the toolbox (or ``processing.runAndLoadResults``)
  loads it, the same style the dock gives it, through a ``QgsProcessingLayerPostProcessorInterface``
  on the layer's load details (:func:`style_on_completion`).
"""

from __future__ import annotations

from pathlib import Path

from qgis.core import QgsProcessingLayerPostProcessorInterface, QgsProviderRegistry, QgsVectorLayer
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

__all__ = [
    "GROUPS",
    "TAGS",
    "COMMON_TAGS",
    "STYLES",
    "group_name",
    "tags_for",
    "layer_name",
    "style_on_completion",
]

CONTEXT = "LandcoordAlgorithm"

#: group id -> group name (English; translated in context LandcoordAlgorithm)
GROUPS = {
    "analysis": QT_TRANSLATE_NOOP("LandcoordAlgorithm", "1 Analysis"),
    "allocation": QT_TRANSLATE_NOOP("LandcoordAlgorithm", "2 Allocation"),
    "consultation": QT_TRANSLATE_NOOP("LandcoordAlgorithm", "3 Consultation"),
    "hearing": QT_TRANSLATE_NOOP("LandcoordAlgorithm", "4 Hearing"),
}

#: tags every landcoord algorithm carries
COMMON_TAGS = ("landcoord", "land consolidation", "土地整备")

#: algorithm name -> search tags, English and Chinese (not translated: both are searched)
TAGS = {
    "affectedarea": (
        "affected area", "rights-holder", "parcel", "cadastre", "overlay", "gaps", "overlaps",
        "受影响面积", "权利人", "宗地", "地籍", "叠加", "缝隙", "重叠",
    ),
    "planconflicts": (
        "control lines", "one map", "conflicts", "zoning", "retained land",
        "控制线", "一张图", "冲突", "国土空间规划", "留用地",
    ),
    "cityscreen": (
        "city", "screening", "all projects", "cadastre", "parcel", "control lines", "one map",
        "全市", "筛查", "宗地", "地籍", "控制线", "一张图",
    ),
    "retainedquota": (
        "retained land", "quota", "rules", "floor area", "community",
        "留用地", "指标", "测算", "建筑面积", "规则", "社区",
    ),
    "benefitscenarios": (
        "benefit sharing", "scenarios", "compensation", "retained land", "community",
        "利益共享", "方案", "补偿", "留用地", "社区",
    ),
    "carveretained": (
        "retained land", "carve", "parcel", "roads", "minimum width", "community",
        "留用地", "选址", "划定", "宗地", "道路", "社区",
    ),
    "consentprogress": (
        "consent", "consultation", "ledger", "signing", "rights-holder",
        "协商", "签约", "同意", "台账", "权利人",
    ),
    "projectstage": (
        "stage", "procedure", "public notice", "approval", "four-eyes", "sign-off", "consultation",
        "阶段", "程序", "公示", "审批", "利益统筹", "权责清单",
    ),
    "landcoordchain": (
        "chain", "model", "batch", "whole workflow", "retained land", "hearing",
        "流程", "模型", "批处理", "留用地", "听证", "宗地",
    ),
    "hearingmaps": (
        "hearing", "hearing pack", "maps", "PDF", "rights-holder", "parcel",
        "听证", "听证材料", "地图", "权利人", "宗地",
    ),
}  # fmt: skip


def group_name(group_id: str) -> str:
    """The translated name of group ``group_id`` ("" for none)."""
    text = GROUPS.get(group_id)
    return QCoreApplication.translate(CONTEXT, text) if text else ""


def tags_for(algorithm_name: str) -> list[str]:
    """Search tags of ``algorithm_name``: its own, then the provider's."""
    return list(TAGS.get(algorithm_name, ())) + list(COMMON_TAGS)


def layer_name(algorithm, parameters, key: str, context, source=None) -> str:
    """The name of input ``key`` as the officer knows it, for messages.

    A layer of the project: its name in the Layers panel (``地籍图（2024）``), not its file. A file
    given by path: the layer inside it (``cadastre.gpkg|layername=parcels`` -> ``parcels``), else the
    file's name. Failing both, the source's own name or the parameter's label.
    """
    layer = None
    try:
        layer = algorithm.parameterAsVectorLayer(parameters, key, context)
    except Exception:  # noqa: BLE001 - a name for a message must never fail the run
        layer = None
    if layer is not None:
        project = context.project()
        if project is not None and project.mapLayer(layer.id()) is not None:
            return layer.name()
        parts = QgsProviderRegistry.instance().decodeUri(layer.providerType(), layer.source())
        if parts.get("layerName"):
            return str(parts["layerName"])
        if parts.get("path"):
            return Path(str(parts["path"])).stem
        if layer.name():
            return layer.name()
    if source is not None and source.sourceName():
        return source.sourceName()
    definition = algorithm.parameterDefinition(key)
    return definition.description() if definition is not None else key


# -- styles of toolbox results ------------------------------------------------------------------------
def _holder(layer):
    from ..ui.results import style_by_holder

    style_by_holder(layer)


def _community(layer):
    from ..ui.results import style_by_community

    style_by_community(layer)


def _severity(layer):
    from ..ui.results import style_by_severity

    style_by_severity(layer)


def _fill(colour: str, opacity: float):
    def apply(layer):
        from ..ui.results import style_fill

        style_fill(colour, opacity)(layer)

    return apply


def _consent(layer):
    from ..ui.results import style_categories
    from ..ui.step_consultation import CONSENT_COLOURS

    labels = {  # the dock's labels (ui/step_consultation.py), in its translation context
        "not_contacted": QCoreApplication.translate("ConsultationStep", "Not contacted (未接触)"),
        "contacted": QCoreApplication.translate("ConsultationStep", "Contacted (已接触)"),
        "negotiating": QCoreApplication.translate("ConsultationStep", "Negotiating (协商中)"),
        "agreed": QCoreApplication.translate("ConsultationStep", "Agreed (已同意)"),
        "signed": QCoreApplication.translate("ConsultationStep", "Signed (已签约)"),
        "refused": QCoreApplication.translate("ConsultationStep", "Refused (拒绝)"),
    }
    style_categories(layer, "status", colours=CONSENT_COLOURS, labels=labels, opacity=0.85)


#: algorithm name -> output -> the style the dock gives that output (ui/step_*.py)
STYLES = {
    "affectedarea": {
        "OUTPUT": _holder,
        "GAPS": _fill("#e53935", 0.9),
        "OVERLAPS": _fill("#8e24aa", 0.9),
    },
    "planconflicts": {"OUTPUT": _severity},
    "carveretained": {"OUTPUT": _community},
    "consentprogress": {"OUTPUT": _consent, "PIECES_STATUS": _consent},
}

#: the post-processors handed to QGIS: its load details keep only a pointer, so Python must keep
#: the objects alive until the layers are loaded (one per destination, replaced on a re-run)
_KEEP: dict[str, QgsProcessingLayerPostProcessorInterface] = {}


class StylePostProcessor(QgsProcessingLayerPostProcessorInterface):
    """Styles a loaded result layer as the dock does; a style that cannot apply is a warning."""

    def __init__(self, style, output_name: str):
        super().__init__()
        self._style = style
        self._output = output_name

    def postProcessLayer(self, layer, context, feedback):
        if not isinstance(layer, QgsVectorLayer) or not layer.isValid():
            return
        try:
            self._style(layer)
        except Exception as exc:  # noqa: BLE001 - a style must never lose the result
            if feedback is not None:
                feedback.pushWarning(
                    QCoreApplication.translate(
                        "LandcoordAlgorithm", "Layer '{layer}' was loaded unstyled: {why}"
                    ).format(layer=layer.name(), why=exc)
                )


def style_on_completion(algorithm_name: str, context, outputs: dict) -> dict:
    """Give each of ``outputs`` the toolbox loads on completion the dock's style; returns ``outputs``."""
    for key, style in STYLES.get(algorithm_name, {}).items():
        dest = outputs.get(key)
        if not isinstance(dest, str) or not dest or not context.willLoadLayerOnCompletion(dest):
            continue
        processor = StylePostProcessor(style, key)
        _KEEP[dest] = processor
        context.layerToLoadOnCompletionDetails(dest).setPostProcessor(processor)
    return outputs
