"""Fonts of the printed sheets: Chinese text needs a CJK font, chosen at run time from what is installed.

The CJK font is the first of the platform's candidates Qt knows (:mod:`landcoord.allocation.fonts`):
Microsoft YaHei, DengXian, SimHei, SimSun on Windows; PingFang SC, Hiragino Sans GB, Heiti SC,
STHeiti on macOS; Noto Sans CJK SC (Debian's ``fonts-noto-cjk``), Source Han Sans SC, WenQuanYi
Micro Hei / Zen Hei, Droid Sans Fallback on Linux.

Where ``DejaVu Sans`` is installed (Linux) the sheets are set in it for Latin letters and digits,
with the CJK font substituted by Qt for every character DejaVu Sans lacks. Setting the whole text
in Noto Sans CJK prints correctly but Qt's PDF engine then loses the digits of Latin runs from the
PDF's text layer (HarfBuzz gives them contextual-alternate glyphs that Qt's ToUnicode map does not
cover), so ``pdftotext`` or a search in a PDF viewer would not find "G001" or "1,234.56". Without
DejaVu Sans (Windows, macOS) the text is set in the CJK font itself.
"""

from __future__ import annotations

from qgis.core import QgsTextFormat
from qgis.PyQt.QtGui import QColor, QFont, QFontDatabase

from ..allocation import _platform
from ..allocation import fonts as _fonts
from ..allocation.errors import OutputError

__all__ = [
    "CJK_FONT",
    "LATIN_FONT",
    "platform_key",
    "installed_families",
    "cjk_family",
    "require_cjk_font",
    "text_format",
    "font",
]

#: the first choice on Linux (the tested platform); other platforms: :data:`allocation.fonts.CANDIDATES`
CJK_FONT = "Noto Sans CJK SC"
LATIN_FONT = "DejaVu Sans"


def platform_key() -> str:
    """``"windows"``, ``"macos"`` or ``"linux"``: :func:`landcoord.allocation._platform.platform_key`.

    Tests simulate another platform by patching that function (it also steers the chart's font
    and the font file lookup); patching this one changes the sheets' font choice only.
    """
    return _platform.platform_key()


def installed_families() -> list[str]:
    """The font families Qt knows (Qt 6: a static function; Qt 5: through an instance)."""
    try:
        return list(QFontDatabase.families())
    except TypeError:  # Qt 5: families() is not static
        return list(QFontDatabase().families())


def cjk_family(families=None) -> str:
    """The CJK family to print Chinese in: the platform's first candidate that is installed.

    Parameters
    ----------
    families : collection of str, optional
        The installed font families (default: Qt's font database).

    Raises
    ------
    OutputError
        When none of the platform's candidates is installed: Chinese text would print as empty
        boxes. The message says what to install on this platform.
    """
    families = installed_families() if families is None else list(families)
    platform = platform_key()
    family = _fonts.choose_family(families, platform)
    if family is None:
        raise OutputError(_fonts.missing_font_message("pdf", platform))
    return family


def require_cjk_font(families=None) -> str:
    """Check that a CJK font is installed; return the family to set text in.

    ``DejaVu Sans`` with the CJK font substituted where it is installed, else the CJK font.

    Parameters
    ----------
    families : collection of str, optional
        The installed font families (default: Qt's font database).

    Raises
    ------
    OutputError
        When no CJK font is installed (see :func:`cjk_family`).
    """
    families = installed_families() if families is None else list(families)
    family = cjk_family(families)
    if LATIN_FONT in families:
        QFont.insertSubstitution(LATIN_FONT, family)
        return LATIN_FONT
    return family


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
