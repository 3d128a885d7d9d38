"""A backup is one moment of the database: rows written while it runs are not in it, on
SQLite (one read transaction) and PostgreSQL (REPEATABLE READ)."""
from __future__ import annotations

import json
import tarfile
from datetime import datetime, timezone

import pytest
import sqlalchemy as sa

from portal.backup.archive import create_backup
from portal.extensions import db
from tests.factories import search_row

BASE_TIME = datetime(2026, 3, 1, 8, 30, tzinfo=timezone.utc)


class WriteWhileReading:
    """Once the snapshot has begun (the rows are counted, none dumped yet), another
    connection adds a search."""

    def __init__(self, app):
        self.app, self.done = app, False

    def advance(self, rows: int) -> None:
        pass

    def start(self, total: int) -> None:
        if self.done:
            return
        self.done = True
        other = sa.create_engine(self.app.config["SQLALCHEMY_DATABASE_URI"])
        with other.begin() as conn:
            conn.execute(sa.text(
                "INSERT INTO search_log (public_id, query, normalized, result_count, page, "
                "locale, session_id, source, is_staff, is_bot, created_at) VALUES "
                "('late', 'late', 'late', 0, 1, 'zh-Hans', 's', 'page', false, false, "
                ":at)"), {"at": BASE_TIME})
        other.dispose()


@pytest.mark.db
def test_rows_written_during_a_backup_are_not_in_it(app, tmp_path, database_url):
    with app.app_context():
        search_row("早的", BASE_TIME)
        db.session.commit()
        progress = WriteWhileReading(app)
        result = create_backup(tmp_path / "b.tar.gz", progress=progress)
        assert progress.done
        assert db.session.scalar(sa.text("SELECT count(*) FROM search_log")) == 2
    assert result.tables["search_log"] == 1
    with tarfile.open(result.path) as tar:
        rows = [json.loads(line) for line in tar.extractfile("tables/search_log.jsonl")]
    assert [row["query"] for row in rows] == ["早的"]
