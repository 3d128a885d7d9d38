"""What the agent console keeps: article links in replies, flags, API tokens, unsent mail.

Links and flags are how agents tell editors which answers work and which do not; API
tokens let other helpdesks search and record links; the outbox holds every e-mail that
was not (or could not be) handed to an SMTP server.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, utcnow

FLAG_REASONS = ("wrong", "outdated", "unclear")
TOKEN_SCOPES = ("read", "read-write")
LINK_SOURCES = ("reply", "api")


class ArticleLink(db.Model):
    """An article (or one question of it) linked in a reply to a real ticket.

    Replies sent here carry ticket_id and message_id; links reported by an outside
    helpdesk through the API carry that helpdesk's ticket_ref and the token instead.
    """

    __tablename__ = "article_links"
    __table_args__ = (Index("ix_article_links_slug_anchor", "slug", "anchor"),)

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


class ApiToken(db.Model):
    """A bearer token for the JSON API; only the SHA-256 hash of the secret is kept."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))  # first characters, to recognise it
    scope: Mapped[str] = mapped_column(String(16))  # read | read-write
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    created_by = relationship("User")

    @property
    def active(self) -> bool:
        """Not revoked: the token still opens the API."""
        return self.revoked_at is None


class OutboxMessage(db.Model):
    """An e-mail not handed to an SMTP server: none is configured ("held") or it failed."""

    __tablename__ = "mail_outbox"
    __table_args__ = (Index("ix_mail_outbox_created", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="held")  # held | sending | failed
    error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    attempted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
