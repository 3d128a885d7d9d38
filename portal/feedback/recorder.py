"""Writing signals off the request path.

A search must answer fast and must answer even when the database is down, so search
logging hands its writes to a background thread per worker process. Writes are drained
in bursts, one transaction each, and many inserts become one executemany, so the writer
takes little interpreter time from requests; a failed burst is retried write by write,
and a failure is logged and never reaches the customer. When the process exits (atexit,
and gunicorn's worker_exit hook) queued writes get until a deadline to reach the
database, so a slow database at a restart loses nothing; what is still unwritten then
is counted in the log.
"""
from __future__ import annotations

import atexit
import logging
import os
import queue
import threading
import time
from typing import Callable

from flask import Flask

from portal.extensions import db

log = logging.getLogger(__name__)


class SignalRecorder:
    """A bounded queue of database writes drained by one daemon thread."""

    def __init__(self, app: Flask, capacity: int = 10_000, batch_size: int = 500,
                 linger: float = 0.05):
        self.app = app
        self.batch_size, self.linger = batch_size, linger
        self._queue: queue.Queue = queue.Queue(maxsize=capacity)
        self._thread: threading.Thread | None = None
        self._pid = self._exit_hook_pid = 0
        self._start_lock = threading.Lock()

    def submit(self, write: Callable[..., None], *args) -> None:
        """Queue a write; when the queue is full the signal is dropped and logged."""
        self._ensure_thread()
        try:
            self._queue.put_nowait((write, args))
        except queue.Full:
            log.warning("signal queue full; dropped %s", getattr(write, "__name__", write))

    def flush(self) -> None:
        """Wait until every queued write has been attempted (tests, shutdown, CLI)."""
        if self._thread is not None and self._pid == os.getpid():
            self._queue.join()

    def shutdown(self, deadline: float | None = None) -> int:
        """Wait up to `deadline` seconds (EXIT_FLUSH_SECONDS) for queued writes to be stored;
        log and return how many were not."""
        if self._pid != os.getpid():
            return 0  # a forked child's copy of a queue it never drained
        if deadline is None:
            deadline = self.app.config.get("EXIT_FLUSH_SECONDS", 10.0)
        ends = time.monotonic() + deadline
        with self._queue.all_tasks_done:
            while self._queue.unfinished_tasks and time.monotonic() < ends:
                self._queue.all_tasks_done.wait(ends - time.monotonic())
            unwritten = self._queue.unfinished_tasks
        if unwritten:
            log.error("exiting with %d signal writes not stored: the database did not take them "
                      "within %.1f s", unwritten, deadline)
        return unwritten

    def _ensure_thread(self) -> None:
        if self._thread is not None and self._pid == os.getpid() and self._thread.is_alive():
            return
        with self._start_lock:
            if self._thread is None or self._pid != os.getpid() or not self._thread.is_alive():
                self._pid = os.getpid()  # a forked worker needs its own thread
                self._thread = threading.Thread(target=self._run, name="portal-signals",
                                                daemon=True)
                self._thread.start()
                if self._exit_hook_pid != self._pid:
                    self._exit_hook_pid = self._pid
                    atexit.register(self.shutdown)

    def _run(self) -> None:
        while True:
            batch = [self._queue.get()]
            time.sleep(self.linger)  # let a burst gather: one transaction, few GIL wake-ups
            while len(batch) < self.batch_size:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            try:
                with self.app.app_context():
                    self._write(batch)
            except Exception:  # even the app context failed: keep the thread alive
                log.exception("signal writer error")
            finally:
                for _ in batch:
                    self._queue.task_done()

    def _write(self, batch: list) -> None:
        """All writes in one transaction; if that fails, each alone, so one bad write loses only itself."""
        try:
            for write, arg_lists in _grouped(batch):
                if hasattr(write, "bulk"):
                    write.bulk(arg_lists)  # one executemany for many rows
                else:
                    for args in arg_lists:
                        write(*args)
            db.session.commit()
            return
        except Exception:
            db.session.rollback()
            if len(batch) == 1:
                log.exception("could not record a signal (%s)", _name(batch[0][0]))
                db.session.remove()
                return
        for write, args in batch:
            try:
                write(*args)
                db.session.commit()
            except Exception:
                db.session.rollback()
                log.exception("could not record a signal (%s)", _name(write))
        db.session.remove()


def _grouped(batch: list) -> list:
    """Consecutive writes of the same kind together, in order."""
    groups: list = []
    for write, args in batch:
        if groups and groups[-1][0] is write:
            groups[-1][1].append(args)
        else:
            groups.append((write, [args]))
    return groups


def bulk(many: Callable[[list], None]):
    """Mark a write function as able to take many queued calls at once."""

    def decorate(write):
        write.bulk = many
        return write

    return decorate


def _name(write) -> str:
    return getattr(write, "__name__", repr(write))
