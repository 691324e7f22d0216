"""The core's messages in Chinese: every template translated, fields intact, none left in English.

The catalogs are gettext ``.po`` files, one domain per area (``allocation/locale/<language>/
LC_MESSAGES/landcoord.po``, ``cli/locale/...``, ``report/locale/...``), compiled to the ``.mo`` files
the plugin reads; :mod:`landcoord.allocation.i18n` explains the scheme. These tests read the source
with :mod:`ast`, so a message added without a translation, a translation that drops or renames a
field, a user-facing message written as a plain f-string, or a ``.po`` edited without recompiling
its ``.mo`` fails here.
"""

from __future__ import annotations

import ast
import gettext
import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from landcoord.allocation import errors, i18n
from landcoord.allocation.errors import FieldError

ROOT = Path(i18n.__file__).resolve().parent.parent
SOURCES = sorted(
    [
        *(ROOT / "allocation").rglob("*.py"),  # subpackages (io/, rules/ ...) too
        *(ROOT / "cli").glob("*.py"),
        *(ROOT / "report").glob("*.py"),
        ROOT / "deps.py",  # the dependency check's install advice, shown by the plugin
    ]
)
# ideographs, or CJK/full-width punctuation (a template that is only "{a}: {b}" is translated as "{a}：{b}")
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
# the classes raised on purpose with a message (FieldError is given a layer name and words its own)
ERRORS = {*errors.__all__, "Canceled"} - {"FieldError"}
#: calls whose first argument is a message for a person
MESSAGE_CALLS = {"warn", "note", "_warn", "_note", "warning", "info", "append_warning"}
#: the translators' files and the pure-Python msgfmt that compiles them (``make catalogs``)
_spec = importlib.util.spec_from_file_location("compile_catalogs", ROOT / "scripts" / "compile_catalogs.py")
compile_catalogs = sys.modules[_spec.name] = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(compile_catalogs)
PO_FILES = compile_catalogs.catalogs(ROOT)


def _tr_templates(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "tr":
            yield node


def _templates():
    found = {}
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for call in _tr_templates(tree):
            arg = call.args[0] if call.args else None
            where = f"{path.relative_to(ROOT)}:{call.lineno}"
            if not (isinstance(arg, ast.Constant) and isinstance(arg.value, str)):
                found.setdefault(None, []).append(where)
                continue
            found.setdefault(arg.value, []).append(where)
    return found


def _is_text(node) -> bool:
    """A literal message: an f-string, a string, or strings joined with +."""
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return True
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _is_text(node.left) or _is_text(node.right)
    return False


def test_every_tr_call_has_a_literal_template():
    bad = _templates().get(None, [])
    assert not bad, f"tr() needs a literal template (fields as keywords), not an f-string: {bad}"


@pytest.mark.parametrize("lang", ["zh_CN"])
def test_every_template_is_translated_with_the_same_fields(lang):
    assert lang in i18n.languages(), f"no catalog in {i18n.LOCALE_DIR / lang}"
    cat = i18n.catalog(lang)
    templates = {t: w for t, w in _templates().items() if t is not None}
    missing = {t: w for t, w in templates.items() if t not in cat}
    assert not missing, f"{len(missing)} template(s) lack a {lang} translation: " + "; ".join(
        f"{w[0]}: {t!r}" for t, w in list(missing.items())[:20]
    )
    unused = sorted(set(cat) - set(templates))
    assert not unused, f"{len(unused)} {lang} catalog entries match no template in the code: {unused[:20]}"
    for template, text in cat.items():
        assert sorted(i18n.fields(text)) == sorted(
            i18n.fields(template)
        ), f"{lang}: fields differ between {template!r} and {text!r}"
        if lang.startswith("zh"):
            assert CJK.search(text), f"{lang}: {template!r} is not translated ({text!r})"


def test_no_user_message_bypasses_tr():
    """Errors raised on purpose and warnings/notes are built with tr(), not as plain strings."""
    bad = []
    for path in SOURCES:
        if path.name == "i18n.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            f = node.func
            name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else None
            is_error = name in ERRORS
            is_message = name in MESSAGE_CALLS or (
                name == "append"
                and isinstance(f, ast.Attribute)
                and isinstance(f.value, ast.Name)
                and f.value.id in ("warnings", "notes")
            )
            if (is_error or is_message) and _is_text(node.args[0]):
                bad.append(f"{path.relative_to(ROOT)}:{node.lineno} {name}(...)")
    assert not bad, f"{len(bad)} message(s) not passed through tr(): " + ", ".join(bad)


@pytest.fixture
def chinese():
    i18n.set_language("zh_CN")
    yield
    i18n.set_language("en")


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("zh_CN", "zh_CN"),
        ("zh_CN.UTF-8", "zh_CN"),
        ("zh-Hans", "zh_CN"),
        ("zh", "zh_CN"),
        ("en_US", "en"),
        ("C", "en"),
        ("C.UTF-8", "en"),
        ("", "en"),
        (None, "en"),
        ("fr_FR", "en"),
    ],
)
def test_language_names(code, expected):
    try:
        assert i18n.set_language(code) == expected
        assert i18n.language() == expected
    finally:
        i18n.set_language("en")


def test_environment_order():
    env = {"LANG": "en_US.UTF-8", "LC_ALL": "zh_CN.UTF-8"}
    assert i18n.language_from_environment(env) == "zh_CN.UTF-8"
    assert i18n.language_from_environment({**env, "LANDCOORD_LANG": "en"}) == "en"
    assert i18n.language_from_environment({}) is None


def test_errors_in_chinese(chinese):
    err = FieldError("宗地", "权利人", ["宗地号", "面积"])
    assert "宗地" in str(err) and "权利人" in str(err) and "宗地号" in str(err)
    assert CJK.search(str(err).replace("宗地", "").replace("权利人", "").replace("宗地号", ""))


def test_english_stays_english():
    i18n.set_language("en")
    err = FieldError("parcels", "owner", ["pid"])
    assert str(err).startswith("Layer 'parcels': field 'owner' does not exist.")
    assert not CJK.search(str(err))


def test_catalog_files_are_valid_po_files():
    """Each area's .po has a UTF-8 header with its language's plural rule, next to its code."""
    assert {p.relative_to(ROOT).parts[0] for p in PO_FILES} == {"allocation", "cli", "report"}, PO_FILES
    for po in PO_FILES:
        entries = compile_catalogs.parse_po(po.read_text(encoding="utf-8"), str(po))
        head = compile_catalogs.header(entries)
        lang = po.parent.parent.name
        assert head.get("Content-Type") == "text/plain; charset=UTF-8", po
        assert head.get("Language") == lang, po
        assert head.get("Plural-Forms", "").startswith("nplurals="), po
        if lang.startswith("zh"):
            assert head["Plural-Forms"] == "nplurals=1; plural=0;", po
        msgids = [(e.msgctxt, e.msgid) for e in entries]
        assert len(msgids) == len(set(msgids)), f"{po}: a msgid is given twice"
        assert all(e.translated and not e.fuzzy for e in entries if e.msgid), f"{po}: untranslated or fuzzy"


def test_compiled_catalogs_are_up_to_date():
    """Every committed .mo is what scripts/compile_catalogs.py makes of its .po (the plugin reads the .mo)."""
    assert PO_FILES
    stale = []
    for po in PO_FILES:
        mo = po.with_suffix(".mo")
        if not mo.is_file() or mo.read_bytes() != compile_catalogs.compile_po(po):
            stale.append(str(po.relative_to(ROOT)))
    assert (
        not stale
    ), f"{stale}: its .mo is missing or older than the .po; run `make catalogs`, commit the .mo"


def test_msgfmt_reads_the_catalogs_as_the_plugin_does(tmp_path):
    """GNU gettext's msgfmt accepts every .po (formats checked) and compiles it to the same messages."""
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("GNU gettext's msgfmt is not installed (optional cross-check; apt-get install gettext)")
    for po in PO_FILES:
        out = tmp_path / po.with_suffix(".mo").name
        proc = subprocess.run([msgfmt, "--check", "-o", str(out), str(po)], capture_output=True, text=True)
        assert proc.returncode == 0, f"msgfmt --check {po}: {proc.stderr}"
        with out.open("rb") as theirs, po.with_suffix(".mo").open("rb") as ours:
            assert gettext.GNUTranslations(theirs)._catalog == gettext.GNUTranslations(ours)._catalog, po


def _trn_calls():
    """(singular, plural, where) of every trn() call of the sources; a form is None when not literal."""
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "trn":
                forms = [
                    a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None
                    for a in node.args[:2]
                ]
                forms += [None] * (2 - len(forms))
                yield forms[0], forms[1], f"{path.relative_to(ROOT)}:{node.lineno}"


def test_every_trn_call_has_literal_forms():
    bad = [where for singular, plural, where in _trn_calls() if singular is None or plural is None]
    assert not bad, f"trn() needs literal singular and plural templates (fields as keywords): {bad}"


@pytest.mark.parametrize("lang", ["zh_CN"])
def test_every_plural_message_is_translated_in_every_form(lang):
    """Each trn() call has a plural entry (msgid, msgid_plural) with every form of the language."""
    calls = {(s, p): w for s, p, w in _trn_calls() if s is not None and p is not None}
    assert calls, "no trn() call in the code"
    entries = {}
    nplurals = {}
    for po in PO_FILES:
        if po.parent.parent.name != lang:
            continue
        parsed = compile_catalogs.parse_po(po.read_text(encoding="utf-8"), str(po))
        rule = compile_catalogs.header(parsed)["Plural-Forms"]
        for e in parsed:
            if e.msgid_plural is not None:
                entries[(e.msgid, e.msgid_plural)] = e.msgstr
                nplurals[(e.msgid, e.msgid_plural)] = int(rule.split("nplurals=")[1].split(";")[0])
    missing = {k: w for k, w in calls.items() if k not in entries}
    assert not missing, f"{len(missing)} plural message(s) lack a {lang} entry: " + "; ".join(
        f"{w}: {k!r}" for k, w in list(missing.items())[:20]
    )
    unused = sorted(set(entries) - set(calls))
    assert not unused, f"{len(unused)} {lang} plural entries match no trn() call in the code: {unused[:20]}"
    for (singular, plural), forms in entries.items():
        assert (
            len(forms) == nplurals[(singular, plural)]
        ), f"{lang}: {singular!r} needs a msgstr per plural form"
        assert {n for n, _ in i18n.fields(singular)} <= {n for n, _ in i18n.fields(plural)} | {"n"}, singular
        for text in forms:
            assert sorted(i18n.fields(text)) == sorted(
                i18n.fields(plural)
            ), f"{lang}: fields differ between {plural!r} and {text!r}"
            if lang.startswith("zh"):
                assert CJK.search(text), f"{lang}: {plural!r} is not translated ({text!r})"


def test_plural_forms_follow_the_count(chinese):
    """trn(): English says 1 row / 2 rows; Chinese has one form for every count, from the catalog."""
    translated = {
        (e.msgid, e.msgid_plural)
        for po in PO_FILES
        if po.parent.parent.name == "zh_CN"
        for e in compile_catalogs.parse_po(po.read_text(encoding="utf-8"))
        if e.msgid_plural is not None
    }
    checked = 0
    for singular, plural, where in _trn_calls():
        if (singular, plural) not in translated:  # reported by the test above
            continue
        # text for plain fields, a number for formatted ones ({area:.2f})
        fills = {name: 2.5 if spec else "X" for name, spec in i18n.fields(plural) if name != "n"}
        i18n.set_language("zh_CN")
        zh_one, zh_many = i18n.trn(singular, plural, 1, **fills), i18n.trn(singular, plural, 7, **fills)
        assert CJK.search(zh_one) and CJK.search(zh_many), (where, zh_one, zh_many)
        assert "1" in zh_one and "7" in zh_many, where
        i18n.set_language("en")
        assert i18n.trn(singular, plural, 1, **fills) == singular.format(n=1, **fills), where
        assert i18n.trn(singular, plural, 7, **fills) == plural.format(n=7, **fills), where
        checked += 1
    assert checked
    assert i18n.trn("{n} row", "{n} rows", 1) == "1 row" and i18n.trn("{n} row", "{n} rows", 0) == "0 rows"


def test_a_core_warning_counts_in_good_english_and_in_chinese(chinese):
    """clean_polygons() names 1 feature / 2 features with no geometry; in Chinese, from the catalog."""
    import numpy as np
    import shapely

    from landcoord.allocation.geometry import clean_polygons

    def empty_warning(n_empty):
        geoms = np.array([shapely.box(0, 0, 1, 1), *[None] * n_empty], dtype=object)
        _, report = clean_polygons(geoms, ["A", *[f"E{i}" for i in range(n_empty)]], "宗地")
        (msg,) = [m for m in report.messages() if "E0" in m]
        return msg

    zh = empty_warning(1)
    assert CJK.search(zh.replace("宗地", "")) and "1" in zh, zh
    i18n.set_language("en")
    assert "1 feature with no or empty geometry" in empty_warning(1)
    assert "2 features with no or empty geometry" in empty_warning(2)


def test_untranslated_plural_falls_back_to_english(chinese):
    assert i18n.trn("{n} unknown thing", "{n} unknown things", 1) == "1 unknown thing"
    assert i18n.trn("{n} unknown thing", "{n} unknown things", 2) == "2 unknown things"
    assert i18n.tr("An unknown message about '{x}'.", x="y") == "An unknown message about 'y'."


def test_gettext_reads_the_compiled_catalogs(chinese):
    """The runtime is stdlib gettext: the chain of domains answers what the .po files say."""
    t = i18n.translations("zh_CN")
    assert isinstance(t, gettext.GNUTranslations)
    assert t.info()["plural-forms"] == "nplurals=1; plural=0;"
    for po in PO_FILES:
        entry = next(e for e in compile_catalogs.parse_po(po.read_text(encoding="utf-8")) if e.msgid)
        if entry.msgid_plural is None:
            assert t.gettext(entry.msgid) == entry.msgstr[0], po
        else:
            assert t.ngettext(entry.msgid, entry.msgid_plural, 3) == entry.msgstr[0], po


def test_a_broken_translation_falls_back_to_english(monkeypatch, chinese):
    template = (
        "Layer '{layer}': field '{field}' does not exist. Available fields: {available}. Choose one of them."
    )
    broken = dict(i18n.catalog("zh_CN"), **{template: "图层“{name}”"})  # a field the template lacks
    monkeypatch.setattr(i18n, "_lenient", lambda lang: broken)
    assert i18n.tr(template, layer="宗地", field="x", available="a") == (
        "Layer '宗地': field 'x' does not exist. Available fields: a. Choose one of them."
    )


def test_windows_display_language_when_no_posix_variable(monkeypatch):
    import locale

    # Windows sets no LANG: a Chinese Windows (LCID 0x0804) gives Chinese messages
    assert locale.windows_locale[0x0804] == "zh_CN"
    assert i18n.language_from_environment({}, windows_locale=lambda: "zh_CN") == "zh_CN"
    assert i18n.language_from_environment({"LANG": "en_US"}, windows_locale=lambda: "zh_CN") == "en_US"
    assert i18n.language_from_environment({}, windows_locale=lambda: None) is None
    # os.name 'nt' on a machine without the Windows API: no language, no error
    monkeypatch.setattr(i18n.os, "name", "nt")
    assert i18n.language_from_environment({}) is None
