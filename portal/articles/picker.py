"""Finding an article by a few typed letters, for staff pickers that replace long selects.

Matching is on the folded slug, title and aliases (so 帳號 finds 帐号 and case does not
matter); titles that start with the text come first. Pure: no Flask, no database.
"""
from __future__ import annotations

from typing import Iterable

from portal.articles.model import Article
from portal.text.fold import fold

PICKER_LIMIT = 10


def match_articles(articles: Iterable[Article], text: str,
                   limit: int = PICKER_LIMIT) -> list[Article]:
    """Articles whose slug, title or an alias contains the text, best first."""
    wanted = fold(text or "").strip()
    if not wanted:
        return []
    found = []
    for article in articles:
        title = fold(article.title)
        haystack = [article.slug.lower(), title, *(fold(alias) for alias in article.aliases)]
        if any(wanted in candidate for candidate in haystack):
            starts = title.startswith(wanted) or article.slug.lower().startswith(wanted)
            found.append((not starts, len(article.title), article.title, article))
    return [item[-1] for item in sorted(found, key=lambda item: item[:3])[:limit]]
