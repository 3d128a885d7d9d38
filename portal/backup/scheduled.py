"""Scheduled backups: one archive per run in PORTAL_BACKUP_DIR, the newest KEEP kept.

`run_scheduled_backup(app)` is the job `portal worker` runs. It writes the archive
atomically (a hidden temporary file renamed into place, so a listing never shows half an
archive), prunes the oldest archives beyond PORTAL_BACKUP_KEEP, and records the outcome
in `backup-status.json` beside the archives (or, when that folder cannot be written, in
the instance folder), so the admin page shows the last success and the last failure.
"""
from __future__ import annotations

import contextlib
import json
import logging
import os
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from flask import Flask

from portal.backup.archive import PREFIX, SUFFIX, create_backup, default_name
from portal.files import write_atomic
from portal.jobs.runner import Job

log = logging.getLogger(__name__)
STATUS_FILE = "backup-status.json"
JOB_NAME = "backup"


@dataclass(frozen=True)
class BackupFile:
    """One archive in the backup folder."""

    name: str
    path: Path
    size: int
    modified: datetime

    @property
    def age_seconds(self) -> float:
        """How long ago it was written."""
        return (datetime.now(timezone.utc) - self.modified).total_seconds()


def backup_dir(app: Flask) -> Path | None:
    """PORTAL_BACKUP_DIR, or None when scheduled backups are off."""
    folder = app.config.get("BACKUP_DIR")
    return Path(folder) if folder else None


def list_backups(folder: Path | None) -> list[BackupFile]:
    """The archives in the folder, newest first (temporary files are not archives)."""
    if folder is None or not Path(folder).is_dir():
        return []
    found = []
    for path in Path(folder).iterdir():
        if path.name.startswith(PREFIX) and path.name.endswith(SUFFIX) and path.is_file():
            stat = path.stat()
            found.append(BackupFile(path.name, path, stat.st_size,
                                    datetime.fromtimestamp(stat.st_mtime, timezone.utc)))
    return sorted(found, key=lambda b: (b.name, b.modified), reverse=True)


def prune(folder: Path, keep: int) -> list[str]:
    """Delete the oldest archives beyond `keep`; the names deleted."""
    removed = []
    for old in list_backups(folder)[max(keep, 1):]:
        old.path.unlink(missing_ok=True)
        removed.append(old.name)
    return removed


def remove_leftovers(folder: Path, older_than: float = 86400.0) -> list[str]:
    """Delete temporary archives a killed run left behind (hidden, older than a day)."""
    removed = []
    now = time.time()
    for path in Path(folder).glob(f".{PREFIX}*.tmp"):
        with contextlib.suppress(OSError):
            if now - path.stat().st_mtime > older_than:
                path.unlink()
                removed.append(path.name)
    return removed


def scheduled_jobs(app: Flask) -> list[Job]:
    """The backup job for `portal worker`: none when PORTAL_BACKUP_DIR is unset or
    PORTAL_BACKUP_INTERVAL is 0."""
    if backup_dir(app) is None or float(app.config.get("BACKUP_INTERVAL") or 0) <= 0:
        return []
    return [Job(JOB_NAME, float(app.config["BACKUP_INTERVAL"]), run_scheduled_backup)]


def run_scheduled_backup(app: Flask) -> Path | None:
    """Write one archive into PORTAL_BACKUP_DIR and prune; needs an app context. A failure
    is recorded for the admin page, logged, and raised again (the job runner logs it)."""
    folder = backup_dir(app)
    if folder is None:
        return None
    started = datetime.now(timezone.utc)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        remove_leftovers(folder)
        result = create_backup(folder / default_name(started))
        removed = prune(folder, int(app.config.get("BACKUP_KEEP") or 7))
    except Exception as exc:
        log.error("scheduled backup into %s failed: %s", folder, exc)
        record_status(app, {"last_failure": {"at": started.isoformat(),
                                             "error": f"{type(exc).__name__}: {exc}"}})
        raise
    record_status(app, {"last_success": {
        "at": started.isoformat(), "name": result.path.name, "size": result.size,
        "seconds": round(result.seconds, 1), "pruned": removed}})
    log.info("backup %s written (%d bytes); pruned %d", result.path, result.size, len(removed))
    return result.path


def _status_paths(app: Flask) -> list[Path]:
    folder = backup_dir(app)
    paths = [folder / STATUS_FILE] if folder else []
    return paths + [Path(app.instance_path) / STATUS_FILE]


def read_status(app: Flask) -> dict:
    """The last success and the last failure, newest of the recorded copies."""
    merged: dict = {}
    for path in _status_paths(app):
        try:
            found = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError):
            continue
        for key in ("last_success", "last_failure"):
            entry = found.get(key)
            if entry and (key not in merged or entry.get("at", "") > merged[key].get("at", "")):
                merged[key] = entry
    return merged


def record_status(app: Flask, update: dict) -> None:
    """Merge the outcome into the status file: beside the archives, else the instance folder."""
    status = {**read_status(app), **update}
    data = json.dumps(status, ensure_ascii=False, indent=1).encode("utf-8")
    for path in _status_paths(app):
        try:
            os.makedirs(path.parent, exist_ok=True)
            write_atomic(path, data, mode=0o600)
            return
        except OSError as exc:
            log.warning("cannot record the backup status in %s: %s", path, exc)


@dataclass(frozen=True)
class Overview:
    """What the admin page shows about scheduled backups."""

    folder: Path | None
    keep: int
    interval: float
    backups: list[BackupFile]
    last_success: dict | None
    last_failure: dict | None

    @property
    def failing(self) -> bool:
        """True when the last run failed (no success since the last failure)."""
        if not self.last_failure:
            return False
        return not self.last_success or self.last_failure["at"] > self.last_success["at"]


def overview(app: Flask) -> Overview:
    """The backup folder's archives and the last outcomes, times parsed for display."""
    status = read_status(app)

    def parsed(entry: dict | None) -> dict | None:
        if not entry:
            return None
        try:
            return {**entry, "at": datetime.fromisoformat(entry["at"])}
        except (KeyError, TypeError, ValueError):
            return None

    folder = backup_dir(app)
    return Overview(folder=folder, keep=int(app.config.get("BACKUP_KEEP") or 7),
                    interval=float(app.config.get("BACKUP_INTERVAL") or 0),
                    backups=list_backups(folder), last_success=parsed(status.get("last_success")),
                    last_failure=parsed(status.get("last_failure")))
