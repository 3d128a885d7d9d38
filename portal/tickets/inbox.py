"""The agents' inbox: tickets by status, topic, assignee and text, oldest first, with counts.

Oldest first so the customer who has waited longest is answered next. Each tab shows how
many tickets it holds under the other filters, so an agent sees where the work is.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, or_, select

from portal.extensions import db
from portal.tickets.models import TICKET_CATEGORIES, TICKET_STATUSES, Ticket, TicketMessage
from portal.accounts.models import User

STATUS_VIEWS = (*TICKET_STATUSES, "all")
ASSIGNEE_VIEWS = ("mine", "unassigned", "all")


@dataclass(frozen=True)
class InboxView:
    """What the agent asked to see; unknown values fall back to the defaults."""

    status: str = "open"
    category: str = ""
    assignee: str = "all"
    text: str = ""

    @classmethod
    def from_args(cls, args) -> "InboxView":
        """Read the filters from the query string."""
        status, category, assignee = (args.get("status"), args.get("category"),
                                      args.get("assignee"))
        return cls(status=status if status in STATUS_VIEWS else "open",
                   category=category if category in TICKET_CATEGORIES else "",
                   assignee=assignee if assignee in ASSIGNEE_VIEWS else "all",
                   text=(args.get("q") or "").strip()[:200])

    def args(self, **changes) -> dict:
        """Query-string arguments for this view with some filters changed (for links)."""
        values = {"status": self.status, "category": self.category,
                  "assignee": self.assignee, "q": self.text, **changes}
        return {key: value for key, value in values.items() if value}


def tickets(view: InboxView, user: User, limit: int = 100, offset: int = 0) -> list[Ticket]:
    """One page of the view's tickets, oldest first."""
    query = select(Ticket).where(*_conditions(view, user)).order_by(Ticket.created_at, Ticket.id)
    return list(db.session.scalars(query.limit(limit).offset(offset)))


def counts(view: InboxView, user: User) -> dict[str, dict[str, int]]:
    """Tickets per status tab and per assignee tab, each under the view's other filters."""
    by_status = dict(db.session.execute(
        select(Ticket.status, func.count(Ticket.id))
        .where(*_conditions(view, user, skip="status")).group_by(Ticket.status)).all())
    statuses = {status: int(by_status.get(status, 0)) for status in TICKET_STATUSES}
    statuses["all"] = sum(statuses.values())
    mine, unassigned, everyone = db.session.execute(select(
        func.coalesce(func.sum(case((Ticket.assignee_id == user.id, 1), else_=0)), 0),
        func.coalesce(func.sum(case((Ticket.assignee_id.is_(None), 1), else_=0)), 0),
        func.count(Ticket.id)).where(*_conditions(view, user, skip="assignee"))).one()
    return {"status": statuses,
            "assignee": {"mine": int(mine), "unassigned": int(unassigned), "all": int(everyone)}}


def _conditions(view: InboxView, user: User, skip: str = "") -> list:
    conditions = []
    if skip != "status" and view.status != "all":
        conditions.append(Ticket.status == view.status)
    if view.category:
        conditions.append(Ticket.category == view.category)
    if skip != "assignee" and view.assignee == "mine":
        conditions.append(Ticket.assignee_id == user.id)
    elif skip != "assignee" and view.assignee == "unassigned":
        conditions.append(Ticket.assignee_id.is_(None))
    if view.text:
        conditions.append(_matches_text(view.text))
    return conditions


def _matches_text(text: str):
    in_messages = select(TicketMessage.id).where(
        TicketMessage.ticket_id == Ticket.id,
        TicketMessage.body.icontains(text, autoescape=True)).exists()
    alternatives = [Ticket.subject.icontains(text, autoescape=True),
                    Ticket.email.icontains(text, autoescape=True),
                    Ticket.customer_name.icontains(text, autoescape=True), in_messages]
    number = text.lstrip("#")
    if number.isdigit() and len(number) < 10:
        alternatives.append(Ticket.id == int(number))
    return or_(*alternatives)
