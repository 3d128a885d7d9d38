"""The one place imported articles are saved: through the editor's save, with its checks,
into the articles table with a revision."""
from __future__ import annotations

from portal.accounts.models import User
from portal.articles import authoring
from portal.articles.model import Article
from portal.articles.repository import ArticleRepository


def save_imported(repo: ArticleRepository, source: str, author: User | None) -> Article:
    """Save one imported article's text as a new article; raises authoring.SaveError."""
    return authoring.save_source(repo, source, author=author, base_fingerprint=None,
                                 action="import")
