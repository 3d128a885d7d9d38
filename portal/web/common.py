"""What every template can use: the reader's language and localized names."""
from __future__ import annotations

from flask import Flask, request
from flask_babel import gettext
from markupsafe import Markup

from portal.articles.render import render_markdown
from portal.i18n import LANGUAGE_NAMES, current_lang


def register(app: Flask) -> None:
    """Add the context processor and filters to the Jinja environment."""

    @app.context_processor
    def inject_language():
        return {"ui_lang": current_lang(), "language_names": LANGUAGE_NAMES,
                "current_path": request.full_path.rstrip("?")}

    @app.template_filter("markdown")
    def markdown_filter(text: str) -> Markup:
        return Markup(render_markdown(text or ""))  # sanitized by nh3 inside

    @app.template_filter("category_name")
    def category_name(category) -> str:
        return category.name(current_lang()) or gettext("Other")
