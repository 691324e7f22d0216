"""The plugin's import structure: no import cycle among its modules, and no QGIS in the core.

The graph is built with :mod:`ast` from every ``import`` / ``from ... import`` statement of the
shipped plugin (module level and inside functions alike; a lazy import inside a function still
closes a loop, it only hides it at import time). Only ``if TYPE_CHECKING:`` blocks are left out,
since they never run. A package's ``__init__`` is a node of its own: importing ``a.b`` is not
counted as importing ``a``.

Cycles that another part of issue 20 still has to break are listed in :data:`KNOWN_CYCLES`; the
list must shrink: a listed cycle that is gone fails the test until its entry is removed.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
#: the folders and root files shipped in the plugin (tests, scripts, benchmarks and docs are not)
SHIPPED = ("allocation", "cli", "processing", "report", "ui", "sample")

#: Import cycles still to be broken (issue 20), each the set of modules of one strongly connected
#: component. Empty it as the moves land; never add to it.
KNOWN_CYCLES: list[frozenset] = []


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)  # "" is the plugin's own __init__


def _sources() -> dict:
    files = sorted(ROOT.glob("*.py"))  # __init__, plugin, deps, qgis_compat, qgisio ...
    for folder in SHIPPED:
        files += sorted(p for p in (ROOT / folder).rglob("*.py") if "__pycache__" not in p.parts)
    return {_module_name(p): p for p in files}


def _is_type_checking(node) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _import_nodes(tree):
    """Every import statement of ``tree`` except those under ``if TYPE_CHECKING:``."""
    stack = [tree]
    while stack:
        node = stack.pop()
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                stack.extend(child.orelse)
                continue
            if isinstance(child, (ast.Import, ast.ImportFrom)):
                yield child
            stack.append(child)


def _resolve(name: str, path: Path, node) -> list:
    """The plugin modules an import statement of module ``name`` (file ``path``) names."""
    if isinstance(node, ast.Import):
        targets = [a.name for a in node.names]
    else:
        if node.level:
            package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
            package = [p for p in package if p]
            if node.level > 1:
                package = package[: len(package) - (node.level - 1)]
            base = ".".join([*package, *([node.module] if node.module else [])])
        else:
            base = node.module or ""
        targets = [f"{base}.{a.name}" if base else a.name for a in node.names] + [base]
        # "from pkg import module" names the module; "from pkg import function" names pkg
        return [t for t in targets if t]
    return targets


def _graph(sources: dict) -> dict:
    graph: dict = {m: set() for m in sources}
    for name, path in sources.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in _import_nodes(tree):
            candidates = _resolve(name, path, node)
            if isinstance(node, ast.ImportFrom):
                base = candidates[-1]
                named = [c for c in candidates[:-1] if _known(c, sources) is not None]
                hits = [_known(c, sources) for c in named] or [_known(base, sources)]
            else:
                hits = [_known(c, sources) for c in candidates]
            graph[name] |= {h for h in hits if h is not None and h != name}
    return graph


def _known(dotted: str, sources: dict):
    """The plugin module ``dotted`` names (with or without the ``landcoord.`` prefix), or None."""
    if dotted.startswith("landcoord."):
        dotted = dotted[len("landcoord.") :]
    elif dotted == "landcoord":
        dotted = ""
    return dotted if dotted in sources else None


def _cycles(graph: dict) -> list:
    """The strongly connected components of more than one module (Tarjan), each as a set."""
    index: dict = {}
    low: dict = {}
    on_stack: set = set()
    stack: list = []
    out: list = []
    counter = [0]

    def visit(v):  # recursion depth is bounded by the module count (a few hundred)
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.add(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(frozenset(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def _one_loop(graph: dict, comp: frozenset) -> list:
    """A concrete loop through the component, for the message: a -> b -> ... -> a."""
    start = min(comp)
    paths = {start: [start]}
    queue = [start]
    while queue:
        v = queue.pop(0)
        for w in sorted(graph[v] & comp):
            if w == start:
                return [*paths[v], start]
            if w not in paths:
                paths[w] = [*paths[v], w]
                queue.append(w)
    return sorted(comp)


def _show(loop) -> str:
    return " -> ".join(m or "<plugin __init__>" for m in loop)


def test_the_graph_sees_lazy_and_relative_imports():
    """The graph builder itself: a function-level relative import is an edge, TYPE_CHECKING is not."""
    sources = _sources()
    graph = _graph(sources)
    # processing/hearing_maps.py imports the report's writer inside processAlgorithm
    assert "report.pack" in graph["processing.hearing_maps"]
    # "from ..allocation import fonts as _fonts" names the module allocation.fonts
    assert "allocation.fonts" in graph["report.fonts"]
    loops = _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}})
    assert loops == [frozenset({"a", "b", "c"})]
    assert _one_loop({"a": {"b"}, "b": {"a"}}, frozenset({"a", "b"})) == ["a", "b", "a"]


def test_no_import_cycle():
    graph = _graph(_sources())
    found = _cycles(graph)
    new = [c for c in found if not any(c <= known for known in KNOWN_CYCLES)]
    assert not new, "import cycle(s) among the plugin's modules:\n" + "\n".join(
        _show(_one_loop(graph, c)) for c in new
    )
    gone = [known for known in KNOWN_CYCLES if not any(c & known and c <= known for c in found)]
    assert not gone, f"cycles of KNOWN_CYCLES no longer exist; remove them from the list: {gone}"


def _top(module: str) -> str:
    return module.split(".")[0] if module else "<plugin __init__>"


def test_no_import_cycle_between_packages():
    """The packages (allocation, cli, processing, report, ui ...) import each other one way only:
    processing/ and report/ share the QGIS <-> GeoDataFrame conversions of qgisio.py, neither
    imports the other's helpers back."""
    graph = _graph(_sources())
    packages: dict = {}
    for module, targets in graph.items():
        packages.setdefault(_top(module), set()).update(_top(t) for t in targets if _top(t) != _top(module))
    found = _cycles(packages)
    assert not found, (
        "import cycle(s) between packages:\n"
        + "\n".join(_show(_one_loop(packages, c)) for c in found)
        + "\nmodules behind each edge: "
        + "; ".join(
            f"{a} -> {b}"
            for a, bs in graph.items()
            for b in bs
            if _top(a) != _top(b) and any({_top(a), _top(b)} <= c for c in found)
        )
    )


@pytest.mark.parametrize("folder", ["allocation"])
def test_core_imports_no_qgis(folder):
    bad = []
    for path in sorted((ROOT / folder).rglob("*.py")):
        for node in _import_nodes(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            if any(n == "qgis" or n.startswith(("qgis.", "PyQt")) for n in names):
                bad.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not bad, f"the core imports QGIS / Qt: {bad}"


# -- long functions (issue 20: "no function in allocation/ over ~80 lines without a stated reason") ---------

#: A function whose body (docstring excluded) is longer than this many lines states why, in a comment
#: ``# long: <reason>`` on the line after its docstring (or, without a docstring, on the line before its
#: first statement).
LONG_FUNCTION = 80

#: Long functions another engineer is still splitting ("path:qualname"). Never add to it; a listed
#: function that is no longer long fails the test until its entry is removed, so the list shrinks.
KNOWN_LONG: set = set()


def _long_functions(source: str):
    """``(qualname, body lines, reason or None)`` of every function of ``source`` whose body, docstring
    excluded, is over :data:`LONG_FUNCTION` lines; ``reason`` is the text of its ``# long:`` comment."""
    lines = source.splitlines()
    out = []

    def visit(node, prefix):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                name = f"{prefix}{child.name}"
                out.extend(_long(child, name, lines))
                visit(child, f"{name}.<locals>.")
            elif isinstance(child, ast.ClassDef):
                visit(child, f"{prefix}{child.name}.")
            else:
                visit(child, prefix)

    visit(ast.parse(source), "")
    return out


def _long(func, name: str, lines: list):
    body = func.body
    first = body[0]
    has_doc = (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
    )
    if has_doc:
        if len(body) == 1:
            return []
        start, comment_line = body[1].lineno, first.end_lineno + 1
    else:
        start, comment_line = first.lineno, first.lineno - 1
    n = func.end_lineno - start + 1
    if n <= LONG_FUNCTION:
        return []
    text = lines[comment_line - 1].strip() if 0 < comment_line <= len(lines) else ""
    reason = text[len("# long:") :].strip() if text.startswith("# long:") else None
    return [(name, n, reason or None)]


def test_the_long_function_check_itself():
    """A body over the limit without "# long:" is caught; with it, or long by its docstring only, not."""
    filler = "".join(f"    x{i} = {i}\n" for i in range(LONG_FUNCTION + 1))
    doc = '    """Doc."""\n'
    long_doc = '    """' + "\n" * (LONG_FUNCTION + 5) + '    """\n'
    src = (
        f"def bare():\n{doc}{filler}"
        f"def stated():\n{doc}    # long: one table of constants\n{filler}"
        f"def no_doc():\n    # long: generated\n{filler}"
        f"def wordy():\n{long_doc}    return 1\n"
        f"class K:\n    def method(self):\n{''.join('    ' + ln + chr(10) for ln in filler.splitlines())}"
    )
    got = {name: (n, reason) for name, n, reason in _long_functions(src)}
    assert got == {
        "bare": (LONG_FUNCTION + 1, None),
        "stated": (LONG_FUNCTION + 1, "one table of constants"),
        "no_doc": (LONG_FUNCTION + 1, "generated"),
        "K.method": (LONG_FUNCTION + 1, None),
    }


def test_long_functions_in_the_core_say_why():
    found = {}
    for path in sorted((ROOT / "allocation").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        for name, n, reason in _long_functions(path.read_text(encoding="utf-8")):
            found[f"{rel}:{name}"] = (n, reason)
    unstated = [
        f"{key} ({n} lines)" for key, (n, reason) in found.items() if reason is None and key not in KNOWN_LONG
    ]
    assert not unstated, (
        f"functions of allocation/ longer than {LONG_FUNCTION} lines (docstring excluded): split them into "
        f"named phases, or state why on the line after the docstring ('# long: <reason>'): {unstated}"
    )
    done = sorted(KNOWN_LONG - {key for key, (_n, reason) in found.items() if reason is None})
    assert not done, f"no longer long (or now say why): remove them from KNOWN_LONG: {done}"
