"""Rate limits shared by all workers through Redis (PORTAL_TEST_REDIS_URL, set by .ci/run).

Each test builds two portals, as two gunicorn workers would be, on the same Redis
database (flushed before and after): what a client does on one counts on the other.
"""
from __future__ import annotations

import os

import pytest

from portal.extensions import db
from portal.feedback.models import SearchLog

REDIS_URL = os.environ.get("PORTAL_TEST_REDIS_URL")
BROWSER = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/120 Safari/537.36"}

pytestmark = pytest.mark.skipif(
    not REDIS_URL, reason="Redis tests need PORTAL_TEST_REDIS_URL (set by .ci/run), "
                          "e.g. redis://127.0.0.1:6379/15; that database is flushed")


@pytest.fixture
def redis_db():
    """The test's Redis database, empty before and after."""
    import redis

    connection = redis.Redis.from_url(REDIS_URL)
    connection.flushdb()
    yield connection
    connection.flushdb()
    connection.close()


@pytest.fixture
def make_worker(make_app, redis_db, sample_articles):
    """A portal worker with rate limits on and Redis as the shared store (REDIS_URL)."""
    return lambda **settings: make_app(RATELIMIT_ENABLED=True, REDIS_URL=REDIS_URL, **settings)


def test_votes_on_one_worker_count_against_the_other(make_worker, redis_db):
    first = make_worker(VOTE_RATE_LIMIT="3 per minute")
    for _ in range(2):
        assert first.test_client().post("/articles/refunds/vote",
                                        data={"helpful": "1"}).status_code == 302
    # A second worker starts with its own connection: the two votes are only in Redis.
    second = make_worker(VOTE_RATE_LIMIT="3 per minute")
    client = second.test_client()
    assert client.post("/articles/refunds/vote", data={"helpful": "1"}).status_code == 302
    assert client.post("/articles/refunds/vote", data={"helpful": "1"}).status_code == 429
    assert any(b"vote" in key for key in redis_db.keys("LIMITS*"))


def test_searches_on_both_workers_add_up_to_a_bot(make_worker):
    first, second = (make_worker(BOT_SEARCH_RATE="3/minute") for _ in range(2))
    for worker in (first, second, first, second):
        worker.test_client().get("/search?q=退款", headers=BROWSER)
        worker.extensions["portal.signals"].flush()  # rows stored in the order searched
    with first.app_context():
        # in the order searched: each worker's background writer inserts on its own time
        flags = db.session.scalars(db.select(SearchLog.is_bot)
                                   .order_by(SearchLog.created_at, SearchLog.id)).all()
    assert flags == [False, False, False, True]
