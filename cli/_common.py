"""Helpers shared by the command-line commands: feedback, tables, output paths."""

from __future__ import annotations

import sys

from ..allocation.feedback import Feedback
from ..allocation.i18n import tr

__all__ = ["PrintFeedback", "print_table", "fmt_area"]


class PrintFeedback(Feedback):
    """Feedback for a terminal: messages to stderr, a progress bar when stderr is a terminal."""

    def __init__(self, quiet: bool = False):
        self.quiet = quiet
        self._tty = sys.stderr.isatty()
        self._last = -1

    def progress(self, percent: float) -> None:
        if self.quiet or not self._tty:
            return
        p = int(percent)
        if p != self._last:
            self._last = p
            bar = "#" * (p // 4)
            sys.stderr.write(f"\r[{bar:<25}] {p:3d}%")
            if p >= 100:
                sys.stderr.write("\r" + " " * 40 + "\r")
            sys.stderr.flush()

    def info(self, message: str) -> None:
        if not self.quiet:
            print(message, file=sys.stderr)

    def warning(self, message: str) -> None:
        print(tr("warning: {message}", message=message), file=sys.stderr)


def fmt_area(value: float) -> str:
    """An area in m² with thousands separators and two decimals."""
    return f"{value:,.2f}"


def _width(text: str) -> int:
    """Display width of text in a terminal (CJK characters take two columns)."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def print_table(rows, headers, file=None, align=None) -> None:
    """Print rows as an aligned text table (CJK-aware)."""
    file = file or sys.stdout
    cells = [[("" if v is None else str(v)) for v in r] for r in rows]
    widths = [max([_width(h)] + [_width(r[i]) for r in cells]) for i, h in enumerate(headers)]
    align = align or ["<"] * len(headers)

    def line(values):
        out = []
        for v, w, a in zip(values, widths, align):
            pad = " " * (w - _width(v))
            out.append(pad + v if a == ">" else v + pad)
        return "  ".join(out).rstrip()

    print(line(headers), file=file)
    print("  ".join("-" * w for w in widths), file=file)
    for r in cells:
        print(line(r), file=file)


#: Help of ``--measure-crs`` (affected, conflicts, carve, city, demo): one measuring CRS per run.
MEASURE_CRS_HELP = (
    "projected CRS to measure areas in, e.g. EPSG:4547 or EPSG:2154 (default: the boundary's projected "
    "CRS, else the cadastre's, else the national projection or a local transverse Mercator with scale "
    "factor 1; never UTM unless given here)"
)
