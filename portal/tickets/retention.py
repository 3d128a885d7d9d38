"""Forgetting customers: solved tickets lose their personal data after a retention period.

Tickets keep what the customer wrote while the conversation is alive. Once a ticket has
been solved for `PORTAL_TICKET_RETENTION_DAYS` (off by default), its contact address
and name are erased and every message is masked, so the statistics (topic, dates,
links) remain while the person does not. It runs from the CLI
(`portal tickets erase-solved`) and as a scheduled job of `portal worker`, never
inside a customer's request.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import or_, select

from portal.database import utcnow
from portal.extensions import db
from portal.text.privacy import mask
from portal.tickets.models import Ticket

JOB_EVERY_SECONDS = 6 * 3600.0


def erase_solved(days: int, now: datetime | None = None) -> int:
    """Erase the personal data of tickets solved more than `days` ago; how many were erased."""
    cutoff = (now or utcnow()) - timedelta(days=days)
    stale = db.session.scalars(select(Ticket).where(
        Ticket.status == "solved", Ticket.updated_at < cutoff,
        or_(Ticket.email != "", Ticket.customer_name != "")))
    erased = 0
    for ticket in stale:
        ticket.email, ticket.customer_name = "", ""
        ticket.subject = mask(ticket.subject)[:300]
        for message in ticket.messages:
            message.body = mask(message.body)
        erased += 1
    db.session.commit()
    return erased
