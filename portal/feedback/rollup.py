"""Daily roll-ups of customers' searches, so reports over months read a few thousand rows.

A day is a calendar day in the portal's time zone. Once a day is over (and a settling
time has passed for late "opened" and "none of these" marks), its searches are summed
per language, category filter and normalized query, and its opened results per
article. Reports read rolled days from these tables and the days not yet rolled (today)
from the raw log through `aggregate_day`, the same sums computed in memory. Staff and
bots never count.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, delete, func, insert, select

from portal.database import utcnow
from portal.extensions import db
from portal.feedback.models import (DailyArticleView, DailyQueryStat, DailySearchTotal,
                                    RolledUpDay, SearchLog)

SETTLE = timedelta(hours=2)  # marks arrive after the search; wait for them
MEASURES = ("searches", "zero_result", "no_click", "none_helped")


def day_bounds(day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """The UTC instants where the local day starts and where the next one starts."""
    start = datetime.combine(day, time(), tz)
    end = datetime.combine(day + timedelta(days=1), time(), tz)
    return start.astimezone(timezone.utc), end.astimezone(timezone.utc)


@dataclass
class DaySums:
    """One day's sums, keyed like the daily tables."""

    day: date
    totals: dict = field(default_factory=lambda: defaultdict(Counter))   # (lang, cat) → sums
    queries: dict = field(default_factory=lambda: defaultdict(Counter))  # (lang, cat, q) → sums
    views: Counter = field(default_factory=Counter)                      # slug → views


def _customers(*conditions):
    return (*conditions, SearchLog.is_staff.is_(False), SearchLog.is_bot.is_(False))


def aggregate_day(day: date, tz: ZoneInfo) -> DaySums:
    """The day's sums from the raw search log, grouped by the database."""
    start, end = day_bounds(day, tz)
    sums = DaySums(day)
    found = _customers(SearchLog.created_at >= start, SearchLog.created_at < end)
    category = func.coalesce(SearchLog.category_filter, "")
    none_helped = func.coalesce(SearchLog.failure, "") == "none_helped"
    measures = (func.count(),
                func.sum(case((SearchLog.result_count == 0, 1), else_=0)),
                func.sum(case((and_(SearchLog.result_count > 0, SearchLog.opened_slug.is_(None),
                                    ~none_helped), 1), else_=0)),
                func.sum(case((none_helped, 1), else_=0)))
    for lang, cat, sessions, opened, *counts in db.session.execute(
            select(SearchLog.locale, category, func.count(func.distinct(SearchLog.session_id)),
                   func.count(SearchLog.opened_slug), *measures)
            .where(*found).group_by(SearchLog.locale, category)):
        sums.totals[(lang, cat)] = Counter(sessions=sessions, opened=opened,
                                           **dict(zip(MEASURES, map(int, counts))))
    for lang, cat, normalized, *counts in db.session.execute(
            select(SearchLog.locale, category, SearchLog.normalized, *measures)
            .where(*found).group_by(SearchLog.locale, category, SearchLog.normalized)):
        sums.queries[(lang, cat, normalized)] = Counter(dict(zip(MEASURES, map(int, counts))))
    sums.views.update(dict(db.session.execute(
        select(SearchLog.opened_slug, func.count()).where(
            *_customers(SearchLog.opened_at >= start, SearchLog.opened_at < end))
        .group_by(SearchLog.opened_slug)).all()))
    return sums


def roll_up_day(day: date, tz: ZoneInfo) -> None:
    """Store (or store again) one day's sums; the caller commits."""
    sums = aggregate_day(day, tz)
    for model in (DailySearchTotal, DailyQueryStat, DailyArticleView):
        db.session.execute(delete(model).where(model.day == day))
    if sums.totals:
        db.session.execute(insert(DailySearchTotal), [
            {"day": day, "lang": lang, "category": category, "sessions": 0, "opened": 0,
             **{m: 0 for m in MEASURES}, **counts}
            for (lang, category), counts in sums.totals.items()])
    if sums.queries:
        db.session.execute(insert(DailyQueryStat), [
            {"day": day, "lang": lang, "category": category, "normalized": normalized,
             **{m: counts[m] for m in MEASURES}}
            for (lang, category, normalized), counts in sums.queries.items()])
    if sums.views:
        db.session.execute(insert(DailyArticleView), [
            {"day": day, "slug": slug, "views": views} for slug, views in sums.views.items()])
    db.session.merge(RolledUpDay(day=day, rolled_at=utcnow()))


def settled_until(tz: ZoneInfo, now: datetime | None = None) -> date:
    """The last local day that is over and settled, so safe to roll up."""
    return ((now or utcnow()) - SETTLE).astimezone(tz).date() - timedelta(days=1)


def roll_up_pending(tz: ZoneInfo, now: datetime | None = None) -> int:
    """Roll up every settled day with searches that is not rolled yet; returns days rolled."""
    last = settled_until(tz, now)
    oldest = db.session.scalar(select(SearchLog.created_at).order_by(SearchLog.created_at).limit(1))
    if oldest is None:
        return 0
    rolled = set(db.session.scalars(select(RolledUpDay.day)))
    day, count = oldest.astimezone(tz).date(), 0
    while day <= last:
        if day not in rolled:
            roll_up_day(day, tz)
            db.session.commit()
            count += 1
        day += timedelta(days=1)
    return count


def rolled_days(first: date, last: date) -> set[date]:
    """Which days of the range the daily tables hold."""
    return set(rolled_state(first, last))


def rolled_state(first: date, last: date) -> dict[date, datetime]:
    """Which days of the range the daily tables hold, and when each was rolled up."""
    return dict(db.session.execute(select(RolledUpDay.day, RolledUpDay.rolled_at).where(
        RolledUpDay.day >= first, RolledUpDay.day <= last)).all())
