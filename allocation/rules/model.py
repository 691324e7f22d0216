"""The rule set's data model: the dataclasses a loaded rule set is made of, and the trail's.

A :class:`RuleSet` holds :class:`Value` entries (numbers, classes, :class:`Tiers` tables),
:class:`Measure` entries and :class:`Step` formulas, each with its :class:`Provenance`.
Evaluating one (:mod:`.evaluate`) gives an :class:`Evaluation`: :class:`TrailRow` rows read from
:class:`Quantity` inputs. This module only describes; loading is :mod:`.load`, evaluating
:mod:`.evaluate`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import product
from pathlib import Path

from .expr import Expr, tier_index

__all__ = [
    "RULES_DIR",
    "CATEGORIES",
    "DATA_QUANTITIES",
    "UNITS",
    "NON_NEGATIVE_UNITS",
    "MAX_MAGNITUDE",
    "LAND_QUANTITIES",
    "MEASURE_KINDS",
    "Provenance",
    "Value",
    "Tiers",
    "Step",
    "Measure",
    "RuleSet",
    "Quantity",
    "TrailRow",
    "Evaluation",
    "tier_cells",
]

#: Folder of the shipped rule sets.
#: (this package's own folder: the TOML data ships next to the code, so users' ``extends`` paths
#: and ``allocation/rules/...`` stay as they were)
RULES_DIR = Path(__file__).resolve().parent

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


def tier_cells(t: Tiers):
    """Every tier cell index (for documentation and tests)."""
    return list(product(*[range(len(b) + 1) for b in t.breakpoints]))
