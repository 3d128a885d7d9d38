"""The search interface: what an engine indexes and returns, and the protocol it meets.

Routes, jobs and CLI commands talk to `SearchEngine` only, so another engine can replace
Whoosh (`portal.search.whoosh`) later.

The article loader turns each Markdown file into SearchDocuments (one for the whole
article, one per question heading); the engine answers with SearchPage / SearchHit /
Suggestion. Keeping these plain dataclasses lets another engine replace Whoosh later.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable, Mapping, Protocol, Sequence

# The longest query an engine searches. The search service cuts every query to it, so the
# query shown, logged and echoed by the API is the one that was searched.
MAX_QUERY_CHARS = 256


class SearchUnavailable(Exception):
    """The index is missing and is being rebuilt in the background: try again shortly."""

    retry_after = 30  # seconds, for the Retry-After header


@dataclass(frozen=True)
class SearchDocument:
    """One searchable unit: a whole article (anchor "") or one of its questions."""

    doc_id: str          # "slug" for the whole-article doc, "slug#anchor" for a question doc
    slug: str
    anchor: str          # "" for the whole-article doc
    kind: str            # "article" | "question"
    title: str           # the article title
    question: str        # the question heading ("" for an article doc)
    body: str            # plain text of the answer (article doc: whole article text)
    aliases: tuple[str, ...]
    tags: tuple[str, ...]
    category: str
    lang: str            # zh-Hans | zh-Hant | en
    status: str          # draft | published | archived
    audience: str        # public | internal
    fingerprint: str     # content hash of the source file, for incremental re-indexing


@dataclass(frozen=True)
class SearchHit:
    """One ranked result; snippet_html is escaped text with matches in <mark>."""

    slug: str
    anchor: str
    kind: str
    title: str
    question: str
    snippet_html: str
    category: str
    lang: str
    audience: str
    score: float


@dataclass(frozen=True)
class SearchPage:
    """One page of results plus what a results page needs around them.

    facets counts matching documents per category under every filter except the
    category filter itself, so a page filtered to one category can still show the
    others. suggestion is the query with its misspelt words corrected, when the engine
corrected (and searched) any.
    confidence (0–1) says how much of the query the best answer covers, weighted by
    how telling each word is; confident is the engine's decision from it: when False,
    the hits share words with the query but none answers it, and the search counts as
    failed (kind weak_results). Pages are shared through the engine's cache: treat them as read-only.
    """

    query: str
    total: int
    page: int
    per_page: int
    suggestion: str | None
    hits: list[SearchHit] = field(default_factory=list)
    facets: dict[str, int] = field(default_factory=dict)
    confident: bool = False
    confidence: float = 0.0


@dataclass(frozen=True)
class Suggestion:
    """A type-ahead entry: the title, question or alias text that matched the prefix."""

    text: str
    slug: str
    anchor: str
    kind: str


@dataclass(frozen=True)
class SyncReport:
    """What sync() changed: slugs added, re-indexed and removed; unchanged is a count."""

    added: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    unchanged: int = 0


class SearchEngine(Protocol):
    """What the portal needs from a search engine."""

    @property
    def generation(self) -> str: ...

    def updated_at(self) -> float | None:
        """When the live index last changed (Unix time), None before the first build."""

    def index_article(self, slug: str, docs: Sequence[SearchDocument]) -> None: ...

    def remove_article(self, slug: str) -> None: ...

    def sync(self, current: Mapping[str, tuple[str, list[SearchDocument]]]) -> SyncReport: ...

    def rebuild(self, docs: Iterable[SearchDocument],
                progress: Callable[[int], None] | None = None) -> None: ...

    def search(self, query: str, *, page: int = 1, per_page: int = 10,
               lang: str | None = None, category: str | None = None,
               audiences: Sequence[str] = ("public",),
               statuses: Sequence[str] = ("published",)) -> SearchPage: ...

    def suggest(self, prefix: str, *, limit: int = 8, audiences: Sequence[str] = ("public",),
                statuses: Sequence[str] = ("published",)) -> list[Suggestion]: ...

    def close(self) -> None: ...
