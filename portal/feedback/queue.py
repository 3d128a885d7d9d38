"""The candidate-ticket queue: failed searches grouped by normalized query, for ops to act on.

Counts come straight from the search log (customers only: staff and bots are left out);
the queue's own state per query (status, assignee, dismissal) lives in CandidateQuery.
A dismissed query comes back when it has failed `RETURN_AFTER` more times since.
"""
from __future__ import annotations

import secrets
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from flask_babel import gettext as _
from sqlalchemy import and_, case, func, select

from portal.extensions import db
from portal.feedback.models import CandidateQuery, SearchLog
from portal.tickets.models import Ticket, TicketMessage
from portal.accounts.models import User
from portal.database import utcnow
from portal.text.fold import fold

RETURN_AFTER = 10
STATUSES = ("open", "in_progress", "linked", "drafted", "escalated", "dismissed")
SORTS = ("searches", "sessions", "last_seen", "trend")


@dataclass
class QueueRow:
    """One normalized failed query with its numbers and state."""

    key: str
    searches: int
    sessions: int
    first_seen: datetime
    last_seen: datetime
    last_7: int
    previous_7: int
    status: str = "open"
    assignee: User | None = None
    returned: bool = False
    linked_slug: str | None = None
    ticket_id: int | None = None
    variants: list[tuple[str, int]] = field(default_factory=list)
    trails: list[list[dict]] = field(default_factory=list)

    @property
    def trend(self) -> int:
        """Growth: failed searches in the last 7 days minus the 7 before."""
        return self.last_7 - self.previous_7

    @property
    def title(self) -> str:
        """The phrasing customers used most."""
        return self.variants[0][0] if self.variants else self.key


def _customer_failures():
    return and_(SearchLog.failure.is_not(None), SearchLog.is_staff.is_(False),
                SearchLog.is_bot.is_(False))


def queue(*, status: str | None = "active", assignee_id: int | None = None,
          unassigned: bool = False, text: str = "", sort: str = "searches",
          now: datetime | None = None, limit: int = 50, offset: int = 0) -> tuple[list[QueueRow], int]:
    """The rows for one page of the queue and the total number of matching rows."""
    now = now or utcnow()
    week, fortnight = now - timedelta(days=7), now - timedelta(days=14)
    aggregate = db.session.execute(
        select(SearchLog.normalized, func.count(), func.count(func.distinct(SearchLog.session_id)),
               func.min(SearchLog.created_at), func.max(SearchLog.created_at),
               func.sum(case((SearchLog.created_at >= week, 1), else_=0)),
               func.sum(case((and_(SearchLog.created_at >= fortnight,
                                   SearchLog.created_at < week), 1), else_=0)))
        .where(_customer_failures()).group_by(SearchLog.normalized)).all()
    states = {c.normalized: c for c in db.session.scalars(select(CandidateQuery))}
    returned = _failures_since_dismissal()
    rows = []
    for key, searches, sessions, first, last, last_7, previous_7 in aggregate:
        row = QueueRow(key, searches, sessions, _aware(first), _aware(last), int(last_7 or 0),
                       int(previous_7 or 0))
        state = states.get(key)
        if state:
            row.status, row.assignee = state.status, state.assignee
            row.linked_slug, row.ticket_id = state.linked_slug, state.ticket_id
            if state.status == "dismissed" and returned.get(key, 0) >= RETURN_AFTER:
                row.status, row.returned = "open", True
        rows.append(row)
    rows = [r for r in rows if _matches(r, status, assignee_id, unassigned, text)]
    order = {"searches": lambda r: (r.searches, r.sessions), "sessions": lambda r: (r.sessions, r.searches),
             "last_seen": lambda r: r.last_seen, "trend": lambda r: (r.trend, r.searches)}
    rows.sort(key=order.get(sort, order["searches"]), reverse=True)
    page = rows[offset:offset + limit]
    _attach_variants(page)
    _attach_trails(page)
    return page, len(rows)


def _matches(row: QueueRow, status, assignee_id, unassigned, text) -> bool:
    if status == "active" and row.status not in ("open", "in_progress"):
        return False
    if status not in (None, "", "active", "all") and row.status != status:
        return False
    if assignee_id and (row.assignee is None or row.assignee.id != assignee_id):
        return False
    if unassigned and row.assignee is not None:
        return False
    return not text or fold(text) in row.key


def _failures_since_dismissal() -> dict[str, int]:
    rows = db.session.execute(
        select(SearchLog.normalized, func.count())
        .join(CandidateQuery, CandidateQuery.normalized == SearchLog.normalized)
        .where(_customer_failures(), CandidateQuery.status == "dismissed",
               SearchLog.created_at > CandidateQuery.dismissed_at)
        .group_by(SearchLog.normalized)).all()
    return dict(rows)


def _attach_variants(rows: list[QueueRow]) -> None:
    if not rows:
        return
    found = db.session.execute(
        select(SearchLog.normalized, SearchLog.query, func.count())
        .where(_customer_failures(), SearchLog.normalized.in_([r.key for r in rows]))
        .group_by(SearchLog.normalized, SearchLog.query)).all()
    variants = defaultdict(list)
    for key, query, count in found:
        variants[key].append((query, count))
    for row in rows:
        row.variants = sorted(variants[row.key], key=lambda v: (-v[1], v[0]))[:8]


def _attach_trails(rows: list[QueueRow], per_row: int = 3) -> None:
    """For a few sessions of each row: everything else they searched and opened."""
    if not rows:
        return
    recent = db.session.execute(
        select(SearchLog.normalized, SearchLog.session_id, func.max(SearchLog.created_at))
        .where(_customer_failures(), SearchLog.normalized.in_([r.key for r in rows]))
        .group_by(SearchLog.normalized, SearchLog.session_id)).all()
    sessions_by_key = defaultdict(list)
    for key, session_id, last in sorted(recent, key=lambda r: r[2], reverse=True):
        if len(sessions_by_key[key]) < per_row:
            sessions_by_key[key].append(session_id)
    wanted = {s for ids in sessions_by_key.values() for s in ids}
    if not wanted:
        return
    steps = defaultdict(list)
    for row in db.session.scalars(select(SearchLog).where(SearchLog.session_id.in_(wanted))
                                  .order_by(SearchLog.created_at).limit(2000)):
        steps[row.session_id].append({
            "query": row.query, "results": row.result_count, "failure": row.failure,
            "opened": f"{row.opened_slug}#{row.opened_anchor}".rstrip("#") if row.opened_slug else None})
    for row in rows:
        row.trails = [steps[s][-10:] for s in sessions_by_key[row.key] if steps[s]]


def state(key: str) -> CandidateQuery:
    """The queue state for a query, created on first action."""
    existing = db.session.scalar(select(CandidateQuery).where(CandidateQuery.normalized == key))
    if existing:
        return existing
    created = CandidateQuery(normalized=key, status="open")
    db.session.add(created)
    return created


def top_phrasing(key: str) -> str:
    """The way customers typed this query most often."""
    found = db.session.execute(
        select(SearchLog.query, func.count()).where(SearchLog.normalized == key)
        .group_by(SearchLog.query).order_by(func.count().desc(), SearchLog.query).limit(1)).first()
    return found[0] if found else key


def set_status(keys: list[str], status: str, *, assignee: User | None = None,
               reason: str = "") -> None:
    """Bulk-change status (and assignee); dismissing remembers when and why."""
    for key in keys:
        row = state(key)
        row.status = status
        if assignee is not None:
            row.assignee_id = assignee.id
        if status == "dismissed":
            row.dismissed_at, row.dismissed_reason = utcnow(), reason.strip()[:2000]
    db.session.commit()


def assign(keys: list[str], user: User | None) -> None:
    """Give rows to a member of staff (None: unassign)."""
    for key in keys:
        state(key).assignee_id = user.id if user else None
    db.session.commit()


def mark_linked(key: str, slug: str) -> None:
    """The query is now an alias of an article."""
    row = state(key)
    row.status, row.linked_slug = "linked", slug
    db.session.commit()


def escalate(key: str) -> Ticket:
    """Turn a recurring failed query into a ticket for the support team."""
    row = state(key)
    phrasing = top_phrasing(key)
    ticket = Ticket(token=secrets.token_urlsafe(24), subject=phrasing[:300],
                    email="", category="usage", status="open", source="escalated",
                    trail={"searches": [], "votes": []})
    ticket.messages.append(TicketMessage(kind="note", body=_(
        "Escalated from the failed-search queue: “%(query)s”", query=phrasing)))
    db.session.add(ticket)
    db.session.flush()
    row.status, row.ticket_id = "escalated", ticket.id
    db.session.commit()
    return ticket


def _aware(value: datetime) -> datetime:
    return value if value is None or value.tzinfo else value.replace(tzinfo=timezone.utc)
