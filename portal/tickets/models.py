"""Tickets: questions self-service could not answer, their conversation, the article links
agents put in replies, and the outbox of e-mails to customers."""
from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from portal.extensions import db
from portal.database import UTCDateTime, utcnow

TICKET_CATEGORIES = ("usage", "bug", "configuration", "feature", "other")
TICKET_STATUSES = ("open", "pending", "solved")
LINK_SOURCES = ("reply", "api")


class Ticket(db.Model):
    """A customer's question with the search trail that led to it."""

    __tablename__ = "tickets"
    # The two wide indexes cover the insights reports (counts per day, category, status,
    # language, assignee; reply and resolution times): they are answered from the index alone.
    __table_args__ = (Index("ix_tickets_status_created", "status", "created_at"),
                      Index("ix_tickets_created_report", "created_at", "category", "status",
                            "locale", "assignee_id", "first_reply_at", "source", "after_search",
                            "session_id"),
                      Index("ix_tickets_solved_report", "solved_at", "category", "locale",
                            "assignee_id", "created_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    subject: Mapped[str] = mapped_column(String(300))
    email: Mapped[str] = mapped_column(String(254))
    customer_name: Mapped[str] = mapped_column(String(120), default="")
    category: Mapped[str] = mapped_column(String(16), default="usage")
    status: Mapped[str] = mapped_column(String(16), default="open")
    locale: Mapped[str] = mapped_column(String(16), default="zh-Hans")
    source: Mapped[str] = mapped_column(String(16), default="ask")  # ask | escalated
    session_id: Mapped[str] = mapped_column(String(64), default="")
    trail: Mapped[list] = mapped_column(JSON, default=list)
    # Escalated from the failed-search queue, or the trail holds a search: kept as a flag so
    # reports count these tickets from an index instead of reading every trail.
    after_search: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    first_reply_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    solved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    assignee = relationship("User")
    messages = relationship("TicketMessage", back_populates="ticket",
                            order_by="TicketMessage.id", cascade="all, delete-orphan")

    @validates("trail", "source")
    def _remember_search(self, key: str, value):
        """Keep `after_search` in step with the source and the trail."""
        trail = value if key == "trail" else self.trail
        source = value if key == "source" else self.source
        self.after_search = source == "escalated" or '"query"' in json.dumps(
            trail or [], ensure_ascii=False)
        return value

    @validates("status")
    def _stamp_solved(self, _key, status: str) -> str:
        """Remember when the ticket was (last) solved, for resolution times; reopening clears it."""
        if status == "solved" and (self.status != "solved" or self.solved_at is None):
            self.solved_at = utcnow()
        elif status != "solved":
            self.solved_at = None
        return status


class TicketMessage(db.Model):
    """One message in a ticket: the customer's, an agent's public reply, or an internal note."""

    __tablename__ = "ticket_messages"
    __table_args__ = (Index("ix_ticket_messages_kind_created", "kind", "created_at", "author_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # customer | reply | note
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    ticket = relationship("Ticket", back_populates="messages")
    author = relationship("User")


class ArticleLink(db.Model):
    """An article (or one question of it) linked in a reply to a real ticket.

    Replies sent here carry ticket_id and message_id; links reported by an outside
    helpdesk through the API carry that helpdesk's ticket_ref and the token instead.
    """

    __tablename__ = "article_links"
    __table_args__ = (Index("ix_article_links_slug_anchor", "slug", "anchor"),
                      Index("ix_article_links_created", "created_at"),
                      Index("ix_article_links_message", "message_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120))
    anchor: Mapped[str] = mapped_column(String(300), default="")
    source: Mapped[str] = mapped_column(String(16))  # reply | api
    ticket_id: Mapped[int | None] = mapped_column(
        ForeignKey("tickets.id", ondelete="CASCADE"), nullable=True, index=True)
    message_id: Mapped[int | None] = mapped_column(
        ForeignKey("ticket_messages.id", ondelete="CASCADE"), nullable=True)
    ticket_ref: Mapped[str | None] = mapped_column(String(200), nullable=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    token_id: Mapped[int | None] = mapped_column(ForeignKey("api_tokens.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class OutboxMessage(db.Model):
    """An e-mail to a customer, written in the transaction of what it tells about.

    held: no mail server is configured; queued: waiting for the worker (again, after a
    failed try, from next_attempt_at); sending: claimed by a worker; sent; failed: gave
    up after the last attempt. The Message-ID is fixed at creation, so every retry of
    one message carries the same one.
    """

    __tablename__ = "mail_outbox"
    __table_args__ = (Index("ix_mail_outbox_created", "created_at"),
                      Index("ix_mail_outbox_due", "status", "next_attempt_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="queued")
    error: Mapped[str] = mapped_column(Text, default="")
    message_id: Mapped[str] = mapped_column(String(250))
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    attempted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
