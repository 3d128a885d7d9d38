"""The live set of articles a worker serves, kept in step with its source.

Each web worker holds one repository over the articles table (DatabaseSource), which
every node shares: at most once per `rescan_seconds` it asks for the writes made since
the last look (one small query when there are none) and re-parses only those files.
`portal articles check` and the folder watcher hold one over a folder (FolderSource).
Listeners hear about each change.
"""
from __future__ import annotations

import dataclasses
import threading
import time
from collections import Counter
from typing import Callable, Hashable

from portal.articles.categories import CATEGORIES_FILE, Category, category_for, parse_categories
from portal.articles.loader import ArticleError, LoadResult, parse_article, resolve
from portal.articles.model import Article, Problem
from portal.articles.sources import ArticleSource, Entry
from portal.text.fold import fold

Listener = Callable[["ArticleRepository"], None]


class ArticleRepository:
    """Articles by slug, problems by path, categories, and change notification."""

    def __init__(self, source: ArticleSource, rescan_seconds: float = 2.0):
        self.source = source
        self.rescan_seconds = rescan_seconds
        self.version = 0
        self.token: Hashable | None = None
        self._lock = threading.RLock()
        self._parsed: dict[str, Article | Problem] = {}
        self._flagged: dict[str, Problem] = {}
        self._result = LoadResult({}, [])
        self._categories: dict[str, Category] = {}
        self._last_scan = 0.0
        self._listeners: list[Listener] = []

    # --- reading -------------------------------------------------------------------
    @property
    def articles(self) -> dict[str, Article]:
        """Every valid article, drafts and internal ones included."""
        return self._result.articles

    @property
    def problems(self) -> list[Problem]:
        """Every file left out of the site, with the reason."""
        return self._result.problems

    def get(self, slug: str) -> Article | None:
        """The article with this slug, whatever its status."""
        return self._result.articles.get(slug)

    def visible(self, audiences=("public",), statuses=("published",)) -> list[Article]:
        """Articles the reader may see, in category display order, then by title and slug."""
        found = [a for a in self._result.articles.values()
                 if a.audience in audiences and a.status in statuses]
        return sorted(found, key=lambda a: (self.category(a.category).order,
                                            self.category(a.category).key, a.title, a.slug))

    def matching(self, fields: dict[str, str], text: str = "") -> list[Article]:
        """For the editors' list: every article, drafts and internal ones too, whose fields
        equal the given non-empty values and whose title, slug, aliases, tags or questions
        contain the text (folded, so 帳號 finds 账号), newest first."""
        needle = fold(text)
        found = [article for article in self._result.articles.values()
                 if all(not value or getattr(article, key) == value
                        for key, value in fields.items())
                 and (not needle or needle in fold(" ".join([
                     article.title, article.slug, *article.aliases, *article.tags,
                     *(q.text for q in article.questions)])))]
        return sorted(found, key=lambda a: a.updated, reverse=True)

    def category(self, key: str) -> Category:
        """The category an article's category value refers to."""
        return category_for(key, self._categories)

    def categories(self, articles: list[Article]) -> list[tuple[Category, int]]:
        """Categories that hold any of the given articles, with counts, in display order."""
        counts = Counter(a.category for a in articles)
        cats = [(self.category(key), n) for key, n in counts.items()]
        return sorted(cats, key=lambda pair: (pair[0].order, pair[0].key))

    def category_by_slug(self, slug: str) -> Category | None:
        """The category whose URL slug this is, if any article or the file declares it."""
        for category in self._categories.values():
            if category.slug == slug:
                return category
        for article in self._result.articles.values():
            if self.category(article.category).slug == slug:
                return self.category(article.category)
        return None

    # --- keeping in step with the source ------------------------------------------
    def subscribe(self, listener: Listener) -> None:
        """Call listener after every change of the article set."""
        self._listeners.append(listener)

    def maybe_refresh(self) -> bool:
        """Refresh when the last look is older than rescan_seconds; True if anything changed."""
        if time.monotonic() - self._last_scan < self.rescan_seconds:
            return False
        return self.refresh()

    def refresh(self) -> bool:
        """Apply the source's changes since the last look now; True if anything changed."""
        with self._lock:
            self._last_scan = time.monotonic()
            token, entries = self.source.changes(self.token)
            if entries is None:
                return False
            if self.token is None:
                self._parsed, self._flagged = {}, {}
            self.token = token
            if not self._apply(entries):
                return False
            result = resolve(list(self._parsed.items()))
            self._result = LoadResult(result.articles, result.problems + sorted(
                self._flagged.values(), key=lambda problem: problem.path))
            self.version += 1
        for listener in list(self._listeners):
            listener(self)
        return True

    def _apply(self, entries: list[Entry]) -> bool:
        changed = False
        for entry in entries:
            if entry.problem:
                problem = Problem(entry.path, entry.problem)
                changed |= self._flagged.get(entry.path) != problem
                self._flagged[entry.path] = problem
            else:
                changed |= self._flagged.pop(entry.path, None) is not None
            if entry.path == CATEGORIES_FILE:
                self._categories = parse_categories(entry.data or b"")
                self._parsed = {path: self._canonical(item)
                                for path, item in self._parsed.items()}
                changed = True
            elif entry.data is None:
                changed |= self._parsed.pop(entry.path, None) is not None
            else:
                self._parsed[entry.path] = self._canonical(_parse(entry))
                changed = True
        return changed

    def _canonical(self, item: Article | Problem) -> Article | Problem:
        if isinstance(item, Problem):
            return item
        raw = item.extra.get("category", item.category)
        key = self.category(raw).key
        if key == item.category:
            return item
        return dataclasses.replace(item, category=key, extra={**item.extra, "category": raw})


def _parse(entry: Entry) -> Article | Problem:
    if entry.error:
        return Problem(entry.path, f"cannot be read: {entry.error}")
    try:
        return parse_article(entry.data, entry.path, entry.updated_at.timestamp())
    except ArticleError as exc:
        return Problem(entry.path, str(exc), exc.line)
