"""API tokens: created by admins, hashed, revocable, scoped, rate-limited per token."""
from __future__ import annotations

import hashlib
import re

import pytest
from sqlalchemy import select

from portal.accounts import tokens as apitokens
from portal.tickets import links as linking
from portal.extensions import db
from portal.accounts.models import ApiToken
from portal.tickets.models import ArticleLink

pytestmark = pytest.mark.db


@pytest.fixture(autouse=True)
def searches_logged(app):
    """API searches are logged in the background; let that finish before the app goes."""
    yield
    app.extensions["portal.signals"].flush()


def make_token(app, scope="read", name="外部客服系统") -> str:
    with app.app_context():
        return apitokens.create(name, scope, None)[1]


def bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}


def slugs(response) -> set[str]:
    return {hit["article"] for hit in response.get_json()["results"]}


# --- admin pages ----------------------------------------------------------------------------
def test_admins_create_a_token_that_is_shown_once_and_stored_hashed(app, client, make_user,
                                                                  login):
    client.set_cookie("portal_lang", "en")  # the assertions read English source texts
    login(make_user("admin"))
    response = client.post("/admin/tokens", data={"name": "Zendesk", "scope": "read-write"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    secret = re.search(r'<code class="secret">([^<]+)</code>', page)[1]
    with app.app_context():
        token = db.session.scalar(select(ApiToken))
        assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
        assert secret not in (token.token_hash, token.prefix) and token.scope == "read-write"
        token_id = token.id
    assert secret not in client.get("/admin/tokens").get_data(as_text=True)

    client.post(f"/admin/tokens/{token_id}/revoke")
    assert "revoked" in client.get("/admin/tokens").get_data(as_text=True)
    assert client.get("/api/v1/search?q=退款", headers=bearer(secret)).status_code == 401
    assert client.post("/admin/tokens", data={"name": "", "scope": "read"}).status_code == 200
    with app.app_context():
        assert len(apitokens.all_tokens()) == 1


def test_only_admins_manage_tokens(app, client, make_user, login):
    with app.app_context():
        token_id = apitokens.create("x", "read", None)[0].id
    urls = [("get", "/admin/tokens"), ("post", f"/admin/tokens/{token_id}/revoke")]
    for method, url in urls:
        assert getattr(client, method)(url).location.startswith("/login")
    for role in ("agent", "editor"):
        login(make_user(role))
        for method, url in urls:
            assert getattr(client, method)(url).status_code == 403, (role, url)
        client.post("/logout")
    with app.app_context():
        assert db.session.get(ApiToken, token_id).active


# --- authentication -------------------------------------------------------------------------
def test_missing_wrong_and_revoked_tokens(app, client, sample_articles):
    secret = make_token(app)
    anonymous = client.get("/api/v1/search?q=退款&audience=internal")
    assert anonymous.status_code == 200
    assert "refunds" in slugs(anonymous) and "refund-canned" not in slugs(anonymous)

    for header in ({"Authorization": "Bearer wrong"}, {"Authorization": "Bearer "},
                   {"Authorization": f"Basic {secret}"}):
        response = client.get("/api/v1/search?q=退款", headers=header)
        assert response.status_code == 401 and response.get_json()["error"] == "Unauthorized"

    valid = client.get("/api/v1/search?q=退款", headers=bearer(secret))
    assert valid.status_code == 200 and "refund-canned" not in slugs(valid)
    with app.app_context():
        token = db.session.scalar(select(ApiToken))
        assert token.last_used_at is not None
        apitokens.revoke(token)
    assert client.get("/api/v1/search?q=退款", headers=bearer(secret)).status_code == 401
    assert client.get("/api/v1/articles/refunds", headers=bearer(secret)).status_code == 401


def test_a_token_may_ask_for_internal_articles(app, client, sample_articles):
    secret = make_token(app)
    internal = client.get("/api/v1/search?q=退款&audience=internal", headers=bearer(secret))
    assert slugs(internal) == {"refund-canned"}
    assert internal.get_json()["results"][0]["audience"] == "internal"
    both = client.get("/api/v1/search?q=退款&audience=all", headers=bearer(secret))
    assert {"refunds", "refund-canned"} <= slugs(both) and "secret-draft" not in slugs(both)
    odd = client.get("/api/v1/search?q=退款&audience=drafts", headers=bearer(secret))
    public = client.get("/api/v1/search?q=退款&audience=public", headers=bearer(secret))
    assert slugs(odd) == slugs(public) and "refunds" in slugs(odd)  # unknown means public
    article = client.get("/api/v1/articles/refund-canned", headers=bearer(secret))
    assert article.status_code == 200 and article.get_json()["audience"] == "internal"
    assert client.get("/api/v1/articles/refund-canned").status_code == 404


# --- recording links ------------------------------------------------------------------------
def test_links_need_a_read_write_token(app, client, sample_articles):
    body = {"article": "refunds", "anchor": "如何申请退款", "ticket_ref": "ZD-1"}
    assert client.post("/api/v1/links", json=body).status_code == 401
    assert client.post("/api/v1/links", json=body,
                       headers=bearer(make_token(app, "read"))).status_code == 403
    response = client.post("/api/v1/links", json=body,
                           headers=bearer(make_token(app, "read-write")))
    assert response.status_code == 201
    assert response.get_json() == {
        "article": "refunds", "anchor": "如何申请退款", "ticket_ref": "ZD-1",
        "url": "http://localhost/articles/refunds#如何申请退款", "linked_in": 1}
    with app.app_context():
        link = db.session.scalar(select(ArticleLink))
        assert (link.source, link.ticket_id, link.ticket_ref) == ("api", None, "ZD-1")
        assert linking.reply_count("refunds") == 1


def test_links_reject_bad_bodies_and_unknown_articles(app, client, sample_articles):
    headers = bearer(make_token(app, "read-write"))
    bad = [None, [], "refunds", {"article": "refunds"}, {"ticket_ref": "ZD-1"},
           {"article": 3, "ticket_ref": "ZD-1"}, {"article": "refunds", "ticket_ref": "x" * 201},
           {"article": "refunds", "anchor": None, "ticket_ref": "ZD-1"}]
    for body in bad:
        assert client.post("/api/v1/links", json=body, headers=headers).status_code == 400, body
    not_json = client.post("/api/v1/links", data="article=refunds", headers=headers)
    assert not_json.status_code == 400 and "error" in not_json.get_json()
    for body in ({"article": "nope", "ticket_ref": "ZD-1"},
                 {"article": "secret-draft", "ticket_ref": "ZD-1"},
                 {"article": "refunds", "anchor": "没有这个问题", "ticket_ref": "ZD-1"}):
        assert client.post("/api/v1/links", json=body, headers=headers).status_code == 404, body
    with app.app_context():
        assert db.session.scalar(select(ArticleLink)) is None


# --- rate limit -----------------------------------------------------------------------------
@pytest.fixture
def rate_limited_app(make_app, sample_articles):
    """The portal with rate limits on, as in production, and a small API budget."""
    return make_app(RATELIMIT_ENABLED=True, API_RATE_LIMIT="3 per minute")


def test_each_token_has_its_own_rate_limit(rate_limited_app):
    client = rate_limited_app.test_client()
    first, second = make_token(rate_limited_app), make_token(rate_limited_app)
    for _ in range(3):
        assert client.get("/api/v1/search?q=退款", headers=bearer(first)).status_code == 200
    limited = client.get("/api/v1/search?q=退款", headers=bearer(first))
    assert limited.status_code == 429 and "error" in limited.get_json()
    assert client.get("/api/v1/search?q=退款", headers=bearer(second)).status_code == 200
    for _ in range(5):  # anonymous search stays open as before
        assert client.get("/api/v1/search?q=退款").status_code == 200
