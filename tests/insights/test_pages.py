"""The insights and problems pages, CSV exports and the JSON API: roles, filters, safety."""
from __future__ import annotations

import csv
import io
import re

import pytest

from portal.accounts import tokens as apitokens
from portal.extensions import db
from portal.insights import export, problems
from portal.insights.models import Problem, ProblemTicket

from ..factories import DAY1, DAY2, local_time, search_row, ticket_row

RANGE = f"range=custom&start={DAY1.isoformat()}&end={DAY2.isoformat()}"


@pytest.fixture
def traffic(sample_articles, app, make_user):
    agent = make_user("agent")
    other = make_user("agent")
    with app.app_context():
        search_row("=HYPERLINK(\"x\") 退款", local_time(DAY1, 10), results=0)
        search_row("+1 退款 wang@example.com", local_time(DAY1, 11), results=0, session="b")
        search_row("登錄", local_time(DAY2, 10), lang="zh-Hant")
        ticket_row(local_time(DAY1, 10), category="bug", assignee_id=agent.id)
        ticket_row(local_time(DAY1, 11), category="usage", assignee_id=other.id)
        ticket_row(local_time(DAY2, 11), category="usage", assignee_id=other.id)
        problems.create("@SUM(X) 回调失败 13800138000", "bug", owner="-支付组")
        db.session.commit()
    return agent


def read_csv(response) -> list[list[str]]:
    body = response.get_data()
    assert body.startswith("\ufeff".encode("utf-8"))
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_customers_are_sent_to_sign_in(client):
    for url in ("/ops/insights", "/ops/problems", "/ops/insights/tickets.csv"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_editor_sees_every_section_with_definitions_and_no_inline_code(client, login, make_user, traffic):
    login(make_user("editor"))
    page = client.get(f"/ops/insights?{RANGE}").get_data(as_text=True)
    for section in ('id="self-service"', 'id="demand"', 'id="content"', 'id="tickets"',
                    'id="problems"', 'id="searches-table"', "vendor/echarts/echarts.min.js"):
        assert section in page
    assert "登录" in page  # the traditional query, folded
    assert "wang@example.com" not in page and "1 退款 [email]" in page
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)  # no inline script
    assert not re.search(r"\sstyle=", page) and "<style" not in page  # no inline style
    assert page.count('class="definition"') >= 14


def test_the_language_filter_leaves_the_interface_language_alone(client, login, make_user, traffic):
    login(make_user("editor"))
    page = client.get(f"/ops/insights?{RANGE}&language=en&lang=en").get_data(as_text=True)
    assert "Self-service" in page and '<option value="en" selected>' in page
    chinese = client.get(f"/ops/insights?{RANGE}&language=en").get_data(as_text=True)
    assert "自助服务" in chinese and '<option value="en" selected>' in chinese
    hant = client.get(f"/ops/insights?{RANGE}&lang=zh-Hant").get_data(as_text=True)
    assert "自助服務" in hant and "問題" in hant


def test_agent_sees_only_their_own_tickets(client, login, traffic):
    login(traffic)
    response = client.get(f"/ops/insights?{RANGE}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="tickets"' in page and 'id="demand"' not in page and 'id="problems-table"' not in page
    rows = read_csv(client.get(f"/ops/insights/tickets.csv?{RANGE}"))
    assert sum(int(row[2]) for row in rows[1:]) == 1
    assert client.get(f"/ops/insights/queries.csv?{RANGE}").status_code == 403
    assert client.get("/ops/problems").status_code == 403
    assert client.get("/ops/queue").status_code == 403


def test_csv_has_bom_header_iso_dates_and_filters(client, login, make_user, traffic):
    login(make_user("editor"))
    rows = read_csv(client.get(f"/ops/insights/searches.csv?{RANGE}"))
    assert rows[0] == ["date", "searches", "sessions", "zero_result", "no_click", "none_helped", "opened"]
    assert [row[:2] for row in rows[1:]] == [["2026-11-20", "2"], ["2026-11-21", "1"]]
    hant = read_csv(client.get(f"/ops/insights/searches.csv?{RANGE}&language=zh-Hant"))
    assert [row[:2] for row in hant[1:]] == [["2026-11-20", "0"], ["2026-11-21", "1"]]
    tickets = read_csv(client.get(f"/ops/insights/tickets.csv?{RANGE}"))
    assert tickets[0] == ["date", "category", "created", "solved"]
    assert ["2026-11-20", "bug", "1", "0"] in tickets and ["2026-11-21", "usage", "1", "0"] in tickets
    assert client.get("/ops/insights/secrets.csv").status_code == 404


def test_csv_escapes_formulas_and_holds_masked_text_only(client, login, make_user, traffic):
    login(make_user("editor"))
    queries = read_csv(client.get(f"/ops/insights/queries.csv?{RANGE}"))
    assert queries[0] == ["query", "searches", "zero_result", "no_click", "none_helped", "failed"]
    texts = [row[0] for row in queries[1:]]
    assert sorted(texts) == ["1 退款 [email]", "hyperlink(\"x\") 退款", "登录"]
    problems_csv = read_csv(client.get(f"/ops/insights/problems.csv?{RANGE}"))
    assert problems_csv[0] == ["id", "title", "kind", "status", "owner", "tickets",
                               "tickets_in_period", "recurring"]
    assert problems_csv[1][1] == "'@SUM(X) 回调失败 [phone]" and problems_csv[1][4] == "'-支付组"
    articles_csv = read_csv(client.get(f"/ops/insights/articles.csv?{RANGE}"))
    assert articles_csv[0][:6] == ["slug", "title", "views", "helpful", "not_helpful", "links"]


def test_json_reports_need_an_insights_token(client, app, traffic):
    with app.app_context():
        _, insights_secret = apitokens.create("BI", "insights:read", None)
        _, read_secret = apitokens.create("Desk", "read", None)
    assert client.get("/api/v1/insights/searches").status_code == 401
    assert client.get("/api/v1/insights/searches",
                      headers={"Authorization": f"Bearer {read_secret}"}).status_code == 403
    response = client.get(f"/api/v1/insights/queries?{RANGE}",
                          headers={"Authorization": f"Bearer {insights_secret}"})
    data = response.get_json()
    assert response.status_code == 200 and data["start"] == "2026-11-20"
    assert data["columns"] == ["query", "searches", "zero_result", "no_click", "none_helped", "failed"]
    assert {"query": "1 退款 [email]", "searches": 1, "zero_result": 1, "no_click": 0,
            "none_helped": 0, "failed": 1} in data["rows"]
    # an insights token reads reports only, not internal articles
    internal = client.get("/api/v1/articles/refund-canned",
                          headers={"Authorization": f"Bearer {insights_secret}"})
    assert internal.status_code == 404
    assert client.get("/api/v1/articles/refund-canned",
                      headers={"Authorization": f"Bearer {read_secret}"}).status_code == 200


def test_editors_create_and_fix_problems(client, login, make_user, app, traffic):
    login(make_user("editor"))
    response = client.post("/ops/problems", data={"title": "导出超时", "kind": "configuration",
                                                  "status": "open", "owner": "平台组", "note": ""})
    assert response.status_code == 302
    with app.app_context():
        problem = db.session.scalar(db.select(Problem).where(Problem.title == "导出超时"))
        assert (problem.kind, problem.owner, problem.fixed_at) == ("configuration", "平台组", None)
        problem_id = problem.id
    assert client.post(f"/ops/problems/{problem_id}", data={
        "title": "导出超时", "kind": "configuration", "status": "fixed", "owner": "平台组",
        "note": "已调大超时"}).status_code == 302
    with app.app_context():
        assert db.session.get(Problem, problem_id).fixed_at is not None
    assert client.post("/ops/problems", data={"title": "", "kind": "bug",
                                              "status": "open"}).status_code == 400
    page = client.get(f"/ops/problems/{problem_id}").get_data(as_text=True)
    assert 'id="weeks-table"' in page and "已调大超时" in page


def test_agent_attaches_a_ticket_from_the_ticket_page(client, login, app, traffic):
    login(traffic)
    with app.app_context():
        problem_id = db.session.scalar(db.select(Problem.id))
        ticket_id = db.session.scalar(db.select(db.func.min(db.text("id"))).select_from(
            db.table("tickets")))
    page = client.get(f"/agent/tickets/{ticket_id}").get_data(as_text=True)
    assert 'id="ticket-problem-select"' in page
    assert client.post(f"/agent/tickets/{ticket_id}/problem",
                       data={"problem": str(problem_id)}).status_code == 302
    with app.app_context():
        link = db.session.scalar(db.select(ProblemTicket))
        assert (link.ticket_id, link.problem_id, link.attached_by_id) == (ticket_id, problem_id, traffic.id)
    assert client.post(f"/agent/tickets/{ticket_id}/problem", data={"problem": ""}).status_code == 302
    with app.app_context():
        assert db.session.scalar(db.select(ProblemTicket)) is None
    assert client.post(f"/agent/tickets/{ticket_id}/problem",
                       data={"problem": "99999"}).status_code == 400


def test_a_suggestion_group_becomes_a_problem(client, login, make_user, app):
    from portal.suggestions.models import SuggestionRun

    with app.app_context():
        run = SuggestionRun(signal_count=3, seconds=0.1, result={"groups": [{
            "id": 0, "key": "k", "title": "发票抬头怎么改", "size": 3, "sessions": 3,
            "phrasings": [["发票抬头怎么改", 2], ["改发票抬头", 1]], "action": "new_article",
            "nearest": None, "trend": {"last_7": 3, "previous_7": 0}}]})
        db.session.add(run)
        db.session.commit()
        run_id = run.id
    login(make_user("editor"))
    assert "ops/suggestions/problem" in client.get("/ops/suggestions").get_data(as_text=True)
    response = client.post("/ops/suggestions/problem", data={"run": run_id, "group": 0})
    assert response.status_code == 302
    with app.app_context():
        problem = db.session.scalar(db.select(Problem))
        assert (problem.title, problem.kind) == ("发票抬头怎么改", "missing_article")
        assert "改发票抬头 ×1" in problem.note


@pytest.mark.parametrize("value, expected", [
    ("=1+1", "'=1+1"), ("+86 退款", "'+86 退款"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("退款 =1", "退款 =1"), (-3, -3), (0.123456, 0.1235), (True, "true"),
    (None, ""), ("call 13800138000", "call [phone]")])
def test_csv_cells_are_defused_and_masked(value, expected):
    assert export.cell(value) == expected
