"""The live set of articles a worker serves, kept in step with the files on disk.

Each web worker holds one repository. It re-reads only files whose size or mtime
changed, at most once per `rescan_seconds`, so edits made in `articles/` (by an editor,
`git pull` or the web editor) reach the site without a restart and without re-parsing
unchanged files on every request. Listeners (the search index) hear about each change.
"""
from __future__ import annotations

import dataclasses
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Callable

from portal.articles.categories import Category, category_for, load_categories
from portal.articles.loader import LoadResult, article_files, load_file, resolve
from portal.articles.model import Article, Problem
from portal.text.fold import fold

Listener = Callable[["ArticleRepository"], None]


class ArticleRepository:
    """Articles by slug, problems by path, categories, and change notification."""

    def __init__(self, root: Path | str, rescan_seconds: float = 2.0):
        self.root = Path(root)
        self.rescan_seconds = rescan_seconds
        self.version = 0
        self._lock = threading.RLock()
        self._files: dict[str, tuple[tuple[int, int], Article | Problem]] = {}
        self._result = LoadResult({}, [])
        self._categories: dict[str, Category] = {}
        self._categories_stamp: tuple[int, int] | None = None
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

    def newest_change(self) -> float | None:
        """The newest modification time (Unix time) among the article files last scanned."""
        stamps = [stamp[0] for stamp, _item in self._files.values()]
        return max(stamps) / 1e9 if stamps else None

    # --- keeping in step with disk --------------------------------------------------
    def subscribe(self, listener: Listener) -> None:
        """Call listener after every change of the article set."""
        self._listeners.append(listener)

    def maybe_refresh(self) -> bool:
        """Rescan when the last scan is older than rescan_seconds; True if anything changed."""
        if time.monotonic() - self._last_scan < self.rescan_seconds:
            return False
        return self.refresh()

    def refresh(self) -> bool:
        """Rescan the folder now, re-reading changed files only; True if anything changed."""
        with self._lock:
            self._last_scan = time.monotonic()
            changed = self._refresh_categories()
            seen: dict[str, tuple[tuple[int, int], Article | Problem]] = {}
            for path in article_files(self.root):
                relpath = path.relative_to(self.root).as_posix()
                try:
                    stat = path.stat()
                except OSError:
                    continue
                stamp = (stat.st_mtime_ns, stat.st_size)
                known = self._files.get(relpath)
                if known and known[0] == stamp:
                    seen[relpath] = known
                else:
                    seen[relpath] = (stamp, self._canonical(load_file(path, self.root)))
                    changed = True
            if seen.keys() != self._files.keys():
                changed = True
            if not changed:
                return False
            self._files = seen
            self._result = resolve([(rel, item) for rel, (_, item) in seen.items()])
            self.version += 1
        for listener in list(self._listeners):
            listener(self)
        return True

    def _refresh_categories(self) -> bool:
        path = self.root / "categories.yml"
        try:
            stat = path.stat()
            stamp = (stat.st_mtime_ns, stat.st_size)
        except OSError:
            stamp = None
        if stamp == self._categories_stamp:
            return False
        self._categories_stamp = stamp
        self._categories = load_categories(self.root)
        self._files = {}  # category names may have changed: re-read every article
        return True

    def _canonical(self, item: Article | Problem) -> Article | Problem:
        if isinstance(item, Problem):
            return item
        key = self.category(item.category).key
        return item if key == item.category else dataclasses.replace(item, category=key)
