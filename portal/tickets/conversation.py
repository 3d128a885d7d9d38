"""What agents do to a ticket: reply, write internal notes, assign, change status and topic.

A public reply waits for the customer (pending) unless the agent chooses otherwise,
records every article it links, and e-mails the customer the private link in the
ticket's language. Notes are for staff only: no e-mail, no links recorded, and the
customer's page never shows them.
"""
from __future__ import annotations

from flask import url_for
from sqlalchemy import select
from flask_babel import force_locale
from flask_babel import gettext as _

from portal.tickets import links as linking, mail
from portal.extensions import db
from portal.i18n import LOCALES
from portal.tickets.models import TICKET_CATEGORIES, TICKET_STATUSES, Ticket, TicketMessage
from portal.accounts.models import User
from portal.database import utcnow
from portal.urls import external

MAX_BODY = 20000


def reply(ticket: Ticket, body: str, author: User, status: str | None = None) -> TicketMessage:
    """Send a public reply: pending unless another status is chosen; links and e-mail follow."""
    # Read the links before writing: looking articles up may rescan the disk, which records
    # revisions through its own session and would wait for this transaction's lock.
    links = linking.find_links(body)
    message = _add(ticket, "reply", body, author)
    ticket.first_reply_at = ticket.first_reply_at or message.created_at
    ticket.status = status if status in TICKET_STATUSES else "pending"
    db.session.flush()  # the message id, for its links
    linking.record_reply_links(message, author, links)
    if ticket.email:
        notify_customer(ticket, message)  # the e-mail commits with the reply, or neither does
    db.session.commit()
    return message


def note(ticket: Ticket, body: str, author: User, status: str | None = None) -> TicketMessage:
    """An internal note for other staff; the status changes only if the agent asks."""
    message = _add(ticket, "note", body, author)
    if status in TICKET_STATUSES:
        ticket.status = status
    db.session.commit()
    return message


def get_ticket(ticket_id: int) -> Ticket | None:
    """The ticket with this id, if any."""
    return db.session.get(Ticket, ticket_id)


def update(ticket: Ticket, *, status: str, category: str, assignee: User | None) -> None:
    """Set status, topic and assignee (None: unassigned) from the inbox or the ticket."""
    if status not in TICKET_STATUSES or category not in TICKET_CATEGORIES:
        raise ValueError("unknown status or category")
    ticket.status, ticket.category = status, category
    ticket.assignee_id = assignee.id if assignee else None
    ticket.updated_at = utcnow()
    db.session.commit()


def assignable_agents() -> list[User]:
    """Active staff who take tickets: agents and admins, by name."""
    users = db.session.scalars(select(User).where(User.active.is_(True),
                                                  User.role.in_(("agent", "admin"))))
    return sorted(users, key=lambda user: user.name.lower())


def notify_customer(ticket: Ticket, message: TicketMessage) -> None:
    """Queue (in the caller's transaction) the reply and the private ticket link as an
    e-mail, written in the customer's language."""
    link = external(url_for("public.ticket", token=ticket.token))
    with force_locale(LOCALES.get(ticket.locale, "zh_Hans")):
        subject = _("Re: %(subject)s [#%(id)d]", subject=ticket.subject, id=ticket.id)
        body = "\n\n".join([
            _("Hello %(name)s,", name=ticket.customer_name) if ticket.customer_name
            else _("Hello,"),
            _("We answered your question “%(subject)s”:", subject=ticket.subject),
            message.body.strip(),
            _("Read the whole conversation and reply here: %(link)s", link=link),
            _("This link is private: anyone who has it can read your question."),
        ])
    mail.enqueue(ticket.email, subject, body)


def trail(ticket: Ticket) -> dict:
    """The customer's searches and votes before the ticket (older tickets kept a bare list)."""
    if isinstance(ticket.trail, dict):
        return {"searches": ticket.trail.get("searches", []),
                "votes": ticket.trail.get("votes", [])}
    return {"searches": list(ticket.trail or []), "votes": []}


def latest_customer_text(ticket: Ticket) -> str:
    """The customer's most recent message, what the suggestions should answer now."""
    return next((m.body for m in reversed(ticket.messages) if m.kind == "customer"), "")


def _add(ticket: Ticket, kind: str, body: str, author: User) -> TicketMessage:
    message = TicketMessage(kind=kind, body=body.strip()[:MAX_BODY], author_id=author.id,
                            created_at=utcnow())
    ticket.messages.append(message)
    ticket.updated_at = utcnow()
    return message
