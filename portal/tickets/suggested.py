"""Articles that may answer a ticket, public and internal, at question level.

Suggestions are computed when the ticket is shown, from the subject and the customer's
latest message, so they follow the conversation as the customer replies. The panel's
own search box uses the same engine over the same audiences.
"""
from __future__ import annotations

import logging
import re

from portal import services
from portal.tickets.models import Ticket
from portal.search.base import SearchHit
from portal.tickets.conversation import latest_customer_text

log = logging.getLogger(__name__)

STAFF_AUDIENCES = ("public", "internal")
_QUOTES = re.compile(r'["“”「」『』]')  # a customer's quotes must not become required phrases


def for_ticket(ticket: Ticket, limit: int = 8) -> list[SearchHit]:
    """Best hits for the subject plus latest message, topped up from the subject alone."""
    hits = search_questions(f"{ticket.subject} {latest_customer_text(ticket)}", limit)
    if len(hits) < limit:
        seen = {(hit.slug, hit.anchor) for hit in hits}
        hits += [hit for hit in search_questions(ticket.subject, limit)
                 if (hit.slug, hit.anchor) not in seen][:limit - len(hits)]
    return hits


def search_questions(text: str, limit: int = 10) -> list[SearchHit]:
    """Published public and internal questions matching the text (whole articles only
    when none of their questions matched).

    A broken index must not take the ticket page down with it: the panel is then empty
    and the error is logged.
    """
    query = _QUOTES.sub(" ", text or "").strip()
    if not query:
        return []
    try:
        page = services.search().search(query, per_page=limit, audiences=STAFF_AUDIENCES)
    except Exception:
        log.exception("article suggestions failed")
        return []
    with_questions = {hit.slug for hit in page.hits if hit.anchor}
    return [hit for hit in page.hits if hit.anchor or hit.slug not in with_questions]
