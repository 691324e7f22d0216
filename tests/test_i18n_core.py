"""The core's messages in Chinese: every template translated, fields intact, none left in English.

The catalogs live in ``allocation/locale/<language>/*.json``; :mod:`landcoord.allocation.i18n`
explains the scheme. These tests read the source with :mod:`ast`, so a message added without a
translation, a translation that drops or renames a field, or a user-facing message written as a
plain f-string fails here.
"""

from __future__ import annotations

import ast
import json
import re
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


def test_catalog_files_are_valid_json_objects():
    for lang in i18n.languages():
        for path in sorted((i18n.LOCALE_DIR / lang).glob("*.json")):
            data = json.loads(path.read_text(encoding="utf-8"))
            assert isinstance(data, dict) and all(isinstance(v, str) for v in data.values()), path


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
