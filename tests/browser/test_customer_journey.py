"""A customer in a real browser: search in three scripts, a deep link, a vote, asking a
question, the confirmation e-mail with the private link, and a reply on the ticket page."""
from __future__ import annotations

import re

from playwright.sync_api import expect
from sqlalchemy import select

from portal.extensions import db
from portal.tickets import mail
from portal.tickets.models import OutboxMessage

SEARCHES = {"zh-Hans": "退款多久到账", "zh-Hant": "退款多久會入帳", "en": "refund"}


def search(journey, query: str):
    box = journey.page.locator("form[role=search] input[name=q]").first
    box.fill(query)
    box.press("Enter")
    journey.page.wait_for_url(re.compile(r"/search\?"))
    return journey.page.locator("ol.results li.result")


def test_customer_finds_votes_asks_and_follows_the_ticket(journey, portal_app):
    page = journey.page
    journey.go("/")
    assert page.locator("a[href='/ask']").count() >= 2  # on the home page and in the footer
    journey.shot("home")

    for lang, query in SEARCHES.items():
        journey.go(f"/lang/{lang}?next=/")
        results = search(journey, query)
        assert results.count() > 0, (lang, query)
        assert page.locator("html").get_attribute("lang") == lang
        journey.shot(f"search-{lang}")

    journey.go("/lang/zh-Hans?next=/")
    journey.go("/articles/refunds#退款多久到账")
    heading = page.locator("h2#退款多久到账")
    assert heading.is_visible()
    journey.shot("deep-link")

    heading.locator("xpath=..").locator(".vote-box button.vote-button").first.click()
    page.wait_for_load_state()
    thanks = page.locator(".vote-thanks")
    expect(thanks).to_have_count(1)
    expect(thanks).to_be_in_viewport()  # where the reader is looking, not off-screen
    journey.shot("voted")

    journey.go("/ask")
    page.fill("input[name=subject]", "退款一直没到账")
    page.fill("textarea[name=body]", "订单 202611230001234567 申请退款一周了还没到账，电话 13800138000")
    page.wait_for_selector("[data-ask-suggestions] a", timeout=5000)
    journey.shot("ask-with-suggestions")
    page.fill("input[name=email]", "li@example.com")
    page.click("form[data-ask-form] button[type=submit]")
    page.wait_for_url(re.compile(r"/tickets/[\w-]+\?new=1"))
    token = re.search(r"/tickets/([\w-]+)", page.url).group(1)
    assert "13800138000" in page.content()  # the customer's own words, unmasked
    journey.shot("ticket-created")

    with portal_app.app_context():
        mail.wait_until_sent()
        message = db.session.scalars(select(OutboxMessage)
                                     .where(OutboxMessage.recipient == "li@example.com")).one()
        link = re.search(r"http://\S+/tickets/\S+", message.body).group(0)
    assert link == f"{journey.base_url}/tickets/{token}"

    page.goto(link)
    page.fill("textarea[name=body]", "补充：付款方式是微信支付")
    page.locator("form.stacked button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("ol.thread li.message-customer").count() == 2
    journey.shot("replied")


def test_customer_on_a_phone_sees_results_before_the_filters(browser, base_url, journey):
    page = journey.page
    page.set_viewport_size({"width": 390, "height": 800})
    journey.go("/search?q=退款")
    first_result = page.locator("ol.results li.result").first.bounding_box()
    filters = page.locator("aside.facets").bounding_box()
    assert first_result["y"] < filters["y"] and first_result["y"] < 800
    journey.shot("phone-search")
    journey.go("/ask")
    suggestions = page.locator(".ask-suggestions").bounding_box()
    submit = page.locator("form[data-ask-form] button[type=submit]").bounding_box()
    assert suggestions["y"] < submit["y"]
    journey.shot("phone-ask")
