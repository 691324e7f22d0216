"""Rule sets as data: every ratio, cap, threshold and formula with its source and a verified flag.

A rule set is a TOML file (shipped ones live in ``allocation/rules/``) with four sections:

``[ruleset]``
    ``id``, ``title``, ``results`` (the step keys the trail ends in), optionally ``conditions``
    (steps that must be true, e.g. an entry condition), ``extends`` (a shipped rule set name or a
    path relative to this file whose entries this file overrides), ``example`` (true: illustrative
    values that can never give an official result), ``jurisdiction``, ``version``, ``description``.
``[values.KEY]``
    A number, an empty slot (``value = ""``) for the officer to fill in, a list of classes, or a
    tier table (``by``, ``breakpoints``, ``values``; one or more dimensions, lower bounds
    inclusive). Each with ``label``, ``unit``, ``document``, ``article``, ``version``, ``source``
    (address), ``verified`` and optionally ``grade`` and ``note``.
``[measures.KEY]``
    A geometric quantity computed from the layers (``kind = "largest_block"``: the largest
    contiguous block of pieces of some categories lying on zoning classes), with provenance.
``[steps.KEY]``
    A formula in the safe expression language of :mod:`.expr` over data quantities
    (:data:`DATA_QUANTITIES`), values, measures and earlier steps, with provenance.

Every problem in a file is reported with the file name, the line and the key, all at once.
A value or formula with ``verified = false``, or an empty value, is carried through the trail:
every row says whether it and everything it depends on is verified, and an "official" result is
refused while a result depends on anything unverified or empty.

Examples
--------
>>> rs = load_rules("shenzhen_benefit_coordination")
>>> rs.values["shared_cap_ratio"].value, rs.values["shared_cap_ratio"].verified
(0.3, True)
>>> rs.values["cap_ratio"].empty, rs.values["cap_ratio"].verified
(True, False)
"""

from __future__ import annotations

import math
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import product
from pathlib import Path

from ._toml_lines import Problems, key_lines, loads, place
from .errors import RuleError
from .expr import FUNCTIONS, Expr, MissingValue, parse, tier_index
from .i18n import tr

__all__ = [
    "RULES_DIR",
    "CATEGORIES",
    "DATA_QUANTITIES",
    "UNITS",
    "Provenance",
    "Value",
    "Tiers",
    "Step",
    "Measure",
    "RuleSet",
    "Quantity",
    "TrailRow",
    "Evaluation",
    "load_rules",
    "shipped_rule_sets",
    "resolve_rules_path",
    "evaluate",
    "ImpossibleFigureError",
    "check_figure",
]

#: Folder of the shipped rule sets.
RULES_DIR = Path(__file__).resolve().parent / "rules"

#: Land categories a status map assigns each legal status to.
CATEGORIES = ("legal", "uncompensated", "state")

#: Quantities computed from the layers, usable in formulas: name -> (label, unit, how).
DATA_QUANTITIES = {
    "project_area": (
        "项目用地面积 land in the project",
        "m2",
        "area the pieces of the project cover, land claimed by two parcels counted once (plus land "
        "no parcel covers, when given)",
    ),
    "land_area": (
        "用地面积 land of this community in the project",
        "m2",
        "sum of piece_area of the pieces of this project and community (all of the project "
        "when no community field is given)",
    ),
    "legal_area": (
        "合法用地面积 legal land",
        "m2",
        "sum of piece_area where the status map says legal",
    ),
    "uncompensated_area": (
        "未完善征转手续用地面积 uncompensated land",
        "m2",
        "sum of piece_area where the status map says uncompensated",
    ),
    "state_area": (
        "国有用地面积 state land",
        "m2",
        "sum of piece_area where the status map says state",
    ),
    "existing_floor_area": (
        "现状建筑面积 existing floor area",
        "m2",
        "floor area of the buildings, each split over the pieces by the share of its footprint in them",
    ),
    "existing_far": (
        "现状容积率 existing FAR",
        "FAR",
        "existing_floor_area / land_area",
    ),
}

#: Units a value or step may have.
UNITS = ("m2", "ratio", "FAR", "yuan", "yuan/m2", "flag", "classes", "count")

#: Units of quantities that cannot be negative (areas, floor areas, FAR, money, prices, counts).
NON_NEGATIVE_UNITS = ("m2", "FAR", "yuan", "yuan/m2", "count")

#: Largest magnitude a rule value or a computed step may have. 1e15 m² is twice the Earth's surface
#: and 1e15 yuan several years of China's GDP: anything larger is a typing error, never a figure.
MAX_MAGNITUDE = 1e15

#: Data quantities that are land (a step in m² computed from them, and from no floor area, is land).
LAND_QUANTITIES = ("project_area", "land_area", "legal_area", "uncompensated_area", "state_area")

MEASURE_KINDS = ("largest_block",)
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


@dataclass(frozen=True)
class Provenance:
    """Where a value or formula comes from and whether it was read and checked in that source."""

    document: str
    article: str
    version: str
    source: str
    verified: bool
    grade: str = ""
    note: str = ""

    def text(self) -> str:
        """One line for the trail's ``source`` column."""
        head = " ".join(p for p in (self.document, self.article) if p)
        parts = [head] if head else []
        if self.version:
            parts.append(f"({self.version})")
        if self.grade:
            parts.append(f"[{self.grade}]")
        if self.source:
            parts.append(f"<{self.source}>")
        return " ".join(parts) if parts else "(no source given)"


@dataclass(frozen=True)
class Tiers:
    """A tier table: the value is looked up by one or more expressions (``by``)."""

    by: tuple  # of Expr
    breakpoints: tuple  # of tuples of float, one per dimension
    values: object  # nested lists of float, shape len(b)+1 per dimension

    @property
    def empty(self) -> bool:
        return not self.values

    def lookup(self, xs) -> tuple[float, tuple]:
        """The value for the inputs ``xs`` and the tier index in each dimension."""
        idx = tuple(tier_index(x, b) for x, b in zip(xs, self.breakpoints))
        v = self.values
        for k in idx:
            v = v[k]
        return float(v), idx


@dataclass(frozen=True)
class Value:
    """A rule value (``[values.KEY]``)."""

    key: str
    label: str
    unit: str
    value: object  # float, list of str, or None (empty)
    tiers: Tiers | None
    prov: Provenance
    origin: str  # "file line N"
    example: bool = False

    @property
    def empty(self) -> bool:
        if self.tiers is not None:
            return self.tiers.empty
        return self.value is None or (isinstance(self.value, list) and not self.value)

    @property
    def verified(self) -> bool:
        return self.prov.verified and not self.empty and not self.example


@dataclass(frozen=True)
class Step:
    """A calculation step (``[steps.KEY]``)."""

    key: str
    label: str
    expr: Expr
    unit: str
    prov: Provenance
    origin: str
    example: bool = False


@dataclass(frozen=True)
class Measure:
    """A geometric quantity (``[measures.KEY]``) computed from the layers."""

    key: str
    label: str
    kind: str
    categories: tuple
    zoning_classes: str
    scope: str
    unit: str
    prov: Provenance
    origin: str


@dataclass
class RuleSet:
    """A loaded, validated rule set (with everything it extends merged in)."""

    id: str
    title: str
    path: Path
    results: list
    conditions: list
    values: dict
    measures: dict
    steps: dict
    example: bool = False
    jurisdiction: str = ""
    version: str = ""
    description: str = ""
    files: list = field(default_factory=list)

    def uses(self, names) -> set:
        """Every name the given steps/values depend on, transitively (the names included)."""
        seen: set = set()
        todo = list(names)
        while todo:
            n = todo.pop()
            if n in seen:
                continue
            seen.add(n)
            if n in self.steps:
                todo.extend(self.steps[n].expr.names)
            elif n in self.values and self.values[n].tiers is not None:
                for e in self.values[n].tiers.by:
                    todo.extend(e.names)
            elif n in self.measures:
                todo.append(self.measures[n].zoning_classes)
        return seen

    def needed(self) -> set:
        """Names the results and conditions depend on."""
        return self.uses(list(self.results) + list(self.conditions))


# ---------------------------------------------------------------------------------------------
# loading
# ---------------------------------------------------------------------------------------------


def shipped_rule_sets() -> dict:
    """Shipped rule sets by name (file stem) -> path, examples included (``examples/NAME``)."""
    out = {p.stem: p for p in sorted(RULES_DIR.glob("*.toml"))}
    for p in sorted((RULES_DIR / "examples").glob("*.toml")):
        out[p.stem] = p
    return out


def resolve_rules_path(source, relative_to: Path | None = None) -> Path:
    """A rule set file from a path, or from the name of a shipped rule set."""
    text = os.fspath(source)
    p = Path(text)
    if relative_to is not None and not p.is_absolute():
        q = relative_to / p
        if q.exists():
            return q
    if p.exists():
        return p
    shipped = shipped_rule_sets()
    if text in shipped:
        return shipped[text]
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


def _prov(entry: dict, path: tuple, probs: Problems, allowed_extra: set) -> Provenance | None:
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
    path = ("values", key)
    if not isinstance(entry, dict):
        probs.add(path, tr("must be a table with value, unit, document, article, version, source, verified."))
        return None
    tiered = any(k in entry for k in ("by", "breakpoints", "values"))
    extra = {"unit"} | ({"by", "breakpoints", "values"} if tiered else {"value"})
    prov = _prov(entry, path, probs, extra)
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
        v = entry["value"]
        impossible = impossible_number(v)
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
    if not ok:
        return None
    val = Value(key, _label(entry, key), unit, value, tiers, prov, where, example)
    if prov.verified and val.empty:
        probs.add(
            path + ("verified",),
            tr("an empty value cannot be verified; enter the value or set verified = false."),
        )
        return None
    if example and prov.verified:
        probs.add(
            path + ("verified",),
            tr(
                "this rule set is an example (example = true): its values "
                "cannot be verified. Set verified = false, or make a real rule set."
            ),
        )
        return None
    return val


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
    bps = entry["breakpoints"]
    if nd == 1 and isinstance(bps, list) and all(_number(b) for b in bps):
        bps = [bps]
    if not isinstance(bps, list) or len(bps) != nd or not all(isinstance(b, list) for b in bps):
        probs.add(
            path + ("breakpoints",), tr("needs {count} list(s) of numbers, one per 'by' formula.", count=nd)
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
    prov = _prov(entry, path, probs, {"formula", "unit"})
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
    prov = _prov(entry, path, probs, {"kind", "categories", "zoning_classes", "scope", "unit"})
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
    example = bool(meta.get("example", False)) if isinstance(meta.get("example", False), bool) else False

    parent = None
    if isinstance(meta.get("extends"), str):
        try:
            parent = load_rules(meta["extends"], _chain=_chain + (str(path),))
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

    # formulas: names must be known, steps may only use earlier steps
    steps: dict = {}
    base_names = set(DATA_QUANTITIES) | set(values) | set(measures)
    order = list(raw_steps)
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


# ---------------------------------------------------------------------------------------------
# evaluation
# ---------------------------------------------------------------------------------------------


@dataclass
class Quantity:
    """A quantity from the data (or a measure), with how it was obtained, for the trail.

    ``value`` None means not available; ``note`` then says why (e.g. no buildings layer).
    """

    name: str
    value: float | None
    label: str
    unit: str
    rule: str
    source: str
    verified: bool = True
    note: str = ""


@dataclass
class TrailRow:
    """One line of the calculation trail."""

    quantity: str
    item: str
    value: float | None
    unit: str
    rule: str
    source: str
    verified: bool
    note: str = ""

    def as_dict(self) -> dict:
        return {
            "item": self.item,
            "quantity": self.quantity,
            "value": self.value,
            "unit": self.unit,
            "rule": self.rule,
            "source": self.source,
            "verified": self.verified,
            "note": self.note,
        }


@dataclass
class Evaluation:
    """The trail of one evaluation, its results, and whether they are official."""

    rows: list
    results: dict
    official: bool
    blocking: list
    env: dict


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
    given = dict(given or {})
    rows: list[TrailRow] = []
    env: dict = {}
    ok: dict = {}  # name -> verified and not empty
    why: dict = {}  # name -> reasons it is not ok (for the blocking list)
    needed = rules.needed() | {n for s in rules.steps.values() for n in s.expr.names}

    def given_row(name, label, unit, origin_rule) -> bool:
        if name not in given:
            return False
        g = given[name]
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
        check_figure(rules, name, q.value, env, given=True)
        env[name] = q.value
        ok[name] = q.verified and q.value is not None
        if not ok[name]:
            why[name] = [tr("{name} is given ({value}) and not verified", name=name, value=_fmt(q.value))]
        rows.append(TrailRow(name, label, q.value, unit, q.rule, q.source, ok[name], q.note))
        return True

    def emit_value(key):
        if key in env:
            return
        v = rules.values[key]
        if given_row(key, v.label, v.unit, f"values.{key}"):
            return
        note = v.prov.note
        reasons = []
        if v.empty:
            reasons.append(
                tr(
                    "values.{key} ({origin}) is empty: enter the value and its source",
                    key=key,
                    origin=place(v.origin),
                )
            )
        elif v.example:
            reasons.append(
                tr(
                    "values.{key} ({origin}) is an EXAMPLE, not a policy value",
                    key=key,
                    origin=place(v.origin),
                )
            )
        elif not v.prov.verified:
            reasons.append(tr("values.{key} ({origin}) is not verified", key=key, origin=place(v.origin)))
        rule = f"values.{key} [{v.origin}]"
        value = None
        if v.tiers is not None:
            for e in v.tiers.by:
                for n in e.names:
                    if n in rules.values:
                        emit_value(n)
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
                    if not ok.get(n, False):
                        reasons.extend(why.get(n, [tr("{name} is not verified", name=n)]))
            rule += f": tiers by {', '.join(e.formula for e in v.tiers.by)}"
        elif isinstance(v.value, list):
            note = f"classes: {', '.join(v.value)}. {note}".strip()
        else:
            value = v.value
        if v.empty:
            note = f"EMPTY: fill in values.{key}. {note}".strip()
        if v.example:
            note = f"EXAMPLE value, not policy. {note}".strip()
        env[key] = value if not isinstance(v.value, list) else v.value
        ok[key] = not reasons
        why[key] = reasons
        rows.append(TrailRow(key, v.label, value, v.unit, rule, v.prov.text(), ok[key], note))

    for name, q in inputs.items():
        measure = rules.measures.get(name)
        if measure is not None:
            emit_value(measure.zoning_classes)
        if given_row(name, q.label, q.unit, "the data"):
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
        rows.append(TrailRow(name, q.label, q.value, q.unit, q.rule, q.source, ok[name], q.note))
    for name in DATA_QUANTITIES:
        if (
            name not in env
            and name in needed
            and not given_row(name, DATA_QUANTITIES[name][0], DATA_QUANTITIES[name][1], "the data")
        ):
            env[name] = None
            ok[name] = False
            why[name] = [tr("{name} is not available from the inputs", name=name)]
    for name in rules.measures:
        if name not in env and not given_row(name, rules.measures[name].label, "m2", f"measures.{name}"):
            env[name] = None
            ok[name] = False
            why[name] = [
                tr(
                    "measures.{name} ({origin}) was not computed",
                    name=name,
                    origin=place(rules.measures[name].origin),
                )
            ]

    for key, step in rules.steps.items():
        for n in sorted(
            step.expr.names, key=lambda n: list(rules.values).index(n) if n in rules.values else 0
        ):
            if n in rules.values:
                emit_value(n)
        if given_row(key, step.label, step.unit, f"steps.{key}"):
            continue
        note = step.prov.note
        reasons = []
        if step.example:
            reasons.append(
                tr("steps.{key} ({origin}) is an EXAMPLE formula", key=key, origin=place(step.origin))
            )
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
        rows.append(
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
    rows.append(
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
    results = {}
    for r in rules.results:
        step = rules.steps[r]
        results[r] = env.get(r)
        rows.append(
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
    return Evaluation(rows, results, official, blocking, env)


def tier_cells(t: Tiers):
    """Every tier cell index (for documentation and tests)."""
    return list(product(*[range(len(b) + 1) for b in t.breakpoints]))
