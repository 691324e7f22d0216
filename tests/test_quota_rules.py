"""Rule set files: the shipped ones carry provenance; bad files are reported by file, line and key."""

from __future__ import annotations

import textwrap

import pytest

from landcoord.allocation.errors import RuleError
from landcoord.allocation.rules import UNITS, load_rules, shipped_rule_sets

PROV = 'document = "Doc"\narticle = "Art. 1"\nversion = "2020"\nsource = "https://example.org/doc"\n'

GOOD = f"""\
[ruleset]
id = "t"
title = "test rules"
results = ["quota"]

[values.ratio]
label = "a ratio"
value = 0.2
unit = "ratio"
{PROV}verified = true

[steps.quota]
label = "quota"
formula = "legal_area + uncompensated_area * ratio"
unit = "m2"
{PROV}verified = true
"""


def _write(tmp_path, text, name="rules.toml"):
    p = tmp_path / name
    p.write_text(textwrap.dedent(text), encoding="utf-8")
    return p


def _line(text, marker, nth=0):
    lines = [i + 1 for i, ln in enumerate(textwrap.dedent(text).splitlines()) if marker in ln]
    return lines[nth]


def _error(path) -> str:
    with pytest.raises(RuleError) as e:
        load_rules(path)
    return str(e.value)


def test_good_file_loads(tmp_path):
    rs = load_rules(_write(tmp_path, GOOD))
    assert rs.id == "t" and rs.results == ["quota"]
    assert rs.values["ratio"].verified and rs.steps["quota"].prov.verified
    assert rs.values["ratio"].origin == "rules.toml line 6"


@pytest.mark.parametrize("name", sorted(shipped_rule_sets()))
def test_shipped_rule_sets_carry_provenance(name):
    rs = load_rules(name)
    assert rs.results, name
    for key, v in rs.values.items():
        for field in ("document", "article", "version", "source"):
            assert isinstance(getattr(v.prov, field), str), (name, key, field)
        assert v.unit in UNITS
        if v.prov.verified:
            assert not v.empty and v.prov.document and v.prov.source, (name, key)
    for key, s in rs.steps.items():
        if s.prov.verified:
            assert s.prov.document and s.prov.source, (name, key)


def test_verified_numbers_are_the_ones_domain_md_lists():
    gd = load_rules("guangdong_2016")
    assert (gd.values["retained_ratio_min"].value, gd.values["retained_ratio_min"].verified) == (0.10, True)
    assert (gd.values["retained_ratio_max"].value, gd.values["retained_ratio_max"].verified) == (0.15, True)
    assert (gd.values["cash_in_lieu_min_share"].value, gd.values["cash_in_lieu_min_share"].verified) == (
        0.7,
        True,
    )
    assert "粤府办〔2016〕30号" in gd.values["retained_ratio_min"].prov.document
    for officer_input in ("resettlement_area", "retained_ratio", "industrial_land_min_price", "plot_far"):
        v = gd.values[officer_input]
        assert v.empty and not v.verified, officer_input
    sz = load_rules("shenzhen_benefit_coordination")
    assert (sz.values["entry_min_block_area"].value, sz.values["entry_min_block_area"].verified) == (
        3000,
        True,
    )
    assert sz.values["entry_min_block_area"].prov.grade == "secondary"
    assert (sz.values["shared_cap_ratio"].value, sz.values["shared_cap_ratio"].verified) == (0.3, True)
    assert (sz.values["buyback_ratio"].value, sz.values["buyback_ratio"].verified) == (0.6, True)
    assert (
        sz.steps["planned_floor_area"].expr.formula
        == "base_floor_area + facilities_floor_area + shared_floor_area"
    )
    assert sz.steps["base_floor_area"].expr.formula == "retained_area * plot_far"
    assert sz.conditions == ["entry_condition"]


def test_shenzhen_area_formula_ships_empty_and_unverified():
    sz = load_rules("shenzhen_benefit_coordination")
    ratio = sz.values["uncompensated_ratio"]
    assert ratio.tiers is not None and ratio.empty and not ratio.verified
    assert [e.formula for e in ratio.tiers.by] == ["legal_area", "existing_far"]  # tiers in two dimensions
    assert sz.values["cap_ratio"].empty and not sz.values["cap_ratio"].verified
    assert not sz.steps["retained_area"].prov.verified
    for key in ("plot_far", "facilities_floor_area", "shared_floor_area_requested"):
        assert sz.values[key].empty, key


def test_example_rule_set_is_marked_and_cannot_be_verified():
    ex = load_rules("shenzhen_example")
    assert ex.example
    assert ex.values["plot_far"].example and not ex.values["plot_far"].verified
    # what the example does not override still comes from the real rule set, unchanged
    assert ex.values["shared_cap_ratio"].verified and ex.values["shared_cap_ratio"].origin.startswith(
        "shenzhen_benefit_coordination.toml"
    )


def test_extends_overrides_one_value(tmp_path):
    base = _write(tmp_path, GOOD, "base.toml")
    child = _write(
        tmp_path,
        f"""\
        [ruleset]
        id = "child"
        title = "child"
        extends = "{base.name}"

        [values.ratio]
        label = "project ratio"
        value = 0.25
        unit = "ratio"
        {PROV.replace(chr(10), chr(10) + "        ")}verified = true
        """,
        "child.toml",
    )
    rs = load_rules(child)
    assert rs.values["ratio"].value == 0.25 and rs.values["ratio"].origin == "child.toml line 6"
    assert rs.results == ["quota"] and rs.steps["quota"].origin == "base.toml line 16"
    assert [p.name for p in rs.files] == ["base.toml", "child.toml"]


BAD_CASES = {
    "missing verified": (
        GOOD.replace(
            'value = 0.2\nunit = "ratio"\n' + PROV + "verified = true\n",
            'value = 0.2\nunit = "ratio"\n' + PROV,
        ),
        "[values.ratio]",
        "values.ratio",
        "'verified' is missing",
    ),
    "verified not a bool": (
        GOOD.replace("verified = true", 'verified = "yes"  # MARK', 1),
        "MARK",
        "values.ratio.verified",
        "must be true or false",
    ),
    "typo in a key": (
        GOOD.replace('unit = "ratio"', 'unit = "ratio"\nverifed = true  # MARK', 1),
        "MARK",
        "values.ratio.verifed",
        "unknown key",
    ),
    "value not a number": (
        GOOD.replace("value = 0.2", 'value = "0.2x"  # MARK'),
        "MARK",
        "values.ratio.value",
        "finite number",
    ),
    "bad unit": (
        GOOD.replace('unit = "ratio"', 'unit = "hectare"  # MARK'),
        "MARK",
        "values.ratio.unit",
        "unit must be one of",
    ),
    "verified without source": (
        GOOD.replace('source = "https://example.org/doc"', 'source = ""  # MARK', 1),
        "MARK",
        "values.ratio.source",
        "verified = true needs the 'source'",
    ),
    "empty yet verified": (
        GOOD.replace("value = 0.2", 'value = ""'),
        "verified = true",
        "values.ratio.verified",
        "empty value cannot be verified",
    ),
    "unknown name in a formula": (
        GOOD.replace(
            'formula = "legal_area + uncompensated_area * ratio"',
            'formula = "legal_area + uncompensated_aera * ratio"  # MARK',
        ),
        "MARK",
        "steps.quota.formula",
        "unknown name 'uncompensated_aera'",
    ),
    "attribute access in a formula": (
        GOOD.replace(
            'formula = "legal_area + uncompensated_area * ratio"', 'formula = "legal_area.__class__"  # MARK'
        ),
        "MARK",
        "steps.quota.formula",
        "attribute access",
    ),
    "results name no step": (
        GOOD.replace('results = ["quota"]', 'results = ["quota", "nope"]  # MARK'),
        "MARK",
        "ruleset.results.1",
        "'nope' is not a step",
    ),
    "unknown section": (GOOD + '\n[stesp.x]  # MARK\nformula = "1"\n', "MARK", "stesp", "unknown section"),
    "reserved name": (
        GOOD.replace("[values.ratio]", "[values.legal_area]  # MARK").replace("* ratio", "* 1"),
        "MARK",
        "values.legal_area",
        "reserved name",
    ),
    "same key in two sections": (
        GOOD
        + '\n[steps.ratio]  # MARK\nlabel = "x"\nformula = "1"\nunit = "m2"\n'
        + PROV
        + "verified = false\n",
        "MARK",
        "steps.ratio",
        "already defined in [values]",
    ),
    "extends a missing file": (
        GOOD.replace('results = ["quota"]', 'results = ["quota"]\nextends = "nowhere.toml"  # MARK'),
        "MARK",
        "ruleset.extends",
        "not found",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_CASES))
def test_bad_file_error_names_file_key_and_line(tmp_path, case):
    text, marker, key, fragment = BAD_CASES[case]
    msg = _error(_write(tmp_path, text))
    want = f"rules.toml line {_line(text, marker)}: {key}:"
    assert want in msg, msg
    assert fragment in msg, msg


def test_forward_reference_names_both_lines(tmp_path):
    text = GOOD.replace(
        'formula = "legal_area + uncompensated_area * ratio"', 'formula = "later * 2"  # MARK'
    )
    text += (
        '\n[steps.later]  # LATER\nlabel = "x"\nformula = "legal_area"\nunit = "m2"\n'
        + PROV
        + "verified = true\n"
    )
    msg = _error(_write(tmp_path, text))
    assert f"rules.toml line {_line(text, 'MARK')}: steps.quota.formula:" in msg
    assert f"defined later (rules.toml line {_line(text, 'LATER')})" in msg


def test_tier_table_shape_is_checked(tmp_path):
    text = GOOD.replace(
        'value = 0.2\nunit = "ratio"',
        'by = ["legal_area", "existing_far"]\nbreakpoints = [[1000], [1.0, 2.0]]\n'
        'values = [[0.3, 0.2], [0.2, 0.1, 0.05]]  # MARK\nunit = "ratio"',
    ).replace("verified = true", "verified = false", 1)
    msg = _error(_write(tmp_path, text))
    assert f"rules.toml line {_line(text, 'MARK')}: values.ratio.values:" in msg
    assert "2 x 3 tiers" in msg


def test_tier_breakpoints_must_ascend(tmp_path):
    text = GOOD.replace(
        'value = 0.2\nunit = "ratio"',
        'by = "existing_far"\nbreakpoints = [2.0, 1.0]  # MARK\nvalues = [0.3, 0.2, 0.1]\nunit = "ratio"',
    )
    msg = _error(_write(tmp_path, text))
    assert f"rules.toml line {_line(text, 'MARK')}: values.ratio.breakpoints:" in msg
    assert "ascending" in msg


def test_two_dimensional_tiers_load(tmp_path):
    text = GOOD.replace(
        'value = 0.2\nunit = "ratio"',
        'by = ["legal_area", "existing_far"]\nbreakpoints = [[1000], [1.0, 2.0]]\n'
        'values = [[0.3, 0.2, 0.1], [0.2, 0.1, 0.05]]\nunit = "ratio"',
    )
    rs = load_rules(_write(tmp_path, text))
    t = rs.values["ratio"].tiers
    assert t.lookup([500, 1.5]) == (0.2, (0, 1))
    assert t.lookup([1000, 2.0]) == (0.05, (1, 2))


def test_toml_syntax_error_gives_the_line(tmp_path):
    text = GOOD.replace('unit = "ratio"', 'unit = "ratio"\nbroken = = 1')
    msg = _error(_write(tmp_path, text))
    assert "not valid TOML" in msg and f"line {_line(text, 'broken')}" in msg


def test_example_file_cannot_hold_verified_values(tmp_path):
    text = GOOD.replace('results = ["quota"]', 'results = ["quota"]\nexample = true')
    msg = _error(_write(tmp_path, text))
    assert f"rules.toml line {_line(text, 'verified = true')}: values.ratio.verified:" in msg
    assert "example" in msg


def test_all_problems_are_reported_at_once(tmp_path):
    text = GOOD.replace('unit = "ratio"', 'unit = "hectare"').replace('unit = "m2"', 'unit = "mu"')
    msg = _error(_write(tmp_path, text))
    assert "2 problems" in msg
    assert "values.ratio.unit" in msg and "steps.quota.unit" in msg


def test_unknown_rule_set_name_lists_the_shipped_ones():
    with pytest.raises(RuleError) as e:
        load_rules("shenzen")
    assert "shenzhen_benefit_coordination" in str(e.value) and "guangdong_2016" in str(e.value)
