"""Keeping the search log small: old raw rows become daily counts per normalized query.

Before raw rows go, every settled day is rolled up for the insights reports
(portal.feedback.rollup), so pruning never loses a day those reports need.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Date, case, cast, delete, func, select

from portal.extensions import db
from portal.feedback.models import DailyQueryCount, SearchLog
from portal.database import utcnow
from portal.feedback import rollup


def prune(days: int = 180, now: datetime | None = None,
          tz: ZoneInfo = ZoneInfo("Asia/Shanghai")) -> tuple[int, int]:
    """Roll up and delete raw searches older than `days`; returns (daily rows, deleted rows)."""
    rollup.roll_up_pending(tz, now)
    cutoff = (now or utcnow()) - timedelta(days=days)
    day = (func.date(SearchLog.created_at) if db.engine.dialect.name == "sqlite"
           else cast(SearchLog.created_at, Date))
    grouped = db.session.execute(
        select(day, SearchLog.normalized, func.count(),
               func.sum(case((SearchLog.failure.is_not(None), 1), else_=0)),
               func.count(func.distinct(SearchLog.session_id)))
        .where(SearchLog.created_at < cutoff, SearchLog.is_staff.is_(False),
               SearchLog.is_bot.is_(False))
        .group_by(day, SearchLog.normalized)).all()
    for raw_day, normalized, searches, failed, sessions in grouped:
        when = raw_day if isinstance(raw_day, date) else date.fromisoformat(str(raw_day))
        row = db.session.scalar(select(DailyQueryCount).where(
            DailyQueryCount.day == when, DailyQueryCount.normalized == normalized))
        if row is None:
            row = DailyQueryCount(day=when, normalized=normalized, searches=0, failed=0, sessions=0)
            db.session.add(row)
        row.searches += searches
        row.failed += int(failed or 0)
        row.sessions += sessions
    deleted = db.session.execute(delete(SearchLog).where(SearchLog.created_at < cutoff)).rowcount
    db.session.commit()
    return len(grouped), deleted
