"""One search, the same for the HTML page and the JSON API.

Clamps paging, picks what the reader may see (customers: published public articles;
staff: internal canned replies too) and gives every hit its deep link.
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from flask import url_for

from portal import services
from portal.articles.model import LANGUAGES
from portal.search.base import SearchHit, SearchPage

MAX_PER_PAGE = 50
MAX_PAGE = 100


@dataclass(frozen=True)
class SearchRequest:
    """A reader's search, already cleaned: no value here comes raw from the URL."""

    query: str
    page: int = 1
    per_page: int = 10
    lang: str | None = None
    category: str | None = None

    @classmethod
    def from_args(cls, args) -> "SearchRequest":
        """Build from request args; bad numbers and unknown languages fall back quietly."""
        return cls(query=(args.get("q") or "")[:1000],
                   page=_clamp(args.get("page"), 1, MAX_PAGE, 1),
                   per_page=_clamp(args.get("per_page"), 1, MAX_PER_PAGE, 10),
                   lang=args.get("lang") if args.get("lang") in LANGUAGES else None,
                   category=(args.get("category") or None))


def run(request: SearchRequest, audiences: tuple[str, ...] | None = None) -> SearchPage:
    """The page of results this reader may see."""
    if not request.query.strip():
        return SearchPage(query=request.query, total=0, page=1, per_page=request.per_page,
                          suggestion=None)
    return services.search().search(
        request.query, page=request.page, per_page=request.per_page, lang=request.lang,
        category=request.category, audiences=audiences or services.reader_audiences())


def hit_url(hit: SearchHit, external: bool = False) -> str:
    """The deep link to a hit: the article, at the question's anchor (Chinese kept)."""
    base = url_for("public.article", slug=hit.slug, _external=external)
    return f"{base}#{hit.anchor}" if hit.anchor else base


def result_link(hit: SearchHit, public_id: str | None) -> str:
    """The href of a result on the search page: through the open-tracking redirect when logged.

    Built by hand rather than with url_for: a results page has many of them and this is the
    hot path of the most used page.
    """
    if not public_id:
        return hit_url(hit)
    return (f"/s/{public_id}/open?slug={quote(hit.slug, safe='')}"
            f"&anchor={quote(hit.anchor, safe='')}")


def _clamp(value, low: int, high: int, default: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return max(low, min(high, number))
