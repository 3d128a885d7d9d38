"""Editors, agents and admins in a real browser, each through their whole day's journey."""
from __future__ import annotations

import re

from playwright.sync_api import expect
from sqlalchemy import select

from portal.extensions import db
from portal.feedback.models import ArticleFlag
from portal.tickets import asking, mail
from portal.tickets.models import OutboxMessage

NEW_ARTICLE = """## 打印机卡纸了怎么办？

先关闭电源，再沿出纸方向轻轻取出纸张。

## 打印机一直显示离线怎么办？

检查网线或 Wi-Fi，然后在系统设置里重新添加打印机。

## 打印出来的字很淡怎么办？

墨粉快用完了，请更换墨粉盒。
"""


def test_editor_writes_previews_publishes_finds_edits_diffs_and_restores(journey):
    page = journey.page
    journey.sign_in("editor")
    expect(page).to_have_url(re.compile(r"/editor/$"))
    journey.shot("editor-home")

    page.click("a[href='/editor/new']")
    page.fill("input[name=title]", "打印机常见问题")
    page.fill("input[name=slug]", "printer-faq")
    page.fill("input[name=category]", "账户与安全")
    page.fill("textarea[name=body]", NEW_ARTICLE)
    expect(page.locator("[data-preview-target] h2")).to_have_count(3)  # the live preview
    page.click("button[name=action][value=preview]")
    expect(page.locator(".preview h2")).to_have_count(3)
    journey.shot("preview")
    page.click("button[name=action][value=publish]")
    expect(page).to_have_url(re.compile(r"/editor/articles/printer-faq$"))
    journey.shot("published")

    journey.go("/search?q=打印机卡纸")
    expect(page.locator("ol.results li.result").first).to_contain_text("打印机卡纸了怎么办")
    journey.shot("found")

    journey.go("/editor/articles/printer-faq")
    page.fill("textarea[name=body]", NEW_ARTICLE.replace("墨粉快用完了", "墨粉不足"))
    page.click("button[name=action][value=publish]")
    expect(page).to_have_url(re.compile(r"/editor/articles/printer-faq$"))
    page.click("a[href='/editor/articles/printer-faq/history']")
    page.locator("a[href*='/diff?']").first.click()
    expect(page.locator(".diff .add")).to_contain_text(["墨粉不足"])
    journey.shot("diff")

    page.go_back()
    page.locator("form[data-confirm] button[type=submit]").last.click()  # confirmed
    page.wait_for_load_state()
    expect(page.locator(".flash").first).to_be_visible()
    journey.go("/articles/printer-faq")
    expect(page.locator(".article-body")).to_contain_text("墨粉快用完了")
    journey.shot("restored")


def test_agent_answers_a_ticket_with_a_link_and_a_canned_reply_and_flags(journey, portal_app):
    page = journey.page
    with portal_app.app_context():
        ticket = asking.create_ticket(subject="退款多久能到账", body="我上周申请的退款还没到，订单 20261120001",
                                      email="zhao@example.com", category="usage",
                                      locale="zh-Hans", session_id="")
        ticket_id = ticket.id
    journey.sign_in("agent")
    expect(page).to_have_url(re.compile(r"/agent/tickets"))
    journey.shot("inbox")

    page.click(f"a[href='/agent/tickets/{ticket_id}']")
    expect(page.locator("ol.thread")).to_contain_text("20261120001")  # as the customer wrote
    body = page.locator("[data-composer-body]")
    body.click()
    body.type("您好，请看这里：??退款多久")
    expect(page.locator("[data-picker] li").first).to_be_visible()
    journey.shot("picker")
    body.press("Enter")
    expect(body).to_have_value(re.compile(r"/articles/refunds"))

    panel = page.locator("[data-panel-search] input")
    panel.fill("退款进度安抚")
    canned = page.locator("[data-panel-results] button[data-insert=canned]").first
    canned.click()
    expect(body).to_have_value(re.compile(r"您好，请看这里：.+\n\n.+", re.S))
    journey.shot("composed")
    page.click("button[name=action][value=send]")
    page.wait_for_load_state()
    expect(page.locator("ol.thread li.message-reply")).to_have_count(1)
    journey.shot("sent")

    flag = page.locator("[data-agent-panel] details.flag").first
    flag.locator("summary").click()
    flag.locator("select[name=reason]").select_option("outdated")
    flag.locator("textarea[name=note]").fill("到账时间已改为 1-5 个工作日")
    flag.locator("button[type=submit]").click()
    page.wait_for_load_state()
    journey.shot("flagged")
    with portal_app.app_context():
        mail.wait_until_sent()
        assert db.session.scalar(select(ArticleFlag).where(ArticleFlag.reason == "outdated"))
        replies = db.session.scalars(select(OutboxMessage.body).where(
            OutboxMessage.recipient == "zhao@example.com")).all()
    assert any(f"{journey.base_url}/articles/refunds" in text for text in replies)


def test_admin_creates_a_user_resets_a_password_and_manages_tokens(journey, portal_app):
    page = journey.page
    journey.sign_in("admin")
    expect(page).to_have_url(re.compile(r"/admin/users$"))
    expect(page.locator("select[name=new-role]")).to_have_value("agent")  # least privilege
    page.fill("input[name=new-email]", "new.agent@example.com")
    page.fill("input[name=new-display_name]", "新客服")
    page.fill("input[name=new-password]", "first password 123")
    page.click("form.narrow button[type=submit]")
    expect(page.locator("table.list")).to_contain_text("new.agent@example.com")
    journey.shot("user-created")

    row = page.locator("tr", has_text="new.agent@example.com")
    row.locator("form[action$='/reset'] button").click()  # confirmed
    page.wait_for_load_state()
    journey.shot("reset-sent")
    with portal_app.app_context():
        mail.wait_until_sent()
        body = db.session.scalars(select(OutboxMessage.body).where(
            OutboxMessage.recipient == "new.agent@example.com")).all()[-1]
    link = re.search(r"http://\S+/reset-password/\S+", body).group(0)
    assert link.startswith(journey.base_url)

    page.click("form[action='/logout'] button")  # the new colleague opens the link
    page.goto(link)
    page.fill("input[name=password]", "second password 456")
    page.fill("input[name=repeat]", "second password 456")
    page.click("form.stacked button[type=submit]")
    expect(page).to_have_url(re.compile(r"/login$"))
    journey.shot("password-reset")
    page.fill("input[name=email]", "new.agent@example.com")
    page.fill("input[name=password]", "second password 456")
    page.click("main form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/agent/tickets"))  # an agent lands on the inbox
    page.click("form[action='/logout'] button")
    journey.sign_in("admin")

    journey.go("/admin/tokens")
    page.fill("input[name=name]", "Zendesk")
    page.click("form.narrow button[type=submit]")
    expect(page.locator("code.secret")).to_be_visible()
    journey.shot("token-issued")
    page.locator("tr", has_text="Zendesk").locator("button[type=submit]").click()  # confirmed
    page.wait_for_load_state()
    expect(page.locator("tr", has_text="Zendesk").locator("form")).to_have_count(0)
    journey.shot("token-revoked")
