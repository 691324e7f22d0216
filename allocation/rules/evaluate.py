"""Evaluating a rule set on one block's quantities: the calculation trail and its verdict.

:func:`evaluate` is the step; it runs these phases, in this order, on one :class:`_Trail`:

1. :func:`_data_rows`: the data quantities and measures open the trail (with what a measure's
   zoning classes need), and the quantities the rule set needs that the inputs lack are noted.
2. :func:`_step_rows`: each step, after the values it first uses (:func:`_value_row`), its
   figure checked by :func:`check_figure`.
3. :func:`_verdict_row`: official or not, and every reason it is not.
4. :func:`_result_rows`: the results, repeated at the end of the trail.

A figure that cannot be (infinite, negative land, more land than there is) stops the run with
:class:`ImpossibleFigureError`, never a note.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from ..errors import RuleError
from ..i18n import tr
from .expr import MissingValue
from .model import (
    DATA_QUANTITIES,
    LAND_QUANTITIES,
    MAX_MAGNITUDE,
    NON_NEGATIVE_UNITS,
    Evaluation,
    Quantity,
    RuleSet,
    TrailRow,
)
from .toml import place

__all__ = ["evaluate", "check_figure", "ImpossibleFigureError"]


class ImpossibleFigureError(RuleError):
    """A rule set computed (or was given) a figure that cannot be: infinite, NaN, too large,
    negative where the quantity cannot be, or more land than the land it is taken from.

    Never a "not official" note: the run stops, naming the rule key and its file line, so that such
    a figure is never printed, written or passed as official (command line, Processing and dock
    all evaluate rule sets through :func:`evaluate`).
    """


def _short(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _land_bound(rules: RuleSet, key: str) -> str | None:
    """Which land a step in m² is taken from: ``"land"`` (the block's), ``"project"``, or None.

    A step is land when its formula uses (transitively) land quantities or measures and nothing
    about floor area (a FAR, the existing floor area, a value or step named ``*floor*``).
    """
    deps = rules.uses([key])
    for n in deps:
        entry = rules.values.get(n) or rules.steps.get(n)
        unit = entry.unit if entry is not None else ""
        if unit == "FAR" or n in ("existing_floor_area", "existing_far") or "floor" in n.lower():
            return None
    project_measure = any(rules.measures[n].scope == "project" for n in deps if n in rules.measures)
    if "project_area" in deps or project_measure:
        return "project"
    if any(n in LAND_QUANTITIES or n in rules.measures for n in deps):
        return "land"
    return None


def _as_float(v) -> float:
    """``float(v)``, infinite for an integer too large for a float (refused by :func:`check_figure`)."""
    try:
        return float(v)
    except OverflowError:
        return math.inf


def check_figure(rules: RuleSet, key: str, value, env: Mapping[str, object], *, given: bool = False) -> None:
    """Raise :class:`ImpossibleFigureError` if ``value`` of step or value ``key`` cannot be.

    Checked: finite, at most :data:`MAX_MAGNITUDE`, not negative in a unit of
    :data:`NON_NEGATIVE_UNITS`, and a land step in m² (see :func:`_land_bound`) not larger than
    ``land_area`` (the block's land; ``project_area`` when it uses the project's). The message names
    the rule key and its file line.

    Examples
    --------
    >>> from landcoord.allocation.rules import load_rules
    >>> rs = load_rules("guangdong_2016")
    >>> check_figure(rs, "retained_area", 120.0, {"land_area": 1000.0})
    >>> check_figure(rs, "retained_area", 1200.0, {"land_area": 1000.0})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    landcoord.allocation.rules.ImpossibleFigureError: guangdong_2016.toml line ...: steps.retained_area ...
    """
    if value is None or isinstance(value, bool):
        return
    entry = rules.steps.get(key) or rules.values.get(key)
    if entry is None:
        return
    section = "steps" if key in rules.steps else "values"
    fields = dict(
        origin=place(entry.origin),
        key=f"{section}.{key}",
        label=entry.label,
        formula=_short(getattr(getattr(entry, "expr", None), "formula", "")),
    )
    if given:
        fields["formula"] = tr("given by the caller")
    try:
        v = float(value)
    except OverflowError:
        v = math.inf
    if not math.isfinite(v) or abs(v) > MAX_MAGNITUDE:
        raise ImpossibleFigureError(
            tr(
                "{origin}: {key} ({label}) = {value}: not a real figure (infinite, NaN or larger than "
                "1e15), from {formula}. Check the values it uses for a typing error; nothing was written.",
                value=_fmt(v),
                **fields,
            )
        )
    unit = entry.unit
    tol = 1e-6 * max(1.0, abs(v))
    if unit in NON_NEGATIVE_UNITS and v < -tol:
        raise ImpossibleFigureError(
            tr(
                "{origin}: {key} ({label}) = {value} {unit}: negative, but a quantity in {unit} cannot be "
                "(from {formula}). Check the values it uses and the formula; nothing was written.",
                value=_fmt(v),
                unit=unit,
                **fields,
            )
        )
    if unit == "m2" and section == "steps":
        bound_kind = _land_bound(rules, key)
        land = env.get("land_area")
        if bound_kind == "project" and env.get("project_area") is not None:
            land = max(land or 0.0, env["project_area"])
        real = isinstance(land, (int, float)) and not isinstance(land, bool) and math.isfinite(land)
        if bound_kind and real and v > land + 1e-6 * max(1.0, land) + 0.005:
            raise ImpossibleFigureError(
                tr(
                    "{origin}: {key} ({label}) = {value} m²: more land than the {land} m² it is taken "
                    "from (from {formula}). Check the values it uses and the formula; nothing was "
                    "written.",
                    value=_fmt(v),
                    land=_fmt(float(land)),
                    **fields,
                )
            )


def _fmt(v) -> str:
    if v is None:
        return "empty"
    if isinstance(v, bool):
        return "yes" if v else "no"
    return f"{v:,.6g}" if abs(v) < 1e6 else f"{v:,.2f}"


def _missing_kind(rules: RuleSet, name: str) -> str:
    if name in rules.values:
        return f"values.{name} is empty"
    if name in rules.steps:
        return f"steps.{name} has no value, see above"
    if name in rules.measures:
        return f"measures.{name} was not computed"
    return "not available from the inputs"


def evaluate(
    rules: RuleSet,
    inputs: Mapping[str, Quantity],
    *,
    given: Mapping[str, object] | None = None,
) -> Evaluation:
    """Run a rule set on one block's quantities and return the trail.

    Parameters
    ----------
    rules : RuleSet
    inputs : mapping of str to Quantity
        Data quantities and measures (those the rule set needs; missing ones are reported as
        not available). Their rows open the trail, in this order.
    given : mapping, optional
        Overrides by name: a number (or a :class:`Quantity`, to say whether it is verified) that
        replaces a value or a step. A plain number counts as unverified.

    Returns
    -------
    Evaluation
        ``rows`` read top to bottom: data, then each step after the values it first uses, then the
        verdict (``official``) and the results.
    """
    trail = _Trail(rules, dict(given or {}))
    _data_rows(trail, inputs)
    _step_rows(trail)
    blocking, official = _verdict_row(trail)
    results = _result_rows(trail)
    return Evaluation(trail.rows, results, official, blocking, trail.env)


@dataclass
class _Trail:
    """What one evaluation has worked out so far; every phase reads and extends it."""

    rules: RuleSet
    given: dict
    rows: list = field(default_factory=list)  # the TrailRows, in trail order
    env: dict = field(default_factory=dict)  # name -> value
    ok: dict = field(default_factory=dict)  # name -> verified and not empty
    why: dict = field(default_factory=dict)  # name -> reasons it is not ok (for the blocking list)


def _given_row(t: _Trail, name, label, unit, origin_rule) -> bool:
    """The row of ``name`` when the caller gives it (True), else nothing (False)."""
    if name not in t.given:
        return False
    g = t.given[name]
    q = (
        g
        if isinstance(g, Quantity)
        else Quantity(
            name,
            None if g is None else _as_float(g),
            label,
            unit,
            f"given (replaces {origin_rule})",
            "given by the caller",
            verified=False,
        )
    )
    check_figure(t.rules, name, q.value, t.env, given=True)
    t.env[name] = q.value
    t.ok[name] = q.verified and q.value is not None
    if not t.ok[name]:
        t.why[name] = [tr("{name} is given ({value}) and not verified", name=name, value=_fmt(q.value))]
    t.rows.append(TrailRow(name, label, q.value, unit, q.rule, q.source, t.ok[name], q.note))
    return True


def _value_reasons(key, v) -> list:
    """Why value ``key`` cannot count as verified on its own (empty, example, not verified)."""
    if v.empty:
        return [
            tr(
                "values.{key} ({origin}) is empty: enter the value and its source",
                key=key,
                origin=place(v.origin),
            )
        ]
    if v.example:
        return [
            tr(
                "values.{key} ({origin}) is an EXAMPLE, not a policy value",
                key=key,
                origin=place(v.origin),
            )
        ]
    if not v.prov.verified:
        return [tr("values.{key} ({origin}) is not verified", key=key, origin=place(v.origin))]
    return []


def _tier_lookup(t: _Trail, key, v, note: str, reasons: list):
    """The tier of value ``key`` the block falls in: ``(value, note, rule suffix)``; appends reasons."""
    rules, env = t.rules, t.env
    value = None
    for e in v.tiers.by:
        for n in e.names:
            if n in rules.values:
                _value_row(t, n)
    if not v.tiers.empty:
        try:
            xs = [e.evaluate(env) for e in v.tiers.by]
            value, idx = v.tiers.lookup(xs)
            dims = ", ".join(
                f"{e.formula} = {_fmt(x)} -> tier {k + 1} of {len(b) + 1}"
                for e, x, k, b in zip(v.tiers.by, xs, idx, v.tiers.breakpoints)
            )
            note = f"{dims}. {note}".strip()
        except MissingValue as exc:
            reasons.append(tr("the tier lookup of values.{key} needs {name}", key=key, name=exc.name))
            note = f"needs {exc.name} ({_missing_kind(rules, exc.name)}). {note}"
        deps = {n for e in v.tiers.by for n in e.names}
        for n in deps:
            if not t.ok.get(n, False):
                reasons.extend(t.why.get(n, [tr("{name} is not verified", name=n)]))
    return value, note, f": tiers by {', '.join(e.formula for e in v.tiers.by)}"


def _value_row(t: _Trail, key) -> None:
    """The row of value ``key`` (once; a tier table after the values it looks up)."""
    if key in t.env:
        return
    v = t.rules.values[key]
    if _given_row(t, key, v.label, v.unit, f"values.{key}"):
        return
    note = v.prov.note
    reasons = _value_reasons(key, v)
    rule = f"values.{key} [{v.origin}]"
    value = None
    if v.tiers is not None:
        value, note, by = _tier_lookup(t, key, v, note, reasons)
        rule += by
    elif isinstance(v.value, list):
        note = f"classes: {', '.join(v.value)}. {note}".strip()
    else:
        value = v.value
    if v.empty:
        note = f"EMPTY: fill in values.{key}. {note}".strip()
    if v.example:
        note = f"EXAMPLE value, not policy. {note}".strip()
    t.env[key] = value if not isinstance(v.value, list) else v.value
    t.ok[key] = not reasons
    t.why[key] = reasons
    t.rows.append(TrailRow(key, v.label, value, v.unit, rule, v.prov.text(), t.ok[key], note))


def _data_rows(t: _Trail, inputs: Mapping[str, Quantity]) -> None:
    """Phase 1: the inputs open the trail; needed quantities and measures they lack are noted."""
    rules, env, ok, why = t.rules, t.env, t.ok, t.why
    needed = rules.needed() | {n for s in rules.steps.values() for n in s.expr.names}
    for name, q in inputs.items():
        measure = rules.measures.get(name)
        if measure is not None:
            _value_row(t, measure.zoning_classes)
        if _given_row(t, name, q.label, q.unit, "the data"):
            continue
        env[name] = q.value
        reasons = []
        if q.value is None:
            reasons.append(f"{name}: {q.note}" if q.note else tr("{name}: not available", name=name))
        if not q.verified:
            reasons.append(tr("{name} ({rule}) is not verified", name=name, rule=q.rule))
        if measure is not None and not ok.get(measure.zoning_classes, False):
            reasons.extend(why.get(measure.zoning_classes, []))
        ok[name] = not reasons
        why[name] = reasons
        t.rows.append(TrailRow(name, q.label, q.value, q.unit, q.rule, q.source, ok[name], q.note))
    for name in DATA_QUANTITIES:
        if (
            name not in env
            and name in needed
            and not _given_row(t, name, DATA_QUANTITIES[name][0], DATA_QUANTITIES[name][1], "the data")
        ):
            env[name] = None
            ok[name] = False
            why[name] = [tr("{name} is not available from the inputs", name=name)]
    for name in rules.measures:
        if name not in env and not _given_row(t, name, rules.measures[name].label, "m2", f"measures.{name}"):
            env[name] = None
            ok[name] = False
            why[name] = [
                tr(
                    "measures.{name} ({origin}) was not computed",
                    name=name,
                    origin=place(rules.measures[name].origin),
                )
            ]


def _step_rows(t: _Trail) -> None:
    """Phase 2: every step in file order, each after the values it first uses."""
    rules = t.rules
    for key, step in rules.steps.items():
        for n in sorted(
            step.expr.names, key=lambda n: list(rules.values).index(n) if n in rules.values else 0
        ):
            if n in rules.values:
                _value_row(t, n)
        if _given_row(t, key, step.label, step.unit, f"steps.{key}"):
            continue
        _step_row(t, key, step)


def _step_row(t: _Trail, key, step) -> None:
    """The row of step ``key``: its formula evaluated, the figure checked, why it is not verified."""
    rules, env, ok, why = t.rules, t.env, t.ok, t.why
    note = step.prov.note
    reasons = []
    if step.example:
        reasons.append(tr("steps.{key} ({origin}) is an EXAMPLE formula", key=key, origin=place(step.origin)))
    elif not step.prov.verified:
        reasons.append(
            tr(
                "the formula of steps.{key} ({origin}) is not verified",
                key=key,
                origin=place(step.origin),
            )
        )
    for n in step.expr.names:
        if not ok.get(n, False):
            reasons.extend(why.get(n, [tr("{name} is not verified", name=n)]))
    try:
        value = step.expr.evaluate({n: env.get(n) for n in step.expr.names})
        if isinstance(value, bool):
            value = 1.0 if value else 0.0
    except MissingValue as exc:
        value = None
        note = f"needs {exc.name} ({_missing_kind(rules, exc.name)}). {note}".strip()
    except RuleError as exc:
        value = None
        reasons.append(str(exc))
        note = f"{exc}. {note}".strip()
    check_figure(rules, key, value, env)
    if value is not None and step.unit == "flag":
        note = f"{'yes' if value else 'no'}. {note}".strip()
    env[key] = value
    ok[key] = not reasons and value is not None
    why[key] = list(dict.fromkeys(reasons)) or (
        [tr("steps.{key} has no value", key=key)] if value is None else []
    )
    t.rows.append(
        TrailRow(
            key,
            step.label,
            value,
            step.unit,
            f"steps.{key}: {step.expr.formula} [{step.origin}]",
            step.prov.text(),
            ok[key],
            note,
        )
    )


def _verdict_row(t: _Trail) -> tuple[list, bool]:
    """Phase 3: the reasons the results are not official (none: official), and their row."""
    rules, env, why = t.rules, t.env, t.why
    blocking: list[str] = []
    if rules.example:
        blocking.append(tr("rule set '{id}' is an EXAMPLE (example = true): never official", id=rules.id))
    for c in rules.conditions:
        if env.get(c) is None:
            blocking.append(tr("condition steps.{key} could not be evaluated", key=c))
        elif not env[c]:
            blocking.append(
                tr("condition steps.{key} is not met ({label})", key=c, label=rules.steps[c].label)
            )
        blocking.extend(why.get(c, []))
    for r in rules.results:
        blocking.extend(why.get(r, []))
    blocking = list(dict.fromkeys(blocking))
    official = not blocking
    t.rows.append(
        TrailRow(
            "official",
            "正式结果 official result",
            1.0 if official else 0.0,
            "flag",
            "official only if every result and condition is verified, conditions are met, and the "
            "rule set is not an example",
            ", ".join(str(f.name) for f in rules.files),
            official,
            "yes" if official else "NOT OFFICIAL: " + "; ".join(blocking),
        )
    )
    return blocking, official


def _result_rows(t: _Trail) -> dict:
    """Phase 4: the results by step key, each repeated as a ``result.KEY`` row."""
    env, ok = t.env, t.ok
    results = {}
    for r in t.rules.results:
        step = t.rules.steps[r]
        results[r] = env.get(r)
        t.rows.append(
            TrailRow(
                f"result.{r}",
                f"结果 {step.label}",
                env.get(r),
                step.unit,
                f"= steps.{r} (above)",
                step.prov.text(),
                ok.get(r, False),
                ""
                if ok.get(r)
                else ("no value: see above" if env.get(r) is None else "NOT verified: see above"),
            )
        )
    return results
