"""The agent console: inbox, ticket view, suggestions, the composer's picker, replies and links."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal.tickets import links as linking, mail
from portal.extensions import db
from portal.tickets.models import ArticleLink, Ticket, TicketMessage

from ..factories import BASE, new_ticket, write_article

pytestmark = pytest.mark.db


@pytest.fixture(autouse=True)
def mail_sent(app):
    """Replies e-mail customers in the background; let that finish before the app goes."""
    yield
    with app.app_context():
        mail.wait_until_sent()


def get_ticket(app, ticket_id: int) -> Ticket:
    with app.app_context():
        ticket = db.session.get(Ticket, ticket_id)
        db.session.expunge(ticket)
        return ticket


@pytest.fixture
def agent(make_user, login):
    return login(make_user("agent"))


# --- roles ---------------------------------------------------------------------------------
def test_every_agent_route_checks_the_role(app, client, make_user, login, sample_articles):
    ticket_id, _ = new_ticket(app)
    gets = ["/agent/tickets", f"/agent/tickets/{ticket_id}", "/agent/search?q=退款",
            f"/agent/tickets/{ticket_id}/insert?slug=refunds&mode=link"]
    posts = [f"/agent/tickets/{ticket_id}/reply", f"/agent/tickets/{ticket_id}/update",
             "/agent/preview"]
    for url in gets:
        assert client.get(url).status_code == 302 and "/login" in client.get(url).location
    for url in posts + ["/agent/flags"]:
        response = client.post(url, data={"body": "x"})
        assert response.status_code == 302 and "/login" in response.location
    login(make_user("editor"))
    for url in gets:
        assert client.get(url).status_code == 403, url
    for url in posts:
        assert client.post(url, data={"body": "x"}).status_code == 403, url
    assert client.post("/agent/flags", data={}).status_code == 400  # editors may flag
    client.post("/logout")
    login(make_user("agent"))
    for url in gets:
        assert client.get(url).status_code == 200, url


# --- inbox ---------------------------------------------------------------------------------
def test_inbox_filters_sorts_oldest_first_and_counts_each_view(app, client, agent):
    first, _ = new_ticket(app, subject="退款第一单", category="usage")
    second, _ = new_ticket(app, subject="程序崩溃了", category="bug")
    third, _ = new_ticket(app, subject="退款第二单", category="usage")
    with app.app_context():
        db.session.get(Ticket, third).assignee_id = agent.id
        db.session.get(Ticket, second).status = "solved"
        db.session.commit()

    page = client.get("/agent/tickets").get_data(as_text=True)
    assert page.index("退款第一单") < page.index("退款第二单")  # oldest first
    assert "程序崩溃了" not in page  # solved is not in the default (open) view
    assert re.search(r"Open <span class=\"count\">2</span>", page)
    assert re.search(r"Solved <span class=\"count\">1</span>", page)
    assert re.search(r"Mine <span class=\"count\">1</span>", page)

    mine = client.get("/agent/tickets?assignee=mine").get_data(as_text=True)
    assert "退款第二单" in mine and "退款第一单" not in mine
    unassigned = client.get("/agent/tickets?assignee=unassigned").get_data(as_text=True)
    assert "退款第一单" in unassigned and "退款第二单" not in unassigned
    bugs = client.get("/agent/tickets?status=all&category=bug").get_data(as_text=True)
    assert "程序崩溃了" in bugs and "退款第一单" not in bugs
    by_text = client.get("/agent/tickets?q=第二").get_data(as_text=True)
    assert "退款第二单" in by_text and "退款第一单" not in by_text
    by_number = client.get(f"/agent/tickets?status=all&q=%23{second}").get_data(as_text=True)
    assert "程序崩溃了" in by_number and "退款第一单" not in by_number
    percent = client.get("/agent/tickets?q=%25").get_data(as_text=True)
    assert "退款第一单" not in percent  # LIKE wildcards are searched as text


def test_assign_status_and_category_from_the_list(app, client, agent):
    ticket_id, _ = new_ticket(app)
    response = client.post(f"/agent/tickets/{ticket_id}/update", data={
        "status": "pending", "category": "bug", "assignee": str(agent.id),
        "next": "/agent/tickets?status=open"})
    assert response.status_code == 302 and response.location == "/agent/tickets?status=open"
    ticket = get_ticket(app, ticket_id)
    assert (ticket.status, ticket.category, ticket.assignee_id) == ("pending", "bug", agent.id)

    response = client.post(f"/agent/tickets/{ticket_id}/update", data={
        "status": "open", "category": "usage", "assignee": "", "next": "https://evil.example/"})
    assert response.location == f"/agent/tickets/{ticket_id}"  # never to another site
    assert get_ticket(app, ticket_id).assignee_id is None
    bad = client.post(f"/agent/tickets/{ticket_id}/update",
                      data={"status": "closed", "category": "usage", "assignee": ""})
    assert bad.status_code == 400


# --- ticket view and suggestions --------------------------------------------------------------
def test_refund_ticket_suggests_the_refunds_article_and_follows_customer_replies(
        app, client, agent, sample_articles):
    ticket_id, token = new_ticket(app)
    page = client.get(f"/agent/tickets/{ticket_id}").get_data(as_text=True)
    suggestions = page.split("Suggested articles", 1)[1].split("Search trail", 1)[0]
    assert 'href="/articles/refunds#' in suggestions
    assert "canned reply" in suggestions  # the internal canned reply is offered too
    assert "secret-draft" not in suggestions

    client.post(f"/tickets/{token}", data={"body": "另外发票怎么开？"})
    page = client.get(f"/agent/tickets/{ticket_id}").get_data(as_text=True)
    suggestions = page.split("Suggested articles", 1)[1].split("Search trail", 1)[0]
    assert 'href="/articles/invoice#' in suggestions


def test_panel_search_finds_public_and_internal_questions(app, client, agent, sample_articles):
    results = client.get("/agent/search?q=退款").get_json()["results"]
    by_slug = {hit["slug"]: hit for hit in results}
    assert by_slug["refunds"]["modes"] == ["link", "answer"]
    assert by_slug["refund-canned"]["audience"] == "internal"
    assert by_slug["refund-canned"]["modes"] == ["canned"]
    assert "secret-draft" not in by_slug
    assert client.get("/agent/search?q=").get_json() == {"results": []}


# --- the picker's insert endpoint ----------------------------------------------------------
def insert(client, ticket_id, **params):
    return client.get(f"/agent/tickets/{ticket_id}/insert", query_string=params)


def test_insert_link_is_the_absolute_question_url_with_chinese_anchor(app, client, agent,
                                                                      sample_articles):
    ticket_id, _ = new_ticket(app)
    text = insert(client, ticket_id, slug="refunds", anchor="如何申请退款", mode="link").get_json()
    assert text == {"text": f"[如何申请退款？]({BASE}/articles/refunds#如何申请退款)"}
    whole = insert(client, ticket_id, slug="refunds", mode="link").get_json()["text"]
    assert whole == f"[退款与退货]({BASE}/articles/refunds)"


def test_insert_link_uses_the_customers_language_when_translated(app, client, agent,
                                                                sample_articles):
    write_article(sample_articles, "orders/refunds-en.md", "Refunds and returns",
                  "## How do I ask for a refund?\n\nOpen the order.\n\n"
                  "## When do I get my money back?\n\nIn 1-3 working days.",
                  slug="refunds-en", lang="en", translation_of="refunds", category="订单与支付")
    english, _ = new_ticket(app, subject="refund please", locale="en")
    chinese, _ = new_ticket(app)
    text = insert(client, english, slug="refunds", anchor="退款多久到账", mode="link").get_json()
    assert text["text"] == (f"[When do I get my money back?]({BASE}/articles/refunds-en"
                            "#when-do-i-get-my-money-back)")
    back = insert(client, chinese, slug="refunds-en", anchor="how-do-i-ask-for-a-refund",
                  mode="link").get_json()
    assert back["text"] == f"[如何申请退款？]({BASE}/articles/refunds#如何申请退款)"
    untranslated = insert(client, english, slug="invoice", mode="link").get_json()["text"]
    assert untranslated == f"[发票说明]({BASE}/articles/invoice)"


def test_insert_answer_quotes_the_answer_with_its_link(app, client, agent, sample_articles):
    ticket_id, _ = new_ticket(app)
    text = insert(client, ticket_id, slug="refunds", anchor="退款多久到账", mode="answer")
    assert text.get_json()["text"] == (
        f"> 原路退回，一般 1-3 个工作日到账。\n\n[退款多久到账？]({BASE}/articles/refunds#退款多久到账)")


def test_canned_reply_fills_the_placeholders(app, client, agent, articles_dir, sample_articles):
    write_article(articles_dir, "canned-en.md", "Refund delay",
                  "## Refund is late\n\nHello {{customer_name}}, about ticket #{{ ticket_id }}:"
                  " we are on it.", slug="canned-en", audience="internal", lang="en")
    named, _ = new_ticket(app, name="王小明")
    anonymous, _ = new_ticket(app, name="", locale="en")
    text = insert(client, named, slug="refund-canned", mode="canned").get_json()["text"]
    assert text == "王小明 您好。"
    text = insert(client, anonymous, slug="canned-en", anchor="refund-is-late", mode="canned")
    assert text.get_json()["text"] == (
        f"Hello customer, about ticket #{anonymous}: we are on it.")


def test_insert_refuses_what_does_not_fit_the_mode(app, client, agent, sample_articles):
    ticket_id, _ = new_ticket(app)
    assert insert(client, ticket_id, slug="refunds", mode="canned").status_code == 404
    assert insert(client, ticket_id, slug="refund-canned", mode="link").status_code == 404
    assert insert(client, ticket_id, slug="secret-draft", mode="link").status_code == 404
    assert insert(client, ticket_id, slug="nope", mode="link").status_code == 404
    assert insert(client, ticket_id, slug="refunds", mode="html").status_code == 404
    assert insert(client, 9999, slug="refunds", mode="link").status_code == 404


# --- replies, notes and links ------------------------------------------------------------
def test_reply_with_two_links_records_both_and_the_counts_rise(app, client, agent,
                                                              sample_articles):
    ticket_id, token = new_ticket(app)
    client.post(f"/agent/tickets/{ticket_id}/reply", data={
        "body": "x", "kind": "reply"})  # a reply without links records nothing
    body = (f"请看 [如何申请退款？]({BASE}/articles/refunds#如何申请退款) 和 "
            "[发票](/articles/invoice)。别的网站 https://other.example/articles/refunds 不算，"
            f"重复的 {BASE}/articles/refunds#%E5%A6%82%E4%BD%95%E7%94%B3%E8%AF%B7%E9%80%80%E6%AC%BE，"
            "也不算。")
    response = client.post(f"/agent/tickets/{ticket_id}/reply",
                           data={"body": body, "kind": "reply"})
    assert response.status_code == 302

    with app.app_context():
        links = db.session.scalars(select(ArticleLink).order_by(ArticleLink.id)).all()
        assert [(link.slug, link.anchor, link.ticket_id, link.source, link.user_id)
                for link in links] == [("refunds", "如何申请退款", ticket_id, "reply", agent.id),
                                       ("invoice", "", ticket_id, "reply", agent.id)]
        assert linking.reply_count("refunds") == linking.reply_count("invoice") == 1
        assert db.session.get(Ticket, ticket_id).status == "pending"

    client.post(f"/agent/tickets/{ticket_id}/reply",
                data={"body": f"再看 {BASE}/articles/refunds#退款多久到账。", "kind": "reply"})
    with app.app_context():
        assert linking.reply_count("refunds") == 2
        assert db.session.scalar(select(ArticleLink.anchor).order_by(ArticleLink.id.desc())
                                 .limit(1)) == "退款多久到账"
    article = client.get("/articles/refunds").get_data(as_text=True)
    assert "Linked in 2 replies to tickets." in article
    customer = client.get(f"/tickets/{token}").get_data(as_text=True)
    assert "请看" in customer


def test_solved_tickets_without_article_links_are_unanswered(app, client, agent,
                                                            sample_articles):
    unanswered, _ = new_ticket(app, subject="没有文章的问题")
    answered, _ = new_ticket(app, subject="有文章的问题")
    still_open, _ = new_ticket(app, subject="还没解决")
    client.post(f"/agent/tickets/{unanswered}/reply",
                data={"body": "我们手动处理了。", "kind": "reply", "status": "solved"})
    client.post(f"/agent/tickets/{answered}/reply",
                data={"body": "见 /articles/refunds", "kind": "reply", "status": "solved"})
    client.post(f"/agent/tickets/{still_open}/reply", data={"body": "稍等", "kind": "reply"})
    with app.app_context():
        subjects = linking.unanswered_ticket_subjects()
        assert [subject for subject, _ in subjects] == ["没有文章的问题"]
        solved_at = subjects[0][1]
        assert linking.unanswered_ticket_subjects(since=solved_at) == subjects
        assert linking.unanswered_ticket_subjects(since=solved_at.replace(year=2999)) == []


def test_internal_notes_never_reach_the_customer(app, client, agent, sample_articles):
    ticket_id, token = new_ticket(app)
    client.post(f"/agent/tickets/{ticket_id}/reply",
                data={"body": "内部备注：客户是VIP /articles/refunds", "kind": "note"})
    client.post(f"/agent/tickets/{ticket_id}/reply", data={"body": "公开回复", "kind": "reply"})
    staff = client.get(f"/agent/tickets/{ticket_id}").get_data(as_text=True)
    assert "内部备注" in staff and "Internal note" in staff
    customer = client.get(f"/tickets/{token}").get_data(as_text=True)
    assert "公开回复" in customer and "内部备注" not in customer
    with app.app_context():
        assert linking.reply_count("refunds") == 0  # a note answers nobody
        kinds = db.session.scalars(select(TicketMessage.kind).where(
            TicketMessage.ticket_id == ticket_id).order_by(TicketMessage.id)).all()
        assert kinds == ["customer", "note", "reply"]


def test_note_keeps_the_status_and_reply_may_choose_one(app, client, agent):
    ticket_id, _ = new_ticket(app)
    client.post(f"/agent/tickets/{ticket_id}/reply", data={"body": "备注", "kind": "note"})
    assert get_ticket(app, ticket_id).status == "open"
    client.post(f"/agent/tickets/{ticket_id}/reply",
                data={"body": "已解决", "kind": "reply", "status": "solved"})
    assert get_ticket(app, ticket_id).status == "solved"


def test_preview_without_javascript_renders_sanitized_and_sends_nothing(app, client, agent):
    ticket_id, _ = new_ticket(app)
    response = client.post(f"/agent/tickets/{ticket_id}/reply", data={
        "body": "**粗体** <script>alert(1)</script>", "kind": "reply", "action": "preview"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "<strong>粗体</strong>" in page
    assert "<script>alert(1)" not in page
    with app.app_context():
        assert db.session.scalar(select(TicketMessage.id).where(
            TicketMessage.kind == "reply")) is None
    live = client.post("/agent/preview", data={"body": "[x](javascript:alert(1)) *y*"})
    assert "javascript:" not in live.get_json()["html"] and "<em>y</em>" in live.get_json()["html"]
    empty = client.post(f"/agent/tickets/{ticket_id}/reply", data={"body": " ", "kind": "reply"})
    assert empty.status_code == 400


def test_customer_text_is_escaped_on_the_agents_page(app, client, agent):
    ticket_id, _ = new_ticket(app, subject="<b>subject</b>", body="<img src=x onerror=alert(1)>")
    page = client.get(f"/agent/tickets/{ticket_id}").get_data(as_text=True)
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<b>subject</b>" not in page


# --- the customer's side ------------------------------------------------------------------
def test_customer_reply_reopens_a_solved_ticket_and_a_token_shows_only_its_ticket(
        app, client, agent):
    ticket_id, token = new_ticket(app, body="第一位客户的问题")
    _, other_token = new_ticket(app, body="第二位客户的问题")
    client.post(f"/agent/tickets/{ticket_id}/reply",
                data={"body": "给第一位客户的回复", "kind": "reply", "status": "solved"})
    assert get_ticket(app, ticket_id).status == "solved"

    client.post("/logout")
    response = client.post(f"/tickets/{token}", data={"body": "还是不行"})
    assert response.status_code == 302
    assert get_ticket(app, ticket_id).status == "open"

    other = client.get(f"/tickets/{other_token}").get_data(as_text=True)
    assert "第二位客户的问题" in other
    assert "第一位客户的问题" not in other and "给第一位客户的回复" not in other
    altered = token[:-1] + ("y" if token.endswith("x") else "x")  # never the token itself
    assert client.get(f"/tickets/{altered}").status_code == 404
    assert client.get(f"/tickets/{ticket_id}").status_code == 404


# --- CSRF -----------------------------------------------------------------------------------
def test_agent_forms_need_the_csrf_token(app, client, agent, sample_articles):
    ticket_id, _ = new_ticket(app)
    app.config["WTF_CSRF_ENABLED"] = True  # signed in above without it
    for url, data in [(f"/agent/tickets/{ticket_id}/reply", {"body": "x", "kind": "reply"}),
                      (f"/agent/tickets/{ticket_id}/update",
                       {"status": "solved", "category": "usage", "assignee": ""}),
                      ("/agent/flags", {"slug": "refunds", "reason": "wrong"}),
                      ("/agent/preview", {"body": "x"})]:
        assert client.post(url, data=data).status_code == 400, url
    ticket = get_ticket(app, ticket_id)
    assert ticket.status == "open"
    with app.app_context():
        assert len(db.session.get(Ticket, ticket_id).messages) == 1
