"""One search, the same for the HTML page and the JSON API.

Clamps paging and asks the engine for what the reader may see (customers: published
public articles; staff: internal canned replies too). The caller passes the engine and the
audiences in, so this module stays free of Flask; deep links are the web layer's job.
"""
from __future__ import annotations

from dataclasses import dataclass

from portal.articles.model import LANGUAGES
from portal.search.base import MAX_QUERY_CHARS, SearchEngine, SearchPage

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
        """Build from request args: the query cut to what is searched, paging clamped to its
        range (not a number: the default), an unknown language ignored."""
        return cls(query=(args.get("q") or "")[:MAX_QUERY_CHARS],
                   page=_clamp(args.get("page"), 1, MAX_PAGE, 1),
                   per_page=_clamp(args.get("per_page"), 1, MAX_PER_PAGE, 10),
                   lang=args.get("lang") if args.get("lang") in LANGUAGES else None,
                   category=(args.get("category") or None))


def run(engine: SearchEngine, request: SearchRequest, audiences: tuple[str, ...]) -> SearchPage:
    """The page of results for these audiences."""
    if not request.query.strip():
        return SearchPage(query=request.query, total=0, page=1, per_page=request.per_page,
                          suggestion=None)
    return engine.search(
        request.query, page=request.page, per_page=request.per_page, lang=request.lang,
        category=request.category, audiences=audiences)


def _clamp(value, low: int, high: int, default: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return max(low, min(high, number))
