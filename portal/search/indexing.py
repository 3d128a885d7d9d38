"""Keeping the search index in step with the articles.

Turns each article into search documents (one for the article, one per question) and
re-indexes only the articles whose file changed, whenever the repository notices a
change: at start-up, after an editor's save, after a `git pull` into `articles/`.
"""
from __future__ import annotations

import logging
from typing import Iterable, Mapping, Protocol

from portal.articles.model import Article
from portal.search.base import SearchDocument, SearchEngine

log = logging.getLogger(__name__)


class ArticleSource(Protocol):
    """What indexing needs of the article repository: the valid articles by slug."""

    articles: Mapping[str, Article]


def article_documents(article: Article) -> list[SearchDocument]:
    """The article's own document plus one per question heading."""
    common = dict(slug=article.slug, title=article.title, aliases=article.aliases,
                  tags=article.tags, category=article.category, lang=article.lang,
                  status=article.status, audience=article.audience,
                  fingerprint=article.fingerprint)
    whole = SearchDocument(doc_id=article.slug, anchor="", kind="article", question="",
                           body=article.text or _plain(article), **common)
    return [whole] + [
        SearchDocument(doc_id=f"{article.slug}#{q.anchor}", anchor=q.anchor, kind="question",
                       question=q.text, body=q.answer_text, **common)
        for q in article.questions]


def _plain(article: Article) -> str:
    from portal.articles.render import to_text

    return to_text(article.html)


def all_documents(repo: ArticleSource) -> Iterable[SearchDocument]:
    """Every document of every valid article (the provider for a full rebuild)."""
    for article in list(repo.articles.values()):
        yield from article_documents(article)


def current_mapping(repo: ArticleSource) -> dict[str, tuple[str, list[SearchDocument]]]:
    """slug → (fingerprint, documents), what the engine's sync compares with the index."""
    return {slug: (a.fingerprint, article_documents(a)) for slug, a in repo.articles.items()}


def sync_listener(engine: SearchEngine):
    """A repository listener that re-indexes changed articles; never fails the caller."""

    def listener(repo: ArticleSource) -> None:
        try:
            report = engine.sync(current_mapping(repo))
        except Exception:  # the site must keep serving pages even if indexing fails
            log.exception("search index sync failed")
            return
        if report.added or report.updated or report.removed:
            log.info("search index: %d added, %d updated, %d removed", len(report.added),
                     len(report.updated), len(report.removed))

    return listener
