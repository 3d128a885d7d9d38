"""Recording searches and what followed them: opened results, "none of these", tickets.

A search has failed when it found nothing, when what it found was no confident answer
(the engine's decision, see SearchPage.confident), when the customer said none of the results
helped, when the answer opened from it was voted not helpful, or when a ticket followed
it in the same session. The failure is stored on the search row itself, so the ops queue
is one grouped query.
"""
from __future__ import annotations

import re
import uuid
from datetime import timedelta

from flask import current_app, session
from sqlalchemy import insert, select, update

from portal.extensions import db
from portal.i18n import current_lang
from portal.feedback.models import SearchLog
from portal.database import utcnow
from portal.search.base import SearchPage
from portal.text.fold import fold
from portal.text.privacy import PLACEHOLDERS, mask
from portal.feedback.recorder import bulk
from portal.feedback.visitors import anonymous_id, visitor_kind

TICKET_LOOKBACK = timedelta(hours=2)
_PUNCTUATION = re.compile(r"[\W_]")


def normalize(query: str) -> str:
    """The grouping key: masked, folded script, lower case, trimmed of edge punctuation."""
    return trim_edges(fold(mask(query)))[:1000]


def trim_edges(text: str) -> str:
    """The text without punctuation and spaces at either end, except the brackets of a
    mask placeholder there ("邮箱 [email]" stays whole, not "邮箱 [email")."""
    start, end = 0, len(text)
    while (start < end and _PUNCTUATION.match(text[start])
           and not text.startswith(PLACEHOLDERS, start, end)):
        start += 1
    while (end > start and _PUNCTUATION.match(text[end - 1])
           and not text.endswith(PLACEHOLDERS, start, end)):
        end -= 1
    return text[start:end]


def recorder():
    """This worker's background signal writer."""
    return current_app.extensions["portal.signals"]


def record_search(query: str, results: SearchPage, *, page: int, lang_filter: str | None,
                  category_filter: str | None, source: str = "page") -> str | None:
    """Queue the search for logging and return its public id (None for an empty query)."""
    if not query.strip() or not current_app.config["SEARCH_LOGGING"]:
        return None
    staff, bot = visitor_kind()
    public_id = uuid.uuid4().hex
    masked = mask(query)[:1000]
    row = dict(public_id=public_id, query=masked, normalized=normalize(query),
               result_count=results.total, page=page, locale=current_lang(),
               lang_filter=lang_filter, category_filter=category_filter,
               session_id=anonymous_id(), source=source, is_staff=staff, is_bot=bot,
               failure=_failure(results), created_at=utcnow())
    recorder().submit(_insert, row)
    if source == "page":  # small, so the signed session cookie stays cheap to write
        session["last_search"] = {"id": public_id, "q": masked[:80]}
    return public_id


def _failure(results: SearchPage) -> str | None:
    """How a search failed as soon as it ran: nothing found, or no confident answer."""
    if not results.total:
        return "no_results"
    return None if results.confident else "weak_results"


def _insert_many(arg_lists: list) -> None:
    db.session.execute(insert(SearchLog), [row for (row,) in arg_lists])


@bulk(_insert_many)
def _insert(row: dict) -> None:
    db.session.execute(insert(SearchLog), [row])


def record_open(public_id: str, slug: str, anchor: str) -> None:
    """Remember which result a search opened (and, for votes, where the reader came from)."""
    opened = dict(session.get("opened_from", {}))
    opened.pop(slug, None)
    opened[slug] = public_id
    session["opened_from"] = dict(list(opened.items())[-5:])
    recorder().submit(_mark_opened, public_id, anonymous_id(), slug, anchor, utcnow())


def _mark_opened(public_id, session_id, slug, anchor, when) -> None:
    db.session.execute(update(SearchLog).where(
        SearchLog.public_id == public_id, SearchLog.session_id == session_id,
        SearchLog.opened_slug.is_(None)).values(opened_slug=slug, opened_anchor=anchor,
                                                 opened_at=when))


def mark_failed(public_id: str, failure: str) -> None:
    """Mark one of this session's searches as failed (only if not already failed)."""
    recorder().submit(_mark_failed, public_id, anonymous_id(), failure)


def _mark_failed(public_id, session_id, failure) -> None:
    db.session.execute(update(SearchLog).where(
        SearchLog.public_id == public_id, SearchLog.session_id == session_id,
        SearchLog.failure.is_(None)).values(failure=failure))


def search_opened_before(slug: str) -> str | None:
    """The search this session opened the article from, if any."""
    return session.get("opened_from", {}).get(slug)


def mark_session_searches_followed_by_ticket(session_id: str) -> None:
    """A ticket followed: the session's recent searches failed (synchronously, in this request)."""
    since = utcnow() - TICKET_LOOKBACK
    db.session.execute(update(SearchLog).where(
        SearchLog.session_id == session_id, SearchLog.created_at >= since,
        SearchLog.failure.is_(None)).values(failure="ticket"))


def session_trail(session_id: str, limit: int = 30) -> list[dict]:
    """What this session searched and opened recently, oldest first, for a ticket."""
    since = utcnow() - timedelta(days=1)
    rows = db.session.scalars(select(SearchLog).where(
        SearchLog.session_id == session_id, SearchLog.created_at >= since)
        .order_by(SearchLog.id.desc()).limit(limit)).all()
    return [{"time": row.created_at.isoformat(), "query": row.query, "results": row.result_count,
             "opened": f"{row.opened_slug}#{row.opened_anchor}".rstrip("#") if row.opened_slug else None,
             "failure": row.failure} for row in reversed(rows)]
