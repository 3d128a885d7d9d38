"""Two portal nodes on loopback ports against one fresh PostgreSQL database and Redis
db 15, as issue 13 describes a cluster: node A watches its articles folder (the demo help
centre), node B does not. Skipped, with the reason, without PostgreSQL or Redis
(`.ci/run` sets both) or without gunicorn."""
from __future__ import annotations

import os
import shutil
import subprocess
import threading
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from .nodes import BIN, PASSWORD, ROOT, Node, SmtpSink

POSTGRES_URL = os.environ.get("PORTAL_TEST_POSTGRES_URL")
REDIS_URL = os.environ.get("PORTAL_TEST_REDIS_URL")


def pytest_collection_modifyitems(config, items):
    """Skip the cluster suite, saying why, when its services are missing."""
    reason = None
    if not POSTGRES_URL or not REDIS_URL:
        reason = "the cluster suite needs PORTAL_TEST_POSTGRES_URL and PORTAL_TEST_REDIS_URL (set by .ci/run)"
    elif not (BIN / "gunicorn").exists():
        reason = "the cluster suite needs gunicorn (pip install -e '.[server]')"
    if reason:
        for item in items:
            if Path(item.path).is_relative_to(Path(__file__).parent):
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def smtp_sink():
    sink = SmtpSink()
    threading.Thread(target=sink.serve_forever, daemon=True).start()
    yield sink
    sink.shutdown()
    sink.server_close()


@pytest.fixture(scope="session")
def cluster_database():
    """A fresh PostgreSQL database for the two nodes, dropped afterwards."""
    admin = sa.create_engine(POSTGRES_URL.replace("postgresql://", "postgresql+psycopg://", 1),
                             isolation_level="AUTOCOMMIT")
    name = f"portal_cluster_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield admin.url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                             "WHERE datname = :n"), {"n": name})
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
    admin.dispose()


@pytest.fixture(scope="session")
def cluster(tmp_path_factory, cluster_database, smtp_sink):
    """Nodes A (watching its articles folder, the demo help centre) and B, migrated by two
    simultaneous `portal db upgrade`, with an editor account, both serving."""
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    base = tmp_path_factory.mktemp("cluster")
    shared = {"DATABASE_URL": cluster_database, "SECRET_KEY": "cluster-secret",
              "REDIS_URL": REDIS_URL, "PORTAL_PROXY_HOPS": "1",
              "PORTAL_LOGIN_ADDRESS_RATE_LIMIT": "3 per minute",
              "PORTAL_INDEX_FOLLOW_SECONDS": "0.2", "PORTAL_SUGGESTIONS_INTERVAL": "2",
              "PORTAL_INSIGHTS_INTERVAL": "0", "PORTAL_EXIT_FLUSH_SECONDS": "20",
              "PORTAL_MAIL_SERVER": "127.0.0.1",
              "PORTAL_MAIL_PORT": str(smtp_sink.server_address[1]),
              "PATH": os.environ.get("PATH", "")}
    nodes = []
    for name, watch in (("a", "1"), ("b", "0")):
        folder = base / name
        folder.mkdir()
        articles = folder / "articles"
        if watch == "1":
            shutil.copytree(ROOT / "articles", articles)
        else:
            articles.mkdir()
        nodes.append(Node(name, folder, {**shared, "PORTAL_INSTANCE_DIR": str(folder / "instance"),
                                         "PORTAL_INDEX_DIR": str(folder / "search_index"),
                                         "PORTAL_ARTICLES_DIR": str(articles),
                                         "PORTAL_WATCH_ARTICLES": watch}))
    upgrades = [subprocess.Popen([str(BIN / "portal"), "db", "upgrade"], env=node.env, cwd=ROOT,
                                 stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
                for node in nodes]
    outputs = [(process.wait(timeout=120), process.stdout.read()) for process in upgrades]
    for process in upgrades:
        process.stdout.close()
    for email in ("editor@example.com", "editor2@example.com"):
        nodes[0].portal("users", "create", email, "--role", "editor", stdin=PASSWORD + "\n")
    for node in nodes:
        node.start()
    yield {"nodes": nodes, "upgrades": outputs}
    for node in nodes:
        node.stop()
