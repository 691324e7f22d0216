"""Fonts of the printed sheets: Chinese text needs a CJK font, checked at run time.

The sheets are set in ``DejaVu Sans`` for Latin letters and digits, with ``Noto Sans CJK SC``
(Debian's ``fonts-noto-cjk``) for Chinese: Qt substitutes it for every character DejaVu Sans lacks.
Setting the whole text in the CJK font prints correctly but Qt's PDF engine then loses the digits
of Latin runs from the PDF's text layer (HarfBuzz gives them contextual-alternate glyphs that Qt's
ToUnicode map does not cover), so ``pdftotext`` or a search in a PDF viewer would not find
"G001" or "1,234.56".
"""

from __future__ import annotations

from qgis.core import QgsTextFormat
from qgis.PyQt.QtGui import QColor, QFont, QFontDatabase

from ..allocation.errors import OutputError
from ..allocation.i18n import tr

__all__ = ["CJK_FONT", "LATIN_FONT", "require_cjk_font", "text_format", "font"]

CJK_FONT = "Noto Sans CJK SC"
LATIN_FONT = "DejaVu Sans"


def require_cjk_font(families=None) -> str:
    """Check that the CJK font is installed; return the family to set text in.

    Parameters
    ----------
    families : collection of str, optional
        The installed font families (default: Qt's font database).

    Raises
    ------
    OutputError
        When ``Noto Sans CJK SC`` is not installed: Chinese text would print as empty boxes.
    """
    families = set(QFontDatabase().families() if families is None else families)
    if CJK_FONT not in families:
        raise OutputError(
            tr(
                "The font '{font}' is not installed, so Chinese text cannot be printed (it would show "
                "as empty boxes). Install it with: sudo apt-get install fonts-noto-cjk (then restart QGIS).",
                font=CJK_FONT,
            )
        )
    if LATIN_FONT in families:
        QFont.insertSubstitution(LATIN_FONT, CJK_FONT)
        return LATIN_FONT
    return CJK_FONT


def font(family: str, size: float, bold: bool = False) -> QFont:
    """A QFont of ``size`` points."""
    f = QFont(family)
    f.setPointSizeF(size)
    f.setBold(bold)
    return f


def text_format(family: str, size: float, bold: bool = False, color: str = "#000000") -> QgsTextFormat:
    """A QGIS text format of ``size`` points."""
    fmt = QgsTextFormat()
    fmt.setFont(font(family, size, bold))
    fmt.setSize(size)
    fmt.setColor(QColor(color))
    return fmt
