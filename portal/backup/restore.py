"""Restoring an archive into an empty database: everything checked before anything is written.

Order of work: read the archive into a temporary folder while hashing every member;
compare the hashes, sizes and row counts with the manifest; refuse a schema revision this
code does not know (a newer portal made it) and a target that holds any row. Only then
bring the empty schema to the archive's revision, insert every table in dependency order
in one transaction, migrate up to this code's head, and reset PostgreSQL's sequences.
SQLite → PostgreSQL and back is the same path: the archive names no database.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import shutil
import tarfile
import tempfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import flask_migrate
from alembic.runtime.migration import MigrationContext
from sqlalchemy import DateTime, MetaData, func, inspect, select, text
from sqlalchemy.engine import Connection

from portal.articles import store
from portal.backup.archive import (FORMAT, FORMAT_VERSION, MANIFEST, BATCH, Progress, _Quiet,
                                   head_revision, revision_order)
from portal.backup.values import KINDS, decode
from portal.database import UTCDateTime
from portal.extensions import db

MAX_MANIFEST_BYTES = 16 << 20


class RestoreError(Exception):
    """A restore that did not happen (or stopped); the message says why."""


@dataclass
class RestoreResult:
    """What a restore wrote."""

    schema_revision: str
    migrated_to: str
    tables: dict[str, int] = field(default_factory=dict)


def read_archive(path: Path, work_dir: Path) -> dict:
    """Unpack the archive into work_dir and check it against its manifest; the manifest.

    Raises RestoreError for a damaged, truncated or tampered archive; nothing outside
    work_dir is touched.
    """
    path, work_dir = Path(path), Path(work_dir)
    found: dict[str, tuple[str, int]] = {}
    try:
        with tarfile.open(path, "r:gz") as tar:
            for member in tar:
                name = member.name
                parts = PurePosixPath(name).parts
                if (not member.isfile() or PurePosixPath(name).is_absolute() or ".." in parts
                        or not parts):
                    raise RestoreError(f"{path}: unexpected entry {name!r}; not a portal backup")
                if name in found:
                    raise RestoreError(f"{path}: {name} appears twice; not a portal backup")
                target = work_dir / name
                target.parent.mkdir(parents=True, exist_ok=True)
                sha, size = hashlib.sha256(), 0
                source = tar.extractfile(member)
                with open(target, "wb") as out:
                    for chunk in iter(lambda: source.read(1 << 20), b""):
                        sha.update(chunk)
                        size += len(chunk)
                        out.write(chunk)
                found[name] = (sha.hexdigest(), size)
    except FileNotFoundError:
        raise RestoreError(f"{path} does not exist") from None
    except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
        raise RestoreError(f"{path} is damaged or truncated ({exc}); "
                           f"nothing was restored") from None
    if MANIFEST not in found:
        raise RestoreError(f"{path} has no {MANIFEST}: not a portal backup")
    if found[MANIFEST][1] > MAX_MANIFEST_BYTES:
        raise RestoreError(f"{path}: the manifest is implausibly large")
    try:
        manifest = json.loads((work_dir / MANIFEST).read_text("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise RestoreError(f"{path}: the manifest is not valid JSON ({exc})") from None
    try:
        _check_manifest(path, manifest, found, work_dir)
    except (TypeError, KeyError, ValueError, AttributeError) as exc:
        raise RestoreError(f"{path}: the manifest is malformed ({exc!r}); nothing was "
                           f"restored") from None
    return manifest


def _check_manifest(path: Path, manifest: dict, found: dict, work_dir: Path) -> None:
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise RestoreError(f"{path} is not a portal backup")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise RestoreError(f"{path} has backup format {manifest.get('format_version')}; this "
                           f"portal reads format {FORMAT_VERSION}")
    members = manifest.get("members") or {}
    present = {name for name in found if name != MANIFEST}
    if set(members) - present:
        missing = ", ".join(sorted(set(members) - present))
        raise RestoreError(f"{path} is incomplete: missing {missing}")
    if present - set(members):
        raise RestoreError(f"{path} holds files its manifest does not list: "
                           f"{', '.join(sorted(present - set(members)))}")
    for name, expected in members.items():
        if (expected.get("sha256"), expected.get("size")) != found[name]:
            raise RestoreError(f"{path}: {name} does not match its checksum in the manifest "
                               f"(damaged or changed); nothing was restored")
    for table, info in (manifest.get("tables") or {}).items():
        member = f"tables/{table}.jsonl"
        if member not in members:
            raise RestoreError(f"{path}: table {table} has no {member}")
        if any(kind not in KINDS for _name, kind in info.get("columns", [])):
            raise RestoreError(f"{path}: table {table} has a column of an unknown kind")
        with open(work_dir / member, "rb") as handle:
            lines = sum(1 for _ in handle)
        if lines != info.get("rows"):
            raise RestoreError(f"{path}: table {table} holds {lines} rows, the manifest says "
                               f"{info.get('rows')}; nothing was restored")


def check_target(manifest: dict) -> str | None:
    """Refuse an archive from a newer schema and a target database holding any row; the
    target's current revision (None for a database never migrated)."""
    order = revision_order()
    revision = manifest.get("schema_revision")
    if revision not in order:
        raise RestoreError(
            f"the archive's schema revision {revision} is newer than this portal "
            f"(which knows up to {head_revision()}): restore it with the portal version that "
            f"made it ({manifest.get('portal_version')}) or newer; nothing was restored")
    with db.engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
        names = [n for n in inspect(conn).get_table_names() if n != "alembic_version"]
        meta = MetaData()
        meta.reflect(conn, only=names)
        filled = {}
        for table in meta.sorted_tables:
            count = conn.scalar(select(func.count()).select_from(table))
            if count:
                filled[table.name] = count
    if revision == head_revision():  # the models are the archive's schema: check it now
        known = {t.name: set(t.columns.keys()) for t in db.metadata.sorted_tables}
        for name, info in manifest["tables"].items():
            missing = ({name} if name not in known
                       else {f"{name}.{c}" for c, _kind in info["columns"]} -
                       {f"{name}.{c}" for c in known[name]})
            if missing:
                raise RestoreError(f"the archive holds {', '.join(sorted(missing))}, unknown at "
                                   f"revision {revision}: not a backup of this portal; "
                                   f"nothing was restored")
    if current is not None and current not in order:
        raise RestoreError(f"the target database is at schema revision {current}, unknown to "
                           f"this portal; nothing was restored")
    if filled:
        listed = ", ".join(f"{name} ({count})" for name, count in sorted(filled.items()))
        raise RestoreError(f"the target database is not empty: {listed}. Restore only into an "
                           f"empty database (a new one, migrated or not); nothing was restored")
    return current


def restore_database(work_dir: Path, manifest: dict, *, progress: Progress | None = None
                     ) -> RestoreResult:
    """Load a checked archive (read_archive) into the app's empty database."""
    progress = progress or _Quiet()
    current = check_target(manifest)
    order = revision_order()
    revision, head = manifest["schema_revision"], head_revision()
    if current is None or order.index(current) < order.index(revision):
        flask_migrate.upgrade(revision=revision)
    elif order.index(current) > order.index(revision):
        flask_migrate.downgrade(revision=revision)  # an empty database loses nothing
    tables = manifest["tables"]
    progress.start(sum(info["rows"] for info in tables.values()))
    loaded: dict[str, int] = {}
    with db.engine.begin() as conn:
        targets = _target_tables(conn, revision == head)
        unknown = set(tables) - {t.name for t in targets}
        if unknown:
            raise RestoreError(f"the archive holds tables unknown at revision {revision}: "
                               f"{', '.join(sorted(unknown))}")
        for table in targets:
            if table.name in tables:
                loaded[table.name] = _load_table(conn, table, tables[table.name],
                                                 Path(work_dir) / "tables" / f"{table.name}.jsonl",
                                                 progress)
    if revision != head:
        flask_migrate.upgrade()
    reset_sequences()
    store.forget_folder()  # this machine's folder never held the restored files
    return RestoreResult(schema_revision=revision, migrated_to=head, tables=loaded)


def _target_tables(conn: Connection, at_head: bool):
    """The models' tables when the archive is at this code's head, else the database's own
    (an older schema, to be migrated after loading)."""
    if at_head:
        return list(db.metadata.sorted_tables)
    meta = MetaData()
    meta.reflect(conn)
    return [t for t in meta.sorted_tables if t.name != "alembic_version"]


def _load_table(conn: Connection, table, info: dict, path: Path, progress: Progress) -> int:
    kinds = dict(info["columns"])
    unknown = set(kinds) - set(table.columns.keys())
    if unknown:
        raise RestoreError(f"table {table.name} has no column {', '.join(sorted(unknown))} "
                           f"in this database; nothing was restored")
    naive = {name for name in kinds
             if isinstance(table.columns[name].type, DateTime)
             and not isinstance(table.columns[name].type, UTCDateTime)
             and not table.columns[name].type.timezone}
    rows, batch = 0, []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            batch.append({name: decode(record.get(name), kind, naive_utc=name in naive)
                          for name, kind in kinds.items()})
            if len(batch) >= BATCH:
                conn.execute(table.insert(), batch)
                rows += len(batch)
                progress.advance(len(batch))
                batch = []
    if batch:
        conn.execute(table.insert(), batch)
        rows += len(batch)
        progress.advance(len(batch))
    return rows


def reset_sequences() -> None:
    """PostgreSQL: move every id sequence past the restored rows (explicit ids do not)."""
    if db.engine.dialect.name != "postgresql":
        return  # SQLite's AUTOINCREMENT follows inserted ids by itself
    with db.engine.begin() as conn:
        for table in db.metadata.sorted_tables:
            column = table.autoincrement_column
            if column is None:
                continue
            conn.execute(text(
                f'SELECT setval(pg_get_serial_sequence(:table, :column), '
                f'COALESCE(MAX("{column.name}"), 1), MAX("{column.name}") IS NOT NULL) '
                f'FROM "{table.name}"'), {"table": table.name, "column": column.name})


@contextlib.contextmanager
def unpacked(path: Path):
    """A temporary folder holding the checked archive; removed afterwards."""
    work = Path(tempfile.mkdtemp(prefix="portal-restore-"))
    try:
        yield work, read_archive(path, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
