"""Whether this process may serve customers: the checks a web worker makes before it
starts (gunicorn.conf.py) and the answers of the load balancer's /healthz and /readyz.

CLI commands never make these checks: `portal db upgrade` must run on a database that
is behind, and must not need a writable instance folder on a read-only image.
"""
from __future__ import annotations

import os
import tempfile

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask, current_app
from sqlalchemy.exc import SQLAlchemyError

from portal import services
from portal.articles import store
from portal.database import MIGRATIONS, utcnow
from portal.extensions import db
from portal.search import following

INDEX_LAG_LIMIT = 30.0  # seconds a node's index may trail the latest article change


def schema_revisions() -> tuple[str | None, str]:
    """(the database's Alembic revision, the code's head revision); raises if unreachable."""
    head = ScriptDirectory(MIGRATIONS).get_current_head()
    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision(), head


def refusals(app: Flask) -> list[str]:
    """Every reason this app must not serve web requests, in words an operator can act on."""
    problems = []
    with app.app_context():
        try:
            current, head = schema_revisions()
            if current != head:
                problems.append(f"the database schema is at {current or 'nothing'}, the code "
                                f"needs {head}: run `portal db upgrade` first")
        except SQLAlchemyError as exc:
            problems.append(f"the database does not answer: {exc.__class__.__name__}: {exc}")
        finally:
            db.engine.dispose()  # no connection may cross gunicorn's fork
    if db_dialect(app) == "postgresql" and not os.environ.get("SECRET_KEY"):
        problems.append("SECRET_KEY is not set: with PostgreSQL every node must share one "
                        "(sessions and CSRF tokens signed on one node are checked on another)")
    if not writable(app.instance_path):
        problems.append(f"the instance folder {app.instance_path} is not writable "
                        "(set PORTAL_INSTANCE_DIR to a writable folder)")
    return problems


def refuse_unless_fit(app: Flask) -> None:
    """Stop the process with a clear message when the app must not serve."""
    problems = refusals(app)
    if problems:
        raise SystemExit("Help Portal will not serve: " + "; ".join(problems))


def load_articles_before_forking(app: Flask) -> int:
    """Parse every article once in gunicorn's master, so no worker's first request pays
    it (4.7 s at 10k articles); each worker then only reads the changes made since. The
    connections used are closed before the fork. The number of articles loaded."""
    with app.app_context():
        try:
            return len(services.articles().articles)
        finally:
            db.session.remove()
            db.engine.dispose()  # no connection may cross gunicorn's fork


def readiness() -> tuple[bool, dict]:
    """(ready, details) for /readyz: the database answers, the schema is current and this
    node's search index is within INDEX_LAG_LIMIT seconds of the latest article change.

    index_lag_seconds is how long the oldest change the index has not applied has waited
    (0 when it caught up).
    """
    try:
        current, head = schema_revisions()
        latest = store.latest_sequence() if current == head else 0
        lag = following.lag_seconds(current_app.config["INDEX_DIR"], latest,
                                    store.first_change_after, utcnow())
        articles = len(services.articles().articles) if current == head else None
    except SQLAlchemyError as exc:
        return False, {"database": f"unavailable: {exc.__class__.__name__}", "schema": None}
    ready = current == head and lag <= INDEX_LAG_LIMIT
    return ready, {"database": "ok", "schema": current, "schema_head": head,
                   "articles": articles, "index_lag_seconds": lag}


def db_dialect(app: Flask) -> str:
    """The SQL dialect of the app's database URL, without connecting."""
    return app.config["SQLALCHEMY_DATABASE_URI"].partition(":")[0].partition("+")[0]


def writable(folder: str) -> bool:
    """True when a file can be created (and removed) in `folder`, whoever we run as."""
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".write-check-"):
            return True
    except OSError:
        return False
