"""Processing algorithm ``landcoord:carveretained``: carve retained-land parcels to quota."""

from __future__ import annotations

from qgis.core import (
    Qgis,
    QgsProcessingException,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFile,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterNumber,
    QgsVectorLayer,
)

from ..qgis_compat import (
    FILE_FILE,
    NUMBER_DOUBLE,
    PARAMETER_ADVANCED,
    SOURCE_VECTOR,
    SOURCE_VECTOR_LINE,
    SOURCE_VECTOR_POLYGON,
    field_type,
)
from . import decision
from .base import LandcoordAlgorithm, QgisFeedback, frame_fields, qgs_crs, source_to_frame, write_frame
from .conventions import layer_name, style_on_completion
from .measure import add_measure_crs, measure_crs


class CarveRetained(LandcoordAlgorithm):
    GROUP = "allocation"
    BOUNDARY = "BOUNDARY"
    PROJECT_FIELD = "PROJECT_FIELD"
    QUOTAS = "QUOTAS"
    EXCLUDE = "EXCLUDE"
    CONTROLS = "CONTROLS"
    KIND_FIELD = "KIND_FIELD"
    REGISTRY = "REGISTRY"
    PREFER = "PREFER"
    PREFER_FIELD = "PREFER_FIELD"
    ROADS = "ROADS"
    MIN_WIDTH = "MIN_WIDTH"
    TOLERANCE = "TOLERANCE"
    OUTPUT = "OUTPUT"

    def name(self) -> str:
        return "carveretained"

    def displayName(self) -> str:
        return self.tr("Carve retained-land parcels")

    def shortHelpString(self) -> str:
        return self.tr(
            "Draws each community's retained land (留用地) inside the project: one parcel of exactly "
            "the quota area (within the tolerance), clear of every EXCLUDE zone (blocking control "
            "lines, planned roads, public facilities) and of road land, nowhere narrower than the "
            "minimum width, touching a road when roads are given, and next to the community's "
            "holdings when they are given. Parcels never overlap.\n\n"
            "Width is measured between opposite edges: a parcel is at least W wide when moving its "
            "edges in by W/2 and out again gives it back; corners of 60° or more are kept. A quota "
            "comes as several parcels only when no block of usable land can hold it; the note field "
            "says why. When the quotas cannot be carved the algorithm stops with the shortfall in m² "
            "and where the developable land is; it never draws a smaller parcel.\n\n"
            "Quota table: fields community and target_area (m²), or the summary or trail of "
            "'Retained-land quota' (retained_area, or the retained_area rows of the trail). Road "
            "lines are buffered by half their width when they have a width field (宽度, width, "
            "road_width); otherwise they are road edges. Given the control lines (CONTROLS) and their "
            "kind field, the control-line registry decides which zones the parcels keep clear of "
            "(its blocking kinds) and which they lie inside (the urban development boundary); they "
            "keep clear of the kinds needing review by hand, such as the purple line, too where the "
            "quotas still fit that way, else they are carved as without them and a warning names the "
            "parcels on them. "
            "Areas and widths are in metres on the projection plane of the boundary (a "
            "geographic boundary is measured in its CGCS2000 Gauss-Krüger or UTM zone)."
        )

    def initAlgorithm(self, config=None):
        polygon = [SOURCE_VECTOR_POLYGON]
        p = QgsProcessingParameterFeatureSource(self.BOUNDARY, self.tr("Project boundary"), polygon)
        p.setHelp(
            self.tr(
                "The project to carve: a layer with one project, or choose its features by the project "
                "field and a selection (Selected features only)."
            )
        )
        self.addParameter(p)
        p = QgsProcessingParameterField(
            self.PROJECT_FIELD,
            self.tr("Project id field"),
            parentLayerParameterName=self.BOUNDARY,
            optional=True,
        )
        p.setHelp(
            self.tr(
                "Field with the project id: features with the same id form one project; with a project "
                "column in the quota table, each project gets its own quotas."
            )
        )
        self.addParameter(p)
        p = QgsProcessingParameterFeatureSource(self.QUOTAS, self.tr("Retained-land quotas"), [SOURCE_VECTOR])
        p.setHelp(
            self.tr(
                "Table with community and target_area (m²), or the quota trail of 'Retained-land quota' "
                "(community, item, value)."
            )
        )
        self.addParameter(p)
        p = QgsProcessingParameterMultipleLayers(
            self.EXCLUDE,
            self.tr("Land retained land may not use"),
            SOURCE_VECTOR_POLYGON,
            optional=True,
        )
        p.setHelp(
            self.tr(
                "Polygon layers of blocking control zones, planned roads and public-facility land: "
                "no parcel overlaps any of their features."
            )
        )
        self.addParameter(p)
        p = QgsProcessingParameterFeatureSource(
            self.CONTROLS, self.tr("Control lines"), polygon, optional=True
        )
        p.setHelp(
            self.tr(
                "Polygon layer of control zones of any kinds (控制线). The registry decides: parcels keep "
                "clear of the blocking kinds and lie inside the 'must lie inside' kinds (the urban "
                "development boundary); they keep clear of the review kinds (the purple line) too where "
                "the quotas still fit, else a warning names the parcels on them."
            )
        )
        self.addParameter(p)
        p = QgsProcessingParameterField(
            self.KIND_FIELD,
            self.tr("Kind field"),
            parentLayerParameterName=self.CONTROLS,
            optional=True,
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
        p = QgsProcessingParameterFeatureSource(
            self.PREFER, self.tr("Existing holdings of the communities"), polygon, optional=True
        )
        p.setHelp(self.tr("Each community's existing holdings; parcels are carved next to them."))
        self.addParameter(p)
        p = QgsProcessingParameterField(
            self.PREFER_FIELD,
            self.tr("Community field of the holdings"),
            parentLayerParameterName=self.PREFER,
            optional=True,
        )
        p.setHelp(self.tr("Field naming the community of each holding, as in the quota table."))
        self.addParameter(p)
        p = QgsProcessingParameterFeatureSource(
            self.ROADS,
            self.tr("Roads"),
            [SOURCE_VECTOR_LINE, SOURCE_VECTOR_POLYGON],
            optional=True,
        )
        p.setHelp(
            self.tr(
                "Road polygons, or road lines (buffered by half their width when the layer has a width "
                "field). Every parcel touches a road; road land is never carved."
            )
        )
        self.addParameter(p)
        # metres whatever the layer's CRS: areas and widths are measured on a projected plane
        p = QgsProcessingParameterNumber(
            self.MIN_WIDTH,
            self.tr("Minimum width (m)"),
            type=NUMBER_DOUBLE,
            defaultValue=20.0,
            minValue=0.0,
        )
        p.setHelp(self.tr("No part of a parcel may be narrower than this, in metres."))
        self.addParameter(p)
        p = QgsProcessingParameterNumber(
            self.TOLERANCE,
            self.tr("Area tolerance (m²)"),
            type=NUMBER_DOUBLE,
            defaultValue=0.01,
            minValue=1e-9,
        )
        p.setFlags(p.flags() | PARAMETER_ADVANCED)
        p.setHelp(self.tr("Largest allowed difference between a parcel's area and its target, in m²."))
        self.addParameter(p)
        self.addParameter(
            QgsProcessingParameterFeatureSink(
                self.OUTPUT, self.tr("Retained-land parcels"), SOURCE_VECTOR_POLYGON
            )
        )

        add_measure_crs(self)
        decision.add_parameters(self)

    def processAlgorithm(self, parameters, context, feedback):
        import pandas as pd

        from ..allocation.carve import ROAD_WIDTH_FIELDS, carve_retained, check_carving
        from ..allocation.errors import LandcoordError

        boundary_src = self.parameterAsSource(parameters, self.BOUNDARY, context)
        if boundary_src is None:
            raise QgsProcessingException(self.invalidSourceError(parameters, self.BOUNDARY))
        quota_src = self.parameterAsSource(parameters, self.QUOTAS, context)
        if quota_src is None:
            raise QgsProcessingException(self.invalidSourceError(parameters, self.QUOTAS))
        prefer_src = self.parameterAsSource(parameters, self.PREFER, context)
        roads_src = self.parameterAsSource(parameters, self.ROADS, context)
        exclude_layers = self.parameterAsLayerList(parameters, self.EXCLUDE, context) or []
        controls_src = self.parameterAsSource(parameters, self.CONTROLS, context)
        kind_field = self.parameterAsString(parameters, self.KIND_FIELD, context) or None
        registry = self.parameterAsFile(parameters, self.REGISTRY, context) or None
        if controls_src is not None and not kind_field:
            raise QgsProcessingException(self.tr("Choose the kind field of the control lines (KIND_FIELD)."))
        project_field = self.parameterAsString(parameters, self.PROJECT_FIELD, context) or None
        prefer_field = self.parameterAsString(parameters, self.PREFER_FIELD, context) or None
        min_width = self.parameterAsDouble(parameters, self.MIN_WIDTH, context)
        tolerance = self.parameterAsDouble(parameters, self.TOLERANCE, context)

        try:
            planned = decision.plan(
                self, parameters, context, lambda: ("carving_choice", "retained-land carving")
            )
            boundary = source_to_frame(
                boundary_src,
                [project_field],
                layer_name(self, parameters, self.BOUNDARY, context, boundary_src)
                or self.tr("project boundary"),
                feedback,
            )
            qfields = [f.name() for f in quota_src.fields()]
            quotas = pd.DataFrame(
                source_to_frame(
                    quota_src,
                    qfields,
                    layer_name(self, parameters, self.QUOTAS, context, quota_src) or self.tr("quotas"),
                    feedback,
                )
            ).drop(columns="geometry")
            quotas.attrs["name"] = layer_name(self, parameters, self.QUOTAS, context, quota_src) or self.tr(
                "quotas"
            )
            exclude = []
            for layer in exclude_layers:
                if feedback.isCanceled():
                    return {}
                if not isinstance(layer, QgsVectorLayer):
                    raise QgsProcessingException(
                        self.tr("EXCLUDE layer '{name}' is not a vector layer.").format(name=layer.name())
                    )
                exclude.append(source_to_frame(layer, [], layer.name(), feedback))
            review = []
            within = self._control_zones(
                parameters, context, feedback, controls_src, kind_field, registry, exclude, review
            )
            prefer = None
            if prefer_src is not None:
                prefer = source_to_frame(
                    prefer_src,
                    [prefer_field],
                    layer_name(self, parameters, self.PREFER, context, prefer_src) or self.tr("holdings"),
                    feedback,
                )
            roads = None
            if roads_src is not None:
                names = [f.name() for f in roads_src.fields()]
                width_field = next((f for f in ROAD_WIDTH_FIELDS if f in names), None)
                roads = source_to_frame(
                    roads_src,
                    [width_field],
                    layer_name(self, parameters, self.ROADS, context, roads_src) or self.tr("roads"),
                    feedback,
                )
            if feedback.isCanceled():
                return {}
            result = carve_retained(
                boundary,
                quotas,
                exclude=exclude,
                within=within,
                prefer=prefer,
                prefer_field=prefer_field,
                roads=roads,
                min_width=min_width,
                tolerance=tolerance,
                project_field=project_field,
                feedback=QgisFeedback(feedback),
                measure_crs=measure_crs(self, parameters, context),
                review=review,
            )
            frame = result.parcels
            if planned is not None and not feedback.isCanceled():
                frame = self._record_decision(planned, parameters, context, result, registry, feedback)
        except LandcoordError as exc:
            raise QgsProcessingException(str(exc)) from exc
        if feedback.isCanceled():
            return {}

        fields = frame_fields(
            frame,
            {
                "project": field_type("string"),
                "community": field_type("string"),
                "part": field_type("int"),
                "parts": field_type("int"),
                "method": field_type("string"),
                "note": field_type("string"),
                "measured": field_type("string"),
                **{
                    c: field_type("double")
                    for c in (
                        "quota",
                        "target_area",
                        "area",
                        "deviation",
                        "compactness",
                        "min_width",
                        "frontage",
                        "distance_to_holdings",
                    )
                },
            },
        )
        sink, dest = self.parameterAsSink(
            parameters, self.OUTPUT, context, fields, Qgis.WkbType.MultiPolygon, qgs_crs(result.measure.crs)
        )
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, self.OUTPUT))
        write_frame(sink, frame, fields, feedback)
        for rec in frame.itertuples(index=False):
            feedback.pushInfo(
                self.tr(
                    "{community}: parcel {part}/{parts}, {area:.2f} m² (target {target:.2f} m²), "
                    "compactness {pp:.3f}, min width {w:.2f} m"
                ).format(
                    community=rec.community,
                    part=rec.part,
                    parts=rec.parts,
                    area=rec.area,
                    target=rec.target_area,
                    pp=rec.compactness,
                    w=rec.min_width,
                )
            )
        # the guarantees checked on the parcels as written: the same line as landcoord carve / demo
        feedback.pushInfo(check_carving(result).message())
        return style_on_completion(self.name(), context, {self.OUTPUT: dest})

    def _record_decision(self, planned, parameters, context, result, registry, feedback):
        """Record the run's carving choices and parcels in the ledger (as ``landcoord carve
        --ledger``); returns the parcels marked with the decision and its approval."""
        from ..allocation.decisions import carving_figures, carving_settings, mark_tables, one_project

        def given(key):
            value = parameters.get(key)
            return value if isinstance(value, str) and value else None

        settings = carving_settings(
            min_width=self.parameterAsDouble(parameters, self.MIN_WIDTH, context),
            tolerance=self.parameterAsDouble(parameters, self.TOLERANCE, context),
            quotas=given(self.QUOTAS),
            registry=registry,
            measure_crs=measure_crs(self, parameters, context),
            boundary=given(self.BOUNDARY),
            project_field=self.parameterAsString(parameters, self.PROJECT_FIELD, context) or None,
            exclude=[
                layer.name() for layer in self.parameterAsLayerList(parameters, self.EXCLUDE, context) or []
            ],
            controls=given(self.CONTROLS),
            control_kind_field=self.parameterAsString(parameters, self.KIND_FIELD, context) or None,
            prefer=given(self.PREFER),
            prefer_field=self.parameterAsString(parameters, self.PREFER_FIELD, context) or None,
            roads=given(self.ROADS),
        )
        recorded = planned.record(
            settings=settings, result=carving_figures(result.parcels), project=one_project(result.parcels)
        )
        decision.report(recorded, feedback)
        return mark_tables({"parcels": result.parcels}, recorded)["parcels"]

    def _control_zones(
        self, parameters, context, feedback, controls_src, kind_field, registry, exclude, review
    ):
        """The control zones the registry makes blocking, added to ``exclude``; those of its review kinds
        (kept clear of when the quotas still fit that way), added to ``review``; the zones to lie inside.

        The decision is :func:`landcoord.allocation.controls.exclusion_zones`, as in the dock and
        ``landcoord carve``; the log says which kinds are kept clear of and which are not.
        """
        if controls_src is None:
            if not exclude:
                feedback.pushWarning(
                    self.tr(
                        "No land to keep clear of was given (EXCLUDE) and no control lines (CONTROLS): "
                        "the parcels avoid road land only. Give the control lines to keep clear of the "
                        "blocking kinds of the control-line registry."
                    )
                )
            return None
        from ..allocation.controls import exclusion_zones

        zones = exclusion_zones(registry)
        name = layer_name(self, parameters, self.CONTROLS, context, controls_src) or self.tr("control lines")
        controls = source_to_frame(controls_src, [kind_field], name, feedback)
        avoid, within = zones.frames(controls, kind_field)
        exclude.append(avoid)
        review.extend(r for r in [zones.review_frame(controls, kind_field)] if r is not None)
        if registry is None:
            feedback.pushInfo(
                self.tr(
                    "Control zones kept clear of: the default of the control-line registry shipped "
                    "with landcoord."
                )
            )
        feedback.pushInfo(zones.statement())
        return within
