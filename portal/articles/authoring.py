"""Writing articles from the web editor without ever losing an edit.

The editor composes front matter from form fields, validates the result with the same
parser the site uses, refuses a save made on top of an older version (two editors, one
article), writes the file atomically and stores a revision. Changes made straight to the
files are recorded as revisions by "disk" when the repository notices them.
"""
from __future__ import annotations

import difflib
import hashlib
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from portal.files import LockTimeout, file_lock, write_atomic
from portal.articles.loader import ArticleError, parse_article
from portal.articles.model import Article
from portal.articles.repository import ArticleRepository
from portal.extensions import db
from portal.articles.revisions import Revision
from portal.accounts.models import User
from portal.text.privacy import without_personal_data

log = logging.getLogger(__name__)
DISK_AUTHOR = "disk"


@dataclass
class ArticleFields:
    """What the editor's form holds; front matter is built from it, never typed as YAML."""

    title: str
    body: str
    slug: str = ""
    category: str = ""
    tags: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    lang: str = "zh-Hans"
    audience: str = "public"
    status: str = "draft"
    translation_of: str = ""

    @classmethod
    def from_article(cls, article: Article) -> "ArticleFields":
        """The fields of an existing article, for the edit form."""
        return cls(title=article.title, body=article.body_markdown, slug=article.slug,
                   category=article.category, tags=list(article.tags),
                   aliases=list(article.aliases), lang=article.lang,
                   audience=article.audience, status=article.status,
                   translation_of=article.translation_of or "")

    def to_source(self) -> str:
        """The article file's text: YAML front matter and the Markdown body."""
        meta = {"title": self.title.strip(), "slug": self.slug.strip(),
                "category": self.category.strip(), "tags": _clean(self.tags),
                "aliases": _clean(self.aliases), "lang": self.lang, "status": self.status,
                "audience": self.audience}
        if self.translation_of.strip():
            meta["translation_of"] = self.translation_of.strip()
        header = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
        body = self.body.replace("\r\n", "\n").strip("\n")
        return f"---\n{header}---\n\n{body}\n"


class SaveError(Exception):
    """A save that did not happen; nothing on disk changed. The message says why."""


class EditConflict(SaveError):
    """Someone saved the article after this editor opened it."""

    def __init__(self, current_source: str, current_fingerprint: str, diff: list[str]):
        super().__init__(_("Someone else saved this article after you opened it. "
                           "Your text is kept below; compare it with the newer version, "
                           "merge, and save again."))
        self.current_source = current_source
        self.current_fingerprint = current_fingerprint
        self.diff = diff


def fingerprint(data: bytes) -> str:
    """The content hash the loader gives an article (sha1 of the file's bytes)."""
    return hashlib.sha1(data).hexdigest()


def diff_lines(old: str, new: str, old_label: str, new_label: str) -> list[str]:
    """A unified diff between two versions of an article, line by line."""
    return list(difflib.unified_diff(old.splitlines(), new.splitlines(), old_label, new_label,
                                     lineterm=""))


def write_lock_path(instance_path: str) -> Path:
    """The lock that serialises article writes and their revisions across this machine's
    workers, so that no worker records another's save, or a disk edit, twice."""
    return Path(instance_path) / "articles.lock"


def lock_path() -> Path:
    """The article write lock of the running app (see write_lock_path)."""
    return write_lock_path(current_app.instance_path)


def save_article(repo: ArticleRepository, fields: ArticleFields, **kwargs) -> Article:
    """Save the editor's form fields (see save_source)."""
    return save_source(repo, fields.to_source(), **kwargs)


def save_source(repo: ArticleRepository, source: str, *, author: User,
                base_fingerprint: str | None, lock_path: Path, action: str = "save",
                existing_slug: str | None = None) -> Article:
    """Validate, check for a newer version, write atomically, record a revision.

    `base_fingerprint` is the version the editor started from; when the file on disk is
    no longer that version, nothing is written and EditConflict carries the newer text.
    """
    data = source.encode("utf-8")
    current = repo.get(existing_slug) if existing_slug else None
    if existing_slug and current is None:
        raise SaveError(_("This article no longer exists."))
    try:
        article = parse_article(data, current.path if current else "new.md", time.time())
    except ArticleError as exc:
        raise SaveError(str(exc)) from None
    relpath = current.path if current else f"{article.slug}.md"
    if current is not None and article.slug != current.slug:
        raise SaveError(_("The address of a published article cannot change."))

    path = repo.root / relpath
    with file_lock(lock_path, timeout=10):
        if current is None:  # checked under the lock: two editors cannot both take it
            if repo.get(article.slug) or path.exists():
                raise SaveError(_("The address %(slug)s is taken by another article.",
                                  slug=article.slug))
        else:
            on_disk = path.read_bytes() if path.exists() else b""
            if fingerprint(on_disk) != base_fingerprint:
                newer = on_disk.decode("utf-8", "replace")
                raise EditConflict(newer, fingerprint(on_disk),
                                   diff_lines(newer, source, _("newer version"), _("your version")))
        try:
            write_atomic(path, data)
        except OSError as exc:
            log.error("saving %s failed: %s", path, exc)
            raise SaveError(_("The article could not be written (%(reason)s). The previous "
                              "version is unchanged; your text is kept below.",
                              reason=exc.strerror or str(exc))) from None
        record_revision(article.slug, relpath, source, author=author, action=action)
    repo.refresh()
    return repo.get(article.slug) or article


def record_revision(slug: str, relpath: str, source: str, *, author: User | None,
                    action: str) -> Revision:
    """Store the full text of one version."""
    revision = Revision(slug=slug, path=relpath, content=source,
                        fingerprint=fingerprint(source.encode("utf-8")),
                        author_id=author.id if author else None,
                        author_label=author.email if author else DISK_AUTHOR, action=action)
    db.session.add(revision)
    db.session.commit()
    return revision


def revisions(slug: str) -> list[Revision]:
    """An article's history, newest first."""
    query = select(Revision).where(Revision.slug == slug).order_by(Revision.id.desc())
    return list(db.session.scalars(query))


def revision(slug: str, revision_id: int) -> Revision | None:
    """One revision of this article, None when the id belongs to another article."""
    found = db.session.get(Revision, revision_id)
    return found if found is not None and found.slug == slug else None


def record_disk_changes(repo: ArticleRepository, lock_path: Path) -> int:
    """Record a "disk" revision for every article whose file differs from its last revision.

    Runs under the write lock: an editor's save in flight finishes its own revision first,
    and a second worker noticing the same disk edit finds it already recorded.
    """
    with file_lock(lock_path, timeout=10):
        return _record_disk_changes(repo)


def _record_disk_changes(repo: ArticleRepository) -> int:
    latest_ids = (select(func.max(Revision.id)).group_by(Revision.slug)).scalar_subquery()
    known = dict(db.session.execute(
        select(Revision.slug, Revision.fingerprint).where(Revision.id.in_(latest_ids))).all())
    recorded = 0
    for article in repo.articles.values():
        if known.get(article.slug) == article.fingerprint:
            continue
        try:
            source = (repo.root / article.path).read_text("utf-8")
        except OSError:
            continue
        if fingerprint(source.encode("utf-8")) != article.fingerprint:
            continue  # changed again since the scan; the next scan records it
        db.session.add(Revision(slug=article.slug, path=article.path, content=source,
                                fingerprint=article.fingerprint, author_label=DISK_AUTHOR,
                                action="disk"))
        recorded += 1
    db.session.commit()
    return recorded


def disk_change_listener(app):
    """A repository listener that records disk revisions, never failing the caller."""

    lock_path = write_lock_path(app.instance_path)

    def listener(repo: ArticleRepository) -> None:
        with app.app_context():
            try:
                record_disk_changes(repo, lock_path)
            except LockTimeout:
                log.warning("could not record article revisions from disk: %s is busy", lock_path)
            except SQLAlchemyError as exc:
                db.session.rollback()
                log.warning("could not record article revisions from disk: %s", exc)

    return listener


def _clean(values: list[str]) -> list[str]:
    seen: list[str] = []
    for value in values:
        value = value.strip()
        if value and value not in seen:
            seen.append(value)
    return seen


def add_aliases(repo: ArticleRepository, slug: str, phrases: list[str], *, author: User,
                lock_path: Path) -> Article:
    """Add other ways people ask to an article, so the same search finds it next time.

    Aliases are public (type-ahead shows them), so a phrase holding personal data is
    never added, however it reached this point.
    """
    article = repo.get(slug)
    if article is None:
        raise SaveError(_("This article no longer exists."))
    fields = ArticleFields.from_article(article)
    fields.aliases = _clean(fields.aliases + without_personal_data(phrases))
    if fields.aliases == list(article.aliases):
        return article
    return save_article(repo, fields, author=author, base_fingerprint=article.fingerprint,
                        lock_path=lock_path, action="add aliases", existing_slug=slug)
