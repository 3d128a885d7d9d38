"""Helpful / not helpful votes on articles and questions, one per session per item.

A "not helpful" vote on an answer opened from a search marks that search as failed.
"""
from __future__ import annotations

from sqlalchemy import case, func, select

from portal.extensions import db
from portal.feedback.models import Vote
from portal.database import utcnow
from portal.feedback import searchlog
from portal.text.privacy import mask
from portal.feedback.visitors import anonymous_id

REASONS = ("outdated", "unclear", "not_answered", "other")


def vote(slug: str, anchor: str, helpful: bool, reason: str | None = None,
         comment: str = "") -> Vote:
    """Record or change this session's vote on an article ("" anchor) or a question."""
    session_id = anonymous_id()
    reason = reason if (reason in REASONS and not helpful) else None
    opened_from = searchlog.search_opened_before(slug)
    existing = db.session.scalar(select(Vote).where(
        Vote.session_id == session_id, Vote.slug == slug, Vote.anchor == anchor))
    row = existing or Vote(slug=slug, anchor=anchor, session_id=session_id)
    row.helpful, row.reason = helpful, reason
    row.comment = mask(comment or "")[:2000] if not helpful else ""
    row.search_public_id = opened_from
    row.created_at = utcnow()
    db.session.add(row)
    db.session.commit()
    if not helpful and opened_from:
        searchlog.mark_failed(opened_from, "unhelpful")
    return row


def counts(slug: str) -> dict[str, tuple[int, int]]:
    """anchor → (helpful, not helpful) for an article; "" is the article as a whole."""
    rows = db.session.execute(select(
        Vote.anchor, func.sum(case((Vote.helpful, 1), else_=0)),
        func.sum(case((Vote.helpful, 0), else_=1))).where(Vote.slug == slug)
        .group_by(Vote.anchor)).all()
    return {anchor: (int(up or 0), int(down or 0)) for anchor, up, down in rows}


def session_votes(session_id: str) -> list[dict]:
    """This session's votes, for the ticket trail."""
    rows = db.session.scalars(select(Vote).where(Vote.session_id == session_id)
                              .order_by(Vote.id)).all()
    return [{"time": v.created_at.isoformat(), "vote": f"{v.slug}#{v.anchor}".rstrip("#"),
             "helpful": v.helpful, "reason": v.reason} for v in rows]
