"""E-mail to customers: a transactional outbox delivered by the job runner, retried with
back-off under one Message-ID, exactly once across restarts and workers."""
from __future__ import annotations

import smtplib
import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.tickets import mail
from portal.extensions import db
from portal.tickets.models import OutboxMessage

from ..factories import BASE, free_port, new_ticket, outbox

pytestmark = pytest.mark.db


@pytest.fixture
def agent(make_user, login):
    return login(make_user("agent"))


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
    """A refused connection keeps the message queued for a later try, with the error; the
    reply itself is saved and shown. The request never talks to SMTP (see the next test).
    """
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), MAIL_TIMEOUT=2)
    ticket_id, token = new_ticket(app)
    response = client.post(f"/agent/tickets/{ticket_id}/reply",
                           data={"body": "我们已经处理。", "kind": "reply"})
    assert response.status_code == 302
    assert "我们已经处理。" in client.get(f"/tickets/{token}").get_data(as_text=True)
    [message] = outbox(app)
    assert message.status == "queued" and "Connection" in message.error
    assert message.attempts == 1 and "我们已经处理。" in message.body
    assert message.next_attempt_at == message.attempted_at + mail.retry_delay(1)


def test_the_reply_and_its_email_are_one_transaction_the_request_never_sends(
        app, client, agent, smtp_sink):
    sink, port = smtp_sink
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_SENDER="help@example.com")
    ticket_id, _ = new_ticket(app, email="li@example.com", subject="退款\r\nBcc: evil@example.com")
    response = client.post(f"/agent/tickets/{ticket_id}/reply", data={"body": "好", "kind": "reply"})
    assert response.status_code == 302 and sink.messages == []
    with app.app_context():
        [queued] = db.session.scalars(select(OutboxMessage)).all()
        assert queued.status == "queued" and queued.attempts == 0
        queued_id = queued.message_id
    [message] = outbox(app)
    assert message.status == "sent" and message.sent_at is not None
    [sent] = sink.messages
    assert sent["Message-ID"] == queued_id
    assert sent["To"] == "li@example.com" and sent["From"] == "help@example.com"
    assert sent["Bcc"] is None and "\n" not in sent["Subject"]  # no header injection
    assert "好" in sent.get_payload(decode=True).decode()


def test_a_failed_reply_writes_no_email(app, agent):
    with app.app_context():
        mail.enqueue("a@example.com", "Hi", "Body")
        db.session.rollback()  # the reply failed: its e-mail goes with it
    assert outbox(app) == []


def test_retries_back_off_keep_the_message_id_then_give_up(app, smtp_sink):
    sink, port = smtp_sink
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), MAIL_TIMEOUT=2)
    with app.app_context():
        mail.send("a@example.com", "Hi", "Body")
        message = db.session.scalars(select(OutboxMessage)).one()
        start = message.next_attempt_at
        assert mail.deliver_due(start) == 0
        first_try = db.session.get(OutboxMessage, message.id)
        assert (first_try.status, first_try.attempts) == ("queued", 1)
        assert first_try.next_attempt_at == start + timedelta(seconds=30)
        assert mail.deliver_due(start + timedelta(seconds=29)) == 0  # not due yet
        assert db.session.get(OutboxMessage, message.id).attempts == 1
        app.config.update(MAIL_PORT=port)
        assert mail.deliver_due(start + timedelta(seconds=30)) == 1
        delivered = db.session.get(OutboxMessage, message.id)
        assert (delivered.status, delivered.attempts) == ("sent", 2)
        assert [m["Message-ID"] for m in sink.messages] == [message.message_id]
        app.config.update(MAIL_PORT=free_port())
        mail.send("b@example.com", "Hi", "Body")
        doomed = db.session.scalars(select(OutboxMessage).where(
            OutboxMessage.recipient == "b@example.com")).one()
        when = doomed.next_attempt_at
        for attempt in range(1, mail.MAX_ATTEMPTS + 1):
            mail.deliver_due(when)
            db.session.expire_all()
            when = doomed.next_attempt_at or when
            assert doomed.attempts == attempt
        assert doomed.status == "failed" and doomed.next_attempt_at is None
        assert "Connection" in doomed.error


def test_exactly_once_across_a_restart_and_two_workers(make_app, app, client, agent, smtp_sink):
    sink, port = smtp_sink
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    for n in range(6):
        ticket_id, _ = new_ticket(app, email=f"c{n}@example.com")
        client.post(f"/agent/tickets/{ticket_id}/reply", data={"body": "好", "kind": "reply"})
    with app.app_context():  # the node goes away before its worker delivered anything
        db.session.remove()
        db.engine.dispose()
    assert sink.messages == []
    workers = [make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=port) for _ in range(2)]
    together = threading.Barrier(len(workers))

    def deliver(worker_app):
        with worker_app.app_context():
            for _ in range(3):
                together.wait()
                mail.deliver_due()
            db.session.remove()

    threads = [threading.Thread(target=deliver, args=(w,)) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    rows = outbox(workers[0])
    assert sorted(m["To"] for m in sink.messages) == [f"c{n}@example.com" for n in range(6)]
    assert sorted(m["Message-ID"] for m in sink.messages) == sorted(r.message_id for r in rows)
    assert {r.status for r in rows} == {"sent"} and {r.attempts for r in rows} == {1}


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
    assert [m.status for m in outbox(app)] == ["sent"]
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


def test_the_outbox_page_shows_state_attempts_error_and_next_try(app, client, make_user, login,
                                                                  smtp_sink):
    sink, port = smtp_sink
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    with app.app_context():
        mail.send("ok@example.com", "Delivered", "Body")
        mail.deliver_due()
        app.config.update(MAIL_PORT=free_port())
        mail.send("later@example.com", "Retried", "Body")
        mail.deliver_due()
    login(make_user("admin"))
    page = client.get("/admin/outbox").get_data(as_text=True)
    assert page.count("1 attempt") == 2 and "Connection" in page
    assert ">queued" in page.replace("<td>", ">") and "Next try" in page
    assert "sent" in page and "Sent " in page
