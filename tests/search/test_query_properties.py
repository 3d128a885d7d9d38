"""Property tests for the query parser and the search behind it: whatever a customer
types gives a parsed query and a page of results, never an exception."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from portal.search.whoosh import querying

from ..factories import sync_articles

BOUNDED = settings(max_examples=60, deadline=None,
                   suppress_health_check=[HealthCheck.function_scoped_fixture])
queries = st.text(max_size=300) | st.lists(st.sampled_from(
    ['"', "“", "」", "『", "AND", "OR", "NOT", "*", "?", "title:", "(", ")", "退款", "refund",
     "zhànghào", "１３８", "\x00", "\u200b", " ", "\\", "%", "'"]), max_size=30).map("".join)


@BOUNDED
@given(queries)
def test_any_text_parses(text):
    parsed = querying.parse(text)
    assert len(parsed.text) <= querying.MAX_QUERY_CHARS
    querying.clauses(parsed)
    querying.phrase_queries(parsed)


@pytest.fixture
def engine(app, sample_articles):
    sync_articles(app)
    return app.extensions["portal.search"]


@BOUNDED
@given(text=queries)
def test_any_text_searches_and_completes(engine, text):
    page = engine.search(text)
    assert page.total >= 0 and len(page.hits) <= page.per_page
    assert isinstance(engine.suggest(text), list)
