"""Small reusable pieces of the step pages built from their own forms."""

from __future__ import annotations

from qgis.PyQt.QtWidgets import QWidget

from .forms import form_class
from .tables import SearchableTable

__all__ = ["TablePanel"]


class TablePanel(QWidget):
    """A searchable, sortable table (form ``table_panel.ui``), e.g. one tab of a step's results."""

    def __init__(self, columns, missing: str = "—", parent=None):
        super().__init__(parent)
        self.form = form_class("table_panel.ui")()
        self.form.setupUi(self)
        self.table = SearchableTable(self.form.table, self.form.searchEdit, columns, missing=missing)
