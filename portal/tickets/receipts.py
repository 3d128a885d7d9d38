"""E-mails that put the private ticket link in the customer's mailbox.

The link is the only key to a ticket, so a customer who closes the tab must still have
it: one e-mail when the question arrives, and again whenever they ask for it. Both are
written in the ticket's language and go through the outbox like every other e-mail.
"""
from __future__ import annotations

from flask import url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from portal.extensions import db
from portal.i18n import LOCALES
from portal.tickets import mail
from portal.tickets.models import Ticket
from portal.urls import external

RESEND_LIMIT = 10  # a mailbox with more tickets gets the newest ones


def ticket_link(ticket: Ticket) -> str:
    """The absolute private address of one ticket."""
    return external(url_for("public.ticket", token=ticket.token))


def confirm_received(ticket: Ticket) -> None:
    """Tell the customer we have their question and give them the private link."""
    with force_locale(LOCALES.get(ticket.locale, "zh_Hans")):
        subject = _("We received your question: %(subject)s [#%(id)d]",
                    subject=ticket.subject, id=ticket.id)
        body = "\n\n".join([
            _("Hello %(name)s,", name=ticket.customer_name) if ticket.customer_name
            else _("Hello,"),
            _("Thank you, we received your question “%(subject)s” and will answer by e-mail.",
              subject=ticket.subject),
            _("Follow the answer and reply here: %(link)s", link=ticket_link(ticket)),
            _("This link is private: anyone who has it can read your question."),
        ])
    mail.send(ticket.email, subject, body)


def resend_links(email: str) -> int:
    """E-mail the links of every ticket opened from this address; how many were found.

    Callers answer the same whatever the count, so the form tells no one which
    addresses have tickets.
    """
    address = (email or "").strip().lower()
    found = list(db.session.scalars(select(Ticket).where(Ticket.email == address)
                                    .order_by(Ticket.id.desc()).limit(RESEND_LIMIT)))
    if not found:
        return 0
    with force_locale(LOCALES.get(found[0].locale, "zh_Hans")):
        subject = _("Your private question links")
        lines = [f"#{t.id} {t.subject}\n{ticket_link(t)}" for t in found]
        body = "\n\n".join([_("Hello,"),
                            _("Here are the private links to your questions:"), *lines,
                            _("This link is private: anyone who has it can read your question.")])
    mail.send(address, subject, body)
    return len(found)
