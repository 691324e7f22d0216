"""The core's messages in the officer's language.

Every message the core shows a person (an error, a warning, a note) is written as an English
template with named fields and passed through :func:`tr`::

    raise LayerError(tr("Layer '{layer}' is empty; choose a layer with features.", layer=name))

:func:`tr` looks the template up in the catalog of the current language and fills the fields;
a template the catalog lacks is shown in English. Catalogs are JSON files, English template to
translation, in ``allocation/locale/<language>/`` (one file per module, merged on first use); the
tests check that every template in the code has a translation with the same fields, and that no
catalog entry is left over.

The language is process-wide and English until set: the plugin and the Processing provider set it
from QGIS's locale (``locale/userLocale``), the command line from ``LANDCOORD_LANG``, ``LC_ALL``,
``LC_MESSAGES`` or ``LANG``. Data values (field names, kinds, verdict codes such as ``blocked``)
are not translated: batch scripts read them.
"""

from __future__ import annotations

import json
import os
import string
from functools import cache
from pathlib import Path

__all__ = ["tr", "set_language", "language", "languages", "language_from_environment", "catalog", "fields"]

LOCALE_DIR = Path(__file__).resolve().with_name("locale")
DEFAULT = "en"
_language = DEFAULT


def languages() -> list[str]:
    """The languages with a catalog (besides English, which the templates are written in)."""
    if not LOCALE_DIR.is_dir():
        return []
    return sorted(p.name for p in LOCALE_DIR.iterdir() if p.is_dir() and any(p.glob("*.json")))


def _normalise(code: str | None) -> str:
    """``zh_CN.UTF-8``, ``zh-Hans``, ``zh`` -> ``zh_CN`` (the catalog that fits); else English."""
    if not code:
        return DEFAULT
    code = str(code).split(".")[0].split("@")[0].replace("-", "_").strip()
    if not code or code in ("C", "POSIX"):
        return DEFAULT
    available = languages()
    if code in available:
        return code
    base = code.split("_")[0].lower()
    for lang in available:
        if lang.split("_")[0].lower() == base:
            return lang
    return DEFAULT


def set_language(code: str | None) -> str:
    """Show the core's messages in ``code`` from now on; returns the language chosen.

    ``code`` is a locale name (``zh_CN``, ``zh-Hans``, ``zh_CN.UTF-8``, ``en_US``); a language
    without a catalog, ``C`` or None gives English.
    """
    global _language
    _language = _normalise(code)
    return _language


def language() -> str:
    """The language messages are shown in now (``en`` or a catalog's name)."""
    return _language


def language_from_environment(environ=None, *, windows_locale=None) -> str | None:
    """The locale the environment asks for: ``LANDCOORD_LANG``, then the POSIX variables.

    Windows sets none of the POSIX variables: there, the user's display language is asked of the
    system (``GetUserDefaultUILanguage``, e.g. ``zh-CN`` on a Chinese Windows). ``windows_locale``
    replaces that call (tests).
    """
    environ = os.environ if environ is None else environ
    for var in ("LANDCOORD_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(var)
        if value:
            return value
    if windows_locale is not None:
        return windows_locale() or None
    if os.name == "nt":
        return _windows_ui_language()
    return None


def _windows_ui_language() -> str | None:
    """The Windows user's display language as a locale name (``zh_CN``), or None."""
    try:
        import ctypes
        import locale

        lcid = ctypes.windll.kernel32.GetUserDefaultUILanguage()
        return locale.windows_locale.get(lcid)
    except (AttributeError, OSError, ValueError):  # not Windows after all, or no such call
        return None


@cache
def catalog(lang: str) -> dict:
    """Template -> translation for ``lang``, merged from every file of its folder."""
    merged: dict = {}
    for path in sorted((LOCALE_DIR / lang).glob("*.json")):
        entries = json.loads(path.read_text(encoding="utf-8"))
        for key, value in entries.items():
            if key in merged and merged[key] != value:
                raise ValueError(f"{path}: template {key!r} is translated differently in another file")
            merged[key] = value
    return merged


def fields(template: str) -> list[tuple[str, str]]:
    """The ``(name, format spec)`` of every field of a template, in order."""
    return [(name, spec or "") for _, name, spec, _ in string.Formatter().parse(template) if name is not None]


@cache
def _lenient(lang: str) -> dict:
    """:func:`catalog`, or nothing when it cannot be read: a message must never fail to show."""
    try:
        return catalog(lang)
    except (OSError, ValueError):  # the tests read the catalogs strictly
        return {}


def tr(template: str, /, **values) -> str:
    """``template`` in the current language, its ``{fields}`` filled from ``values``.

    A translation that cannot be filled (a field it lacks; the tests prevent it) gives the English.
    """
    if _language != DEFAULT:
        text = _lenient(_language).get(template)
        if text is not None:
            try:
                return text.format(**values)
            except (KeyError, IndexError, ValueError):
                pass
    return template.format(**values)
