"""Problems: the root causes tickets come from, followed until they stop recurring.

Agents attach a ticket to the problem it came from; editors set the kind, status, owner
and a note. A problem marked fixed that still gets tickets created after the fix is
*recurring*: the fix did not hold, or did not reach every customer.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import and_, case, false, func, select

from portal.accounts.models import User
from portal.database import utcnow
from portal.extensions import db
from portal.insights.models import PROBLEM_KINDS, PROBLEM_STATUSES, Problem, ProblemTicket
from portal.insights.periods import Filters
from portal.tickets.models import Ticket


class ProblemError(ValueError):
    """The problem cannot be saved as asked (unknown kind or status, no title)."""


@dataclass(frozen=True)
class ProblemRow:
    """A problem with its ticket counts, for lists, reports and the digest."""

    problem: Problem
    tickets: int
    in_period: int
    since_fix: int

    @property
    def recurring(self) -> bool:
        """Marked fixed, yet tickets were created after the fix."""
        return self.problem.status == "fixed" and self.since_fix > 0


def _checked(title: str, kind: str, status: str) -> str:
    title = " ".join((title or "").split())[:300]
    if not title or kind not in PROBLEM_KINDS or status not in PROBLEM_STATUSES:
        raise ProblemError(title)
    return title


def create(title: str, kind: str, owner: str = "", note: str = "", status: str = "open") -> Problem:
    """A new problem; fixed from the start only if said so."""
    problem = Problem(title=_checked(title, kind, status), kind=kind, status=status,
                      owner=owner.strip()[:120], note=note.strip()[:5000],
                      fixed_at=utcnow() if status == "fixed" else None)
    db.session.add(problem)
    db.session.commit()
    return problem


def update(problem: Problem, *, title: str, kind: str, status: str, owner: str, note: str) -> None:
    """Edit a problem; marking it fixed starts the watch for recurring tickets."""
    problem.title = _checked(title, kind, status)
    problem.kind, problem.owner, problem.note = kind, owner.strip()[:120], note.strip()[:5000]
    if status == "fixed" and problem.status != "fixed":
        problem.fixed_at = utcnow()
    elif status != "fixed":
        problem.fixed_at = None
    problem.status = status
    db.session.commit()


def from_suggestion(group: dict) -> Problem:
    """A problem (a missing article, until someone knows better) from a suggestion group."""
    phrasings = "\n".join(f"- {text} ×{count}" for text, count in group.get("phrasings", [])[:20])
    return create(group["title"], "missing_article", note=phrasings)


def attach(ticket: Ticket, problem: Problem, user: User) -> None:
    """The ticket came from this problem (it leaves any problem it was attached to)."""
    link = db.session.scalar(select(ProblemTicket).where(ProblemTicket.ticket_id == ticket.id))
    if link is None:
        link = ProblemTicket(ticket_id=ticket.id, problem_id=problem.id)
        db.session.add(link)
    link.problem_id, link.attached_by_id, link.attached_at = problem.id, user.id, utcnow()
    db.session.commit()


def detach(ticket: Ticket) -> None:
    """The ticket came from no known problem after all."""
    link = db.session.scalar(select(ProblemTicket).where(ProblemTicket.ticket_id == ticket.id))
    if link is not None:
        db.session.delete(link)
        db.session.commit()


def get(problem_id: int) -> Problem | None:
    """One problem by id."""
    return db.session.get(Problem, problem_id)


def of_ticket(ticket: Ticket) -> Problem | None:
    """The problem a ticket is attached to, if any."""
    return db.session.scalar(select(Problem).join(ProblemTicket).where(
        ProblemTicket.ticket_id == ticket.id))


def choices() -> list[Problem]:
    """Problems a ticket can be attached to: open and in progress first, then fixed;
    newest first within each."""
    problems = db.session.scalars(select(Problem).order_by(Problem.id.desc())).all()
    return sorted(problems, key=lambda p: p.status == "fixed")


def rows(f: Filters | None = None) -> list[ProblemRow]:
    """Every problem with its tickets (all, created in the period, created after the fix)."""
    start, end = f.bounds() if f else (None, None)
    in_range = and_(Ticket.created_at >= start, Ticket.created_at < end) if f else false()
    total, in_period, since_fix = Counter(), Counter(), Counter()
    for problem_id, count, in_range_count, after_fix in db.session.execute(
            select(ProblemTicket.problem_id, func.count(),
                   func.sum(case((in_range, 1), else_=0)),
                   func.sum(case((Ticket.created_at > Problem.fixed_at, 1), else_=0)))
            .join(Ticket, ProblemTicket.ticket_id == Ticket.id)
            .join(Problem, ProblemTicket.problem_id == Problem.id)
            .group_by(ProblemTicket.problem_id)):
        total[problem_id], in_period[problem_id] = count, int(in_range_count or 0)
        since_fix[problem_id] = int(after_fix or 0)
    problems = {p.id: p for p in db.session.scalars(select(Problem))}
    found = [ProblemRow(p, total[p.id], in_period[p.id], since_fix[p.id])
             for p in problems.values()]
    return sorted(found, key=lambda r: (not r.recurring, r.problem.status == "fixed",
                                        -r.in_period, -r.tickets, -r.problem.id))


def weekly_tickets(problem: Problem, f: Filters) -> list[tuple[date, int]]:
    """Linked tickets per week (weeks start on Monday, portal time zone), oldest first."""
    weeks: Counter = Counter()
    for (created,) in db.session.execute(select(Ticket.created_at).join(
            ProblemTicket, ProblemTicket.ticket_id == Ticket.id).where(
            ProblemTicket.problem_id == problem.id)):
        day = f.local_day(created)
        weeks[day - timedelta(days=day.weekday())] += 1
    return sorted(weeks.items())


def linked_tickets(problem: Problem) -> list[Ticket]:
    """The problem's tickets, newest first."""
    return list(db.session.scalars(select(Ticket).join(
        ProblemTicket, ProblemTicket.ticket_id == Ticket.id).where(
        ProblemTicket.problem_id == problem.id).order_by(Ticket.created_at.desc())))


def recurring(f: Filters | None = None) -> list[ProblemRow]:
    """Fixed problems that got tickets created after the fix."""
    return [row for row in rows(f) if row.recurring]

