"""Where an article repository reads its files from: the database or a folder.

A source answers one question, "what changed since this token?", with the files that
changed (text, or None when removed). Web workers read the database, which every node
shares; the folder source is for `portal articles check`, imports and the watcher.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Hashable, Protocol

from portal.articles import store
from portal.articles.categories import CATEGORIES_FILE
from portal.articles.loader import article_files


@dataclass(frozen=True)
class Entry:
    """One changed file: its path, bytes (None when it is gone), last change time, why it
    could not be read, and why its newer version in the watched folder was refused."""

    path: str
    data: bytes | None
    updated_at: datetime
    error: str | None = None
    problem: str | None = None


class ArticleSource(Protocol):
    """What an ArticleRepository reads from."""

    def changes(self, token: Hashable | None) -> tuple[Hashable, list[Entry] | None]:
        """(new token, the changed files) since `token`, or (token, None) when nothing
        changed; a None token asks for every file."""


class DatabaseSource:
    """The articles table, followed by change number: cheap when nothing changed."""

    def changes(self, token):
        latest = store.latest_sequence()
        if token is not None and latest == token:
            return token, None
        found = store.changes_since(token or 0)
        entries = [Entry(c.path, None if c.content is None else c.content.encode("utf-8"),
                         c.updated_at, problem=c.problem) for c in found]
        return max([latest] + [c.seq for c in found]), entries


class FolderSource:
    """A folder of Markdown files; only files whose size or time changed are re-read."""

    def __init__(self, root: Path | str):
        self.root = Path(root)

    def changes(self, token):
        known: dict[str, tuple[int, int]] = dict(token or {})
        seen: dict[str, tuple[int, int]] = {}
        entries: list[Entry] = []
        paths = article_files(self.root) + [p for p in [self.root / CATEGORIES_FILE]
                                            if p.is_file()]
        for path in paths:
            relpath = path.relative_to(self.root).as_posix()
            try:
                stat = path.stat()
            except OSError:
                continue
            stamp = (stat.st_mtime_ns, stat.st_size)
            seen[relpath] = stamp
            if known.get(relpath) != stamp:
                changed = datetime.fromtimestamp(stat.st_mtime, tz=timezone.utc)
                try:
                    entries.append(Entry(relpath, path.read_bytes(), changed))
                except OSError as exc:
                    entries.append(Entry(relpath, b"", changed, exc.strerror or str(exc)))
        now = datetime.now(timezone.utc)
        entries += [Entry(relpath, None, now) for relpath in known if relpath not in seen]
        if token is not None and not entries:
            return token, None
        return tuple(sorted(seen.items())), entries

