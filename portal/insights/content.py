"""Content: which articles customers read, which help, which agents link, which nobody opens.

Views are search results opened by customers (staff and bots never count). Votes,
reasons and links are counted when they were made in the period. The language and
category filters are the article's own.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable

from sqlalchemy import func, select

from portal.articles.model import Article
from portal.extensions import db
from portal.feedback.models import Vote
from portal.insights import searches
from portal.insights.periods import Filters
from portal.tickets.models import ArticleLink

FALL_MIN = 5        # an article needs this many views in the previous period to "fall"
FALL_SHARE = 0.5    # … and at most half of them now


@dataclass
class ArticleRow:
    """One article's numbers over the period."""

    slug: str
    title: str
    views: int = 0
    helpful: int = 0
    not_helpful: int = 0
    links: int = 0
    previous_views: int = 0
    reasons: Counter = field(default_factory=Counter)

    @property
    def helpful_ratio(self) -> float | None:
        """Helpful votes among all votes, None without votes."""
        votes = self.helpful + self.not_helpful
        return self.helpful / votes if votes else None


def _in_scope(article: Article, f: Filters) -> bool:
    return ((not f.lang or article.lang == f.lang)
            and (not f.category or article.category == f.category))


def articles(now: searches.Window, before: searches.Window,
             visible: Iterable[Article]) -> list[ArticleRow]:
    """Every published article in the filters with its views (now and before), votes,
    reasons and links."""
    f = now.f
    rows = {a.slug: ArticleRow(a.slug, a.title) for a in visible if _in_scope(a, f)}
    start, end = f.bounds()
    for slug, views in now.article_views().items():
        if slug in rows:
            rows[slug].views = views
    for slug, views in before.article_views().items():
        if slug in rows:
            rows[slug].previous_views = views
    for slug, helpful, reason, count in db.session.execute(
            select(Vote.slug, Vote.helpful, Vote.reason, func.count())
            .where(Vote.created_at >= start, Vote.created_at < end)
            .group_by(Vote.slug, Vote.helpful, Vote.reason)):
        if slug not in rows:
            continue
        if helpful:
            rows[slug].helpful += count
        else:
            rows[slug].not_helpful += count
            rows[slug].reasons[reason or ""] += count
    for slug, count in db.session.execute(
            select(ArticleLink.slug, func.count()).where(
                ArticleLink.created_at >= start, ArticleLink.created_at < end)
            .group_by(ArticleLink.slug)):
        if slug in rows:
            rows[slug].links = count
    return sorted(rows.values(), key=lambda row: (-row.views, row.slug))


def summary(rows: list[ArticleRow]) -> dict:
    """Votes, helpful ratio and not-helpful reasons over all the articles in the filters."""
    helpful = sum(row.helpful for row in rows)
    not_helpful = sum(row.not_helpful for row in rows)
    reasons: Counter = Counter()
    for row in rows:
        reasons.update(row.reasons)
    return {"helpful": helpful, "not_helpful": not_helpful,
            "helpful_ratio": helpful / (helpful + not_helpful) if helpful + not_helpful else None,
            "views": sum(row.views for row in rows), "links": sum(row.links for row in rows),
            "reasons": reasons.most_common()}


def never_opened(rows: list[ArticleRow]) -> list[ArticleRow]:
    """Articles no customer opened from search in the period."""
    return sorted((row for row in rows if row.views == 0), key=lambda row: row.slug)


def falling(rows: list[ArticleRow]) -> list[ArticleRow]:
    """Articles opened at least FALL_MIN times before and at most FALL_SHARE of that now."""
    return sorted((row for row in rows if row.previous_views >= FALL_MIN
                   and row.views <= FALL_SHARE * row.previous_views),
                  key=lambda row: (row.views - row.previous_views, row.slug))


def least_helpful(rows: list[ArticleRow], min_votes: int = 3) -> list[ArticleRow]:
    """Articles with at least `min_votes` votes, lowest helpful ratio first."""
    voted = [row for row in rows if row.helpful + row.not_helpful >= min_votes]
    return sorted(voted, key=lambda row: (row.helpful_ratio, -row.not_helpful, row.slug))
