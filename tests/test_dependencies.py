"""setup.cfg declares what the portal imports, and only the server needs gunicorn."""
from __future__ import annotations

import ast
import configparser
import re
import sys
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def requirement_names(block: str) -> set[str]:
    """Normalised distribution names of a setup.cfg requirement list."""
    return {re.split(r"[<>=!~\[; ]", line.strip(), maxsplit=1)[0].lower().replace("_", "-")
            for line in block.splitlines() if line.strip()}


def setup_cfg() -> configparser.ConfigParser:
    parser = configparser.ConfigParser()
    parser.read(ROOT / "setup.cfg", encoding="utf-8")
    return parser


def imported_top_level_modules() -> set[str]:
    """Every third-party top-level module that portal/ imports."""
    found = set()
    for path in (ROOT / "portal").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return found - set(sys.stdlib_module_names) - {"portal", "__future__"}


def test_every_imported_library_is_declared():
    declared = requirement_names(setup_cfg()["options"]["install_requires"])
    distributions = packages_distributions()
    undeclared = {module: distributions.get(module) for module in imported_top_level_modules()
                  if not {name.lower().replace("_", "-")
                          for name in distributions.get(module, [])} & declared}
    assert undeclared == {}
    assert "limits" in declared  # portal.feedback.visitors uses it directly


def test_gunicorn_is_an_extra_for_servers_and_the_readme_installs_it():
    parser = setup_cfg()
    assert "gunicorn" not in requirement_names(parser["options"]["install_requires"])
    assert requirement_names(parser["options.extras_require"]["server"]) == {"gunicorn"}
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "pip install '.[server]'" in readme and "gunicorn -c gunicorn.conf.py" in readme
