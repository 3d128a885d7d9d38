"""Articles to review: what staff flagged and what customers found unhelpful.

Agents see wrong or stale answers first, while answering tickets; a flag carries that
knowledge to the editors and stays open until an editor resolves it. Votes add the
customers' view: a question most readers call "not helpful" needs a rewrite too.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import case, func, select

from portal.extensions import db
from portal.feedback.models import FLAG_REASONS, ArticleFlag, SearchLog, Vote
from portal.tickets.models import Ticket
from portal.accounts.models import User
from portal.database import utcnow

MIN_VOTES = 3
UNHELPFUL_SHARE = 0.5
STALE_AFTER_DAYS = 180
READ_WINDOW_DAYS = 30
MIN_READS = 10


class FlagError(ValueError):
    """The flag cannot be recorded (unknown reason)."""


@dataclass(frozen=True)
class UnhelpfulItem:
    """An article ("" anchor) or question most voters found not helpful, and why."""

    slug: str
    anchor: str
    votes: int
    not_helpful: int
    reasons: list[tuple[str, int]]  # most common first

    @property
    def share(self) -> float:
        """The part of the votes that said "not helpful", 0 to 1."""
        return self.not_helpful / self.votes


def flag(slug: str, anchor: str, reason: str, note: str, user: User,
         ticket: Ticket | None = None) -> ArticleFlag:
    """Record a staff member's flag on an article or question; it shows until resolved."""
    if reason not in FLAG_REASONS:
        raise FlagError(reason)
    item = ArticleFlag(slug=slug, anchor=anchor or "", reason=reason, note=note.strip()[:5000],
                       created_by_id=user.id, ticket_id=ticket.id if ticket else None)
    db.session.add(item)
    db.session.commit()
    return item


def open_flags(slug: str | None = None) -> list[ArticleFlag]:
    """Unresolved flags, oldest first; of one article when slug is given."""
    query = select(ArticleFlag).where(ArticleFlag.resolved_at.is_(None))
    if slug is not None:
        query = query.where(ArticleFlag.slug == slug)
    return list(db.session.scalars(query.order_by(ArticleFlag.id)))


def get_flag(flag_id: int) -> ArticleFlag | None:
    """The flag with this id, if any."""
    return db.session.get(ArticleFlag, flag_id)


def resolve(item: ArticleFlag, user: User) -> None:
    """An editor dealt with the flag; it leaves the review list."""
    if item.resolved_at is None:
        item.resolved_at, item.resolved_by_id = utcnow(), user.id
        db.session.commit()


def unhelpful_items(min_votes: int = MIN_VOTES,
                    share: float = UNHELPFUL_SHARE) -> list[UnhelpfulItem]:
    """Articles and questions with at least min_votes votes and that share "not helpful"."""
    not_helpful = func.sum(case((Vote.helpful, 0), else_=1))
    rows = db.session.execute(
        select(Vote.slug, Vote.anchor, func.count(Vote.id), not_helpful)
        .group_by(Vote.slug, Vote.anchor).having(func.count(Vote.id) >= min_votes)).all()
    wanted = [(slug, anchor, int(total), int(bad or 0)) for slug, anchor, total, bad in rows
              if int(bad or 0) >= share * int(total)]
    reasons = _reasons({(slug, anchor) for slug, anchor, _, _ in wanted})
    items = [UnhelpfulItem(slug, anchor, total, bad, reasons[(slug, anchor)].most_common())
             for slug, anchor, total, bad in wanted]
    return sorted(items, key=lambda item: (-item.share, -item.votes, item.slug, item.anchor))


def _reasons(keys: set[tuple[str, str]]) -> dict[tuple[str, str], Counter]:
    counters: dict[tuple[str, str], Counter] = {key: Counter() for key in keys}
    if not keys:
        return counters
    rows = db.session.execute(
        select(Vote.slug, Vote.anchor, Vote.reason, func.count(Vote.id))
        .where(Vote.helpful.is_(False), Vote.slug.in_({slug for slug, _ in keys}))
        .group_by(Vote.slug, Vote.anchor, Vote.reason))
    for slug, anchor, reason, count in rows:
        if (slug, anchor) in counters:
            counters[(slug, anchor)][reason or "unspecified"] += int(count)
    return counters


def stale_but_read(articles, *, now=None) -> list[tuple[object, int]]:
    """(article, reads) for articles not updated for STALE_AFTER_DAYS yet still opened often.

    Reads are results opened from search in the last READ_WINDOW_DAYS (the portal's one
    per-article readership signal); an old answer many people still land on is the one
    most worth checking.
    """
    now = now or utcnow()
    since = now - timedelta(days=READ_WINDOW_DAYS)
    reads = dict(db.session.execute(
        select(SearchLog.opened_slug, func.count()).where(
            SearchLog.opened_slug.is_not(None), SearchLog.opened_at >= since,
            SearchLog.is_bot.is_(False), SearchLog.is_staff.is_(False))
        .group_by(SearchLog.opened_slug)).all())
    stale = [(a, reads.get(a.slug, 0)) for a in articles
             if now - a.updated >= timedelta(days=STALE_AFTER_DAYS)]
    return sorted([(a, n) for a, n in stale if n >= MIN_READS], key=lambda pair: -pair[1])
