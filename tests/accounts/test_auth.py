"""Signing in and out, roles on every staff route, CSRF and the login rate limit."""
from __future__ import annotations

import hashlib
import re

import pytest

from portal import config
from portal.accounts import users as accounts
from portal.accounts.models import User
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


# --- issue 18: login limits (7), sessions (8), timing (9), limits across workers (10) ----

def _sign_in(client, email, password=PASSWORD, remember=False):
    data = {"email": email, "password": password, "csrf_token": _csrf(client)}
    if remember:
        data["remember"] = "y"
    return client.post("/login", data=data)


def test_failed_logins_for_one_account_never_lock_out_another_at_the_same_address(strict_app):
    with strict_app.app_context():
        accounts.create_user("real-editor@example.com", PASSWORD, "editor")
    attacker, editor = strict_app.test_client(), strict_app.test_client()
    answers = [_sign_in(attacker, "victim@example.com", "guess guess guess").status_code
               for _ in range(12)]
    assert answers[:3] == [401] * 3 and answers[3:] == [429] * 9
    assert _sign_in(editor, "real-editor@example.com").status_code == 302


def test_an_address_has_a_ceiling_across_accounts(make_app):
    app = make_app(WTF_CSRF_ENABLED=True, RATELIMIT_ENABLED=True,
                   LOGIN_ADDRESS_RATE_LIMIT="5 per minute")
    client = app.test_client()
    answers = [_sign_in(client, f"user{n}@example.com", "guess guess guess").status_code
               for n in range(6)]
    assert answers == [401] * 5 + [429]


def test_a_cookie_copied_before_logout_stops_working(strict_app):
    with strict_app.app_context():
        accounts.create_user("agent-8@example.com", PASSWORD, "agent")
    client = strict_app.test_client()
    assert _sign_in(client, "agent-8@example.com").status_code == 302
    stolen = client.get_cookie("session").value
    assert client.get("/agent/tickets").status_code == 200
    client.post("/logout", data={"csrf_token": _csrf(client)})
    thief = strict_app.test_client()
    thief.set_cookie("session", stolen)
    assert thief.get("/agent/tickets").status_code == 302


def test_remember_me_cookies_differ_per_login_and_die_at_logout(strict_app):
    with strict_app.app_context():
        accounts.create_user("agent-r@example.com", PASSWORD, "agent")
    cookies = []
    for _ in range(2):
        client = strict_app.test_client()
        assert _sign_in(client, "agent-r@example.com", remember=True).status_code == 302
        cookies.append(client.get_cookie("remember_token").value)
    assert cookies[0] != cookies[1]
    only_remembered = strict_app.test_client()
    only_remembered.set_cookie("remember_token", cookies[1])
    assert only_remembered.get("/agent/tickets").status_code == 200
    client.post("/logout", data={"csrf_token": _csrf(client)})
    replay = strict_app.test_client()
    replay.set_cookie("remember_token", cookies[1])
    assert replay.get("/agent/tickets").status_code == 302


def test_a_password_change_ends_every_session(app, client, make_user, login):
    user = login(make_user("agent"))
    assert client.get("/agent/tickets").status_code == 200
    with app.app_context():
        stored = db.session.get(User, user.id)
        stored.set_password("a brand new password")
        db.session.commit()
    assert client.get("/agent/tickets").status_code == 302


def test_an_unknown_account_costs_the_same_password_hash_as_a_known_one(app, make_user,
                                                                        monkeypatch):
    user = make_user("agent")
    calls = []
    real_scrypt = hashlib.scrypt

    def counting_scrypt(*args, **kwargs):
        calls.append(1)
        return real_scrypt(*args, **kwargs)

    monkeypatch.setattr(hashlib, "scrypt", counting_scrypt)
    with app.app_context():
        assert accounts.authenticate(user.email, "wrong password!!") is None
        known = len(calls)
        assert accounts.authenticate("nobody-at-all@example.com", "wrong password!!") is None
    assert known == 1 and len(calls) - known == 1


def test_without_redis_each_worker_gets_its_share_of_a_limit(make_app):
    app = make_app(WTF_CSRF_ENABLED=True, RATELIMIT_ENABLED=True, WORKERS=2,
                   LOGIN_RATE_LIMIT="6 per minute")
    assert app.config["LOGIN_RATE_LIMIT"] == "3 per minute"
    client = app.test_client()
    answers = [_sign_in(client, "w@example.com", "guess guess guess").status_code
               for _ in range(4)]
    assert answers == [401, 401, 401, 429]
    assert config.divide_limit("120 per minute;1000/day", 4) == "30 per minute;250/day"
