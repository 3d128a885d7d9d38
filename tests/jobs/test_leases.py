"""One owner per job: workers on every node share one lease row per job."""
from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.jobs import leases
from portal.jobs.runner import Job, JobRunner
from portal.suggestions import service as suggesting
from portal.suggestions.models import SuggestionRun

pytestmark = pytest.mark.db

START = datetime(2026, 11, 29, 12, 0, tzinfo=timezone.utc)
INTERVAL = 60.0


class SharedClock:
    """The same made-up time for every worker of a test, moved on by the test."""

    def __init__(self):
        self.now = START

    def __call__(self) -> datetime:
        return self.now


def test_two_workers_on_two_nodes_run_a_job_once_per_interval(make_app):
    runs: list[str] = []
    record = lambda app: runs.append(app.name)  # noqa: E731
    clock = SharedClock()
    nodes = [make_app(), make_app()]
    runners = [JobRunner(app, [Job("count", INTERVAL, record)], owner=f"node-{n}", clock=clock)
               for n, app in enumerate(nodes)]
    intervals, ticks = 4, 5
    together = threading.Barrier(len(runners))

    def work(runner: JobRunner, step_done: threading.Barrier) -> None:
        for _ in range(intervals):
            for _ in range(ticks):
                together.wait()  # both workers claim at the same moment
                runner.run_pending()
            step_done.wait()

    def move_clock():
        clock.now += timedelta(seconds=INTERVAL)

    step_done = threading.Barrier(len(runners), action=move_clock)
    threads = [threading.Thread(target=work, args=(runner, step_done)) for runner in runners]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(runs) == intervals


def test_a_lease_is_not_claimed_again_before_its_interval_ends(app):
    with app.app_context():
        assert leases.claim("job", "a", INTERVAL, START)
        assert not leases.claim("job", "b", INTERVAL, START + timedelta(seconds=INTERVAL - 1))
        assert leases.claim("job", "b", INTERVAL, START + timedelta(seconds=INTERVAL))
        lease = leases.lease("job")
        assert (lease.owner, lease.last_run_at) == ("b", START + timedelta(seconds=INTERVAL))


def test_a_failing_job_neither_stops_the_runner_nor_the_other_jobs(app, caplog):
    ran = []

    def broken(_app):
        raise RuntimeError("boom")

    runner = JobRunner(app, [Job("broken", INTERVAL, broken),
                             Job("fine", INTERVAL, lambda _app: ran.append(1))])
    assert runner.run_pending() == ["broken", "fine"]
    assert ran == [1] and "job broken failed" in caplog.text


def test_recompute_asks_the_job_runner_and_web_requests_run_nothing(app, client, make_user,
                                                                      login):
    runner = JobRunner(app, [Job(suggesting.JOB_NAME, 3600,
                                 lambda _app: suggesting.run_and_store([]))])
    assert runner.run_pending() == [suggesting.JOB_NAME]
    assert runner.run_pending() == []  # not due again within the hour
    login(make_user("editor"))
    assert client.post("/ops/suggestions/run").status_code == 302
    assert stored_runs(app) == 1  # the request only asked
    assert runner.run_pending() == [suggesting.JOB_NAME]
    assert stored_runs(app) == 2


def stored_runs(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(SuggestionRun))


def test_worker_once_runs_what_is_due_and_nothing_more(app, runner):
    first = runner.invoke(args=["worker", "--once"])
    assert first.exit_code == 0, first.output
    # The folder watcher is on by default with SQLite, off with PostgreSQL.
    own = (["articles-watch"] if runner.app.config["WATCH_ARTICLES"] else []) + ["index-follow"]
    assert first.output.split() == own + ["mail", "log-rollup", "insights-rollup",
                                          "insights-digest", "suggestions"]
    # The node's own jobs run on every call; the cluster's wait for their interval.
    assert runner.invoke(args=["worker", "--once"]).output.split() == own
