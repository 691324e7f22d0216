"""Processing algorithm ``landcoord:cityscreen``: all projects × cadastre × control lines, per project."""

from __future__ import annotations

from qgis.core import (
    Qgis,
    QgsDataSourceUri,
    QgsProcessingException,
    QgsProcessingFeatureSourceDefinition,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFile,
    QgsProcessingParameterNumber,
)

from ..qgis_compat import (
    FILE_FILE,
    NUMBER_DOUBLE,
    NUMBER_INTEGER,
    PARAMETER_ADVANCED,
    SOURCE_VECTOR,
    SOURCE_VECTOR_POLYGON,
    field_type,
)
from .base import LandcoordAlgorithm, QgisFeedback, frame_fields, qgs_crs, source_to_frame
from .conventions import layer_name
from .measure import add_measure_crs, measure_crs


def postgis_source(layer, parameter) -> str | None:
    """A landcoord PostGIS source for a whole PostGIS table layer, or None (read through QGIS).

    Only a plain table layer qualifies: not a query, not filtered, not limited to a selection, so
    that the rows the core fetches near the projects are the rows QGIS would give.
    """
    if layer is None or layer.providerType() != "postgres" or layer.subsetString():
        return None
    if isinstance(parameter, QgsProcessingFeatureSourceDefinition) and (
        parameter.selectedFeaturesOnly or parameter.featureLimit != -1
    ):
        return None
    uri = QgsDataSourceUri(layer.source())
    table = uri.table()
    if not table or table.lstrip().startswith("(") or not uri.geometryColumn():
        return None
    name = f"{uri.schema()}.{table}" if uri.schema() else table
    text = f"PG:{uri.connectionInfo(True)}|table={name}|geom={uri.geometryColumn()}"
    key = uri.keyColumn().strip('"')
    if key and "," not in key:
        text += f"|key={key}"
    return text


class CityScreen(LandcoordAlgorithm):
    GROUP = "analysis"
    PROJECTS = "PROJECTS"
    PROJECT_FIELD = "PROJECT_FIELD"
    CADASTRE = "CADASTRE"
    PARCEL_FIELD = "PARCEL_FIELD"
    HOLDER_FIELD = "HOLDER_FIELD"
    STATUS_FIELD = "STATUS_FIELD"
    CONTROLS = "CONTROLS"
    KIND_FIELD = "KIND_FIELD"
    REGISTRY = "REGISTRY"
    TOLERANCE = "TOLERANCE"
    WORKERS = "WORKERS"
    PARTITIONS = "PARTITIONS"
    AREA_METHOD = "AREA_METHOD"
    OUTPUT = "OUTPUT"
    SUMMARY = "SUMMARY"
    CONFLICTS = "CONFLICTS"

    def name(self) -> str:
        return "cityscreen"

    def displayName(self) -> str:
        return self.tr("City screen: all projects against cadastre and control lines")

    def shortHelpString(self) -> str:
        return self.tr(
            "Screens every project of a plan at once against the whole cadastre and, when given, the "
            "control lines of the one map, and gives one summary row per project: boundary area, "
            "affected parcels and rights-holders, gaps, land claimed twice and, with control lines, "
            "the blocking, review and advisory conflict areas and a verdict.\n\n"
            "The projects are split into spatially compact partitions (by the Hilbert distance of "
            "their extents); each partition gets the parcels and zones near its projects and runs "
            "on its own thread (Dask's threaded scheduler, every core). The figures are exactly "
            "those of 'Affected area by rights-holder' and 'One-map conflicts' run on all projects; "
            "parcels that cross partition edges are neither counted twice nor lost.\n\n"
            "A cadastre or control layer that is a whole PostGIS table is read straight from the "
            "database, only the rows near the projects (the spatial filter runs in PostGIS). For a "
            "Dask cluster use the command line: landcoord city --scheduler tcp://HOST:8786."
        )

    def canExecute(self):
        """``(False, reason)`` when Dask is missing or too old (it is optional: city screen only)."""
        from ..deps import city_unavailable_reason

        reason = city_unavailable_reason()
        return (False, reason) if reason else (True, "")

    def prepareAlgorithm(self, parameters, context, feedback):
        # qgis_process and processing.run() do not ask canExecute() first: say why here, not crash later
        ok, reason = self.canExecute()
        if not ok:
            raise QgsProcessingException(reason)
        return super().prepareAlgorithm(parameters, context, feedback)

    def initAlgorithm(self, config=None):
        polygon = [SOURCE_VECTOR_POLYGON]
        p = QgsProcessingParameterFeatureSource(self.PROJECTS, self.tr("Project boundaries"), polygon)
        p.setHelp(self.tr("Polygon layer with all projects of the plan."))
        self.addParameter(p)
        p = QgsProcessingParameterField(
            self.PROJECT_FIELD,
            self.tr("Project id field"),
            parentLayerParameterName=self.PROJECTS,
            optional=True,
        )
        p.setHelp(
            self.tr(
                "Field with the project id; features with the same id form one project. Default: feature id."
            )
        )
        self.addParameter(p)
        p = QgsProcessingParameterFeatureSource(self.CADASTRE, self.tr("Cadastral parcels"), polygon)
        p.setHelp(
            self.tr(
                "Polygon layer of cadastral parcels (宗地); a PostGIS table is read near the projects only."
            )
        )
        self.addParameter(p)
        for key, label, help_text, optional in (
            (self.PARCEL_FIELD, self.tr("Parcel id field"), self.tr("Parcel id (宗地号)."), False),
            (self.HOLDER_FIELD, self.tr("Rights-holder field"), self.tr("Rights-holder (权利人)."), False),
            (
                self.STATUS_FIELD,
                self.tr("Legal status field"),
                self.tr("Legal status of the land (用地状态)."),
                True,
            ),
        ):
            p = QgsProcessingParameterField(
                key, label, parentLayerParameterName=self.CADASTRE, optional=optional
            )
            p.setHelp(help_text)
            self.addParameter(p)
        p = QgsProcessingParameterFeatureSource(
            self.CONTROLS, self.tr("Control lines"), polygon, optional=True
        )
        p.setHelp(
            self.tr(
                "Control zones of the one map (控制线), any kinds. Leave empty to skip the conflict check."
            )
        )
        self.addParameter(p)
        p = QgsProcessingParameterField(
            self.KIND_FIELD, self.tr("Kind field"), parentLayerParameterName=self.CONTROLS, optional=True
        )
        p.setHelp(self.tr("Field with the kind of each control zone (required with control lines)."))
        self.addParameter(p)
        p = QgsProcessingParameterFile(
            self.REGISTRY,
            self.tr("Control-line registry"),
            behavior=FILE_FILE,
            extension="toml",
            optional=True,
        )
        p.setFlags(p.flags() | PARAMETER_ADVANCED)
        p.setHelp(self.tr("Your own registry file (TOML), merged over the shipped one."))
        self.addParameter(p)
        p = QgsProcessingParameterNumber(
            self.TOLERANCE,
            self.tr("Sliver tolerance (m²)"),
            type=NUMBER_DOUBLE,
            defaultValue=1.0,
            minValue=0.0,
        )
        p.setFlags(p.flags() | PARAMETER_ADVANCED)
        p.setHelp(self.tr("Conflicts smaller than this area are slivers and do not change a verdict."))
        self.addParameter(p)
        for key, label, help_text in (
            (self.WORKERS, self.tr("Threads (0: every core)"), self.tr("How many partitions run at once.")),
            (
                self.PARTITIONS,
                self.tr("Partitions (0: automatic)"),
                self.tr("How many partitions the projects are split into."),
            ),
        ):
            p = QgsProcessingParameterNumber(key, label, type=NUMBER_INTEGER, defaultValue=0, minValue=0)
            p.setFlags(p.flags() | PARAMETER_ADVANCED)
            p.setHelp(help_text)
            self.addParameter(p)
        p = QgsProcessingParameterEnum(
            self.AREA_METHOD,
            self.tr("Area method"),
            options=[self.tr("Planar, on the projection plane"), self.tr("Ellipsoidal")],
            defaultValue=0,
        )
        p.setFlags(p.flags() | PARAMETER_ADVANCED)
        p.setHelp(self.tr("Planar (legal area, default) or ellipsoidal area."))
        self.addParameter(p)
        p = QgsProcessingParameterFeatureSink(
            self.OUTPUT, self.tr("Project summaries"), SOURCE_VECTOR_POLYGON, createByDefault=True
        )
        p.setHelp(
            self.tr(
                "One polygon per project: project_area, parcels, holders, affected_area, covered_area, "
                "gap_area, double_claimed_area, balanced and, with control lines, blocking_area, "
                "review_area, advisory_area, verdict and conflict_kinds (areas in m²), and measured: "
                "the CRS and method the areas were measured in."
            )
        )
        self.addParameter(p)
        p = QgsProcessingParameterFeatureSink(
            self.SUMMARY,
            self.tr("Affected area by project and holder"),
            SOURCE_VECTOR,
            optional=True,
            createByDefault=True,
        )
        p.setHelp(self.tr("One row per project and rights-holder: parcels, affected_area, project_share."))
        self.addParameter(p)
        p = QgsProcessingParameterFeatureSink(
            self.CONFLICTS,
            self.tr("Conflicts"),
            SOURCE_VECTOR_POLYGON,
            optional=True,
            createByDefault=True,
        )
        p.setHelp(self.tr("One polygon per project and control-line kind in conflict (with control lines)."))
        self.addParameter(p)
        add_measure_crs(self)

    def _frame_or_pg(self, parameters, key, fields, name, context, feedback):
        """The layer as a PostGIS source string (whole PostGIS tables) or as a GeoDataFrame."""
        source = self.parameterAsSource(parameters, key, context)
        if source is None:
            raise QgsProcessingException(self.invalidSourceError(parameters, key))
        pg = postgis_source(self.parameterAsVectorLayer(parameters, key, context), parameters.get(key))
        name = layer_name(self, parameters, key, context, source) or name
        if pg is not None:
            feedback.pushInfo(
                self.tr("'{name}' is read from PostGIS near the projects only.").format(name=name)
            )
            return pg
        return source_to_frame(source, fields, name, feedback)

    def processAlgorithm(self, parameters, context, feedback):
        from ..allocation.affected import AreaMethod
        from ..allocation.city import city_screen
        from ..allocation.errors import LandcoordError

        projects_src = self.parameterAsSource(parameters, self.PROJECTS, context)
        if projects_src is None:
            raise QgsProcessingException(self.invalidSourceError(parameters, self.PROJECTS))
        project_field = self.parameterAsString(parameters, self.PROJECT_FIELD, context) or None
        parcel_field = self.parameterAsString(parameters, self.PARCEL_FIELD, context)
        holder_field = self.parameterAsString(parameters, self.HOLDER_FIELD, context)
        status_field = self.parameterAsString(parameters, self.STATUS_FIELD, context) or None
        kind_field = self.parameterAsString(parameters, self.KIND_FIELD, context) or None
        registry = self.parameterAsFile(parameters, self.REGISTRY, context) or None
        tolerance = self.parameterAsDouble(parameters, self.TOLERANCE, context)
        workers = self.parameterAsInt(parameters, self.WORKERS, context) or None
        partitions = self.parameterAsInt(parameters, self.PARTITIONS, context) or None
        method = AreaMethod(self.parameterAsEnum(parameters, self.AREA_METHOD, context))
        has_controls = parameters.get(self.CONTROLS) not in (None, "")
        if has_controls and not kind_field:
            raise QgsProcessingException(self.tr("Choose the kind field of the control lines."))

        try:
            projects = source_to_frame(
                projects_src,
                [project_field],
                layer_name(self, parameters, self.PROJECTS, context, projects_src) or self.tr("projects"),
                feedback,
            )
            cadastre = self._frame_or_pg(
                parameters,
                self.CADASTRE,
                [parcel_field, holder_field, status_field],
                self.tr("cadastre"),
                context,
                feedback,
            )
            controls = None
            if has_controls:
                controls = self._frame_or_pg(
                    parameters, self.CONTROLS, [kind_field], self.tr("control lines"), context, feedback
                )
            result = city_screen(
                projects,
                cadastre,
                parcel_field=parcel_field,
                holder_field=holder_field,
                status_field=status_field,
                project_field=project_field,
                area_method=method,
                measure_crs=measure_crs(self, parameters, context),
                controls=controls,
                kind_field=kind_field,
                registry=registry,
                tolerance=tolerance,
                scheduler="threads",  # inside QGIS: threads of this process, never worker processes
                workers=workers,
                partitions=partitions,
                feedback=QgisFeedback(feedback),
            )
        except LandcoordError as exc:
            raise QgsProcessingException(str(exc)) from exc
        if feedback.isCanceled():
            return {}

        crs = qgs_crs(result.affected.measure.crs)
        project_type = (
            projects_src.fields().field(project_field).type() if project_field else field_type("longlong")
        )
        text = {
            c: field_type("string")
            for c in ("kind", "severity", "rule", "source", "kind_en", "rule_type", "rule_en")
        }
        text.update({c: field_type("string") for c in ("adjustment", "adjustment_en", "zone_ids")})
        specs = [
            (
                self.OUTPUT,
                result.projects,
                Qgis.WkbType.MultiPolygon,
                {
                    "project": project_type,
                    "verdict": field_type("string"),
                    "conflict_kinds": field_type("string"),
                    "measured": field_type("string"),
                },
            ),
            (
                self.SUMMARY,
                result.affected.summary,
                Qgis.WkbType.NoGeometry,
                {"project": project_type, "holder": field_type("string"), "parcels": field_type("int")},
            ),
        ]
        if result.conflicts is not None:
            specs.append(
                (
                    self.CONFLICTS,
                    result.conflicts.conflicts,
                    Qgis.WkbType.MultiPolygon,
                    {"input_id": project_type, **text},
                )
            )
        outputs = {}
        for key, frame, wkb_type, types in specs:
            fields = frame_fields(frame, {c: t for c, t in types.items() if c in frame.columns})
            self.write_output(parameters, key, context, frame, fields, wkb_type, crs, feedback, outputs)
        feedback.pushInfo(self.tr("Areas: {statement}").format(statement=result.affected.statement))
        feedback.pushInfo(
            self.tr("{n} projects in {k} partitions, on the {where}").format(
                n=len(result.projects), k=len(result.partitions), where=result.scheduler
            )
        )
        return outputs
