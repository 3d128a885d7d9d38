"""Searches and tickets for analysts, as CSV or JSON Lines, with personal data masked.

The columns are chosen for analysis: what was searched, found, opened and asked, and
when; never the customer's address, name, session or private ticket link. Every text cell
goes through the same masking and spreadsheet defusing as the insights reports
(`insights.export`), and rows stream from the database, so a year of searches never sits
in memory.
"""
from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, time, timezone
from typing import IO, Iterator

from sqlalchemy import func, select

from portal.extensions import db
from portal.feedback.models import SearchLog
from portal.insights.export import BOM, cell, json_value
from portal.tickets.models import Ticket, TicketMessage

KINDS = ("searches", "tickets")
FORMATS = ("csv", "jsonl")
COLUMNS = {
    "searches": ("created_at", "query", "normalized", "result_count", "page", "locale",
                 "lang_filter", "category_filter", "source", "is_staff", "is_bot", "failure",
                 "opened_slug", "opened_anchor", "opened_at"),
    "tickets": ("id", "created_at", "updated_at", "status", "category", "locale", "source",
                "subject", "question", "messages", "replies", "first_reply_at", "solved_at",
                "searches_before"),
}
_BATCH = 1000


def rows(kind: str, since: date | None) -> Iterator[dict]:
    """The export's rows, oldest first, each a dict with exactly COLUMNS[kind]."""
    start = (datetime.combine(since, time.min, tzinfo=timezone.utc) if since else None)
    if kind == "searches":
        yield from _searches(start)
    elif kind == "tickets":
        yield from _tickets(start)
    else:
        raise KeyError(kind)


def _searches(start: datetime | None) -> Iterator[dict]:
    query = select(SearchLog).order_by(SearchLog.id)
    if start is not None:
        query = query.where(SearchLog.created_at >= start)
    for row in db.session.scalars(query.execution_options(yield_per=_BATCH)):
        yield {column: getattr(row, column) for column in COLUMNS["searches"]}


def _tickets(start: datetime | None) -> Iterator[dict]:
    query = select(Ticket).order_by(Ticket.id)
    if start is not None:
        query = query.where(Ticket.created_at >= start)
    for ticket in db.session.scalars(query.execution_options(yield_per=_BATCH)):
        counts = dict(db.session.execute(
            select(TicketMessage.kind, func.count()).where(TicketMessage.ticket_id == ticket.id)
            .group_by(TicketMessage.kind)).all())
        first = db.session.scalar(
            select(TicketMessage.body).where(TicketMessage.ticket_id == ticket.id,
                                             TicketMessage.kind == "customer")
            .order_by(TicketMessage.id).limit(1))
        yield {"id": ticket.id, "created_at": ticket.created_at, "updated_at": ticket.updated_at,
               "status": ticket.status, "category": ticket.category, "locale": ticket.locale,
               "source": ticket.source, "subject": ticket.subject, "question": first or "",
               "messages": sum(counts.values()), "replies": counts.get("reply", 0),
               "first_reply_at": ticket.first_reply_at, "solved_at": ticket.solved_at,
               "searches_before": _searches_before(ticket.trail)}


def _searches_before(trail) -> int:
    """How many searches the customer made before asking (the ticket's trail)."""
    if isinstance(trail, dict):
        return len(trail.get("searches") or [])
    return len(trail) if isinstance(trail, list) else 0


def write(kind: str, fmt: str, since: date | None, out: IO[bytes]) -> int:
    """Stream the export into a binary file; the number of rows."""
    columns = COLUMNS[kind]
    count = 0
    if fmt == "csv":
        out.write(BOM.encode("utf-8"))
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(columns)
        for row in rows(kind, since):
            writer.writerow([cell(row[column]) for column in columns])
            count += 1
            if buffer.tell() > 1 << 16:
                out.write(buffer.getvalue().encode("utf-8"))
                buffer.seek(0)
                buffer.truncate()
        out.write(buffer.getvalue().encode("utf-8"))
    elif fmt == "jsonl":
        for row in rows(kind, since):
            record = {column: json_value(row[column]) for column in columns}
            out.write(json.dumps(record, ensure_ascii=False).encode("utf-8") + b"\n")
            count += 1
    else:
        raise KeyError(fmt)
    return count
