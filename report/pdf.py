"""Multi-page PDFs of print layouts, written whole or not at all, with searchable Chinese text.

:class:`PdfPages` renders layout pages one after the other into one PDF (QGIS's exporter writes one
layout per file; a hearing pack is several layouts and an atlas). The file is written beside its
target under a temporary name and renamed into place only when every page is there.

Qt's PDF engine maps each glyph back to the LOWEST code point the font gives it. Noto Sans CJK maps
many common ideographs and a Kangxi or CJK radical to the same glyph, so 龙, 黄, 长, 门, 土, 人 ...
would come out of the PDF's text layer as the radicals ⻰, ⻩, ⻓, ⻔, ⼟, ⼈ (they look the same
but a search for 龙华 fails). Latin ligatures come out as single characters (ﬁ for "fi"), so a
search for "Benefit" fails too. :func:`fix_cjk_text_layer` rewrites the ToUnicode maps so that
each glyph maps to its unified ideograph or its letters; what is drawn does not change.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import shutil
import tempfile
import unicodedata
from pathlib import Path

from qgis.core import Qgis, QgsLayoutExporter
from qgis.PyQt.QtCore import QMarginsF, QSize, QSizeF
from qgis.PyQt.QtGui import QPageLayout, QPageSize, QPainter, QPdfWriter

from ..allocation.errors import OutputError
from ..allocation.fonts import find_font_file
from ..allocation.i18n import tr
from ..allocation.io.files import replace_atomically
from .fonts import cjk_family

__all__ = ["PdfPages", "fix_cjk_text_layer", "radical_map"]


def radical_map(family: str | None = None) -> dict:
    """Code points below U+4E00 that share their glyph with a unified ideograph -> that ideograph.

    Read from the file of the CJK font the sheets use (``family``, default: the platform's
    choice, :func:`.fonts.cjk_family`: Noto Sans CJK SC on Linux, Microsoft YaHei on Windows...),
    with fontTools (a dependency of matplotlib). The file is found by ``fc-match`` where it is
    installed, else through matplotlib's font list or the platform's font folders
    (:func:`landcoord.allocation.fonts.find_font_file`). Kangxi radicals fall back to their Unicode
    compatibility decomposition when the font is not readable.
    """
    if family is None:
        try:
            family = cjk_family()
        except OutputError:
            family = ""
    return _radical_map(family)


@functools.lru_cache(maxsize=4)
def _radical_map(family: str) -> dict:
    out = {}
    for u in range(0x2F00, 0x2FD6):
        n = unicodedata.normalize("NFKC", chr(u))
        if n != chr(u):
            out[u] = ord(n)
    found = find_font_file(family) if family else None
    if found is None:
        return out
    try:
        from fontTools.ttLib import TTFont

        path, index = found
        font = TTFont(path, fontNumber=int(index or 0), lazy=True)
        cmap = font.getBestCmap()
        font.close()
    except (ImportError, OSError, ValueError):  # pragma: no cover - no fontTools
        return out
    by_glyph: dict = {}
    for u, g in cmap.items():
        if 0x4E00 <= u <= 0x9FFF:
            by_glyph[g] = min(u, by_glyph.get(g, u))
    for u, g in cmap.items():
        if u < 0x4E00 and g in by_glyph and (0x2E80 <= u <= 0x2FDF or 0x3400 <= u <= 0x4DBF):
            out[u] = by_glyph[g]
    return out


_CMAP = re.compile(rb"beginbf(char|range)\s*(.*?)endbf\1", re.S)
_HEX = re.compile(rb"<([0-9A-Fa-f]+)>|\[|\]")


def _parse_cmap(text: bytes) -> dict:
    """CID -> unicode string from a ToUnicode CMap (bfchar and bfrange entries)."""
    out = {}
    for kind, body in _CMAP.findall(text):
        tokens = [m.group(0) for m in _HEX.finditer(body)]
        i = 0
        if kind == b"char":
            while i + 1 < len(tokens):
                out[int(tokens[i][1:-1], 16)] = bytes.fromhex(tokens[i + 1][1:-1].decode()).decode(
                    "utf-16-be"
                )
                i += 2
            continue
        while i + 2 < len(tokens):
            lo, hi = int(tokens[i][1:-1], 16), int(tokens[i + 1][1:-1], 16)
            if tokens[i + 2] == b"[":
                j = i + 3
                k = lo
                while tokens[j] != b"]":
                    out[k] = bytes.fromhex(tokens[j][1:-1].decode()).decode("utf-16-be")
                    k += 1
                    j += 1
                i = j + 1
            else:
                start = bytes.fromhex(tokens[i + 2][1:-1].decode()).decode("utf-16-be")
                base = ord(start[-1])
                for k in range(lo, hi + 1):
                    out[k] = start[:-1] + chr(base + k - lo)
                i += 3
    return out


def _write_cmap(mapping: dict) -> bytes:
    lines = [
        b"/CIDInit /ProcSet findresource begin",
        b"12 dict begin",
        b"begincmap",
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        b"/CMapName /Adobe-Identity-UCS def",
        b"/CMapType 2 def",
        b"1 begincodespacerange",
        b"<0000> <FFFF>",
        b"endcodespacerange",
    ]
    items = sorted(mapping.items())
    for k in range(0, len(items), 100):
        chunk = items[k : k + 100]
        lines.append(f"{len(chunk)} beginbfchar".encode())
        for cid, text in chunk:
            lines.append(f"<{cid:04X}> <{text.encode('utf-16-be').hex().upper()}>".encode())
        lines.append(b"endbfchar")
    lines += [b"endcmap", b"CMapName currentdict /CMap defineresource pop", b"end", b"end"]
    return b"\n".join(lines) + b"\n"


def _fixed_char(c: str, fix: dict) -> str:
    """The text a glyph stands for: radicals as their ideographs, ligatures (ﬁ, ﬂ) as letters."""
    u = ord(c)
    if u in fix:
        return chr(fix[u])
    if 0xFB00 <= u <= 0xFB06:
        return unicodedata.normalize("NFKC", c)
    return c


_OBJ = re.compile(rb"^(\d+) (\d+) obj\s*<<\s*/Length (\d+)\s*>>\s*stream\r?\n", re.S)


def _pdf_text_string(text: str) -> bytes:
    """A PDF text string: UTF-16BE with its byte-order mark, in hex."""
    return b"<FEFF" + str(text).encode("utf-16-be").hex().upper().encode() + b">"


_INFO_KEY = re.compile(r"[A-Za-z][A-Za-z0-9]*")


def fix_cjk_text_layer(path, info: dict | None = None) -> int:
    """Rewrite the ToUnicode maps of a PDF written by Qt so that ideographs extract as themselves.

    ``info``: entries to add to the document information dictionary (e.g. ``{"Keywords": ...}``;
    Qt 5's PDF writer sets only the title and the creator).

    Returns the number of glyph mappings corrected (0 and no ``info``: the file is left untouched).
    """
    path = Path(path)
    data = path.read_bytes()
    fix = radical_map()
    m = re.search(rb"startxref\s+(\d+)\s+%%EOF\s*$", data)
    if not m:
        raise OutputError(tr("'{path}' is not a PDF this writer can read (no startxref).", path=path))
    xref_at = int(m.group(1))
    head = re.match(rb"xref\s+0 (\d+)\s+", data[xref_at:])
    if not head:
        raise OutputError(tr("'{path}': unexpected cross-reference table (not written by Qt?).", path=path))
    n = int(head.group(1))
    pos = xref_at + head.end()
    entries = []
    for i in range(n):
        line = data[pos + 20 * i : pos + 20 * i + 20]
        entries.append((int(line[:10]), line[17:18]))
    trailer = data[pos + 20 * n :]
    trailer = trailer[: trailer.find(b"startxref")]
    used = sorted((off, i) for i, (off, kind) in enumerate(entries) if kind == b"n")
    bounds = {i: (off, (used[k + 1][0] if k + 1 < len(used) else xref_at)) for k, (off, i) in enumerate(used)}
    changed = 0
    new_objects = {}
    info_ref = re.search(rb"/Info (\d+) 0 R", trailer)
    if info and info_ref and int(info_ref.group(1)) in bounds:
        i = int(info_ref.group(1))
        a, b = bounds[i]
        body = data[a:b]
        end = body.rfind(b">>")
        if end < 0:
            raise OutputError(
                tr("'{path}': unexpected document information (not written by Qt?).", path=path)
            )
        entries_text = b"".join(
            b"/" + k.encode("ascii") + b" " + _pdf_text_string(v) + b"\n"
            for k, v in info.items()
            if _INFO_KEY.fullmatch(k)
        )
        new_objects[i] = body[:end] + entries_text + body[end:]
    for i, (a, b) in bounds.items():
        body = data[a:b]
        om = _OBJ.match(body)
        if not om:
            continue
        length = int(om.group(3))
        stream = body[om.end() : om.end() + length]
        if b"begincmap" not in stream or b"Adobe-Identity-UCS" not in stream:
            continue
        mapping = _parse_cmap(stream)
        fixed = {}
        for cid, text in mapping.items():
            new = "".join(_fixed_char(c, fix) for c in text)
            if new != text:
                changed += 1
            fixed[cid] = new
        if fixed == mapping:
            continue
        cmap = _write_cmap(fixed)
        new_objects[i] = (
            f"{om.group(1).decode()} {om.group(2).decode()} obj\n<< /Length {len(cmap)} >>\nstream\n".encode()
            + cmap
            + b"endstream\nendobj\n"
        )
    if not new_objects:
        return 0
    out = bytearray(data[: used[0][0]])
    offsets = {}
    for _, i in used:
        offsets[i] = len(out)
        a, b = bounds[i]
        out += new_objects.get(i, data[a:b])
    new_xref = len(out)
    out += f"xref\n0 {n}\n".encode()
    for i, (off, kind) in enumerate(entries):
        if kind == b"n":
            out += f"{offsets[i]:010d} 00000 n \n".encode()
        else:
            out += f"{off:010d} 65535 f \n".encode()
    out += trailer + f"startxref\n{new_xref}\n%%EOF\n".encode()
    tmp = path.with_name(path.name + ".fix")
    tmp.write_bytes(bytes(out))
    os.replace(tmp, path)
    return changed


class PdfPages:
    """Render layout pages, one after the other, into one PDF (and optionally one PNG per page).

    Parameters
    ----------
    path : path-like
        The PDF to write; replaced only when :meth:`close` succeeds.
    page_size_mm : (float, float)
        Width and height of every page.
    dpi : int
        Resolution of raster content and of the PNGs.
    png_dir : path-like, optional
        Folder for one PNG per page (``<stem>_p001.png`` ...); written with the PDF, or not at all.
    title : str
        The PDF's document title.
    info : dict, optional
        Further entries of the document information (``Subject``, ``Keywords`` ...).
    """

    def __init__(
        self, path, page_size_mm, dpi: int = 200, png_dir=None, title: str = "", info: dict | None = None
    ):
        self.path = Path(path)
        self.dpi = int(dpi)
        self.size = QSizeF(*page_size_mm)
        self.pages = 0
        folder = self.path.parent if str(self.path.parent) else Path(".")
        try:
            folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{self.path.stem}-", suffix=".pdf", dir=folder)
            os.close(fd)
        except OSError as exc:
            raise OutputError(
                tr("Cannot write '{path}': {error}. Nothing was written.", path=self.path, error=exc)
            ) from exc
        self._tmp = Path(tmp)
        self.png_dir = Path(png_dir) if png_dir is not None else None
        self._png_tmp = None
        if self.png_dir is not None:
            try:
                self.png_dir.mkdir(parents=True, exist_ok=True)
                self._png_tmp = Path(tempfile.mkdtemp(prefix=f".{self.path.stem}-png-", dir=self.png_dir))
            except OSError as exc:
                self._tmp.unlink(missing_ok=True)
                raise OutputError(
                    tr(
                        "Cannot write PNGs to '{folder}': {error}. Nothing was written.",
                        folder=self.png_dir,
                        error=exc,
                    )
                ) from exc
        self.pngs: list = []
        self.info = dict(info or {})
        self._writer = QPdfWriter(str(self._tmp))
        self._writer.setResolution(self.dpi)
        self._writer.setTitle(title)
        self._writer.setCreator("landcoord")
        self._writer.setPageLayout(
            QPageLayout(
                QPageSize(self.size, QPageSize.Unit.Millimeter),
                QPageLayout.Orientation.Portrait,
                QMarginsF(0, 0, 0, 0),
                QPageLayout.Unit.Millimeter,
            )
        )
        self._painter = None

    def add(self, layout, page: int = 0) -> None:
        """Render page ``page`` of ``layout`` as the next page."""
        ctx = layout.renderContext()
        ctx.setDpi(self.dpi)
        ctx.setTextRenderFormat(Qgis.TextRenderFormat.AlwaysText)
        exporter = QgsLayoutExporter(layout)
        if self._painter is None:
            self._painter = QPainter()
            if not self._painter.begin(self._writer):
                raise OutputError(tr("Cannot start the PDF '{path}'. Nothing was written.", path=self.path))
        else:
            self._writer.newPage()
        exporter.renderPage(self._painter, page)
        self.pages += 1
        if self._png_tmp is not None:
            image = exporter.renderPageToImage(page, QSize(), self.dpi)
            name = f"{self.path.stem}_p{self.pages:03d}.png"
            if image.isNull() or not image.save(str(self._png_tmp / name), "PNG"):
                raise OutputError(
                    tr("Cannot write the PNG of page {page}. Nothing was written.", page=self.pages)
                )
            self.pngs.append(self.png_dir / name)

    def close(self) -> Path:
        """Finish the PDF and move it (and the PNGs) into place."""
        if self._painter is None:
            self.abort()
            raise OutputError(tr("No page was rendered; '{path}' was not written.", path=self.path))
        self._painter.end()
        self._painter = None
        del self._writer
        try:
            fix_cjk_text_layer(self._tmp, self.info)
            replace_atomically(self._tmp, self.path)
            if self._png_tmp is not None:
                for p in self.pngs:
                    replace_atomically(self._png_tmp / p.name, p)
                shutil.rmtree(self._png_tmp, ignore_errors=True)
        except OSError as exc:
            self.abort()
            raise OutputError(tr("Cannot write '{path}': {error}.", path=self.path, error=exc)) from exc
        return self.path

    def abort(self) -> None:
        """Drop everything written so far."""
        if self._painter is not None:
            with contextlib.suppress(RuntimeError):
                self._painter.end()
            self._painter = None
        self._tmp.unlink(missing_ok=True)
        if self._png_tmp is not None:
            shutil.rmtree(self._png_tmp, ignore_errors=True)
