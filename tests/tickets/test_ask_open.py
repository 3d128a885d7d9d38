"""Issue 18, finding 16: the ask form's "opened an article" beacon writes one row per
session and answer, and stops writing past its rate limit, while the reader always
gets the article."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.feedback.models import Deflection

pytestmark = pytest.mark.db


def _rows(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Deflection.id)))


def test_opening_the_same_answer_again_is_one_deflection(app, client, sample_articles):
    for _ in range(5):
        response = client.get("/ask/open?slug=refunds&anchor=如何申请退款")
        assert response.status_code == 302 and "/articles/refunds" in response.headers["Location"]
    client.get("/ask/open?slug=invoice")
    assert _rows(app) == 2


def test_beacons_past_the_limit_still_open_the_article_but_write_nothing(make_app,
                                                                        sample_articles):
    app = make_app(ASK_OPEN_RATE_LIMIT="3 per hour")
    for _ in range(6):  # a fresh session each time, as a script without cookies would
        response = app.test_client().get("/ask/open?slug=refunds")
        assert response.status_code == 302
    assert _rows(app) == 3
