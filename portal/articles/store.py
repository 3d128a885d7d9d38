"""Reading and writing the articles table, one change number per write.

A write is one transaction: take the next change number (the counter row stays locked
until commit, so writes on every node commit in number order and readers following the
numbers never skip one), lock the article's row, check that it is still the version the
writer started from, write the row and its revision. Nothing here touches files.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal.articles.revisions import Revision
from portal.articles.stored import ArticleSequence, StoredArticle
from portal.database import utcnow
from portal.extensions import db

DISK_AUTHOR = "disk"


@dataclass(frozen=True)
class Change:
    """One file's state after a write: its text, or None once deleted."""

    path: str
    content: str | None
    updated_at: datetime
    seq: int
    problem: str | None = None


@dataclass(frozen=True)
class Author:
    """Who wrote a change, as revisions record it (an account, or "disk")."""

    id: int | None
    label: str


class RowState(NamedTuple):
    """What the folder sync needs of one row."""

    fingerprint: str
    disk_fingerprint: str | None
    deleted: bool
    problem: str | None


class StaleVersion(Exception):
    """The row changed after the writer read it; carries the newer text ("" if none)."""

    def __init__(self, current: str | None, current_fingerprint: str | None):
        super().__init__("the article changed since it was read")
        self.current = current or ""
        self.current_fingerprint = current_fingerprint


class SlugTaken(Exception):
    """Another live file already uses this slug."""


def fingerprint(text: str) -> str:
    """The content hash of a file's text (sha1 of its UTF-8 bytes), as the loader gives."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def latest_sequence() -> int:
    """The number of the newest committed write (0 before the first)."""
    with db.engine.connect() as conn:
        return conn.execute(select(ArticleSequence.value).where(ArticleSequence.id == 1)
                            ).scalar() or 0


def changes_since(seq: int) -> list[Change]:
    """Every file written after change `seq`, in order (all live files when seq is 0)."""
    query = select(StoredArticle.path, StoredArticle.content, StoredArticle.deleted,
                   StoredArticle.updated_at, StoredArticle.seq, StoredArticle.problem
                   ).where(StoredArticle.seq > seq)
    if seq == 0:
        query = query.where(StoredArticle.deleted.is_(False) | StoredArticle.problem.isnot(None))
    with Session(db.engine) as session:
        rows = session.execute(query.order_by(StoredArticle.seq)).all()
    return [Change(path, None if deleted else content, updated_at, number, problem)
            for path, content, deleted, updated_at, number, problem in rows]


def first_change_after(seq: int) -> datetime | None:
    """When the oldest write after `seq` was committed (None when there is none)."""
    with Session(db.engine) as session:
        return session.scalar(select(func.min(StoredArticle.changed_at))
                              .where(StoredArticle.seq > seq))


def states() -> dict[str, RowState]:
    """path → state of every row, for the folder sync."""
    with Session(db.engine) as session:
        rows = session.execute(select(StoredArticle.path, StoredArticle.fingerprint,
                                      StoredArticle.disk_fingerprint, StoredArticle.deleted,
                                      StoredArticle.problem))
        return {path: RowState(*rest) for path, *rest in rows}


def content(path: str) -> str | None:
    """The live text stored for this path, None when there is none."""
    with Session(db.engine) as session:
        row = session.get(StoredArticle, path)
        return None if row is None or row.deleted else row.content


def live_files() -> list[tuple[str, str]]:
    """(path, text) of every live file, by path (what an export writes)."""
    with Session(db.engine) as session:
        return list(session.execute(
            select(StoredArticle.path, StoredArticle.content)
            .where(StoredArticle.deleted.is_(False)).order_by(StoredArticle.path)).all())


def write(path: str, text: str, *, expected: str | None, author: Author, action: str,
          meta: dict | None = None, updated_at: datetime | None = None,
          on_disk: bool = False) -> int | None:
    """Store `text` as the file at `path`; the change number, or None when unchanged.

    `expected` is the fingerprint the writer started from (None: the file must not exist
    yet); a different stored version raises StaleVersion. `meta` holds the front matter
    fields kept in columns (slug, title, category, lang, status, audience); a slug another
    live file holds raises SlugTaken. `on_disk` marks the text as what the watched folder
    holds. A revision is recorded unless the article's last revision has the same text.
    """
    meta = meta or {}
    new_fingerprint = fingerprint(text)
    _ensure_counter()
    with Session(db.engine) as session, session.begin():
        current = _locked(session, path)
        current_fp = None if current is None or current.deleted else current.fingerprint
        if current_fp != expected:
            raise StaleVersion(None if current is None or current.deleted else current.content,
                               current_fp)
        if current_fp == new_fingerprint:
            if on_disk and current.disk_fingerprint != new_fingerprint:
                current.disk_fingerprint = new_fingerprint
            if current.problem is not None:  # the folder went back to the stored version
                current.problem, current.seq = None, _next_sequence(session)
                return current.seq
            return None
        slug = meta.get("slug")
        if slug and session.scalar(select(StoredArticle.path).where(
                StoredArticle.slug == slug, StoredArticle.path != path,
                StoredArticle.deleted.is_(False)).limit(1)):
            raise SlugTaken(slug)
        seq = _next_sequence(session)
        now = utcnow()
        if current is None:
            current = StoredArticle(path=path)
            session.add(current)
        current.slug = slug
        for key in ("title", "category", "lang", "status", "audience"):
            setattr(current, key, meta.get(key) or "")
        current.content, current.fingerprint, current.seq = text, new_fingerprint, seq
        current.deleted, current.problem = False, None
        current.updated_at, current.changed_at = updated_at or now, now
        if on_disk:
            current.disk_fingerprint = new_fingerprint
        if slug:
            _record_revision(session, slug, path, text, new_fingerprint, author, action)
        return seq


def delete(path: str, *, expected: str, author: Author, action: str = "delete") -> int:
    """Remove the file at `path` (a tombstone keeps its number); StaleVersion if changed."""
    _ensure_counter()
    with Session(db.engine) as session, session.begin():
        current = _locked(session, path)
        if current is None or current.deleted or current.fingerprint != expected:
            raise StaleVersion(None if current is None or current.deleted else current.content,
                               None if current is None or current.deleted else
                               current.fingerprint)
        seq = _next_sequence(session)
        current.deleted, current.seq, current.changed_at = True, seq, utcnow()
        current.disk_fingerprint = current.problem = None
        if current.slug:
            session.add(Revision(slug=current.slug, path=path, content=current.content,
                                 fingerprint=current.fingerprint, author_id=author.id,
                                 author_label=author.label, action=action))
        return seq


def flag_problem(path: str, problem: str | None) -> int | None:
    """Record (or clear, with None) why the folder's version of a file was refused; the
    stored version is left as it is. The change number, or None when nothing changed."""
    _ensure_counter()
    with Session(db.engine) as session, session.begin():
        current = _locked(session, path)
        if (current.problem if current else None) == problem:
            return None
        seq = _next_sequence(session)
        if current is None:  # a new file that never was valid: a problem-only tombstone
            current = StoredArticle(path=path, content="", fingerprint="", deleted=True,
                                    updated_at=utcnow())
            session.add(current)
        current.problem, current.seq, current.changed_at = problem, seq, utcnow()
        return seq


def forget_folder() -> None:
    """Forget what any watched folder held (after a restore onto another machine), so the
    watcher writes the files out instead of taking their absence for deletions."""
    with db.engine.begin() as conn:
        conn.execute(update(StoredArticle).values(disk_fingerprint=None))


def mark_on_disk(path: str, disk_fingerprint: str) -> None:
    """Record that the watched folder now holds this version of the file."""
    with db.engine.begin() as conn:
        conn.execute(update(StoredArticle).where(StoredArticle.path == path,
                                                 StoredArticle.fingerprint == disk_fingerprint)
                     .values(disk_fingerprint=disk_fingerprint))


def _ensure_counter() -> None:
    """Create the counter row before the first write (an empty database holds none, so a
    backup can be restored into it); a concurrent creator winning is fine."""
    with db.engine.connect() as conn:
        if conn.execute(select(ArticleSequence.id).where(ArticleSequence.id == 1)).first():
            return
    try:
        with db.engine.begin() as conn:
            conn.execute(insert(ArticleSequence).values(id=1, value=0))
    except IntegrityError:
        pass


def _next_sequence(session: Session) -> int:
    session.execute(update(ArticleSequence).where(ArticleSequence.id == 1)
                    .values(value=ArticleSequence.value + 1))
    return session.scalar(select(ArticleSequence.value).where(ArticleSequence.id == 1))


def _locked(session: Session, path: str) -> StoredArticle | None:
    # The counter row is taken first: it serialises writers (PostgreSQL holds its row lock
    # to commit; SQLite's write lock is taken by the first UPDATE), so the row read next
    # is the newest committed one.
    session.execute(update(ArticleSequence).where(ArticleSequence.id == 1)
                    .values(value=ArticleSequence.value))
    return session.scalar(select(StoredArticle).where(StoredArticle.path == path)
                          .with_for_update())


def _record_revision(session: Session, slug: str, path: str, text: str, text_fingerprint: str,
                     author: Author, action: str) -> None:
    last = session.scalar(select(Revision.fingerprint).where(Revision.slug == slug)
                          .order_by(Revision.id.desc()).limit(1))
    if last != text_fingerprint:
        session.add(Revision(slug=slug, path=path, content=text, fingerprint=text_fingerprint,
                             author_id=author.id, author_label=author.label, action=action))
