"""The whole signals loop through the test client: searches, failures, the queue, tickets."""
from __future__ import annotations

import logging
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.articles import store
from portal.extensions import db
from portal.feedback.models import CandidateQuery, DailyQueryCount, SearchLog, Vote
from portal.tickets.models import Ticket
from portal.database import utcnow
from portal.feedback import queue, retention
from portal.feedback.searchlog import normalize

pytestmark = pytest.mark.db

BROWSER = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/120 Safari/537.36"}
NOTHING = "量子纠缠"  # matches nothing in the sample articles


def flush(app):
    app.extensions["portal.signals"].flush()


def logs(app):
    with app.app_context():
        return db.session.scalars(select(SearchLog).order_by(SearchLog.id)).all()


@pytest.fixture
def customer(app, sample_articles):
    """A browser-like anonymous client (crawler user agents are logged as bots)."""
    client = app.test_client()
    client.environ_base.update({"HTTP_USER_AGENT": BROWSER["User-Agent"]})
    return client


@pytest.fixture
def editor_client(app, make_user):
    client = app.test_client()
    user = make_user("editor")
    client.post("/login", data={"email": user.email, "password": "correct horse battery"})
    return client


def test_every_customer_search_is_logged_with_its_details(app, customer):
    customer.get("/search", query_string={"q": "  退款  ", "page": 1, "lang": "zh-Hans"})
    flush(app)
    [row] = logs(app)
    assert row.query == "  退款  " and row.normalized == "退款"
    assert row.result_count > 0 and row.failure is None
    assert row.lang_filter == "zh-Hans" and row.locale == "zh-Hans" and len(row.session_id) == 32
    assert not row.is_staff and not row.is_bot


def test_normalized_form_folds_script_and_case(app, customer):
    customer.get("/search?q=帳號 LOGIN？")
    flush(app)
    assert logs(app)[0].normalized == "账号 login"


def test_a_mask_placeholder_at_either_end_of_the_normalized_form_stays_whole(app, customer):
    customer.get("/search", query_string={"q": "我的邮箱是 a@b.com"})
    flush(app)
    assert logs(app)[0].normalized == "我的邮箱是 [email]"  # was "我的邮箱是 [email"


@pytest.mark.parametrize(("query", "normalized"), [
    ("邮箱 a@b.com。", "邮箱 [email]"),
    ("a@b.com 收不到验证码", "[email] 收不到验证码"),
    ("“13800138000”", "[phone]"),
    ("订单 202611230001234567!!", "订单 [number]"),
    ("我住在北京市朝阳区建国路 88 号", "我住在[address]"),
    ("(退款) ", "退款"),
    ("[[]] ", ""),
])
def test_edge_punctuation_is_trimmed_around_mask_placeholders(query, normalized):
    assert normalize(query) == normalized


def test_traditional_and_simplified_spellings_are_one_queue_row(app):
    visitor = app.test_client()  # no articles: both searches find nothing
    for text in ["帳號被鎖定", "账号被锁定"]:
        visitor.get("/search", query_string={"q": text}, headers=BROWSER)
    flush(app)
    assert [(r.query, r.failure) for r in logs(app)] == [("帳號被鎖定", "no_results"),
                                                         ("账号被锁定", "no_results")]
    with app.app_context():
        [row], total = queue.queue()
    assert total == 1
    assert (row.key, row.searches, row.sessions) == ("账号被锁定", 2, 1)
    assert sorted(row.variants) == [("帳號被鎖定", 1), ("账号被锁定", 1)]
    with app.app_context():  # the queue's own filter folds what ops type the same way
        assert [r.key for r in queue.queue(text="帳號")[0]] == ["账号被锁定"]


def test_traditional_and_simplified_spellings_find_the_same_article(customer, sample_articles):
    found = [customer.get("/api/v1/search", query_string={"q": text}).get_json()["results"]
             for text in ["帳號被鎖定", "账号被锁定"]]
    assert found[0] and [r["article"] for r in found[0]] == [r["article"] for r in found[1]]


def test_personal_data_is_masked_before_it_is_stored(app, customer):
    customer.get("/search", query_string={"q": "订单 202611230001234567 手机 13800138000 a@b.com"})
    flush(app)
    row = logs(app)[0]
    assert "13800138000" not in row.query and "a@b.com" not in row.query
    assert row.query == "订单 [number] 手机 [phone] [email]"


def test_opened_result_is_recorded_and_article_page_works_without_it(app, customer):
    html = customer.get("/search?q=退款").get_data(as_text=True)
    link = re.search(r'href="(/s/[0-9a-f]{32}/open\?[^"]+)"', html).group(1).replace("&amp;", "&")
    response = customer.get(link)
    assert response.status_code == 302 and response.headers["Location"].startswith("/articles/")
    flush(app)
    assert logs(app)[0].opened_slug in ("refunds", "invoice")
    assert customer.get("/articles/refunds").status_code == 200


def test_staff_and_bots_are_logged_apart_and_left_out_of_the_queue(app, sample_articles, make_user,
                                                                   login, client, editor_client):
    bot = app.test_client()
    bot.get("/search", query_string={"q": NOTHING}, headers={"User-Agent": "Googlebot/2.1"})
    login(make_user("agent"))
    client.get("/search", query_string={"q": NOTHING}, headers=BROWSER)
    flush(app)
    rows = logs(app)
    assert [(r.is_bot, r.is_staff) for r in rows] == [(True, False), (False, True)]
    assert NOTHING not in editor_client.get("/ops/queue").get_data(as_text=True)


def test_a_client_searching_faster_than_a_person_is_a_bot(make_app, sample_articles):
    app = make_app(RATELIMIT_ENABLED=True, BOT_SEARCH_RATE="3/minute")
    client = app.test_client()
    for _ in range(5):
        client.get("/search?q=退款", headers=BROWSER)
    flush(app)
    assert [r.is_bot for r in logs(app)] == [False, False, False, True, True]


def test_zero_results_and_none_of_these_appear_in_the_queue(app, customer, editor_client):
    customer.get("/search", query_string={"q": NOTHING})
    html = customer.get("/search?q=发票").get_data(as_text=True)
    public_id = re.search(r"/s/([0-9a-f]{32})/none-helped", html).group(1)
    response = customer.post(f"/s/{public_id}/none-helped")
    assert response.status_code == 302 and response.headers["Location"] == "/ask"
    flush(app)
    assert [r.failure for r in logs(app)] == ["no_results", "none_helped"]
    queue = editor_client.get("/ops/queue").get_data(as_text=True)
    assert NOTHING in queue and "发票" in queue


def test_a_search_without_a_confident_answer_reaches_the_queue(app, customer, editor_client):
    weak = "打印机的发票丢了"  # finds the invoice article through 发票 alone
    customer.get("/search", query_string={"q": weak})
    customer.get("/api/v1/search", query_string={"q": weak})
    customer.get("/search", query_string={"q": "怎么开发票"})  # answered: not failed
    flush(app)
    rows = logs(app)
    assert [(r.failure, r.result_count > 0) for r in rows] == [
        ("weak_results", True), ("weak_results", True), (None, True)]
    queue = editor_client.get("/ops/queue").get_data(as_text=True)
    assert f"<strong>{weak}</strong>" in queue and "没有可靠答案" in queue
    assert "<strong>怎么开发票</strong>" not in queue


def test_an_answer_voted_unhelpful_fails_the_search_it_was_opened_from(app, customer):
    html = customer.get("/search?q=退款多久到账").get_data(as_text=True)
    link = re.search(r'href="(/s/[0-9a-f]{32}/open\?[^"]+)"', html).group(1).replace("&amp;", "&")
    location = customer.get(link).headers["Location"]
    slug = location.split("/articles/")[1].split("#")[0]
    customer.post(f"/articles/{slug}/vote", data={"anchor": "", "helpful": "0", "reason": "unclear"})
    flush(app)
    assert logs(app)[0].failure == "unhelpful"


def test_queue_rows_show_numbers_variants_and_trend(app, sample_articles, editor_client):
    for text in ["量子纠缠", "量子纠缠", "量子纠缠！", "量子糾纏"]:
        app.test_client().get("/search", query_string={"q": text}, headers=BROWSER)
    flush(app)
    with app.app_context():  # one of them happened ten days ago
        row = db.session.scalars(select(SearchLog)).first()
        row.created_at = utcnow() - timedelta(days=10)
        db.session.commit()
    html = editor_client.get("/ops/queue").get_data(as_text=True)
    assert "<strong>量子纠缠</strong>" in html and "量子糾纏 (1)" in html
    assert "<td>4</td><td>4</td>" in html  # searches and distinct sessions
    assert "3 / 1" in html  # last 7 days against the 7 before


def test_link_to_article_makes_the_same_query_find_it(app, customer, editor_client, sample_articles):
    query = "钱怎么还没到"
    before = customer.get("/api/v1/search", query_string={"q": query}).get_json()
    assert "password-en" not in [r["article"] for r in before["results"]]
    customer.get("/search", query_string={"q": query})
    flush(app)
    with app.app_context():
        key = db.session.scalars(select(SearchLog.normalized)).first()
    response = editor_client.post("/ops/queue/link", data={"key": key, "slug": "password-en"})
    assert response.status_code == 302
    with app.app_context():
        assert query in store.content("account/password-en.md")
    after = customer.get("/api/v1/search", query_string={"q": query}).get_json()
    assert after["results"][0]["article"] == "password-en"
    with app.app_context():
        state = db.session.scalar(select(CandidateQuery))
        assert (state.status, state.linked_slug) == ("linked", "password-en")


def test_a_dismissed_query_returns_after_ten_more_failures(app, sample_articles, editor_client):
    def search_nothing(times):
        for _ in range(times):
            app.test_client().get("/search", query_string={"q": NOTHING}, headers=BROWSER)
        flush(app)

    search_nothing(2)
    editor_client.post("/ops/queue/bulk", data={"key": NOTHING, "action": "dismiss",
                                                "reason": "不是我们的业务"})
    assert NOTHING not in editor_client.get("/ops/queue").get_data(as_text=True)
    search_nothing(9)
    assert NOTHING not in editor_client.get("/ops/queue").get_data(as_text=True)
    search_nothing(1)
    html = editor_client.get("/ops/queue").get_data(as_text=True)
    assert NOTHING in html and "再次出现" in html


def test_start_draft_and_escalate(app, customer, editor_client):
    customer.get("/search", query_string={"q": NOTHING})
    flush(app)
    draft = editor_client.post("/ops/queue/draft", data={"key": NOTHING})
    assert draft.status_code == 302 and "/editor/new?title=" in draft.headers["Location"]
    form = editor_client.get(draft.headers["Location"]).get_data(as_text=True)
    assert NOTHING in form
    editor_client.post("/ops/queue/escalate", data={"key": NOTHING})
    with app.app_context():
        ticket = db.session.scalar(select(Ticket))
        assert ticket.subject == NOTHING and ticket.source == "escalated"


def test_bulk_assign_and_filters(app, sample_articles, editor_client):
    for text in ("量子一", "量子二"):
        app.test_client().get("/search", query_string={"q": text}, headers=BROWSER)
    flush(app)
    editor_client.post("/ops/queue/bulk", data={"key": ["量子一", "量子二"], "action": "assign_me"})
    mine = editor_client.get("/ops/queue?assignee=me").get_data(as_text=True)
    assert "量子一" in mine and "量子二" in mine
    assert "量子一" not in editor_client.get("/ops/queue?assignee=unassigned").get_data(as_text=True)
    assert "量子二" not in editor_client.get("/ops/queue?q=量子一").get_data(as_text=True)


def test_queue_needs_an_editor(client, sample_articles, make_user, login):
    assert client.get("/ops/queue").status_code == 302
    login(make_user("agent"))
    assert client.get("/ops/queue").status_code == 403


def test_ticket_from_ask_carries_the_trail_and_the_token_page_shows_only_it(app, customer):
    customer.get("/search", query_string={"q": NOTHING})
    customer.get("/search", query_string={"q": "退款"})
    form = customer.get("/ask").get_data(as_text=True)
    assert 'value="退款"' in form  # pre-filled from the last search
    response = customer.post("/ask", data={
        "subject": "退款一直没到", "body": "我的手机 13800138000，订单 202611230001234567",
        "email": "li@example.com", "category": "usage", "website": ""})
    assert response.status_code == 302
    token = response.headers["Location"].split("/tickets/")[1].split("?")[0]
    flush(app)
    with app.app_context():
        ticket = db.session.scalar(select(Ticket))
        assert [s["query"] for s in ticket.trail["searches"]] == [NOTHING, "退款"]
        assert ticket.messages[0].body == "我的手机 13800138000，订单 202611230001234567"
        assert ticket.email == "li@example.com" and ticket.category == "usage"
        assert {r.failure for r in db.session.scalars(select(SearchLog))} == {"no_results", "ticket"}
    page = customer.get(f"/tickets/{token}?new=1").get_data(as_text=True)
    assert "退款一直没到" in page and f"/tickets/{token}" in page
    other = app.test_client().post("/ask", data={
        "subject": "另一个人的问题", "body": "内容", "email": "x@example.com", "category": "bug"})
    other_token = other.headers["Location"].split("/tickets/")[1].split("?")[0]
    assert "另一个人的问题" not in customer.get(f"/tickets/{token}").get_data(as_text=True)
    assert customer.get("/tickets/guessed-token").status_code == 404
    assert customer.get(f"/tickets/{other_token[:-1]}").status_code == 404


def test_ask_answers_field_by_field_and_keeps_what_was_typed(customer):
    response = customer.post("/ask", data={"subject": "", "body": "我写了很长的问题描述",
                                           "email": "not-an-email", "category": "usage"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "我写了很长的问题描述" in html
    assert html.count('class="field-error"') == 2


def test_honeypot_filled_by_a_bot_creates_nothing(app, customer):
    response = customer.post("/ask", data={"subject": "buy", "body": "spam", "email": "s@example.com",
                                           "category": "other", "website": "http://spam.example"})
    assert response.status_code == 200
    with app.app_context():
        assert db.session.scalar(select(Ticket)) is None


def test_customer_reply_on_the_token_page_reopens_the_ticket(app, customer):
    response = customer.post("/ask", data={"subject": "发票", "body": "开票", "email": "a@example.com",
                                           "category": "usage"})
    token = response.headers["Location"].split("/tickets/")[1].split("?")[0]
    with app.app_context():
        ticket = db.session.scalar(select(Ticket))
        ticket.status = "solved"
        db.session.commit()
    customer.post(f"/tickets/{token}", data={"body": "还是不行"})
    with app.app_context():
        ticket = db.session.scalar(select(Ticket))
        assert ticket.status == "open" and ticket.messages[-1].body == "还是不行"


def test_votes_one_per_session_per_item_and_counted(app, customer, sample_articles):
    customer.post("/articles/refunds/vote", data={"anchor": "如何申请退款", "helpful": "1"})
    customer.post("/articles/refunds/vote", data={"anchor": "如何申请退款", "helpful": "0",
                                                  "reason": "outdated", "comment": "电话 13800138000"})
    other = app.test_client()
    other.post("/articles/refunds/vote", data={"anchor": "如何申请退款", "helpful": "1"})
    other.post("/articles/refunds/vote", data={"anchor": "", "helpful": "1"})
    with app.app_context():
        votes = db.session.scalars(select(Vote).order_by(Vote.id)).all()
        assert len(votes) == 3
        assert (votes[0].helpful, votes[0].reason, votes[0].comment) == (False, "outdated", "电话 [phone]")
    page = customer.get("/articles/refunds").get_data(as_text=True)
    assert "(1)" in page
    assert customer.post("/articles/refunds/vote", data={"anchor": "no-such", "helpful": "1"}).status_code == 400


def test_search_still_answers_when_logging_fails(app, sample_articles, caplog):
    """The database refuses every search log write (a real refusal, by a trigger)."""
    with app.app_context(), db.engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("CREATE TRIGGER no_room BEFORE INSERT ON search_log "
                                 "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END")
        else:
            conn.exec_driver_sql("CREATE FUNCTION no_room() RETURNS trigger AS $$ BEGIN RAISE "
                                 "EXCEPTION 'database or disk is full'; END $$ LANGUAGE plpgsql")
            conn.exec_driver_sql("CREATE TRIGGER no_room BEFORE INSERT ON search_log "
                                 "FOR EACH ROW EXECUTE FUNCTION no_room()")
    client = app.test_client()
    with caplog.at_level(logging.ERROR):
        response = client.get("/search?q=退款", headers=BROWSER)
        app.extensions["portal.signals"].flush()
    assert response.status_code == 200 and "退款与退货" in response.get_data(as_text=True)
    assert any("could not record a signal" in r.getMessage() for r in caplog.records)


def test_prune_rolls_old_searches_into_daily_counts(app, customer, runner):
    for _ in range(3):
        customer.get("/search", query_string={"q": NOTHING})
    customer.get("/search", query_string={"q": "退款"})
    flush(app)
    with app.app_context():
        for row in db.session.scalars(select(SearchLog)):
            row.created_at = utcnow() - timedelta(days=200)
        db.session.commit()
    result = runner.invoke(args=["logs", "prune", "--days", "180"])
    assert result.exit_code == 0
    assert result.output == "rolled 4 searches older than 180 days into 2 daily counts\n"
    with app.app_context():
        assert db.session.scalar(select(SearchLog)) is None
        counts = {c.normalized: (c.searches, c.failed, c.sessions)
                  for c in db.session.scalars(select(DailyQueryCount))}
        assert counts[NOTHING] == (3, 3, 1) and counts["退款"] == (1, 0, 1)
        assert retention.prune(180) == (0, 0)


def test_staff_ticket_list_and_detail_show_the_trail(app, customer, make_user, login, client):
    customer.get("/search", query_string={"q": NOTHING})
    customer.post("/ask", data={"subject": "问题", "body": "内容", "email": "a@example.com",
                                "category": "bug"})
    login(make_user("agent"))
    listing = client.get("/agent/tickets").get_data(as_text=True)
    assert "问题" in listing
    with app.app_context():
        ticket_id = db.session.scalar(select(Ticket.id))
    assert NOTHING in client.get(f"/agent/tickets/{ticket_id}").get_data(as_text=True)
