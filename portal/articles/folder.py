"""Markdown files stay first-class: import a folder, export to one, or watch one.

The database is the source of truth; a folder is how docs-as-code teams edit it in git.
`import_folder` takes each changed file in as one revision and reports conflicts;
`export_folder` writes every article's stored text byte for byte, so `git diff` shows
only real changes; `FolderWatcher` (a job, on the one node that names the folder) does
both continuously: a file edited on disk becomes a revision, a web edit is written back
to its file, and a file the folder held and no longer holds is deleted. A missing or
empty folder never deletes anything.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from portal.articles import store
from portal.articles.authoring import article_meta
from portal.articles.categories import CATEGORIES_FILE, parse_categories
from portal.articles.loader import ArticleError, parse_article
from portal.articles.sources import Entry, FolderSource
from portal.files import inside, write_atomic

log = logging.getLogger(__name__)
DISK = store.Author(None, store.DISK_AUTHOR)


@dataclass
class FolderReport:
    """What one pass over a folder did, file by file, for the CLI and the log."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    problems: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """True when the database or the folder changed."""
        return bool(self.created or self.updated or self.deleted or self.written)

    def summary(self) -> str:
        """One line for the terminal or the log."""
        return (f"{len(self.created)} created, {len(self.updated)} updated, "
                f"{len(self.deleted)} deleted, {len(self.written)} written back, "
                f"{self.unchanged} unchanged, {len(self.problems)} problems, "
                f"{len(self.conflicts)} conflicts")


def import_folder(root: Path | str, *, dry_run: bool = False) -> FolderReport:
    """Take every new or changed file of `root` into the database, one revision each.

    A file whose stored article was also changed since the folder last matched it (a web
    edit) is a conflict: reported and left alone. Nothing is ever deleted by an import.
    """
    report = FolderReport()
    files = _read(Path(root), report)
    states = store.states()
    for path, (entry, meta) in sorted(files.items()):
        state = states.get(path)
        if isinstance(meta, str):
            if not dry_run:
                _record_problem(path, state, meta)
            continue
        fp = store.fingerprint(_text(entry))
        if state is None or state.deleted:
            _take(path, entry, meta, None, "import", report.created, report, dry_run)
        elif state.fingerprint == fp:
            report.unchanged += 1
            if not dry_run:
                _agree(path, state, fp)
        elif state.disk_fingerprint is not None and state.fingerprint == state.disk_fingerprint:
            _take(path, entry, meta, state.fingerprint, "import", report.updated, report, dry_run)
        else:
            report.conflicts.append(f"{path}: changed in the portal and in the folder; "
                                    "export it, merge, and import again")
    return report


def export_folder(root: Path | str, *, mark: bool = False) -> FolderReport:
    """Write every live article's stored text into `root` (only files whose bytes differ).

    `mark` records that the watched folder now holds these versions (export into
    PORTAL_ARTICLES_DIR); files the database does not hold are left alone.
    """
    report = FolderReport()
    root = Path(root)
    for path, text in store.live_files():
        target = inside(root, path)
        data = text.encode("utf-8")
        try:
            same = target.read_bytes() == data
        except OSError:
            same = False
        if same:
            report.unchanged += 1
        else:
            write_atomic(target, data)
            report.written.append(path)
        if mark:
            store.mark_on_disk(path, store.fingerprint(text))
    return report


class FolderWatcher:
    """Keeps one folder and the database in step, a pass per call (the watch job)."""

    def __init__(self, root: Path | str):
        self.root = Path(root)
        self._source = FolderSource(self.root)
        self._token = None
        self._seen_sequence: int | None = None
        self._files: dict[str, tuple[Entry, dict | str]] = {}
        self._reported: dict[str, str] = {}

    def run_once(self) -> FolderReport:
        """One pass: disk edits in, web edits out, deletions of files the folder held."""
        report = FolderReport()
        if not self.root.is_dir():
            return report
        latest = store.latest_sequence()
        token, entries = self._source.changes(self._token)
        if entries is None and latest == self._seen_sequence:
            return report  # neither the folder nor the database changed
        self._token, self._seen_sequence = token, latest
        for entry in entries or []:
            if entry.data is None:
                self._files.pop(entry.path, None)
            else:
                self._files[entry.path] = _validated(entry, report)
        if entries:
            self._report_new(report)
        states = store.states()
        for path, (entry, meta) in sorted(self._files.items()):
            state = states.get(path)
            if isinstance(meta, str):  # broken: the stored version keeps serving
                _record_problem(path, state, meta)
                continue
            fp = store.fingerprint(_text(entry))
            if state is None or state.deleted:
                _take(path, entry, meta, None, "disk", report.created, report)
            elif state.fingerprint == fp:
                _agree(path, state, fp)
                report.unchanged += 1
            elif state.disk_fingerprint == fp:
                self._write_back(path, report)  # only the database changed: a web edit
            elif state.disk_fingerprint is None:  # the folder never held this row
                self._conflict(path, report)
            else:
                if state.fingerprint != state.disk_fingerprint:
                    log.warning("%s was edited in the portal and on disk; the disk version "
                                "wins, the portal's stays in the history", path)
                _take(path, entry, meta, state.fingerprint, "disk", report.updated, report)
        if self._files:  # an empty folder (an unmounted volume) deletes nothing
            for path, state in sorted(states.items()):
                if path in self._files:
                    continue
                if state.deleted:
                    _record_problem(path, state, None)  # a broken never-valid file is gone
                elif state.disk_fingerprint is None:
                    self._write_back(path, report)  # created in the portal
                else:
                    self._delete(path, state, report)
        if report.changed or report.conflicts:
            log.info("articles folder %s: %s", self.root, report.summary())
        return report

    def _write_back(self, path: str, report: FolderReport) -> None:
        text = store.content(path)
        if text is None:
            return
        try:
            write_atomic(inside(self.root, path), text.encode("utf-8"))
        except (OSError, ValueError) as exc:
            report.problems.append(f"{path}: cannot be written back: {exc}")
            return
        store.mark_on_disk(path, store.fingerprint(text))
        report.written.append(path)
        self._token = None  # re-read the folder next pass, our own write included

    def _delete(self, path: str, state: store.RowState, report: FolderReport) -> None:
        if state.fingerprint != state.disk_fingerprint:
            self._write_back(path, report)  # edited in the portal since: kept, not deleted
            return
        try:
            store.delete(path, expected=state.fingerprint, author=DISK,
                         action="deleted on disk")
        except store.StaleVersion:
            return
        report.deleted.append(path)

    def _conflict(self, path: str, report: FolderReport) -> None:
        message = (f"{path}: the file differs from the article stored in the portal, which "
                   "this folder never held; export, merge, and import it")
        report.conflicts.append(message)
        if self._reported.get(path) != message:
            log.warning("articles folder: %s", message)
            self._reported[path] = message

    def _report_new(self, report: FolderReport) -> None:
        for problem in report.problems:
            path = problem.split(":", 1)[0]
            if self._reported.get(path) != problem:
                log.warning("articles folder: %s", problem)
                self._reported[path] = problem


def _read(root: Path, report: FolderReport) -> dict[str, tuple[Entry, dict | str]]:
    if not root.is_dir():
        report.problems.append(f"{root}: not a folder")
        return {}
    _token, entries = FolderSource(root).changes(None)
    return {entry.path: _validated(entry, report) for entry in entries or []}


def _validated(entry: Entry, report: FolderReport) -> tuple[Entry, dict | str]:
    """The file and its column values, or why it is refused (also reported)."""
    problem = _problem(entry)
    if isinstance(problem, str):
        report.problems.append(f"{entry.path}: {problem}")
    return entry, problem


def _problem(entry: Entry) -> dict | str:
    if entry.error:
        return f"cannot be read: {entry.error}"
    if entry.path == CATEGORIES_FILE:
        try:
            entry.data.decode("utf-8")
        except UnicodeDecodeError:
            return "not valid UTF-8"
        parse_categories(entry.data, entry.path)
        return {}
    try:
        article = parse_article(entry.data, entry.path, entry.updated_at.timestamp())
    except ArticleError as exc:
        return f"line {exc.line}: {exc}" if exc.line else str(exc)
    return article_meta(article)


def _record_problem(path: str, state: store.RowState | None, problem: str | None) -> None:
    """Store why the folder's file is refused (None: it no longer is), if that changed."""
    if (state.problem if state else None) != problem:
        store.flag_problem(path, problem)


def _agree(path: str, state: store.RowState, fp: str) -> None:
    """The folder holds the stored version: remember it, and drop an old refusal."""
    if state.disk_fingerprint != fp:
        store.mark_on_disk(path, fp)
    _record_problem(path, state, None)


def _take(path: str, entry: Entry, meta: dict, expected: str | None, action: str,
          bucket: list[str], report: FolderReport, dry_run: bool = False) -> None:
    if dry_run:
        bucket.append(path)
        return
    try:
        store.write(path, _text(entry), expected=expected, author=DISK, action=action,
                    meta=meta, updated_at=entry.updated_at, on_disk=True)
    except store.SlugTaken as exc:
        report.problems.append(f"{path}: duplicate slug {exc.args[0]!r}, already used by "
                               "another article")
        return
    except store.StaleVersion:
        report.conflicts.append(f"{path}: changed in the portal during the import")
        return
    bucket.append(path)


def _text(entry: Entry) -> str:
    return entry.data.decode("utf-8")
