"""The control-line registry: shipped kinds, alias matching, officer files, and errors with file/key/line."""

from __future__ import annotations

import re
import textwrap

import pytest

from landcoord.allocation.controls import (
    DEFAULT_REGISTRY,
    RULE_TYPES,
    SEVERITIES,
    UnknownKindError,
    load_registry,
    normalize_kind,
)
from landcoord.allocation.errors import InputError, RuleError

DOMAIN_KINDS = [
    "生态保护红线",
    "永久基本农田",
    "城镇开发边界",
    "基本生态控制线",
    "道路红线",
    "绿线",
    "蓝线",
    "黄线",
    "紫线",
]


def _write(tmp_path, text, name="mine.toml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_shipped_registry_has_every_domain_kind_with_rule_and_source():
    reg = load_registry()
    assert [k.name for k in reg] == DOMAIN_KINDS
    for k in reg:
        assert k.severity in SEVERITIES and k.rule_type in RULE_TYPES
        assert k.name_en and k.rule and k.rule_en and k.document and k.aliases
        assert not k.verified and k.source.endswith("(unverified)")
    assert reg["urban_development_boundary"].rule_type == "must_lie_inside"
    assert {k.name for k in reg if k.rule_type == "must_lie_inside"} == {"城镇开发边界"}
    assert reg["purple_line"].severity == "review"
    assert {k.name for k in reg if k.severity == "blocking"} == set(DOMAIN_KINDS) - {"紫线"}
    farmland = reg["permanent_farmland"]
    assert "土地管理法" in farmland.document and "35" in farmland.article
    eco = reg["basic_eco_control_line"]
    assert "市政府批准" in eco.adjustment and "equal-area swap" in eco.adjustment_en


def test_no_article_numbers_beyond_the_domain_primer():
    """Only the Land Administration Law art. 35 is cited in docs/domain.md; no other article is given."""
    reg = load_registry()
    cited = {k.key: k.article for k in reg if k.article}
    assert cited == {"permanent_farmland": "第三十五条 (art. 35)"}
    text = DEFAULT_REGISTRY.read_text(encoding="utf-8")
    assert not re.search(r"〔\d{4}〕|令第", text)  # no document numbers were invented


@pytest.mark.parametrize(
    "value, key",
    [
        ("生态红线", "eco_red_line"),
        ("ECO_RED", "eco_red_line"),
        ("eco_red", "eco_red_line"),
        ("ecological protection red line", "eco_red_line"),
        ("  Ecological  Protection Red LINE ", "eco_red_line"),
        ("生态\u3000保护红线", "eco_red_line"),
        ("基本农田", "permanent_farmland"),
        ("Permanent Basic Farmland", "permanent_farmland"),
        ("UDB", "urban_development_boundary"),
        ("城镇开发边界", "urban_development_boundary"),
        ("深圳市基本生态控制线", "basic_eco_control_line"),
        ("road red line", "road_red_line"),
        ("城市绿线", "green_line"),
        ("Blue_Line", "blue_line"),
        ("YELLOW", "yellow_line"),
        ("紫线", "purple_line"),
    ],
)
def test_names_and_aliases_match_ignoring_case_and_whitespace(value, key):
    assert load_registry().lookup(value).key == key


@pytest.mark.parametrize("value", ["红线", "road", "生态", "", None, "ECO RED LINES"])
def test_values_that_mean_no_kind(value):
    assert load_registry().lookup(value) is None


def test_every_name_and_alias_means_exactly_one_kind():
    reg = load_registry()
    seen = {}
    for k in reg:
        for n in k.names:
            norm = normalize_kind(n)
            assert seen.setdefault(norm, k.key) == k.key, n


def test_resolve_lists_every_unknown_value_known_kinds_and_how_to_map():
    reg = load_registry()
    with pytest.raises(UnknownKindError) as exc:
        reg.resolve(
            ["绿线", "规划道路", "规划道路", None, "水源保护区"],
            [1, 2, 3, 4, 5],
            layer="controls",
            field_name="类型",
        )
    err = exc.value
    assert isinstance(err, InputError)
    assert err.unknown == {"规划道路": [2, 3], "(empty)": [4], "水源保护区": [5]}
    msg = str(err)
    for part in (
        "controls",
        "类型",
        "规划道路",
        "水源保护区",
        "feature 2, 3",
        "(empty)",
        "生态保护红线",
        "紫线",
    ):
        assert part in msg
    assert 'aliases = ["规划道路"]' in msg and "--registry" in msg and "REGISTRY" in msg


def test_officer_file_overrides_severity_adds_aliases_and_a_local_kind(tmp_path):
    path = _write(
        tmp_path,
        """
        [kinds.purple_line]
        severity = "blocking"
        aliases = ["历史风貌区"]

        [kinds.flood_zone]
        name = "蓄滞洪区"
        name_en = "flood storage zone"
        aliases = ["FLOOD"]
        severity = "advisory"
        rule_type = "must_not_overlap"
        rule = "蓄滞洪区内建设须经水务部门同意。"
        document = "Local practice note"
        """,
    )
    reg = load_registry(path)
    assert reg.files == [DEFAULT_REGISTRY, path]
    purple = reg.lookup("历史风貌区")
    assert purple.key == "purple_line" and purple.severity == "blocking"
    assert "城市紫线" in purple.aliases  # shipped aliases kept
    flood = reg.lookup("flood")
    assert (
        flood.name == "蓄滞洪区"
        and flood.severity == "advisory"
        and flood.source == "Local practice note (unverified)"
    )
    assert len(reg) == 10
    assert any("purple_line" in n and "severity" in n for n in reg.notes)
    assert any("蓄滞洪区" in n for n in reg.notes)
    # the shipped registry is untouched
    assert load_registry()["purple_line"].severity == "review"


def test_officer_alias_moves_from_a_shipped_kind(tmp_path):
    path = _write(tmp_path, '[kinds.road_red_line]\naliases = ["GREEN"]\n')
    reg = load_registry(path)
    assert reg.lookup("green").key == "road_red_line"
    assert reg.lookup("green line").key == "green_line"
    assert "GREEN" not in reg["green_line"].aliases
    assert any("GREEN" in n and "no longer" in n for n in reg.notes)


def _error(tmp_path, text):
    path = _write(tmp_path, text)
    with pytest.raises(RuleError) as exc:
        load_registry(path)
    return str(exc.value), str(path)


def test_bad_severity_names_file_key_and_line(tmp_path):
    msg, path = _error(
        tmp_path,
        """\
        # my registry
        [kinds.purple_line]
        aliases = ["x1"]
        severity = "blockng"
        """,
    )
    assert path in msg and "kinds.purple_line.severity" in msg and "(line 4)" in msg
    assert "blockng" in msg and "blocking, review, advisory" in msg


def test_bad_rule_type_and_unknown_field(tmp_path):
    msg, _ = _error(tmp_path, '[kinds.green_line]\nrule_type = "inside"\n')
    assert "kinds.green_line.rule_type" in msg and "(line 2)" in msg and "must_lie_inside" in msg
    msg, _ = _error(tmp_path, '\n[kinds.green_line]\nseverty = "review"\n')
    assert "kinds.green_line.severty" in msg and "(line 3)" in msg and "unknown field" in msg


def test_new_kind_missing_fields(tmp_path):
    msg, _ = _error(tmp_path, '[kinds.local]\nname = "本地线"\nseverity = "review"\n')
    assert "kinds.local" in msg and "(line 1)" in msg and "rule_type, rule, document" in msg


def test_toml_syntax_error_names_file_and_line(tmp_path):
    msg, path = _error(tmp_path, '[kinds.green_line]\nseverity = "review\n')
    assert path in msg and "not valid TOML" in msg and "line 2" in msg


def test_wrong_types_and_empty_values(tmp_path):
    msg, _ = _error(tmp_path, '[kinds.green_line]\naliases = "绿地"\n')
    assert "kinds.green_line.aliases" in msg and "list of strings" in msg
    msg, _ = _error(tmp_path, '[kinds.green_line]\nverified = "yes"\n')
    assert "kinds.green_line.verified" in msg and "true or false" in msg
    msg, _ = _error(tmp_path, "[kinds.green_line]\nseverity = 3\n")
    assert "must be a string" in msg
    msg, _ = _error(tmp_path, '[kinds.green_line]\nname = " "\n')
    assert "kinds.green_line.name" in msg and "must not be empty" in msg
    msg, _ = _error(tmp_path, "kinds = 3\n")
    assert "'kinds'" in msg
    msg, _ = _error(tmp_path, "format = 2\n")
    assert "format 2" in msg and "(line 1)" in msg
    msg, _ = _error(tmp_path, '[kind.green_line]\nseverity = "review"\n')
    assert "key 'kind'" in msg and "unknown top-level key" in msg


def test_alias_conflicts_inside_one_file(tmp_path):
    msg, _ = _error(
        tmp_path,
        '[kinds.green_line]\naliases = ["绿地"]\n\n[kinds.blue_line]\naliases = ["绿地"]\n',
    )
    assert "绿地" in msg and "green_line" in msg and "blue_line" in msg and "(line 5)" in msg
    msg, _ = _error(tmp_path, '[kinds.green_line]\naliases = ["蓝线"]\n')
    assert "name of kind [blue_line]" in msg
    msg, _ = _error(
        tmp_path,
        '[kinds.x]\nname = "绿线"\nseverity = "review"\nrule_type = "must_not_overlap"\n'
        'rule = "r"\ndocument = "d"\n',
    )
    assert "'绿线' is the name of kind [green_line] and of kind [x]" in msg and "kinds.x.name" in msg


def test_missing_file_and_not_utf8(tmp_path):
    with pytest.raises(RuleError, match="does not exist"):
        load_registry(tmp_path / "nope.toml")
    bad = tmp_path / "gbk.toml"
    bad.write_bytes('[kinds.green_line]\naliases = ["绿地"]\n'.encode("gbk"))
    with pytest.raises(RuleError, match="not UTF-8"):
        load_registry(bad)
