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


# ---------------------------------------------------------------------------------------------
# per-scenario prices
# ---------------------------------------------------------------------------------------------


def _two(tmp_path, own: str, sale=None, verified=False, table=True):
    """Scenario S1 priced by the project's table (R 一级 2,000), S2 with ``own`` finance keys."""
    rules = premium_rules_file(tmp_path, verified)
    t = prices(tmp_path, verified=verified) if table else None
    s1 = scenario(tmp_path, sid="S1", rules=rules, price_table=t, verified=verified)
    s2 = scenario(tmp_path, sid="S2", rules=rules, price_table=t, verified=verified, extra_fin=own)
    if sale is not None:
        s2 = s2.replace("sale_price = {value = 10000,", f"sale_price = {{value = {sale},")
    if not table:
        s1 = s2 = s2.replace(f'benchmark_prices = "{t}"\n', "")
    return write(tmp_path, s1 if table else "", s2)


def premium_rules_file(tmp_path, verified):
    from test_finance_core import premium_rules

    return premium_rules(tmp_path, PREMIUM, verified=verified)


def _fe(r, sid):
    return r.finance.feasibility.set_index("scenario").loc[sid]


def _premium(r, sid, cat):
    lines = r.finance.lines
    return lines[(lines.scenario == sid) & (lines.item == f"land premium: {cat}")].iloc[0]


def test_a_scenario_prices_its_own_land_and_sale(tmp_path, small):  # noqa: F811 - the fixture
    own = 'land_prices = {R = {value = 3000, source = "scenario S2 valuation 2024", verified = false}}'
    r = run(small, _two(tmp_path, own, sale=12000))
    # S1 at the table's 2,000, S2 at its own 3,000: base 7,500 m² x 0.4, shared kept 1,000 m² x 1.0
    assert _premium(r, "S1", "base").amount == pytest.approx(7500 * 2000 * 0.4)
    assert _premium(r, "S2", "base").amount == pytest.approx(7500 * 3000 * 0.4)
    assert _premium(r, "S2", "shared").amount == pytest.approx(1000 * 3000 * 1.0)
    assert "scenario S2 valuation 2024" in _premium(r, "S2", "base").source
    assert "prices.csv: R/一级" in _premium(r, "S1", "base").source
    s1, s2 = _fe(r, "S1"), _fe(r, "S2")
    assert s2.cost - s1.cost == pytest.approx((7500 * 0.4 + 1000) * 1000)  # the premium's difference
    assert s2.sale_price == 12000 and s1.sale_price == 10000
    assert s2.revenue == pytest.approx(s1.revenue * 1.2)
    assert s2.break_even_price == pytest.approx(s2.cost / s2.floor_sold)
    # the rest of each scenario is the same model: floor area and compensation unchanged
    fl = r.finance.floors.groupby(["scenario", "use"]).floor_area.sum().unstack(0)
    assert (fl["S1"] == fl["S2"]).all()


def test_a_floor_category_of_another_use(tmp_path, small):  # noqa: F811
    """category_uses: the shared floor area at the table's M 一级 price (500), the rest at R (2,000)."""
    r = run(small, _two(tmp_path, 'category_uses = {shared = "M"}'))
    assert _premium(r, "S2", "shared").amount == pytest.approx(1000 * 500 * 1.0)
    assert "prices.csv: M/一级" in _premium(r, "S2", "shared").source
    assert _premium(r, "S2", "base").amount == _premium(r, "S1", "base").amount
    assert _fe(r, "S1").cost - _fe(r, "S2").cost == pytest.approx(1000 * (2000 - 500))


def test_without_a_table_every_use_needs_its_price(tmp_path, small):  # noqa: F811
    own = (
        'land_prices = {R = {value = 2000, source = "valuation", verified = false}, '
        'M = {value = 500, source = "valuation", verified = false}}\ncategory_uses = {shared = "M"}'
    )
    r = run(small, _two(tmp_path, own, table=False))
    assert _premium(r, "S2", "shared").amount == pytest.approx(500_000)
    with pytest.raises(
        RuleError, match=r"'benchmark_prices' is missing: .* of use M in \[scenario.finance.land_prices\]"
    ):
        run(small, _two(tmp_path, 'land_prices = {R = {value = 2000, source = "v", verified = false}}\n'
                                   'category_uses = {shared = "M"}', table=False))  # fmt: skip


def test_the_scenarios_own_price_counts_in_what_is_verified(tmp_path, small):  # noqa: F811
    verified = 'land_prices = {R = {value = 3000, source = "valuation report 2024-07", verified = true}}'
    r = run(small, _two(tmp_path, verified, verified=True))
    assert _fe(r, "S2").verified and _fe(r, "S1").verified
    unverified = verified.replace("verified = true", "verified = false")
    r = run(small, _two(tmp_path, unverified, verified=True))
    assert not _fe(r, "S2").verified and _fe(r, "S1").verified


def test_bad_price_tables_are_reported_with_their_line(tmp_path, small):  # noqa: F811
    bad = 'land_prices = {R = {value = -1, source = "v", verified = false}}\ncategory_uses = {roof = "R"}'
    with pytest.raises(RuleError) as e:
        run(small, _two(tmp_path, bad))
    msg = str(e.value)
    assert "land_prices.R.value: must be at least 0" in msg
    assert "category_uses.roof: unknown floor category; expected base, shared, buyback, facilities." in msg
