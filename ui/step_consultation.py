"""The Consultation step: the consent ledger of the project (``allocation/ledger/``).

The ledger lives in a GeoPackage (by default a new one in the project's output folder; the
project's own GeoPackage works too). The tab lists every rights-holder with land in the project,
their consent status and the area they hold; the officer records consent changes and consultation
events here, each one a transaction of the ledger with its author. "Consent progress" runs
``landcoord:consentprogress`` in the background and colours the pieces by consent status.

Writes keep the version of the row the officer looked at: if someone else changed the record in the
meantime (another QGIS on the same ledger), nothing is written, the table is reloaded and the
message bar says so.
"""

from __future__ import annotations

from pathlib import Path

from qgis.core import Qgis
from qgis.gui import QgsFileWidget
from qgis.PyQt.QtCore import QDate, Qt

from .checks import optional_field, require_field, require_layer
from .guard import SetupError, guarded, push
from .results import style_categories
from .settings import Settings
from .step import StepController
from .tables import Column, SearchableTable, layer_records

__all__ = ["ConsultationStep", "CONSENT_COLOURS"]

CONSENT_COLOURS = {
    "not_contacted": "#bdbdbd",
    "contacted": "#9ecae1",
    "negotiating": "#ffd54f",
    "agreed": "#a1d99b",
    "signed": "#238b45",
    "refused": "#e53935",
}


def ledger_available() -> bool:
    try:
        from ..allocation import ledger  # noqa: F401
    except ImportError:
        return False
    return True


class ConsultationStep(StepController):
    KEY = "consultation"
    ALG_ID = "landcoord:consentprogress"
    FORM = "consultation_step.ui"

    def __init__(self, dock):
        super().__init__(dock)
        self.ledger = None
        self._ledger_path = ""
        f = self.form
        f.ledgerFile.setStorageMode(QgsFileWidget.StorageMode.SaveFile)
        f.ledgerFile.setConfirmOverwrite(False)
        f.ledgerFile.setFilter(self.tr("GeoPackage (*.gpkg)"))
        f.ledgerFile.fileChanged.connect(self.on_ledger_file)
        f.officerEdit.setText(Settings().officer_name)
        f.officerEdit.editingFinished.connect(self.on_officer)
        f.openLedgerButton.clicked.connect(self.open_ledger)
        f.setConsentButton.clicked.connect(self.record_consent)
        f.addEventButton.clicked.connect(self.record_event)
        f.importButton.clicked.connect(self.on_import)
        f.exportButton.clicked.connect(self.on_export)
        for code, label in self.status_labels().items():
            f.consentStatus.addItem(label, code)
        for code, label in self.event_labels().items():
            f.eventKind.addItem(label, code)
        f.eventDate.setDate(QDate.currentDate())
        # the ledger's fingerprint code is shown here: let the officer select and copy it
        f.totalsLabel.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.table = SearchableTable(
            f.resultTable,
            f.searchEdit,
            [
                Column("project", self.tr("Project")),
                Column("holder", self.tr("Rights-holder")),
                Column("status_text", self.tr("Consent")),
                Column("scenario_option", self.tr("Option chosen")),
                Column("area", self.tr("Affected area (m²)"), "area"),
            ],
        )
        f.resultTable.selectionModel().currentRowChanged.connect(self.on_row_changed)

    def title(self) -> str:
        return self.tr("Consultation")

    def status_labels(self) -> dict[str, str]:
        return {
            "not_contacted": self.tr("Not contacted (未接触)"),
            "contacted": self.tr("Contacted (已接触)"),
            "negotiating": self.tr("Negotiating (协商中)"),
            "agreed": self.tr("Agreed (已同意)"),
            "signed": self.tr("Signed (已签约)"),
            "refused": self.tr("Refused (拒绝)"),
        }

    def event_labels(self) -> dict[str, str]:
        return {
            "home_visit": self.tr("Home visit (入户走访)"),
            "survey": self.tr("Survey (民意调查)"),
            "representative_meeting": self.tr("Villager-representative meeting (村民代表会议)"),
            "hearing": self.tr("Hearing (听证会)"),
            "forum": self.tr("Forum (座谈会)"),
            "solicited_comments": self.tr("Solicited comments (意见征询)"),
            "expert_review": self.tr("Expert or scheme review (论证会)"),
            "mediation": self.tr("Mediation (调解)"),
            "other": self.tr("Other (其他)"),
        }

    # -- availability ------------------------------------------------------------------------------
    def missing_algorithms(self) -> list[str]:
        missing = super().missing_algorithms()
        return missing if ledger_available() else [*missing, "landcoord.allocation.ledger"]

    def refresh(self) -> None:
        super().refresh()
        available = ledger_available()
        f = self.form
        f.openLedgerButton.setEnabled(available)
        has_ledger = available and self.ledger is not None
        busy = self.dock.runner.is_running()
        for name in ("setConsentButton", "addEventButton", "importButton", "exportButton"):
            getattr(f, name).setEnabled(has_ledger and not busy)
        f.runButton.setEnabled(f.runButton.isEnabled() and has_ledger)

    # -- the ledger --------------------------------------------------------------------------------
    def ledger_path(self) -> str:
        chosen = self.setup.option("ledger_path")
        if chosen:
            return chosen
        return str(Path(self.dock.output_folder()) / self.setup.key / "consultation_ledger.gpkg")

    @guarded
    def on_ledger_file(self, path: str) -> None:
        if self._restoring:
            return
        self.set_option("ledger_path", path)
        self.close_ledger()
        self.show_results()

    @guarded
    def on_officer(self) -> None:
        Settings().officer_name = self.form.officerEdit.text().strip()
        if self.ledger is not None:
            self.ledger.actor = self.form.officerEdit.text().strip() or self.ledger.os_user

    def close_ledger(self) -> None:
        if self.ledger is not None:
            self.ledger.close()
            self.ledger = None
            self._ledger_path = ""

    def holders_frame(self):
        """The cadastre's holders (with type and community) for the ledger's holder list."""
        import pandas as pd

        cadastre = require_layer(self.project, self.setup, "cadastre")
        holder = require_field(cadastre, self.setup, "holder")
        kind = optional_field(cadastre, self.setup, "holder_type")
        community = optional_field(cadastre, self.setup, "community")
        keys = [f for f in (holder, kind, community) if f]
        frame = pd.DataFrame(layer_records(cadastre, keys), columns=keys, dtype=object)
        frame.attrs["name"] = cadastre.name()
        return frame, holder, kind or None, community or None

    @guarded
    def open_ledger(self):
        """Open the ledger (creating it the first time) and add the cadastre's holders it lacks."""
        if not ledger_available():
            raise SetupError(self.availability_note())
        from ..allocation.ledger import Ledger

        path = self.ledger_path()
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.close_ledger()
        frame, holder, kind, community = self.holders_frame()
        officer = Settings().officer_name or None
        ledger = Ledger.init(path, officer=officer, timeout=5.0)
        try:
            report = ledger.sync_holders(frame, holder, type_field=kind, community_field=community)
        except BaseException:
            ledger.close()
            raise
        self.ledger, self._ledger_path = ledger, path
        if not self.setup.option("ledger_path"):
            self.set_option("ledger_path", path)
            self._restoring = True
            self.form.ledgerFile.setFilePath(path)
            self._restoring = False
        push(
            self.message_bar(),
            self.tr("Ledger {path}: {added} holders added from the cadastre, {known} already known.").format(
                path=path, added=len(report.added), known=report.known
            ),
            Qgis.MessageLevel.Info,
        )
        self.show_results()
        self.refresh()
        return report

    def ensure_ledger(self):
        if self.ledger is None or self._ledger_path != self.ledger_path():
            if not Path(self.ledger_path()).exists():
                raise SetupError(self.tr("Open or create the ledger first."))
            self.open_ledger()
        if self.ledger is None:
            raise SetupError(self.tr("Open or create the ledger first."))
        return self.ledger

    # -- table -------------------------------------------------------------------------------------
    def pieces_frame(self):
        import pandas as pd

        pieces = self.dock.results.layer(self.setup, "affected.OUTPUT")
        if pieces is None:
            raise SetupError(self.tr("Run the Affected area step first: consent is counted on its pieces."))
        # held_area (land claimed twice counted once, issue 19) when the pieces carry it: consent by
        # area counts the same land as the quota, the scenarios and the hearing pack
        columns = ["project", "holder", "piece_area"]
        if pieces.fields().indexFromName("held_area") >= 0:
            columns.append("held_area")
        frame = pd.DataFrame(layer_records(pieces, columns), columns=columns, dtype=object)
        for column in columns[2:]:
            frame[column] = frame[column].astype(float)
        frame.attrs["name"] = pieces.name()
        return frame

    def progress(self):
        """The ledger's consent progress over the affected pieces (None without ledger or pieces)."""
        if self.ledger is None or self.dock.results.layer(self.setup, "affected.OUTPUT") is None:
            return None
        return self.ledger.progress(self.pieces_frame())

    def show_results(self) -> str:
        labels = self.status_labels()
        progress = fingerprint = None
        if ledger_available() and self.ledger is not None:
            with self.ledger.read_transaction():  # the code of the very records shown
                progress = self.progress()
                fingerprint = self.ledger.fingerprint()
        if progress is None:
            self.table.clear()
            self.form.totalsLabel.setText(
                self.tr("Open or create the ledger to see and record consent.") if ledger_available() else ""
            )
            return ""
        records = progress.holders.to_dict("records")
        for rec in records:
            rec["status_text"] = labels.get(rec["status"], rec["status"])
        self.table.set_records(records, sort_key="area")
        lines = []
        for rec in progress.projects.to_dict("records"):
            lines.append(
                self.tr(
                    "{project}: {c} of {n} holders consented ({rate}), {s} signed; {ac} of {a} m² "
                    "consented ({arate})."
                ).format(
                    project=rec["project"],
                    c=rec["consented"],
                    n=rec["holders"],
                    rate=_pct(rec["consent_rate"]),
                    s=rec["signed"],
                    ac=f"{rec['area_consented']:,.2f}",
                    a=f"{rec['area']:,.2f}",
                    arate=_pct(rec["area_consent_rate"]),
                )
            )
        lines.append(
            self.tr(
                "Ledger fingerprint code (校验码) for the hearing minutes: {code} ({n} audit entries)."
            ).format(code=fingerprint.code, n=fingerprint.entries)
        )
        text = "<br>".join(lines)
        self.form.totalsLabel.setText(text)
        return " ".join(lines)

    def restore(self) -> None:
        self._restoring = True
        try:
            self.form.ledgerFile.setFilePath(self.setup.option("ledger_path"))
        finally:
            self._restoring = False
        if self._ledger_path and self._ledger_path != self.ledger_path():
            self.close_ledger()
        if self.ledger is None and ledger_available() and Path(self.ledger_path()).exists():
            try:
                self.open_ledger_quietly()
            except Exception as exc:  # noqa: BLE001 - a broken ledger must not stop the dock
                push(self.message_bar(), str(exc), Qgis.MessageLevel.Warning)
        self.show_results()

    def open_ledger_quietly(self) -> None:
        from ..allocation.ledger import Ledger

        self.ledger = Ledger.open(self.ledger_path(), officer=Settings().officer_name or None, timeout=5.0)
        self._ledger_path = self.ledger_path()

    def selected(self) -> dict | None:
        index = self.form.resultTable.currentIndex()
        record = self.table.record_at(index)
        if record is None:
            raise SetupError(self.tr("Select a rights-holder in the table first."))
        return record

    @guarded
    def on_row_changed(self, current, _previous) -> None:
        record = self.table.record_at(current)
        if record is None:
            return
        f = self.form
        f.consentStatus.setCurrentIndex(max(f.consentStatus.findData(record["status"]), 0))
        f.scenarioOption.setText(record.get("scenario_option") or "")
        pieces = self.dock.results.layer(self.setup, "affected.OUTPUT")
        if pieces is not None and record.get("holder") is not None:
            from qgis.core import QgsExpression

            expression = QgsExpression.createFieldEqualityExpression("holder", record["holder"])
            expression += " AND " + QgsExpression.createFieldEqualityExpression("project", record["project"])
            self.zoom_to(pieces, expression)

    # -- writes ------------------------------------------------------------------------------------
    @guarded
    def record_consent(self):
        """Record the consent chosen for the selected holder (with the version the table showed)."""
        from ..allocation.errors import ConcurrentEditError

        ledger = self.ensure_ledger()
        record = self.selected()
        status = self.form.consentStatus.currentData()
        option = self.form.scenarioOption.text().strip()
        kwargs = {"scenario_option": option} if option else {}
        try:
            result = ledger.set_consent(
                record["project"],
                record["holder"],
                status,
                expected_version=int(record.get("version") or 0),
                **kwargs,
            )
        except ConcurrentEditError as exc:
            self.show_results()
            raise SetupError(
                self.tr(
                    "Someone else changed the consent of {holder} since the table was loaded; nothing "
                    "was written. The table is reloaded: check it and record your change again. ({detail})"
                ).format(holder=record["holder"], detail=exc)
            ) from exc
        self.show_results()
        push(
            self.message_bar(),
            self.tr("{holder}: {status} recorded.").format(
                holder=record["holder"], status=self.status_labels().get(result.status, result.status)
            ),
            Qgis.MessageLevel.Success,
        )
        return result

    @guarded
    def record_event(self):
        """Record a consultation event with the selected holder (moves them to 'contacted')."""
        ledger = self.ensure_ledger()
        record = self.selected()
        day = self.form.eventDate.date().toString("yyyy-MM-dd")
        event_id = ledger.add_event(
            self.form.eventKind.currentData(),
            day,
            project=record["project"],
            summary=self.form.eventSummary.text().strip() or None,
            holders=[record["holder"]],
        )
        self.show_results()
        push(
            self.message_bar(),
            self.tr("Event {id} recorded with {holder}.").format(id=event_id, holder=record["holder"]),
            Qgis.MessageLevel.Success,
        )
        return event_id

    # -- import and export -----------------------------------------------------------------------------
    def preview_import(self, path: str):
        """What importing the sheet ``path`` would do (nothing written): a ledger ``ImportPreview``."""
        ledger = self.ensure_ledger()
        frame, holder, _kind, _community = self.holders_frame()
        pieces = self.pieces_frame() if self.dock.results.layer(self.setup, "affected.OUTPUT") else None
        return ledger.preview_import(
            path,
            frame[holder].tolist(),
            project=self.setup.option("project_value") or None,
            pieces=pieces,
        )

    def commit_import(self, preview):
        """Record the good rows of ``preview`` (one transaction) and say what was refused."""
        from ..allocation.errors import ConcurrentEditError

        try:
            result = self.ensure_ledger().commit_import(preview)
        except ConcurrentEditError as exc:
            self.show_results()
            raise SetupError(
                self.tr(
                    "The ledger changed since the preview; nothing was imported. Preview it again. ({detail})"
                ).format(detail=exc)
            ) from exc
        self.show_results()
        text = self.tr("{n} consent records imported, {same} unchanged, {bad} rows refused.").format(
            n=result.imported, same=result.unchanged, bad=len(result.bad)
        )
        push(
            self.message_bar(),
            text,
            Qgis.MessageLevel.Warning if len(result.bad) else Qgis.MessageLevel.Success,
        )
        return result

    @guarded
    def on_import(self):
        from qgis.PyQt.QtWidgets import QDialog, QFileDialog

        from .panels import ImportDialog

        self.ensure_ledger()
        path, _ = QFileDialog.getOpenFileName(
            self.page,
            self.tr("Import consent from a spreadsheet"),
            "",
            self.tr("Spreadsheets (*.csv *.xlsx)"),
        )
        if not path:
            return None
        dialog = ImportDialog(self.preview_import(path), self.page)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return self.commit_import(dialog.preview)

    def export_ledger(self, path: str, public: bool) -> str:
        """Write the consent table (``.csv``) or the whole ledger (``.xlsx``) to ``path``."""
        from .guard import check_output

        ledger = self.ensure_ledger()
        check_output(
            self.tr("Export the ledger"),
            path,
            self.dock.project,
            self.setup,
            [(self.tr("Ledger"), self.ledger_path())],
        )
        written = ledger.export(
            path, project=self.setup.option("project_value") or None, public=public
        )
        push(
            self.message_bar(),
            self.tr("Ledger exported to {path}.").format(path=written),
            Qgis.MessageLevel.Success,
        )
        return str(written)

    @guarded
    def on_export(self):
        from qgis.PyQt.QtWidgets import QFileDialog

        self.ensure_ledger()
        path, _ = QFileDialog.getSaveFileName(
            self.page, self.tr("Export the ledger"), "", self.tr("CSV (*.csv);;Excel workbook (*.xlsx)")
        )
        if not path:
            return None
        return self.export_ledger(path, self.form.publicCheck.isChecked())

    # -- progress through Processing ---------------------------------------------------------------
    def parameters(self, for_dialog: bool = False):
        pieces = self.dock.results.layer(self.setup, "affected.OUTPUT")
        if pieces is None:
            raise SetupError(self.tr("Run the Affected area step first: consent is counted on its pieces."))
        path = self.ledger_path()
        if not for_dialog and not Path(path).exists():
            raise SetupError(self.tr("Open or create the ledger first."))
        params = {
            "LEDGER": path,
            "PIECES": pieces.id(),
            "PROJECT_FIELD": "project",
            "HOLDER_FIELD": "holder",
            # the land counted once when the pieces carry it (issue 19), as the other steps count it
            "AREA_FIELD": "held_area" if pieces.fields().indexFromName("held_area") >= 0 else "piece_area",
            "PROJECTS": self.setup.option("project_value") or None,
        }
        if not for_dialog:
            params["OUTPUT"] = self.output_path("consent_progress")
            params["PIECES_STATUS"] = self.output_path("pieces_by_consent")
        return params, [], []

    def load_results(self, result) -> str:
        replaced = []
        labels = self.status_labels()
        titles = {
            "PIECES_STATUS": self.tr("Pieces by consent status"),
            "OUTPUT": self.tr("Consent progress"),
        }
        for position, key in enumerate(("PIECES_STATUS", "OUTPUT")):
            uri = result.outputs.get(key)
            if not uri:
                continue

            def style(layer, labels=labels):
                style_categories(layer, "status", colours=CONSENT_COLOURS, labels=labels, opacity=0.85)

            _layer, files = self.dock.results.add(
                self.setup,
                f"{self.KEY}.{key}",
                uri,
                titles[key],
                style if key == "PIECES_STATUS" else None,
                position=position,
            )
            replaced.extend(files)
        self.cleanup_replaced(replaced)
        return self.show_results() or " ".join(result.infos[-2:])

    def close_down(self) -> None:
        super().close_down()
        self.close_ledger()


def _pct(value) -> str:
    try:
        value = float(value)
    except (TypeError, ValueError):
        return "—"
    return "—" if value != value else f"{value * 100:.1f} %"
