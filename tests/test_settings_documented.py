"""Every rate limit is a setting with its default in portal/config.py, listed in the README."""
from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LITERAL_LIMIT = re.compile(r"\d+\s*(?:per|/)\s*(?:second|minute|hour|day)", re.IGNORECASE)


def environment_defaults() -> dict[str, str]:
    """{variable: default} of every os.environ.get(name, default) in portal/config.py."""
    tree = ast.parse((ROOT / "portal" / "config.py").read_text(encoding="utf-8"))
    return {node.args[0].value: node.args[1].value for node in ast.walk(tree)
            if isinstance(node, ast.Call) and ast.unparse(node.func) == "os.environ.get"
            and len(node.args) == 2}


def readme_settings() -> dict[str, str]:
    """{variable: default} of the README's settings table."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return dict(re.findall(r"^\| `([A-Z_]+)` \| `?([^|`]*?)`? \|", readme, re.MULTILINE))


def test_every_rate_limit_setting_is_in_the_readme_with_its_default():
    limits = {name: default for name, default in environment_defaults().items()
              if LITERAL_LIMIT.search(default)}
    assert set(limits) == {"PORTAL_API_RATE_LIMIT", "PORTAL_LOGIN_RATE_LIMIT",
                           "PORTAL_LOGIN_ADDRESS_RATE_LIMIT", "PORTAL_ASK_RATE_LIMIT",
                           "PORTAL_ASK_OPEN_RATE_LIMIT", "PORTAL_VOTE_RATE_LIMIT",
                           "PORTAL_BOT_SEARCH_RATE", "PORTAL_RESEND_RATE_LIMIT"}
    documented = readme_settings()
    assert {name: documented.get(name) for name in limits} == limits


def test_no_rate_limit_is_written_outside_the_config():
    found = {str(path.relative_to(ROOT)): LITERAL_LIMIT.findall(path.read_text(encoding="utf-8"))
             for path in (ROOT / "portal").rglob("*.py") if path.name != "config.py"}
    assert {path: limits for path, limits in found.items() if limits} == {}


def test_every_setting_the_config_reads_is_in_the_readme():
    source = (ROOT / "portal" / "config.py").read_text(encoding="utf-8")
    read = set(re.findall(r'(?:environ\.get\(|environ\[|_env_path\()"([A-Z_]+)"', source))
    assert {"PORTAL_BUSINESS_HOURS", "PORTAL_TIMEZONE", "DATABASE_URL"} <= read
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([A-Z_]+)` \|", readme, re.MULTILINE))
    assert read - documented == set()
