"""The sheets of a hearing pack as QGIS print layouts: default design, user templates, item ids.

There are five kinds of sheet (:data:`SHEET_KINDS`), each one QGIS print layout:

``overview``
    the project on its parcels coloured by holder, control lines, carved retained land; legend,
    scale bar, north arrow, title block and the table of affected area per holder;
``holder``
    a QGIS atlas over the holders (coverage layer ``holders``, filtered to ``"sheet" = 1``, sorted
    by ``code``): the holder's pieces highlighted, their parcels and their scenario figures;
``benefit``
    the scenario comparison chart, the table of every party under every scenario, the quota trail
    and, with the finance tables, who gets and who pays (every party, reconciled) and the
    implementing entity's feasibility verdict;
``conflicts``
    the conflicts on a map, the carved retained land, the verdicts and every conflict;
``monitoring``
    with a ledger only: the project's monitoring indicators on the hearing day, the duties of its
    stage, the indicators over the months before, and their chart.

Rows that do not fit a table's frame continue on continuation sheets (default design only).

A user's own template
---------------------
A ``.qpt`` file per kind (``overview.qpt``, ``holder.qpt``, ``benefit.qpt``, ``conflicts.qpt``,
``monitoring.qpt`` in a
folder; ``landcoord hearing --write-templates DIR`` writes the defaults to start from) replaces the
default design. The code fills the items it finds by id and leaves everything else as designed:

=================  ==========================  ====================================================
id                 item                        filled with
=================  ==========================  ====================================================
``title``          label                       sheet title
``subtitle``       label                       project name and code, holder, "continued"
``titleblock``     manual table frame          project, code, issuing office, date, scale, CRS,
                                               version (public / internal), page n / N
``stamp``          label                       the internal-version stamp (added when missing)
``footer``         label                       privacy statement and the unverified-figures note
``map``            map                         the sheet's layers and extent (atlas-driven on
                                               ``holder``); scale rounded to a standard scale
``legend``         legend                      the map's layers
``scalebar``       scale bar                   linked to ``map``
``north``          picture                     north arrow, linked to ``map``
``holder``         label                       the holder's code, name, type, parcels, area
``ledger``         label                       the ledger's fingerprint code (校验码) and the
                                               project's consent rates (``overview``; only when a
                                               ledger is given, hidden otherwise)
``chart``          picture                     the scenario comparison chart (PNG); on
                                               ``monitoring`` the indicators over time
``table_holders``  manual table frame          affected area per holder (``overview``)
``table_parcels``  manual table frame          the holder's parcels (``holder``)
``table_scenarios`` manual table frame         the holder's scenario figures (``holder``)
``table_parties``  manual table frame          every party under every scenario (``benefit``)
``table_quota``    manual table frame          the retained-land quota trail (``benefit``)
``table_finance``  manual table frame          what every party gets under every scenario,
                                               reconciled (``benefit``)
``table_payers``   manual table frame          who pays what (``benefit``)
``table_feasibility`` manual table frame       the implementing entity's verdict (``benefit``)
``table_retained`` manual table frame          carved retained land (``conflicts``)
``table_verdicts`` manual table frame          verdict per input (``conflicts``)
``table_conflicts`` manual table frame         every conflict (``conflicts``)
``table_monitor``  manual table frame          the indicators on the hearing day (``monitoring``)
``table_duties``   manual table frame          the duties of the stage (``monitoring``)
``table_monitor_days`` manual table frame      the indicators over time (``monitoring``)
``<table id>_title`` label                     the table's title
=================  ==========================  ====================================================

Labels may also use the layout variables ``@landcoord_project_name``, ``@landcoord_project_code``,
``@landcoord_office``, ``@landcoord_date``, ``@landcoord_version``, ``@landcoord_page``,
``@landcoord_pages``, ``@landcoord_scale``, ``@landcoord_holder_code``,
``@landcoord_holder_label`` and ``@landcoord_ledger_code`` (empty without a ledger), and the atlas
feature's fields ``code``, ``label``, ``parcels`` and ``affected_area`` on ``holder`` sheets. The
layers the code gives a template's maps are those of
:class:`~landcoord.allocation.hearing.HearingData` (``boundary``, ``parcels``, ``pieces``,
``holders``, ``controls``, ``retained``, ``conflicts``): in the public version they hold masked
names only, so a template cannot print an individual's full name, an ID or a phone number.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

from qgis.core import (
    Qgis,
    QgsApplication,
    QgsExpressionContextUtils,
    QgsLayerTree,
    QgsLayoutFrame,
    QgsLayoutItemLabel,
    QgsLayoutItemLegend,
    QgsLayoutItemManualTable,
    QgsLayoutItemMap,
    QgsLayoutItemPage,
    QgsLayoutItemPicture,
    QgsLayoutItemScaleBar,
    QgsLayoutMeasurement,
    QgsLayoutMultiFrame,
    QgsLayoutPoint,
    QgsLayoutSize,
    QgsLayoutTableColumn,
    QgsLayoutTableStyle,
    QgsLayoutUtils,
    QgsLegendStyle,
    QgsMapLayerLegendUtils,
    QgsPrintLayout,
    QgsReadWriteContext,
    QgsRectangle,
    QgsTableCell,
)
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QColor
from qgis.PyQt.QtXml import QDomDocument

from ..allocation.errors import InputError, OutputError
from ..allocation.i18n import tr
from ..qgis_compat import PICTURE_SVG, SCALEBAR_FIT_WIDTH
from .fonts import font, text_format

__all__ = [
    "PAPERS",
    "SHEET_KINDS",
    "TABLE_IDS",
    "TABLE_WEIGHTS",
    "NICE_SCALES",
    "Sheet",
    "build_sheet",
    "continuation_sheet",
    "nice_scale",
    "load_template",
]

#: Landscape paper sizes (width, height) in mm.
PAPERS = {"A3": (420.0, 297.0), "A4": (297.0, 210.0)}
SHEET_KINDS = ("overview", "holder", "benefit", "conflicts", "monitoring")
#: The tables of each kind of sheet, in the order they are filled.
TABLE_IDS = {
    "overview": ("table_holders",),
    "holder": ("table_parcels", "table_scenarios"),
    "benefit": ("table_parties", "table_feasibility", "table_finance", "table_payers", "table_quota"),
    "conflicts": ("table_conflicts", "table_retained", "table_verdicts"),
    "monitoring": ("table_monitor", "table_duties", "table_monitor_days"),
}
#: Relative column widths of each table.
TABLE_WEIGHTS = {
    "table_holders": (1.0, 2.7, 2.5, 1.1, 2.1, 1.6, 2.1),
    "table_parcels": (2.4, 2.6, 2.0, 2.2, 1.5),
    "table_scenarios": (1.6, 2.4, 2.4, 2.8, 2.4),
    "table_parties": (2.7, 1.9, 1.1, 2.3, 2.3, 2.8, 2.3),
    "table_quota": (1.5, 3.4, 2.4, 0.8, 3.0, 3.0),
    "table_finance": (2.2, 0.6, 1.7, 1.7, 1.9, 1.9),
    "table_payers": (2.2, 0.6, 1.9, 1.9, 1.9, 1.9),
    "table_feasibility": (0.9, 2.6, 1.6, 1.7, 1.3, 1.2, 1.8),
    "table_retained": (1.6, 1.6, 1.6, 1.5, 1.5, 1.4, 1.4, 1.6),
    "table_verdicts": (1.8, 1.4, 1.4, 1.4, 1.6),
    "table_conflicts": (1.4, 1.6, 1.5, 1.3, 1.0, 3.4, 3.0),
    "table_monitor": (3.0, 1.4),
    "table_duties": (3.6, 1.8, 1.1, 1.0),
    "table_monitor_days": (1.3, 1.4, 1.2, 1.2, 1.2, 0.9, 0.9, 1.2, 0.8, 0.8),
    "titleblock": (1.0, 2.6),
    "table_objections": (0.6, 1.3, 1.5, 3.6, 3.4, 1.5),  # the notice document (report.notice_pdf)
}
#: Height of a table's title (mm at A3; scaled with the paper).
TITLE_H = 6.5
#: Height of the ledger block on the overview sheet (mm at A3; scaled with the paper).
LEDGER_H = 21.0
#: Standard map scales (denominators) maps are rounded up to.
NICE_SCALES = (200, 500, 1000, 1500, 2000, 2500, 5000, 7500, 10000, 15000, 20000, 25000, 50000, 100000)

_MARK_FG = QColor("#8b0000")
_MARK_BG = QColor("#fde0dd")
_TOTAL_BG = QColor("#eeeeee")
_HEADER_BG = QColor("#e6e6e6")


def nice_scale(scale: float, minimum: float = 0) -> float:
    """The smallest standard scale at least ``scale`` (and ``minimum``).

    >>> nice_scale(3200), nice_scale(180, minimum=1000), nice_scale(2.5e5)
    (5000, 1000, 250000)
    """
    s = max(scale, minimum)
    for n in NICE_SCALES:
        if n >= s - 1e-6:
            return n
    step = 10 ** math.floor(math.log10(s))
    return int(math.ceil(s / step) * step)


@dataclass
class Sheet:
    """One print layout and the items the code fills, found by id."""

    kind: str
    layout: QgsPrintLayout
    family: str
    scale: float
    items: dict = field(default_factory=dict)
    tables: dict = field(default_factory=dict)  # id -> (manual table, frame, title label or None)
    template: str | None = None
    legend_root: object = None
    legend_key: object = None
    #: default design: ((x, y, w, h), [table ids]) regions the tables are stacked in
    stacks: list = field(default_factory=list)
    #: continuation sheets: the (x, y, w, h) columns the tables flow through
    columns: list = field(default_factory=list)

    def item(self, item_id):
        return self.items.get(item_id)

    def set_text(self, item_id: str, text: str) -> None:
        item = self.items.get(item_id)
        if isinstance(item, QgsLayoutItemLabel):
            item.setText(text)


def _mm(x, y):
    return QgsLayoutPoint(x, y, Qgis.LayoutUnit.Millimeters)


def _size(w, h):
    return QgsLayoutSize(w, h, Qgis.LayoutUnit.Millimeters)


def _place(item, x, y, w, h):
    item.attemptMove(_mm(x, y))
    item.attemptResize(_size(w, h))


def _label_font(lab, family, size, bold=False, color="#000000") -> None:
    """Font of a label (QGIS 3.22 labels take a QFont and a colour; 3.24+ a text format)."""
    if hasattr(lab, "setTextFormat"):
        lab.setTextFormat(text_format(family, size, bold, color))
    else:
        lab.setFont(font(family, size, bold))
        lab.setFontColor(QColor(color))


def _label(
    layout,
    item_id,
    family,
    size,
    x,
    y,
    w,
    h,
    text="",
    bold=False,
    color="#000000",
    align=Qt.AlignmentFlag.AlignLeft,
):
    lab = QgsLayoutItemLabel(layout)
    lab.setId(item_id)
    lab.setText(text)
    _label_font(lab, family, size, bold, color)
    lab.setHAlign(align)
    lab.setVAlign(Qt.AlignmentFlag.AlignTop)
    lab.setMarginX(0.5)
    lab.setMarginY(0.3)
    layout.addLayoutItem(lab)
    _place(lab, x, y, w, h)
    return lab


def style_table(table, family: str, size: float) -> None:
    """Fonts, grid and header style of a manual table."""
    table.setContentTextFormat(text_format(family, size))
    table.setHeaderTextFormat(text_format(family, size, bold=True))
    table.setCellMargin(0.8 * size / 7.0)
    table.setGridStrokeWidth(0.1)
    table.setGridColor(QColor("#808080"))
    table.setWrapBehavior(table.WrapText)
    table.setEmptyTableBehavior(table.ShowMessage)
    table.setHeaderHAlignment(table.FollowColumn)
    style = QgsLayoutTableStyle()
    style.enabled = True
    style.cellBackgroundColor = _HEADER_BG
    table.setCellStyle(table.HeaderRow, style)


def _table(layout, table_id, family, size, x, y, w, h, title=None):
    table = QgsLayoutItemManualTable.create(layout)
    layout.addMultiFrame(table)
    style_table(table, family, size)
    table.setResizeMode(QgsLayoutMultiFrame.ResizeMode.UseExistingFrames)
    frame = QgsLayoutFrame(layout, table)
    frame.setId(table_id)
    # a table frame's width follows its columns; the designed width is kept for them
    frame.setCustomProperty("landcoord_width", float(w))
    _place(frame, x, y, w, h)
    table.addFrame(frame)
    title_label = None
    if title is not None:
        th = TITLE_H * size / 7.0
        title_label = _label(
            layout, f"{table_id}_title", family, size * 1.25, x, y - th, w, th * 0.9, title, True
        )
    return table, frame, title_label


def _map(layout, x, y, w, h):
    m = QgsLayoutItemMap(layout)
    m.setId("map")
    m.setFrameEnabled(True)
    m.setFrameStrokeWidth(QgsLayoutMeasurement(0.3, Qgis.LayoutUnit.Millimeters))
    m.setBackgroundColor(QColor("#ffffff"))
    layout.addLayoutItem(m)
    _place(m, x, y, w, h)
    m.setExtent(QgsRectangle(0, 0, w, h))  # same aspect as the item: a defined extent to zoom from
    return m


def _north(layout, m, x, y, size):
    pic = QgsLayoutItemPicture(layout)
    pic.setId("north")
    path = _north_svg()
    if path:
        pic.setPicturePath(path, PICTURE_SVG)
    pic.setLinkedMap(m)
    pic.setBackgroundEnabled(True)
    pic.setBackgroundColor(QColor(255, 255, 255, 200))
    layout.addLayoutItem(pic)
    _place(pic, x, y, size, size * 1.2)
    return pic


def _north_svg() -> str | None:
    for folder in QgsApplication.svgPaths():
        p = Path(folder) / "arrows" / "NorthArrow_02.svg"
        if p.is_file():
            return str(p)
    return None


def _scalebar(layout, m, family, size, x, y, s):
    bar = QgsLayoutItemScaleBar(layout)
    bar.setId("scalebar")
    bar.setStyle("Single Box")
    bar.setLinkedMap(m)
    bar.setUnits(Qgis.DistanceUnit.Meters)
    bar.setUnitLabel("m")
    bar.setNumberOfSegments(4)
    bar.setNumberOfSegmentsLeft(0)
    bar.setSegmentSizeMode(SCALEBAR_FIT_WIDTH)
    bar.setMinimumBarWidth(40 * s)
    bar.setMaximumBarWidth(70 * s)
    bar.setHeight(2.0 * s)
    bar.setTextFormat(text_format(family, size))
    bar.setBackgroundEnabled(True)
    bar.setBackgroundColor(QColor(255, 255, 255, 210))
    layout.addLayoutItem(bar)
    bar.attemptMove(_mm(x, y))
    bar.applyDefaultSize(Qgis.DistanceUnit.Meters)
    return bar


def _legend(layout, m, family, size, x, y, w, h, title="图例 Legend", columns=1, background=False):
    leg = QgsLayoutItemLegend(layout)
    leg.setId("legend")
    leg.setTitle(title)
    leg.setLinkedMap(m)
    leg.setAutoUpdateModel(False)
    leg.setResizeToContents(False)
    leg.setColumnCount(columns)
    leg.setSplitLayer(True)
    leg.setSymbolWidth(5 * size / 7)
    leg.setSymbolHeight(3.5 * size / 7)
    for style, sz, bold in (
        (QgsLegendStyle.Style.Title, size * 1.25, True),
        (QgsLegendStyle.Style.Group, size, True),
        (QgsLegendStyle.Style.Subgroup, size, True),
        (QgsLegendStyle.Style.SymbolLabel, size, False),
    ):
        st = leg.style(style)
        if hasattr(st, "setTextFormat"):
            st.setTextFormat(text_format(family, sz, bold))
        else:
            st.setFont(font(family, sz, bold))
        leg.setStyle(style, st)
    if background:
        leg.setBackgroundEnabled(True)
        leg.setBackgroundColor(QColor(255, 255, 255, 225))
        leg.setFrameEnabled(True)
    else:
        leg.setBackgroundEnabled(False)
    layout.addLayoutItem(leg)
    _place(leg, x, y, w, h)
    return leg


def set_legend_layers(sheet: Sheet, layers, first_nodes: dict | None = None) -> None:
    """Show ``layers`` in the sheet's legend; ``first_nodes[layer_id] = n`` lists only n symbols."""
    leg = sheet.items.get("legend")
    if not isinstance(leg, QgsLayoutItemLegend):
        return
    key = ([lyr.id() for lyr in layers], sorted((first_nodes or {}).items()))
    if getattr(sheet, "legend_key", None) == key:
        return  # the same layers as on the sheet's previous page
    sheet.legend_key = key
    root = QgsLayerTree()
    for lyr in layers:
        root.addLayer(lyr)
    leg.model().setRootGroup(root)
    sheet.legend_root = root  # the legend does not own its tree
    for lid, n in (first_nodes or {}).items():
        node = root.findLayer(lid)
        if node is not None:
            QgsMapLayerLegendUtils.setLegendNodeOrder(node, list(range(n)))
            leg.model().refreshLayerLegend(node)
    leg.adjustBoxSize() if leg.resizeToContents() else leg.refresh()


def _header(layout, family, s, pw):
    m = 10 * s
    title = _label(layout, "title", family, 20 * s, m, m - 2 * s, pw * 0.62, 12 * s, bold=True)
    sub = _label(layout, "subtitle", family, 10.5 * s, m, m + 10 * s, pw * 0.62, 7 * s, color="#333333")
    return title, sub


def _common(layout, family, s, pw, ph):
    """Title, subtitle, footer, stamp and title block: on every sheet of the default design."""
    m = 10 * s
    _header(layout, family, s, pw)
    _label(layout, "footer", family, 6.8 * s, m, ph - m - 6 * s, pw * 0.6, 7 * s, color="#333333")
    stamp = _label(
        layout,
        "stamp",
        family,
        13 * s,
        pw - m - 120 * s,
        m - 3 * s,
        120 * s,
        15 * s,
        bold=True,
        color="#c00000",
        align=Qt.AlignmentFlag.AlignHCenter,
    )
    stamp.setFrameEnabled(True)
    stamp.setFrameStrokeColor(QColor("#c00000"))
    stamp.setFrameStrokeWidth(QgsLayoutMeasurement(0.6, Qgis.LayoutUnit.Millimeters))
    stamp.setVisibility(False)
    col_x = m + 0.6 * (pw - 2 * m) + 6 * s
    col_w = pw - m - col_x
    tb_h = 50 * s
    tb, frame, _ = _table(layout, "titleblock", family, 6.6 * s, col_x, ph - m - tb_h, col_w, tb_h)
    tb.setIncludeTableHeader(False)
    return col_x, col_w, ph - m - tb_h


def build_sheet(
    kind: str, paper: str, family: str, template: str | None = None, project=None, ledger: bool = False
) -> Sheet:
    """A sheet of ``kind`` in the default design on ``paper``, or from a user's ``.qpt`` template.

    ``project`` is the QgsProject holding the layers the sheet's maps draw (a new one by default).
    ``ledger``: the default overview gets the ledger block (label ``ledger``) under its legend, and
    its table starts below it; without it the design is unchanged.
    """
    if kind not in SHEET_KINDS:
        raise InputError(
            tr("Unknown sheet kind '{kind}'; use one of {kinds}.", kind=kind, kinds=", ".join(SHEET_KINDS))
        )
    pw, ph = PAPERS[paper]
    s = pw / 420.0
    from qgis.core import QgsProject

    project = project if project is not None else QgsProject()
    layout = QgsPrintLayout(project)
    layout.initializeDefaults()
    page = layout.pageCollection().page(0)
    page.setPageSize(_size(pw, ph))
    sheet = Sheet(kind, layout, family, s, template=template)
    sheet._project = project  # keep the layout's project alive
    if template:
        load_template(sheet, template)
    else:
        _default_items(sheet, pw, ph, s, ledger)
    _collect(sheet)
    return sheet


def _default_items(sheet: Sheet, pw, ph, s, ledger: bool = False) -> None:
    """The default design. Tables go into stacks: regions where the code places them one below
    the other at their actual heights (a table with few rows leaves its space to the next)."""
    layout, family, kind = sheet.layout, sheet.family, sheet.kind
    m = 10 * s
    col_x, col_w, tb_y = _common(layout, family, s, pw, ph)
    top = m + 22 * s
    map_w = col_x - 6 * s - m
    bottom = ph - m - 9 * s  # above the footer
    fs = 7.0 * s
    title_h = TITLE_H * s

    def stack(x, y, w, h, tids):
        for tid in tids:
            _table(layout, tid, family, fs, x, y + title_h, w, max(h - title_h, 10), "")
        sheet.stacks.append(((x, y, w, h), list(tids)))

    if kind in ("overview", "holder"):
        mp = _map(layout, m, top, map_w, bottom - top)
        _north(layout, mp, m + map_w - 16 * s, top + 3 * s, 12 * s)
        _scalebar(layout, mp, family, fs, m + 3 * s, bottom - 14 * s, s)
        if kind == "overview":
            _legend(layout, mp, family, fs * 0.9, col_x, top, col_w, 86 * s, columns=2)
            y0 = top + 90 * s
            if ledger:
                lab = _label(layout, "ledger", family, fs, col_x, y0, col_w, LEDGER_H * s)
                lab.setMarginX(1.5 * s)
                lab.setMarginY(1.0 * s)
                lab.setFrameEnabled(True)
                lab.setFrameStrokeColor(QColor("#808080"))
                lab.setFrameStrokeWidth(QgsLayoutMeasurement(0.2, Qgis.LayoutUnit.Millimeters))
                lab.setBackgroundEnabled(True)
                lab.setBackgroundColor(QColor("#f4f4f4"))
                y0 += LEDGER_H * s + 3 * s
            stack(col_x, y0, col_w, tb_y - 5 * s - y0, ["table_holders"])
        else:
            _label(layout, "holder", family, 9 * s, col_x, top - 1 * s, col_w, 20 * s, bold=False)
            leg_h = 52 * s
            _legend(layout, mp, family, fs * 0.9, col_x, tb_y - 4 * s - leg_h, col_w, leg_h, columns=2)
            y0 = top + 22 * s
            stack(col_x, y0, col_w, tb_y - 8 * s - leg_h - y0, ["table_parcels", "table_scenarios"])
    elif kind == "benefit":
        chart_h = (bottom - top) * 0.5
        pic = QgsLayoutItemPicture(layout)
        pic.setId("chart")
        pic.setResizeMode(QgsLayoutItemPicture.ResizeMode.Zoom)
        pic.setFrameEnabled(True)
        layout.addLayoutItem(pic)
        _place(pic, m, top, map_w, chart_h)
        y0 = top + chart_h + 4 * s
        stack(m, y0, map_w, bottom - y0, ["table_finance", "table_payers", "table_quota"])
        stack(col_x, top, col_w, tb_y - 5 * s - top, ["table_parties", "table_feasibility"])
    elif kind == "conflicts":
        map_h = (bottom - top) * 0.45
        mp = _map(layout, m, top, map_w, map_h)
        _north(layout, mp, m + map_w - 14 * s, top + 2 * s, 10 * s)
        _scalebar(layout, mp, family, fs, m + 3 * s, top + map_h - 13 * s, s)
        leg_h = 56 * s
        _legend(layout, mp, family, fs * 0.9, col_x, tb_y - 4 * s - leg_h, col_w, leg_h, columns=2)
        y0 = top + map_h + 4 * s
        stack(m, y0, map_w, bottom - y0, ["table_conflicts"])
        stack(col_x, top, col_w, tb_y - 8 * s - leg_h - top, ["table_retained", "table_verdicts"])
    elif kind == "monitoring":
        chart_h = (bottom - top) * 0.5
        pic = QgsLayoutItemPicture(layout)
        pic.setId("chart")
        pic.setResizeMode(QgsLayoutItemPicture.ResizeMode.Zoom)
        pic.setFrameEnabled(True)
        layout.addLayoutItem(pic)
        _place(pic, m, top, map_w, chart_h)
        y0 = top + chart_h + 4 * s
        stack(m, y0, map_w, bottom - y0, ["table_monitor_days"])
        stack(col_x, top, col_w, tb_y - 5 * s - top, ["table_monitor", "table_duties"])


def fit_ledger_block(sheet: Sheet, text: str) -> None:
    """Put the ledger block's text (already wrapped to the label's width) in the label ``ledger``.

    In the default overview the label is sized to its text and the table below it moves up or down
    to follow; a template's label keeps the size it was designed with.
    """
    lab = sheet.items.get("ledger")
    if not isinstance(lab, QgsLayoutItemLabel):
        return
    lab.setText(text)
    if sheet.template:
        return
    s = sheet.scale
    pos = lab.positionWithUnits()
    x, y, w = pos.x(), pos.y(), lab.rect().width()
    qfont = lab.textFormat().toQFont() if hasattr(lab, "textFormat") else lab.font()
    # QgsLayoutItemLabel.sizeForText (3.22) measures one line only, and textHeightMM does not
    # follow the line spacing a CJK font is drawn with (about 1.5 em)
    pitch = max(QgsLayoutUtils.fontHeightMM(qfont), 1.5 * qfont.pointSizeF() * 25.4 / 72)
    height = pitch * (text.count("\n") + 1) + 2 * lab.marginY() + 1.0 * s
    _place(lab, x, y, w, height)
    top = y + height + 3 * s
    for i, ((x0, y0, w0, h0), tids) in enumerate(sheet.stacks):
        if "table_holders" in tids:
            sheet.stacks[i] = ((x0, top, w0, y0 + h0 - top), tids)


def continuation_sheet(paper: str, family: str, project=None) -> Sheet:
    """A sheet of tables only (rows that did not fit), with title, footer, stamp and title block.

    Its tables are created by :func:`add_table` as the rows are placed; ``columns`` holds the
    rectangles (x, y, w, h) they flow through.
    """
    pw, ph = PAPERS[paper]
    s = pw / 420.0
    from qgis.core import QgsProject

    project = project if project is not None else QgsProject()
    layout = QgsPrintLayout(project)
    layout.initializeDefaults()
    layout.pageCollection().page(0).setPageSize(_size(pw, ph))
    sheet = Sheet("continued", layout, family, s)
    sheet._project = project
    col_x, col_w, tb_y = _common(layout, family, s, pw, ph)
    m = 10 * s
    top = m + 22 * s
    gap = 6 * s
    left_w = (col_x - gap - m - gap) / 2
    sheet.columns = [
        (m, top, left_w, ph - m - 9 * s - top),
        (m + left_w + gap, top, left_w, ph - m - 9 * s - top),
        (col_x, top, col_w, tb_y - 5 * s - top),
    ]
    _collect(sheet)
    return sheet


def add_table(sheet: Sheet, table_id: str, x, y, w, h, title: str):
    """A new manual table (with its title above y) on a continuation sheet."""
    fs = 7.0 * sheet.scale
    n = sum(1 for k in sheet.tables if k.startswith(table_id))
    key = f"{table_id}#{n}"
    table, frame, lab = _table(sheet.layout, key, sheet.family, fs, x, y, w, h, title)
    sheet.tables[key] = (table, frame, lab)
    return key


def load_template(sheet: Sheet, path) -> None:
    """Replace the sheet's items by those of a ``.qpt`` template."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(
            tr("Cannot read the layout template '{path}': {error}.", path=path, error=exc)
        ) from exc
    doc = QDomDocument()
    ok = doc.setContent(text)
    if isinstance(ok, tuple):
        ok = ok[0]
    if not ok:
        raise InputError(tr("The layout template '{path}' is not a valid .qpt (XML) file.", path=path))
    items, ok = sheet.layout.loadFromTemplate(doc, QgsReadWriteContext(), True)
    if not ok:
        raise InputError(tr("QGIS could not load the layout template '{path}'.", path=path))
    page = sheet.layout.pageCollection().page(0)
    if page is not None:
        pw = page.pageSize().width()
        sheet.scale = pw / 420.0


def _collect(sheet: Sheet) -> None:
    """Find the items the code fills, by id."""
    layout = sheet.layout
    for item in layout.items():
        if not hasattr(item, "id") or isinstance(item, QgsLayoutItemPage):
            continue
        try:
            iid = item.id()
        except (AttributeError, TypeError):
            continue
        if not iid:
            continue
        if isinstance(item, QgsLayoutFrame):
            mf = item.multiFrame()
            if isinstance(mf, QgsLayoutItemManualTable):
                title = layout.itemById(f"{iid}_title")
                sheet.tables[iid] = (mf, item, title if isinstance(title, QgsLayoutItemLabel) else None)
            continue
        sheet.items[iid] = item
    if sheet.template and "stamp" not in sheet.items:
        page = layout.pageCollection().page(0)
        pw = page.pageSize().width() if page else 420.0
        s = pw / 420.0
        stamp = _label(
            layout,
            "stamp",
            sheet.family,
            13 * s,
            pw - 130 * s,
            4 * s,
            120 * s,
            15 * s,
            bold=True,
            color="#c00000",
            align=Qt.AlignmentFlag.AlignHCenter,
        )
        stamp.setFrameEnabled(True)
        stamp.setFrameStrokeColor(QColor("#c00000"))
        stamp.setVisibility(False)
        sheet.items["stamp"] = stamp


def set_variables(sheet: Sheet, values: dict) -> None:
    """Layout variables ``landcoord_*`` for labels of templates."""
    for k, v in values.items():
        QgsExpressionContextUtils.setLayoutVariable(sheet.layout, f"landcoord_{k}", v)


def table_cells(rows, align, marked=(), total=None, family=None, size=7.0, header=None):
    """QGIS table cells of text rows: right-aligned numbers, marked rows coloured, a bold header
    row first (tables are printed without QGIS's own header) and a bold total row last."""
    out = []

    def cell(text, a, bold=False, fg=None, bg=None):
        c = QgsTableCell(text)
        c.setHorizontalAlignment(Qt.AlignmentFlag.AlignRight if a == "r" else Qt.AlignmentFlag.AlignLeft)
        if fg is not None:
            c.setForegroundColor(fg)
        if bg is not None:
            c.setBackgroundColor(bg)
        if bold and family:
            c.setTextFormat(text_format(family, size, bold=True))
        return c

    if header is not None:
        out.append([cell(text, a, True, bg=_HEADER_BG) for text, a in zip(header, align)])
    for i, row in enumerate(rows):
        mark = bool(marked[i]) if i < len(marked) else False
        out.append(
            [
                cell(text, a, fg=_MARK_FG if mark else None, bg=_MARK_BG if mark else None)
                for text, a in zip(row, align)
            ]
        )
    if total is not None:
        out.append([cell(text, a, True, bg=_TOTAL_BG) for text, a in zip(total, align)])
    return out


def frame_width(frame) -> float:
    """The width a table frame was designed with (its columns are sized to fill it)."""
    w = frame.customProperty("landcoord_width")
    try:
        w = float(w)
    except (TypeError, ValueError):
        w = 0.0
    if w <= 0:
        w = frame.rect().width()
        frame.setCustomProperty("landcoord_width", w)
    return w


def configure_table(table, frame, ncols: int, weights) -> None:
    """Column widths (from relative weights and the frame's designed width); no QGIS header row
    (the header is the first content row, see :func:`table_cells`)."""
    n = int(ncols)
    weights = list(weights or [1.0] * n)[:n] + [1.0] * max(0, n - len(weights or []))
    width = frame_width(frame)
    key = f"{n}|{width:.3f}|{','.join(f'{w:g}' for w in weights)}"
    if table.customProperty("landcoord_columns") == key:
        return  # each change makes QGIS lay the table out again: skip when nothing changes
    table.setHeaders([QgsLayoutTableColumn("") for _ in range(n)])
    table.setIncludeTableHeader(False)
    margin = table.cellMargin()
    avail = width - 2 * margin * n - table.gridStrokeWidth() * (n + 1) - 0.2
    tot = sum(weights)
    table.setColumnWidths([max(avail * w / tot, 4.0) for w in weights])
    table.setCustomProperty("landcoord_columns", key)


def require_items(sheet: Sheet, needed) -> list:
    """Ids among ``needed`` that the sheet (a template) lacks."""
    have = set(sheet.items) | set(sheet.tables)
    return [i for i in needed if i not in have]


def save_template(sheet: Sheet, path) -> None:
    path = Path(path)
    if not sheet.layout.saveAsTemplate(str(path), QgsReadWriteContext()):
        raise OutputError(tr("Cannot write the layout template '{path}'.", path=path))


def fit_map(mp: QgsLayoutItemMap, bounds, margin: float = 0.08, minimum: float = 500) -> float:
    """Zoom a map to bounds (xmin, ymin, xmax, ymax) plus a margin, at a standard scale."""
    xmin, ymin, xmax, ymax = bounds
    dx, dy = (xmax - xmin) * margin, (ymax - ymin) * margin
    rect = QgsRectangle(xmin - dx, ymin - dy, xmax + dx, ymax + dy)
    if not math.isfinite(mp.extent().width()) or mp.extent().isEmpty():
        size = mp.rect()
        mp.setExtent(QgsRectangle(0, 0, size.width(), size.height()))
    mp.zoomToExtent(rect)
    scale = nice_scale(mp.scale(), minimum)
    mp.setScale(scale)
    return scale
