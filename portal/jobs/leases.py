"""Claiming a job for one interval with a single atomic UPDATE.

`claim` moves `lease_until` forward only where it has passed, in one statement on its
own connection: on SQLite the write lock serializes claimers, on PostgreSQL the row lock
makes the second UPDATE re-read the row and match nothing. Either way exactly one worker
wins each interval. Times come from the workers' clocks, so nodes must keep NTP time.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from portal.database import utcnow
from portal.extensions import db
from portal.jobs.models import JobLease

NEVER = datetime(1970, 1, 1, tzinfo=timezone.utc)


def claim(name: str, owner: str, interval: float, now: datetime | None = None) -> bool:
    """Take the job's lease for `interval` seconds if it is free; True when this owner won."""
    now = now or utcnow()
    _ensure_row(name)
    with db.engine.begin() as conn:
        won = conn.execute(
            update(JobLease).where(JobLease.name == name, JobLease.lease_until <= now)
            .values(owner=owner, lease_until=now + timedelta(seconds=interval), last_run_at=now)
        ).rowcount
    return won == 1


def make_due(name: str) -> None:
    """Let the next worker tick run the job now (the ops page's "recompute" button)."""
    _ensure_row(name)
    with db.engine.begin() as conn:
        conn.execute(update(JobLease).where(JobLease.name == name).values(lease_until=NEVER))


def lease(name: str) -> JobLease | None:
    """The job's lease row, for pages and health checks."""
    return db.session.get(JobLease, name)


def _ensure_row(name: str) -> None:
    with db.engine.connect() as conn:
        if conn.execute(select(JobLease.name).where(JobLease.name == name)).first():
            return
    try:
        with db.engine.begin() as conn:
            conn.execute(insert(JobLease).values(name=name, owner="", lease_until=NEVER))
    except IntegrityError:
        pass  # another worker created it first
