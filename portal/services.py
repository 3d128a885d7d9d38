"""Access to this app's long-lived services from inside a request or CLI command."""
from __future__ import annotations

from flask import current_app

from portal.accounts.roles import is_staff
from portal.articles.repository import ArticleRepository
from portal.search.base import SearchEngine


def articles() -> ArticleRepository:
    """The worker's article repository, following the database's writes."""
    repository: ArticleRepository = current_app.extensions["portal.articles"]
    repository.maybe_refresh()
    return repository


def search() -> SearchEngine:
    """The worker's search engine (one open searcher, refreshed on index changes)."""
    return current_app.extensions["portal.search"]


def reader_audiences() -> tuple[str, ...]:
    """Staff also see internal articles (canned replies); customers only public ones."""
    return ("public", "internal") if is_staff() else ("public",)
