"""Fixtures for backup tests: a filled portal, an empty one, on SQLite or PostgreSQL, and
a row-for-row comparison of two databases.

The filler writes rows into every table of the models' metadata, whatever it is, with
values of every kind at their edges (Chinese and emoji text, newlines and quotes,
timestamps with microseconds, nested JSON, NULLs), so a table added later is covered
without a change here; a few rows also come from the portal's own functions (accounts,
tickets with messages, searches, votes, revisions of the sample articles).
"""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from portal.backup.archive import EXCLUDED_TABLES
from portal.backup.values import column_kind
from portal.extensions import db
from tests.factories import PASSWORD

ROWS = 5
BASE_TIME = datetime(2026, 3, 1, 8, 30, 15, 123456, tzinfo=timezone.utc)
BASE_DAY = date(2026, 3, 1)


def _value(table, column, i: int, parents: dict[str, list]):
    kind = column_kind(column)
    if column.foreign_keys:
        target = next(iter(column.foreign_keys)).column
        ids = parents.get(target.table.name) or []
        if not ids:
            return None
        return ids[i % len(ids)] if not column.primary_key else ids[i]
    if column.nullable and not column.primary_key and i % 3 == 2:
        return None
    length = getattr(column.type, "length", None)
    if kind == "str":
        text = f"{i}-{column.name} 退款 ✓ \"引号\"\n第二行 😀"
        if length and length < len(text) + 2:
            text = f"{i}{column.name}"[:length]
        return text
    if kind == "int":
        return i + 1 if column.primary_key else i * 7 + 1
    if kind == "float":
        return i + 0.125
    if kind == "bool":
        return i % 2 == 0
    if kind == "datetime":
        return BASE_TIME + timedelta(days=i, microseconds=i)
    if kind == "date":
        return BASE_DAY + timedelta(days=i)
    if kind == "json":
        return {"i": i, "中文": [1, 2.5, None, True, "é"], "nested": {"a": [{"b": "c"}]}}
    if kind == "bytes":
        return bytes(range(i, i + 8))
    raise AssertionError(f"no generator for {kind}")


def fill_every_table(rows: int = ROWS) -> None:
    """ROWS generated rows in every table (after any the portal's functions wrote)."""
    parents: dict[str, list] = {}
    with db.engine.begin() as conn:
        for table in db.metadata.sorted_tables:
            pk = list(table.primary_key.columns)
            offset = 0
            if len(pk) == 1 and column_kind(pk[0]) == "int" and not pk[0].foreign_keys:
                offset = conn.scalar(sa.select(sa.func.coalesce(sa.func.max(pk[0]), 0)))
            # other unique whole numbers (the articles' change numbers) go past existing ones
            unique = {ix.columns[0] for ix in table.indexes if ix.unique and len(ix.columns) == 1}
            shifts = {c.name: conn.scalar(sa.select(sa.func.coalesce(sa.func.max(c), 0)))
                      for c in unique if column_kind(c) == "int"}
            batch = []
            for i in range(rows):
                row = {c.name: _value(table, c, i, parents) for c in table.columns}
                if offset and pk:
                    row[pk[0].name] = offset + i + 1
                for name, shift in shifts.items():
                    row[name] += shift
                batch.append(row)
            conn.execute(table.insert(), batch)
            if len(pk) == 1:
                parents[table.name] = list(conn.scalars(sa.select(pk[0]).order_by(pk[0])))


def table_rows(app) -> dict[str, list[tuple]]:
    """Every backed-up table's rows in primary key order, as the models read them."""
    with app.app_context():
        with db.engine.connect() as conn:
            return {table.name: [tuple(row) for row in conn.execute(
                        sa.select(table).order_by(*table.primary_key.columns))]
                    for table in db.metadata.sorted_tables if table.name not in EXCLUDED_TABLES}


@pytest.fixture
def pg_url(request):
    """An empty PostgreSQL database (skipped without PORTAL_TEST_POSTGRES_URL)."""
    url = request.getfixturevalue("postgres_server_url")
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()
    return url


def as_restored(app, rows: dict[str, list[tuple]], include_secrets: bool) -> dict[str, list[tuple]]:
    """What a restore of these rows must give: references to API tokens (never backed up)
    emptied, no article marked as held by a watched folder (the target machine's folder
    never held it), and without include_secrets no password hash or session token."""
    from portal.backup.archive import SECRET_COLUMNS

    out = {}
    with app.app_context():
        for table in db.metadata.sorted_tables:
            if table.name not in rows:
                continue
            names = list(table.columns.keys())
            blank = {c.name: None for c in table.columns
                     if any(fk.column.table.name in EXCLUDED_TABLES for fk in c.foreign_keys)}
            if table.name == "articles":
                blank["disk_fingerprint"] = None
            if not include_secrets:
                blank.update(SECRET_COLUMNS.get(table.name, {}))
            out[table.name] = [tuple(blank.get(name, value) if name in blank else value
                                     for name, value in zip(names, row))
                               for row in rows[table.name]]
    return out


@pytest.fixture
def filled_portal(make_app, sample_articles):
    """Builds a portal with the sample articles (and their disk revisions), a staff
    account, a ticket with messages, searches, votes, an API token, and generated rows in
    every table."""
    from portal.accounts import tokens
    from portal.accounts import users as accounts
    from tests.factories import new_ticket, search_row, vote_row

    def build(**overrides):
        app = make_app(**overrides)
        new_ticket(app, subject="退款没到账", body="我的订单退款没到账，电话 13800138000")
        with app.app_context():
            admin = accounts.create_user("admin@example.com", PASSWORD, "admin", "管理员")
            tokens.create("zammad", "read-write", created_by=admin)
            search_row("怎么退款", BASE_TIME, opened="refunds")
            search_row("发票 抬头", BASE_TIME + timedelta(hours=1), results=0)
            vote_row("refunds", True, BASE_TIME)
            db.session.commit()
            db.session.remove()
            fill_every_table()
        return app

    return build


@pytest.fixture(name="table_rows")
def table_rows_fixture():
    """table_rows(app) → every backed-up table's rows (see table_rows)."""
    return table_rows


@pytest.fixture(name="as_restored")
def as_restored_fixture():
    """as_restored(app, rows, include_secrets) → the rows a restore must give."""
    return as_restored
