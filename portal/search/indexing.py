"""Keeping the search index in step with the articles.

Turns each article into search documents (one for the article, one per question), for
the index follower (following.py) and full rebuilds.
"""
from __future__ import annotations

from typing import Iterable, Mapping, Protocol

from portal.articles.model import Article
from portal.search.base import SearchDocument


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

