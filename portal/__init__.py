"""Help Portal: a self-hosted, Chinese-first knowledge base and self-service help portal.

`create_app` is the one place the application is assembled: settings, extensions,
services (articles, search) and one blueprint per audience.
"""
from __future__ import annotations

import contextlib
import os

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from portal import config, database, files
from portal.web import access_log, errors, security, common as templating
from portal.search import indexing
from portal.articles.repository import ArticleRepository
from portal.articles.sources import DatabaseSource
from portal.extensions import babel, csrf, limiter, login_manager
from portal.i18n import select_locale
from portal.search.whoosh.engine import WhooshEngine
from portal.feedback import visitors
from portal.feedback.recorder import SignalRecorder
from portal.insights.businesshours import BusinessHours

PROJECT_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def create_app(test_config: dict | None = None, instance_path: str | None = None) -> Flask:
    """Build the Flask application; test_config overrides the environment.

    `instance_path` (default: PORTAL_INSTANCE_DIR, else `instance/` of the project) holds
    the SQLite file and the generated secret key; tests give each app a temporary one.
    """
    app = Flask(__name__, instance_path=instance_path or config.instance_dir(),
                instance_relative_config=True,
                template_folder=os.path.join(PROJECT_ROOT, "templates"))
    with contextlib.suppress(OSError):  # a read-only instance folder is refused when serving
        files.private_folder(app.instance_path)
    app.config.from_mapping(config.from_environment(app.instance_path))
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = os.path.join(app.root_path, "translations")
    if test_config:
        app.config.update(test_config)
    app.config["BUSINESS_HOURS"] = BusinessHours.parse(app.config.get("BUSINESS_HOURS"))
    app.json.ensure_ascii = False  # docs/api.md: Chinese stays UTF-8 (Flask 3 ignores JSON_AS_ASCII)
    if app.config["PROXY_HOPS"]:  # the client's address, not the proxy's, for limits and bots
        hops = app.config["PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = config.secret_key(app.instance_path)

    babel.init_app(app, locale_selector=select_locale)
    csrf.init_app(app)
    database.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config.get("REDIS_URL") or "memory://")
    config.share_limits_between_workers(app.config)
    limiter.init_app(app)
    visitors.init_app(app)

    app.config["WATCH_ARTICLES"] = config.watch_articles(app.config)
    # Articles come from the database every node shares; searches only read this node's
    # index, which the job runner's index follower keeps in step (never a request).
    repository = ArticleRepository(DatabaseSource(), app.config["RESCAN_SECONDS"])
    app.extensions["portal.articles"] = repository
    engine = WhooshEngine(app.config["INDEX_DIR"],
                          documents_provider=lambda: indexing.all_documents(repository),
                          open_now=False, repair_on_read=False)
    app.extensions["portal.search"] = engine
    app.extensions["portal.signals"] = SignalRecorder(app)

    from portal.web.admin import bp as admin_bp
    from portal.web.agent import bp as agent_bp
    from portal.web.api import bp as api_bp
    from portal.web.auth import bp as auth_bp
    from portal.web.health import bp as health_bp
    from portal.web.editor import bp as editor_bp
    from portal.web.ops import bp as ops_bp
    from portal.web.public import bp as public_bp

    templating.register_converters(app)
    for blueprint in (public_bp, auth_bp, editor_bp, ops_bp, agent_bp, admin_bp, api_bp,
                      health_bp):
        app.register_blueprint(blueprint)
    errors.register(app)
    templating.register(app)
    security.register(app)
    access_log.install()

    from portal.cli import register_commands

    register_commands(app)
    return app
