"""The core's messages in the officer's language (stdlib :mod:`gettext`, ``.po``/``.mo`` catalogs).

Every message the core, the command line and the report show a person (an error, a warning, a
note) is written as an English template with named fields and passed through :func:`tr`::

    raise LayerError(tr("Layer '{layer}' is empty; choose a layer with features.", layer=name))

A message that counts something passes both English forms and the count to :func:`trn` (the count
is also the field ``{n}`` unless given otherwise)::

    notes.append(trn("{n} parcel skipped: {ids}", "{n} parcels skipped: {ids}", len(ids), ids=ids))

:func:`tr` looks the template up in the current language's catalogs and fills the fields; a template
the catalogs lack is shown in English. The catalogs are gettext ``.po`` files (read by msgfmt, Poedit,
Weblate, babel), one domain per area, next to its code:

* ``allocation/locale/<language>/LC_MESSAGES/landcoord.po`` the core's (``allocation/``, ``deps.py``),
* ``cli/locale/<language>/LC_MESSAGES/landcoord_cli.po`` the command line's (``cli/``),
* ``report/locale/<language>/LC_MESSAGES/landcoord_report.po`` the hearing pack's (``report/``).

To add a message: write the ``tr()``/``trn()`` call, add its entry to the ``.po`` of that area, e.g.

.. code-block:: po

    #: allocation/quota.py
    #, python-brace-format
    msgid "Layer '{layer}' is empty; choose a layer with features."
    msgstr "图层“{layer}”为空；请选择有要素的图层。"

    #, python-brace-format
    msgid "{n} parcel skipped: {ids}"
    msgid_plural "{n} parcels skipped: {ids}"
    msgstr[0] "跳过了 {n} 宗地：{ids}"

(Chinese has one plural form, ``msgstr[0]``.) Then run ``make catalogs``
(``scripts/compile_catalogs.py``, pure Python) and commit the ``.po`` *and* the ``.mo`` it rewrote: the
plugin reads the compiled ``.mo`` files with :class:`gettext.GNUTranslations`, the domains looked up
in turn. ``tests/test_i18n_core.py`` checks that every template in the code has a translation with
the same fields, that no catalog entry is left over, and that every ``.mo`` is up to date.

The language is process-wide and English until set: the plugin and the Processing provider set it
from QGIS's locale (``locale/userLocale``), the command line from ``LANDCOORD_LANG``, ``LC_ALL``,
``LC_MESSAGES`` or ``LANG`` (on Windows, the user's display language). Data values (field names,
kinds, verdict codes such as ``blocked``) are not translated: batch scripts read them.
"""

from __future__ import annotations

import gettext
import os
import string
import struct
from functools import cache
from pathlib import Path

__all__ = [
    "tr",
    "trn",
    "set_language",
    "language",
    "languages",
    "language_from_environment",
    "catalog",
    "translations",
    "fields",
]

LOCALE_DIR = Path(__file__).resolve().with_name("locale")  # the core's catalogs
_PLUGIN = LOCALE_DIR.parent.parent
#: (folder, gettext domain) of each area's catalogs, looked up in this order
DOMAINS = (
    (LOCALE_DIR, "landcoord"),
    (_PLUGIN / "cli" / "locale", "landcoord_cli"),
    (_PLUGIN / "report" / "locale", "landcoord_report"),
)
DEFAULT = "en"
_language = DEFAULT


def languages() -> list[str]:
    """The languages with a catalog (besides English, which the templates are written in)."""
    found = set()
    for folder, domain in DOMAINS:
        if folder.is_dir():
            found |= {p.name for p in folder.iterdir() if (p / "LC_MESSAGES" / f"{domain}.mo").is_file()}
    return sorted(found)


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


class _Missing(gettext.NullTranslations):
    """The end of a language's chain of domains: a message no domain has is None (then English)."""

    def get(self, template):
        return None

    def gettext(self, message):
        return None

    def ngettext(self, msgid1, msgid2, n):
        return None


class _Domain(gettext.GNUTranslations):
    """One area's compiled catalog (``.mo``); ``get`` answers like a dict: the translation or None."""

    def get(self, template: str) -> str | None:
        return self.gettext(template)  # its fallbacks: the next domains, then _Missing


def _mo_files(lang: str) -> list[Path]:
    return [
        mo for folder, domain in DOMAINS if (mo := folder / lang / "LC_MESSAGES" / f"{domain}.mo").is_file()
    ]


@cache
def translations(lang: str) -> _Domain:
    """The ``gettext`` translations of ``lang``: its domains (core, command line, report) in turn.

    Raises ``OSError`` when ``lang`` has no catalog, ``ValueError`` (or ``OSError``) for a broken one.
    """
    files = _mo_files(lang)
    if not files:
        raise FileNotFoundError(f"no compiled catalog for {lang!r} in {[str(f) for f, _ in DOMAINS]}")
    chain = None
    for mo in reversed(files):
        with mo.open("rb") as fp:
            t = _Domain(fp)
        t.add_fallback(chain if chain is not None else _Missing())
        chain = t
    return chain


@cache
def catalog(lang: str) -> dict:
    """Template -> translation for ``lang`` (its singular messages), merged from every domain's ``.mo``.

    Plural entries (:func:`trn`) are left out: their forms depend on the count. Raises ``ValueError``
    when two domains translate one template differently.
    """
    merged: dict = {}
    for mo in _mo_files(lang):
        with mo.open("rb") as fp:
            # GNUTranslations keeps the messages in _catalog (babel and Django read it the same way)
            entries = gettext.GNUTranslations(fp)._catalog
        for key, value in entries.items():
            if not isinstance(key, str) or key == "":  # (msgid, form) of a plural entry; the header
                continue
            if key in merged and merged[key] != value:
                raise ValueError(f"{mo}: template {key!r} is translated differently in another domain")
            merged[key] = value
    return merged


def fields(template: str) -> list[tuple[str, str]]:
    """The ``(name, format spec)`` of every field of a template, in order."""
    return [(name, spec or "") for _, name, spec, _ in string.Formatter().parse(template) if name is not None]


@cache
def _lenient(lang: str):
    """:func:`translations`, or nothing when they cannot be read: a message must never fail to show.

    What it returns answers ``.get(template)`` with the translation or None.
    """
    try:
        return translations(lang)
    except (OSError, ValueError, struct.error):  # the tests read the catalogs strictly
        return _Missing()


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


def trn(singular: str, plural: str, n: int, /, **values) -> str:
    """The form of ``singular``/``plural`` for the count ``n`` in the current language, fields filled.

    English takes ``singular`` for 1 and ``plural`` otherwise; a catalog gives as many forms as its
    language has (``Plural-Forms``; Chinese has one). The count is also the field ``{n}`` unless a
    value named ``n`` is given. Untranslated, or a translation that cannot be filled, gives English.
    """
    values.setdefault("n", n)
    if _language != DEFAULT:
        ngettext = getattr(_lenient(_language), "ngettext", None)
        text = ngettext(singular, plural, n) if ngettext is not None else None
        if text is not None:
            try:
                return text.format(**values)
            except (KeyError, IndexError, ValueError):
                pass
    return (singular if n == 1 else plural).format(**values)
