"""The finance step's rule sets and prices: a premium rule set extending a shipped one by its bare
name (``extends = "land_premium"``), one resolution of rule-set names for ``extends`` and
``premium_rules``; and per-scenario prices (sale price, benchmark land price by use) with the
project-level benchmark price table as the default."""

from __future__ import annotations

import pytest
from test_finance_core import PREMIUM, QROWS, prices, quota, run, scenario, small, write  # noqa: F401

from landcoord.allocation.errors import RuleError
from landcoord.allocation.finance import load_premium_rules, premium_factors
from landcoord.allocation.rules import RULES_DIR, load_rules, resolve_rules_path, shipped_rule_sets

FIN = RULES_DIR / "finance"


def rule_set(tmp_path, extends, values=PREMIUM, name="mine.toml"):
    lines = ["[ruleset]", 'id = "mine"', 'title = "my premium"', f'extends = "{extends}"']
    for k, v in values.items():
        lines += [
            f"[values.{k}]",
            f"value = {v}",
            'unit = "ratio"',
            'document = "test land-price rules"',
            'article = "art. 1"',
            'version = "2024"',
            'source = "https://example.org/rules"',
            "verified = false",
        ]
    p = tmp_path / name
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


@pytest.mark.parametrize(
    "extends", ["land_premium", "land_premium.toml", (FIN / "land_premium.toml").as_posix()]
)
def test_extends_a_shipped_premium_rule_set_by_name_or_path(tmp_path, extends):
    path = rule_set(tmp_path, extends)
    rs = load_premium_rules(path)
    assert rs.files == [FIN / "land_premium.toml", path.resolve()]
    factors, _ = premium_factors(rs)
    assert factors == {"base": pytest.approx(0.4), "shared": 1.0, "buyback": 0.0, "facilities": 0.0}


def test_extends_the_shipped_example_by_name(tmp_path):
    rs = load_premium_rules(rule_set(tmp_path, "land_premium_example", values={"premium_rate_base": 0.25}))
    factors, _ = premium_factors(rs)
    assert factors["base"] == pytest.approx(0.25) and factors["shared"] == pytest.approx(1.0)  # the example's
    assert rs.example  # inherited: an example stays an example


def test_a_file_name_is_read_beside_first_a_bare_name_is_the_shipped_one(tmp_path):
    """``extends = "land_premium.toml"`` is the project's own file beside (when there is one);
    ``extends = "land_premium"`` is always the shipped rule set."""
    own = rule_set(
        tmp_path, (FIN / "land_premium.toml").as_posix(), {"premium_rate_base": 0.9}, "land_premium.toml"
    )
    rs = load_premium_rules(rule_set(tmp_path, "land_premium.toml", {"premium_discount_base": 0.5}))
    assert own.resolve() in rs.files
    assert premium_factors(rs)[0]["base"] == pytest.approx(0.45)
    rs = load_premium_rules(rule_set(tmp_path, "land_premium", {"premium_discount_base": 0.5}, "other.toml"))
    assert own.resolve() not in rs.files and rs.files[0] == FIN / "land_premium.toml"


def test_an_unknown_name_names_the_file_the_line_and_the_name(tmp_path):
    path = rule_set(tmp_path, "land_premiun")
    with pytest.raises(RuleError) as e:
        load_premium_rules(path)
    msg = str(e.value)
    assert "mine.toml line 4: ruleset.extends" in msg and "'land_premiun'" in msg
    assert "land_premium," in msg  # the shipped names are listed, the finance ones included


def test_one_resolution_for_every_kind_of_rule_set(tmp_path):
    assert resolve_rules_path("land_premium") == FIN / "land_premium.toml"
    assert resolve_rules_path("shenzhen_example") == RULES_DIR / "examples" / "shenzhen_example.toml"
    assert load_rules("land_premium").id == "land_premium"
    # the quota's list of rule sets is unchanged: no premium rule set offered as a quota rule set
    assert "land_premium" not in shipped_rule_sets()
    assert set(shipped_rule_sets("all")) == set(shipped_rule_sets()) | set(shipped_rule_sets("finance"))


def test_premium_rules_by_name_in_a_scenarios_file(tmp_path, small):  # noqa: F811 - the fixture
    """premium_rules = "land_premium_example" resolves through the same function as extends."""
    text = scenario(tmp_path, rules="land_premium_example", price_table=prices(tmp_path))
    r = run(small, write(tmp_path, text))
    assert (
        "land_premium_example.toml"
        in r.finance.lines[r.finance.lines.item == "land premium: base"].source.iloc[0]
    )
