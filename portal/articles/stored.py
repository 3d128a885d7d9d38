"""The articles table: the one source of truth for content on every node.

Each row is one file of the help centre (an article or `categories.yml`) with its full
Markdown text, the searchable front matter fields, and the change sequence number of its
last write, so every node's article set and search index can follow the writes in order.
A deletion keeps the row as a tombstone with the deleting write's number.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.database import UTCDateTime, utcnow
from portal.extensions import db


class StoredArticle(db.Model):
    """One file of the help centre as last saved; `seq` orders every write."""

    __tablename__ = "articles"
    __table_args__ = (Index("ix_articles_seq", "seq", unique=True),
                      Index("ix_articles_slug", "slug"))

    path: Mapped[str] = mapped_column(String(500), primary_key=True)
    slug: Mapped[str | None] = mapped_column(String(120), nullable=True)
    title: Mapped[str] = mapped_column(String(500), default="")
    category: Mapped[str] = mapped_column(String(200), default="")
    lang: Mapped[str] = mapped_column(String(16), default="")
    status: Mapped[str] = mapped_column(String(16), default="")
    audience: Mapped[str] = mapped_column(String(16), default="")
    content: Mapped[str] = mapped_column(Text)
    fingerprint: Mapped[str] = mapped_column(String(40))
    seq: Mapped[int] = mapped_column(BigInteger)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    # What the watched folder held when the watcher last agreed with this row (None: the
    # folder never held it), so a file that disappears can be told from one never there.
    disk_fingerprint: Mapped[str | None] = mapped_column(String(40), nullable=True)
    # Why the folder's newer file was refused (broken front matter…): the stored version
    # keeps serving and editors see the reason in their list until the file is fixed.
    problem: Mapped[str | None] = mapped_column(String(1000), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ArticleSequence(db.Model):
    """The one counter row: taking the next number locks it, so writes commit in order."""

    __tablename__ = "article_sequence"

    id: Mapped[int] = mapped_column(primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)
