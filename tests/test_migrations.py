"""Alembic migrations: an empty database upgrades to exactly what the models describe."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from portal.extensions import db

pytestmark = pytest.mark.db


def test_migrations_upgrade_an_empty_database_to_the_models(app):
    with app.app_context():
        tables = set(sa.inspect(db.engine).get_table_names())
        assert {"users", "revisions", "alembic_version"} <= tables
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
        assert diff == []


def test_sqlite_runs_in_wal_mode_with_foreign_keys(app):
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite only")
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_0009_marks_the_tickets_that_came_after_a_search(app):
    from flask_migrate import downgrade, upgrade

    with app.app_context():
        downgrade(revision="0008")
        tickets = sa.table("tickets", *(sa.column(name) for name in (
            "token", "subject", "email", "customer_name", "category", "status", "locale",
            "source", "session_id", "created_at", "updated_at")), sa.column("trail", sa.JSON))
        common = dict(subject="问题", email="c@example.com", customer_name="", category="usage",
                      status="open", locale="zh-Hans", session_id="",
                      created_at=db.func.now(), updated_at=db.func.now())
        with db.engine.begin() as conn:
            for token, source, trail in (
                    ("searched", "ask", {"searches": [{"query": "退款", "results": 0}], "votes": []}),
                    ("old-trail", "ask", [{"query": "发票"}]),  # the trail's first form
                    ("plain", "ask", {"searches": [], "votes": []}),
                    ("escalated", "escalated", {"searches": [], "votes": []})):
                conn.execute(sa.insert(tickets).values(token=token, source=source, trail=trail,
                                                       **common))
        upgrade()
        with db.engine.connect() as conn:
            flags = dict(conn.execute(sa.text("SELECT token, after_search FROM tickets")).all())
    assert {token: bool(flag) for token, flag in flags.items()} == {
        "searched": True, "old-trail": True, "plain": False, "escalated": True}
