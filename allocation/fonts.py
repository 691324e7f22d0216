"""Which Chinese (CJK) font to use on this platform, and where its file is: no QGIS, no fontconfig needed.

Chinese text (the hearing-pack PDFs through Qt, the scenario chart through matplotlib) needs a font
with Chinese glyphs, and each platform has its own. :data:`CANDIDATES` lists them per platform in
order of preference; the first one installed is used. Windows and macOS ship theirs; on Linux
``Noto Sans CJK SC`` (Debian's ``fonts-noto-cjk``) comes first.

The PDF writer also needs the font's *file* (it reads the glyph table with fontTools):
:func:`find_font_file` asks ``fc-match`` when it is there (Linux), else matplotlib's font list, else
looks in the platform's font folders for the family's known file names.

Every platform decision goes through :func:`landcoord.allocation._platform.platform_key`, which the
tests patch to simulate Windows and macOS.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from . import _platform
from .i18n import tr

__all__ = [
    "CANDIDATES",
    "FILES",
    "candidates",
    "choose_family",
    "font_dirs",
    "find_font_file",
    "matplotlib_family",
    "missing_font_message",
]

#: per platform, in order of preference: (family name, other names the same font is listed under).
#: Windows and macOS list Chinese names on Chinese systems (Qt and matplotlib may report either).
CANDIDATES = {
    _platform.WINDOWS: (
        ("Microsoft YaHei", "微软雅黑"),
        ("DengXian", "等线"),
        ("SimHei", "黑体"),
        ("SimSun", "宋体"),
    ),
    _platform.LINUX: (
        ("Noto Sans CJK SC",),
        ("Source Han Sans SC", "思源黑体"),
        ("WenQuanYi Micro Hei", "文泉驿微米黑", "文泉驛微米黑"),
        ("WenQuanYi Zen Hei", "文泉驿正黑", "文泉驛正黑"),
        ("Droid Sans Fallback",),
    ),
    _platform.MACOS: (
        ("PingFang SC", "苹方-简"),
        ("Hiragino Sans GB", "冬青黑体简体中文"),
        ("Heiti SC", "黑体-简"),
        ("STHeiti", "华文黑体"),
    ),
}

#: matplotlib (3.6 and older) names a ``.ttc`` collection after its first face only: Debian's
#: NotoSansCJK-Regular.ttc is listed as "Noto Sans CJK JP" (Japanese glyph shapes for some
#: characters). Used for the chart after every Simplified Chinese font, as a last resort.
MATPLOTLIB_LAST_RESORT = {_platform.LINUX: ("Noto Sans CJK JP", "Noto Sans CJK TC", "Noto Sans CJK KR")}

#: family -> file names it is shipped as (regular weight first), for finding it without fontconfig
FILES = {
    "Microsoft YaHei": ("msyh.ttc", "msyh.ttf"),
    "DengXian": ("Deng.ttf",),
    "SimHei": ("simhei.ttf",),
    "SimSun": ("simsun.ttc",),
    "Noto Sans CJK SC": ("NotoSansCJK-Regular.ttc", "NotoSansCJKsc-Regular.otf", "NotoSansSC-Regular.otf"),
    "Source Han Sans SC": ("SourceHanSans-Regular.ttc", "SourceHanSansSC-Regular.otf"),
    "WenQuanYi Micro Hei": ("wqy-microhei.ttc",),
    "WenQuanYi Zen Hei": ("wqy-zenhei.ttc",),
    "Droid Sans Fallback": ("DroidSansFallbackFull.ttf", "DroidSansFallback.ttf"),
    "PingFang SC": ("PingFang.ttc",),
    "Hiragino Sans GB": ("Hiragino Sans GB.ttc", "Hiragino Sans GB W3.ttc"),
    "Heiti SC": ("STHeiti Light.ttc", "STHeiti Medium.ttc"),
    "STHeiti": ("STHeiti Light.ttc", "STHeiti Medium.ttc"),
}


def candidates(platform: str | None = None) -> tuple:
    """The preferred family names of ``platform`` (default: this one), in order.

    Examples
    --------
    >>> candidates("linux")[0], candidates("windows")[0], candidates("macos")[0]
    ('Noto Sans CJK SC', 'Microsoft YaHei', 'PingFang SC')
    """
    return tuple(names[0] for names in CANDIDATES[platform or _platform.platform_key()])


def choose_family(available, platform: str | None = None, extra: tuple = ()) -> str | None:
    """The first candidate of ``platform`` among the ``available`` family names, as listed there.

    A font listed under its Chinese name (微软雅黑 on a Chinese Windows) counts as its English one;
    the name is returned as ``available`` spells it, which is the name the caller's library knows.
    ``extra`` names are tried after the candidates. None when no candidate is installed.

    Examples
    --------
    >>> choose_family(["Arial", "微软雅黑", "SimSun"], "windows")
    '微软雅黑'
    >>> choose_family(["DejaVu Sans"], "linux") is None
    True
    """
    by_key = {}
    for name in available:
        by_key.setdefault(str(name).strip().casefold(), str(name))
    groups = list(CANDIDATES[platform or _platform.platform_key()]) + [(e,) for e in extra]
    for names in groups:
        for name in names:
            if name.casefold() in by_key:
                return by_key[name.casefold()]
    return None


def _group(family: str) -> tuple:
    """All names of a candidate family given under any of them (English first); else ``(family,)``."""
    for groups in CANDIDATES.values():
        for names in groups:
            if family.casefold() in (n.casefold() for n in names):
                return names
    return (family,)


def _english(family: str) -> str:
    """The English name of a candidate family given under any of its names."""
    return _group(family)[0]


def _all_names(family: str) -> set:
    return {n.casefold() for n in _group(family)} | {family.casefold()}


def font_dirs(platform: str | None = None) -> list[Path]:
    """The folders fonts are installed in on ``platform`` (system-wide and the user's own)."""
    platform = platform or _platform.platform_key()
    home = Path.home()
    if platform == _platform.WINDOWS:
        windir = os.environ.get("WINDIR") or os.environ.get("SystemRoot") or r"C:\Windows"
        dirs = [Path(windir) / "Fonts"]
        if os.environ.get("LOCALAPPDATA"):
            dirs.append(Path(os.environ["LOCALAPPDATA"]) / "Microsoft" / "Windows" / "Fonts")
        return dirs
    if platform == _platform.MACOS:
        return [
            Path("/System/Library/Fonts"),
            Path("/System/Library/Fonts/Supplemental"),
            Path("/Library/Fonts"),
            home / "Library" / "Fonts",
        ]
    data = os.environ.get("XDG_DATA_HOME") or str(home / ".local" / "share")
    return [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path(data) / "fonts", home / ".fonts"]


def _face_names(font) -> set:
    names = set()
    table = font["name"] if "name" in font else None
    for record in getattr(table, "names", []) or []:
        if record.nameID in (1, 16):
            try:
                names.add(record.toUnicode().casefold())
            except (UnicodeDecodeError, ValueError):
                continue
    return names


def face_index(path, family: str) -> int:
    """The index of ``family``'s face in a font collection (``.ttc``); 0 for a single font file."""
    path = Path(path)
    if path.suffix.lower() not in (".ttc", ".otc"):
        return 0
    try:
        from fontTools.ttLib import TTCollection
    except ImportError:  # pragma: no cover - fontTools comes with matplotlib
        return 0
    wanted = _all_names(family)
    try:
        collection = TTCollection(str(path), lazy=True)
    except Exception:  # noqa: BLE001 - not a readable collection: its first face
        return 0
    try:
        for k, font in enumerate(collection.fonts):
            if _face_names(font) & wanted:
                return k
    finally:
        collection.close()
    return 0


def _from_fc_match(family: str):
    exe = shutil.which("fc-match")
    if not exe:
        return None
    try:
        out = subprocess.run(
            [exe, "-f", "%{family}\t%{file}\t%{index}", family],
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    names, _, rest = out.partition("\t")
    path, _, index = rest.partition("\t")
    # fc-match always answers; the answer counts only if it is the family asked for
    wanted = _all_names(family)
    if not path or not {n.strip().casefold() for n in names.split(",")} & wanted:
        return None
    try:
        return path, int(index or 0)
    except ValueError:
        return path, 0


def _from_matplotlib(family: str):
    try:
        from matplotlib import font_manager
    except ImportError:
        return None
    wanted = _all_names(family)
    for entry in font_manager.fontManager.ttflist:
        if entry.name.casefold() in wanted and Path(entry.fname).is_file():
            return entry.fname, face_index(entry.fname, family)
    return None


def _from_folders(family: str, platform: str):
    files = FILES.get(_english(family), ())
    if not files:
        return None
    wanted = {f.casefold() for f in files}
    for folder in font_dirs(platform):
        if not folder.is_dir():
            continue
        found = {}
        for root, _dirs, names in os.walk(folder):
            for name in names:
                if name.casefold() in wanted:
                    found.setdefault(name.casefold(), Path(root) / name)
        for f in files:  # in the order of FILES: the regular weight first
            if f.casefold() in found:
                path = found[f.casefold()]
                return str(path), face_index(path, family)
    return None


def find_font_file(family: str, platform: str | None = None):
    """``(path, face index)`` of ``family``'s font file, or None when it cannot be found.

    ``fc-match`` when it is installed (and names this very family), else matplotlib's font list,
    else the platform's font folders (:func:`font_dirs`) searched for the names in :data:`FILES`.
    """
    platform = platform or _platform.platform_key()
    for lookup in (_from_fc_match, _from_matplotlib):
        found = lookup(family)
        if found:
            return found
    return _from_folders(family, platform)


def _advice(platform: str) -> str:
    if platform == _platform.WINDOWS:
        return tr(
            "These fonts come with Windows. If none is there, add the optional feature "
            "'Chinese (Simplified) Supplemental Fonts' (Settings > Apps > Optional features > Add a "
            "feature), then restart QGIS."
        )
    if platform == _platform.MACOS:
        return tr(
            "These fonts are built into macOS. If none is found, check in Font Book that they are "
            "not disabled, then restart QGIS."
        )
    return tr(
        "Install one with your distribution's package manager, on Debian or Ubuntu with: "
        "sudo apt-get install fonts-noto-cjk (then restart QGIS)."
    )


def missing_font_message(purpose: str, platform: str | None = None) -> str:
    """What to tell the officer when no candidate is installed: ``purpose`` is "pdf" or "chart"."""
    platform = platform or _platform.platform_key()
    fonts = ", ".join(candidates(platform))
    if purpose == "chart":
        return tr(
            "No Chinese font was found (looked for {fonts}); the Chinese labels of the chart cannot "
            "be drawn. {advice}",
            fonts=fonts,
            advice=_advice(platform),
        )
    return tr(
        "No Chinese font is installed (looked for {fonts}), so Chinese text cannot be printed (it "
        "would show as empty boxes). {advice}",
        fonts=fonts,
        advice=_advice(platform),
    )


def matplotlib_family(feedback=None) -> str | None:
    """The family name of a CJK font matplotlib knows on this platform, or None (with a warning)."""
    from matplotlib import font_manager

    platform = _platform.platform_key()
    names = [f.name for f in font_manager.fontManager.ttflist]
    family = choose_family(names, platform, extra=MATPLOTLIB_LAST_RESORT.get(platform, ()))
    if family is None and feedback is not None:
        feedback.warning(missing_font_message("chart", platform))
    return family
