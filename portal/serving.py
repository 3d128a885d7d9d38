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
from flask import Flask
from sqlalchemy.exc import SQLAlchemyError

from portal import services
from portal.database import MIGRATIONS
from portal.extensions import db


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


def readiness() -> tuple[bool, dict]:
    """(ready, details) for /readyz: the database answers and the schema is current.

    index_lag_seconds is how much older this worker's search index is than the newest
    article file it knows (0 when the index caught up); null when no index exists yet.
    """
    try:
        current, head = schema_revisions()
    except SQLAlchemyError as exc:
        return False, {"database": f"unavailable: {exc.__class__.__name__}", "schema": None}
    repository = services.articles()
    indexed = services.search().updated_at()
    newest = repository.newest_change()
    lag = None if indexed is None else round(max(0.0, (newest or 0.0) - indexed), 3)
    return current == head, {"database": "ok", "schema": current, "schema_head": head,
                             "articles": len(repository.articles), "index_lag_seconds": lag}


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
