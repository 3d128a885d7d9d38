"""A damaged, truncated or tampered archive, a newer schema revision or a target holding
data each stop the restore with a clear message and change nothing; an archive of an
older schema is loaded at its revision and migrated up."""
from __future__ import annotations

import gzip
import hashlib
import io
import json
import tarfile
from pathlib import Path

import flask_migrate
import pytest
import sqlalchemy as sa

from portal import create_app
from portal.backup.archive import head_revision, revision_order
from portal.extensions import db


@pytest.fixture
def archive(filled_portal, tmp_path) -> Path:
    source = filled_portal()
    path = tmp_path / "help.tar.gz"
    result = source.test_cli_runner().invoke(args=["backup", "create", "--output", str(path)])
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture
def target(make_app, tmp_path):
    (tmp_path / "target-articles").mkdir()
    return make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'target.sqlite3'}",
                    ARTICLES_DIR=str(tmp_path / "target-articles"),
                    INDEX_DIR=str(tmp_path / "target-index"))


def members(path: Path) -> dict[str, bytes]:
    with tarfile.open(path) as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers()}


def write_members(path: Path, files: dict[str, bytes], *, rehash: bool = True) -> None:
    if rehash:
        manifest = json.loads(files["manifest.json"])
        manifest["members"] = {name: {"sha256": hashlib.sha256(data).hexdigest(),
                                      "size": len(data)}
                               for name, data in files.items() if name != "manifest.json"}
        files = {**files, "manifest.json": json.dumps(manifest).encode()}
    with tarfile.open(path, "w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


def folder_state(folder: Path) -> dict | None:
    if not folder.exists():
        return None
    return {p.relative_to(folder).as_posix(): (p.stat().st_mtime_ns, p.stat().st_size)
            for p in folder.rglob("*")}


@pytest.fixture
def refused(target, tmp_path, table_rows):
    """refused(path, *words): the restore stops, saying the words, and changes nothing."""

    def state():
        with target.app_context(), db.engine.connect() as conn:
            revision = conn.scalar(sa.text("SELECT version_num FROM alembic_version"))
        return revision, table_rows(target), folder_state(tmp_path / "target-articles")

    def check(path: Path, *expected: str) -> None:
        before = state()
        result = target.test_cli_runner().invoke(args=["backup", "restore", str(path)])
        assert result.exit_code == 1, result.output
        for words in expected:
            assert words in result.output
        assert "Traceback" not in result.output
        assert state() == before

    return check


def test_truncated_archive(archive, target, tmp_path, refused):
    data = archive.read_bytes()
    archive.write_bytes(data[: len(data) // 2])
    refused(archive, "damaged or truncated", "nothing was restored")


def test_corrupted_bytes(archive, target, tmp_path, refused):
    raw = bytearray(gzip.decompress(archive.read_bytes()))
    position = raw.index(b'"email":"admin@') + 9  # inside a member's data, not a header
    raw[position:position + 5] = b"ADMIN"
    archive.write_bytes(gzip.compress(bytes(raw)))
    refused(archive, "does not match its checksum")


def test_not_gzip_at_all(tmp_path, target, refused):
    path = tmp_path / "notes.tar.gz"
    path.write_text("hello")
    refused(path, "damaged or truncated")


def test_a_member_missing(archive, target, tmp_path, refused):
    files = members(archive)
    del files["tables/users.jsonl"]
    write_members(archive, files, rehash=False)
    refused(archive, "incomplete", "tables/users.jsonl")


def test_row_counts_must_match_the_manifest(archive, target, tmp_path, refused):
    files = members(archive)
    lines = files["tables/votes.jsonl"].splitlines(keepends=True)
    files["tables/votes.jsonl"] = b"".join(lines[:-1])
    write_members(archive, files)  # checksums fit, the count does not
    refused(archive, "table votes holds", "the manifest says")


def test_newer_schema_revision(archive, target, tmp_path, refused):
    files = members(archive)
    manifest = json.loads(files["manifest.json"])
    manifest["schema_revision"] = "9999"
    files["manifest.json"] = json.dumps(manifest).encode()
    write_members(archive, files)
    refused(archive, "9999 is newer than this portal", head_revision())


def test_target_with_data(archive, target, tmp_path, refused):
    from portal.accounts import users as accounts

    with target.app_context():
        accounts.create_user("agent@example.com", "correct horse battery", "agent")
        db.session.remove()
    refused(archive, "not empty", "users (1)")


def test_an_archive_of_an_older_schema_is_migrated_up(archive, target, tmp_path, app_config,
                                                      instance_dir, table_rows):
    """The archive is cut down to the previous revision's tables and columns (read from a
    scratch database migrated to it); the restore loads it there and runs the migrations."""
    older = revision_order()[-2]
    scratch = create_app({**app_config, "SQLALCHEMY_DATABASE_URI":
                          f"sqlite:///{tmp_path / 'scratch.sqlite3'}"}, instance_path=instance_dir)
    with scratch.app_context():
        flask_migrate.upgrade(revision=older)
        inspector = sa.inspect(db.engine)
        shape = {name: {c["name"] for c in inspector.get_columns(name)}
                 for name in inspector.get_table_names() if name != "alembic_version"}
        db.engine.dispose()
    files = members(archive)
    manifest = json.loads(files["manifest.json"])
    manifest["schema_revision"] = older
    for name in list(manifest["tables"]):
        if name not in shape:
            del manifest["tables"][name]
            del files[f"tables/{name}.jsonl"]
            continue
        info = manifest["tables"][name]
        info["columns"] = [[c, kind] for c, kind in info["columns"] if c in shape[name]]
        rows = [json.loads(line) for line in files[f"tables/{name}.jsonl"].splitlines()]
        files[f"tables/{name}.jsonl"] = b"".join(
            json.dumps({c: row[c] for c in row if c in shape[name]}).encode() + b"\n"
            for row in rows)
    assert len(manifest["tables"]) < len(json.loads(members(archive)["manifest.json"])["tables"])
    files["manifest.json"] = json.dumps(manifest).encode()
    write_members(archive, files)

    result = target.test_cli_runner().invoke(args=["backup", "restore", str(archive)])
    assert result.exit_code == 0, result.output
    assert f"migrated from {older} to {head_revision()}" in result.output
    restored = table_rows(target)
    for name, info in manifest["tables"].items():
        assert len(restored[name]) == info["rows"], name
    with target.app_context(), db.engine.connect() as conn:
        assert conn.scalar(sa.text("SELECT version_num FROM alembic_version")) == head_revision()


def test_a_table_this_portal_does_not_have(archive, target, tmp_path, refused):
    files = members(archive)
    manifest = json.loads(files["manifest.json"])
    manifest["tables"]["mystery"] = {"rows": 1, "columns": [["id", "int"]]}
    files["tables/mystery.jsonl"] = b'{"id": 1}\n'
    files["manifest.json"] = json.dumps(manifest).encode()
    write_members(archive, files)
    refused(archive, "mystery", "not a backup of this portal")


def test_a_malformed_manifest(archive, target, tmp_path, refused):
    files = members(archive)
    manifest = json.loads(files["manifest.json"])
    manifest["tables"]["users"] = "everything"
    files["manifest.json"] = json.dumps(manifest).encode()
    write_members(archive, files)
    refused(archive, "malformed")
