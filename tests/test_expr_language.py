"""The formula language of rule sets: what it computes, what it refuses, and how it says so."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from landcoord.allocation.errors import RuleError
from landcoord.allocation.rules.expr import MissingValue, parse, tier_index

ENV = {"legal_area": 3000.0, "uncompensated_area": 6000.0, "land_area": 10000.0, "ratio": 0.2, "far": 1.5}


@pytest.mark.parametrize(
    "formula, want",
    [
        ("legal_area + uncompensated_area * ratio", 3000 + 6000 * 0.2),
        ("(legal_area + uncompensated_area) * ratio", 9000 * 0.2),
        ("land_area - legal_area - uncompensated_area", 1000),
        ("land_area / 4 / 5", 500),
        ("-legal_area + +land_area", 7000),
        ("min(legal_area, uncompensated_area, 5000)", 3000),
        ("max(legal_area, 4000)", 4000),
        ("abs(legal_area - land_area)", 7000),
        ("cap(legal_area * 2, 5000)", 5000),
        ("clamp(ratio, 0.25, 0.5)", 0.25),
        ("clamp(far, 0, 1)", 1),
        ("tier(far, [1, 2.5], [0.3, 0.2, 0.1])", 0.2),
        ("tier(far, [1.5], [0.3, 0.2])", 0.2),  # lower bound inclusive
        ("tier(legal_area, [1000 * 2, 5000], [1, 2, 3])", 2),
        ("1e3 * ratio", 200),
        ("legal_area if far > 1 else uncompensated_area", 3000),
        ("legal_area if far > 2 else uncompensated_area", 6000),
        ("true", True),
        ("legal_area >= 3000", True),
        ("1000 < legal_area < 2000", False),
        ("legal_area == 3000 and not far > 2", True),
        ("far > 2 or ratio != 0.2", False),
        ("(legal_area >= 3000) * 10", 10),
    ],
)
def test_formulas_compute(formula, want):
    got = parse(formula, where="t").evaluate(ENV)
    if isinstance(want, bool):
        assert got is want
    else:
        assert got == pytest.approx(want)


def test_names_are_collected():
    e = parse("min(legal_area + uncompensated_area * ratio, 0.5 * land_area) if far > 1 else 0")
    assert e.names == {"legal_area", "uncompensated_area", "ratio", "land_area", "far"}


def test_chinese_names_work():
    assert parse("合法用地 * 2", where="t").evaluate({"合法用地": 4.0}) == 8.0


@pytest.mark.parametrize(
    "formula, fragment",
    [
        ("legal_area.__class__", "attribute access"),
        ("().__class__.__bases__[0].__subclasses__()", "only the functions"),
        ("(1).real", "attribute access"),
        ("(((1))) + x.y", "attribute access"),
        ("__import__('os').system('echo hi')", "only the functions"),
        ("__import__('os')", "the function '__import__' is not allowed"),
        ("open('/etc/passwd')", "the function 'open' is not allowed"),
        ("eval('1+1')", "the function 'eval' is not allowed"),
        ("exec('x=1')", "the function 'exec' is not allowed"),
        ("getattr(legal_area, 'real')", "the function 'getattr' is not allowed"),
        ("legal_area.real()", "only the functions"),
        ("min.__call__(1, 2)", "only the functions"),
        ("(lambda: 1)()", "only the functions"),
        ("lambda: 1", "lambda"),
        ("[x for x in (1, 2)]", "comprehensions"),
        ("legal_area[0]", "subscripting"),
        ("{'a': 1}", "dictionaries"),
        ("(1, 2)", "tuples"),
        ("'text'", "strings"),
        ("f'{legal_area}'", "strings"),
        ("b'x'", "strings"),
        ("None", "constant None"),
        ("...", "constant Ellipsis"),
        ("_secret", "'_'"),
        ("__builtins__", "'_'"),
        ("(x := 3)", "assignment"),
        ("legal_area ** 2", "Pow"),
        ("legal_area // 2", "FloorDiv"),
        ("legal_area % 2", "Mod"),
        ("legal_area << 2", "LShift"),
        ("~legal_area", "Invert"),
        ("legal_area in [1, 2]", "comparison"),
        ("legal_area is ratio", "comparison"),
        ("min(*[1, 2])", "star"),
        ("max(legal_area, key=ratio)", "keyword"),
        ("[1, 2]", "lists are only allowed"),
        ("tier(far, breaks, [1, 2])", "two lists"),
        ("tier(far, [1, 2], [1, 2])", "needs 3 values"),
        ("tier(far, [2, 1], [1, 2, 3])", "strictly ascending"),
        ("abs(1, 2)", "takes 1 argument"),
        ("cap", "is a function"),
        ("1e999", "not finite"),
        ("10**400", "Pow"),
        ("legal_area +", "cannot be read"),
        ("", "empty"),
        ("x" * 2001, "longer than"),
        ("min(" * 100 + "1" + ")" * 100, "nested"),
        ("-" * 500 + "1", "nested"),
    ],
)
def test_unsafe_or_unknown_constructs_are_refused(formula, fragment):
    with pytest.raises(RuleError) as e:
        parse(formula, where="rules.toml line 7: steps.base")
    msg = str(e.value)
    assert msg.startswith("rules.toml line 7: steps.base")
    assert fragment in msg


def test_unknown_name_error_names_formula_key_and_name():
    with pytest.raises(RuleError) as e:
        parse(
            "retained_aera * plot_far",
            where="sz.toml line 57: steps.base_floor_area",
            known={"retained_area", "plot_far"},
        )
    msg = str(e.value)
    assert "sz.toml line 57: steps.base_floor_area" in msg
    assert "'retained_aera * plot_far'" in msg
    assert "unknown name 'retained_aera'" in msg
    assert "retained_area" in msg  # the known names are listed


def test_no_python_eval_is_reachable():
    """The interpreter only ever sees validated nodes; the module never calls eval/exec/compile."""
    import ast

    import landcoord.allocation.rules.expr as mod

    e = parse("min(legal_area, 1)", where="t")
    with pytest.raises(RuleError):
        e.evaluate({})  # a name with no value is an error, never a lookup into builtins
    tree = ast.parse(open(mod.__file__, encoding="utf-8").read())
    called = {n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
    assert not called & {"eval", "exec", "compile", "__import__", "getattr"}


def test_empty_value_is_reported_as_missing_not_zero():
    with pytest.raises(MissingValue) as e:
        parse("legal_area + ratio").evaluate({"legal_area": 1.0, "ratio": None})
    assert e.value.name == "ratio"


def test_division_by_zero_names_the_divisor():
    with pytest.raises(RuleError) as e:
        parse("legal_area / (land_area - 10000)", where="k").evaluate(ENV)
    assert "division by zero" in str(e.value) and "land_area - 10000" in str(e.value)


def test_clamp_with_crossed_bounds_is_an_error():
    with pytest.raises(RuleError, match="low bound"):
        parse("clamp(far, 2, 1)").evaluate(ENV)


def test_non_number_value_is_an_error():
    with pytest.raises(RuleError, match="not a number"):
        parse("classes + 1").evaluate({"classes": ["R", "M"]})


@settings(max_examples=200, deadline=None)
@given(
    x=st.floats(-1e6, 1e6, allow_nan=False),
    breaks=st.lists(st.floats(-1e5, 1e5, allow_nan=False), min_size=0, max_size=5, unique=True),
)
def test_tier_matches_a_linear_scan(x, breaks):
    breaks = sorted(breaks)
    want = sum(1 for b in breaks if x >= b)
    assert tier_index(x, breaks) == want
    values = list(range(len(breaks) + 1))
    formula = f"tier(x, [{', '.join(repr(b) for b in breaks)}], [{', '.join(map(str, values))}])"
    assert parse(formula).evaluate({"x": x}) == want


@settings(max_examples=200, deadline=None)
@given(
    a=st.floats(-1e6, 1e6, allow_nan=False),
    b=st.floats(-1e6, 1e6, allow_nan=False),
    c=st.floats(0.001, 1e3, allow_nan=False),
)
def test_arithmetic_agrees_with_python(a, b, c):
    got = parse("min(a + b * 2, a - b) / c + max(a, b, c) - abs(a)").evaluate({"a": a, "b": b, "c": c})
    want = min(a + b * 2, a - b) / c + max(a, b, c) - abs(a)
    assert math.isclose(got, want, rel_tol=1e-12, abs_tol=1e-9)
