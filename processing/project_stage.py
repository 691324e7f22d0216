"""Processing algorithm ``landcoord:projectstage``: a project's stage, its next stage's entry
conditions, and (when asked) the move into it, recorded in the ledger with its approver."""

from __future__ import annotations

from qgis.core import (
    Qgis,
    QgsProcessingException,
    QgsProcessingOutputString,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterString,
)

from ..qgis_compat import ALGORITHM_NO_THREADING, FILE_FILE, PARAMETER_ADVANCED, SOURCE_VECTOR, field_type
from .base import LandcoordAlgorithm, frame_fields, write_frame


class ProjectStage(LandcoordAlgorithm):
    GROUP = "consultation"
    LEDGER = "LEDGER"
    PROJECT = "PROJECT"
    ACTION = "ACTION"
    APPROVED_BY = "APPROVED_BY"
    OFFICER = "OFFICER"
    FORCE_REASON = "FORCE_REASON"
    AFFECTED = "AFFECTED"
    PROCEDURE = "PROCEDURE"
    OUTPUT = "OUTPUT"
    STAGE = "STAGE"
    CONDITIONS = "CONDITIONS"
    NOTICE_PDF = "NOTICE_PDF"

    def name(self) -> str:
        return "projectstage"

    def flags(self):
        # the notice document's print layouts and fonts belong to the main thread
        return super().flags() | ALGORITHM_NO_THREADING

    def displayName(self) -> str:
        return self.tr("Project stage (利益统筹 procedure)")

    def shortHelpString(self) -> str:
        return self.tr(
            "The stages of a 利益统筹 project, in the order of the procedure file (计划立项 → "
            "现状调查/权属核查 → 方案编制 → 公示 → 协议签订 → 审批 → 实施/移交): shows the project's "
            "stage and checks the next stage's entry conditions against the ledger and the outputs "
            "(affected area reconciled, hearing held, public notice closed, signing threshold met...).\n\n"
            "With the action 'Advance', the project is moved into the next stage: a ledger write "
            "recording who moved it (the officer), who approved it, when, and each condition's result; "
            "it goes through the ledger's audit trail, so the fingerprint code covers it. The move is "
            "refused, naming the failed conditions, unless a reason to force it is given (recorded). "
            "Where the procedure says so (four-eyes), the officer cannot approve their own move.\n\n"
            "The output table is the project's stage history. Optionally, the project's public "
            "notices, their objections and the answers are written as a printable public document "
            "(PDF, names and phone numbers masked as in the public export)."
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
        p = QgsProcessingParameterString(self.PROJECT, self.tr("Project"))
        p.setHelp(self.tr("Project id, as in the ledger and the affected pieces."))
        self.addParameter(p)
        p = QgsProcessingParameterEnum(
            self.ACTION,
            self.tr("Action"),
            options=[
                self.tr("Show the stage and the next stage's conditions"),
                self.tr("Advance to the next stage"),
            ],
            defaultValue=0,
        )
        p.setHelp(self.tr("Show only reads the ledger; Advance writes the move (audited)."))
        self.addParameter(p)
        p = QgsProcessingParameterString(self.APPROVED_BY, self.tr("Approved by"), optional=True)
        p.setHelp(self.tr("The officer who approved the move (needed to advance)."))
        self.addParameter(p)
        p = QgsProcessingParameterString(self.OFFICER, self.tr("Officer (proposer)"), optional=True)
        p.setHelp(self.tr("Name recorded as author of the move; default LANDCOORD_OFFICER or the OS user."))
        self.addParameter(p)
        p = QgsProcessingParameterFile(
            self.AFFECTED,
            self.tr("Affected area output (GeoPackage)"),
            behavior=FILE_FILE,
            fileFilter=self.tr("GeoPackage (*.gpkg *.GPKG)"),
            optional=True,
        )
        p.setHelp(
            self.tr(
                "The output GeoPackage of 'Affected area by rights-holder' (layers reconciliation and "
                "pieces): needed for the conditions 'affected area reconciled' and the signing thresholds."
            )
        )
        self.addParameter(p)
        p = QgsProcessingParameterString(
            self.FORCE_REASON, self.tr("Force the move, with this reason"), optional=True
        )
        p.setFlags(p.flags() | PARAMETER_ADVANCED)
        p.setHelp(self.tr("Move although conditions fail; the reason is recorded with the move."))
        self.addParameter(p)
        p = QgsProcessingParameterFile(
            self.PROCEDURE,
            self.tr("Procedure file"),
            behavior=FILE_FILE,
            fileFilter=self.tr("TOML (*.toml)"),
            optional=True,
        )
        p.setFlags(p.flags() | PARAMETER_ADVANCED)
        p.setHelp(self.tr("A city's procedure file (.toml); default: the shipped Shenzhen one."))
        self.addParameter(p)
        self.addParameter(
            QgsProcessingParameterFeatureSink(self.OUTPUT, self.tr("Stage history"), SOURCE_VECTOR)
        )
        p = QgsProcessingParameterFileDestination(
            self.NOTICE_PDF,
            self.tr("Public notice document"),
            self.tr("PDF files (*.pdf)"),
            optional=True,
            createByDefault=False,
        )
        p.setHelp(
            self.tr(
                "The project's public notices (公示), each objection (who, masked; what; when), its answer "
                "and the outcome, as a printable A4 PDF for posting: names and phone numbers masked as in "
                "`landcoord notice export`. Leave empty to write none."
            )
        )
        self.addParameter(p)
        self.addOutput(QgsProcessingOutputString(self.STAGE, self.tr("Stage")))
        self.addOutput(
            QgsProcessingOutputString(self.CONDITIONS, self.tr("Entry conditions of the next stage"))
        )

    def processAlgorithm(self, parameters, context, feedback):
        from ..allocation import procedure as pr
        from ..allocation.errors import LandcoordError
        from ..allocation.io.files import read_layer
        from ..allocation.ledger import Ledger
        from ..allocation.ledger.consent import load_thresholds

        path = self.parameterAsFile(parameters, self.LEDGER, context)
        project = self.parameterAsString(parameters, self.PROJECT, context).strip()
        advance = self.parameterAsEnum(parameters, self.ACTION, context) == 1
        approver = self.parameterAsString(parameters, self.APPROVED_BY, context)
        officer = self.parameterAsString(parameters, self.OFFICER, context).strip() or None
        force = self.parameterAsString(parameters, self.FORCE_REASON, context).strip() or None
        affected = self.parameterAsFile(parameters, self.AFFECTED, context)
        procedure_file = self.parameterAsFile(parameters, self.PROCEDURE, context)
        notice_pdf = self.parameterAsFileOutput(parameters, self.NOTICE_PDF, context)
        try:
            proc = pr.load_procedure(procedure_file or "shenzhen_benefit_coordination")
            rec = progress = thresholds = None
            with Ledger.open(path, officer=officer) as ledger:
                if affected:
                    rec = read_layer(f"{affected}|layername=reconciliation")
                    progress = ledger.progress(read_layer(f"{affected}|layername=pieces")).projects
                    thresholds = load_thresholds(proc.thresholds)
                if advance:
                    move = pr.advance(
                        ledger,
                        proc,
                        project,
                        approved_by=approver,
                        force_reason=force,
                        reconciliation=rec,
                        progress=progress,
                        thresholds=thresholds,
                    )
                    results = move["conditions"]
                    feedback.pushInfo(
                        self.tr("Project {p} moved from {a} to {b}.").format(
                            p=project, a=move["from"] or "-", b=move["to"]
                        )
                    )
                else:
                    here, _ = pr.current_stage(ledger, project)
                    i = proc.index(here)
                    nxt = proc.stages[i + 1] if i + 1 < len(proc.stages) else None
                    results = (
                        pr.check_conditions(
                            ledger,
                            project,
                            nxt.requires,
                            reconciliation=rec,
                            progress=progress,
                            thresholds=thresholds,
                        )
                        if nxt is not None
                        else []
                    )
                history = pr.stage_history(ledger, project)
                stage, since = pr.current_stage(ledger, project)
                if notice_pdf:
                    from ..allocation.notice import notice_frames

                    frames = notice_frames(ledger, project, public=True)
            if notice_pdf:
                from ..report.notice_pdf import write_notice_pdf

                write_notice_pdf(frames, notice_pdf, public=True, project=project)
                feedback.pushInfo(self.tr("Public notice document written: {path}").format(path=notice_pdf))
        except LandcoordError as exc:
            raise QgsProcessingException(str(exc)) from exc
        conditions = "; ".join(f"{n}: {'met' if ok else 'NOT met'} ({d})" for n, ok, d in results)
        for n, ok, d in results:
            if ok:
                feedback.pushInfo(f"{n}: {d}")
            else:
                feedback.pushWarning(f"{n}: {d}")
        feedback.pushInfo(
            self.tr("Project {p}: stage {s} since {d}.").format(p=project, s=stage or "-", d=since or "-")
        )
        frame = history.drop(columns=["conditions"]).copy()
        frame["forced"] = frame["forced"].astype(bool)
        fields = frame_fields(
            frame, {c: field_type("string") for c in frame.columns if c not in ("id", "forced", "signoff_id")}
        )
        sink, dest = self.parameterAsSink(parameters, self.OUTPUT, context, fields, Qgis.WkbType.NoGeometry)
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, self.OUTPUT))
        write_frame(sink, frame, fields, feedback)
        out = {self.OUTPUT: dest, self.STAGE: stage or "", self.CONDITIONS: conditions}
        if notice_pdf:
            out[self.NOTICE_PDF] = notice_pdf
        return out
