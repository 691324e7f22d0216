"""Spreadsheet cells that never run: text landcoord writes to CSV or XLSX is never a formula.

A text such as ``=HYPERLINK("http://x", "click")``, ``+1+cmd|' /C calc'!A0``, ``-2+3`` or ``@SUM(A1)``
typed into a ledger note or a holder's name would be evaluated by Excel or WPS when an officer opens
the exported sheet (CSV/formula injection). Every spreadsheet landcoord writes goes through
:func:`write_frames`:

* XLSX: every text cell is stored as a string cell (openpyxl would store text starting with ``=``
  as a formula); the text itself is unchanged.
* CSV: a text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
  leading single quote (``'=1+2``), as OWASP recommends; spreadsheets show it as text.

Numbers stay numbers (``-5.0`` in a number column is written as the number). Reading a CSV back
(:func:`unescape_cell`, used by ``landcoord consent import`` and the table readers) drops the
quote again, so landcoord's own files round-trip.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

__all__ = [
    "DANGEROUS_STARTS",
    "csv_cell",
    "csv_frame",
    "xlsx_frame",
    "protect_workbook",
    "unescape_cell",
    "write_frames",
]

#: First characters that make a spreadsheet program read a cell as a formula.
DANGEROUS_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    """A value as written to a CSV cell: text starting with a formula character gets a ``'`` first.

    Examples
    --------
    >>> csv_cell("=1+2"), csv_cell("-5"), csv_cell("张伟"), csv_cell(-5.0), csv_cell(None)
    ("'=1+2", "'-5", '张伟', -5.0, None)
    """
    if isinstance(value, str) and value.startswith(DANGEROUS_STARTS):
        return "'" + value
    return value


def unescape_cell(value):
    """The text a CSV cell written by :func:`csv_cell` held (``'=1+2`` -> ``=1+2``).

    Examples
    --------
    >>> unescape_cell("'=1+2"), unescape_cell("'quoted"), unescape_cell(3)
    ('=1+2', "'quoted", 3)
    """
    if isinstance(value, str) and value[:1] == "'" and value[1:].startswith(DANGEROUS_STARTS):
        return value[1:]
    return value


def csv_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with :func:`csv_cell` applied to every text cell (and to the headers)."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col].dtype):
            out[col] = out[col].astype(object).map(csv_cell)
    out.columns = [csv_cell(c) for c in out.columns]
    return out


def xlsx_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` without the control characters an XLSX file cannot hold (a bell or an
    escape pasted into a note): openpyxl refuses them, and they print as nothing anyway.

    Examples
    --------
    >>> xlsx_frame(pd.DataFrame({"note": ["a\x07b", 3]}))["note"].tolist()
    ['ab', 3]
    """
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col].dtype):
            out[col] = (
                out[col]
                .astype(object)
                .map(lambda v: ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v)
            )
    return out


def protect_workbook(workbook) -> int:
    """Make every formula cell of an openpyxl ``workbook`` a text cell (landcoord writes no
    formulas: any is text that happened to start with ``=``). Returns how many were changed."""
    changed = 0
    for ws in workbook.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
                    changed += 1
    return changed


def write_frames(path, frames: dict, *, encoding: str = "utf-8-sig", lineterminator: str = "\r\n") -> None:
    """Write ``frames`` (sheet name -> DataFrame) to ``path``, no text as a formula: ``.xlsx`` (by
    the suffix of ``path``) gets one sheet per frame, anything else is a CSV of the one frame.

    The CSV text is encoded before anything is written: UnicodeEncodeError propagates with the
    file untouched.
    """
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        with pd.ExcelWriter(path, engine="openpyxl") as xw:
            for sheet, frame in frames.items():
                xlsx_frame(frame).to_excel(xw, sheet_name=str(sheet)[:31], index=False)
            protect_workbook(xw.book)
        return
    (frame,) = frames.values()
    data = csv_frame(frame).to_csv(index=False, lineterminator=lineterminator).encode(encoding)
    with open(path, "wb") as fh:
        fh.write(data)
