"""Related articles: what else a reader of this article is likely to need."""
from __future__ import annotations

from portal.articles.model import Article


def related_articles(article: Article, candidates: list[Article], limit: int = 5) -> list[Article]:
    """Articles sharing tags (weighted most) or the category, best first, self excluded."""
    tags = set(article.tags)
    scored = []
    for other in candidates:
        if other.slug == article.slug:
            continue
        score = 2 * len(tags & set(other.tags)) + (other.category == article.category)
        score += 0.5 * (other.lang == article.lang)
        if score >= 1:
            scored.append((-score, other.title, other))
    return [other for _, _, other in sorted(scored, key=lambda t: t[:2])[:limit]]
