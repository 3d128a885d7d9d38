"""Issue 18, finding 6: a deleted or unreadable index never breaks search. It is rebuilt
in the background while searches answer from the last good generation, or, with none,
answer a localised 503 with Retry-After and the usual security headers."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from portal.search import indexing
from portal.search.whoosh.engine import WhooshEngine
from portal.search.whoosh.store import IndexStore


def test_a_deleted_index_is_rebuilt_while_search_answers_from_the_last_good_one(
        app, client, sample_articles):
    index_dir = Path(app.config["INDEX_DIR"])
    assert "退款与退货" in client.get("/search?q=退款").get_data(as_text=True)
    shutil.rmtree(index_dir)
    page = client.get("/search?q=退款")
    assert page.status_code == 200 and "退款与退货" in page.get_data(as_text=True)
    assert page.headers["Content-Security-Policy"]
    api = client.get("/api/v1/search?q=退款")
    assert api.status_code == 200 and api.get_json()["results"]
    assert app.extensions["portal.search"].wait_for_repair(timeout=60)
    assert (index_dir / "CURRENT").exists()
    assert "退款与退货" in client.get("/search?q=退款").get_data(as_text=True)


@pytest.fixture
def rebuilding_app(sample_articles, app):
    """The app's engine started while the index was missing and another process held
    the write lock to rebuild it: nothing to answer from yet."""
    index_dir = app.config["INDEX_DIR"]
    shutil.rmtree(index_dir)
    other_writer = IndexStore(index_dir, lock_timeout=1)
    with other_writer.write_lock():
        engine = WhooshEngine(index_dir, documents_provider=lambda: indexing.all_documents(
            app.extensions["portal.articles"]), lock_timeout=60)
        app.extensions["portal.search"] = engine
        app.test_client_class = None  # no job runner here: the lock is another process's
        yield app
    assert engine.wait_for_repair(timeout=60)
    engine.close()


def test_without_a_last_good_index_search_answers_a_localised_503(rebuilding_app):
    client = rebuilding_app.test_client()
    page = client.get("/search?q=退款")
    assert page.status_code == 503 and page.headers["Retry-After"] == "30"
    assert "正在重建" in page.get_data(as_text=True)
    assert page.headers["Content-Security-Policy"] and page.headers["X-Frame-Options"] == "DENY"
    api = client.get("/api/v1/search?q=退款")
    assert api.status_code == 503 and api.headers["Retry-After"] == "30"
    assert api.get_json()["message"]
    assert client.get("/api/v1/suggest?q=退").status_code == 503
    assert client.get("/").status_code == 200


def test_search_answers_again_once_the_rebuild_is_done(sample_articles, app):
    index_dir = app.config["INDEX_DIR"]
    shutil.rmtree(index_dir)
    other_writer = IndexStore(index_dir, lock_timeout=1)
    with other_writer.write_lock():
        engine = WhooshEngine(index_dir, documents_provider=lambda: indexing.all_documents(
            app.extensions["portal.articles"]), lock_timeout=60)
    assert engine.wait_for_repair(timeout=60)
    assert engine.search("退款").total >= 1
    engine.close()
