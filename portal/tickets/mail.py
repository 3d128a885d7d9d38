"""E-mail to customers as a transactional outbox, so no message is lost or sent twice.

`enqueue()` adds the message row to the caller's transaction: it exists exactly when the
reply or ticket it tells about exists, and a restart loses nothing. The job runner
(`portal worker`, or `portal run`'s thread) calls `deliver_due()`, which claims each row
with one atomic UPDATE before talking to SMTP, so two workers never send one message.
A failed try is retried with exponential back-off under the same Message-ID; after the
last attempt the message stays "failed" with the error. Without MAIL_SERVER messages are
"held". Admins read every state at /admin/outbox.
"""
from __future__ import annotations

import logging
import smtplib
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import current_app
from sqlalchemy import select, update

from portal.database import utcnow
from portal.extensions import db
from portal.tickets.models import OutboxMessage

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 8
FIRST_RETRY_SECONDS = 30
MAX_RETRY_SECONDS = 6 * 3600
BATCH = 50


def enqueue(recipient: str, subject: str, body: str) -> OutboxMessage:
    """Add a plain-text message to the current transaction; the caller commits it.

    The subject is folded onto one line: it may hold customer text, and a line break in
    a header would be refused (or, elsewhere, would inject headers).
    """
    config = current_app.config
    domain = config["MAIL_SENDER"].rpartition("@")[2] or "localhost"
    message = OutboxMessage(
        recipient=recipient.strip(), subject=" ".join(subject.split())[:300], body=body,
        status="queued" if config.get("MAIL_SERVER") else "held", error="", attempts=0,
        message_id=make_msgid(domain=domain), next_attempt_at=utcnow())
    db.session.add(message)
    return message


def send(recipient: str, subject: str, body: str) -> None:
    """Queue a message and commit it now, for callers with no transaction of their own."""
    enqueue(recipient, subject, body)
    db.session.commit()


def wait_until_sent() -> None:
    """Deliver every message due now in this process (tests and CLI; the worker does it too)."""
    deliver_due()


def outbox(limit: int = 200) -> list[OutboxMessage]:
    """The newest messages in every state, for the admins' outbox page."""
    return list(db.session.scalars(select(OutboxMessage)
                                   .order_by(OutboxMessage.id.desc()).limit(limit)))


def deliver_due(now: datetime | None = None) -> int:
    """Send the messages whose next try is due; the number handed to the server."""
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        return 0
    now = now or utcnow()
    due = db.session.scalars(
        select(OutboxMessage.id).where(OutboxMessage.status.in_(("queued", "sending")),
                                       OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.id).limit(BATCH)).all()
    db.session.commit()  # end the read, so each claim below starts its own write
    return sum(_deliver(message_id, now) for message_id in due if _claim(message_id, now))


def retry_delay(attempts: int) -> timedelta:
    """Back-off after the n-th failed attempt: 30 s, 1 min, 2 min … at most 6 hours."""
    return timedelta(seconds=min(MAX_RETRY_SECONDS, FIRST_RETRY_SECONDS * 2 ** (attempts - 1)))


def _claim(message_id: int, now: datetime) -> bool:
    """Take one message for this worker; a "sending" claim older than the timeout lapses."""
    hold = timedelta(seconds=3 * current_app.config["MAIL_TIMEOUT"] + 60)
    with db.engine.begin() as conn:
        return conn.execute(
            update(OutboxMessage).where(OutboxMessage.id == message_id,
                                        OutboxMessage.status.in_(("queued", "sending")),
                                        OutboxMessage.next_attempt_at <= now)
            .values(status="sending", next_attempt_at=now + hold, attempted_at=now)
        ).rowcount == 1


def _deliver(message_id: int, now: datetime) -> bool:
    message = db.session.get(OutboxMessage, message_id)
    message.attempts += 1
    try:
        _deliver_smtp(current_app.config, message)
    except (smtplib.SMTPException, OSError) as exc:
        message.error = f"{type(exc).__name__}: {exc}"[:2000]
        if message.attempts >= MAX_ATTEMPTS:
            message.status, message.next_attempt_at = "failed", None
        else:
            message.status, message.next_attempt_at = "queued", now + retry_delay(message.attempts)
        log.warning("mail %s to %s: attempt %d failed: %s", message.id, message.recipient,
                    message.attempts, message.error)
        sent = False
    else:
        message.status, message.sent_at, message.next_attempt_at = "sent", utcnow(), None
        message.error, sent = "", True
    db.session.commit()
    return sent


def _deliver_smtp(config, message: OutboxMessage) -> None:
    email = EmailMessage()
    email["From"] = config["MAIL_SENDER"]
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Date"] = formatdate(localtime=False)
    email["Message-ID"] = message.message_id
    email.set_content(message.body)
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"],
                      timeout=config["MAIL_TIMEOUT"]) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        smtp.send_message(email)
