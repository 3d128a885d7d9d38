"""Behind a reverse proxy (PORTAL_PROXY_HOPS) limits and bot detection see the client."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.feedback.models import SearchLog

BROWSER = {"User-Agent": "Mozilla/5.0 Chrome/120"}


def searches_by(client, address: str, times: int) -> None:
    for _ in range(times):
        client.get("/search?q=退款", headers={**BROWSER, "X-Forwarded-For": address})


def bot_flags(app) -> list[bool]:
    app.extensions["portal.signals"].flush()
    with app.app_context():
        return [row.is_bot for row in db.session.scalars(select(SearchLog).order_by(SearchLog.id))]


@pytest.mark.parametrize("hops, second_client_is_bot", [(1, False), (0, True)])
def test_bot_detection_counts_each_forwarded_client(make_app, sample_articles, hops,
                                                    second_client_is_bot):
    app = make_app(RATELIMIT_ENABLED=True, BOT_SEARCH_RATE="2/minute", PROXY_HOPS=hops)
    client = app.test_client()
    searches_by(client, "203.0.113.1", 3)
    searches_by(client, "203.0.113.2", 1)
    assert bot_flags(app) == [False, False, True, second_client_is_bot]


@pytest.mark.parametrize("hops, second_client_limited", [(1, False), (0, True)])
def test_failed_logins_are_limited_per_forwarded_client(make_app, hops, second_client_limited):
    app = make_app(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="2 per minute", PROXY_HOPS=hops)
    client = app.test_client()

    def login_from(address: str) -> int:
        return client.post("/login", data={"email": "x@example.com", "password": "wrong"},
                           headers={"X-Forwarded-For": address}).status_code

    assert [login_from("203.0.113.1") for _ in range(3)] == [401, 401, 429]
    assert (login_from("203.0.113.2") == 429) is second_client_limited
