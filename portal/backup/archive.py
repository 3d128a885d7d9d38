"""Writing a backup archive: every table as JSON Lines, the articles as Markdown, a manifest.

The archive is a `.tar.gz` with `manifest.json` first, then `tables/<table>.jsonl` (one
JSON object per row, in primary key order) and `articles/…` (the Markdown). Tables are
read inside one snapshot (a REPEATABLE READ, read-only transaction on PostgreSQL, one
read transaction on SQLite), streamed row by row to temporary files, so a million logged
searches never sit in memory. Every table of the models' metadata is included, so a new
table needs no change here; API tokens never are, and staff password hashes and session
tokens only on request.
"""
from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import tarfile
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Protocol

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import func, select
from sqlalchemy.engine import Connection, Engine

from portal.backup.articles import articles_markdown
from portal.backup.values import column_kind, encode
from portal.database import MIGRATIONS
from portal.extensions import db

FORMAT = "help-portal-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SUFFIX = ".tar.gz"
PREFIX = "portal-backup-"
# Never in an archive: API tokens are credentials of other systems; make new ones.
EXCLUDED_TABLES = ("api_tokens",)
# Written only with --include-secrets; otherwise replaced by these values (an empty
# password hash matches no password: staff choose a new one with a reset link).
SECRET_COLUMNS = {"users": {"password_hash": "", "session_token": None}}
BATCH = 1000


class BackupError(Exception):
    """A backup that was not written; the message says why."""


class Progress(Protocol):
    """Told the number of rows to go, then each batch done (a progress bar on a terminal)."""

    def start(self, total: int) -> None: ...

    def advance(self, rows: int) -> None: ...


class _Quiet:
    def start(self, total: int) -> None:
        pass

    def advance(self, rows: int) -> None:
        pass


@dataclass
class BackupResult:
    """What one backup wrote."""

    path: Path
    schema_revision: str
    tables: dict[str, int] = field(default_factory=dict)
    articles: int = 0
    size: int = 0
    seconds: float = 0.0


def portal_version() -> str:
    """The installed portal's version."""
    try:
        return importlib_metadata.version("help-portal")
    except importlib_metadata.PackageNotFoundError:
        return "unknown"


def head_revision() -> str:
    """The schema revision this code expects."""
    return ScriptDirectory(MIGRATIONS).get_current_head()


def revision_order() -> list[str]:
    """Every known schema revision, oldest first."""
    return [script.revision for script in ScriptDirectory(MIGRATIONS).walk_revisions()][::-1]


def default_name(now: datetime | None = None) -> str:
    """portal-backup-20260131T020000Z.tar.gz: sorts by time."""
    now = now or datetime.now(timezone.utc)
    return f"{PREFIX}{now.astimezone(timezone.utc):%Y%m%dT%H%M%S}Z{SUFFIX}"


@contextlib.contextmanager
def snapshot(engine: Engine):
    """One connection whose reads all see the same moment of the database."""
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                conn.exec_driver_sql("SET TRANSACTION READ ONLY")
                yield conn
        elif engine.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN")  # a read transaction: one WAL snapshot until rollback
            try:
                yield conn
            finally:
                conn.rollback()
        else:
            with conn.begin():
                yield conn


def backed_up_tables():
    """The tables an archive holds, parents before children."""
    return [t for t in db.metadata.sorted_tables if t.name not in EXCLUDED_TABLES]


def create_backup(output: Path, *, include_secrets: bool = False,
                  progress: Progress | None = None) -> BackupResult:
    """Write the archive to `output` atomically (a temporary file renamed into place, mode
    0600: it holds personal data); needs an app context."""
    progress = progress or _Quiet()
    started = time.monotonic()
    output = Path(output)
    with tempfile.TemporaryDirectory(prefix="portal-backup-") as work:
        work_dir = Path(work)
        tables: dict[str, int] = {}
        columns: dict[str, list[list[str]]] = {}
        with snapshot(db.engine) as conn:
            revision = MigrationContext.configure(conn).get_current_revision()
            if revision != head_revision():
                raise BackupError(f"the database schema is at {revision}, this code needs "
                                  f"{head_revision()}: run `portal db upgrade` first")
            articles = articles_markdown(work_dir / "articles", conn)
            selected = backed_up_tables()
            progress.start(sum(conn.scalar(select(func.count()).select_from(t)) or 0
                               for t in selected))
            for table in selected:
                columns[table.name] = [[c.name, column_kind(c)] for c in table.columns]
                tables[table.name] = _dump_table(conn, table, work_dir / "tables",
                                                 include_secrets, progress)
        members = {path.relative_to(work_dir).as_posix(): _digest(path)
                   for path in sorted(work_dir.rglob("*")) if path.is_file()}
        manifest = {
            "format": FORMAT, "format_version": FORMAT_VERSION,
            "portal_version": portal_version(), "schema_revision": revision,
            "created_at": datetime.now(timezone.utc).isoformat(),
            "database": db.engine.dialect.name, "include_secrets": include_secrets,
            "excluded_tables": list(EXCLUDED_TABLES), "articles": articles,
            "tables": {name: {"rows": tables[name], "columns": columns[name]}
                       for name in tables},
            "members": {name: {"sha256": sha, "size": size}
                        for name, (sha, size) in members.items()},
        }
        _write_tar(output, manifest, work_dir, sorted(members))
    return BackupResult(path=output, schema_revision=revision, tables=tables,
                        articles=articles, size=output.stat().st_size,
                        seconds=time.monotonic() - started)


def _dump_table(conn: Connection, table, folder: Path, include_secrets: bool,
                progress: Progress) -> int:
    """Stream one table's rows into folder/<table>.jsonl; the number of rows."""
    kinds = [(c.name, column_kind(c)) for c in table.columns]
    overrides = {} if include_secrets else dict(SECRET_COLUMNS.get(table.name, {}))
    for column in table.columns:  # a reference to a table left out would dangle
        if any(fk.column.table.name in EXCLUDED_TABLES for fk in column.foreign_keys):
            overrides[column.name] = None
    folder.mkdir(parents=True, exist_ok=True)
    query = select(table).order_by(*table.primary_key.columns)
    rows = 0
    with open(folder / f"{table.name}.jsonl", "w", encoding="utf-8", newline="\n") as out:
        result = conn.execute(query.execution_options(yield_per=BATCH))
        for batch in result.mappings().partitions():
            for row in batch:
                record = {name: (overrides[name] if name in overrides else encode(row[name], kind))
                          for name, kind in kinds}
                out.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")))
                out.write("\n")
            rows += len(batch)
            progress.advance(len(batch))
    return rows


def _digest(path: Path) -> tuple[str, int]:
    sha = hashlib.sha256()
    size = 0
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            sha.update(chunk)
            size += len(chunk)
    return sha.hexdigest(), size


def _tar_info(name: str, size: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = size, 0o600, int(time.time())
    return info


def _write_tar(output: Path, manifest: dict, work_dir: Path, names: list[str]) -> None:
    """manifest.json first, then the members; into a temporary file renamed into place."""
    output.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".tmp", dir=output.parent)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as raw:
            with tarfile.open(fileobj=raw, mode="w:gz", format=tarfile.PAX_FORMAT) as tar:
                data = json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8")
                tar.addfile(_tar_info(MANIFEST, len(data)), io.BytesIO(data))
                for name in names:
                    path = work_dir / name
                    with open(path, "rb") as handle:
                        tar.addfile(_tar_info(name, path.stat().st_size), handle)
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(temporary, output)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    with contextlib.suppress(OSError):  # the rename itself survives a crash
        dir_fd = os.open(output.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
