"""Loading a rule set: TOML read with line numbers, every entry validated, ``extends`` merged.

Every problem of a file is reported at once, each with the file name, the line and the key
(:class:`~landcoord.allocation.rules.toml.Problems`). :func:`provenance` reads the four provenance
keys (document, article, version, source) and ``verified`` of one entry; the other rule files
(thresholds, the procedure) use it too, so that every rule value in landcoord is sourced the same way.
"""

from __future__ import annotations

import math
import os
import tomllib
from pathlib import Path

from ..errors import RuleError
from ..i18n import tr, trn
from .expr import FUNCTIONS, parse
from .model import (
    CATEGORIES,
    DATA_QUANTITIES,
    MAX_MAGNITUDE,
    MEASURE_KINDS,
    NON_NEGATIVE_UNITS,
    RULES_DIR,
    UNITS,
    Measure,
    Provenance,
    RuleSet,
    Step,
    Tiers,
    Value,
)
from .toml import Problems, key_lines, loads, place

__all__ = [
    "load_rules",
    "shipped_rule_sets",
    "resolve_rules_path",
    "impossible_number",
    "provenance",
]

_PROV_KEYS = ("document", "article", "version", "source")
_SECTIONS = ("ruleset", "values", "measures", "steps")
_RULESET_KEYS = {
    "id": str,
    "title": str,
    "results": list,
    "conditions": list,
    "extends": str,
    "example": bool,
    "jurisdiction": str,
    "version": str,
    "description": str,
}
_RESERVED = set(FUNCTIONS) | {"true", "false", "True", "False", "official"}


#: Folders of :data:`RULES_DIR` holding shipped rule sets besides the top level: the examples (of the
#: quota) and the land-premium rule sets of the finance step. The other folders (procedure,
#: thresholds, scenarios) hold files of other formats, never rule sets.
_SHIPPED_FOLDERS = {"quota": ("examples",), "finance": ("finance",)}


def shipped_rule_sets(kind: str = "quota") -> dict:
    """Shipped rule sets by name (file stem) -> path.

    ``kind="quota"`` (the default): the quota rule sets, examples included (``examples/NAME``);
    ``"finance"``: the land-premium rule sets (``finance/NAME``); ``"all"``: both (the names a rule
    set's ``extends`` and :func:`resolve_rules_path` accept).
    """
    kinds = list(_SHIPPED_FOLDERS) if kind == "all" else [kind]
    out = {}
    if "quota" in kinds:
        out.update({p.stem: p for p in sorted(RULES_DIR.glob("*.toml"))})
    for k in kinds:
        for folder in _SHIPPED_FOLDERS[k]:
            out.update({p.stem: p for p in sorted((RULES_DIR / folder).glob("*.toml"))})
    return out


def resolve_rules_path(source, relative_to: Path | None = None) -> Path:
    """A rule set file from a path, or from the name of a shipped rule set (any kind).

    The one resolution of a rule set's name, used by :func:`load_rules`, ``extends`` and the
    finance step's ``premium_rules``: a path (relative to ``relative_to`` first, the folder of the
    file naming it), else a shipped rule set by name (``land_premium``, or ``land_premium.toml``),
    else ``NAME.toml`` in ``relative_to``.
    """
    text = os.fspath(source)
    p = Path(text)
    if relative_to is not None and not p.is_absolute():
        q = relative_to / p
        if q.exists():
            return q
    if p.exists():
        return p
    shipped = shipped_rule_sets("all")
    if text in shipped:
        return shipped[text]
    if p.suffix == ".toml" and len(p.parts) == 1 and p.stem in shipped:
        return shipped[p.stem]
    if p.suffix == "" and (relative_to is not None) and (relative_to / (text + ".toml")).exists():
        return relative_to / (text + ".toml")
    raise RuleError(
        tr(
            "Rule set '{name}' not found: it is neither a file nor a shipped rule set. "
            "Shipped rule sets: {shipped}.",
            name=text,
            shipped=", ".join(shipped),
        )
    )


def _located(origin: str, key: str) -> str:
    """``"file.toml line 12: steps.key"`` for the messages of a formula."""
    file, _, line = origin.rpartition(" line ")
    return tr("{file} line {line}: {key}", file=file, line=line, key=key)


def _rule_set_problems(path, count: int, problems: str) -> str:
    if count > 1:
        return tr(
            "Rule set '{path}' has {count} problems:\n{problems}", path=path, count=count, problems=problems
        )
    return tr("Rule set '{path}' has {count} problem:\n{problems}", path=path, count=count, problems=problems)


def _read_toml(path: Path) -> tuple[dict, dict]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise RuleError(tr("Rule set '{path}' is not UTF-8 text; save it as UTF-8.", path=path)) from None
    except OSError as exc:
        raise RuleError(tr("Rule set '{path}' cannot be read: {error}.", path=path, error=exc)) from None
    try:
        data = loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RuleError(
            tr(
                "Rule set '{path}' is not valid TOML: {error}. Fix the file at that line.",
                path=path,
                error=exc,
            )
        ) from None
    return data, key_lines(text)


def _number(v) -> bool:
    """A finite int or float whose magnitude is at most :data:`MAX_MAGNITUDE` (no OverflowError)."""
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return False
    try:
        return math.isfinite(v) and abs(float(v)) <= MAX_MAGNITUDE
    except OverflowError:  # an int too large for a float
        return False


def impossible_number(v) -> str | None:
    """Why ``v`` is a number no rule can hold (infinite, NaN, too large), or None."""
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return None
    try:
        f = float(v)
    except OverflowError:
        return tr("the number has {digits} digits: too large to be real", digits=len(str(abs(v))))
    if math.isnan(f):
        return tr("the number is NaN (not a number)")
    if math.isinf(f):
        return tr("the number {value} is infinite (too large to be real)", value=repr(v))
    if abs(f) > MAX_MAGNITUDE:
        return tr(
            "the number {value:.6g} is larger than {limit:.0e} in magnitude: too large to be real",
            value=f,
            limit=MAX_MAGNITUDE,
        )
    return None


def provenance(entry: dict, path: tuple, probs: Problems, allowed_extra: set) -> Provenance | None:
    ok = True
    for k in _PROV_KEYS:
        if k not in entry:
            probs.add(
                path,
                tr(
                    "'{key}' is missing; every rule entry needs {keys} "
                    'and verified (use "" when not known, with verified = false).',
                    key=k,
                    keys=", ".join(_PROV_KEYS),
                ),
            )
            ok = False
        elif not isinstance(entry[k], str):
            probs.add(path + (k,), tr("'{key}' must be text, got {value}.", key=k, value=repr(entry[k])))
            ok = False
    if "verified" not in entry:
        probs.add(
            path,
            tr(
                "'verified' is missing; write verified = true only if the value was read in "
                "its source, else verified = false."
            ),
        )
        ok = False
    elif not isinstance(entry["verified"], bool):
        probs.add(
            path + ("verified",),
            tr("'verified' must be true or false, got {value}.", value=repr(entry["verified"])),
        )
        ok = False
    for k in ("grade", "note", "label"):
        if k in entry and not isinstance(entry[k], str):
            probs.add(path + (k,), tr("'{key}' must be text, got {value}.", key=k, value=repr(entry[k])))
            ok = False
    known = set(_PROV_KEYS) | {"verified", "grade", "note", "label"} | allowed_extra
    for k in entry:
        if k not in known:
            probs.add(
                path + (k,), tr("unknown key '{key}'; expected {keys}.", key=k, keys=", ".join(sorted(known)))
            )
            ok = False
    if not ok:
        return None
    if entry["verified"]:
        for k in ("document", "source"):
            if not entry[k].strip():
                probs.add(
                    path + (k,),
                    tr(
                        "verified = true needs the '{key}' it was read in; fill it in "
                        "or set verified = false.",
                        key=k,
                    ),
                )
                ok = False
    if not ok:
        return None
    return Provenance(
        document=entry["document"].strip(),
        article=entry["article"].strip(),
        version=entry["version"].strip(),
        source=entry["source"].strip(),
        verified=entry["verified"],
        grade=entry.get("grade", "").strip(),
        note=entry.get("note", "").strip(),
    )


def _check_key(key, path: tuple, probs: Problems, taken: dict) -> bool:
    if not isinstance(key, str) or not key.isidentifier() or key.startswith("_"):
        probs.add(
            path,
            tr(
                "'{key}' cannot be used in formulas: use letters, digits and _ "
                "(not starting with a digit or _).",
                key=key,
            ),
        )
        return False
    if key in _RESERVED or key in DATA_QUANTITIES:
        probs.add(
            path, tr("'{key}' is a reserved name (a function or a data quantity); choose another.", key=key)
        )
        return False
    if key in taken and taken[key] != path[0]:
        probs.add(
            path,
            tr(
                "'{key}' is already defined in [{section}]; names must be unique.",
                key=key,
                section=taken[key],
            ),
        )
        return False
    taken[key] = path[0]
    return True


def _label(entry: dict, key: str) -> str:
    return str(entry.get("label") or key)


def _load_value(key, entry, probs: Problems, where: str, example: bool) -> Value | None:
    """One ``[values.KEY]`` entry: its provenance and unit, then a tier table or a single value
    (:func:`_single_value`), then whether it may be verified (:func:`_verifiable`)."""
    path = ("values", key)
    if not isinstance(entry, dict):
        probs.add(path, tr("must be a table with value, unit, document, article, version, source, verified."))
        return None
    tiered = any(k in entry for k in ("by", "breakpoints", "values"))
    extra = {"unit"} | ({"by", "breakpoints", "values"} if tiered else {"value"})
    prov = provenance(entry, path, probs, extra)
    unit = entry.get("unit")
    ok = prov is not None
    if unit not in UNITS:
        probs.add(
            path + ("unit",),
            tr("unit must be one of {units}, got {unit}.", units=", ".join(UNITS), unit=repr(unit)),
        )
        ok = False
    value = None
    tiers = None
    if tiered:
        if "value" in entry:
            probs.add(path + ("value",), tr("a tier table has by/breakpoints/values, not value."))
            ok = False
        tiers = _load_tiers(entry, path, probs, where)
        ok = ok and tiers is not None
    else:
        if "value" not in entry:
            probs.add(path, tr("'value' is missing; write value = \"\" for a value the officer fills in."))
            return None
        value, fine = _single_value(entry["value"], unit, path, probs)
        ok = ok and fine
    if not ok:
        return None
    val = Value(key, _label(entry, key), unit, value, tiers, prov, where, example)
    return val if _verifiable(val, prov, path, probs, example) else None


def _single_value(v, unit, path: tuple, probs: Problems) -> tuple:
    """The value of an entry without tiers: a number (not negative in a non-negative unit), a list of
    codes (unit ``classes``) or None for ``""`` (empty); and whether it is well formed."""
    impossible = impossible_number(v)
    ok = True
    value = None
    if v == "":
        value = None
    elif impossible:
        probs.add(path + ("value",), impossible)
        ok = False
    elif _number(v):
        value = float(v)
        if unit in NON_NEGATIVE_UNITS and value < 0:
            probs.add(
                path + ("value",),
                tr(
                    "{value} is negative, but a quantity in {unit} cannot be; enter the value as "
                    "in its source.",
                    value=v,
                    unit=unit,
                ),
            )
            ok = False
        if unit == "classes":
            probs.add(path + ("value",), tr('unit \'classes\' needs a list of codes, e.g. ["R", "M"].'))
            ok = False
    elif isinstance(v, list) and all(isinstance(x, str) and x.strip() for x in v):
        value = [x.strip() for x in v]
        if unit != "classes":
            probs.add(path + ("unit",), tr('a list of codes needs unit = "classes".'))
            ok = False
    else:
        probs.add(
            path + ("value",),
            tr('must be a finite number, a list of codes or "" (empty), got {value}.', value=repr(v)),
        )
        ok = False
    return value, ok


def _verifiable(val: Value, prov, path: tuple, probs: Problems, example: bool) -> bool:
    """Whether the value may carry its ``verified`` flag: an empty value, or a value of an example
    rule set, cannot be verified."""
    if prov.verified and val.empty:
        probs.add(
            path + ("verified",),
            tr("an empty value cannot be verified; enter the value or set verified = false."),
        )
        return False
    if example and prov.verified:
        probs.add(
            path + ("verified",),
            tr(
                "this rule set is an example (example = true): its values "
                "cannot be verified. Set verified = false, or make a real rule set."
            ),
        )
        return False
    return True


def _load_tiers(entry, path, probs: Problems, where: str) -> Tiers | None:
    for k in ("by", "breakpoints", "values"):
        if k not in entry:
            probs.add(
                path, tr("a tier table needs 'by', 'breakpoints' and 'values'; '{key}' is missing.", key=k)
            )
            return None
    by = entry["by"]
    by_list = [by] if isinstance(by, str) else by
    if not isinstance(by_list, list) or not by_list or not all(isinstance(b, str) for b in by_list):
        probs.add(
            path + ("by",),
            tr(
                "must be a formula or a list of formulas (one per dimension), "
                'e.g. "existing_far" or ["legal_area", "existing_far"].'
            ),
        )
        return None
    nd = len(by_list)
    exprs = []
    for i, text in enumerate(by_list):
        p = path + ("by",) + ((i,) if not isinstance(by, str) else ())
        try:
            exprs.append(parse(text, where=_located(probs.where(p), f"{'.'.join(path)}.by")))
        except RuleError as exc:
            probs.add(p, getattr(exc, "problem", str(exc)))
            return None
    bps = _tier_breakpoints(entry["breakpoints"], path, probs, nd)
    if bps is None:
        return None
    values = entry["values"]
    if not isinstance(values, list):
        probs.add(path + ("values",), tr("must be a list (nested for more than one dimension)."))
        return None
    if values:
        shape = [len(b) + 1 for b in bps]
        bad = _shape_problem(values, shape)
        if bad:
            probs.add(
                path + ("values",),
                tr(
                    "{problem} (breakpoints give {shape} tiers).",
                    problem=bad,
                    shape=" x ".join(map(str, shape)),
                ),
            )
            return None
        values = _floats(values)
        if entry.get("unit") in NON_NEGATIVE_UNITS and any(x < 0 for x in _flat(values)):
            probs.add(
                path + ("values",),
                tr(
                    "a tier value is negative, but a quantity in {unit} cannot be; enter the values "
                    "as in their source.",
                    unit=entry.get("unit"),
                ),
            )
            return None
    return Tiers(tuple(exprs), tuple(tuple(float(x) for x in b) for b in bps), values)


def _tier_breakpoints(bps, path, probs: Problems, nd: int):
    """The breakpoint lists of a tier table (one ascending list of numbers per 'by' formula), or
    None with the problem added."""
    if nd == 1 and isinstance(bps, list) and all(_number(b) for b in bps):
        bps = [bps]
    if not isinstance(bps, list) or len(bps) != nd or not all(isinstance(b, list) for b in bps):
        probs.add(
            path + ("breakpoints",),
            trn(
                "needs {n} list of numbers, one per 'by' formula.",
                "needs {n} lists of numbers, one per 'by' formula.",
                nd,
            ),
        )
        return None
    for i, b in enumerate(bps):
        if not all(_number(x) for x in b):
            probs.add(
                path + ("breakpoints",),
                tr(
                    "list {number} must hold finite numbers only, got {values}.", number=i + 1, values=repr(b)
                ),
            )
            return None
        if any(not a < c for a, c in zip(b, b[1:])):
            probs.add(
                path + ("breakpoints",),
                tr("list {number} must be strictly ascending, got {values}.", number=i + 1, values=repr(b)),
            )
            return None
    return bps


def _flat(values):
    if isinstance(values, list):
        for v in values:
            yield from _flat(v)
    else:
        yield values


def _shape_problem(values, shape) -> str | None:
    if not shape:
        why = impossible_number(values)
        if why:
            return why
        return None if _number(values) else tr("expected a number, got {value}", value=repr(values))
    if not isinstance(values, list):
        return tr("expected a list of {count} entries, got no list", count=shape[0])
    if len(values) != shape[0]:
        return tr("expected a list of {count} entries, got {got}", count=shape[0], got=len(values))
    for v in values:
        bad = _shape_problem(v, shape[1:])
        if bad:
            return bad
    return None


def _floats(values):
    return [_floats(v) for v in values] if isinstance(values, list) else float(values)


def _load_step(key, entry, probs: Problems, where: str, example: bool) -> tuple | None:
    path = ("steps", key)
    if not isinstance(entry, dict):
        probs.add(path, tr("must be a table with label, formula, unit and provenance."))
        return None
    prov = provenance(entry, path, probs, {"formula", "unit"})
    ok = prov is not None
    if "formula" not in entry or not isinstance(entry.get("formula"), str):
        probs.add(path + ("formula",), tr("a step needs a formula (text)."))
        ok = False
    if entry.get("unit") not in UNITS:
        probs.add(
            path + ("unit",),
            tr(
                "unit must be one of {units}, got {unit}.",
                units=", ".join(UNITS),
                unit=repr(entry.get("unit")),
            ),
        )
        ok = False
    if not ok:
        return None
    return (key, _label(entry, key), entry["formula"], entry["unit"], prov, where, example)


def _load_measure(key, entry, probs: Problems, where: str) -> Measure | None:
    path = ("measures", key)
    if not isinstance(entry, dict):
        probs.add(path, tr("must be a table."))
        return None
    prov = provenance(entry, path, probs, {"kind", "categories", "zoning_classes", "scope", "unit"})
    ok = prov is not None
    if entry.get("kind") not in MEASURE_KINDS:
        probs.add(
            path + ("kind",),
            tr(
                "kind must be one of {kinds}, got {kind}.",
                kinds=", ".join(MEASURE_KINDS),
                kind=repr(entry.get("kind")),
            ),
        )
        ok = False
    cats = entry.get("categories")
    if not isinstance(cats, list) or not cats or any(c not in CATEGORIES for c in cats):
        probs.add(
            path + ("categories",),
            tr(
                "must be a non-empty list of {categories}, got {value}.",
                categories=", ".join(CATEGORIES),
                value=repr(cats),
            ),
        )
        ok = False
    if not isinstance(entry.get("zoning_classes"), str):
        probs.add(path + ("zoning_classes",), tr('must name a value with unit = "classes".'))
        ok = False
    scope = entry.get("scope", "project")
    if scope not in ("project", "block"):
        probs.add(
            path + ("scope",), tr("scope must be 'project' or 'block', got {scope}.", scope=repr(scope))
        )
        ok = False
    if entry.get("unit") != "m2":
        probs.add(path + ("unit",), tr('a largest_block measure is an area: unit = "m2".'))
        ok = False
    if not ok:
        return None
    return Measure(
        key, _label(entry, key), entry["kind"], tuple(cats), entry["zoning_classes"], scope, "m2", prov, where
    )


def load_rules(source, *, _chain: tuple = ()) -> RuleSet:
    """Load and validate a rule set file (or a shipped rule set by name).

    Parameters
    ----------
    source : str or os.PathLike
        A ``.toml`` path, or the name of a shipped rule set (see :func:`shipped_rule_sets`).

    Raises
    ------
    RuleError
        Listing every problem of the file with its line and key.
    """
    path = resolve_rules_path(source, relative_to=Path(_chain[-1]).parent if _chain else None)
    path = path.resolve()
    if str(path) in _chain:
        raise RuleError(
            tr("Rule set '{path}' extends itself (through {chain}).", path=path, chain=" -> ".join(_chain))
        )
    data, lines = _read_toml(path)
    probs = Problems(path, lines, _rule_set_problems)
    meta = _ruleset_table(data, probs)
    example = bool(meta.get("example", False)) if isinstance(meta.get("example", False), bool) else False
    parent = _parent(meta, path, _chain, probs)
    values, measures, raw_steps, broken = _entries(data, parent, probs, example)
    steps = _parse_steps(raw_steps, values, measures, broken, probs)
    _check_lookups(values, measures, broken, probs)
    results, conditions = _result_lists(meta, parent, raw_steps, broken, probs)
    probs.raise_if_any()
    return RuleSet(
        id=meta.get("id", parent.id if parent else ""),
        title=meta.get("title", parent.title if parent else ""),
        path=path,
        results=list(results),
        conditions=list(conditions),
        values=values,
        measures=measures,
        steps=steps,
        example=example or (parent.example if parent else False),
        jurisdiction=meta.get("jurisdiction", parent.jurisdiction if parent else ""),
        version=meta.get("version", parent.version if parent else ""),
        description=meta.get("description", parent.description if parent else ""),
        files=(parent.files if parent else []) + [path],
    )


def _ruleset_table(data: dict, probs: Problems) -> dict:
    """The ``[ruleset]`` table, its keys checked; unknown sections reported."""
    for k in data:
        if k not in _SECTIONS:
            probs.add(
                (k,),
                tr(
                    "unknown section; expected {sections}.",
                    sections=", ".join("[" + s + "]" for s in _SECTIONS),
                ),
            )
    meta = data.get("ruleset")
    if not isinstance(meta, dict):
        probs.add(("ruleset",), tr("the [ruleset] table with id, title and results is missing."))
        probs.raise_if_any()
    for k, v in meta.items():
        if k not in _RULESET_KEYS:
            probs.add(("ruleset", k), tr("unknown key; expected {keys}.", keys=", ".join(_RULESET_KEYS)))
        elif not isinstance(v, _RULESET_KEYS[k]):
            probs.add(
                ("ruleset", k),
                tr("must be {type}, got {value}.", type=_RULESET_KEYS[k].__name__, value=repr(v)),
            )
    return meta


def _parent(meta: dict, path: Path, chain: tuple, probs: Problems) -> RuleSet | None:
    """The rule set ``extends`` names (loaded), or None; without one, id, title and results are needed."""
    parent = None
    if isinstance(meta.get("extends"), str):
        try:
            parent = load_rules(meta["extends"], _chain=chain + (str(path),))
        except RuleError as exc:
            probs.add(
                ("ruleset", "extends"), tr("cannot load '{name}': {error}", name=meta["extends"], error=exc)
            )
    else:
        for k in ("id", "title", "results"):
            if k not in meta:
                probs.add(("ruleset",), tr("'{key}' is missing.", key=k))
    for k in ("id", "title"):
        if k in meta and isinstance(meta[k], str) and not meta[k].strip():
            probs.add(("ruleset", k), tr("must not be empty."))
    return parent


def _entries(data: dict, parent: RuleSet | None, probs: Problems, example: bool):
    """Values, measures and (unparsed) steps: the parent's, overridden by this file's entries.

    Returns ``(values, measures, raw_steps, broken)``; ``broken`` holds the keys already reported,
    so that their users get no follow-on errors.
    """
    taken: dict = {}
    broken: set = set()
    if parent is not None:
        for sec in ("values", "measures", "steps"):
            for key in getattr(parent, sec):
                taken[key] = sec
    values = dict(parent.values) if parent else {}
    measures = dict(parent.measures) if parent else {}
    raw_steps = (
        {
            k: (k, s.label, s.expr.formula, s.unit, s.prov, s.origin, s.example)
            for k, s in parent.steps.items()
        }
        if parent
        else {}
    )
    for sec in ("values", "measures", "steps"):
        table = data.get(sec, {})
        if not isinstance(table, dict):
            probs.add((sec,), tr("[{section}] must hold tables [{section}.KEY].", section=sec))
            continue
        for key, entry in table.items():
            if not _check_key(key, (sec, key), probs, taken):
                continue
            where = probs.where((sec, key))
            if sec == "values":
                v = _load_value(key, entry, probs, where, example)
                if v is not None:
                    values[key] = v
            elif sec == "measures":
                m = _load_measure(key, entry, probs, where)
                if m is not None:
                    measures[key] = m
            else:
                s = _load_step(key, entry, probs, where, example)
                if s is not None:
                    raw_steps[key] = s
            if key not in values and key not in measures and key not in raw_steps:
                broken.add(key)  # already reported: no follow-on errors for its users
    return values, measures, raw_steps, broken


def _parse_steps(raw_steps: dict, values: dict, measures: dict, broken: set, probs: Problems) -> dict:
    """The formulas parsed: names must be known, steps may only use earlier steps."""
    steps: dict = {}
    base_names = set(DATA_QUANTITIES) | set(values) | set(measures)
    for key, (k, label, formula, unit, prov, where, ex) in raw_steps.items():
        known = base_names | set(steps)
        try:
            expr = parse(
                formula, where=_located(where, f"steps.{key}"), known=known | set(raw_steps) | broken
            )
        except RuleError as exc:
            probs.add(("steps", key, "formula"), getattr(exc, "problem", str(exc)))
            continue
        if expr.names & broken:
            broken.add(key)
            continue
        later = sorted(n for n in expr.names if n in raw_steps and n not in steps)
        if later:
            if key in later:
                probs.add(("steps", key, "formula"), tr("the step uses itself ('{key}').", key=key))
            else:
                n = later[0]
                probs.add(
                    ("steps", key, "formula"),
                    tr(
                        "uses '{name}', which is defined later ({where}); "
                        "steps are read top to bottom: move it above.",
                        name=n,
                        where=place(raw_steps[n][5]),
                    ),
                )
            continue
        steps[key] = Step(k, label, expr, unit, prov, where, ex)
    return steps


def _check_lookups(values: dict, measures: dict, broken: set, probs: Problems) -> None:
    """Tier tables are looked up by known names (not themselves); measures name a class list."""
    for key, v in values.items():
        if v.tiers is not None:
            for e in v.tiers.by:
                bad = sorted(
                    n for n in e.names if n not in set(DATA_QUANTITIES) | set(measures) | set(values) | broken
                )
                if bad:
                    probs.add(
                        ("values", key, "by"),
                        tr(
                            "tiers may be looked up by data quantities, measures "
                            "and values only; unknown or not allowed: {names}.",
                            names=", ".join(bad),
                        ),
                    )
                if key in e.names:
                    probs.add(("values", key, "by"), tr("a tier table cannot be looked up by itself."))
    for key, m in measures.items():
        zc = values.get(m.zoning_classes)
        if zc is None or zc.unit != "classes":
            probs.add(
                ("measures", key, "zoning_classes"),
                tr(
                    "'{name}' must be a value with unit = \"classes\" (a list of zoning codes).",
                    name=m.zoning_classes,
                ),
            )


def _result_lists(meta: dict, parent: RuleSet | None, raw_steps: dict, broken: set, probs: Problems):
    """``(results, conditions)``: this file's or the parent's, each naming a step."""
    order = list(raw_steps)
    results = meta.get("results", parent.results if parent else [])
    conditions = meta.get("conditions", parent.conditions if parent else [])
    for lst_key, lst in (("results", results), ("conditions", conditions)):
        if not isinstance(lst, list):
            continue
        if lst_key == "results" and not lst:
            probs.add(("ruleset", lst_key), tr("list at least one step the trail ends in."))
        for i, name in enumerate(lst):
            if name not in raw_steps and name not in broken:
                probs.add(
                    ("ruleset", lst_key, i),
                    tr("'{name}' is not a step; steps: {steps}.", name=name, steps=", ".join(order)),
                )
    return results, conditions
