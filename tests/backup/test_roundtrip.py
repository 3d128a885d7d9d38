"""A whole help centre goes into one archive and comes back equal, row for row, on
SQLite → SQLite, SQLite → PostgreSQL and PostgreSQL → SQLite, and serves the same
search results."""
from __future__ import annotations

import json
import tarfile

import pytest

from portal import create_app
from portal.accounts import users as accounts
from portal.articles import store
from portal.extensions import db
from tests.factories import PASSWORD

QUERIES = ["退款", "发票", "password", "登入", "钱什么时候退回来"]


def search_results(app) -> dict[str, list[tuple]]:
    engine = app.extensions["portal.search"]
    with app.app_context():
        return {q: [(hit.slug, hit.anchor) for hit in engine.search(q).hits] for q in QUERIES}


def url_for_kind(kind: str, request, tmp_path, name: str) -> str:
    if kind == "postgresql":
        return request.getfixturevalue("pg_url")
    return f"sqlite:///{tmp_path / name}"


@pytest.mark.parametrize("source_kind,target_kind", [("sqlite", "sqlite"),
                                                     ("sqlite", "postgresql"),
                                                     ("postgresql", "sqlite")])
def test_every_table_comes_back_equal_and_search_answers_the_same(
        source_kind, target_kind, request, tmp_path, filled_portal, make_app, table_rows,
        as_restored):
    source = filled_portal(SQLALCHEMY_DATABASE_URI=url_for_kind(source_kind, request, tmp_path,
                                                                 "source.sqlite3"))
    assert source.test_cli_runner().invoke(args=["index", "rebuild"]).exit_code == 0
    archive = tmp_path / "out" / "help.tar.gz"
    result = source.test_cli_runner().invoke(
        args=["backup", "create", "--output", str(archive), "--include-secrets"])
    assert result.exit_code == 0, result.output
    assert archive.stat().st_mode & 0o777 == 0o600
    before = table_rows(source)
    assert all(before[name] for name in before), "the filler left a table empty"

    (tmp_path / "target-articles").mkdir()
    target = make_app(SQLALCHEMY_DATABASE_URI=url_for_kind(target_kind, request, tmp_path,
                                                           "target.sqlite3"),
                      ARTICLES_DIR=str(tmp_path / "target-articles"),
                      INDEX_DIR=str(tmp_path / "target-index"))
    result = target.test_cli_runner().invoke(args=["backup", "restore", str(archive)])
    assert result.exit_code == 0, result.output
    assert "restored" in result.output and "indexed" in result.output

    assert table_rows(target) == as_restored(source, before, include_secrets=True)
    assert search_results(target) == search_results(source)
    assert any(search_results(source).values())
    with target.app_context():  # sequences moved past the restored ids; passwords kept
        user = accounts.create_user("new@example.com", PASSWORD, "agent")
        assert user.id > max(row[0] for row in before["users"])
        assert accounts.find_by_email("admin@example.com").check_password(PASSWORD)
        db.session.remove()


def test_without_secrets_no_password_hash_or_token_leaves(filled_portal, tmp_path):
    source = filled_portal()
    archive = tmp_path / "plain.tar.gz"
    result = source.test_cli_runner().invoke(args=["backup", "create", "--output", str(archive)])
    assert result.exit_code == 0, result.output
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        users = [json.loads(line) for line in tar.extractfile("tables/users.jsonl")]
        links = [json.loads(line) for line in tar.extractfile("tables/article_links.jsonl")]
        names = tar.getnames()
    assert "tables/api_tokens.jsonl" not in names and "api_tokens" not in manifest["tables"]
    assert {u["password_hash"] for u in users} == {""}
    assert {u["session_token"] for u in users} == {None}
    assert {link["token_id"] for link in links} == {None}
    assert manifest["include_secrets"] is False
    assert manifest["schema_revision"] and manifest["portal_version"]
    assert set(manifest["members"]) == set(names) - {"manifest.json"}
    assert names[0] == "manifest.json"
    assert any(name.startswith("articles/") and name.endswith("refunds.md") for name in names)
    assert manifest["tables"]["users"]["rows"] == len(users)


def test_restore_into_a_database_never_migrated(filled_portal, tmp_path, app_config,
                                                instance_dir, table_rows, as_restored):
    source = filled_portal()
    archive = tmp_path / "help.tar.gz"
    assert source.test_cli_runner().invoke(
        args=["backup", "create", "--output", str(archive)]).exit_code == 0
    before = table_rows(source)
    target = create_app({**app_config, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/fresh.db",
                         "ARTICLES_DIR": str(tmp_path / "fresh-articles"),
                         "INDEX_DIR": str(tmp_path / "fresh-index")}, instance_path=instance_dir)
    try:
        result = target.test_cli_runner().invoke(args=["backup", "restore", str(archive)])
        assert result.exit_code == 0, result.output
        assert "reset-password" in result.output
        assert table_rows(target) == as_restored(source, before, include_secrets=False)
        with target.app_context():  # the articles came back with the database, byte for byte
            assert store.content("orders/refunds.md").encode("utf-8") == (
                tmp_path / "articles" / "orders" / "refunds.md").read_bytes()
    finally:
        target.extensions["portal.signals"].flush()
        with target.app_context():
            db.session.remove()
            db.engine.dispose()
