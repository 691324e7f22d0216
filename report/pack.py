"""The hearing pack: one multi-page PDF (and optionally a PNG per page) for one project.

:func:`write_hearing_pack` takes the :class:`~landcoord.allocation.hearing.HearingData` of a
project and renders, in this order: the overview sheet (and its continuation pages), one sheet per
rights-holder through a QGIS atlas (each followed by its continuation pages), the benefit-sharing
sheet and the conflict sheet (each when its inputs were given), and with a ledger the monitoring
sheet (the project's indicators on the hearing day, its stage's duties, the indicators over the
months before and their chart). Every page carries the title block
with its page number; in the internal version every page carries the "not for public display"
stamp.

Tables are paginated here: QGIS measures how many rows fit a frame
(``QgsLayoutTable.rowsVisible``); the rest continue on continuation sheets, the total row always
with the table's last row. So the number of pages is known before the first one is drawn and the
page numbers ("3 / 57") are right.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path

from qgis.core import (
    QgsLayoutItemLabel,
    QgsLayoutItemLegend,
    QgsLayoutItemMap,
    QgsLayoutItemPicture,
    QgsLayoutUtils,
    QgsProject,
)

from ..allocation.errors import InputError
from ..allocation.feedback import Canceled, Feedback
from ..allocation.hearing import UNVERIFIED, UNVERIFIED_MARK, HearingData, Table, land_line
from ..allocation.i18n import tr, trn
from ..qgis_compat import PICTURE_RASTER
from . import layers as lyr
from . import layout as lo
from .fonts import font, require_cjk_font
from .pdf import PdfPages

__all__ = ["PackResult", "PagePlan", "write_hearing_pack", "write_default_templates", "TEMPLATE_FILES"]

#: File names of the templates of each sheet kind in a template folder.
TEMPLATE_FILES = {k: f"{k}.qpt" for k in lo.SHEET_KINDS}

_TITLES = {
    "overview": "听证会图件 · 总图  Hearing maps · Overview",
    "holder": "权利人图则  Rights-holder sheet",
    "benefit": "利益共享方案  Benefit sharing",
    "conflicts": "留用地与一张图管控  Retained land and the control lines",
    "monitoring": "动态监测  Monitoring",
}
_TABLE_OF = {
    "table_holders": "overview",
    "table_parcels": "holder",
    "table_scenarios": "holder",
    "table_parties": "benefits",
    "table_quota": "quota",
    "table_finance": "finance",
    "table_payers": "payers",
    "table_feasibility": "feasibility",
    "table_retained": "retained",
    "table_verdicts": "conflict_summary",
    "table_conflicts": "conflicts",
    "table_monitor": "monitoring.indicators",
    "table_duties": "monitoring.duties",
    "table_monitor_days": "monitoring.history",
}
_STAMP = "内部资料　不得公开展示\nINTERNAL — NOT FOR PUBLIC DISPLAY"
_PUBLIC_NOTE = (
    "公开版：个人权利人姓名已脱敏，不含身份证号码与联系电话。 "
    "Public version: individuals' names are masked; no ID-card or phone numbers."
)
_INTERNAL_NOTE = (
    "内部资料，不得公开展示：含个人权利人全名（不含身份证号码与联系电话）。 "
    "INTERNAL — NOT FOR PUBLIC DISPLAY: full names of individuals (no ID-card or phone numbers)."
)
_UNVERIFIED_NOTE = (
    f"标注“{UNVERIFIED_MARK}”（{UNVERIFIED}）的数值依据未经核实的规则取值，非正式结果，不得作为正式依据。 "
    f"Figures marked {UNVERIFIED_MARK} rest on rule values not read in an official source: "
    "they are not official."
)


@dataclass
class Chunk:
    """Rows ``start:end`` of a table placed on one page (``total``: with the total row)."""

    table_id: str
    table: Table
    start: int
    end: int
    total: bool
    rect: tuple | None = None  # continuation sheets: (x, y, w, h) of the frame


@dataclass
class PagePlan:
    """One page of the pack: its sheet kind, holder (holder sheets) and table chunks."""

    kind: str
    parent: str
    holder: str | None = None
    chunks: list = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.parent}{'' if self.kind != 'continued' else ' (continued)'}" + (
            f" {self.holder}" if self.holder else ""
        )


@dataclass
class PackResult:
    """What :func:`write_hearing_pack` wrote."""

    pdf: Path
    pngs: list
    pages: list
    warnings: list

    def count(self, parent: str, continued: bool | None = None) -> int:
        """Pages of a section (``overview``, ``holder``, ``benefit``, ``conflicts``, ``monitoring``)."""
        return sum(
            1
            for p in self.pages
            if p.parent == parent and (continued is None or (p.kind == "continued") == continued)
        )


# ---------------------------------------------------------------------------------------------
# text wrapping and measuring
# ---------------------------------------------------------------------------------------------


def _wrap(text: str, qfont, width_mm: float) -> str:
    """Insert line breaks so that text fits ``width_mm`` (CJK breaks anywhere, Latin at spaces)."""
    if not text or QgsLayoutUtils.textWidthMM(qfont, text) <= width_mm:
        return text
    out_lines = []
    for para in text.split("\n"):
        line = ""
        tokens = _tokens(para)
        for tok in tokens:
            trial = line + tok
            if line and QgsLayoutUtils.textWidthMM(qfont, trial.rstrip()) > width_mm:
                out_lines.append(line.rstrip())
                line = tok.lstrip()
            else:
                line = trial
            while QgsLayoutUtils.textWidthMM(qfont, line) > width_mm and len(line) > 1:
                # a single token wider than the column: break it by characters, at the longest
                # prefix that fits (found by bisection: a 5,000-character name is one token)
                k = _longest_fitting_prefix(line, qfont, width_mm)
                out_lines.append(line[:k])
                line = line[k:]
        out_lines.append(line.rstrip())
    return "\n".join(out_lines)


def _longest_fitting_prefix(line: str, qfont, width_mm: float) -> int:
    """The largest k in [1, len(line) - 1] whose prefix ``line[:k]`` fits ``width_mm`` (1 if none).

    A prefix's width grows with its length, so bisection finds the same k as trying every length
    from the longest down, with log2(n) measurements instead of n.
    """
    lo, hi = 1, len(line) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if QgsLayoutUtils.textWidthMM(qfont, line[:mid]) <= width_mm:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _tokens(text: str) -> list:
    """Latin words (with their following space) and single CJK characters."""
    out, cur = [], ""
    for ch in text:
        if ord(ch) >= 0x2E80:
            if cur:
                out.append(cur)
                cur = ""
            out.append(ch)
        else:
            cur += ch
            if ch == " ":
                out.append(cur)
                cur = ""
    if cur:
        out.append(cur)
    return out


#: Safety margin (mm) between a measured table height and its frame.
_SLACK = 1.0


class _Measure:
    """How many rows of a table fit a height, at a given frame width (QGIS measures).

    Tables are printed without QGIS's own header row (QGIS 3.22 does not size a header of several
    lines): the header is the first content row, repeated at the top of every chunk. A measuring
    table holds ``[header] + rows + [total]``; data row i is its row i + 1.
    """

    def __init__(self, family: str, scale: float, dpi: int = 300):
        self.family = family
        self.size = 7.0 * scale
        self.project = QgsProject()
        from qgis.core import QgsPrintLayout

        self.layout = QgsPrintLayout(self.project)
        self.layout.initializeDefaults()
        self.layout.renderContext().setDpi(dpi)
        self.context = QgsLayoutUtils.createRenderContextForLayout(self.layout, None, dpi)
        self._tables: dict = {}
        self.qfont = font(family, self.size)
        self.bold = font(family, self.size, True)

    def _get(self, t: Table, table_id: str, width: float):
        """(measuring table, texts) where texts = (rows, total, header, empty row, header height)."""
        key = (id(t), table_id, round(width, 2))
        if key not in self._tables:
            table, frame, _ = lo._table(
                self.layout, f"m{len(self._tables)}", self.family, self.size, 0, 0, width, 100
            )
            lo.configure_table(table, frame, len(t.columns), lo.TABLE_WEIGHTS.get(table_id))
            widths = table.columnWidths()
            rows = [[_wrap(c, self.qfont, w * 0.97) for c, w in zip(r, widths)] for r in t.rows]
            total = [_wrap(c, self.bold, w * 0.97) for c, w in zip(t.total, widths)] if t.total else None
            head = [_wrap(c, self.bold, w * 0.97) for c, w in zip(t.columns, widths)]
            empty = [_wrap(t.note or "—", self.qfont, widths[0] * 0.97)] + [""] * (len(widths) - 1)
            body = rows if rows else [empty]
            table.setTableContents(
                lo.table_cells(body, t.align, t.marked, total, self.family, self.size, head)
            )
            head_h = self._bisect(table, 0, 1)
            self._tables[key] = (table, (rows, total, head, empty, head_h))
        return self._tables[key]

    def _bisect(self, table, first: int, want: int) -> float:
        lo, hi = 0.5, 4000.0
        for _ in range(32):
            mid = (lo + hi) / 2
            if table.rowsVisible(self.context, mid, first, False, False) >= want:
                hi = mid
            else:
                lo = mid
        return hi

    def fit(self, t: Table, table_id: str, width: float, height: float, start: int) -> tuple[int, bool]:
        """(end, with_total): rows start:end (and the total when True) fit ``height`` under the
        header; the total row goes with the table's last row."""
        n = len(t.rows)
        table, texts = self._get(t, table_id, width)
        head_h = texts[4]
        if n == 0:
            return 0, t.total is not None
        if height <= head_h:
            return start, False
        k = table.rowsVisible(self.context, float(height - head_h), start + 1, False, False)
        if t.total is None:
            return min(start + k, n), False
        end = start + k  # rows start:end; the total is data row n
        if end >= n + 1:
            return n, True
        if end == n:  # every row but not the total: keep the last row for the total's page
            return max(n - 1, start), False
        return end, False

    def height(self, t: Table, table_id: str, width: float, start: int, end: int, total: bool) -> float:
        """Height (mm) of a chunk: header, rows start:end and the total row if asked."""
        table, texts = self._get(t, table_id, width)
        head_h = texts[4]
        if len(t.rows) == 0:
            return head_h + self._bisect(table, 1, 1 + (1 if total else 0))
        want = end - start + (1 if total else 0)
        if want == 0:
            return head_h
        return head_h + self._bisect(table, start + 1, want)


# ---------------------------------------------------------------------------------------------
# the pack
# ---------------------------------------------------------------------------------------------


def write_default_templates(folder, paper: str = "A3") -> list:
    """Write the default design of every sheet kind as ``.qpt`` templates to start from."""
    family = require_cjk_font()
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for kind in lo.SHEET_KINDS:
        sheet = lo.build_sheet(kind, paper, family)
        path = folder / TEMPLATE_FILES[kind]
        lo.save_template(sheet, path)
        out.append(path)
    return out


def _templates(templates) -> dict:
    if templates is None:
        return {}
    if isinstance(templates, dict):
        return {k: str(v) for k, v in templates.items() if v}
    folder = Path(templates)
    if not folder.is_dir():
        raise InputError(
            tr(
                "The template folder '{folder}' does not exist; give a folder with {files} (any of them).",
                folder=folder,
                files=", ".join(TEMPLATE_FILES.values()),
            )
        )
    found = {k: str(folder / f) for k, f in TEMPLATE_FILES.items() if (folder / f).is_file()}
    if not found:
        raise InputError(
            tr(
                "The template folder '{folder}' has none of {files}; write the defaults with "
                "--write-templates and edit them.",
                folder=folder,
                files=", ".join(TEMPLATE_FILES.values()),
            )
        )
    return found


def write_hearing_pack(
    data: HearingData,
    path,
    *,
    paper: str = "A3",
    dpi: int = 200,
    office: str = "",
    date: str | None = None,
    templates=None,
    png_dir=None,
    legend_holders: int = 10,
    feedback: Feedback | None = None,
) -> PackResult:
    """Render the hearing pack of one project to ONE multi-page PDF.

    Parameters
    ----------
    data : HearingData
        From :func:`landcoord.allocation.hearing.hearing_data`; ``data.public`` decides the
        version (False: every page stamped "not for public display").
    path : path-like
        The PDF to write (replaced whole, or left untouched on error).
    paper : {"A3", "A4"}
        Landscape paper size.
    dpi : int
        Resolution of raster content and of the PNGs.
    office, date : str
        Issuing office and date of the title block (date default: today).
    templates : folder or dict, optional
        The user's ``.qpt`` templates: a folder with ``overview.qpt``, ``holder.qpt``,
        ``benefit.qpt``, ``conflicts.qpt`` (any of them), or a dict kind -> file.
    png_dir : path-like, optional
        Also write one PNG per page there.
    legend_holders : int
        The overview legend lists the largest this-many holders (the table lists every one).
    feedback : Feedback, optional

    Returns
    -------
    PackResult
    """
    fb = feedback or Feedback()
    if paper not in lo.PAPERS:
        raise InputError(
            tr(
                "Paper size '{paper}' is not supported; use one of {papers}.",
                paper=paper,
                papers=", ".join(lo.PAPERS),
            )
        )
    if not 50 <= int(dpi) <= 1200:
        raise InputError(tr("DPI {dpi} is out of range; use 50 to 1200.", dpi=dpi))
    family = require_cjk_font()
    date = date or _dt.date.today().isoformat()
    tpl = _templates(templates)
    warnings: list = []

    # --- layers -----------------------------------------------------------------------------------
    project = QgsProject()
    lay = {}
    frames = data.layers
    lay["boundary"] = lyr.frame_layer(frames["boundary"], "项目范围 project boundary", data.crs)
    lyr.style_boundary(lay["boundary"])
    lay["parcels_holder"] = lyr.frame_layer(frames["parcels"], "宗地（按权利人） parcels by holder", data.crs)
    lyr.style_parcels_by_holder(lay["parcels_holder"], data.holders, legend_holders)
    lay["parcels_base"] = lyr.frame_layer(frames["parcels"], "宗地 parcels", data.crs)
    lyr.style_parcels_base(lay["parcels_base"])
    lay["pieces"] = lyr.frame_layer(frames["pieces"], "受影响宗地 affected land", data.crs)
    lyr.style_pieces_highlight(lay["pieces"])
    size = 6.0 * lo.PAPERS[paper][0] / 420
    lyr.label_layer(lay["pieces"], '"parcel_id"', family, size, atlas_only=True, fit_inside=True)
    lay["holders"] = lyr.frame_layer(frames["holders"], "权利人 holders", data.crs)
    lay["holders"].renderer().setSymbol(lyr._fill("#ffffff", outline="#ffffff", width=0, style="no", alpha=0))
    lay["holders"].renderer().symbol().symbolLayer(0).setStrokeStyle(0)
    lyr.label_layer(lay["holders"], '"code"', family, 5.5 * lo.PAPERS[paper][0] / 420)
    if "controls" in frames:
        lay["controls"] = lyr.frame_layer(frames["controls"], "管控线 control lines", data.crs)
        lyr.style_controls(lay["controls"], list(dict.fromkeys(frames["controls"]["kind"])))
    if "retained" in frames:
        lay["retained"] = lyr.frame_layer(frames["retained"], "留用地选址 carved retained land", data.crs)
        lyr.style_retained(lay["retained"])
    if "conflicts" in frames:
        lay["conflicts"] = lyr.frame_layer(frames["conflicts"], "管控冲突 conflicts", data.crs)
        lyr.style_conflicts(lay["conflicts"])
    project.addMapLayers(list(lay.values()), False)
    project.setCrs(lay["boundary"].crs())

    # --- sheets and the page plan -------------------------------------------------------------------
    sheets: dict = {}

    def sheet(kind):
        if kind not in sheets:
            with_ledger = kind == "overview" and data.ledger is not None
            sheets[kind] = lo.build_sheet(
                kind, paper, family, tpl.get(kind), project=project, ledger=with_ledger
            )
            if with_ledger:
                _ledger_text(sheets[kind], data)
            if tpl.get(kind):
                missing = lo.require_items(sheets[kind], _needed(kind, with_ledger))
                if missing:
                    if any(m.startswith("table_") for m in missing):
                        msg = trn(
                            "Template '{template}' has no item {items}: its content is left out "
                            "(tables continue on continuation pages).",
                            "Template '{template}' has none of the {n} items {items}: their content is left "
                            "out (tables continue on continuation pages).",
                            len(missing),
                            template=tpl[kind],
                            items=", ".join(missing),
                        )
                    else:
                        msg = trn(
                            "Template '{template}' has no item {items}: its content is left out.",
                            "Template '{template}' has none of the {n} items {items}: their content is left "
                            "out.",
                            len(missing),
                            template=tpl[kind],
                            items=", ".join(missing),
                        )
                    warnings.append(msg)
                    fb.warning(msg)
        return sheets[kind]

    scale = lo.PAPERS[paper][0] / 420.0
    measure = _Measure(family, scale, dpi)
    cont_cols = lo.continuation_sheet(paper, family).columns
    plan: list[PagePlan] = []

    def tables_for(kind, holder=None):
        out = {}
        for tid in lo.TABLE_IDS[kind]:
            attr = _TABLE_OF[tid]
            if kind == "holder":
                out[tid] = (data.holder_parcels if tid == "table_parcels" else data.holder_scenarios).get(
                    holder
                )
            else:
                out[tid] = _data_table(data, attr)
        return out

    def plan_sheet(kind, holder=None):
        sh = sheet(kind)
        page = PagePlan(kind, kind, holder)
        leftovers = []
        tables = tables_for(kind, holder)
        stacked = {tid for _, tids in sh.stacks for tid in tids}
        for region, tids in sh.stacks:
            present = [(tid, tables[tid]) for tid in tids if tables.get(tid) is not None]
            leftovers += _plan_stack(page, region, present, measure, scale)
        for tid, t in tables.items():
            if t is None or tid in stacked:
                continue
            if tid not in sh.tables:
                leftovers.append((tid, t, 0))
                continue
            _, frame, _ = sh.tables[tid]
            end, total = measure.fit(t, tid, lo.frame_width(frame), frame.rect().height() - _SLACK, 0)
            page.chunks.append(Chunk(tid, t, 0, end, total))
            if end < len(t) or (t.total is not None and not total):
                leftovers.append((tid, t, end))
        order = {tid: i for i, tid in enumerate(lo.TABLE_IDS[kind])}
        leftovers.sort(key=lambda x: order.get(x[0], 99))
        plan.append(page)
        _plan_continuation(plan, leftovers, kind, holder, measure, cont_cols, scale)

    plan_sheet("overview")
    for code in data.sheet_codes:
        plan_sheet("holder", code)
    if any(x is not None for x in (data.benefits, data.quota, data.chart, data.finance)):
        plan_sheet("benefit")
    if data.conflicts is not None or data.retained is not None or data.conflict_summary is not None:
        plan_sheet("conflicts")
    if data.monitoring is not None:
        plan_sheet("monitoring")
    total_pages = len(plan)
    fb.info(tr("Hearing pack of project {project}: {pages} pages.", project=data.project, pages=total_pages))

    # --- render -----------------------------------------------------------------------------------
    info = None
    if data.ledger is not None:  # the code in the document information too, where a search finds it
        info = {
            "Subject": f"台账校验码 Ledger code {data.ledger.code}",
            "Keywords": f"{data.ledger.code}, 听证会, hearing, {data.project}",
        }
    pdf = PdfPages(
        path, lo.PAPERS[paper], dpi, png_dir=png_dir, title=f"{data.project_name} 听证会图件", info=info
    )
    ctx = _Context(data, lay, paper, family, office, date, total_pages, legend_holders, warnings)
    atlas_on = False
    chart_dir = None
    try:
        if data.monitoring is not None:
            chart_dir = _monitoring_chart(ctx, fb)
        for n, page in enumerate(plan, start=1):
            fb.check()
            if page.kind == "continued":
                sh = lo.continuation_sheet(paper, family, project=project)
                _fill_continuation(sh, page, ctx, n, measure)
            else:
                sh = sheet(page.kind)
                if page.kind == "holder" and not atlas_on:
                    _start_atlas(sh, lay["holders"])
                    atlas_on = True
                _fill_sheet(sh, page, ctx, n, measure)
            pdf.add(sh.layout)
            fb.progress(100.0 * n / total_pages)
        if atlas_on:
            sheets["holder"].layout.atlas().endRender()
        out = pdf.close()
    except Canceled:
        pdf.abort()
        raise
    except BaseException:
        pdf.abort()
        raise
    finally:
        if chart_dir is not None:
            chart_dir.cleanup()
    return PackResult(out, list(pdf.pngs), plan, warnings)


def _data_table(data: HearingData, attr: str):
    """The table ``attr`` of ``data`` (``monitoring.indicators``: a part of the monitoring page;
    None when the page is absent)."""
    obj = data
    for name in attr.split("."):
        obj = getattr(obj, name, None) if obj is not None else None
    return obj


def _monitoring_chart(ctx, fb):
    """Draw the monitoring chart (``landcoord monitor --chart``) into a temporary folder, kept until the
    pack is written; ``ctx.monitoring_chart`` is its path."""
    import tempfile

    from .charts import monitor_chart

    folder = tempfile.TemporaryDirectory(prefix="landcoord_monitor_")
    m = ctx.data.monitoring
    ctx.monitoring_chart = str(
        monitor_chart(
            m.series,
            Path(folder.name) / "monitoring.png",
            title=f"动态监测 monitoring {ctx.data.project}（至 to {m.day}）",
            feedback=fb,
        )
    )
    return folder


def _needed(kind: str, ledger: bool = False) -> list:
    base = ["title", "titleblock"]
    if ledger:
        base.append("ledger")
    if kind in ("overview", "holder", "conflicts"):
        base.append("map")
    if kind == "holder":
        base.append("holder")
    if kind in ("benefit", "monitoring"):
        base.append("chart")
    return base + list(lo.TABLE_IDS[kind])


def _plan_stack(page, region, present, measure, scale) -> list:
    """Place tables one below the other in a region at their actual heights; returns leftovers.

    Each table may take the region's height less what the tables after it need (each of them
    reserving at most 40 % of the region), so that a long table does not push a short one off
    the sheet.
    """
    x, y, w, h = region
    title_h = lo.TITLE_H * scale
    gap = 3.0 * scale
    cursor = y
    leftovers = []
    for i, (tid, t) in enumerate(present):
        reserve = 0.0
        for tid2, t2 in present[i + 1 :]:
            need = title_h + gap + _chunk_height(measure, t2, tid2, w, 0, len(t2), t2.total is not None)
            reserve += min(need, 0.4 * h)
        avail = y + h - cursor - title_h - reserve - _SLACK
        end, total = measure.fit(t, tid, w, avail, 0) if avail > 5 else (0, False)
        rows_h = _chunk_height(measure, t, tid, w, 0, end, total)
        page.chunks.append(Chunk(tid, t, 0, end, total, rect=(x, cursor + title_h, w, rows_h)))
        cursor += title_h + rows_h + gap
        if end < len(t) or (t.total is not None and not total):
            leftovers.append((tid, t, end))
    return leftovers


def _plan_continuation(plan, leftovers, parent, holder, measure, columns, scale):
    """Continuation pages for the rows that did not fit, tables flowing through the columns."""
    if not leftovers:
        return
    title_h = lo.TITLE_H * scale
    gap = 4.0 * scale
    page = None
    col = len(columns)
    cursor = 0.0
    for tid, t, start in leftovers:
        n = len(t)
        done = False
        while not done:
            if page is None or col >= len(columns):
                page = PagePlan("continued", parent, holder)
                plan.append(page)
                col, cursor = 0, columns[0][1]
            x, y, w, h = columns[col]
            avail = y + h - cursor - title_h - _SLACK
            end, total = measure.fit(t, tid, w, avail, start) if avail > 10 else (start, False)
            forced = end == start and not total and cursor == y and start < n
            if forced:
                # a row taller than a whole empty column (e.g. a name of thousands of characters):
                # it goes alone on this column, cut at the column's foot, or no page would ever hold it
                end, total = start + 1, start + 1 == n and t.total is not None
            elif end == start and not total:
                col += 1
                if col < len(columns):
                    cursor = columns[col][1]
                continue
            rows_h = _chunk_height(measure, t, tid, w, start, end, total)
            if forced:
                rows_h = min(rows_h, max(avail, 0.0))
            page.chunks.append(Chunk(tid, t, start, end, total, rect=(x, cursor + title_h, w, rows_h)))
            cursor += title_h + rows_h + gap
            start = end
            done = start >= n and (t.total is None or total)


def _chunk_height(measure, t, tid, width, start, end, total) -> float:
    """Height (mm) of a frame showing a chunk, with a safety margin."""
    return measure.height(t, tid, width, start, end, total) + _SLACK


@dataclass
class _Context:
    data: HearingData
    layers: dict
    paper: str
    family: str
    office: str
    date: str
    pages: int
    legend_holders: int
    warnings: list
    monitoring_chart: str | None = None


def _start_atlas(sh, holders_layer) -> None:
    atlas = sh.layout.atlas()
    atlas.setCoverageLayer(holders_layer)
    atlas.setEnabled(True)
    atlas.setHideCoverage(False)
    atlas.setFilterFeatures(True)
    atlas.setFilterExpression('"sheet" = 1')
    atlas.setSortFeatures(True)
    atlas.setSortExpression('"code"')
    atlas.setSortAscending(True)
    atlas.setPageNameExpression('"code"')
    mp = sh.items.get("map")
    if isinstance(mp, QgsLayoutItemMap):
        mp.setAtlasDriven(True)
        mp.setAtlasScalingMode(QgsLayoutItemMap.AtlasScalingMode.Auto)
        mp.setAtlasMargin(0.3)
    atlas.beginRender()


def _seek_holder(sh, code: str, index: int) -> None:
    atlas = sh.layout.atlas()
    if 0 <= index < atlas.count():
        atlas.seekTo(index)
        feat = sh.layout.reportContext().feature()
        if feat.isValid() and feat["code"] == code:
            return
    for i in range(atlas.count()):
        atlas.seekTo(i)
        feat = sh.layout.reportContext().feature()
        if feat.isValid() and feat["code"] == code:
            return
    raise RuntimeError(f"holder sheet {code} is not in the atlas")


def _footer(ctx: _Context, unverified: bool) -> str:
    text = _PUBLIC_NOTE if ctx.data.public else _INTERNAL_NOTE
    return text + ("\n" + _UNVERIFIED_NOTE if unverified else "")


def _titleblock(sh, ctx: _Context, n: int, scale_text: str, measure) -> None:
    d = ctx.data
    crs = d.crs
    epsg = crs.to_epsg()
    rows = [
        ["项目名称 project", d.project_name],
        ["项目编号 code", d.project],
        ["出具单位 issued by", ctx.office or "—"],
        ["日期 date", ctx.date],
        ["比例尺 scale", scale_text],
        # CRS and method in one line, as every step states it (planar in EPSG:x / ellipsoidal on y)
        ["坐标系 CRS", d.measured or (f"{crs.name}" + (f" (EPSG:{epsg})" if epsg else ""))],
        [
            "版本 version",
            "公开版 public (姓名已脱敏 names masked)" if d.public else "内部版 INTERNAL — 不得公开展示",
        ],
        ["页码 page", f"{n} / {ctx.pages}"],
    ]
    entry = sh.tables.get("titleblock")
    if entry is None:
        return
    table, frame, _ = entry
    lo.configure_table(table, frame, 2, lo.TABLE_WEIGHTS["titleblock"])
    widths = table.columnWidths()
    qf = font(ctx.family, table.contentTextFormat().size())
    rows = [[_wrap(c, qf, w * 0.97) for c, w in zip(r, widths)] for r in rows]
    table.setTableContents(lo.table_cells(rows, ["l", "l"]))


def _common_texts(
    sh, ctx: _Context, n: int, title: str, subtitle: str, unverified: bool, scale_text: str, measure
):
    d = ctx.data
    sh.set_text("title", title)
    sh.set_text("subtitle", subtitle)
    sh.set_text("footer", _footer(ctx, unverified))
    stamp = sh.items.get("stamp")
    if isinstance(stamp, QgsLayoutItemLabel):
        stamp.setText(_STAMP)
        stamp.setVisibility(not d.public)
    _titleblock(sh, ctx, n, scale_text, measure)
    lo.set_variables(
        sh,
        {
            "project_name": d.project_name,
            "project_code": d.project,
            "office": ctx.office,
            "date": ctx.date,
            "version": "public" if d.public else "internal",
            "page": n,
            "pages": ctx.pages,
            "scale": scale_text,
            "ledger_code": d.ledger.code if d.ledger is not None else "",
        },
    )


def _set_chunk(sh, key, chunk: Chunk, measure, title: str) -> None:
    table, frame, lab = sh.tables[key]
    rows, total, head, empty, _ = measure._get(chunk.table, chunk.table_id, lo.frame_width(frame))[1]
    lo.configure_table(table, frame, len(chunk.table.columns), lo.TABLE_WEIGHTS.get(chunk.table_id))
    if rows:
        body = rows[chunk.start : chunk.end]
        marked = chunk.table.marked[chunk.start : chunk.end]
    else:
        body, marked = [empty], [False]
    cells = lo.table_cells(
        body, chunk.table.align, marked, total if chunk.total else None, measure.family, measure.size, head
    )
    table.setTableContents(cells)
    frame.setVisibility(True)
    if lab is not None:
        lab.setText(title)
        lab.setVisibility(True)


def _chunk_unverified(chunk: Chunk) -> bool:
    if chunk.table_id in ("table_finance", "table_payers", "table_feasibility"):
        # one unverified value makes every finance figure not official (they rest on one another):
        # every page showing part of these tables says so
        return any(chunk.table.marked)
    if chunk.table_id not in ("table_scenarios", "table_parties", "table_quota", "table_retained"):
        return False
    return any(chunk.table.marked[chunk.start : chunk.end])


def _fill_sheet(sh, page: PagePlan, ctx: _Context, n: int, measure) -> None:
    d, lay = ctx.data, ctx.layers
    kind = page.kind
    scale_text = "—"
    mp = sh.items.get("map")
    subtitle = f"{d.project_name} · 项目编号 {d.project}"
    title = _TITLES[kind]
    holder_row = None
    if kind == "holder":
        _seek_holder(sh, page.holder, d.sheet_codes.index(page.holder))
        holder_row = d.holders[d.holders.code == page.holder].iloc[0]
        title = f"{_TITLES['holder']} {page.holder}"
        subtitle = f"{d.project_name} · {page.holder} {holder_row.label}"
    if kind == "monitoring" and d.monitoring is not None:
        m = d.monitoring
        subtitle += (
            f" · 截至听证日 as of the hearing day {m.day}"
            if m.day == m.hearing_day
            else f" · 截至今日 as of today {m.day}（听证日 hearing day {m.hearing_day}）"
        )
    if kind == "overview" and d.land:
        # the one project-land figure, with its parts, where every reader of the pack sees it
        subtitle += " · " + land_line(d.land)
    if isinstance(mp, QgsLayoutItemMap):
        order = []
        if kind == "overview":
            order = [
                lay["holders"],
                lay["boundary"],
                lay.get("retained"),
                lay.get("controls"),
                lay["parcels_holder"],
            ]
        elif kind == "holder":
            order = [
                lay["boundary"],
                lay.get("retained"),
                lay.get("controls"),
                lay["pieces"],
                lay["parcels_base"],
            ]
        elif kind == "conflicts":
            order = [
                lay.get("conflicts"),
                lay["boundary"],
                lay.get("retained"),
                lay.get("controls"),
                lay["parcels_base"],
            ]
        order = [x for x in order if x is not None]
        mp.setCrs(lay["boundary"].crs())
        mp.setKeepLayerSet(True)
        mp.setLayers(order)
        if kind == "holder":
            mp.refresh()
            scale = lo.nice_scale(mp.scale(), 2000)
            mp.setScale(scale)
        else:
            bounds = list(d.layers["boundary"].total_bounds)
            if kind == "conflicts":
                for k in ("conflicts", "retained"):
                    if k in d.layers and len(d.layers[k]):
                        b = d.layers[k].total_bounds
                        bounds = [
                            min(bounds[0], b[0]),
                            min(bounds[1], b[1]),
                            max(bounds[2], b[2]),
                            max(bounds[3], b[3]),
                        ]
            scale = lo.fit_map(mp, bounds, 0.06, 1000)
        scale_text = f"1:{scale:,.0f}"
        legend_layers = [x for x in order if x is not lay["holders"] and x is not lay["parcels_base"]]
        if kind == "holder":
            legend_layers = [x for x in order if x is not lay["parcels_base"]]
        firsts = {}
        if kind == "overview":
            firsts[lay["parcels_holder"].id()] = min(ctx.legend_holders, len(d.holders))
        if isinstance(sh.items.get("legend"), QgsLayoutItemLegend):
            lo.set_legend_layers(sh, legend_layers, firsts)
            if kind == "overview" and len(d.holders) > ctx.legend_holders:
                sh.items["legend"].setTitle(
                    f"图例 Legend（最大 {ctx.legend_holders} 个权利人，全部见表 "
                    "largest holders; all in the table）"
                )
        for item_id in ("scalebar", "north"):
            item = sh.items.get(item_id)
            if item is not None and hasattr(item, "setLinkedMap"):
                item.setLinkedMap(mp)
    if kind == "holder" and holder_row is not None:
        sh.set_text(
            "holder",
            f"权利人 holder {page.holder}：{holder_row.label}\n"
            f"类型 type：{_kind_text(holder_row)}　"
            f"宗地 parcels：{int(holder_row.parcels)}\n"
            f"受影响面积 affected area：{_area(holder_row.affected_area)} m²　"
            f"占项目 share of project：{_share(holder_row.project_share)}",
        )
        lo.set_variables(sh, {"holder_code": page.holder, "holder_label": holder_row.label})
    if kind == "overview" and d.ledger is None:
        _ledger_text(sh, d)  # a template's ledger label is hidden; with a ledger it was filled when built
    if kind == "monitoring":
        pic = sh.items.get("chart")
        if isinstance(pic, QgsLayoutItemPicture):
            pic.setPicturePath(ctx.monitoring_chart or "", PICTURE_RASTER)
    if kind == "benefit":
        pic = sh.items.get("chart")
        if isinstance(pic, QgsLayoutItemPicture):
            if d.chart:
                pic.setPicturePath(d.chart, PICTURE_RASTER)
            else:
                pic.setPicturePath("")
    unverified = False
    for chunk in page.chunks:
        title_text = chunk.table.title + ("（续）" if chunk.start > 0 else "")
        if chunk.rect is not None:
            x, y, w, h = chunk.rect
            table, frame, lab = sh.tables[chunk.table_id]
            lo._place(frame, x, y, w, h)
            if lab is not None:
                th = lo.TITLE_H * sh.scale
                lo._place(lab, x, y - th, w, th * 0.9)
        _set_chunk(sh, chunk.table_id, chunk, measure, title_text)
        unverified |= _chunk_unverified(chunk)
    # tables of this sheet with no data (input not given): empty and untitled
    placed = {c.table_id for c in page.chunks}
    for tid, (table, frame, lab) in sh.tables.items():
        if tid == "titleblock" or tid in placed:
            continue
        table.setTableContents([])
        table.setEmptyTableMessage("（未提供 not provided）")
        if lab is not None:
            lab.setText("")
        frame.setVisibility(False)
        if lab is not None:
            lab.setVisibility(False)
    _common_texts(sh, ctx, n, title, subtitle, unverified, scale_text, measure)
    sh.layout.refresh()


def _ledger_text(sh, d: HearingData) -> None:
    """The ledger block (fingerprint code and consent rates) of the overview; hidden without a ledger."""
    lab = sh.items.get("ledger")
    if not isinstance(lab, QgsLayoutItemLabel):
        return
    if d.ledger is None:
        lab.setText("")
        lab.setVisibility(False)
        return
    size = lab.textFormat().size() if hasattr(lab, "textFormat") else lab.font().pointSizeF()
    width = lab.rect().width() - 2 * lab.marginX() - 0.5
    qf = font(sh.family, size)
    lo.fit_ledger_block(sh, "\n".join(_wrap(line, qf, width) for line in d.ledger.lines))
    lab.setVisibility(True)


def _fill_continuation(sh, page: PagePlan, ctx: _Context, n: int, measure) -> None:
    d = ctx.data
    parent = _TITLES[page.parent]
    subtitle = f"{d.project_name} · 项目编号 {d.project}"
    if page.holder:
        row = d.holders[d.holders.code == page.holder].iloc[0]
        parent = f"{_TITLES['holder']} {page.holder}"
        subtitle = f"{d.project_name} · {page.holder} {row.label}"
    unverified = False
    for chunk in page.chunks:
        x, y, w, h = chunk.rect
        key = lo.add_table(sh, chunk.table_id, x, y, w, h, "")
        _set_chunk(sh, key, chunk, measure, chunk.table.title + ("（续）" if chunk.start > 0 else ""))
        unverified |= _chunk_unverified(chunk)
    _common_texts(sh, ctx, n, f"{parent}（续 continued）", subtitle, unverified, "—", measure)
    sh.layout.refresh()


def _kind_text(row) -> str:
    if row.basis == "no holder":
        return "—"
    return "个人 individual" if row.individual else "单位 organisation"


def _area(v) -> str:
    from ..allocation.hearing import fmt_area

    return fmt_area(v)


def _share(v) -> str:
    from ..allocation.hearing import fmt_share

    return fmt_share(v)
