"""A small, safe expression language for the formulas of rule sets.

Formulas are written like arithmetic over named quantities (``legal_area``,
``uncompensated_area``, ``project_area``, ``existing_floor_area``, ``existing_far``, rule values,
earlier steps)::

    min(legal_area + uncompensated_area * uncompensated_ratio, cap_ratio * land_area)

The text is parsed with Python's :mod:`ast` and only a whitelist of node types is accepted; the
tree is then interpreted here. Nothing is ever passed to ``eval``/``exec``/``compile`` for
execution, there is no attribute access, no subscripting, no strings, no calls except the
functions below, and no name may start with an underscore.

Allowed
-------
- numbers (``3000``, ``0.3``, ``1e4``), ``true``/``false`` (also ``True``/``False``)
- ``+ - * /``, unary ``-``/``+``, parentheses
- comparisons ``< <= > >= == !=`` (chained too), ``and``, ``or``, ``not``
- ``a if condition else b``
- ``min(a, b, ...)``, ``max(a, b, ...)``, ``abs(a)``
- ``cap(x, limit)`` = ``min(x, limit)``; ``clamp(x, low, high)``
- ``tier(x, [b1, b2, ...], [v0, v1, v2, ...])``: ``v0`` when ``x < b1``, ``v1`` when
  ``b1 <= x < b2``, ..., the last value when ``x >= bn`` (lower bounds inclusive)

Examples
--------
>>> e = parse("min(a + b * 0.5, limit)", where="steps.demo")
>>> sorted(e.names)
['a', 'b', 'limit']
>>> e.evaluate({"a": 100, "b": 40, "limit": 110})
110.0
>>> parse("tier(far, [1.0, 2.5], [0.3, 0.2, 0.1])").evaluate({"far": 2.5})
0.1
>>> try:
...     parse("x.__class__", where="steps.bad")
... except RuleError as exc:
...     print(exc)
steps.bad: formula 'x.__class__': attribute access ('.__class__') is not allowed. Allowed: ...
"""

from __future__ import annotations

import ast
import math
from collections.abc import Iterable, Mapping

from .errors import RuleError

__all__ = ["Expr", "parse", "tier_index", "MissingValue", "FUNCTIONS", "MAX_LENGTH"]

#: Longest formula accepted (characters).
MAX_LENGTH = 2000
#: Deepest expression tree accepted.
MAX_DEPTH = 60

#: Functions a formula may call, with their argument counts (min, max; None = any).
FUNCTIONS = {
    "min": (1, None),
    "max": (1, None),
    "abs": (1, 1),
    "cap": (2, 2),
    "clamp": (3, 3),
    "tier": (3, 3),
}

_BINOPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}
_CMPOPS = {
    ast.Lt: lambda a, b: a < b,
    ast.LtE: lambda a, b: a <= b,
    ast.Gt: lambda a, b: a > b,
    ast.GtE: lambda a, b: a >= b,
    ast.Eq: lambda a, b: a == b,
    ast.NotEq: lambda a, b: a != b,
}
_CONSTANT_NAMES = {"true": True, "false": False, "True": True, "False": False}

_NODE_WORDS = {
    ast.Attribute: "attribute access",
    ast.Subscript: "subscripting ([...] after a value)",
    ast.Lambda: "lambda",
    ast.ListComp: "comprehensions",
    ast.SetComp: "comprehensions",
    ast.DictComp: "comprehensions",
    ast.GeneratorExp: "comprehensions",
    ast.Dict: "dictionaries",
    ast.Set: "sets",
    ast.Tuple: "tuples",
    ast.Starred: "star arguments",
    ast.NamedExpr: "assignment (:=)",
    ast.JoinedStr: "strings",
    ast.Await: "await",
    ast.Yield: "yield",
    ast.YieldFrom: "yield",
    ast.Slice: "slices",
}


class MissingValue(RuleError):  # noqa: N818 - reads better as "except MissingValue"
    """A formula needs a name whose value is empty or not available (e.g. no buildings layer).

    The rule engine catches it and marks the step empty; ``name`` is the missing name.
    """

    def __init__(self, name: str, message: str):
        self.name = name
        super().__init__(message)


def _describe(node: ast.AST) -> str:
    word = _NODE_WORDS.get(type(node))
    if word is None:
        if isinstance(node, ast.BinOp):
            word = f"the operator {type(node.op).__name__}"
        elif isinstance(node, ast.UnaryOp):
            word = f"the unary operator {type(node.op).__name__}"
        elif isinstance(node, ast.Compare):
            word = "this comparison operator (use < <= > >= == !=)"
        else:
            word = type(node).__name__
    try:
        text = ast.unparse(node)
    except Exception:  # noqa: BLE001 - unparse is only for the message
        text = ""
    if isinstance(node, ast.Attribute):
        text = "." + node.attr
    return f"{word} ('{text}')" if text else word


class Expr:
    """A parsed, validated formula.

    Use :func:`parse` to make one. ``names`` is the set of names the formula reads; ``formula``
    the text and ``where`` the rule it belongs to (both for messages).
    """

    __slots__ = ("formula", "where", "names", "_tree")

    def __init__(self, formula: str, where: str, tree: ast.Expression, names: frozenset):
        self.formula = formula
        self.where = where
        self.names = names
        self._tree = tree

    def __repr__(self) -> str:
        return f"Expr({self.formula!r})"

    # -- evaluation -------------------------------------------------------------------------
    def evaluate(self, env: Mapping[str, object]) -> float | bool:
        """Evaluate with ``env`` mapping every name to a number (or None if empty).

        Raises
        ------
        MissingValue
            If a name's value is None (empty rule value, unavailable quantity).
        RuleError
            If a name is not in ``env`` at all, on division by zero, on bad tier arguments.
        """
        value = self._eval(self._tree.body, env)
        if isinstance(value, bool):
            return value
        return float(value)

    def _fail(self, message: str) -> RuleError:
        return RuleError(f"{self.where}: formula '{self.formula}': {message}")

    def _eval(self, node, env):
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Name):
            if node.id in _CONSTANT_NAMES:
                return _CONSTANT_NAMES[node.id]
            if node.id not in env:
                raise self._fail(
                    f"the name '{node.id}' has no value here. Known names: {', '.join(sorted(env))}."
                )
            value = env[node.id]
            if value is None:
                raise MissingValue(node.id, f"{self.where}: '{node.id}' is empty")
            if isinstance(value, bool):
                return value
            if not isinstance(value, (int, float)):
                raise self._fail(f"the name '{node.id}' is not a number (got {value!r}).")
            return value
        if isinstance(node, ast.BinOp):
            a = self._eval(node.left, env)
            b = self._eval(node.right, env)
            op = type(node.op)
            if op is ast.Add:
                return a + b
            if op is ast.Sub:
                return a - b
            if op is ast.Mult:
                return a * b
            if b == 0:
                raise self._fail(f"division by zero: '{ast.unparse(node.right)}' is 0.")
            return a / b
        if isinstance(node, ast.UnaryOp):
            v = self._eval(node.operand, env)
            if isinstance(node.op, ast.USub):
                return -v
            if isinstance(node.op, ast.UAdd):
                return +v
            return not v
        if isinstance(node, ast.BoolOp):
            if isinstance(node.op, ast.And):
                return all(bool(self._eval(v, env)) for v in node.values)
            return any(bool(self._eval(v, env)) for v in node.values)
        if isinstance(node, ast.Compare):
            left = self._eval(node.left, env)
            for op, comp in zip(node.ops, node.comparators):
                right = self._eval(comp, env)
                if not _CMPOPS[type(op)](left, right):
                    return False
                left = right
            return True
        if isinstance(node, ast.IfExp):
            if self._eval(node.test, env):
                return self._eval(node.body, env)
            return self._eval(node.orelse, env)
        if isinstance(node, ast.Call):
            return self._call(node, env)
        raise self._fail(f"{_describe(node)} is not allowed.")  # unreachable after validation

    def _call(self, node: ast.Call, env):
        fname = node.func.id
        if fname == "tier":
            x = self._eval(node.args[0], env)
            breaks = [self._eval(a, env) for a in node.args[1].elts]
            values = node.args[2].elts
            return self._eval(values[tier_index(x, breaks, self._fail)], env)
        args = [self._eval(a, env) for a in node.args]
        if fname == "min":
            return min(args)
        if fname == "max":
            return max(args)
        if fname == "abs":
            return abs(args[0])
        if fname == "cap":
            return min(args[0], args[1])
        lo, hi = args[1], args[2]
        if lo > hi:
            raise self._fail(f"clamp: the low bound {lo} is above the high bound {hi}.")
        return min(max(args[0], lo), hi)


def tier_index(x, breaks, fail=None) -> int:
    """Index of the tier ``x`` falls in: 0 below ``breaks[0]``, ``len(breaks)`` at or above the last.

    Lower bounds are inclusive. ``breaks`` must be strictly ascending.

    >>> tier_index(5, [10, 20]), tier_index(10, [10, 20]), tier_index(25, [10, 20])
    (0, 1, 2)
    """
    for a, b in zip(breaks, breaks[1:]):
        if not a < b:
            msg = f"tier breakpoints must be strictly ascending, got {list(breaks)}."
            raise fail(msg) if fail else RuleError(msg)
    k = 0
    while k < len(breaks) and x >= breaks[k]:
        k += 1
    return k


class _Validator:
    def __init__(self, formula: str, where: str, known: set | None):
        self.formula = formula
        self.where = where
        self.known = known
        self.names: set[str] = set()

    def fail(self, message: str) -> RuleError:
        return RuleError(f"{self.where}: formula '{self.formula}': {message}")

    def visit(self, node, depth=0, list_ok=False):
        if depth > MAX_DEPTH:
            raise self.fail(f"nested more than {MAX_DEPTH} levels deep; simplify it.")
        d = depth + 1
        if isinstance(node, ast.Constant):
            v = node.value
            if isinstance(v, bool) or (isinstance(v, (int, float)) and not isinstance(v, complex)):
                if isinstance(v, float) and not math.isfinite(v):
                    raise self.fail(f"the number {ast.unparse(node)} is not finite.")
                if isinstance(v, int) and abs(v) > 10**18:
                    raise self.fail(f"the number {v} is too large.")
                return
            kind = "strings" if isinstance(v, (str, bytes)) else f"the constant {v!r}"
            raise self.fail(f"{kind} are not allowed; formulas work on numbers only.")
        if isinstance(node, ast.Name):
            if node.id.startswith("_"):
                raise self.fail(f"names starting with '_' are not allowed ('{node.id}').")
            if not isinstance(node.ctx, ast.Load):
                raise self.fail(f"assignment to '{node.id}' is not allowed.")
            if node.id in _CONSTANT_NAMES:
                return
            if node.id in FUNCTIONS:
                raise self.fail(f"'{node.id}' is a function; call it as {node.id}(...).")
            if self.known is not None and node.id not in self.known:
                raise self.fail(
                    f"unknown name '{node.id}'. Known names: {', '.join(sorted(self.known))}. "
                    "Check the spelling, or define it as a value or an earlier step."
                )
            self.names.add(node.id)
            return
        if isinstance(node, ast.BinOp):
            if type(node.op) not in _BINOPS:
                raise self.fail(f"{_describe(node)} is not allowed; use + - * / only.")
            self.visit(node.left, d)
            self.visit(node.right, d)
            return
        if isinstance(node, ast.UnaryOp):
            if not isinstance(node.op, (ast.USub, ast.UAdd, ast.Not)):
                raise self.fail(f"{_describe(node)} is not allowed.")
            self.visit(node.operand, d)
            return
        if isinstance(node, ast.BoolOp):
            for v in node.values:
                self.visit(v, d)
            return
        if isinstance(node, ast.Compare):
            for op in node.ops:
                if type(op) not in _CMPOPS:
                    raise self.fail(f"{_describe(node)} is not allowed.")
            self.visit(node.left, d)
            for c in node.comparators:
                self.visit(c, d)
            return
        if isinstance(node, ast.IfExp):
            self.visit(node.test, d)
            self.visit(node.body, d)
            self.visit(node.orelse, d)
            return
        if isinstance(node, ast.Call):
            self.visit_call(node, d)
            return
        if isinstance(node, ast.List):
            if not list_ok:
                raise self.fail("lists are only allowed as the 2nd and 3rd arguments of tier(...).")
            for e in node.elts:
                self.visit(e, d)
            return
        raise self.fail(f"{_describe(node)} is not allowed. {_ALLOWED_TEXT}")

    def visit_call(self, node: ast.Call, d: int):
        if not isinstance(node.func, ast.Name):
            raise self.fail(
                f"only the functions {', '.join(FUNCTIONS)} may be called, "
                f"not '{ast.unparse(node.func)}'."
            )
        fname = node.func.id
        if fname not in FUNCTIONS:
            raise self.fail(f"the function '{fname}' is not allowed; use one of {', '.join(FUNCTIONS)}.")
        if node.keywords:
            raise self.fail(f"{fname}(...) takes no keyword arguments.")
        if any(isinstance(a, ast.Starred) for a in node.args):
            raise self.fail("star arguments are not allowed.")
        lo, hi = FUNCTIONS[fname]
        n = len(node.args)
        if n < lo or (hi is not None and n > hi):
            want = f"{lo}" if lo == hi else (f"at least {lo}" if hi is None else f"{lo} to {hi}")
            raise self.fail(f"{fname}(...) takes {want} argument(s), got {n}.")
        if fname == "tier":
            self.visit(node.args[0], d)
            breaks, values = node.args[1], node.args[2]
            if not isinstance(breaks, ast.List) or not isinstance(values, ast.List):
                raise self.fail(
                    "tier(x, [breakpoints], [values]) needs two lists written in the formula, "
                    "e.g. tier(existing_far, [1.0, 2.5], [0.3, 0.2, 0.1])."
                )
            if len(values.elts) != len(breaks.elts) + 1:
                raise self.fail(
                    f"tier(...) with {len(breaks.elts)} breakpoint(s) needs "
                    f"{len(breaks.elts) + 1} values, got {len(values.elts)}."
                )
            self.visit(breaks, d, list_ok=True)
            self.visit(values, d, list_ok=True)
            consts = [e.value for e in breaks.elts if isinstance(e, ast.Constant)]
            if len(consts) == len(breaks.elts):
                tier_index(0, consts, self.fail)
            return
        for a in node.args:
            self.visit(a, d)


_ALLOWED_TEXT = (
    "Allowed: numbers, names, + - * /, parentheses, comparisons, and/or/not, 'a if c else b', "
    f"and the functions {', '.join(FUNCTIONS)}."
)


def parse(formula: str, *, where: str = "formula", known: Iterable[str] | None = None) -> Expr:
    """Parse and validate a formula.

    Parameters
    ----------
    formula : str
        The text of the formula.
    where : str
        Which rule the formula belongs to, e.g. ``"shenzhen.toml line 57: steps.base_floor_area"``;
        every error message starts with it.
    known : iterable of str, optional
        The names the formula may use; any other name is an error that lists them.

    Raises
    ------
    RuleError
        On a syntax error, a construct that is not allowed, or an unknown name.
    """
    if not isinstance(formula, str):
        raise RuleError(f"{where}: the formula must be text, got {type(formula).__name__}.")
    text = formula.strip()
    if not text:
        raise RuleError(f"{where}: the formula is empty.")
    if len(text) > MAX_LENGTH:
        raise RuleError(f"{where}: the formula is longer than {MAX_LENGTH} characters.")
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as exc:
        col = f" at character {exc.offset}" if exc.offset else ""
        raise RuleError(f"{where}: formula '{text}' cannot be read{col}: {exc.msg}.") from None
    except (RecursionError, MemoryError, ValueError) as exc:
        raise RuleError(f"{where}: formula '{text}' cannot be read: {type(exc).__name__}.") from None
    v = _Validator(text, where, set(known) if known is not None else None)
    try:
        v.visit(tree.body)
    except RecursionError:
        raise v.fail(f"nested more than {MAX_DEPTH} levels deep; simplify it.") from None
    return Expr(text, where, tree, frozenset(v.names))
