"""Access to this app's long-lived services from inside a request or CLI command."""
from __future__ import annotations

from flask import current_app

from .content.repository import ArticleRepository


def articles() -> ArticleRepository:
    """The worker's article repository, rescanned when files changed on disk."""
    repository: ArticleRepository = current_app.extensions["portal.articles"]
    repository.maybe_refresh()
    return repository
