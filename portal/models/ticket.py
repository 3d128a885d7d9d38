"""Tickets: questions self-service could not answer, and their conversation."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, utcnow

TICKET_CATEGORIES = ("usage", "bug", "configuration", "feature", "other")
TICKET_STATUSES = ("open", "pending", "solved")


class Ticket(db.Model):
    """A customer's question with the search trail that led to it."""

    __tablename__ = "tickets"
    __table_args__ = (Index("ix_tickets_status_created", "status", "created_at"),)

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
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    assignee = relationship("User")
    messages = relationship("TicketMessage", back_populates="ticket",
                            order_by="TicketMessage.id", cascade="all, delete-orphan")


class TicketMessage(db.Model):
    """One message in a ticket: the customer's, an agent's public reply, or an internal note."""

    __tablename__ = "ticket_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # customer | reply | note
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    ticket = relationship("Ticket", back_populates="messages")
    author = relationship("User")
