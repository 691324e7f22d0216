"""Processing algorithm ``landcoord:planconflicts``: one-map conflicts of a proposal."""

from __future__ import annotations

from qgis.core import (
    Qgis,
    QgsProcessingException,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFile,
    QgsProcessingParameterNumber,
)

from ..qgis_compat import (
    FILE_FILE,
    NUMBER_DOUBLE,
    PARAMETER_ADVANCED,
    SOURCE_VECTOR,
    SOURCE_VECTOR_POLYGON,
    field_type,
)
from .base import (
    LandcoordAlgorithm,
    QgisFeedback,
    frame_fields,
    qgs_crs,
    source_near_frame,
    source_to_frame,
)
from .conventions import layer_name, style_on_completion
from .measure import add_measure_crs, measure_crs


class PlanConflicts(LandcoordAlgorithm):
    GROUP = "analysis"
    INPUT = "INPUT"
    INPUT_ID_FIELD = "INPUT_ID_FIELD"
    CONTROLS = "CONTROLS"
    KIND_FIELD = "KIND_FIELD"
    REGISTRY = "REGISTRY"
    TOLERANCE = "TOLERANCE"
    OUTPUT = "OUTPUT"
    SUMMARY = "SUMMARY"

    def name(self) -> str:
        return "planconflicts"

    def displayName(self) -> str:
        return self.tr("One-map conflicts")

    def shortHelpString(self) -> str:
        return self.tr(
            "Checks a proposal (retained-land parcels, a project boundary, a resettlement site, any "
            'polygons) against the control lines of the territorial spatial plan\'s "one map" '
            "(国土空间规划一张图) and reports where it crosses them, how badly and by which rule.\n\n"
            "Each zone's kind is read from the kind field and matched, ignoring case and spaces, "
            "against the names and aliases of the control-line registry (生态保护红线, 永久基本农田, "
            "城镇开发边界, 基本生态控制线, 道路红线, 绿线, 蓝线, 黄线, 紫线). A value the registry does "
            "not know stops the run with the list of known kinds; map it with an alias in your own "
            "registry file.\n\n"
            "For most kinds the conflict is the part of the proposal inside the kind's zones; for the "
            "urban development boundary it is the part outside them. Zones of one kind that overlap "
            "are counted once; touching along an edge is no conflict; an overlap smaller than the "
            "tolerance is reported with severity 'sliver'. Each input gets a verdict: blocked, "
            "review or clear.\n\n"
            "Areas are in m² on the projection plane of the proposal (a geographic proposal is "
            "measured in its CGCS2000 Gauss-Krüger or UTM zone); the control layer is reprojected "
            "to it. Rules whose source was not checked against the official text are marked "
            "unverified."
        )

    def initAlgorithm(self, config=None):
        polygon = [SOURCE_VECTOR_POLYGON]
        p = QgsProcessingParameterFeatureSource(self.INPUT, self.tr("Proposal"), polygon)
        p.setHelp(
            self.tr("Polygon layer with the proposal to check (retained land, a project boundary, ...).")
        )
        self.addParameter(p)
        p = QgsProcessingParameterField(
            self.INPUT_ID_FIELD,
            self.tr("Proposal id field"),
            parentLayerParameterName=self.INPUT,
            optional=True,
        )
        p.setHelp(
            self.tr(
                "Field with the id of each proposal feature; features with the same id are checked as "
                "one. Default: the feature id."
            )
        )
        self.addParameter(p)
        p = QgsProcessingParameterFeatureSource(self.CONTROLS, self.tr("Control lines"), polygon)
        p.setHelp(self.tr("Polygon layer of control zones of any kinds (控制线)."))
        self.addParameter(p)
        p = QgsProcessingParameterField(
            self.KIND_FIELD,
            self.tr("Kind field"),
            parentLayerParameterName=self.CONTROLS,
        )
        p.setHelp(
            self.tr(
                "Field with the kind of each control zone, e.g. 生态保护红线, 生态红线, ECO_RED or "
                "'ecological protection red line'."
            )
        )
        self.addParameter(p)
        p = QgsProcessingParameterFile(
            self.REGISTRY,
            self.tr("Control-line registry"),
            behavior=FILE_FILE,
            extension="toml",
            optional=True,
        )
        p.setFlags(p.flags() | PARAMETER_ADVANCED)
        p.setHelp(
            self.tr(
                "Your own registry file (TOML): local kinds, aliases or severities, merged over the "
                "registry shipped with landcoord. Default: the shipped registry."
            )
        )
        self.addParameter(p)
        p = QgsProcessingParameterNumber(
            self.TOLERANCE,
            self.tr("Sliver tolerance (m²)"),
            type=NUMBER_DOUBLE,
            defaultValue=1.0,
            minValue=0.0,
        )
        p.setHelp(
            self.tr(
                "Overlaps smaller than this area (per proposal feature and kind) are reported with "
                "severity 'sliver' and do not change the verdict."
            )
        )
        self.addParameter(p)
        p = QgsProcessingParameterFeatureSink(
            self.OUTPUT, self.tr("Conflicts"), SOURCE_VECTOR_POLYGON, createByDefault=True
        )
        p.setHelp(
            self.tr(
                "One polygon per proposal feature and control-line kind in conflict: input_id, kind, "
                "severity (blocking, review, advisory or sliver), conflict_area (m²), input_share, rule, "
                "source, and the ids of the control zones involved."
            )
        )
        self.addParameter(p)
        p = QgsProcessingParameterFeatureSink(
            self.SUMMARY,
            self.tr("Conflict verdict by proposal feature"),
            SOURCE_VECTOR,
            optional=True,
            createByDefault=True,
        )
        p.setHelp(
            self.tr(
                "One row per proposal feature: blocking_area, review_area, advisory_area (m², land under "
                "two kinds counted once) and the verdict: blocked, review or clear."
            )
        )
        self.addParameter(p)

        add_measure_crs(self)

    def processAlgorithm(self, parameters, context, feedback):
        from ..allocation.conflicts import plan_conflicts
        from ..allocation.errors import LandcoordError

        input_src = self.parameterAsSource(parameters, self.INPUT, context)
        if input_src is None:
            raise QgsProcessingException(self.invalidSourceError(parameters, self.INPUT))
        controls_src = self.parameterAsSource(parameters, self.CONTROLS, context)
        if controls_src is None:
            raise QgsProcessingException(self.invalidSourceError(parameters, self.CONTROLS))
        id_field = self.parameterAsString(parameters, self.INPUT_ID_FIELD, context) or None
        kind_field = self.parameterAsString(parameters, self.KIND_FIELD, context)
        registry = self.parameterAsFile(parameters, self.REGISTRY, context) or None
        tolerance = self.parameterAsDouble(parameters, self.TOLERANCE, context)

        iname = layer_name(self, parameters, self.INPUT, context, input_src) or self.tr("proposal")
        cname = layer_name(self, parameters, self.CONTROLS, context, controls_src) or self.tr("control lines")
        try:
            proposal = source_to_frame(input_src, [id_field], iname, feedback)
            # only the zones near the proposal are read whole; the others' kinds are checked too
            controls, far = source_near_frame(controls_src, kind_field, cname, proposal, feedback)
            feedback.setProgressText(
                self.tr("Checking {n} proposal features against {m} control zones").format(
                    n=len(proposal), m=len(controls)
                )
            )
            result = plan_conflicts(
                proposal,
                controls,
                kind_field=kind_field,
                input_id_field=id_field,
                registry=registry,
                tolerance=tolerance,
                feedback=QgisFeedback(feedback),
                far_zones=far,
                measure_crs=measure_crs(self, parameters, context),
            )
        except LandcoordError as exc:
            raise QgsProcessingException(str(exc)) from exc
        if feedback.isCanceled():
            return {}

        crs = qgs_crs(result.measure.crs)
        id_type = input_src.fields().field(id_field).type() if id_field else field_type("longlong")
        text = {
            c: field_type("string")
            for c in ("kind", "severity", "rule", "source", "kind_en", "rule_type", "rule_en")
            + ("adjustment", "adjustment_en", "zone_ids", "verdict", "kinds")
        }
        outputs = {}
        specs = (
            (self.OUTPUT, result.conflicts, Qgis.WkbType.MultiPolygon, {"input_id": id_type, **text}),
            (
                self.SUMMARY,
                result.summary,
                Qgis.WkbType.NoGeometry,
                {"input_id": id_type, "verdict": field_type("string"), "kinds": field_type("string")},
            ),
        )
        for key, frame, wkb_type, types in specs:
            fields = frame_fields(frame, {c: t for c, t in types.items() if c in frame.columns})
            self.write_output(parameters, key, context, frame, fields, wkb_type, crs, feedback, outputs)
        counts = result.summary["verdict"].value_counts()
        feedback.pushInfo(
            self.tr("{n} proposal features: {b} blocked, {r} to review, {c} clear").format(
                n=len(result.summary),
                b=int(counts.get("blocked", 0)),
                r=int(counts.get("review", 0)),
                c=int(counts.get("clear", 0)),
            )
        )
        return style_on_completion(self.name(), context, outputs)
