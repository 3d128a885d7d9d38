"""Signing in and out, roles on every staff route, CSRF and the login rate limit."""
from __future__ import annotations

import re

import pytest

from portal.extensions import db

from ..factories import PASSWORD

pytestmark = pytest.mark.db

STAFF_ROUTES = {
    # route: roles allowed (admin is always allowed)
    "/editor/": {"editor"},
    "/editor/new": {"editor"},
    "/editor/articles/refunds": {"editor"},
    "/editor/articles/refunds/history": {"editor"},
    "/admin/users": set(),
}


@pytest.mark.parametrize("route", sorted(STAFF_ROUTES))
def test_customers_are_sent_to_the_login_page(client, sample_articles, route):
    response = client.get(route)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


@pytest.mark.parametrize("role", ["agent", "editor", "admin"])
@pytest.mark.parametrize("route", sorted(STAFF_ROUTES))
def test_each_role_against_each_staff_route(client, sample_articles, make_user, login, role, route):
    login(make_user(role))
    allowed = role == "admin" or role in STAFF_ROUTES[route]
    assert client.get(route).status_code == (200 if allowed else 403)


def test_login_success_redirects_and_logout_needs_post(client, sample_articles, make_user):
    editor = make_user("editor")
    signed_in = client.post("/login", data={"email": editor.email, "password": PASSWORD})
    assert signed_in.status_code == 302 and signed_in.location == "/editor/"
    assert client.get("/editor/").status_code == 200
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 302
    assert client.get("/editor/").location.startswith("/login")


def test_wrong_password_unknown_user_and_disabled_user_get_one_message(app, client, make_user):
    user = make_user("agent")
    disabled = make_user("agent")
    with app.app_context():
        from portal.accounts import users as accounts
        accounts.update_user(db.session.get(type(disabled), disabled.id), active=False)
    answers = [
        client.post("/login", data={"email": user.email, "password": "wrong password!"}),
        client.post("/login", data={"email": "nobody@example.com", "password": PASSWORD}),
        client.post("/login", data={"email": disabled.email, "password": PASSWORD}),
    ]
    for response in answers:
        assert response.status_code == 401
        assert "邮箱或密码不正确。" in response.get_data(as_text=True)


def test_next_parameter_never_leaves_the_site(client, make_user):
    user = make_user("editor")
    response = client.post("/login?next=https://evil.example/",
                           data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/editor/"


def test_passwords_are_stored_hashed(app, make_user):
    user = make_user("agent")
    assert PASSWORD not in user.password_hash and user.password_hash.startswith("scrypt:")


def test_session_cookie_is_http_only(client, make_user):
    user = make_user("agent")
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


@pytest.fixture
def strict_app(make_app):
    """An app with CSRF checks and rate limits on, as in production."""
    return make_app(WTF_CSRF_ENABLED=True, RATELIMIT_ENABLED=True,
                    LOGIN_RATE_LIMIT="3 per minute")


def test_forms_without_a_csrf_token_are_rejected(strict_app):
    client = strict_app.test_client()
    with strict_app.app_context():
        from portal.accounts import users as accounts
        accounts.create_user("csrf@example.com", PASSWORD, "admin")
    response = client.post("/login", data={"email": "csrf@example.com", "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/admin/users").status_code == 302  # not signed in


def test_failed_logins_are_rate_limited(strict_app):
    client = strict_app.test_client()
    with strict_app.app_context():
        from portal.accounts import users as accounts
        accounts.create_user("rl@example.com", PASSWORD, "agent")
    token = _csrf(client)
    for _ in range(3):
        bad = client.post("/login", data={"email": "rl@example.com", "password": "nope nope nope",
                                          "csrf_token": token})
        assert bad.status_code == 401
    blocked = client.post("/login", data={"email": "rl@example.com", "password": PASSWORD,
                                          "csrf_token": token})
    assert blocked.status_code == 429


def test_successful_logins_do_not_count_against_the_limit(strict_app):
    client = strict_app.test_client()
    with strict_app.app_context():
        from portal.accounts import users as accounts
        accounts.create_user("ok@example.com", PASSWORD, "agent")
    for _ in range(5):
        token = _csrf(client)
        ok = client.post("/login", data={"email": "ok@example.com", "password": PASSWORD,
                                         "csrf_token": token})
        assert ok.status_code == 302
        client.post("/logout", data={"csrf_token": _csrf(client)})


def _csrf(client) -> str:
    html = client.get("/").get_data(as_text=True)
    return re.search(r'<meta name="csrf-token" content="([^"]+)">', html).group(1)
