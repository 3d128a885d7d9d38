"""Access to this app's long-lived services from inside a request or CLI command."""
from __future__ import annotations

from flask import current_app

from portal.accounts.roles import is_staff
from portal.articles.repository import ArticleRepository
from portal.search.base import SearchEngine


def articles() -> ArticleRepository:
    """The worker's article repository, rescanned when files changed on disk."""
    repository: ArticleRepository = current_app.extensions["portal.articles"]
    repository.maybe_refresh()
    return repository


def search() -> SearchEngine:
    """The worker's search engine (one open searcher, refreshed on index changes)."""
    articles()  # pick up changed files first, so a fresh edit is searchable
    return current_app.extensions["portal.search"]


def reader_audiences() -> tuple[str, ...]:
    """Staff also see internal articles (canned replies); customers only public ones."""
    return ("public", "internal") if is_staff() else ("public",)
