"""Processing algorithm ``landcoord:retainedquota``: retained-land quota with its trail."""

from __future__ import annotations

from qgis.core import (
    Qgis,
    QgsProcessingException,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFile,
)

from ..qgis_compat import FIELD_NUMERIC, PARAMETER_ADVANCED, SOURCE_VECTOR, SOURCE_VECTOR_POLYGON, field_type
from . import decision
from .base import (
    PIECE_FIELDS,
    LandcoordAlgorithm,
    QgisFeedback,
    frame_fields,
    piece_fields,
    source_to_frame,
    write_frame,
)
from .conventions import layer_name


def default_rules_path() -> str:
    from ..allocation.rules import shipped_rule_sets

    return str(shipped_rule_sets()["shenzhen_benefit_coordination"])


class RetainedQuota(LandcoordAlgorithm):
    GROUP = "allocation"
    INPUT = "INPUT"
    STATUS_MAP = "STATUS_MAP"
    COMMUNITY_FIELD = "COMMUNITY_FIELD"
    BUILDINGS = "BUILDINGS"
    FLOOR_AREA_FIELD = "FLOOR_AREA_FIELD"
    ZONING = "ZONING"
    ZONING_FIELD = "ZONING_FIELD"
    RULES = "RULES"
    OFFICIAL = "OFFICIAL"
    OUTPUT = "OUTPUT"

    def name(self) -> str:
        return "retainedquota"

    def displayName(self) -> str:
        return self.tr("Retained-land quota (留用地) with its trail")

    def shortHelpString(self) -> str:
        return self.tr(
            "Computes the retained-land quota, the planned floor area and the land left to the "
            "government per project (and per community), from the parcel pieces of 'Affected area by "
            "rights-holder' and a rule set file. The output is the trail of the calculation: one row "
            "per step (data, rule values, formulas, verdict, results), each naming its rule, its "
            "source and whether it is verified.\n\n"
            "Rule values that no source confirmed ship EMPTY in the rule sets: a result that needs "
            "an empty or unverified value is flagged NOT OFFICIAL in the trail (row 'official'), and "
            "with 'Official result only' the algorithm refuses to run. Never type in a number that "
            "was not read in its source: copy the rule set, fill in the values with their document, "
            "article and address, and set verified = true.\n\n"
            "The community of each piece comes from a field of the pieces (join it from the parcels "
            "first, e.g. with 'Join attributes by field value' on parcel_id)."
        )

    def initAlgorithm(self, config=None):
        p = QgsProcessingParameterFeatureSource(
            self.INPUT, self.tr("Parcel pieces (output of Affected area)"), [SOURCE_VECTOR]
        )
        p.setHelp(
            self.tr("The pieces written by landcoord:affectedarea, with fields {fields}.").format(
                fields=", ".join(PIECE_FIELDS)
            )
        )
        self.addParameter(p)
        p = QgsProcessingParameterFile(
            self.STATUS_MAP,
            self.tr("Status map (CSV, XLSX or TOML)"),
            optional=True,
            fileFilter=self.tr("Status maps (*.csv *.xlsx *.toml)"),
        )
        p.setHelp(
            self.tr(
                "Which legal status is legal land, uncompensated land or state land: a table with "
                "columns status,category (category legal, uncompensated or state) or a TOML file with "
                "a [status_map] table. It updates the default, which covers the statuses of the "
                "domain primer (房地产证, 出让合同, 非农建设用地, 征地返还用地, "
                "历史遗留违法建筑确认, 旧屋村: legal; 未完善征转手续: uncompensated; 国有储备用地: state)."
            )
        )
        self.addParameter(p)
        p = QgsProcessingParameterField(
            self.COMMUNITY_FIELD,
            self.tr("Community field"),
            parentLayerParameterName=self.INPUT,
            optional=True,
        )
        p.setHelp(
            self.tr(
                "Field of the pieces naming the community of each holder; the quota is then per community."
            )
        )
        self.addParameter(p)
        p = QgsProcessingParameterFeatureSource(
            self.BUILDINGS, self.tr("Buildings"), [SOURCE_VECTOR_POLYGON], optional=True
        )
        p.setHelp(self.tr("Building footprints with their floor area, for the existing floor area and FAR."))
        self.addParameter(p)
        p = QgsProcessingParameterField(
            self.FLOOR_AREA_FIELD,
            self.tr("Floor area field of the buildings"),
            parentLayerParameterName=self.BUILDINGS,
            type=FIELD_NUMERIC,
            optional=True,
        )
        p.setHelp(self.tr("Total floor area of each building in m² (建筑面积)."))
        self.addParameter(p)
        p = QgsProcessingParameterFeatureSource(
            self.ZONING,
            self.tr("Zoning (planned land use)"),
            [SOURCE_VECTOR_POLYGON],
            optional=True,
        )
        p.setHelp(
            self.tr(
                "Planned land use, for geometric conditions such as the Shenzhen entry condition "
                "(the largest contiguous block of uncompensated planned construction land)."
            )
        )
        self.addParameter(p)
        p = QgsProcessingParameterField(
            self.ZONING_FIELD,
            self.tr("Land-use class field of the zoning"),
            parentLayerParameterName=self.ZONING,
            optional=True,
        )
        p.setHelp(self.tr("Land-use class code (用地性质), e.g. R2, M1, GIC, E1."))
        self.addParameter(p)
        p = QgsProcessingParameterFile(
            self.RULES,
            self.tr("Rule set (TOML)"),
            defaultValue=default_rules_path(),
            fileFilter=self.tr("Rule sets (*.toml)"),
        )
        p.setHelp(
            self.tr(
                "Rule set file. Shipped: shenzhen_benefit_coordination.toml (area ratios EMPTY), "
                "guangdong_2016.toml, and examples/shenzhen_example.toml (made-up values, never official)."
            )
        )
        self.addParameter(p)
        p = QgsProcessingParameterBoolean(self.OFFICIAL, self.tr("Official result only"), defaultValue=False)
        p.setFlags(p.flags() | PARAMETER_ADVANCED)
        p.setHelp(
            self.tr(
                "Fail, writing nothing, unless every result is official: all the values and formulas it "
                "depends on verified and filled in, conditions met, and the rule set not an example."
            )
        )
        self.addParameter(p)
        decision.add_parameters(self)
        p = QgsProcessingParameterFeatureSink(self.OUTPUT, self.tr("Quota trail"), SOURCE_VECTOR)
        p.setHelp(
            self.tr(
                "Table: project, community, item, quantity, value, unit, rule, source, verified, note; "
                "one row per step, ending with the verdict and the results."
            )
        )
        self.addParameter(p)

    def _plan_decision(self, parameters, context, rules):
        """The decision this run records (None without LEDGER), checked before any work."""
        from ..allocation.decisions import quota_decision_kind
        from ..allocation.rules import load_rules

        def what():
            rs = load_rules(rules)
            return quota_decision_kind(rs), f"retained-land quota, rule set {rs.id}"

        return decision.plan(self, parameters, context, what)

    def _record_decision(
        self, planned, result, status_map, community_field, floor_field, zoning_field, feedback, official
    ):
        from ..allocation.decisions import mark_quota, one_project, quota_figures, quota_settings

        settings = quota_settings(
            result.rules,
            status_map=status_map,
            community_field=community_field,
            floor_area_field=floor_field,
            zoning_field=zoning_field,
        )
        recorded = planned.record(
            settings=settings,
            result=quota_figures(result.summary),
            project=one_project(result.summary),
            official=official,  # refused unless approved (APPROVED_BY, or before)
        )
        mark_quota(result, recorded)
        decision.report(recorded, feedback)

    def processAlgorithm(self, parameters, context, feedback):
        from ..allocation.errors import LandcoordError
        from ..allocation.quota import retained_quota

        src = self.parameterAsSource(parameters, self.INPUT, context)
        if src is None:
            raise QgsProcessingException(self.invalidSourceError(parameters, self.INPUT))
        community_field = self.parameterAsString(parameters, self.COMMUNITY_FIELD, context) or None
        status_map = self.parameterAsFile(parameters, self.STATUS_MAP, context) or None
        rules = self.parameterAsFile(parameters, self.RULES, context)
        official = self.parameterAsBoolean(parameters, self.OFFICIAL, context)
        bsrc = self.parameterAsSource(parameters, self.BUILDINGS, context)
        floor_field = self.parameterAsString(parameters, self.FLOOR_AREA_FIELD, context) or None
        zsrc = self.parameterAsSource(parameters, self.ZONING, context)
        zoning_field = self.parameterAsString(parameters, self.ZONING_FIELD, context) or None
        if bsrc is not None and not floor_field:
            raise QgsProcessingException(self.tr("Choose the floor area field of the buildings."))
        if zsrc is not None and not zoning_field:
            raise QgsProcessingException(self.tr("Choose the land-use class field of the zoning."))

        name = layer_name(self, parameters, self.INPUT, context, src) or self.tr("pieces")
        fb = QgisFeedback(feedback)
        try:
            planned = self._plan_decision(parameters, context, rules)
            pieces = source_to_frame(src, piece_fields(src, community_field), name, feedback)
            buildings = (
                source_to_frame(
                    bsrc,
                    [floor_field],
                    layer_name(self, parameters, self.BUILDINGS, context, bsrc) or self.tr("buildings"),
                    feedback,
                )
                if bsrc is not None
                else None
            )
            zoning = (
                source_to_frame(
                    zsrc,
                    [zoning_field],
                    layer_name(self, parameters, self.ZONING, context, zsrc) or self.tr("zoning"),
                    feedback,
                )
                if zsrc is not None
                else None
            )
            feedback.setProgressText(
                self.tr("Computing the quota of {n} pieces with {rules}").format(n=len(pieces), rules=rules)
            )
            result = retained_quota(
                pieces,
                rules,
                status_map=status_map,
                community_field=community_field,
                buildings=buildings,
                floor_area_field=floor_field,
                zoning=zoning,
                zoning_field=zoning_field,
                official=official,
                feedback=fb,
            )
            if planned is not None and not feedback.isCanceled():
                self._record_decision(
                    planned,
                    result,
                    status_map,
                    community_field,
                    floor_field,
                    zoning_field,
                    feedback,
                    official,
                )
        except LandcoordError as exc:
            raise QgsProcessingException(str(exc)) from exc
        if feedback.isCanceled():
            return {}

        project_type = src.fields().field("project").type()
        fields = frame_fields(
            result.trail,
            {
                "project": project_type,
                "community": field_type("string"),
                "value": field_type("double"),
                "verified": field_type("bool"),
            },
        )
        sink, dest = self.parameterAsSink(
            parameters, self.OUTPUT, context, fields, Qgis.WkbType.NoGeometry, src.sourceCrs()
        )
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, self.OUTPUT))
        write_frame(sink, result.trail, fields, feedback)
        for r in result.summary.itertuples(index=False):
            where = f"{r.project}" + ("" if r.community is None else f" / {r.community}")
            if r.official:
                feedback.pushInfo(
                    self.tr(
                        "Project {p}: retained land {r:.2f} m², planned floor area {f:.2f} m², "
                        "land left to the government {g:.2f} m² (official)"
                    ).format(p=where, r=r.retained_area, f=r.planned_floor_area, g=r.government_land)
                )
            else:
                feedback.pushWarning(
                    self.tr("Project {p}: NOT OFFICIAL: {why}").format(p=where, why=r.blocking)
                )
        return {self.OUTPUT: dest}
