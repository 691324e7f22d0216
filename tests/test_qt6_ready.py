"""Ready for QGIS 4 (Qt6) while running on QGIS 3.34-3.40 (PyQt5): a scanner for Qt5-only idioms.

The scanner reads the plugin's Qt-side source (``processing/ ui/ report/ plugin.py`` and the tests'
helpers) and reports, by file and line:

* ``exec_`` (gone in PyQt6: ``exec()``), ``from PyQt5``/``import PyQt5`` (use ``qgis.PyQt``),
  ``QRegExp`` (``QRegularExpression``), ``QDesktopWidget`` (``QScreen``), ``QFontMetrics.width``
  (``horizontalAdvance``), ``QVariant.<Type>`` field types (``qgis_compat.field_type``);
* ``QAction`` imported from anywhere but ``qgis.PyQt.QtWidgets``: in PyQt5 ``QAction`` lives in
  QtWidgets, in PyQt6 in QtGui. QGIS's ``qgis.PyQt.QtWidgets`` re-exports it on Qt6 and
  ``qgis.PyQt.QtGui`` re-exports it on Qt5, but only from 3.34.2 (qgis/QGIS#55677), so the one
  spelling that works on every 3.34.x, 3.40 and QGIS 4 is ``from qgis.PyQt.QtWidgets import QAction``;
* unscoped enum values (``Qt.AlignLeft``, ``QMessageBox.Yes``, ``QgsWkbTypes.PolygonGeometry``):
  each ``Name.Attr`` in the code is resolved against the real PyQt/QGIS modules; when it is an
  enum member reached through its owner rather than through its enum, the scanner names the scoped
  spelling. PyQt6 has only the scoped one. When that scoped ``Qgis.*`` enum was added after 3.34
  (its docstring's ``versionadded``), the finding says to use :mod:`landcoord.qgis_compat`.

A line that must keep an old spelling behind a version check carries the comment ``qt6-ok: <why>``.
``qgis_compat.py`` is the one module allowed to name the old spellings (behind version checks).
"""

from __future__ import annotations

import enum
import importlib
import io
import re
import tokenize
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCANNED = ["processing", "ui", "report", "plugin.py", "qgisio.py"]
#: the tests' helper modules (not the tests themselves, which may name old spellings on purpose)
TEST_HELPERS = [
    "conftest.py",
    "dock_support.py",
    "city_support.py",
    "hearing_support.py",
    "ledger_support.py",
]
#: the compat module names the 3.34 spellings behind its version checks
EXEMPT = {"qgis_compat.py"}
#: the lowest QGIS this plugin supports (metadata.txt qgisMinimumVersion)
MINIMUM = (3, 34)

_MODULES = (
    "qgis.PyQt.QtCore",
    "qgis.PyQt.QtGui",
    "qgis.PyQt.QtWidgets",
    "qgis.PyQt.QtPrintSupport",
    "qgis.PyQt.QtSvg",
    "qgis.core",
    "qgis.gui",
)

_LINE_RULES = [
    (re.compile(r"\bexec_\b"), "exec_ is gone in PyQt6: use exec()"),
    (re.compile(r"^\s*(from|import)\s+PyQt[56]\b"), "import Qt through qgis.PyQt, not PyQt5/PyQt6"),
    (re.compile(r"\bQRegExp\b"), "QRegExp is gone in Qt6: use QRegularExpression"),
    (re.compile(r"\bQDesktopWidget\b"), "QDesktopWidget is gone in Qt6: use QGuiApplication.screens()"),
    (
        re.compile(
            r"\bQVariant\.(Int|UInt|LongLong|ULongLong|Double|String|Bool|Date|DateTime|Time|ByteArray)\b"
        ),
        "QVariant field types are Qt5-only: use qgis_compat.field_type(...)",
    ),
    (
        re.compile(r"(?:QFontMetricsF?\([^()]*\)|\bf?(?:ont_?)?metrics\w*|\bfm\w*)\.width\("),
        "QFontMetrics.width is gone in Qt6: use horizontalAdvance()",
    ),
    (
        re.compile(r"\bint\(\s*(?:Qt|Qgis|Q[A-Z][A-Za-z]*)\.[A-Z]"),
        "int() of a Qt enum fails on PyQt6 (enum.Enum/Flag): use qgis_compat.enum_int",
    ),
    (
        re.compile(r"^\s*from\s+(?!qgis\.PyQt\.QtWidgets\b)\S+\s+import\s+[^#]*\bQAction\b"),
        "import QAction from qgis.PyQt.QtWidgets (the spelling every QGIS 3.34+ and QGIS 4 accept)",
    ),
]

#: a line that must keep an old spelling (behind a version check) says so, with its reason
PRAGMA = "qt6-ok:"
_ATTR = re.compile(r"(?<![\w.])([A-Z]\w*)\.([A-Za-z_]\w*)(?![\w.])")
_VERSION = re.compile(r"versionadded::\s*(\d+)\.(\d+)")


def _namespace() -> dict:
    names = {}
    for module in _MODULES:
        try:
            mod = importlib.import_module(module)
        except ImportError:
            continue
        for key in dir(mod):
            if key[:1].isupper():
                names.setdefault(key, getattr(mod, key))
    return names


def _is_enum_type(kind) -> bool:
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return True
    # sip enums (PyQt5 and QGIS's own): an int subclass whose metatype is sip's enumtype
    return isinstance(kind, type) and issubclass(kind, int) and type(kind).__name__ == "enumtype"


def _added(kind) -> tuple[int, int] | None:
    """The QGIS version a Qgis.* enum was added in, from its docstring (None: unknown or old)."""
    # the enum's own note comes before its member list ("* ``Member``: ..."), whose notes are the
    # members' own
    head = (kind.__doc__ or "").split("* ``", 1)[0]
    found = _VERSION.search(head)
    return (int(found.group(1)), int(found.group(2))) if found else None


def _scoped(owner_name: str, owner, attr: str) -> str | None:
    """The scoped spelling of ``owner.attr`` when it is an enum value reached unscoped, else None."""
    try:
        value = getattr(owner, attr)
    except AttributeError:
        return None
    kind = type(value)
    if not _is_enum_type(kind) or kind is owner or not isinstance(owner, type):
        return None
    member = value.name if isinstance(value, enum.Enum) else attr
    return f"{kind.__qualname__}.{member}"


def _code_only(text: str) -> str:
    """``text`` with its strings and comments blanked (same lines), so docstrings may name old spellings."""
    lines = text.splitlines(keepends=True)
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError):
        return text
    blank = [list(line) for line in lines]
    for tok in tokens:
        if tok.type not in (tokenize.STRING, tokenize.COMMENT):
            continue
        (r0, c0), (r1, c1) = tok.start, tok.end
        for r in range(r0, r1 + 1):
            row = blank[r - 1]
            start = c0 if r == r0 else 0
            end = c1 if r == r1 else len(row)
            for c in range(start, end):
                if row[c] not in "\r\n":
                    row[c] = " "
    return "".join("".join(row) for row in blank)


def scan_text(text: str, filename: str = "<text>", namespace: dict | None = None) -> list[str]:
    """Qt5-only idioms in ``text``, one ``file:line: what`` per finding."""
    names = _namespace() if namespace is None else namespace
    findings = []
    raw = text.splitlines()
    for number, code in enumerate(_code_only(text).splitlines(), 1):
        line = raw[number - 1] if number <= len(raw) else code
        if PRAGMA in line:
            continue
        for pattern, why in _LINE_RULES:
            if pattern.search(code):
                findings.append(f"{filename}:{number}: {why}: {line.strip()}")
        for match in _ATTR.finditer(code):
            owner_name, attr = match.groups()
            owner = names.get(owner_name)
            if owner is None or owner_name == "QVariant":  # QVariant types: the field-type rule
                continue
            scoped = _scoped(owner_name, owner, attr)
            if scoped is None:
                continue
            kind = type(getattr(owner, attr))
            added = _added(kind) if kind.__qualname__.startswith("Qgis.") else None
            if added is not None and added > MINIMUM:
                fix = f"{scoped} exists only from QGIS {added[0]}.{added[1]}: use landcoord.qgis_compat"
            else:
                fix = f"use {scoped}"
            findings.append(f"{filename}:{number}: unscoped enum {owner_name}.{attr}: {fix}")
    return findings


def source_files() -> list[Path]:
    files = []
    for entry in SCANNED:
        path = ROOT / entry
        files.extend(sorted(path.rglob("*.py")) if path.is_dir() else [path])
    files.extend(ROOT / "tests" / name for name in TEST_HELPERS)
    return [f for f in files if f.name not in EXEMPT and f.exists()]


def scan_tree() -> list[str]:
    names = _namespace()
    findings = []
    for path in source_files():
        findings.extend(scan_text(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)), names))
    return findings


# -- the scanner itself --------------------------------------------------------------------------------------
PLANTED = """
from PyQt5.QtWidgets import QDialog
from qgis.PyQt.QtGui import QAction
from qgis.PyQt.QtCore import QRegExp
if dialog.exec_() == QDialog.Accepted:
    label.setAlignment(Qt.AlignLeft | Qt.AlignTop)
answer = QMessageBox.question(None, "t", "q", QMessageBox.Yes | QMessageBox.No)
box.setCheckState(Qt.Checked)
field = QgsField("area", QVariant.Double)
width = QFontMetrics(font).width("text")
screen = QDesktopWidget().screenGeometry()
polygon = [QgsProcessing.TypeVectorPolygon]
kind = QgsWkbTypes.PolygonGeometry
align = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
"""


def test_scanner_finds_each_planted_idiom(qgis_app):
    found = "\n".join(scan_text(PLANTED, "planted.py"))
    for expected in (
        "planted.py:2: import Qt through qgis.PyQt",
        "planted.py:3: import QAction from qgis.PyQt.QtWidgets",
        "planted.py:4: QRegExp is gone",
        "planted.py:5: exec_ is gone",
        "planted.py:5: unscoped enum QDialog.Accepted: use QDialog.DialogCode.Accepted",
        "planted.py:6: unscoped enum Qt.AlignLeft: use Qt.AlignmentFlag.AlignLeft",
        "planted.py:6: unscoped enum Qt.AlignTop: use Qt.AlignmentFlag.AlignTop",
        "planted.py:7: unscoped enum QMessageBox.Yes: use QMessageBox.StandardButton.Yes",
        "planted.py:7: unscoped enum QMessageBox.No: use QMessageBox.StandardButton.No",
        "planted.py:8: unscoped enum Qt.Checked: use Qt.CheckState.Checked",
        "planted.py:9: QVariant field types are Qt5-only",
        "planted.py:10: QFontMetrics.width is gone",
        "planted.py:11: QDesktopWidget is gone",
        "planted.py:12: unscoped enum QgsProcessing.TypeVectorPolygon: "
        "Qgis.ProcessingSourceType.VectorPolygon exists only from QGIS 3.36: use landcoord.qgis_compat",
        "planted.py:13: unscoped enum QgsWkbTypes.PolygonGeometry: use Qgis.GeometryType.Polygon",
        "planted.py:14: int() of a Qt enum fails on PyQt6",
    ):
        assert expected in found, f"{expected!r} not in:\n{found}"
    assert len(scan_text(PLANTED)) == 16


def test_scanner_accepts_the_portable_spellings(qgis_app):
    portable = """
\"\"\"Docstrings and comments may name Qt.AlignLeft and exec_() when they explain a change.\"\"\"
from qgis.PyQt.QtWidgets import QAction, QDialog, QMessageBox  # not QDialog.Accepted
if dialog.exec() == QDialog.DialogCode.Accepted:
    label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
answer = QMessageBox.StandardButton.Yes
field = QgsField("area", field_type("double"))
width = QFontMetrics(font).horizontalAdvance("text")
kind = Qgis.GeometryType.Polygon
flags = QgsFeatureSink.Flag.FastInsert
old = QgsPalLayerSettings.OverPoint  # qt6-ok: behind a version check
"""
    assert scan_text(portable) == []


def test_plugin_source_has_no_qt5_only_idioms(qgis_app):
    findings = scan_tree()
    assert findings == [], "Qt5-only idioms (see tests/test_qt6_ready.py):\n" + "\n".join(findings)


# -- the compat module ---------------------------------------------------------------------------------
def test_every_compat_value_has_both_spellings_here_and_they_agree(qgis_app):
    """Each value's 3.34 spelling and its new one both resolve on this QGIS (3.40) and are equal."""
    from landcoord import qgis_compat

    for name, (new_owner, new, old_owner, old) in qgis_compat.COMPAT.items():
        new_value = new_owner
        for part in new.split("."):
            new_value = getattr(new_value, part)
        old_value = old_owner
        for part in old.split("."):
            old_value = getattr(old_value, part)
        assert getattr(qgis_compat, name) is new_value, name
        assert int(getattr(new_value, "value", new_value)) == int(
            getattr(old_value, "value", old_value)
        ), name


def test_compat_falls_back_to_the_334_spelling_when_the_new_enum_is_missing(qgis_app):
    from qgis.core import QgsFeatureSink, QgsProcessing

    from landcoord.qgis_compat import pick

    class Qgis334:  # a Qgis without the enums 3.36 moved there
        pass

    assert pick(Qgis334, "ProcessingSourceType.VectorPolygon", QgsProcessing, "TypeVectorPolygon") == (
        QgsProcessing.TypeVectorPolygon
    )
    fast = pick(Qgis334, "X.Y", QgsFeatureSink, "Flag.FastInsert")
    assert fast == QgsFeatureSink.Flag.FastInsert and type(fast) is QgsFeatureSink.Flag


def test_field_type_by_version_and_fields_built_with_it(qgis_app):
    from qgis.core import Qgis, QgsField, QgsVectorLayer
    from qgis.PyQt.QtCore import QMetaType, QVariant

    from landcoord.qgis_compat import field_type

    assert field_type("double", version=33800) == QMetaType.Type.Double
    assert isinstance(field_type("double", version=33800), QMetaType.Type)
    assert isinstance(field_type("string", version=33416), QVariant.Type)
    assert field_type("string", version=33416) == QVariant.String
    assert field_type("longlong", version=34000) == QMetaType.Type.LongLong
    with pytest.raises(ValueError, match="unknown field kind"):
        field_type("decimal")
    # a memory layer keeps each field's type as given
    layer = QgsVectorLayer("None", "types", "memory")
    kinds = ("double", "int", "longlong", "string", "bool")
    assert layer.dataProvider().addAttributes([QgsField(k, field_type(k)) for k in kinds])
    layer.updateFields()
    for kind in kinds:
        assert layer.fields().field(kind).type() == field_type(kind), kind
    assert layer.fields().field("double").isNumeric() and not layer.fields().field("string").isNumeric()
    assert Qgis.QGIS_VERSION_INT >= 33400


def test_enum_int_on_pyqt5_and_on_pyqt6_style_enums(qgis_app):
    import enum

    from qgis.core import Qgis
    from qgis.PyQt.QtCore import Qt

    from landcoord.qgis_compat import enum_int

    assert enum_int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter) == 0x0002 | 0x0080
    assert enum_int(Qt.ItemDataRole.UserRole) == 256
    assert enum_int(Qgis.GeometryType.Polygon) == 2

    class Alignment(enum.Flag):  # how PyQt6 models Qt's flags
        AlignRight = 0x0002
        AlignVCenter = 0x0080

    flags = Alignment.AlignRight | Alignment.AlignVCenter
    with pytest.raises(TypeError):
        int(flags)
    assert enum_int(flags) == 0x0082


def test_qaction_from_qtwidgets_is_the_qtgui_one(qgis_app):
    """The portable import: QtWidgets' QAction is the class qgis.PyQt.QtGui also offers (Qt6's home)."""
    from qgis.PyQt import QtGui, QtWidgets

    assert QtWidgets.QAction is QtGui.QAction


if __name__ == "__main__":  # python tests/test_qt6_ready.py: list the findings
    print("\n".join(scan_tree()))
