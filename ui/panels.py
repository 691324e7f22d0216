"""Small reusable pieces of the step pages built from their own forms."""

from __future__ import annotations

from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QPixmap
from qgis.PyQt.QtWidgets import QDialog, QDialogButtonBox, QLabel, QSizePolicy, QWidget

from .forms import form_class
from .tables import Column, SearchableTable

__all__ = ["TablePanel", "ImageLabel", "ImportDialog"]


class TablePanel(QWidget):
    """A searchable, sortable table (form ``table_panel.ui``), e.g. one tab of a step's results."""

    def __init__(self, columns, missing: str = "—", parent=None):
        super().__init__(parent)
        self.form = form_class("table_panel.ui")()
        self.form.setupUi(self)
        self.table = SearchableTable(self.form.table, self.form.searchEdit, columns, missing=missing)


class ImageLabel(QLabel):
    """An image (e.g. the scenario chart) scaled to the width it is given, never wider."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._pixmap = QPixmap()
        self.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def set_image(self, path: str) -> bool:
        self._pixmap = QPixmap(path) if path else QPixmap()
        self._rescale()
        return not self._pixmap.isNull()

    def image(self) -> QPixmap:
        return self._pixmap

    def resizeEvent(self, event):
        super().resizeEvent(event)
        self._rescale()

    def _rescale(self) -> None:
        if self._pixmap.isNull():
            self.setPixmap(QPixmap())
            return
        width = max(min(self.width(), self._pixmap.width()), 50)
        self.setPixmap(self._pixmap.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation))


class ImportDialog(QDialog):
    """The preview of a consent spreadsheet import (form ``import_dialog.ui``): every row, what the
    import would do with it and why a bad row is refused. OK imports the good rows."""

    def __init__(self, preview, parent=None):
        super().__init__(parent)
        self.form = form_class("import_dialog.ui")()
        self.form.setupUi(self)
        self.preview = preview
        self.table = SearchableTable(
            self.form.table,
            self.form.searchEdit,
            [
                Column("row", self.tr("Row"), "int"),
                Column("holder_given", self.tr("Holder in the sheet")),
                Column("holder", self.tr("Rights-holder")),
                Column("project", self.tr("Project")),
                Column("status", self.tr("Status")),
                Column("current_status", self.tr("Now")),
                Column("action", self.tr("Action")),
                Column("reason", self.tr("Reason")),
            ],
        )
        rows = preview.rows.astype(object).where(preview.rows.notna(), None).to_dict("records")
        self.table.set_records(rows)
        counts = preview.rows.action.value_counts()
        n_set, n_same, n_bad = (int(counts.get(k, 0)) for k in ("set", "unchanged", "bad"))
        self.form.summaryLabel.setText(
            self.tr(
                "{source}: {set} rows to record, {same} unchanged, {bad} refused (not imported; see the "
                "reason of each)."
            ).format(source=preview.source, set=n_set, same=n_same, bad=n_bad)
        )
        ok = self.form.buttonBox.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("Import {n} rows").format(n=n_set))
        ok.setEnabled(n_set > 0)
