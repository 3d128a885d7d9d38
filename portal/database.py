"""Binding the SQL layer (SQLite in WAL mode with foreign keys, or PostgreSQL) and the
column types every domain's models share."""
from __future__ import annotations

import contextlib
import logging
import os
from datetime import datetime, timezone

from flask import Flask
from sqlalchemy import DateTime, event
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.types import TypeDecorator

from portal.extensions import db, migrate
from portal.files import file_lock

def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator):
    """A timestamp stored in UTC and always read back timezone-aware (SQLite forgets)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc) if value is not None else None

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value


MIGRATION_LOCK_KEY = 0x706F7274616C  # "portal": one advisory lock key for schema changes
MIGRATION_LOCK_WAIT = 600  # seconds another `db upgrade` may hold the SQLite file lock
MIGRATIONS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "migrations")


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record):
    """WAL lets readers and a writer work at once; SQLite enforces foreign keys only if asked."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA synchronous=NORMAL")  # safe in WAL mode, no fsync per commit
        cursor.close()


@contextlib.contextmanager
def migration_lock(connection: Connection):
    """Let one `portal db upgrade` at a time change the schema; the others wait, then find
    it current. PostgreSQL: a session advisory lock; SQLite: a file lock beside the file."""
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"SELECT pg_advisory_lock({MIGRATION_LOCK_KEY})")
        connection.commit()
        try:
            yield
        finally:
            connection.exec_driver_sql(f"SELECT pg_advisory_unlock({MIGRATION_LOCK_KEY})")
            connection.commit()
    elif connection.dialect.name == "sqlite" and connection.engine.url.database not in (
            None, "", ":memory:"):
        with file_lock(connection.engine.url.database + ".migrate.lock", MIGRATION_LOCK_WAIT):
            yield
    else:
        yield


def init_app(app: Flask) -> None:
    """Bind SQLAlchemy and Alembic (through Flask-Migrate) to the app."""
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("postgresql://"):
        app.config["SQLALCHEMY_DATABASE_URI"] = "postgresql+psycopg://" + uri[len("postgresql://"):]
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"pool_pre_ping": True})
    _private_sqlite_file(app.config["SQLALCHEMY_DATABASE_URI"])
    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS, render_as_batch=True)
    import_models()


def _private_sqlite_file(uri: str) -> None:
    """Create the SQLite file readable by its owner only (0600) before SQLite does (it
    would use 0644); SQLite gives its -wal and -shm files the same mode."""
    url = make_url(uri)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return
    path = os.path.abspath(url.database)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    try:
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
        os.chmod(path, 0o600)
    except OSError as exc:  # another owner's file: SQLite itself says what is wrong
        logging.getLogger(__name__).warning("cannot make %s private: %s", path, exc)


def import_models() -> None:
    """Import every domain's models so SQLAlchemy and Alembic know all tables."""
    from portal.accounts import models as _accounts  # noqa: F401
    from portal.articles import revisions as _revisions  # noqa: F401
    from portal.articles import stored as _stored  # noqa: F401
    from portal.feedback import models as _feedback  # noqa: F401
    from portal.jobs import models as _jobs  # noqa: F401
    from portal.insights import models as _insights  # noqa: F401
    from portal.suggestions import models as _suggestions  # noqa: F401
    from portal.tickets import models as _tickets  # noqa: F401
