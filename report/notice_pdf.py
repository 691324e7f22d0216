"""The public document of a project's notices (公示): each notice, its objections and their answers.

:func:`write_notice_pdf` prints, on A4 portrait pages, every notice of
:func:`landcoord.allocation.notice.notice_frames` (project, title, period, where posted, status,
outcome) followed by the table of its objections (who, when received, what, the answer and its
date), with the document's title, a line saying how names were masked and the page number on every
page. The frames it is given are already the public ones (objectors' names masked, every text
scrubbed of individuals' names, ID-card and phone numbers, exactly as the public CSV/XLSX): this
module prints what it is given and masks nothing itself.

It is drawn with the hearing pack's machinery: QGIS print layouts, the pack's table measuring
(:class:`landcoord.report.pack._Measure`: rows that do not fit continue on the next page, with the
header repeated), the CJK font of :func:`landcoord.report.fonts.require_cjk_font` and
:class:`landcoord.report.pdf.PdfPages` (written whole or not at all, searchable Chinese text).
Texts are in the officer's language (:func:`landcoord.allocation.i18n.tr`).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from qgis.core import QgsLayoutUtils, QgsPrintLayout, QgsProject

from ..allocation.hearing import Table
from ..allocation.i18n import tr
from . import layout as lo
from .fonts import font, require_cjk_font
from .pack import _SLACK, _Measure, _wrap
from .pdf import PdfPages

__all__ = ["write_notice_pdf", "notice_tables"]

#: A4 portrait (mm).
PAGE_W, PAGE_H = 210.0, 297.0
MARGIN = 15.0
TABLE_ID = "table_objections"
#: Table font scale (the pack's tables are 7 pt × scale).
SCALE = 8.0 / 7.0


@dataclass
class _Block:
    """One thing placed on a page: a text (``text``) or rows start:end of a table."""

    y: float
    h: float
    text: str = ""
    size: float = 9.0
    bold: bool = False
    color: str = "#000000"
    table: Table | None = None
    start: int = 0
    end: int = 0


@dataclass
class _Page:
    blocks: list = field(default_factory=list)


def _s(value) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value)


#: Characters of a text cell per table row: a longer objection or answer continues on the next rows
#: (a row is never taller than a page, so no text is cut at a page's foot).
CELL_CHARS = 300
_BREAKS = " \n，。；、,.;:：）)"


def _parts(text: str, size: int = CELL_CHARS) -> list:
    """``text`` in pieces of at most ``size`` characters, each ended at a space or punctuation mark
    when one is among its last 40 characters (so that a masked number such as 138****5678 is never
    split)."""
    out = []
    while len(text) > size:
        cut = max((text.rfind(c, size - 40, size) for c in _BREAKS), default=-1)
        cut = cut + 1 if cut > 0 else size
        out.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    return [*out, text]


def notice_tables(frames: dict) -> list:
    """``[(heading, details, Table), ...]``: per notice its heading, its detail lines and the table
    of its objections with their answers (texts exactly as in ``frames``)."""
    ns, objs = frames["notices"], frames["objections"]
    out = []
    for n in ns.itertuples():
        mine = objs[objs["notice_id"] == n.id].sort_values(["received_date", "id"])
        heading = tr("Notice {id}: {title}", id=n.id, title=_s(n.title))
        period = tr(
            "{start} to {end} ({days} days)", start=_s(n.start_date), end=_s(n.end_date), days=int(n.days)
        )
        if _s(n.status) == "closed":
            status = tr("closed on {date}", date=_s(n.closed_date))
            outcome = _s(n.outcome) or "—"
        else:
            status = tr("open")
            outcome = tr("not closed yet")
        details = "\n".join(
            [
                tr("Project: {project}", project=_s(n.project)),
                tr("Period: {period}", period=period),
                tr("Posted at: {place}", place=_s(n.place) or "—"),
                tr("Status: {status}", status=status),
                tr("Objections: {count}, unanswered: {open}", count=len(mine), open=int(n.unanswered)),
                tr("Outcome: {outcome}", outcome=outcome),
            ]
        )
        rows, marked, records = [], [], []
        for i, o in enumerate(mine.itertuples(), start=1):
            # a long text continues on rows of its own, so that no row is taller than a page
            what = _parts(_s(o.objection))
            answer = _parts(_s(o.answer) or tr("(not answered)"))
            for k in range(max(len(what), len(answer))):
                first = k == 0
                rows.append(
                    [
                        str(i) if first else tr("{no} (continued)", no=i),
                        _s(o.objector) if first else "",
                        _s(o.received_date) if first else "",
                        what[k] if k < len(what) else "",
                        answer[k] if k < len(answer) else "",
                        (_s(o.answer_date) or "—") if first else "",
                    ]
                )
                marked.append(not _s(o.answer_date))
                records.append(o._asdict())
        table = Table(
            title=tr("Objections and answers"),
            columns=[tr("No."), tr("Who"), tr("Received"), tr("Objection"), tr("Answer"), tr("Answered on")],
            rows=rows,
            values=pd.DataFrame(records),
            align=["r", "l", "l", "l", "l", "l"],
            marked=marked,
            note=tr("No objection was received."),
        )
        out.append((heading, details, table))
    return out


class _Planner:
    """Places the notices' blocks on pages (measured with QGIS), top to bottom."""

    def __init__(self, family: str, top: float, bottom: float):
        self.family = family
        self.top, self.bottom = top, bottom
        self.measure = _Measure(family, SCALE)
        self.width = PAGE_W - 2 * MARGIN
        self.pages = [_Page()]
        self.y = top

    def new_page(self) -> None:
        self.pages.append(_Page())
        self.y = self.top

    def text(self, text: str, size: float, bold: bool = False, keep: float = 0.0, color="#000000") -> None:
        """A text block; on a new page when it (and ``keep`` mm after it) does not fit."""
        wrapped = _wrap(text, font(self.family, size, bold), self.width * 0.97)
        h = _text_height(wrapped, self.family, size, bold)
        if self.y + h + keep > self.bottom and self.y > self.top:
            self.new_page()
        self.pages[-1].blocks.append(_Block(self.y, h, wrapped, size, bold, color))
        self.y += h + 1.5

    def table(self, t: Table) -> None:
        n, start = len(t.rows), 0
        while True:
            avail = self.bottom - self.y - _SLACK
            end, _ = self.measure.fit(t, TABLE_ID, self.width, avail, start)
            if n and end <= start:
                if self.y > self.top:
                    self.new_page()
                    continue
                end = start + 1  # one row taller than a whole page: alone on it, cut at the foot
            h = min(self.measure.height(t, TABLE_ID, self.width, start, end, False) + _SLACK, avail + _SLACK)
            self.pages[-1].blocks.append(_Block(self.y, h, table=t, start=start, end=end))
            self.y += h + 2.0
            start = end
            if start >= n:
                return


def _text_height(text: str, family: str, size: float, bold: bool) -> float:
    lines = max(1, text.count("\n") + 1)
    return QgsLayoutUtils.fontHeightMM(font(family, size, bold)) * 1.25 * lines + 1.2


def write_notice_pdf(
    frames: dict, path, *, public: bool = True, project=None, date=None, dpi: int = 200
) -> Path:
    """Write the notices and objections of ``frames`` (:func:`~landcoord.allocation.notice.notice_frames`)
    to the PDF ``path`` (A4 portrait; replaced whole, or left untouched on error).

    ``public`` says which version ``frames`` is (the masking line and the document's keywords);
    ``project`` goes into the title; ``date`` is the date printed on every page (default: today).
    """
    family = require_cjk_font()
    date = date or _dt.date.today().isoformat()
    title = (
        tr("Public notice and answers to objections: project {project}", project=project)
        if project
        else tr("Public notices and answers to objections")
    )
    note = (
        tr(
            "Public version: individuals' names are masked (张伟 → 张*, 欧阳娜娜 → 欧阳**), in the "
            "objector column and in every text; ID-card and phone numbers are masked."
        )
        if public
        else tr("INTERNAL — NOT FOR PUBLIC DISPLAY: names are not masked.")
    )
    width = PAGE_W - 2 * MARGIN
    title_h = _text_height(title, family, 14, True)
    wrapped_note = _wrap(note, font(family, 8), width * 0.97)
    note_h = _text_height(wrapped_note, family, 8, False)
    top = MARGIN + title_h + 1.0 + note_h + 4.0
    planner = _Planner(family, top, PAGE_H - MARGIN - 8.0)
    notices = notice_tables(frames)
    if not notices:
        planner.text(tr("No public notice is recorded."), 9)
    for heading, details, table in notices:
        planner.text(heading, 11, True, keep=20.0)
        planner.text(details, 9, keep=12.0)
        planner.table(table)
        planner.y += 4.0
    pages = planner.pages
    out = PdfPages(
        path,
        (PAGE_W, PAGE_H),
        dpi=dpi,
        title=title,
        info={"Subject": note, "Keywords": "landcoord notice " + ("public" if public else "internal")},
    )
    try:
        for i, page in enumerate(pages, start=1):
            layout = _page_layout(family, planner.measure, page)
            lo._label(layout, "title", family, 14, MARGIN, MARGIN, width, title_h, title, True)
            lo._label(
                layout,
                "masking",
                family,
                8,
                MARGIN,
                MARGIN + title_h + 1.0,
                width,
                note_h,
                wrapped_note,
                color="#444444" if public else "#8b0000",
            )
            lo._label(
                layout,
                "footer",
                family,
                8,
                MARGIN,
                PAGE_H - MARGIN - 5.0,
                width,
                5.0,
                tr("{date} · page {page} / {pages}", date=date, page=i, pages=len(pages)),
                color="#444444",
            )
            out.add(layout)
        return out.close()
    except BaseException:
        out.abort()
        raise


def _page_layout(family: str, measure: _Measure, page: _Page) -> QgsPrintLayout:
    layout = QgsPrintLayout(measure.project if measure.project is not None else QgsProject())
    layout.initializeDefaults()
    layout.pageCollection().page(0).setPageSize(lo._size(PAGE_W, PAGE_H))
    width = PAGE_W - 2 * MARGIN
    for k, b in enumerate(page.blocks):
        if b.table is None:
            lo._label(layout, f"text{k}", family, b.size, MARGIN, b.y, width, b.h, b.text, b.bold, b.color)
            continue
        table, frame, _ = lo._table(layout, f"{TABLE_ID}#{k}", family, measure.size, MARGIN, b.y, width, b.h)
        lo.configure_table(table, frame, len(b.table.columns), lo.TABLE_WEIGHTS[TABLE_ID])
        rows, _total, head, empty, _ = measure._get(b.table, TABLE_ID, width)[1]
        if rows:
            body, marked = rows[b.start : b.end], b.table.marked[b.start : b.end]
        else:
            body, marked = [empty], [False]
        table.setTableContents(
            lo.table_cells(body, b.table.align, marked, None, measure.family, measure.size, head)
        )
    return layout
