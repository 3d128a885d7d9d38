"""Every redirect that takes its target from the caller stays on this site.

One helper decides (web/common.local_target); these tests go through each real route that
uses it, because a route that forgets the helper is the bug this guards against.
"""
from __future__ import annotations

from portal.feedback import review

from ..factories import PASSWORD, new_ticket

# Browsers drop tabs and newlines and read "\" as "/", so each of these would leave the
# site (or, with CR/LF, split the response header) if it were followed.
LEAVING = [
    "/\r\nX-Injected: yes",
    "/\nX-Injected: yes",
    "/\t/evil.example",
    "/\\evil.example",
    "/\x00/evil.example",
    "/\x7f/evil.example",
    "//evil.example",
    "https://evil.example/",
    "javascript:alert(1)",
    "evil.example",
]


def test_language_switch_goes_back_only_to_a_path_here(client, sample_articles):
    for target in LEAVING:
        response = client.get("/lang/en", query_string={"next": target})
        assert (response.status_code, response.location) == (302, "/"), repr(target)
    encoded = client.get("/lang/en?next=/%0d%0aX:y")
    assert (encoded.status_code, encoded.location) == (302, "/")
    kept = client.get("/lang/en", query_string={"next": "/search?q=refund"})
    assert kept.location == "/search?q=refund"


def test_login_next_goes_only_to_a_path_here(client, sample_articles, make_user):
    editor = make_user("editor")
    for target in LEAVING:
        response = client.post("/login", query_string={"next": target},
                               data={"email": editor.email, "password": PASSWORD})
        assert (response.status_code, response.location) == (302, "/editor/"), repr(target)
        again = client.get("/login", query_string={"next": target})  # already signed in
        assert again.location == "/editor/", repr(target)
        client.post("/logout")
    response = client.post("/login", query_string={"next": "/editor/new"},
                           data={"email": editor.email, "password": PASSWORD})
    assert response.location == "/editor/new"


def test_ticket_update_next_goes_only_to_a_path_here(app, client, make_user, login):
    ticket_id, _ = new_ticket(app)
    login(make_user("agent"))
    for target in LEAVING:
        response = client.post(f"/agent/tickets/{ticket_id}/update", data={
            "status": "open", "category": "usage", "assignee": "", "next": target})
        assert response.location == f"/agent/tickets/{ticket_id}", repr(target)


def test_article_flag_next_goes_only_to_a_path_here(client, sample_articles, make_user, login):
    login(make_user("agent"))
    for target in LEAVING:
        response = client.post("/agent/flags", data={
            "slug": "refunds", "anchor": "", "reason": "unclear", "next": target})
        assert response.location == "/articles/refunds", repr(target)


def test_resolving_a_flag_goes_back_only_to_a_path_here(app, client, sample_articles,
                                                        make_user, login):
    editor = login(make_user("editor"))
    with app.app_context():
        flag_ids = [review.flag("refunds", "", "wrong", "", editor).id for _ in LEAVING]
    for flag_id, target in zip(flag_ids, LEAVING):
        response = client.post(f"/ops/review/flags/{flag_id}/resolve", data={"next": target})
        assert response.location == "/ops/review", repr(target)
    with app.app_context():
        last = review.flag("refunds", "", "wrong", "", editor).id
    kept = client.post(f"/ops/review/flags/{last}/resolve",
                       data={"next": "/editor/articles/refunds"})
    assert kept.location == "/editor/articles/refunds"


def test_queue_bulk_action_ignores_the_referer_and_checks_next(client, sample_articles,
                                                               make_user, login):
    login(make_user("editor"))
    form = {"key": "量子纠缠", "action": "assign_me"}
    referred = client.post("/ops/queue/bulk", data=form,
                           headers={"Referer": "https://evil.example/ops/queue"})
    assert referred.location == "/ops/queue"
    for target in LEAVING:
        response = client.post("/ops/queue/bulk", data={**form, "next": target})
        assert response.location == "/ops/queue", repr(target)
    kept = client.post("/ops/queue/bulk", data={**form, "next": "/ops/queue?assignee=me"})
    assert kept.location == "/ops/queue?assignee=me"


def test_the_queue_page_sends_its_own_address_as_next(client, sample_articles, make_user, login):
    login(make_user("editor"))
    page = client.get("/ops/queue?assignee=me").get_data(as_text=True)
    assert 'name="next" value="/ops/queue?assignee=me"' in page
