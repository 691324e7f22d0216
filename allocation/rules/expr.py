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

from ..errors import RuleError
from ..i18n import tr, trn

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

#: What a construct that is not allowed is called in messages (called when the message is made,
#: so that it is in the language of the moment).
_NODE_WORDS = {
    ast.Attribute: lambda: tr("attribute access"),
    ast.Subscript: lambda: tr("subscripting ([...] after a value)"),
    ast.Lambda: lambda: tr("lambda"),
    ast.ListComp: lambda: tr("comprehensions"),
    ast.SetComp: lambda: tr("comprehensions"),
    ast.DictComp: lambda: tr("comprehensions"),
    ast.GeneratorExp: lambda: tr("comprehensions"),
    ast.Dict: lambda: tr("dictionaries"),
    ast.Set: lambda: tr("sets"),
    ast.Tuple: lambda: tr("tuples"),
    ast.Starred: lambda: tr("star arguments"),
    ast.NamedExpr: lambda: tr("assignment (:=)"),
    ast.JoinedStr: lambda: tr("strings"),
    ast.Await: lambda: tr("await"),
    ast.Yield: lambda: tr("yield"),
    ast.YieldFrom: lambda: tr("yield"),
    ast.Slice: lambda: tr("slices"),
}


def _error(message: str, problem: str) -> RuleError:
    """``RuleError(message)``, where ``message`` is ``"{where}: {problem}"``; ``problem`` is kept on it.

    The rule-set loader reports ``.problem`` under its own file, line and key.
    """
    err = RuleError(message)
    err.problem = problem
    return err


def _formula_error(where: str, formula: str, problem: str) -> RuleError:
    return _error(
        tr("{where}: formula '{formula}': {problem}", where=where, formula=formula, problem=problem),
        tr("formula '{formula}': {problem}", formula=formula, problem=problem),
    )


class MissingValue(RuleError):  # noqa: N818 - reads better as "except MissingValue"
    """A formula needs a name whose value is empty or not available (e.g. no buildings layer).

    The rule engine catches it and marks the step empty; ``name`` is the missing name.
    """

    def __init__(self, name: str, message: str):
        self.name = name
        super().__init__(message)


def _describe(node: ast.AST) -> str:
    word = _NODE_WORDS.get(type(node))
    if word is not None:
        word = word()
    elif isinstance(node, ast.BinOp):
        word = tr("the operator {operator}", operator=type(node.op).__name__)
    elif isinstance(node, ast.UnaryOp):
        word = tr("the unary operator {operator}", operator=type(node.op).__name__)
    elif isinstance(node, ast.Compare):
        word = tr("this comparison operator (use < <= > >= == !=)")
    else:
        word = type(node).__name__
    try:
        text = ast.unparse(node)
    except Exception:  # noqa: BLE001 - unparse is only for the message
        text = ""
    if isinstance(node, ast.Attribute):
        text = "." + node.attr
    return tr("{construct} ('{text}')", construct=word, text=text) if text else word


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
        try:
            value = self._eval(self._tree.body, env)
            if isinstance(value, bool):
                return value
            return float(value)
        except OverflowError:
            # integers multiplied past what a float holds: the result is infinite, which
            # rules.evaluate refuses naming the rule (never an OverflowError traceback)
            return math.inf

    def _fail(self, message: str) -> RuleError:
        return _formula_error(self.where, self.formula, message)

    def _eval(self, node, env):
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Name):
            if node.id in _CONSTANT_NAMES:
                return _CONSTANT_NAMES[node.id]
            if node.id not in env:
                raise self._fail(
                    tr(
                        "the name '{name}' has no value here. Known names: {names}.",
                        name=node.id,
                        names=", ".join(sorted(env)),
                    )
                )
            value = env[node.id]
            if value is None:
                raise MissingValue(node.id, tr("{where}: '{name}' is empty", where=self.where, name=node.id))
            if isinstance(value, bool):
                return value
            if not isinstance(value, (int, float)):
                raise self._fail(
                    tr("the name '{name}' is not a number (got {value}).", name=node.id, value=repr(value))
                )
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
                raise self._fail(tr("division by zero: '{divisor}' is 0.", divisor=ast.unparse(node.right)))
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
        raise self._fail(tr("{construct} is not allowed.", construct=_describe(node)))  # unreachable

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
            raise self._fail(
                tr("clamp: the low bound {low} is above the high bound {high}.", low=lo, high=hi)
            )
        return min(max(args[0], lo), hi)


def tier_index(x, breaks, fail=None) -> int:
    """Index of the tier ``x`` falls in: 0 below ``breaks[0]``, ``len(breaks)`` at or above the last.

    Lower bounds are inclusive. ``breaks`` must be strictly ascending.

    >>> tier_index(5, [10, 20]), tier_index(10, [10, 20]), tier_index(25, [10, 20])
    (0, 1, 2)
    """
    for a, b in zip(breaks, breaks[1:]):
        if not a < b:
            msg = tr(
                "tier breakpoints must be strictly ascending, got {breakpoints}.", breakpoints=list(breaks)
            )
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
        return _formula_error(self.where, self.formula, message)

    def visit(self, node, depth=0, list_ok=False):
        if depth > MAX_DEPTH:
            raise self.fail(tr("nested more than {depth} levels deep; simplify it.", depth=MAX_DEPTH))
        d = depth + 1
        if isinstance(node, ast.Constant):
            v = node.value
            if isinstance(v, bool) or (isinstance(v, (int, float)) and not isinstance(v, complex)):
                if isinstance(v, float) and not math.isfinite(v):
                    raise self.fail(tr("the number {number} is not finite.", number=ast.unparse(node)))
                if isinstance(v, int) and abs(v) > 10**18:
                    raise self.fail(tr("the number {number} is too large.", number=v))
                return
            if isinstance(v, (str, bytes)):
                raise self.fail(tr("strings are not allowed; formulas work on numbers only."))
            raise self.fail(
                tr("the constant {value} are not allowed; formulas work on numbers only.", value=repr(v))
            )
        if isinstance(node, ast.Name):
            if node.id.startswith("_"):
                raise self.fail(tr("names starting with '_' are not allowed ('{name}').", name=node.id))
            if not isinstance(node.ctx, ast.Load):
                raise self.fail(tr("assignment to '{name}' is not allowed.", name=node.id))
            if node.id in _CONSTANT_NAMES:
                return
            if node.id in FUNCTIONS:
                raise self.fail(tr("'{name}' is a function; call it as {name}(...).", name=node.id))
            if self.known is not None and node.id not in self.known:
                raise self.fail(
                    tr(
                        "unknown name '{name}'. Known names: {names}. "
                        "Check the spelling, or define it as a value or an earlier step.",
                        name=node.id,
                        names=", ".join(sorted(self.known)),
                    )
                )
            self.names.add(node.id)
            return
        if isinstance(node, ast.BinOp):
            if type(node.op) not in _BINOPS:
                raise self.fail(
                    tr("{construct} is not allowed; use + - * / only.", construct=_describe(node))
                )
            self.visit(node.left, d)
            self.visit(node.right, d)
            return
        if isinstance(node, ast.UnaryOp):
            if not isinstance(node.op, (ast.USub, ast.UAdd, ast.Not)):
                raise self.fail(tr("{construct} is not allowed.", construct=_describe(node)))
            self.visit(node.operand, d)
            return
        if isinstance(node, ast.BoolOp):
            for v in node.values:
                self.visit(v, d)
            return
        if isinstance(node, ast.Compare):
            for op in node.ops:
                if type(op) not in _CMPOPS:
                    raise self.fail(tr("{construct} is not allowed.", construct=_describe(node)))
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
                raise self.fail(tr("lists are only allowed as the 2nd and 3rd arguments of tier(...)."))
            for e in node.elts:
                self.visit(e, d)
            return
        raise self.fail(
            tr("{construct} is not allowed. {allowed}", construct=_describe(node), allowed=_allowed_text())
        )

    def visit_call(self, node: ast.Call, d: int):
        if not isinstance(node.func, ast.Name):
            raise self.fail(
                tr(
                    "only the functions {functions} may be called, not '{called}'.",
                    functions=", ".join(FUNCTIONS),
                    called=ast.unparse(node.func),
                )
            )
        fname = node.func.id
        if fname not in FUNCTIONS:
            raise self.fail(
                tr(
                    "the function '{function}' is not allowed; use one of {functions}.",
                    function=fname,
                    functions=", ".join(FUNCTIONS),
                )
            )
        if node.keywords:
            raise self.fail(tr("{function}(...) takes no keyword arguments.", function=fname))
        if any(isinstance(a, ast.Starred) for a in node.args):
            raise self.fail(tr("star arguments are not allowed."))
        lo, hi = FUNCTIONS[fname]
        n = len(node.args)
        if n < lo or (hi is not None and n > hi):
            if lo == hi:
                msg = trn(
                    "{function}(...) takes {n} argument, got {got}.",
                    "{function}(...) takes {n} arguments, got {got}.",
                    lo,
                    function=fname,
                    got=n,
                )
            elif hi is None:
                msg = trn(
                    "{function}(...) takes at least {n} argument, got {got}.",
                    "{function}(...) takes at least {n} arguments, got {got}.",
                    lo,
                    function=fname,
                    got=n,
                )
            else:
                msg = tr(
                    "{function}(...) takes {low} to {high} arguments, got {got}.",
                    function=fname,
                    low=lo,
                    high=hi,
                    got=n,
                )
            raise self.fail(msg)
        if fname == "tier":
            self.visit(node.args[0], d)
            breaks, values = node.args[1], node.args[2]
            if not isinstance(breaks, ast.List) or not isinstance(values, ast.List):
                raise self.fail(
                    tr(
                        "tier(x, [breakpoints], [values]) needs two lists written in the formula, "
                        "e.g. tier(existing_far, [1.0, 2.5], [0.3, 0.2, 0.1])."
                    )
                )
            if len(values.elts) != len(breaks.elts) + 1:
                raise self.fail(
                    trn(
                        "tier(...) with {n} breakpoint needs {needed} values, got {got}.",
                        "tier(...) with {n} breakpoints needs {needed} values, got {got}.",
                        len(breaks.elts),
                        needed=len(breaks.elts) + 1,
                        got=len(values.elts),
                    )
                )
            self.visit(breaks, d, list_ok=True)
            self.visit(values, d, list_ok=True)
            consts = [e.value for e in breaks.elts if isinstance(e, ast.Constant)]
            if len(consts) == len(breaks.elts):
                tier_index(0, consts, self.fail)
            return
        for a in node.args:
            self.visit(a, d)


def _allowed_text() -> str:
    return tr(
        "Allowed: numbers, names, + - * /, parentheses, comparisons, and/or/not, 'a if c else b', "
        "and the functions {functions}.",
        functions=", ".join(FUNCTIONS),
    )


def _unreadable(where: str, formula: str, error: str, offset: int | None) -> RuleError:
    if offset:
        return _error(
            tr(
                "{where}: formula '{formula}' cannot be read at character {offset}: {error}.",
                where=where,
                formula=formula,
                offset=offset,
                error=error,
            ),
            tr(
                "formula '{formula}' cannot be read at character {offset}: {error}.",
                formula=formula,
                offset=offset,
                error=error,
            ),
        )
    return _error(
        tr(
            "{where}: formula '{formula}' cannot be read: {error}.", where=where, formula=formula, error=error
        ),
        tr("formula '{formula}' cannot be read: {error}.", formula=formula, error=error),
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
        kind = type(formula).__name__
        raise _error(
            tr("{where}: the formula must be text, got {type}.", where=where, type=kind),
            tr("the formula must be text, got {type}.", type=kind),
        )
    text = formula.strip()
    if not text:
        raise _error(tr("{where}: the formula is empty.", where=where), tr("the formula is empty."))
    if len(text) > MAX_LENGTH:
        raise _error(
            tr("{where}: the formula is longer than {length} characters.", where=where, length=MAX_LENGTH),
            tr("the formula is longer than {length} characters.", length=MAX_LENGTH),
        )
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as exc:
        raise _unreadable(where, text, exc.msg, exc.offset) from None
    except (RecursionError, MemoryError, ValueError) as exc:
        raise _unreadable(where, text, type(exc).__name__, None) from None
    v = _Validator(text, where, set(known) if known is not None else None)
    try:
        v.visit(tree.body)
    except RecursionError:
        raise v.fail(tr("nested more than {depth} levels deep; simplify it.", depth=MAX_DEPTH)) from None
    return Expr(text, where, tree, frozenset(v.names))
