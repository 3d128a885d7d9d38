"""Creating tickets (from the ask form or an escalated candidate) and the customer's view.

Every ticket carries the session's search trail, gets a private token link, and marks
the searches that led to it as failed. A ticket is a conversation: what the customer
wrote is stored as written, so the agent reads the order number and the customer sees
their own words. Masking happens where ticket text leaves the conversation (the
suggestions engine, analytics); solved tickets' personal data is erased by `retention`.
"""
from __future__ import annotations

import secrets

from sqlalchemy import select

from portal.extensions import db
from portal.feedback.models import Deflection
from portal.tickets.models import Ticket, TicketMessage
from portal.database import utcnow
from portal.feedback import votes as feedback, searchlog


def create_ticket(*, subject: str, body: str, email: str, category: str, locale: str,
                  session_id: str, name: str = "", source: str = "ask") -> Ticket:
    """A new open ticket with its first customer message and the session's trail."""
    trail = searchlog.session_trail(session_id) if session_id else []
    votes = feedback.session_votes(session_id) if session_id else []
    ticket = Ticket(token=secrets.token_urlsafe(24), subject=subject.strip()[:300],
                    email=email.strip().lower(), customer_name=name.strip()[:120],
                    category=category, status="open", locale=locale, source=source,
                    session_id=session_id, trail={"searches": trail, "votes": votes})
    ticket.messages.append(TicketMessage(kind="customer", body=body.strip()[:20000]))
    db.session.add(ticket)
    if session_id:
        searchlog.mark_session_searches_followed_by_ticket(session_id)
    db.session.commit()
    return ticket


def by_token(token: str) -> Ticket | None:
    """The ticket behind a private link; tokens are long random strings, never ids."""
    if not token or len(token) > 64:
        return None
    return db.session.scalar(select(Ticket).where(Ticket.token == token))


def customer_reply(ticket: Ticket, body: str) -> TicketMessage:
    """The customer answers on the token page; a pending or solved ticket opens again."""
    message = TicketMessage(kind="customer", body=body.strip()[:20000])
    ticket.messages.append(message)
    ticket.status = "open"
    ticket.updated_at = utcnow()
    db.session.commit()
    return message


def record_deflection(session_id: str, slug: str, anchor: str) -> bool:
    """An article opened from the ask form; deflected if no ticket follows. Opening the
    same answer again in one session is one deflection, not another row: False then."""
    seen = db.session.scalar(select(Deflection.id).where(
        Deflection.session_id == session_id, Deflection.slug == slug,
        Deflection.anchor == anchor).limit(1))
    if seen is not None:
        return False
    db.session.add(Deflection(session_id=session_id, slug=slug, anchor=anchor))
    db.session.commit()
    return True
