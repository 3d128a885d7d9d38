"""Searches queued when a worker exits reach a slow database, or their number is logged;
through the app's shutdown path and through a real gunicorn worker stopped by SIGTERM."""
from __future__ import annotations

import logging
import os
import queue
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import func, select

from portal.extensions import db
from portal.feedback.models import SearchLog

from ..factories import free_port

pytestmark = pytest.mark.db
BROWSER = {"User-Agent": "Mozilla/5.0 Chrome/120"}
SEARCHES = 40
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def slow_database(database_url):
    """A transaction elsewhere that holds the search log table until released."""
    if not database_url.startswith("postgresql"):
        pytest.skip("a table lock that makes writers wait needs PostgreSQL")
    engine = sa.create_engine(database_url.replace("postgresql://", "postgresql+psycopg://", 1))
    conn = engine.connect()

    def hold():
        conn.execute(sa.text("LOCK TABLE search_log IN ACCESS EXCLUSIVE MODE"))

    def writer_waits() -> bool:
        return bool(conn.execute(sa.text(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
            "AND query ILIKE 'INSERT INTO search_log%'")).scalar())

    yield hold, writer_waits, conn.rollback
    conn.close()
    engine.dispose()


def search_many(app) -> None:
    client = app.test_client()
    for n in range(SEARCHES):
        client.get(f"/search?q=退款{n}", headers=BROWSER)


def stored(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(SearchLog))


def wait_for(condition, seconds: float = 30) -> None:
    ends = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < ends, "the writer never reached the database"
        time.sleep(0.05)


def test_exit_waits_for_a_slow_database_and_stores_every_search(app, sample_articles,
                                                                 slow_database):
    hold, writer_waits, release = slow_database
    hold()
    search_many(app)
    outcome = {}
    exiting = threading.Thread(target=lambda: outcome.update(
        unwritten=app.extensions["portal.signals"].shutdown(deadline=120)))
    exiting.start()
    wait_for(writer_waits)
    release()
    exiting.join(120)
    assert outcome == {"unwritten": 0} and stored(app) == SEARCHES


def test_exit_logs_how_many_searches_were_not_stored_in_time(app, sample_articles,
                                                             slow_database, caplog):
    hold, writer_waits, release = slow_database
    hold()
    search_many(app)
    wait_for(writer_waits)
    with caplog.at_level(logging.ERROR, logger="portal.feedback.recorder"):
        unwritten = app.extensions["portal.signals"].shutdown(deadline=0.2)
    release()
    assert unwritten == SEARCHES
    assert f"exiting with {SEARCHES} signal writes not stored" in caplog.text


def test_a_gunicorn_worker_stopped_during_a_slow_database_stores_its_searches(
        app, database_url, sample_articles, tmp_path, slow_database):
    hold, writer_waits, release = slow_database
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "shared",
           "PORTAL_ARTICLES_DIR": str(sample_articles), "PORTAL_INDEX_DIR": app.config["INDEX_DIR"],
           "PORTAL_INSTANCE_DIR": str(tmp_path / "instance"), "PORTAL_EXIT_FLUSH_SECONDS": "120"}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "-b", f"127.0.0.1:{port}",
         "-w", "1", "portal:create_app()"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    log_lines: queue.Queue = queue.Queue()
    reader = threading.Thread(target=lambda: [log_lines.put(line) for line in server.stderr])
    reader.start()
    try:
        wait_for(lambda: reachable(f"http://127.0.0.1:{port}/healthz"), seconds=120)
        hold()
        for n in range(SEARCHES):
            fetch(f"http://127.0.0.1:{port}/search?q={urllib.parse.quote(f'退款{n}')}")
        wait_for(writer_waits)
        server.send_signal(signal.SIGTERM)
        while "Worker exiting" not in log_lines.get(timeout=60):
            pass
        release()  # the database recovers while the worker is on its way out
        server.wait(120)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait(60)
        reader.join(60)
        server.stderr.close()
    assert stored(app) == SEARCHES


def reachable(url: str) -> bool:
    try:
        fetch(url)
        return True
    except OSError:
        return False


def fetch(url: str) -> None:
    with urllib.request.urlopen(urllib.request.Request(url, headers=BROWSER), timeout=60) as page:
        page.read()
