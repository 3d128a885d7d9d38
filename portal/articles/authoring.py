"""Writing articles from the web editor without ever losing an edit.

The editor composes front matter from form fields, validates the result with the same
parser the site uses, and stores it in one database transaction that refuses a save
made on top of an older version (two editors, one article, on any node) and records the
revision. Files on disk are the folder watcher's business (portal.articles.folder).
"""
from __future__ import annotations

import difflib
import logging
from dataclasses import dataclass, field

import yaml
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from portal.articles import store
from portal.articles.loader import ArticleError, parse_article
from portal.articles.model import Article
from portal.articles.repository import ArticleRepository
from portal.extensions import db
from portal.articles.revisions import Revision
from portal.accounts.models import User
from portal.text.privacy import without_personal_data

log = logging.getLogger(__name__)


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
    """A save that did not happen; nothing stored changed. The message says why."""


class EditConflict(SaveError):
    """Someone saved the article after this editor opened it."""

    def __init__(self, current_source: str, current_fingerprint: str, diff: list[str]):
        super().__init__(_("Someone else saved this article after you opened it. "
                           "Your text is kept below; compare it with the newer version, "
                           "merge, and save again."))
        self.current_source = current_source
        self.current_fingerprint = current_fingerprint
        self.diff = diff


def diff_lines(old: str, new: str, old_label: str, new_label: str) -> list[str]:
    """A unified diff between two versions of an article, line by line."""
    return list(difflib.unified_diff(old.splitlines(), new.splitlines(), old_label, new_label,
                                     lineterm=""))


def article_meta(article: Article) -> dict:
    """The front matter fields the articles table keeps in columns."""
    return {"slug": article.slug, "title": article.title, "category": article.category,
            "lang": article.lang, "status": article.status, "audience": article.audience}


def author_of(user: User | None) -> store.Author:
    """How a revision names who wrote it."""
    return store.Author(user.id, user.email) if user else store.Author(None, store.DISK_AUTHOR)


def save_article(repo: ArticleRepository, fields: ArticleFields, **kwargs) -> Article:
    """Save the editor's form fields (see save_source)."""
    return save_source(repo, fields.to_source(), **kwargs)


def save_source(repo: ArticleRepository, source: str, *, author: User | None,
                base_fingerprint: str | None, action: str = "save",
                existing_slug: str | None = None) -> Article:
    """Validate, check for a newer version and store, with its revision, in one transaction.

    `base_fingerprint` is the version the editor started from; when the stored article is
    no longer that version, nothing is written and EditConflict carries the newer text.
    """
    current = repo.get(existing_slug) if existing_slug else None
    if existing_slug and current is None:
        raise SaveError(_("This article no longer exists."))
    try:
        article = parse_article(source.encode("utf-8"), current.path if current else "new.md",
                                0)
    except ArticleError as exc:
        raise SaveError(str(exc)) from None
    if current is not None and article.slug != current.slug:
        raise SaveError(_("The address of a published article cannot change."))
    relpath = current.path if current else f"{article.slug}.md"
    taken = _("The address %(slug)s is taken by another article.", slug=article.slug)
    try:
        store.write(relpath, source, expected=base_fingerprint if current else None,
                    author=author_of(author), action=action, meta=article_meta(article))
    except store.SlugTaken:
        raise SaveError(taken) from None
    except store.StaleVersion as exc:
        if current is None:
            raise SaveError(taken) from None
        raise EditConflict(exc.current, exc.current_fingerprint or "",
                           diff_lines(exc.current, source, _("newer version"),
                                      _("your version"))) from None
    except SQLAlchemyError as exc:
        log.error("saving %s failed: %s", relpath, exc)
        reason = str(getattr(exc, "orig", None) or exc.__class__.__name__).splitlines()[0]
        raise SaveError(_("The article could not be written (%(reason)s). The previous "
                          "version is unchanged; your text is kept below.",
                          reason=reason)) from None
    repo.refresh()
    return repo.get(article.slug) or article


def revisions(slug: str) -> list[Revision]:
    """An article's history, newest first."""
    query = select(Revision).where(Revision.slug == slug).order_by(Revision.id.desc())
    return list(db.session.scalars(query))


def revision(slug: str, revision_id: int) -> Revision | None:
    """One revision of this article, None when the id belongs to another article."""
    found = db.session.get(Revision, revision_id)
    return found if found is not None and found.slug == slug else None


def _clean(values: list[str]) -> list[str]:
    seen: list[str] = []
    for value in values:
        value = value.strip()
        if value and value not in seen:
            seen.append(value)
    return seen


def add_aliases(repo: ArticleRepository, slug: str, phrases: list[str], *,
                author: User) -> Article:
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
                        action="add aliases", existing_slug=slug)
