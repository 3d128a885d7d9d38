"""What customers did: searches, opened results, votes, deflections, daily roll-ups.

Every text column here holds masked text only (see portal.signals.privacy).
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (Boolean, Date, ForeignKey, Index, Integer, String, Text,
                        UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.database import UTCDateTime, utcnow

FAILURES = ("no_results", "weak_results", "none_helped", "unhelpful", "ticket")
FLAG_REASONS = ("wrong", "outdated", "unclear")


class SearchLog(db.Model):
    """One search as a customer (or staff member, or bot) typed it."""

    __tablename__ = "search_log"
    __table_args__ = (
        Index("ix_search_log_normalized_created", "normalized", "created_at"),
        Index("ix_search_log_session_created", "session_id", "created_at"),
        Index("ix_search_log_created", "created_at"),
        Index("ix_search_log_opened_at", "opened_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    query: Mapped[str] = mapped_column(String(1000))
    normalized: Mapped[str] = mapped_column(String(1000))
    result_count: Mapped[int] = mapped_column(Integer)
    page: Mapped[int] = mapped_column(Integer, default=1)
    locale: Mapped[str] = mapped_column(String(16))
    lang_filter: Mapped[str | None] = mapped_column(String(16), nullable=True)
    category_filter: Mapped[str | None] = mapped_column(String(100), nullable=True)
    session_id: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(16), default="page")  # page | api
    is_staff: Mapped[bool] = mapped_column(Boolean, default=False)
    is_bot: Mapped[bool] = mapped_column(Boolean, default=False)
    failure: Mapped[str | None] = mapped_column(String(16), nullable=True)
    opened_slug: Mapped[str | None] = mapped_column(String(120), nullable=True)
    opened_anchor: Mapped[str | None] = mapped_column(String(300), nullable=True)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Vote(db.Model):
    """Helpful / not helpful on an article (anchor "") or one question; one per session."""

    __tablename__ = "votes"
    __table_args__ = (UniqueConstraint("session_id", "slug", "anchor",
                                       name="uq_votes_session_item"),
                      Index("ix_votes_slug_anchor", "slug", "anchor"),
                      # covers the insights' votes per article, verdict and reason
                      Index("ix_votes_created_report", "created_at", "slug", "helpful",
                            "reason"))

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120))
    anchor: Mapped[str] = mapped_column(String(300), default="")
    helpful: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str | None] = mapped_column(String(32), nullable=True)
    comment: Mapped[str] = mapped_column(Text, default="")
    session_id: Mapped[str] = mapped_column(String(64))
    search_public_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Deflection(db.Model):
    """An article opened from the ask-a-question form: deflected unless a ticket follows."""

    __tablename__ = "deflections"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[str] = mapped_column(String(64), index=True)
    slug: Mapped[str] = mapped_column(String(120))
    anchor: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CandidateQuery(db.Model):
    """The ops queue's state for one normalized failed query (counts come from the log)."""

    __tablename__ = "candidate_queries"

    id: Mapped[int] = mapped_column(primary_key=True)
    normalized: Mapped[str] = mapped_column(String(1000), unique=True)
    status: Mapped[str] = mapped_column(String(16), default="open")
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    dismissed_reason: Mapped[str] = mapped_column(Text, default="")
    dismissed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    linked_slug: Mapped[str | None] = mapped_column(String(120), nullable=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    assignee = relationship("User")


class DailyQueryCount(db.Model):
    """Searches per normalized query and day, kept after raw logs are pruned."""

    __tablename__ = "daily_query_counts"
    __table_args__ = (UniqueConstraint("day", "normalized", name="uq_daily_query_counts_day_query"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date)
    normalized: Mapped[str] = mapped_column(String(1000))
    searches: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)
    sessions: Mapped[int] = mapped_column(Integer, default=0)


class ArticleFlag(db.Model):
    """A member of staff says an article or question is wrong, outdated or unclear."""

    __tablename__ = "article_flags"
    __table_args__ = (Index("ix_article_flags_slug_resolved", "slug", "resolved_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120))
    anchor: Mapped[str] = mapped_column(String(300), default="")
    reason: Mapped[str] = mapped_column(String(16))  # wrong | outdated | unclear
    note: Mapped[str] = mapped_column(Text, default="")
    ticket_id: Mapped[int | None] = mapped_column(
        ForeignKey("tickets.id", ondelete="SET NULL"), nullable=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    created_by = relationship("User", foreign_keys=[created_by_id])


class RolledUpDay(db.Model):
    """A day (in the portal's time zone) whose searches are summed in the daily tables below."""

    __tablename__ = "rolled_up_days"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    rolled_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class _DailySearchSums:
    """The key and sums both daily search tables share."""

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date)
    lang: Mapped[str] = mapped_column(String(16))
    category: Mapped[str] = mapped_column(String(100), default="")
    searches: Mapped[int] = mapped_column(Integer, default=0)
    zero_result: Mapped[int] = mapped_column(Integer, default=0)
    no_click: Mapped[int] = mapped_column(Integer, default=0)
    none_helped: Mapped[int] = mapped_column(Integer, default=0)


class DailySearchTotal(_DailySearchSums, db.Model):
    """Customers' searches of one local day per interface language and category filter."""

    __tablename__ = "daily_search_totals"
    __table_args__ = (UniqueConstraint("day", "lang", "category",
                                       name="uq_daily_search_totals_day_lang_category"),)

    sessions: Mapped[int] = mapped_column(Integer, default=0)
    opened: Mapped[int] = mapped_column(Integer, default=0)


class DailyQueryStat(_DailySearchSums, db.Model):
    """One normalized (masked, folded) query's searches and failures on one local day."""

    __tablename__ = "daily_query_stats"
    __table_args__ = (UniqueConstraint("day", "lang", "category", "normalized",
                                       name="uq_daily_query_stats_key"),
                      # covers the period reports: they read the sums from the index alone
                      Index("ix_daily_query_stats_day_normalized", "day", "normalized", "lang",
                            "category", "searches", "zero_result", "no_click", "none_helped"))

    normalized: Mapped[str] = mapped_column(String(1000))


class DailyArticleView(db.Model):
    """Search results of one article opened by customers on one local day."""

    __tablename__ = "daily_article_views"
    __table_args__ = (UniqueConstraint("day", "slug", name="uq_daily_article_views_day_slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date)
    slug: Mapped[str] = mapped_column(String(120))
    views: Mapped[int] = mapped_column(Integer, default=0)
