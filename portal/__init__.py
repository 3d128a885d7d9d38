"""Help Portal: a self-hosted, Chinese-first knowledge base and self-service help portal.

`create_app` is the one place the application is assembled: settings, extensions,
services (articles, search) and one blueprint per audience.
"""
from __future__ import annotations

import os

from flask import Flask

from . import config, errors, security, templating
from .content.repository import ArticleRepository
from .extensions import babel, csrf
from .i18n import select_locale

PROJECT_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def create_app(test_config: dict | None = None) -> Flask:
    """Build the Flask application; test_config overrides the environment."""
    app = Flask(__name__, instance_relative_config=True,
                template_folder=os.path.join(PROJECT_ROOT, "templates"))
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_mapping(config.from_environment(app.instance_path))
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = os.path.join(app.root_path, "translations")
    if test_config:
        app.config.update(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = config.secret_key(app.instance_path)

    babel.init_app(app, locale_selector=select_locale)
    csrf.init_app(app)

    repository = ArticleRepository(app.config["ARTICLES_DIR"], app.config["RESCAN_SECONDS"])
    app.extensions["portal.articles"] = repository
    repository.refresh()

    from .public import bp as public_bp

    app.register_blueprint(public_bp)
    errors.register(app)
    templating.register(app)
    security.register(app)

    from .cli import register_commands

    register_commands(app)
    return app
