"""Result tables in the dock: a plain table model, sortable and searchable through a proxy."""

from __future__ import annotations

import math
from dataclasses import dataclass

from qgis.core import NULL, QgsFeatureRequest, QgsVectorLayer
from qgis.PyQt.QtCore import QAbstractTableModel, QEvent, QModelIndex, QObject, QSortFilterProxyModel, Qt

from ..qgis_compat import REQUEST_NO_GEOMETRY, enum_int

__all__ = ["Column", "RecordsModel", "SearchableTable", "layer_records"]

RAW = enum_int(Qt.ItemDataRole.UserRole) + 1


@dataclass(frozen=True)
class Column:
    """One column: the record key, its (translated) header and how to show it."""

    key: str
    header: str
    kind: str = "text"  # text | int | area | share | number | dec1 … dec6 (fixed decimals)


def _is_missing(value) -> bool:
    if value is None or value == NULL:
        return True
    return isinstance(value, float) and math.isnan(value)


def _fmt(value, kind: str, missing: str) -> str:
    if _is_missing(value):
        return missing
    try:
        if kind == "area":
            return f"{float(value):,.2f}"
        if kind == "share":
            return f"{float(value) * 100:.2f} %"
        if kind == "int":
            return f"{int(value):,d}"
        if kind.startswith("dec"):
            return f"{float(value):,.{int(kind[3:])}f}"
        if kind == "number":
            return f"{float(value):,.4g}" if abs(float(value)) < 1e4 else f"{float(value):,.2f}"
    except (TypeError, ValueError):
        return str(value)
    return str(value)


class RecordsModel(QAbstractTableModel):
    """Rows of dicts shown in columns; ``RAW`` role gives the raw value (used for sorting)."""

    def __init__(
        self, columns: list[Column], records: list[dict] | None = None, missing: str = "—", parent=None
    ):
        super().__init__(parent)
        self.columns = list(columns)
        self.records: list[dict] = list(records or [])
        self.missing = missing

    def set_records(self, records: list[dict]) -> None:
        self.beginResetModel()
        self.records = list(records)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()):  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self.records)

    def columnCount(self, parent=QModelIndex()):  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        col = self.columns[index.column()]
        value = self.records[index.row()].get(col.key)
        if role == Qt.ItemDataRole.DisplayRole:
            return _fmt(value, col.kind, self.missing)
        if role == RAW:
            if _is_missing(value):
                return None
            if col.kind == "text":
                return str(value)
            try:
                return float(value)
            except (TypeError, ValueError):
                return str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole and col.kind != "text":
            return enum_int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return None if _is_missing(value) else str(value)
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.columns[section].header
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        return None

    def record(self, row: int) -> dict:
        return self.records[row]


class _Proxy(QSortFilterProxyModel):
    """Sorts by raw values (numbers as numbers, missing last) and searches every column."""

    def lessThan(self, left, right):
        a = self.sourceModel().data(left, RAW)
        b = self.sourceModel().data(right, RAW)
        if a is None or b is None:
            return a is not None and b is None
        if isinstance(a, float) and isinstance(b, float):
            return a < b
        return str(a) < str(b)


class _FitOnResize(QObject):
    """Refits a :class:`SearchableTable`'s columns when its view is resized."""

    def __init__(self, table):
        super().__init__(table.view)
        self._table = table

    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Resize:
            self._table.fit_columns()
        return False


class SearchableTable:
    """Binds a ``QTableView`` and a search line edit to a :class:`RecordsModel`."""

    def __init__(self, view, search_edit, columns: list[Column], missing: str = "—"):
        self.view = view
        self.model = RecordsModel(columns, missing=missing, parent=view)
        self.proxy = _Proxy(view)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        view.setModel(self.proxy)
        view.setSortingEnabled(True)
        view.setSelectionBehavior(view.SelectRows)
        view.setSelectionMode(view.SingleSelection)
        view.setEditTriggers(view.NoEditTriggers)
        view.horizontalHeader().setStretchLastSection(True)
        # a narrower dock narrows the widest columns again (see fit_columns)
        self._fit = _FitOnResize(self)
        view.viewport().installEventFilter(self._fit)
        self.search_edit = search_edit
        if search_edit is not None:
            search_edit.textChanged.connect(self.search)

    def search(self, text: str) -> None:
        self.proxy.setFilterFixedString(text or "")

    def set_records(self, records: list[dict], sort_key: str | None = None, descending: bool = True) -> None:
        self.model.set_records(records)
        if sort_key is not None:
            keys = [c.key for c in self.model.columns]
            if sort_key in keys:
                self.view.sortByColumn(
                    keys.index(sort_key),
                    Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder,
                )
        self.view.resizeColumnsToContents()
        self.fit_columns()

    def fit_columns(self, minimum: int = 60) -> None:
        """Narrow the widest columns (usually the names; their text elided in the middle) until every
        column fits the view, so that no column is cut off in a narrow dock."""
        header = self.view.horizontalHeader()
        avail = self.view.viewport().width()
        count = header.count()
        if avail <= 0 or count == 0:
            return
        self.view.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        widths = [header.sectionSize(i) for i in range(count)]
        excess = sum(widths) - avail
        # the last column stretches to the view's edge: it is never the one narrowed
        for i in sorted(range(count - 1), key=lambda k: -widths[k]):
            if excess <= 0:
                break
            cut = min(excess, widths[i] - minimum)
            if cut > 0:
                header.resizeSection(i, widths[i] - cut)
                excess -= cut

    def clear(self) -> None:
        self.model.set_records([])

    def record_at(self, proxy_index) -> dict | None:
        if proxy_index is None or not proxy_index.isValid():
            return None
        return self.model.record(self.proxy.mapToSource(proxy_index).row())

    def visible_records(self) -> list[dict]:
        return [self.record_at(self.proxy.index(r, 0)) for r in range(self.proxy.rowCount())]


def layer_records(layer: QgsVectorLayer, keys: list[str] | None = None, with_fid: bool = False) -> list[dict]:
    """The attributes of every feature of ``layer`` as dicts (NULL becomes None)."""
    if layer is None or not layer.isValid():
        return []
    names = [f.name() for f in layer.fields()]
    keys = [k for k in (keys or names) if k in names]
    request = QgsFeatureRequest().setFlags(REQUEST_NO_GEOMETRY).setSubsetOfAttributes(keys, layer.fields())
    out = []
    for feat in layer.getFeatures(request):
        rec = {k: (None if _is_missing(feat[k]) else feat[k]) for k in keys}
        if with_fid:
            rec["_fid"] = feat.id()
        out.append(rec)
    return out
