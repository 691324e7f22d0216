"""The examples in the core's docstrings run and give what they say."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import landcoord.allocation


def _modules():
    names = [m.name for m in pkgutil.walk_packages(landcoord.allocation.__path__, "landcoord.allocation.")]
    return sorted(names) + ["landcoord.deps", "landcoord.sample.fabric"]


@pytest.mark.parametrize("name", _modules())
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0


def test_core_never_imports_qgis():
    import ast
    from pathlib import Path

    root = Path(landcoord.allocation.__file__).parent
    for path in root.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            assert not any(n == "qgis" or n.startswith("qgis.") or n.startswith("PyQt") for n in names), path
