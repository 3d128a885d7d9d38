"""The loop that runs scheduled jobs: `portal worker`, or a thread of `portal run`.

Each tick tries to claim every job's lease; a job runs only in the worker that won its
claim, inside an app context, and a failure is logged and never stops the loop. A local
job (this node's index follower, its folder watcher) takes no lease: every runner runs
it on its own node each interval.
"""
from __future__ import annotations

import logging
import os
import socket
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Callable

from flask import Flask

from portal.database import utcnow
from portal.extensions import db
from portal.jobs import leases

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    """A named piece of work run at most once per `interval` seconds across all workers
    (or, when `local`, on each node)."""

    name: str
    interval: float
    run: Callable[[Flask], None]
    local: bool = False


class JobRunner:
    """Claims and runs jobs for one worker process."""

    def __init__(self, app: Flask, jobs: list[Job], tick: float = 1.0, owner: str | None = None,
                 clock: Callable[[], datetime] = utcnow):
        self.app, self.jobs, self.tick, self.clock = app, jobs, tick, clock
        self.owner = owner or f"{socket.gethostname()}:{os.getpid()}:{id(self):x}"
        self._local_runs: dict[str, float] = {}

    def run_pending(self) -> list[str]:
        """One tick: run every job whose lease this worker wins; the names of those run."""
        ran = []
        with self.app.app_context():
            for job in self.jobs:
                try:
                    if not self._due(job):
                        continue
                    ran.append(job.name)
                    job.run(self.app)
                except Exception:
                    db.session.rollback()
                    log.exception("job %s failed", job.name)
                finally:
                    db.session.remove()
        return ran

    def _due(self, job: Job) -> bool:
        if not job.local:
            return leases.claim(job.name, self.owner, job.interval, self.clock())
        now = time.monotonic()
        if now - self._local_runs.get(job.name, float("-inf")) < job.interval:
            return False
        self._local_runs[job.name] = now
        return True

    def run_until(self, stop: threading.Event) -> None:
        """Tick until `stop` is set (SIGTERM in `portal worker`, process exit in `portal run`)."""
        log.info("job runner %s started: %s", self.owner, ", ".join(j.name for j in self.jobs))
        while not stop.is_set():
            self.run_pending()
            stop.wait(self.tick)

    def start_thread(self) -> threading.Event:
        """Run the loop in a daemon thread of this process; set the returned event to stop it."""
        stop = threading.Event()
        threading.Thread(target=self.run_until, args=(stop,), name="portal-jobs",
                         daemon=True).start()
        return stop
