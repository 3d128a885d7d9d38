"""The outbox delivered by real processes: `portal run`'s job thread alone, and beside a
`portal worker` on one database, each message exactly once."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.tickets import mail
from portal.tickets.models import OutboxMessage

from ..factories import PORTAL_CLI, free_port

pytestmark = pytest.mark.db
ROOT = Path(__file__).resolve().parents[2]
MESSAGES = 5


def statuses(app) -> list[str]:
    with app.app_context():
        found = [m.status for m in db.session.scalars(select(OutboxMessage))]
        db.session.remove()
        return found


@pytest.mark.parametrize("together", [("worker", "run"), ("run",)], ids=["worker+run", "run"])
def test_workers_and_portal_run_deliver_each_message_once(make_app, database_url, tmp_path,
                                                          sample_articles, smtp_sink, together):
    sink, port = smtp_sink
    app = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    with app.app_context():
        for n in range(MESSAGES):
            mail.send(f"c{n}@example.com", "Re: 退款", "已处理")
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "shared",
           "PORTAL_ARTICLES_DIR": str(sample_articles), "PORTAL_INDEX_DIR": str(tmp_path / "ix"),
           "PORTAL_INSTANCE_DIR": str(tmp_path / "instance"), "PORTAL_MAIL_SERVER": "127.0.0.1",
           "PORTAL_MAIL_PORT": str(port), "PORTAL_SUGGESTIONS_INTERVAL": "0"}
    command_of = {"worker": ["worker", "--tick", "0.1"],
                  "run": ["run", "--port", str(free_port()), "--no-reload", "--no-debugger"]}
    commands = [command_of[name] for name in together]
    processes = [subprocess.Popen([sys.executable, "-c", PORTAL_CLI, *command], cwd=ROOT, env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
                 for command in commands]
    try:
        ends = time.monotonic() + 120
        while statuses(app) != ["sent"] * MESSAGES:
            assert time.monotonic() < ends, "the outbox was not delivered"
            assert all(p.poll() is None for p in processes), processes[0].stderr.read()
            time.sleep(0.2)
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            process.communicate(timeout=60)
    assert sorted(m["To"] for m in sink.messages) == [f"c{n}@example.com" for n in range(MESSAGES)]
