"""The index folder on disk: generation sub-folders, a CURRENT pointer and a write lock.

A rebuild writes a complete new generation beside the live one and then replaces the
small CURRENT file atomically (portal.files), so every process switches from one whole index to
the other and never sees a half-built one. All writers — in any thread or process —
serialise on one lock file (portal.files), so a rebuild and an incremental update cannot
interleave.
"""
from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import warnings

from whoosh import index as windex

from portal.files import file_lock, write_atomic
from portal.search.whoosh.schema import SCHEMA_VERSION, build_schema

INDEX_NAME = "MAIN"
POINTER = "CURRENT"
_GENERATION = re.compile(r"^gen-(\d+)-[0-9a-f]{8}$")


class IndexUnavailable(Exception):
    """The live index is missing, unreadable or of another schema version."""


class IndexStore:
    """Locates, opens, creates and publishes index generations under `root`."""

    def __init__(self, root: str, lock_timeout: float):
        self.root = os.path.abspath(root)
        self.lock_timeout = lock_timeout
        self.schema = build_schema()
        os.makedirs(self.root, exist_ok=True)
        self._write_lock, self._lock_pid = None, 0

    def current_name(self) -> str | None:
        """The live generation's folder name, or None when nothing was published."""
        try:
            with open(os.path.join(self.root, POINTER), encoding="utf-8") as handle:
                name, _, version = handle.read().strip().partition(" ")
        except FileNotFoundError:
            return None
        if not _GENERATION.match(name):
            raise IndexUnavailable(f"unreadable {POINTER} pointer {name!r}")
        if version != SCHEMA_VERSION:
            raise IndexUnavailable(f"schema version {version!r}, expected {SCHEMA_VERSION!r}")
        return name

    def open(self, name: str):
        """The Whoosh index of generation `name` (opened with our schema, never unpickled)."""
        return self._read(name, lambda ix: ix)

    def open_searcher(self, name: str):
        """(index, searcher) of generation `name`, with every segment opened."""
        def searcher(ix):
            opened = ix.searcher()
            opened.doc_count_all()
            return ix, opened
        return self._read(name, searcher)

    def _read(self, name: str, then):
        path = os.path.join(self.root, name)
        with warnings.catch_warnings():
            # Whoosh leaves a damaged TOC file open when it rejects it; the file is
            # closed (with a ResourceWarning) when the failed attempt is dropped, here.
            warnings.simplefilter("ignore", ResourceWarning)
            try:
                return then(windex.open_dir(path, indexname=INDEX_NAME, schema=self.schema))
            except Exception as exc:  # any failure to read the files means "unavailable"
                reason = repr(exc)
        raise IndexUnavailable(f"cannot open {name}: {reason}")

    def create(self):
        """A new, empty generation folder (not yet live): (name, index)."""
        numbers = [int(m.group(1)) for m in map(_GENERATION.match, os.listdir(self.root)) if m]
        name = "gen-%06d-%s" % (max(numbers, default=0) + 1, secrets.token_hex(4))
        path = os.path.join(self.root, name)
        os.makedirs(path)
        return name, windex.create_in(path, self.schema, indexname=INDEX_NAME)

    def publish(self, name: str) -> None:
        """Make `name` the live generation atomically, then delete the others."""
        write_atomic(os.path.join(self.root, POINTER), f"{name} {SCHEMA_VERSION}\n".encode())
        self.remove_except(name)

    def remove_except(self, keep: str | None) -> None:
        """Delete every generation folder but `keep` (open readers keep their files)."""
        for entry in os.listdir(self.root):
            if _GENERATION.match(entry) and entry != keep:
                shutil.rmtree(os.path.join(self.root, entry), ignore_errors=True)

    @contextlib.contextmanager
    def write_lock(self, wait: bool = True):
        """The writers' lock: exclusive across processes and threads, re-entrant in one
        thread; raises portal.files.LockTimeout after lock_timeout seconds of waiting, or
        at once with wait=False. The folder is recreated first if it was deleted. The lock
        object is made per process: one from before a fork (gunicorn's preloaded master)
        must not be used in the forked worker."""
        os.makedirs(self.root, exist_ok=True)
        if self._lock_pid != os.getpid():
            self._write_lock = file_lock(os.path.join(self.root, "WRITE.lock"), self.lock_timeout)
            self._lock_pid = os.getpid()
        with self._write_lock.acquire(timeout=None if wait else 0):
            yield
