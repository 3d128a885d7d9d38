"""Rate limits come from settings: the vote limit, like the others, is one config value."""
from __future__ import annotations

import pytest

from portal import config


@pytest.fixture
def customer(make_app, sample_articles):
    """A browser on a portal with rate limits on, as in production, and a small vote budget."""
    return make_app(RATELIMIT_ENABLED=True, VOTE_RATE_LIMIT="2 per minute").test_client()


def test_votes_beyond_the_vote_rate_limit_are_refused(customer):
    for _ in range(2):
        assert customer.post("/articles/refunds/vote", data={"helpful": "1"}).status_code == 302
    assert customer.post("/articles/refunds/vote", data={"helpful": "1"}).status_code == 429


def test_the_vote_rate_limit_is_read_from_the_environment(monkeypatch, tmp_path):
    assert config.from_environment(str(tmp_path))["VOTE_RATE_LIMIT"] == "30 per minute"
    monkeypatch.setenv("PORTAL_VOTE_RATE_LIMIT", "10 per hour")
    assert config.from_environment(str(tmp_path))["VOTE_RATE_LIMIT"] == "10 per hour"
