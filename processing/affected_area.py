"""Processing algorithm ``landcoord:affectedarea``: affected area by rights-holder."""

from __future__ import annotations

from qgis.core import (
    Qgis,
    QgsProcessingException,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
)

from ..qgis_compat import PARAMETER_ADVANCED, SOURCE_VECTOR, SOURCE_VECTOR_POLYGON, field_type
from .base import LandcoordAlgorithm, QgisFeedback, frame_fields, qgs_crs, source_to_frame
from .conventions import layer_name, style_on_completion
from .measure import add_measure_crs, measure_crs


class AffectedArea(LandcoordAlgorithm):
    GROUP = "analysis"
    BOUNDARY = "BOUNDARY"
    PROJECT_FIELD = "PROJECT_FIELD"
    CADASTRE = "CADASTRE"
    PARCEL_FIELD = "PARCEL_FIELD"
    HOLDER_FIELD = "HOLDER_FIELD"
    STATUS_FIELD = "STATUS_FIELD"
    AREA_METHOD = "AREA_METHOD"
    OUTPUT = "OUTPUT"
    SUMMARY = "SUMMARY"
    STATUS_SUMMARY = "STATUS_SUMMARY"
    GAPS = "GAPS"
    OVERLAPS = "OVERLAPS"

    def name(self) -> str:
        return "affectedarea"

    def displayName(self) -> str:
        return self.tr("Affected area by rights-holder")

    def shortHelpString(self) -> str:
        return self.tr(
            "Overlays project boundaries on cadastral parcels and derives each rights-holder's "
            "affected area, by legal status of the land, with exact area accounting: every square "
            "metre inside a project is in a parcel piece, in an overlap (land claimed by two "
            "parcels) or in a gap (land no parcel covers). Parcels wholly inside a boundary are "
            "taken as they are; only parcels crossing its edge are clipped.\n\n"
            "Areas are in m² on the projection plane of the cadastre (a geographic cadastre is "
            "measured in its CGCS2000 Gauss-Krüger or UTM zone), or on the ellipsoid if asked. "
            "Invalid geometries are repaired and reported by parcel id; parcels without a "
            "rights-holder are kept with holder NULL and reported."
        )

    def initAlgorithm(self, config=None):
        polygon = [SOURCE_VECTOR_POLYGON]
        p = QgsProcessingParameterFeatureSource(self.BOUNDARY, self.tr("Project boundaries"), polygon)
        p.setHelp(self.tr("Polygon layer with one or more project boundaries."))
        self.addParameter(p)
        p = QgsProcessingParameterField(
            self.PROJECT_FIELD,
            self.tr("Project id field"),
            parentLayerParameterName=self.BOUNDARY,
            optional=True,
        )
        p.setHelp(
            self.tr(
                "Field with the project id; features with the same id form one project. "
                "Default: the feature id."
            )
        )
        self.addParameter(p)
        p = QgsProcessingParameterFeatureSource(self.CADASTRE, self.tr("Cadastral parcels"), polygon)
        p.setHelp(self.tr("Polygon layer of cadastral parcels (宗地)."))
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
        p = QgsProcessingParameterEnum(
            self.AREA_METHOD,
            self.tr("Area method"),
            options=[self.tr("Planar, on the projection plane"), self.tr("Ellipsoidal")],
            defaultValue=0,
        )
        p.setFlags(p.flags() | PARAMETER_ADVANCED)
        p.setHelp(self.tr("Planar (legal area, default) or ellipsoidal area."))
        self.addParameter(p)
        for key, label, kind in (
            (self.OUTPUT, self.tr("Affected pieces"), SOURCE_VECTOR_POLYGON),
            (self.SUMMARY, self.tr("Affected area by holder"), SOURCE_VECTOR),
            (self.STATUS_SUMMARY, self.tr("Affected area by holder and status"), SOURCE_VECTOR),
            (self.GAPS, self.tr("Gaps (land no parcel covers)"), SOURCE_VECTOR_POLYGON),
            (self.OVERLAPS, self.tr("Overlaps (land claimed twice)"), SOURCE_VECTOR_POLYGON),
        ):
            optional = key != self.OUTPUT
            self.addParameter(
                QgsProcessingParameterFeatureSink(key, label, kind, optional=optional, createByDefault=True)
            )

        add_measure_crs(self)

    def processAlgorithm(self, parameters, context, feedback):
        from ..allocation.affected import AreaMethod, affected_area
        from ..allocation.errors import LandcoordError

        boundary_src = self.parameterAsSource(parameters, self.BOUNDARY, context)
        if boundary_src is None:
            raise QgsProcessingException(self.invalidSourceError(parameters, self.BOUNDARY))
        cadastre_src = self.parameterAsSource(parameters, self.CADASTRE, context)
        if cadastre_src is None:
            raise QgsProcessingException(self.invalidSourceError(parameters, self.CADASTRE))
        project_field = self.parameterAsString(parameters, self.PROJECT_FIELD, context) or None
        parcel_field = self.parameterAsString(parameters, self.PARCEL_FIELD, context)
        holder_field = self.parameterAsString(parameters, self.HOLDER_FIELD, context)
        status_field = self.parameterAsString(parameters, self.STATUS_FIELD, context) or None
        method = AreaMethod(self.parameterAsEnum(parameters, self.AREA_METHOD, context))

        bname = layer_name(self, parameters, self.BOUNDARY, context, boundary_src) or self.tr(
            "project boundaries"
        )
        cname = layer_name(self, parameters, self.CADASTRE, context, cadastre_src) or self.tr("cadastre")
        try:
            boundary = source_to_frame(boundary_src, [project_field], bname, feedback)
            cadastre = source_to_frame(
                cadastre_src, [parcel_field, holder_field, status_field], cname, feedback
            )
            feedback.setProgressText(
                self.tr("Overlaying {n} parcels on {m} boundaries").format(n=len(cadastre), m=len(boundary))
            )
            result = affected_area(
                boundary,
                cadastre,
                parcel_field=parcel_field,
                holder_field=holder_field,
                status_field=status_field,
                project_field=project_field,
                area_method=method,
                measure_crs=measure_crs(self, parameters, context),
                feedback=QgisFeedback(feedback),
            )
        except LandcoordError as exc:
            raise QgsProcessingException(str(exc)) from exc
        if feedback.isCanceled():
            return {}

        crs = qgs_crs(result.measure.crs)
        fields_in = cadastre_src.fields()
        project_type = (
            boundary_src.fields().field(project_field).type() if project_field else field_type("longlong")
        )

        def typed(name):
            i = fields_in.indexFromName(name) if name else -1
            return fields_in.field(i).type() if i >= 0 else field_type("string")

        outputs = {}
        specs = (
            (
                self.OUTPUT,
                result.pieces,
                Qgis.WkbType.MultiPolygon,
                {
                    "project": project_type,
                    "parcel_id": typed(parcel_field),
                    "holder": field_type("string"),
                    "status": field_type("string"),
                },
            ),
            (
                self.SUMMARY,
                result.summary,
                Qgis.WkbType.NoGeometry,
                {"project": project_type, "holder": field_type("string"), "parcels": field_type("int")},
            ),
            (
                self.STATUS_SUMMARY,
                result.status_summary,
                Qgis.WkbType.NoGeometry,
                {"project": project_type, "holder": field_type("string"), "status": field_type("string")},
            ),
            (self.GAPS, result.gaps, Qgis.WkbType.MultiPolygon, {"project": project_type}),
            (
                self.OVERLAPS,
                result.overlaps,
                Qgis.WkbType.MultiPolygon,
                {"project": project_type, "parcel_a": typed(parcel_field), "parcel_b": typed(parcel_field)},
            ),
        )
        for key, frame, wkb_type, types in specs:
            fields = frame_fields(frame, types)
            self.write_output(parameters, key, context, frame, fields, wkb_type, crs, feedback, outputs)
        for rec in result.reconciliation.itertuples(index=False):
            feedback.pushInfo(
                self.tr(
                    "Project {p}: boundary {a:.2f} m² = covered {c:.2f} m² + gaps {g:.2f} m²; "
                    "claimed {cl:.2f} m² of which double-claimed {d:.2f} m²"
                ).format(
                    p=rec.project,
                    a=rec.project_area,
                    c=rec.covered_area,
                    g=rec.gap_area,
                    cl=rec.claimed_area,
                    d=rec.double_claimed_area,
                )
            )
        return style_on_completion(self.name(), context, outputs)
