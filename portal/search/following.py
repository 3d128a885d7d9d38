"""Each node's search index follows the articles table by change number.

A background job on every node (`portal worker`, or the job thread of `portal run`;
never a request) asks the articles repository for the writes since its last look and
re-indexes the articles whose fingerprint changed. The change number the index has
reached is kept in a small file beside the index, so /readyz can say how far behind
this node's index is.
"""
from __future__ import annotations

import logging
import os
from datetime import datetime
from typing import Hashable, Protocol

from portal.files import write_atomic
from portal.search import indexing
from portal.search.base import SearchEngine

log = logging.getLogger(__name__)
APPLIED_FILE = "SEQUENCE"


class FollowedArticles(indexing.ArticleSource, Protocol):
    """What the follower needs of the article repository: refresh it from the database
    and read the change number it reached."""

    token: Hashable | None

    def refresh(self) -> bool: ...


def applied_sequence(index_dir: str) -> int | None:
    """The change number this node's index has caught up with (None: never built)."""
    try:
        with open(os.path.join(index_dir, APPLIED_FILE), encoding="ascii") as handle:
            return int(handle.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def record_applied(index_dir: str, sequence: int) -> None:
    """Remember that the index holds every change up to `sequence` (after its commit)."""
    os.makedirs(index_dir, exist_ok=True)
    write_atomic(os.path.join(index_dir, APPLIED_FILE), f"{sequence}\n".encode())


def catch_up(engine: SearchEngine, repository: FollowedArticles, index_dir: str) -> bool:
    """Apply the writes made since the index's change number; True when it re-indexed."""
    repository.refresh()
    sequence = repository.token or 0
    if engine.generation == "none":  # a new node, or a new index folder: build it whole
        rebuild(engine, repository, index_dir)
        return True
    if applied_sequence(index_dir) == sequence and engine.generation != "unavailable":
        return False
    report = engine.sync(indexing.current_mapping(repository))
    record_applied(index_dir, sequence)
    if report.added or report.updated or report.removed:
        log.info("search index at change %d: %d added, %d updated, %d removed", sequence,
                 len(report.added), len(report.updated), len(report.removed))
    return True


def rebuild(engine: SearchEngine, repository: FollowedArticles, index_dir: str,
            progress=None) -> int:
    """Build a whole new index beside the live one and swap it in; the documents indexed."""
    repository.refresh()
    sequence = repository.token or 0
    docs = list(indexing.all_documents(repository))
    engine.rebuild(docs, progress=progress)
    record_applied(index_dir, sequence)
    return len(docs)


def lag_seconds(index_dir: str, latest: int, first_change_after, now: datetime) -> float:
    """How long the oldest write this index has not applied has waited (0: caught up).

    `first_change_after(sequence)` gives when the first write after a number committed.
    """
    applied = applied_sequence(index_dir) or 0
    if applied >= latest:
        return 0.0
    since = first_change_after(applied)
    return 0.0 if since is None else round(max(0.0, (now - since).total_seconds()), 3)
