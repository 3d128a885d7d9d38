"""Problems (root causes tickets come from) and the weekly digest's bookkeeping."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.database import UTCDateTime, utcnow
from portal.extensions import db

PROBLEM_KINDS = ("bug", "configuration", "feature_gap", "missing_article")
PROBLEM_STATUSES = ("open", "in_progress", "fixed")


class Problem(db.Model):
    """A product problem behind tickets: a bug, a configuration trap, a gap, a missing article."""

    __tablename__ = "problems"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(16), default="bug")
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    owner: Mapped[str] = mapped_column(String(120), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    fixed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    tickets = relationship("ProblemTicket", back_populates="problem",
                           cascade="all, delete-orphan", order_by="ProblemTicket.id")


class ProblemTicket(db.Model):
    """A ticket attached to the problem it came from (one problem per ticket)."""

    __tablename__ = "problem_tickets"

    id: Mapped[int] = mapped_column(primary_key=True)
    problem_id: Mapped[int] = mapped_column(ForeignKey("problems.id", ondelete="CASCADE"),
                                            index=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"),
                                           unique=True)
    attached_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    attached_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    problem = relationship("Problem", back_populates="tickets")
    ticket = relationship("Ticket")


class DigestOptOut(db.Model):
    """A member of staff who does not want the weekly insights e-mail."""

    __tablename__ = "digest_opt_outs"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class DigestSent(db.Model):
    """One weekly digest sent (the Monday it covers up to), so workers send it once."""

    __tablename__ = "digests_sent"

    week: Mapped[date] = mapped_column(Date, primary_key=True)
    recipients: Mapped[int] = mapped_column(Integer, default=0)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PeriodQuerySums(db.Model):
    """One period's query sums over its rolled-up days, precomputed by the insights job for
    the page's preset ranges, so opening the page does not sum ~185,000 daily rows per
    period. `fingerprint` (how many days were rolled and when the last of them was) tells
    whether a day was rolled again since: then the sums are stale and not used."""

    __tablename__ = "period_query_sums"
    __table_args__ = (UniqueConstraint("first_day", "last_day", "lang", "category",
                                       name="uq_period_query_sums_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)
    lang: Mapped[str] = mapped_column(String(16), default="")
    category: Mapped[str] = mapped_column(String(100), default="")
    fingerprint: Mapped[str] = mapped_column(String(80))
    sums: Mapped[dict] = mapped_column(JSON)  # normalized query → [searches, zero, no click, none]
    built_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
