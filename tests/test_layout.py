"""The layout's import rules: audiences stay independent, pure layers stay pure, views stay thin.

These rules are what let a newcomer tell from the folders where a change goes; each one is
checked by parsing the imports of every module, so a cross-blueprint import fails here.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PORTAL = Path(__file__).resolve().parents[1] / "portal"
WEB = PORTAL / "web"
AUDIENCES = sorted(p.name for p in WEB.iterdir() if (p / "__init__.py").exists())
FRAMEWORKS = {"flask", "flask_babel", "flask_login", "flask_wtf", "flask_limiter",
              "flask_sqlalchemy", "flask_migrate", "sqlalchemy", "werkzeug", "wtforms"}
PURE = ["text", "articles/model.py", "articles/loader.py", "articles/render.py",
        "articles/categories.py", "search", "suggestions/engine", "files.py"]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PORTAL.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> list[str]:
    """Every module a file imports, relative imports resolved to absolute names."""
    own = module_name(path).split(".")
    package = own if path.name == "__init__.py" else own[:-1]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.append(module)
            found += [f"{module}.{alias.name}" for alias in node.names]
    return found


def modules(*relative: str) -> list[Path]:
    out = []
    for rel in relative:
        target = PORTAL / rel
        out += [target] if target.is_file() else sorted(target.rglob("*.py"))
    return out


def cross_audience_imports(path: Path) -> list[str]:
    own = path.relative_to(WEB).parts[0]
    return [m for m in imports(path) if m.startswith("portal.web.")
            and m.split(".")[2] in AUDIENCES and m.split(".")[2] != own]


@pytest.mark.parametrize("audience", AUDIENCES)
def test_an_audience_never_imports_another(audience):
    bad = {str(p): cross_audience_imports(p) for p in modules(f"web/{audience}")}
    assert not {k: v for k, v in bad.items() if v}


def test_the_rule_catches_a_cross_blueprint_import(tmp_path, monkeypatch):
    fake = WEB / "ops" / "_probe.py"
    fake.write_text("from portal.web.editor.forms import ArticleForm\nfrom ..agent import bp\n",
                    encoding="utf-8")
    try:
        assert cross_audience_imports(fake) == ["portal.web.editor.forms",
                                                "portal.web.editor.forms.ArticleForm",
                                                "portal.web.agent", "portal.web.agent.bp"]
    finally:
        fake.unlink()


@pytest.mark.parametrize("path", modules(*PURE), ids=lambda p: str(p.relative_to(PORTAL)))
def test_pure_layers_import_no_framework_and_no_impure_portal_code(path):
    pure_names = {module_name(p) for p in modules(*PURE)}
    for name in imports(path):
        assert name.split(".")[0] not in FRAMEWORKS, f"{path} imports {name}"
        if name.startswith("portal."):
            owner = next((m for m in sorted(pure_names, key=len, reverse=True)
                          if name == m or name.startswith(m + ".")), None)
            assert owner, f"{path} imports {name}, which is not a pure module"


@pytest.mark.parametrize("path", modules("web"), ids=lambda p: str(p.relative_to(PORTAL)))
def test_views_hold_no_data_access(path):
    """Views parse the request, call one domain function and render: no queries of their own."""
    for name in imports(path):
        assert name != "portal.extensions.db", f"{path} uses the database directly"
        assert name.split(".")[0] not in {"sqlalchemy", "flask_sqlalchemy"}, f"{path}: {name}"


@pytest.mark.parametrize("path", [p for p in modules("") if not p.is_relative_to(WEB)
                                  and p.name not in ("__init__.py", "cli.py")
                                  or p.parent == PORTAL and p.name == "cli.py"],
                         ids=lambda p: str(p.relative_to(PORTAL)))
def test_domains_never_import_the_web_layer(path):
    if path == PORTAL / "__init__.py":
        return
    assert not [m for m in imports(path) if m.startswith("portal.web")], path


def test_every_module_says_its_job():
    missing = [str(p.relative_to(PORTAL)) for p in modules("")
               if "migrations" not in p.parts and not ast.get_docstring(
                   ast.parse(p.read_text(encoding="utf-8")))]
    assert not missing
