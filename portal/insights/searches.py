"""Self-service and demand: how customers search, and what they fail to find.

Rolled-up days come from the daily tables, the others (today) from the raw log summed
the same way (portal.feedback.rollup), so a report over 90 days reads a few thousand rows.
Queries are the normalized form: masked, traditional folded to simplified, lower case,
so 帳號 and 账号 count as one query.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from portal.extensions import db
from portal.feedback import rollup
from portal.feedback.models import DailyArticleView, DailyQueryStat, DailySearchTotal
from portal.insights.periods import Filters

DAY_MEASURES = ("searches", "sessions", "zero_result", "no_click", "none_helped", "opened")
QUERY_MEASURES = rollup.MEASURES
RISING_MIN = 5        # a query needs this many searches in the period to rise
RISING_FACTOR = 1.5   # … and half again as many as in the previous period


@dataclass(frozen=True)
class QueryRow:
    """One normalized query's searches and failures over the period."""

    query: str
    searches: int
    zero_result: int
    no_click: int
    none_helped: int
    previous: int = 0

    @property
    def failed(self) -> int:
        """Searches that found nothing, opened nothing, or ended in "none of these"."""
        return self.zero_result + self.no_click + self.none_helped


def _wanted(f: Filters, lang: str, category: str) -> bool:
    return (not f.lang or lang == f.lang) and (not f.category or category == f.category)


def _sql_filters(model, f: Filters) -> list:
    conditions = [model.day >= f.start, model.day <= f.end]
    if f.lang:
        conditions.append(model.lang == f.lang)
    if f.category:
        conditions.append(model.category == f.category)
    return conditions


class Window:
    """One period's searches: rolled-up days from the daily tables, the days not rolled up
    yet (today) summed once from the raw log, so every report of a page shares that work."""

    def __init__(self, f: Filters):
        self.f = f
        rolled = rollup.rolled_days(f.start, f.end)
        self.live = [rollup.aggregate_day(day, f.tz) for day in f.days if day not in rolled]
        self._queries: dict[str, list[int]] | None = None

    def daily(self) -> list[dict]:
        """Per day: searches, searching sessions, zero-result, no-click, none-helped, opened."""
        f, per_day = self.f, defaultdict(Counter)
        columns = [func.sum(getattr(DailySearchTotal, m)) for m in DAY_MEASURES]
        for day, *sums in db.session.execute(
                select(DailySearchTotal.day, *columns).where(*_sql_filters(DailySearchTotal, f))
                .group_by(DailySearchTotal.day)):
            per_day[day].update(dict(zip(DAY_MEASURES, (int(s or 0) for s in sums))))
        for sums in self.live:
            for (lang, category), counts in sums.totals.items():
                if _wanted(f, lang, category):
                    per_day[sums.day].update(counts)
        return [{"date": day, **{m: per_day[day][m] for m in DAY_MEASURES}} for day in f.days]

    def query_counts(self) -> dict[str, list[int]]:
        """Normalized query → [searches, zero_result, no_click, none_helped] over the period."""
        if self._queries is None:
            counts: dict[str, list[int]] = {}
            columns = [func.sum(getattr(DailyQueryStat, m)) for m in QUERY_MEASURES]
            for query, *sums in db.session.execute(
                    select(DailyQueryStat.normalized, *columns)
                    .where(*_sql_filters(DailyQueryStat, self.f))
                    .group_by(DailyQueryStat.normalized)):
                counts[query] = [int(n or 0) for n in sums]
            for sums in self.live:
                for (lang, category, query), day_counts in sums.queries.items():
                    if _wanted(self.f, lang, category):
                        row = counts.setdefault(query, [0, 0, 0, 0])
                        for index, measure in enumerate(QUERY_MEASURES):
                            row[index] += day_counts[measure]
            self._queries = counts
        return self._queries

    def queries(self, limit: int | None = 20, order: str = "searches") -> list[QueryRow]:
        """Queries by searches (or by failed searches), most first, then alphabetically."""
        rows = [QueryRow(query, *counts) for query, counts in self.query_counts().items()]
        if order == "failed":
            rows = [row for row in rows if row.failed]
        rows.sort(key=lambda row: (-getattr(row, order), row.query))
        return rows[:limit] if limit else rows

    def article_views(self) -> Counter:
        """Article slug → results of it opened by customers over the period (all languages)."""
        views = Counter({slug: int(n) for slug, n in db.session.execute(
            select(DailyArticleView.slug, func.sum(DailyArticleView.views))
            .where(DailyArticleView.day >= self.f.start, DailyArticleView.day <= self.f.end)
            .group_by(DailyArticleView.slug))})
        for sums in self.live:
            views.update(sums.views)
        return views


def totals(days: list[dict]) -> dict:
    """The period's sums and rates from the daily rows."""
    sums = {m: sum(row[m] for row in days) for m in DAY_MEASURES}
    searches = sums["searches"]
    return {**sums, **{f"{m}_rate": (sums[m] / searches if searches else None)
                       for m in ("zero_result", "no_click", "none_helped")}}


def rising(now: Window, before: Window, limit: int = 20) -> list[QueryRow]:
    """Queries searched at least RISING_MIN times and RISING_FACTOR times the previous period."""
    earlier = before.query_counts()
    rows = [QueryRow(query, *counts, previous=earlier.get(query, (0,))[0])
            for query, counts in now.query_counts().items()]
    rows = [row for row in rows if row.searches >= RISING_MIN
            and row.searches >= RISING_FACTOR * row.previous]
    rows.sort(key=lambda row: (-(row.searches - row.previous), row.query))
    return rows[:limit]
