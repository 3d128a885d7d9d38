"""Translation groups: an article and its translations (`translation_of: <slug>`) are one
answer in several languages, so lists and search show the group once, in the reader's
language when it exists, and the article page links to the other languages.

Pure: no Flask, no database. Questions of a translation correspond to the original's
by position, as in the agents' localized links.
"""
from __future__ import annotations

from typing import Iterable, Sequence, TypeVar

from portal.articles.model import LANGUAGES, Article

Hit = TypeVar("Hit")


def group_key(article: Article) -> str:
    """The slug of the original: the same for every member of a translation group."""
    return article.translation_of or article.slug


def _preference(article: Article, lang: str) -> tuple[bool, bool]:
    return article.lang != lang, article.translation_of is not None


def one_per_group(articles: Iterable[Article], lang: str) -> list[Article]:
    """One article per group, the reader's language first, else the original; the group
    keeps the place of its first member in the given order."""
    chosen: dict[str, Article] = {}
    for article in articles:
        key = group_key(article)
        if key not in chosen or _preference(article, lang) < _preference(chosen[key], lang):
            chosen[key] = article
    return list(chosen.values())


def translations_of(article: Article, articles: Iterable[Article]) -> list[Article]:
    """The other languages of this article's group, in the order of LANGUAGES."""
    key = group_key(article)
    others = [a for a in articles if group_key(a) == key and a.slug != article.slug]
    return sorted(others, key=lambda a: LANGUAGES.index(a.lang))


def one_hit_per_question(hits: Sequence[Hit], by_slug: dict[str, Article],
                         lang: str) -> list[Hit]:
    """Search hits with each translated question once, in the reader's language when one
    of its versions was found; the question keeps the rank of its best version."""
    places: dict[tuple, int] = {}
    kept: list[Hit] = []
    for hit in hits:
        article = by_slug.get(hit.slug)
        if article is None:
            kept.append(hit)
            continue
        anchors = [q.anchor for q in article.questions]
        position = anchors.index(hit.anchor) if hit.anchor in anchors else -1
        key = (group_key(article), position)
        if key not in places:
            places[key] = len(kept)
            kept.append(hit)
        elif article.lang == lang and by_slug[kept[places[key]].slug].lang != lang:
            kept[places[key]] = hit
    return kept
