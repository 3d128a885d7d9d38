"""Issue 18 standing tests: every route of `app.url_map` against seven kinds of caller,
with the access each route declares next to it (ACCESS in its blueprint package), and a
CSRF check over every form-posting route. A route without a declaration fails here."""
from __future__ import annotations

import importlib
import re

import pytest

from portal.accounts import tokens

from ..factories import PASSWORD

CALLERS = ("anonymous", "customer", "agent", "editor", "admin", "read-token", "write-token",
           "insights-token")
STAFF = ("agent", "editor", "admin")
MISSING_ID = "987654"  # ids name no row: an allowed caller gets 404, a refused one 403/302
SAMPLE = {"slug": "refunds", "code": "en", "public_id": "nope", "filename": "style.css",
          "revision_id": MISSING_ID, "user_id": MISSING_ID, "token_id": MISSING_ID,
          "flag_id": MISSING_ID, "ticket_id": MISSING_ID, "problem_id": MISSING_ID,
          "report": "tickets"}


def declared_access(app) -> dict[str, str]:
    """endpoint → policy, from the ACCESS table of every blueprint package."""
    access = {"static": "anyone"}
    for name in app.blueprints:
        access.update(importlib.import_module(f"portal.web.{name}").ACCESS)
    return access


def expected(policy: str, caller: str) -> str:
    """"allowed", "login" (sent to sign in), or the refusing status code."""
    if policy == "anyone":
        return "allowed"
    if policy == "write-token":
        return {"write-token": "allowed", "read-token": "403", "insights-token": "403"}.get(
            caller, "401")
    if policy == "insights-token":
        return {"insights-token": "allowed", "read-token": "403", "write-token": "403"}.get(
            caller, "401")
    if caller not in STAFF:
        return "login"
    if policy == "signed-in" or caller == "admin" or caller in policy.split():
        return "allowed"
    return "403"


def outcome(response) -> str:
    assert response.status_code < 500, response.get_data(as_text=True)[:300]
    if response.status_code == 302 and response.headers["Location"].startswith("/login"):
        return "login"
    if response.status_code in (401, 403):
        return str(response.status_code)
    return "allowed"


def test_every_route_declares_who_may_use_it(app):
    access = declared_access(app)
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints - access.keys() == set(), "routes without an ACCESS declaration"
    assert access.keys() - endpoints == set(), "declarations for routes that do not exist"
    assert set(access.values()) <= {"anyone", "signed-in", "agent", "editor", "admin",
                                     "agent editor", "write-token", "insights-token"}


@pytest.fixture
def callers(app, sample_articles, make_user):
    """A signed-in test client per caller; tokens travel as headers."""
    clients, headers = {}, {}
    for caller in CALLERS:
        clients[caller] = app.test_client()
        headers[caller] = {}
    for role in STAFF:
        user = make_user(role)
        clients[role].post("/login", data={"email": user.email, "password": PASSWORD})
    asked = clients["customer"].post("/ask", data={
        "subject": "发票开错了", "body": "请帮我重开发票。", "email": "c@example.com",
        "category": "other"})
    with app.app_context():
        for caller, scope in (("read-token", "read"), ("write-token", "read-write"),
                              ("insights-token", "insights:read")):
            headers[caller] = {"Authorization": f"Bearer {tokens.create(caller, scope, None)[1]}"}
    ticket_token = asked.headers["Location"].split("/tickets/")[1].split("?")[0]
    return clients, headers, {**SAMPLE, "token": ticket_token}


def _path(rule, values) -> str:
    path = rule.rule
    for name in rule.arguments:
        path = path.replace(f"<int:{name}>", values[name]).replace(
            f"<path:{name}>", values[name]).replace(f"<{name}>", values[name])
    return path


def test_every_route_against_every_caller(app, callers):
    clients, headers, values = callers
    access = declared_access(app)
    checked = 0
    rules = sorted(app.url_map.iter_rules(), key=lambda r: (r.endpoint == "auth.logout", r.rule))
    for rule in rules:
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            for caller in CALLERS:
                response = clients[caller].open(_path(rule, values), method=method,
                                                headers=headers[caller])
                want = expected(access[rule.endpoint], caller)
                assert outcome(response) == want, (method, rule.rule, caller, response.status_code)
                checked += 1
    assert checked >= 7 * 50


def test_every_form_post_needs_a_csrf_token(make_app, sample_articles, make_user):
    app = make_app(WTF_CSRF_ENABLED=True)
    admin, customer = app.test_client(), app.test_client()
    user = make_user("admin")
    page = admin.get("/").get_data(as_text=True)
    token = re.search(r'<meta name="csrf-token" content="([^"]+)">', page).group(1)
    assert admin.post("/login", data={"email": user.email, "password": PASSWORD,
                                      "csrf_token": token}).status_code == 302
    posts = [rule for rule in app.url_map.iter_rules()
             if "POST" in rule.methods and rule.endpoint.split(".")[0] != "api"]
    assert len(posts) >= 25
    values = {**SAMPLE, "token": "no-such-ticket"}
    for rule in sorted(posts, key=lambda r: r.endpoint == "auth.logout"):
        client = admin if rule.endpoint.split(".")[0] not in ("public", "auth") else customer
        response = client.post(_path(rule, values), data={"anything": "1"})
        assert response.status_code == 400, (rule.rule, response.status_code)
        assert "表单已过期" in response.get_data(as_text=True), rule.rule
