"""The Stage step: the project's stage in the 利益统筹 procedure (``allocation/procedure.py``).

The tab reads the consultation ledger of the Consultation tab (the same file, the same officer) and
shows, for the set-up's project: the current stage and since when, the stage history (who moved the
project, who approved, forced or not), the entry conditions of the next stage met or not (checked
against the ledger, the affected pieces and, when given, the reconciliation of a `landcoord
affected` GeoPackage), and the monitoring indicators of the project today
(:func:`landcoord.allocation.monitoring.indicators`).

"Move to the next stage" does what ``landcoord stage advance`` does: a ledger write recording the
move, its approver (four-eyes where the procedure says so) and each condition's result. It is
refused, naming the unmet conditions, unless "Force" is ticked with a reason (recorded with the
move, as ``--force REASON``).

"Export notice PDF…" writes the project's public notices and the answers to their objections as a
printable PDF, the public version (names masked): ``landcoord:projectstage`` with its NOTICE_PDF
output (what ``landcoord notice export LEDGER x.pdf --project P`` writes), run by the dock's runner
like the other steps' runs (print layouts: in the main thread, the dock kept painting).
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from qgis.core import Qgis
from qgis.PyQt.QtCore import QDate
from qgis.PyQt.QtWidgets import QHeaderView

from .guard import SetupError, guarded, push
from .panels import ImageLabel
from .step import StepController
from .tables import Column, SearchableTable

__all__ = ["StageStep"]

DEFAULT_PROCEDURE = "shenzhen_benefit_coordination"


class StageStep(StepController):
    KEY = "stage"
    ALG_ID = "landcoord:projectstage"
    FORM = "stage_step.ui"

    def __init__(self, dock):
        super().__init__(dock)
        f = self.form
        f.procedureFile.setFilter(self.tr("TOML (*.toml)"))
        f.procedureFile.fileChanged.connect(self.on_procedure_file)
        f.affectedFile.setFilter(self.tr("GeoPackage (*.gpkg)"))
        f.affectedFile.fileChanged.connect(self.on_affected_file)
        f.moveDate.setDate(QDate.currentDate())
        f.forceReasonEdit.setEnabled(False)
        f.forceCheck.toggled.connect(f.forceReasonEdit.setEnabled)
        f.checkButton.clicked.connect(self.check)
        f.advanceButton.clicked.connect(self.advance)
        f.chartButton.clicked.connect(self.chart_over_time)
        f.noticePdfButton.clicked.connect(self.on_export_notice)
        dock.stepTabs.currentChanged.connect(self.on_tab_shown)
        self.history = SearchableTable(
            f.historyTable,
            None,
            [
                Column("moved_on", self.tr("Date")),
                Column("from_text", self.tr("From")),
                Column("to_text", self.tr("To")),
                Column("moved_by", self.tr("Moved by")),
                Column("approved_by", self.tr("Approved by")),
                Column("forced_text", self.tr("Forced (reason)")),
            ],
        )
        self.conditions = SearchableTable(
            f.conditionsTable,
            None,
            [
                Column("condition", self.tr("Condition")),
                Column("met_text", self.tr("Met")),
                Column("detail", self.tr("Detail")),
            ],
        )
        self.monitor = SearchableTable(
            f.monitorTable,
            None,
            [Column("indicator", self.tr("Indicator")), Column("value", self.tr("Value"))],
        )

        for table in (self.history, self.conditions, self.monitor):
            # rows in their own order (history by date, conditions and indicators as the procedure
            # and the monitoring list them), not sorted by a column
            table.view.setSortingEnabled(False)
            table.proxy.sort(-1)
        self.chart = ImageLabel()
        f.pageLayout.addWidget(self.chart)
        # the condition's name is what the refusal message names: never elided (the detail has a tooltip)
        f.conditionsTable.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)

    def title(self) -> str:
        return self.tr("Stage")

    # -- availability ------------------------------------------------------------------------------
    def refresh(self) -> None:
        super().refresh()
        from .step_consultation import ledger_available

        busy = self.dock.runner.is_running()
        for name in ("checkButton", "advanceButton", "chartButton"):
            getattr(self.form, name).setEnabled(ledger_available() and not busy)
        self.form.noticePdfButton.setEnabled(ledger_available() and self.is_available() and not busy)

    # -- inputs ------------------------------------------------------------------------------------
    @guarded
    def on_procedure_file(self, path: str) -> None:
        if self._restoring:
            return
        self.set_option("procedure_path", path)
        self.show_results()

    @guarded
    def on_affected_file(self, path: str) -> None:
        if self._restoring:
            return
        self.set_option("affected_path", path)
        self.show_results()

    @guarded
    def on_tab_shown(self, index: int) -> None:
        """Read the ledger again when the tab is shown (consent, notices may have changed)."""
        widget = self.dock.stepTabs.widget(index)
        if widget is not None and widget.isAncestorOf(self.page) and self.setup is not None:
            self.show_results()

    def project_key(self) -> str:
        value = self.setup.option("project_value") if self.setup is not None else ""
        if not value:
            raise SetupError(
                self.tr("Choose the project in the Project step first: its stage is read per project.")
            )
        return str(value)

    def procedure(self):
        from ..allocation.procedure import load_procedure

        return load_procedure(self.setup.option("procedure_path") or DEFAULT_PROCEDURE)

    def ledger(self):
        """The Consultation tab's ledger (opened there, or opened now when its file exists)."""
        return self.dock.steps["consultation"].ensure_ledger()

    def pieces_and_reconciliation(self) -> tuple:
        """``(pieces, reconciliation)``: from the chosen `landcoord affected` GeoPackage, else the
        pieces of the Affected area step and no reconciliation (None when neither is there)."""
        affected = self.setup.option("affected_path")
        if affected:
            from ..allocation.io.files import read_layer

            if not Path(affected).is_file():
                raise SetupError(
                    self.tr("The affected-area GeoPackage '{path}' does not exist; choose it again.").format(
                        path=affected
                    )
                )
            return read_layer(f"{affected}|layername=pieces"), read_layer(
                f"{affected}|layername=reconciliation"
            )
        if self.dock.results.layer(self.setup, "affected.OUTPUT") is not None:
            return self.dock.steps["consultation"].pieces_frame(), None
        return None, None

    def outputs(self, ledger, procedure, pieces, rec) -> tuple:
        """``(reconciliation, progress, thresholds)`` for the entry conditions."""
        from ..allocation.ledger.consent import load_thresholds

        if pieces is None:
            return rec, None, None
        return rec, ledger.progress(pieces).projects, load_thresholds(procedure.thresholds)

    # -- the view ----------------------------------------------------------------------------------
    def show_results(self) -> str:
        """Fill the stage, history, conditions and monitoring of the set-up's project (clear them
        when there is no project or no ledger yet)."""
        consultation = self.dock.steps["consultation"]
        project = self.setup.option("project_value") if self.setup is not None else ""
        if not project or consultation.ledger is None and not Path(consultation.ledger_path()).exists():
            for table in (self.history, self.conditions, self.monitor):
                table.clear()
            self.form.stageLabel.setText(
                self.tr("Choose the project in the Project step and open its ledger in the Consultation tab.")
            )
            return ""
        return self.check()

    @guarded
    def check(self) -> str:
        """Read the stage, its history, the next stage's conditions and the indicators from the ledger."""
        from ..allocation import procedure as pr
        from ..allocation.monitoring import indicators

        project = self.project_key()
        proc = self.procedure()
        ledger = self.ledger()
        pieces, rec = self.pieces_and_reconciliation()
        with ledger.read_transaction():
            rec, progress, thresholds = self.outputs(ledger, proc, pieces, rec)
            here, since = pr.current_stage(ledger, project)
            history = pr.stage_history(ledger, project)
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
            table = indicators(ledger, projects=[project], pieces=pieces, procedure=proc)
        self.fill_history(history, proc)
        self.fill_conditions(results)
        self.fill_monitor(table.iloc[0].to_dict() if len(table) else {})
        text = self.stage_text(proc, here, since, nxt, results)
        self.form.stageLabel.setText(text)
        return text

    def _label(self, proc, key, short: bool = False) -> str:
        """A stage as the procedure names it, with its key; ``short``: only the label's first word
        (the Chinese name of the shipped procedure), for the table's narrow columns."""
        if not key:
            return "—"
        try:
            label = proc.stage(key).label
        except Exception:  # noqa: BLE001 - a stage of another procedure file: its key
            return str(key)
        return f"{label.split()[0] if short and label.split() else label} ({key})"

    def stage_text(self, proc, here, since, nxt, results) -> str:
        if here is None:
            now = self.tr("Project {project} has not entered a stage yet.").format(project=self.project_key())
        else:
            days = (date.today() - date.fromisoformat(since)).days if since else 0
            now = self.tr("Project {project}: stage {stage} since {since} ({days} days).").format(
                project=self.project_key(), stage=self._label(proc, here), since=since, days=days
            )
        if nxt is None:
            return now + " " + self.tr("This is the last stage.")
        unmet = [n for n, ok, _d in results if not ok]
        after = (
            self.tr("Next: {stage}; every entry condition is met.")
            if not unmet
            else self.tr("Next: {stage}; {count} entry condition(s) not met.")
        )
        return now + " " + after.format(stage=self._label(proc, nxt.key), count=len(unmet))

    def fill_history(self, history, proc) -> None:
        records = []
        for r in history.itertuples():
            records.append(
                {
                    "moved_on": r.moved_on,
                    "from_text": self._label(proc, r.from_stage, short=True),
                    "to_text": self._label(proc, r.to_stage, short=True),
                    "moved_by": r.moved_by,
                    "approved_by": r.approved_by,
                    "forced_text": (
                        self.tr("forced: {reason}").format(reason=r.reason or "") if r.forced else ""
                    ),
                }
            )
        self.history.set_records(records)

    def fill_conditions(self, results) -> None:
        self.conditions.set_records(
            [
                {
                    "condition": n,
                    "met_text": self.tr("met") if ok else self.tr("NOT met"),
                    "detail": d,
                    "met": ok,
                }
                for n, ok, d in results
            ]
        )

    def fill_monitor(self, row: dict) -> None:
        def pct(v):
            return "—" if v is None or v != v else f"{float(v) * 100:.1f} %"

        def num(v, fmt="{:,.0f}"):
            return "—" if v is None or v != v else fmt.format(v)

        if not row:
            self.monitor.clear()
            return
        items = [
            ("day", self.tr("Day"), row.get("day")),
            ("holders", self.tr("Rights-holders"), num(row.get("holders"))),
            ("consented", self.tr("Consented (agreed or signed)"), num(row.get("consented"))),
            ("signed", self.tr("Signed"), num(row.get("signed"))),
            ("consent_rate", self.tr("Consent by holders"), pct(row.get("consent_rate"))),
            ("area", self.tr("Affected area (m²)"), num(row.get("area"), "{:,.2f}")),
            ("area_consent_rate", self.tr("Consent by area"), pct(row.get("area_consent_rate"))),
            ("area_signed_rate", self.tr("Signed by area"), pct(row.get("area_signed_rate"))),
            ("open_objections", self.tr("Open objections"), num(row.get("open_objections"))),
            ("open_requests", self.tr("Open requests"), num(row.get("open_requests"))),
            ("stage", self.tr("Stage"), row.get("stage") or "—"),
            ("days_in_stage", self.tr("Days in stage"), num(row.get("days_in_stage"))),
            ("overdue_duties", self.tr("Overdue duties"), num(row.get("overdue_duties"))),
        ]
        self.monitor.set_records([{"key": k, "indicator": label, "value": v} for k, label, v in items])

    @staticmethod
    def chart_days(first: str | None, today: date | None = None) -> list:
        """The first of each month from the month of ``first`` (default: six months ago), the last 24
        at most, and today."""
        today = today or date.today()
        start = date.fromisoformat(first) if first else today - timedelta(days=183)
        days, (y, m) = [], (start.year, start.month)
        while (y, m) <= (today.year, today.month):
            days.append(date(y, m, 1).isoformat())
            y, m = (y, m + 1) if m < 12 else (y + 1, 1)
        days = days[-24:]
        return days if today.isoformat() in days else [*days, today.isoformat()]

    @guarded
    def chart_over_time(self) -> str:
        """Draw the project's indicators over the months (``landcoord monitor --chart``) and show it."""
        from ..allocation import procedure as pr
        from ..allocation.monitoring import indicators
        from ..report.charts import monitor_chart

        project = self.project_key()
        proc = self.procedure()
        ledger = self.ledger()
        pieces, _rec = self.pieces_and_reconciliation()
        with ledger.read_transaction():
            moves = pr.stage_history(ledger, project)
            first = str(moves["moved_on"].min()) if len(moves) else None
            table = indicators(
                ledger, days=self.chart_days(first), projects=[project], pieces=pieces, procedure=proc
            )
        path = self.output_path("monitoring")[: -len(".gpkg")] + ".png"
        written = str(
            monitor_chart(
                table, path, title=self.tr("Monitoring of project {project}").format(project=project)
            )
        )
        self.chart.set_image(written)
        self.set_option("monitor_chart", written)
        return written

    # -- the move ----------------------------------------------------------------------------------
    @guarded
    def advance(self):
        """Move the project into the next stage (``landcoord stage advance``): refused with the unmet
        conditions unless forced with a reason; the approver is required."""
        from ..allocation import procedure as pr

        f = self.form
        project = self.project_key()
        approver = f.approvedByEdit.text().strip()
        if not approver:
            raise SetupError(self.tr("Enter who approved the move (Approved by)."))
        force = None
        if f.forceCheck.isChecked():
            force = f.forceReasonEdit.text().strip()
            if not force:
                raise SetupError(self.tr("A forced move needs its reason: write it in Reason."))
        proc = self.procedure()
        ledger = self.ledger()
        rec, progress, thresholds = self.outputs(ledger, proc, *self.pieces_and_reconciliation())
        move = pr.advance(
            ledger,
            proc,
            project,
            approved_by=approver,
            force_reason=force,
            moved_on=f.moveDate.date().toString("yyyy-MM-dd"),
            reconciliation=rec,
            progress=progress,
            thresholds=thresholds,
        )
        f.forceCheck.setChecked(False)
        f.forceReasonEdit.clear()
        self.check()
        text = self.tr("Project {project} moved from {old} to {new}.").format(
            project=project, old=self._label(proc, move["from"]), new=self._label(proc, move["to"])
        )
        if move["forced"]:
            text += " " + self.tr("Forced; the reason is recorded.")
        push(
            self.message_bar(),
            text,
            Qgis.MessageLevel.Warning if move["forced"] else Qgis.MessageLevel.Success,
        )
        return move

    # -- the public notice document -----------------------------------------------------------------
    def notice_pdf_path(self) -> str:
        """Where the notice PDF goes unless the officer chooses: the last one written, else
        ``<output folder>/<set-up>/notice_<project>.pdf``."""
        last = self.setup.option("notice_pdf")
        if last:
            return last
        return str(Path(self.dock.output_folder()) / self.setup.key / f"notice_{self.project_key()}.pdf")

    @guarded
    def on_export_notice(self):
        """Ask where to write the project's notice PDF, then write it (:meth:`export_notice_pdf`)."""
        from qgis.PyQt.QtWidgets import QFileDialog

        self.project_key()  # the project first: the file is named after it
        path, _ = QFileDialog.getSaveFileName(
            self.page, self.tr("Export notice PDF"), self.notice_pdf_path(), self.tr("PDF files (*.pdf)")
        )
        if not path:
            return None
        return self.export_notice_pdf(path)

    @guarded
    def export_notice_pdf(self, path: str) -> str:
        """Write the project's public notices and the answers to their objections to the PDF
        ``path`` (".pdf" added when missing), names masked, through ``landcoord:projectstage``
        (NOTICE_PDF) in the dock's runner; the message bar says where it was written."""
        project = self.project_key()
        ledger = self.dock.steps["consultation"].ledger_path()
        if not Path(ledger).is_file():
            raise SetupError(self.tr("Open or create the ledger in the Consultation tab first."))
        if not self.is_available():
            raise SetupError(self.availability_note())
        if self.dock.runner.is_running():
            raise SetupError(self.tr("Another landcoord task is still running; wait for it or cancel it."))
        out = Path(path)
        if out.suffix.lower() != ".pdf":
            out = out.with_name(out.name + ".pdf")
        out.parent.mkdir(parents=True, exist_ok=True)
        params = {
            "LEDGER": ledger,
            "PROJECT": project,
            "ACTION": 0,  # check only: nothing is written to the ledger
            "OUTPUT": "TEMPORARY_OUTPUT",
            "NOTICE_PDF": str(out),
        }
        if self.setup.option("procedure_path"):
            params["PROCEDURE"] = self.setup.option("procedure_path")
        self.set_option("notice_pdf", str(out))  # saved with the set-up: offered again next time
        self.start(
            self.ALG_ID,
            params,
            [],
            self.notice_written,
            self.tr("Notice PDF of project {project}").format(project=project),
        )
        return str(out)

    @guarded
    def notice_written(self, result) -> None:
        if result.canceled:
            push(
                self.message_bar(),
                self.tr("Notice PDF: canceled; nothing was written."),
                Qgis.MessageLevel.Info,
            )
            return
        if not result.ok:
            push(
                self.message_bar(),
                self.tr("The notice PDF could not be written: {error}").format(error=result.error_text()),
                Qgis.MessageLevel.Critical,
            )
            return
        path = result.outputs.get("NOTICE_PDF") or self.setup.option("notice_pdf")
        push(
            self.message_bar(),
            self.tr("Public notice PDF (names masked) written to {path}.").format(path=path),
            Qgis.MessageLevel.Success,
        )

    # -- Processing --------------------------------------------------------------------------------
    def parameters(self, for_dialog: bool = False):
        params = {
            "LEDGER": self.dock.steps["consultation"].ledger_path(),
            "PROJECT": self.setup.option("project_value") or "",
            "APPROVED_BY": self.form.approvedByEdit.text().strip(),
        }
        if self.setup.option("affected_path"):
            params["AFFECTED"] = self.setup.option("affected_path")
        if self.setup.option("procedure_path"):
            params["PROCEDURE"] = self.setup.option("procedure_path")
        return params, [], []

    def restore(self) -> None:
        self._restoring = True
        try:
            self.form.procedureFile.setFilePath(self.setup.option("procedure_path"))
            self.form.affectedFile.setFilePath(self.setup.option("affected_path"))
        finally:
            self._restoring = False
        chart = self.setup.option("monitor_chart")
        self.chart.set_image(chart if chart and Path(chart).is_file() else "")
        try:
            self.show_results()
        except Exception as exc:  # noqa: BLE001 - a broken ledger must not stop the dock
            push(self.message_bar(), str(exc), Qgis.MessageLevel.Warning)
