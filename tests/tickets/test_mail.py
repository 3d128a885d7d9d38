"""E-mail to customers: the outbox without a server, SMTP in the background, failures kept."""
from __future__ import annotations

import smtplib
import socket
import threading

import pytest
from sqlalchemy import select

from portal.tickets import mail
from portal.extensions import db
from portal.tickets.models import OutboxMessage

from ..factories import BASE, new_ticket

pytestmark = pytest.mark.db


@pytest.fixture(autouse=True)
def english_interface(client):
    """Assertions read the English source texts, whatever the translators do."""
    client.set_cookie("portal_lang", "en")


@pytest.fixture
def app_config(app_config):
    return {**app_config, "BASE_URL": BASE}


@pytest.fixture
def agent(make_user, login):
    return login(make_user("agent"))


def outbox(app) -> list[OutboxMessage]:
    with app.app_context():
        mail.wait_until_sent()
        rows = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        db.session.expunge_all()
        return rows


def closed_port() -> int:
    """A local port nothing listens on: the connection is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_without_a_mail_server_replies_wait_in_the_outbox(app, client, agent):
    ticket_id, token = new_ticket(app, subject="退款问题", email="wang@example.com",
                                  locale="en", name="Wang")
    client.post(f"/agent/tickets/{ticket_id}/reply", data={"body": "已退款。", "kind": "reply"})
    client.post(f"/agent/tickets/{ticket_id}/reply", data={"body": "内部", "kind": "note"})
    [message] = outbox(app)
    assert message.recipient == "wang@example.com" and message.status == "held"
    assert message.subject == f"Re: 退款问题 [#{ticket_id}]"
    assert message.body.startswith("Hello Wang,")
    assert "已退款。" in message.body and "内部" not in message.body
    assert f"{BASE}/tickets/{token}" in message.body


def test_a_ticket_without_an_address_sends_nothing(app, client, agent):
    ticket_id, _ = new_ticket(app, email="")
    client.post(f"/agent/tickets/{ticket_id}/reply", data={"body": "好的", "kind": "reply"})
    assert outbox(app) == []


def test_a_failing_smtp_server_does_not_break_the_reply(app, client, agent):
    """A refused connection is kept as a failed message; the reply itself is saved and shown.

    That the reply does not wait for SMTP is shown by the test with a server still talking.
    """
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=closed_port(), MAIL_TIMEOUT=2)
    ticket_id, token = new_ticket(app)
    response = client.post(f"/agent/tickets/{ticket_id}/reply",
                           data={"body": "我们已经处理。", "kind": "reply"})
    assert response.status_code == 302
    assert "我们已经处理。" in client.get(f"/tickets/{token}").get_data(as_text=True)
    [message] = outbox(app)
    assert message.status == "failed" and "Connection" in message.error
    assert message.attempted_at is not None and "我们已经处理。" in message.body


def test_the_reply_returns_while_smtp_is_still_talking(app, client, agent, monkeypatch):
    release, delivered = threading.Event(), []

    class SlowSMTP:
        def __init__(self, host, port, timeout):
            assert (host, timeout) == ("smtp.example.com", 10)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def send_message(self, message):
            release.wait(5)
            delivered.append(message)

    monkeypatch.setattr(smtplib, "SMTP", SlowSMTP)
    app.config.update(MAIL_SERVER="smtp.example.com", MAIL_TIMEOUT=10,
                      MAIL_SENDER="help@example.com")
    ticket_id, _ = new_ticket(app, email="li@example.com", subject="退款\r\nBcc: evil@example.com")
    response = client.post(f"/agent/tickets/{ticket_id}/reply", data={"body": "好", "kind": "reply"})
    assert response.status_code == 302 and delivered == []
    release.set()
    assert outbox(app) == []  # delivered messages leave the outbox
    [sent] = delivered
    assert sent["To"] == "li@example.com" and sent["From"] == "help@example.com"
    assert sent["Bcc"] is None and "\n" not in sent["Subject"]  # no header injection
    assert "好" in sent.get_content()


def test_smtp_login_and_starttls_when_configured(app, monkeypatch):
    calls = []

    class RecordingSMTP:
        def __init__(self, host, port, timeout):
            calls.append(("connect", host, port))

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            calls.append(("quit",))

        def starttls(self):
            calls.append(("starttls",))

        def login(self, user, password):
            calls.append(("login", user, password))

        def send_message(self, message):
            calls.append(("send", message["To"]))

    monkeypatch.setattr(smtplib, "SMTP", RecordingSMTP)
    app.config.update(MAIL_SERVER="smtp.example.com", MAIL_PORT=587, MAIL_USE_TLS=True,
                      MAIL_USERNAME="portal", MAIL_PASSWORD="secret")
    with app.app_context():
        mail.send("a@example.com", "Hi", "Body")
    assert outbox(app) == []
    assert calls == [("connect", "smtp.example.com", 587), ("starttls",),
                     ("login", "portal", "secret"), ("send", "a@example.com"), ("quit",)]


def test_only_admins_read_the_outbox(app, client, make_user, login):
    with app.app_context():
        mail.send("wang@example.com", "Re: 发票 [#1]", "<b>正文</b>")
    assert client.get("/admin/outbox").location.startswith("/login")
    for role in ("agent", "editor"):
        login(make_user(role))
        assert client.get("/admin/outbox").status_code == 403
        client.post("/logout")
    login(make_user("admin"))
    page = client.get("/admin/outbox").get_data(as_text=True)
    assert "wang@example.com" in page and "Re: 发票 [#1]" in page
    assert "&lt;b&gt;正文&lt;/b&gt;" in page
