"""Processing algorithm ``landcoord:consentprogress``: consent rates per project, by holders and by area."""

from __future__ import annotations

from qgis.core import (
    Qgis,
    QgsProcessingException,
    QgsProcessingOutputString,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFile,
    QgsProcessingParameterString,
    QgsWkbTypes,
)

from ..qgis_compat import (
    FIELD_ANY,
    FIELD_NUMERIC,
    FILE_FILE,
    PARAMETER_ADVANCED,
    SOURCE_VECTOR,
    SOURCE_VECTOR_ANY_GEOMETRY,
    field_type,
)
from .base import LandcoordAlgorithm, QgisFeedback, frame_fields, source_to_frame
from .conventions import layer_name, style_on_completion


class ConsentProgress(LandcoordAlgorithm):
    GROUP = "consultation"
    LEDGER = "LEDGER"
    PIECES = "PIECES"
    PROJECT_FIELD = "PROJECT_FIELD"
    HOLDER_FIELD = "HOLDER_FIELD"
    AREA_FIELD = "AREA_FIELD"
    PROJECTS = "PROJECTS"
    OUTPUT = "OUTPUT"
    HOLDERS = "HOLDERS"
    PIECES_STATUS = "PIECES_STATUS"
    FINGERPRINT = "FINGERPRINT"

    def name(self) -> str:
        return "consentprogress"

    def displayName(self) -> str:
        return self.tr("Consent progress by project")

    def shortHelpString(self) -> str:
        return self.tr(
            "Reads the consultation ledger stored in the project's GeoPackage and the affected pieces "
            "(the output of 'Affected area by rights-holder') and reports, for every project, how many "
            "rights-holders have consented (agreed or signed) and signed, and which share of the "
            "affected AREA they hold: a project often needs a high share of area, not only of people.\n\n"
            "A holder with land in a project but no consent record counts as not contacted. Area "
            "without a holder counts in the total and never as consented. Run it in batch mode to "
            "report many ledgers at once; one pieces layer may hold many projects.\n\n"
            "It also gives the fingerprint code (校验码) of the ledger it read, e.g. "
            "LC1-42-3F2A-9C1B-77D0-E4A5: written into the minutes of a hearing, it lets anyone show "
            "later (landcoord consent verify) that the consultation record up to then was not altered."
        )

    def initAlgorithm(self, config=None):
        p = QgsProcessingParameterFile(
            self.LEDGER,
            self.tr("Ledger (project GeoPackage)"),
            behavior=FILE_FILE,
            fileFilter=self.tr("GeoPackage (*.gpkg *.GPKG)"),
        )
        p.setHelp(self.tr("The GeoPackage holding the consultation ledger (tables ledger_*)."))
        self.addParameter(p)
        p = QgsProcessingParameterFeatureSource(self.PIECES, self.tr("Affected pieces"), [SOURCE_VECTOR])
        p.setHelp(self.tr("Affected pieces by project and rights-holder, with their area in m²."))
        self.addParameter(p)
        for key, label, default, help_text, numeric in (
            (
                self.PROJECT_FIELD,
                self.tr("Project field"),
                "project",
                self.tr("Project id of each piece."),
                False,
            ),
            (
                self.HOLDER_FIELD,
                self.tr("Rights-holder field"),
                "holder",
                self.tr("Rights-holder (权利人)."),
                False,
            ),
            (
                self.AREA_FIELD,
                self.tr("Area field"),
                "held_area",
                self.tr(
                    "Area of the piece counted by area, m²: held_area (land claimed by two parcels "
                    "counted once, the figure of the quota, scenarios and hearing pack); piece_area when "
                    "the pieces have no held_area."
                ),
                True,
            ),
        ):
            p = QgsProcessingParameterField(
                key,
                label,
                defaultValue=default,
                parentLayerParameterName=self.PIECES,
                type=FIELD_NUMERIC if numeric else FIELD_ANY,
                optional=True,
            )
            p.setHelp(help_text)
            self.addParameter(p)
        p = QgsProcessingParameterString(self.PROJECTS, self.tr("Only these projects"), optional=True)
        p.setFlags(p.flags() | PARAMETER_ADVANCED)
        p.setHelp(self.tr("Comma-separated project ids to report; default: every project of the pieces."))
        self.addParameter(p)
        self.addParameter(
            QgsProcessingParameterFeatureSink(
                self.OUTPUT, self.tr("Consent progress by project"), SOURCE_VECTOR
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSink(
                self.HOLDERS,
                self.tr("Consent by rights-holder"),
                SOURCE_VECTOR,
                optional=True,
                createByDefault=False,
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSink(
                self.PIECES_STATUS,
                self.tr("Pieces coloured by consent"),
                SOURCE_VECTOR_ANY_GEOMETRY,
                optional=True,
                createByDefault=False,
            )
        )
        self.addOutput(
            QgsProcessingOutputString(self.FINGERPRINT, self.tr("Ledger fingerprint code (校验码)"))
        )

    def processAlgorithm(self, parameters, context, feedback):
        from ..allocation.errors import LandcoordError
        from ..allocation.ledger import Ledger, consent_progress, pieces_status
        from ..allocation.ledger.consent import AREA_FIELD as HELD_AREA
        from ..allocation.ledger.consent import FALLBACK_AREA_FIELD

        path = self.parameterAsFile(parameters, self.LEDGER, context)
        source = self.parameterAsSource(parameters, self.PIECES, context)
        if source is None:
            raise QgsProcessingException(self.invalidSourceError(parameters, self.PIECES))
        # the fields of the affected-area output unless others are named
        project_field = self.parameterAsString(parameters, self.PROJECT_FIELD, context) or "project"
        holder_field = self.parameterAsString(parameters, self.HOLDER_FIELD, context) or "holder"
        area_field = self.parameterAsString(parameters, self.AREA_FIELD, context) or None
        if area_field == HELD_AREA and source.fields().indexFromName(HELD_AREA) < 0:
            area_field = None  # the core counts piece_area and says so (ProgressResult.notes)
        only = self.parameterAsString(parameters, self.PROJECTS, context)
        projects = [p.strip() for p in only.split(",") if p.strip()] if only else None
        core_fb = QgisFeedback(feedback)
        name = layer_name(self, parameters, self.PIECES, context, source) or self.tr("pieces")
        try:
            columns = [project_field, holder_field, area_field or FALLBACK_AREA_FIELD]
            pieces = source_to_frame(source, columns, name, feedback)
            with Ledger.open(path) as ledger, ledger.read_transaction():  # the code of the records read
                consent = ledger.consent_table()
                fingerprint = ledger.fingerprint()
            feedback.setProgress(40)
            result = consent_progress(
                consent,
                pieces,
                project_field=project_field,
                holder_field=holder_field,
                area_field=area_field,
                projects=projects,
            )
            coloured = pieces_status(consent, pieces, project_field=project_field, holder_field=holder_field)
        except LandcoordError as exc:
            raise QgsProcessingException(str(exc)) from exc
        for note in result.notes:
            feedback.pushInfo(note)
        for w in result.warnings:
            core_fb.warning(w)
        feedback.setProgress(70)

        fields_in = source.fields()
        project_type = fields_in.field(fields_in.indexFromName(project_field)).type()
        outputs = {}
        specs = [
            (self.OUTPUT, result.projects, {"project": project_type}, Qgis.WkbType.NoGeometry, None),
            (
                self.HOLDERS,
                result.holders,
                {
                    "project": project_type,
                    "holder": field_type("string"),
                    "scenario_option": field_type("string"),
                },
                Qgis.WkbType.NoGeometry,
                None,
            ),
            (
                self.PIECES_STATUS,
                coloured,
                {
                    project_field: project_type,
                    holder_field: field_type("string"),
                    "scenario_option": field_type("string"),
                    "consented": field_type("bool"),
                },
                QgsWkbTypes.multiType(source.wkbType()),
                source.sourceCrs(),
            ),
        ]
        for key, frame, types, wkb_type, crs in specs:
            fields = frame_fields(frame, types)
            self.write_output(parameters, key, context, frame, fields, wkb_type, crs, feedback, outputs)
        for rec in result.projects.itertuples(index=False):
            feedback.pushInfo(
                self.tr(
                    "Project {p}: {c} of {n} holders consented ({r:.1%}), {s} signed; "
                    "{ac:.2f} of {a:.2f} m² consented ({ar:.1%})"
                ).format(
                    p=rec.project,
                    c=rec.consented,
                    n=rec.holders,
                    r=rec.consent_rate if rec.consent_rate == rec.consent_rate else 0.0,
                    s=rec.signed,
                    ac=rec.area_consented,
                    a=rec.area,
                    ar=rec.area_consent_rate if rec.area_consent_rate == rec.area_consent_rate else 0.0,
                )
            )
        outputs[self.FINGERPRINT] = fingerprint.code
        feedback.pushInfo(
            self.tr(
                "Ledger fingerprint code (校验码): {code} ({n} audit entries, the last at {when} UTC)."
            ).format(code=fingerprint.code, n=fingerprint.entries, when=fingerprint.last_changed_at or "—")
        )
        feedback.setProgress(100)
        return style_on_completion(self.name(), context, outputs)
