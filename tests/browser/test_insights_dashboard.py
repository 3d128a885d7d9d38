"""The insights dashboard in a real browser: ECharts draws every chart under the content
security policy without a console error, and with JavaScript off the same numbers are
there in the tables (the charts are only a picture of the tables below them)."""
from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from portal.database import utcnow
from portal.extensions import db
from portal.i18n import portal_timezone
from portal.insights import problems

from ..factories import search_row, ticket_row

QUERY = "打印机墨粉在哪里买"  # no other journey searches this
PROBLEM = "墨粉订单回调失败"
RECORD_VIOLATIONS = ("window.__violations = [];"
                     "document.addEventListener('securitypolicyviolation', function (e) {"
                     " window.__violations.push(e.violatedDirective + ' ' + e.blockedURI); });")


@pytest.fixture(scope="module")
def traffic(portal_app):
    """Searches, tickets and a problem from the last hour, so today's row has numbers."""
    now = utcnow()
    with portal_app.app_context():
        for n, minutes in enumerate((50, 40, 30)):
            search_row(QUERY, now - timedelta(minutes=minutes), results=0, session=f"browser-{n}")
        search_row("退款", now - timedelta(minutes=20), session="browser-0", opened="refunds")
        ticket_row(now - timedelta(minutes=45), category="bug",
                   first_reply=now - timedelta(minutes=15))
        problems.create(PROBLEM, "bug", owner="支付组")
        db.session.commit()
        return now.astimezone(portal_timezone()).date()


def test_dashboard_draws_every_chart_with_no_console_error_or_csp_violation(journey, traffic):
    page = journey.page
    page.add_init_script(RECORD_VIOLATIONS)
    journey.sign_in("editor")
    journey.go("/ops/insights")
    charts = page.locator(".chart[data-source]")
    expect(charts).to_have_count(3)  # searches per day, top articles, tickets per day
    for index in range(charts.count()):
        chart = charts.nth(index)
        expect(chart.locator("canvas, svg").first).to_be_attached()
        box = chart.bounding_box()
        assert box is not None and box["width"] > 100 and box["height"] > 100, box
    journey.shot("charts")
    assert page.evaluate("window.__violations") == []
    assert journey.problems == []  # console errors and CSP violations (also checked at teardown)


def test_dashboard_without_javascript_shows_the_tables_with_the_numbers(journey_without_javascript,
                                                                      traffic):
    page = journey_without_javascript.page
    journey_without_javascript.sign_in("editor")
    journey_without_javascript.go("/ops/insights")
    assert page.locator(".chart canvas, .chart svg").count() == 0  # nothing drew
    today = traffic.isoformat()
    expect(page.locator("#top-table tr", has_text=QUERY)).to_contain_text("3")
    failed = page.locator("#failed-table tr", has_text=QUERY).locator("td")
    expect(failed).to_have_text([QUERY, "3", "3", "0", "0", "3"])  # failed, zero results …
    day = page.locator("#searches-table tr", has_text=today).locator("td")
    expect(day.nth(0)).to_have_text(today)
    assert int(day.nth(1).inner_text()) >= 4  # at least this module's four searches
    tickets = page.locator("#tickets-table tr", has_text=today).locator("td")
    assert int(tickets.nth(1).inner_text()) >= 1  # created today
    expect(page.locator("#problems-table")).to_contain_text(PROBLEM)
    expect(page.locator("#articles-table tbody tr").first).to_be_visible()
    for table in ("searches-table", "failed-table", "top-table", "articles-table",
                  "tickets-table", "categories-table", "status-table", "problems-table"):
        expect(page.locator(f"#{table}")).to_be_visible()
    journey_without_javascript.shot("no-javascript")
