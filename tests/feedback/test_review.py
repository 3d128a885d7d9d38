"""Articles to review: staff flags until resolved, answers customers voted not helpful,
and old articles still read often."""
from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.feedback import review
from portal.extensions import db
from portal.feedback.models import ArticleFlag, SearchLog, Vote
from portal.database import utcnow

from ..factories import sync_articles, write_article
from ..factories import new_ticket

pytestmark = pytest.mark.db


@pytest.fixture(autouse=True)
def english_interface(client):
    """Assertions read the English source texts, whatever the translators do."""
    client.set_cookie("portal_lang", "en")


def add_votes(app, slug: str, anchor: str, *votes: tuple[bool, str | None]) -> None:
    with app.app_context():
        db.session.add_all(Vote(slug=slug, anchor=anchor, helpful=helpful, reason=reason,
                                session_id=uuid.uuid4().hex) for helpful, reason in votes)
        db.session.commit()


def test_review_pages_are_for_editors(app, client, make_user, login):
    with app.app_context():
        user = make_user("agent")
        flag_id = review.flag("refunds", "", "wrong", "", user).id
    for method, url in (("get", "/ops/review"), ("post", f"/ops/review/flags/{flag_id}/resolve")):
        assert getattr(client, method)(url).location.startswith("/login")
        login(user)
        assert getattr(client, method)(url).status_code == 403
        client.post("/logout")
    login(make_user("editor"))
    assert client.get("/ops/review").status_code == 200


def test_an_agents_flag_reaches_the_editors_until_resolved(app, client, make_user, login,
                                                          sample_articles):
    ticket_id, _ = new_ticket(app)
    agent = login(make_user("agent"))
    response = client.post("/agent/flags", data={
        "slug": "refunds", "anchor": "退款多久到账", "reason": "outdated",
        "note": "现在是 3-5 个工作日 <script>", "ticket_id": str(ticket_id),
        "next": f"/agent/tickets/{ticket_id}"})
    assert response.status_code == 302 and response.location == f"/agent/tickets/{ticket_id}"
    client.post("/logout")

    editor = login(make_user("editor"))
    page = client.get("/ops/review").get_data(as_text=True)
    assert "退款多久到账？" in page and "Outdated" in page and agent.email in page
    assert "现在是 3-5 个工作日 &lt;script&gt;" in page
    assert f"while answering ticket #{ticket_id}" in page
    editor_page = client.get("/editor/articles/refunds").get_data(as_text=True)
    assert "现在是 3-5 个工作日" in editor_page and "Resolve" in editor_page
    assert "现在是" not in client.get("/editor/articles/invoice").get_data(as_text=True)

    with app.app_context():
        flag_id = db.session.scalar(select(ArticleFlag.id))
    response = client.post(f"/ops/review/flags/{flag_id}/resolve",
                           data={"next": "/editor/articles/refunds"})
    assert response.location == "/editor/articles/refunds"
    assert "现在是" not in client.get("/ops/review").get_data(as_text=True)
    assert "现在是" not in client.get("/editor/articles/refunds").get_data(as_text=True)
    with app.app_context():
        flag = db.session.get(ArticleFlag, flag_id)
        assert flag.resolved_at is not None and flag.resolved_by_id == editor.id


def test_staff_flag_from_the_article_page_and_customers_see_no_staff_tools(
        app, client, make_user, login, sample_articles):
    customer_page = client.get("/articles/refunds").get_data(as_text=True)
    assert "Flag this article" not in customer_page and "Linked in" not in customer_page

    login(make_user("editor"))
    page = client.get("/articles/refunds").get_data(as_text=True)
    assert "Flag this article for the editors" in page and "Linked in 0 replies" in page
    response = client.post("/agent/flags", data={"slug": "refunds", "anchor": "",
                                                 "reason": "unclear", "note": "",
                                                 "next": "/articles/refunds"})
    assert response.location == "/articles/refunds"
    for bad in ({"slug": "refunds", "reason": "boring"}, {"slug": "nope", "reason": "wrong"},
                {"slug": "refunds", "anchor": "没有", "reason": "wrong"}):
        assert client.post("/agent/flags", data=bad).status_code == 400
    with app.app_context():
        assert [(f.slug, f.anchor, f.reason) for f in review.open_flags()] == [
            ("refunds", "", "unclear")]


def test_answers_most_customers_found_unhelpful_are_listed_with_their_reasons(
        app, client, make_user, login, sample_articles):
    add_votes(app, "refunds", "退款多久到账", (False, "outdated"), (False, "outdated"),
              (False, "unclear"), (True, None))
    add_votes(app, "invoice", "", (False, None), (True, None), (True, None))  # 33 %
    add_votes(app, "password-en", "", (False, "unclear"), (False, "unclear"))  # too few
    with app.app_context():
        items = review.unhelpful_items()
        assert [(i.slug, i.anchor, i.votes, i.not_helpful, i.reasons) for i in items] == [
            ("refunds", "退款多久到账", 4, 3, [("outdated", 2), ("unclear", 1)])]
    login(make_user("editor"))
    page = client.get("/ops/review").get_data(as_text=True)
    assert "3 / 4 (75%)" in page and "Outdated (2), Unclear (1)" in page


def test_old_articles_still_read_often_are_listed(app, client, articles_dir, make_user, login):
    write_article(articles_dir, "old.md", "旧的运费说明", "## 运费多少？\n\n8 元。", slug="old-fees",
                  updated="2024-01-01")
    write_article(articles_dir, "fresh.md", "新的说明", "## 新问题？\n\n新答案。", slug="fresh")
    sync_articles(app)
    with app.app_context():
        now = utcnow()
        for i in range(12):
            for slug in ("old-fees", "fresh"):
                db.session.add(SearchLog(public_id=f"{slug[:4]}{i:028d}", query="运费", normalized="运费",
                                         result_count=1, locale="zh-Hans", session_id=f"s{i}",
                                         opened_slug=slug, opened_anchor="", opened_at=now - timedelta(days=1)))
        db.session.commit()
    login(make_user("editor"))
    html = client.get("/ops/review").get_data(as_text=True)
    section = html.split("Old but still read")[1]
    assert "旧的运费说明" in section.split("</table>")[0]
    assert "新的说明" not in section.split("</table>")[0]
