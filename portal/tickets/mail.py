"""The one way the portal sends e-mail, so a slow or broken mail server never hurts a reply.

`send()` returns at once: a background thread stores the message in the outbox table
and, when MAIL_SERVER is set, hands it to SMTP (with MAIL_TIMEOUT). Delivered messages
leave the outbox; without a server they stay there as "held", and when SMTP fails they
stay as "failed" with the error, so admins can read every undelivered message at
/admin/outbox.
"""
from __future__ import annotations

import smtplib
import threading
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import current_app
from sqlalchemy import select

from portal.extensions import db
from portal.tickets.models import OutboxMessage
from portal.database import utcnow
from portal.feedback.recorder import SignalRecorder

_EXTENSION_KEY = "portal.tickets.mail"
_sender_lock = threading.Lock()


def send(recipient: str, subject: str, body: str) -> None:
    """Queue a plain-text message for the background sender; never raises for delivery.

    The subject is folded onto one line: it may hold customer text, and a line break in
    a header would be refused (or, elsewhere, would inject headers).
    """
    _sender().submit(_store_and_deliver, recipient.strip(), " ".join(subject.split()), body)


def wait_until_sent() -> None:
    """Block until every queued message was delivered or kept (tests, CLI, shutdown)."""
    _sender().flush()


def outbox(limit: int = 200) -> list[OutboxMessage]:
    """Undelivered messages, newest first, for the admins' outbox page."""
    return list(db.session.scalars(select(OutboxMessage)
                                   .order_by(OutboxMessage.id.desc()).limit(limit)))


def _sender() -> SignalRecorder:
    """This app's mail thread: its own, so SMTP waits delay no signal writes, and one
    message per batch, so a failure is never retried together with (and never re-sends)
    a message already handed to the server."""
    app = current_app._get_current_object()
    with _sender_lock:
        if _EXTENSION_KEY not in app.extensions:
            app.extensions[_EXTENSION_KEY] = SignalRecorder(app, batch_size=1)
        return app.extensions[_EXTENSION_KEY]


def _store_and_deliver(recipient: str, subject: str, body: str) -> None:
    config = current_app.config
    message = OutboxMessage(recipient=recipient, subject=subject[:300], body=body,
                            status="sending" if config.get("MAIL_SERVER") else "held")
    db.session.add(message)
    db.session.commit()  # kept even if the process dies while talking to the server
    if message.status == "held":
        return
    message.attempted_at = utcnow()
    try:
        _deliver_smtp(config, recipient, subject, body)
    except (smtplib.SMTPException, OSError) as exc:
        message.status, message.error = "failed", f"{type(exc).__name__}: {exc}"[:2000]
    else:
        db.session.delete(message)


def _deliver_smtp(config, recipient: str, subject: str, body: str) -> None:
    email = EmailMessage()
    email["From"] = config["MAIL_SENDER"]
    email["To"] = recipient
    email["Subject"] = subject
    email["Date"] = formatdate(localtime=False)
    email["Message-ID"] = make_msgid(domain=config["MAIL_SENDER"].rpartition("@")[2] or None)
    email.set_content(body)
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"],
                      timeout=config["MAIL_TIMEOUT"]) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        smtp.send_message(email)
