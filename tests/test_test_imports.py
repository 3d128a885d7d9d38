"""Tests share fixtures through conftest.py and builders through tests/factories.py only.

A test module that imports another couples two files that pytest runs independently
(and may collect twice); this test keeps that from creeping back.
"""
from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def imported_test_modules(path: Path, source: str) -> list[str]:
    """The test modules (test_*.py, conftest.py) that `source`, the file at `path`, imports."""
    package = path.relative_to(TESTS.parent).with_suffix("").parts[:-1]
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules = [alias.name.split(".") for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = list(package[:len(package) - node.level + 1]) if node.level else []
            module = base + (node.module.split(".") if node.module else [])
            modules = [module + [alias.name] for alias in node.names]
        else:
            continue
        found.extend(".".join(parts) for parts in modules
                     if parts[0] == "tests"
                     and any(part.startswith("test_") or part == "conftest" for part in parts))
    return found


def test_no_test_module_imports_another():
    offenders = {str(path.relative_to(TESTS)): imported_test_modules(path, path.read_text("utf-8"))
                 for path in TESTS.rglob("*.py")}
    assert {path: modules for path, modules in offenders.items() if modules} == {}


def test_the_check_sees_relative_and_absolute_imports():
    source = ("from ..web.test_i18n import x\nfrom . import test_engine\n"
              "import tests.conftest\nfrom ..factories import write_article\n")
    assert imported_test_modules(TESTS / "search" / "test_example.py", source) == [
        "tests.web.test_i18n.x", "tests.search.test_engine", "tests.conftest"]
