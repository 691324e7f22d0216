"""The Hearing step: ``landcoord:hearingmaps``, the print-ready PDF pack for the public hearing.

It prints the project of the set-up with every result the other steps produced (pieces, quota
trail, scenarios and chart, carved retained land, conflicts) and, when the Consultation step has a
ledger, the ledger's fingerprint code (校验码) and the project's consent rates. The benefit sheet
prints who pays what, every party over time and the feasibility (FINANCE) from the finance tables:
the Quota step's scenarios run writes them when its scenarios file has [scenario.finance]
(``landcoord:benefitscenarios`` FINANCE_TABLES), and "Finance tables" (optional) takes another
file instead, the output of ``landcoord benefits`` (its GeoPackage, or its .csv with the
``_finance_*`` tables beside it); a file chosen there wins. The algorithm draws
print layouts, so it runs in the main thread (QGIS's rule for such algorithms); the dock shows its
progress.
"""

from __future__ import annotations

from pathlib import Path

from qgis.gui import QgsFileWidget
from qgis.PyQt.QtCore import QUrl
from qgis.PyQt.QtGui import QDesktopServices

from .checks import optional_field, optional_layer, require_field, require_layer
from .guard import SetupError, guarded
from .step import StepController

__all__ = ["HearingStep"]

PAPERS = ("A3", "A4")


class HearingStep(StepController):
    KEY = "hearing"
    ALG_ID = "landcoord:hearingmaps"
    FORM = "hearing_step.ui"

    def __init__(self, dock):
        super().__init__(dock)
        f = self.form
        f.pdfFile.setStorageMode(QgsFileWidget.StorageMode.SaveFile)
        f.pdfFile.setFilter(self.tr("PDF files (*.pdf)"))
        f.pdfFile.fileChanged.connect(lambda path: self.set_option("hearing_pdf", path))
        f.financeFile.setStorageMode(QgsFileWidget.StorageMode.GetFile)
        f.financeFile.setFilter(self.tr("Benefits tables (*.gpkg *.csv *.xlsx)"))
        f.financeFile.fileChanged.connect(lambda path: self.set_option("hearing_finance", path))
        f.paperSize.addItem(self.tr("A3 landscape"), 0)
        f.paperSize.addItem(self.tr("A4 landscape"), 1)
        f.paperSize.currentIndexChanged.connect(
            lambda i: self.set_option("hearing_paper", f.paperSize.itemData(i))
        )
        f.dpi.setClearValue(200)
        f.dpi.valueChanged.connect(lambda v: self.set_option("hearing_dpi", int(v)))
        f.maxHolders.setClearValue(0)
        f.maxHolders.valueChanged.connect(lambda v: self.set_option("hearing_max_holders", int(v)))
        f.officeEdit.editingFinished.connect(lambda: self.set_option("hearing_office", f.officeEdit.text()))
        f.internalCheck.toggled.connect(lambda on: self.set_option("hearing_internal", bool(on)))
        f.openPdfButton.clicked.connect(self.open_pdf)

    def title(self) -> str:
        return self.tr("Hearing")

    def refresh(self) -> None:
        super().refresh()
        # an empty "Finance tables" takes the Quota step's: its path shows where the officer chooses
        if self.setup is not None:
            written = self.setup.option("quota_finance")
            shown = written if written and Path(written).is_file() else ""
            self.form.financeFile.lineEdit().setPlaceholderText(shown)

    def pdf_path(self) -> str:
        chosen = self.setup.option("hearing_pdf")
        if chosen:
            return chosen
        return str(Path(self.dock.output_folder()) / self.setup.key / "hearing" / "hearing_pack.pdf")

    def restore(self) -> None:
        f = self.form
        self._restoring = True
        try:
            f.pdfFile.setFilePath(self.setup.option("hearing_pdf"))
            f.pdfFile.lineEdit().setPlaceholderText(self.pdf_path())
            f.paperSize.setCurrentIndex(
                max(f.paperSize.findData(int(self.setup.option("hearing_paper", "0"))), 0)
            )
            f.dpi.setValue(int(self.float_option("hearing_dpi", 200)))
            f.officeEdit.setText(self.setup.option("hearing_office"))
            f.maxHolders.setValue(int(self.float_option("hearing_max_holders", 0)))
            f.internalCheck.setChecked(self.bool_option("hearing_internal"))
            f.financeFile.setFilePath(self.setup.option("hearing_finance"))
        finally:
            self._restoring = False
        self.show_results()

    def result(self, key: str):
        layer = self.dock.results.layer(self.setup, key)
        return layer.id() if layer is not None else None

    def ledger_location(self) -> tuple[str | None, list]:
        """``(path, notes)``: the ledger the Consultation step uses, when there is one."""
        consultation = self.dock.steps.get("consultation")
        path = consultation.ledger_path() if consultation is not None else self.setup.option("ledger_path")
        if not path or not Path(path).is_file():
            return None, []
        try:
            from ..allocation.errors import LandcoordError
            from ..allocation.ledger import Ledger
        except ImportError:
            return None, []
        try:
            Ledger.open(path, timeout=5.0).close()
        except LandcoordError as exc:
            note = self.tr("The hearing pack is made without the ledger's fingerprint code: {error}")
            return None, [note.format(error=exc)]
        return path, []

    def finance_path(self) -> str | None:
        """The finance tables chosen (refused, naming the file, when it is gone); without a choice,
        those of the Quota step's scenarios run (None when it wrote none or they are gone)."""
        path = self.setup.option("hearing_finance")
        if not path:
            written = self.setup.option("quota_finance")
            return written if written and Path(written).is_file() else None
        if not Path(path).is_file():
            raise SetupError(
                self.tr(
                    "The finance tables '{path}' do not exist: choose the output of landcoord benefits "
                    "again under Finance tables, or clear it."
                ).format(path=path)
            )
        return path

    def parameters(self, for_dialog: bool = False):
        boundary = require_layer(self.project, self.setup, "boundary")
        cadastre = require_layer(self.project, self.setup, "cadastre")
        project_field = optional_field(boundary, self.setup, "project_id")
        project = self.setup.option("project_value")
        if not project and project_field:
            idx = boundary.fields().indexFromName(project_field)
            values = {str(v) for v in boundary.uniqueValues(idx) if v is not None and str(v) != "NULL"}
            if len(values) > 1:
                raise SetupError(
                    self.tr(
                        "The hearing pack is for one project: choose it on the Project step ({values})."
                    ).format(values=", ".join(sorted(values)))
                )
        controls = optional_layer(self.project, self.setup, "controls")
        chart = self.setup.option("quota_chart")
        ledger, notes = self.ledger_location()
        params = {
            "BOUNDARY": boundary.id(),
            "PROJECT_FIELD": project_field or None,
            "PROJECT": project or None,
            "PROJECT_NAME_FIELD": optional_field(boundary, self.setup, "project_name") or None,
            "CADASTRE": cadastre.id(),
            "PARCEL_FIELD": require_field(cadastre, self.setup, "parcel_id"),
            "HOLDER_FIELD": require_field(cadastre, self.setup, "holder"),
            "HOLDER_TYPE_FIELD": optional_field(cadastre, self.setup, "holder_type") or None,
            "STATUS_FIELD": optional_field(cadastre, self.setup, "status") or None,
            "PIECES": self.result("affected.OUTPUT"),
            "CONTROLS": controls.id() if controls is not None else None,
            "CONTROL_KIND_FIELD": optional_field(controls, self.setup, "kind") or None,
            "CONTROL_NAME_FIELD": optional_field(controls, self.setup, "zone_name") or None,
            "RETAINED": self.result("retained.OUTPUT"),
            "CONFLICTS": self.result("conflicts.OUTPUT"),
            "CONFLICT_SUMMARY": self.result("conflicts.SUMMARY"),
            "QUOTA_TRAIL": self.result("quota.OUTPUT"),
            "SCENARIOS": self.result("quota.SCENARIOS"),
            "CHART": chart if chart and Path(chart).exists() else None,
            "FINANCE": self.finance_path(),
            "LEDGER": ledger,
            "OFFICE": self.setup.option("hearing_office") or None,
            "PAPER": int(self.setup.option("hearing_paper", "0")),
            "DPI": int(self.float_option("hearing_dpi", 200)),
            "INTERNAL": self.bool_option("hearing_internal"),
            "MAX_HOLDERS": int(self.float_option("hearing_max_holders", 0)),
        }
        if not for_dialog:
            path = Path(self.pdf_path())
            path.parent.mkdir(parents=True, exist_ok=True)
            params["OUTPUT"] = str(path)
        return params, [], notes

    def load_results(self, result) -> str:
        pdf = result.outputs.get("OUTPUT") or self.pdf_path()
        self.setup.options["hearing_written"] = str(pdf)
        pages = result.outputs.get("PAGES")
        if pages is not None:
            self.setup.options["hearing_pages"] = str(int(pages))
        self.setup.options["hearing_ledger_code"] = str(result.outputs.get("FINGERPRINT") or "")
        return self.show_results()

    def show_results(self) -> str:
        pdf = self.setup.option("hearing_written")
        exists = bool(pdf) and Path(pdf).is_file()
        self.form.openPdfButton.setEnabled(exists)
        if not exists:
            self.form.totalsLabel.setText("")
            return ""
        text = self.tr("{pages} pages written to {path}.").format(
            pages=self.setup.option("hearing_pages", "?"), path=pdf
        )
        if self.bool_option("hearing_internal"):
            text += " " + self.tr("INTERNAL version: not for public display.")
        code = self.setup.option("hearing_ledger_code")
        if code:
            text += " " + self.tr("Ledger fingerprint code (校验码) printed on the overview: {code}.").format(
                code=code
            )
        self.form.totalsLabel.setText(text)
        return text

    @guarded
    def open_pdf(self) -> bool:
        pdf = self.setup.option("hearing_written")
        if not pdf or not Path(pdf).is_file():
            raise SetupError(self.tr("Make the hearing pack first."))
        return QDesktopServices.openUrl(QUrl.fromLocalFile(pdf))
