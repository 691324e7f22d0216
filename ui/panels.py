"""Small reusable pieces of the step pages built from their own forms."""

from __future__ import annotations

from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QPixmap
from qgis.PyQt.QtWidgets import QLabel, QSizePolicy, QWidget

from .forms import form_class
from .tables import SearchableTable

__all__ = ["TablePanel", "ImageLabel"]


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
        self.setAlignment(Qt.AlignHCenter | Qt.AlignTop)
        self.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)

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
        self.setPixmap(self._pixmap.scaledToWidth(width, Qt.SmoothTransformation))
