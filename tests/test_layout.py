"""The layout the README describes holds: layers, sizes, and a map of every module.

- Nothing under ``graph/`` imports ``webapp/`` (the vocabulary, the store and the
  exports work without the web app), except the command line's ``serve``, which starts it.
- No module over about 500 lines, no function over about 80 (complexity is ruff's C901,
  set to 25 in pyproject.toml).
- README's module map names every module of ``graph/`` and ``webapp/``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from graph.config import PROJECT_ROOT

PACKAGES = ("graph", "webapp")
MODULE_LINES = 550  # "about 500"
FUNCTION_LINES = 80


def modules() -> list[Path]:
    return sorted(path for package in PACKAGES for path in (PROJECT_ROOT / package).rglob("*.py"))


def test_the_graph_package_does_not_import_the_web_app():
    found = []
    for path in (PROJECT_ROOT / "graph").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        allowed = {id(node) for function in ast.walk(tree)
                   # the two commands that run the web app: serve it, or write its pages
                   if isinstance(function, ast.FunctionDef) and function.name in ("serve", "site")
                   and path.name == "cli.py" for node in ast.walk(function)}
        for node in ast.walk(tree):
            names = ([alias.name for alias in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            if any(name.split(".")[0] == "webapp" for name in names) and id(node) not in allowed:
                found.append(f"{path.relative_to(PROJECT_ROOT)}:{node.lineno}")
    assert found == []


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PROJECT_ROOT)))
def test_modules_and_functions_are_short(path):
    text = path.read_text(encoding="utf-8")
    assert text.count("\n") <= MODULE_LINES, "split this module"
    long = [f"{node.name}: {node.end_lineno - node.lineno + 1} lines"
            for node in ast.walk(ast.parse(text))
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            and node.end_lineno - node.lineno + 1 > FUNCTION_LINES]
    assert long == [], "split these functions"


def _has_code(path: Path) -> bool:
    """More than a docstring (a package's ``__init__.py`` may hold only one)."""
    body = ast.parse(path.read_text(encoding="utf-8")).body
    return any(not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant))
               for node in body)


def test_the_readme_maps_every_module():
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    missing = [name for name in (path.relative_to(PROJECT_ROOT).as_posix()
                                 for path in modules() if _has_code(path))
               if f"`{name}`" not in readme]
    assert missing == [], "add these to README's module map"
