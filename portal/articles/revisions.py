"""Every saved version of every article, so nothing an editor writes is ever lost."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.database import UTCDateTime, utcnow


class Revision(db.Model):
    """The full text of an article file at one save, by an editor or found on disk."""

    __tablename__ = "revisions"
    __table_args__ = (Index("ix_revisions_slug_created", "slug", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120))
    path: Mapped[str] = mapped_column(String(500))
    content: Mapped[str] = mapped_column(Text)
    fingerprint: Mapped[str] = mapped_column(String(40))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    author_label: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(32), default="save")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author = relationship("User")
