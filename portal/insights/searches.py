"""Self-service and demand: how customers search, and what they fail to find.

Rolled-up days come from the daily tables, the others (today) from the raw log summed
the same way (portal.feedback.rollup), so a report over 90 days reads a few thousand rows;
the query sums of the page's preset ranges are precomputed (portal.insights.periodsums).
Queries are the normalized form: masked, traditional folded to simplified, lower case,
so 帳號 and 账号 count as one query.
"""
from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select

from portal.extensions import db
from portal.feedback import rollup
from portal.feedback.models import DailyArticleView, DailySearchTotal
from portal.insights import periodsums
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
        self.rolled = rollup.rolled_state(f.start, f.end)
        self.live = [rollup.aggregate_day(day, f.tz) for day in f.days if day not in self.rolled]
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
            counts = periodsums.query_sums(self.f, self.rolled)  # precomputed for presets
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
        found = self.query_counts().items()
        if order == "failed":  # zero_result + no_click + none_helped
            keyed = ((-(c[1] + c[2] + c[3]), q) for q, c in found if c[1] + c[2] + c[3])
        else:
            keyed = ((-c[0], q) for q, c in found)
        ranked = heapq.nsmallest(limit, keyed) if limit else sorted(keyed)
        counts = self.query_counts()
        return [QueryRow(query, *counts[query]) for _key, query in ranked]

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
    risen = []
    for query, counts in now.query_counts().items():
        previous = earlier.get(query, (0,))[0]
        if counts[0] >= RISING_MIN and counts[0] >= RISING_FACTOR * previous:
            risen.append((-(counts[0] - previous), query, previous))
    return [QueryRow(query, *now.query_counts()[query], previous=previous)
            for _rise, query, previous in heapq.nsmallest(limit, risen)]
