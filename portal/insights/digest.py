"""The weekly digest: on Monday, editors get last week's failures, rising topics,
recurring problems and articles to review by e-mail (through the outbox), unless they
opted out. Sent once per week however many workers run, and never inside a request.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.accounts.models import User
from portal.database import utcnow
from portal.extensions import db
from portal.insights import content, problems, searches
from portal.insights.models import DigestOptOut, DigestSent
from portal.insights.periods import Filters
from portal.tickets import mail

SEND_AFTER = time(8, 0)  # Monday, portal time
LIST_LENGTH = 5


def wants_digest(user: User) -> bool:
    """True unless the user opted out."""
    return db.session.get(DigestOptOut, user.id) is None


def set_wanted(user: User, wanted: bool) -> None:
    """Opt in (remove the opt-out) or out."""
    opt_out = db.session.get(DigestOptOut, user.id)
    if wanted and opt_out is not None:
        db.session.delete(opt_out)
    elif not wanted and opt_out is None:
        db.session.add(DigestOptOut(user_id=user.id))
    db.session.commit()


def recipients() -> list[User]:
    """Active editors and admins who did not opt out."""
    opted_out = select(DigestOptOut.user_id)
    return list(db.session.scalars(select(User).where(
        User.active.is_(True), User.role.in_(("editor", "admin")), User.id.not_in(opted_out))
        .order_by(User.id)))


def week_of(now: datetime, tz: ZoneInfo) -> date:
    """The Monday (portal time) of the week `now` falls in: the digest's key."""
    today = now.astimezone(tz).date()
    return today - timedelta(days=today.weekday())


def last_week(monday: date, tz: ZoneInfo) -> Filters:
    """The seven days before that Monday."""
    return Filters(start=monday - timedelta(days=7), end=monday - timedelta(days=1), tz=tz,
                   preset="custom")


def compose(f: Filters, articles) -> tuple[str, str]:
    """Subject and plain-text body of the digest for the week `f`."""
    def section(title: str, lines: list[str]) -> str:
        return "\n".join([title, *(lines or ["- " + _("nothing this week")])])

    now, before = searches.Window(f), searches.Window(f.previous())
    rows = content.articles(now, before, articles)
    to_review = content.least_helpful(rows)[:LIST_LENGTH] + content.falling(rows)[:LIST_LENGTH]
    link = f"{current_app.config['BASE_URL']}/ops/insights?range=custom" \
           f"&start={f.start.isoformat()}&end={f.end.isoformat()}"
    subject = _("Help centre insights %(start)s – %(end)s", start=f.start.isoformat(),
                end=f.end.isoformat())
    body = "\n\n".join([
        section(_("Top failed queries"), [
            "- " + _("%(query)s (%(num)d failed of %(total)d)", query=row.query, num=row.failed,
                     total=row.searches)
            for row in now.queries(limit=LIST_LENGTH, order="failed")]),
        section(_("Rising topics"), [
            f"- {row.query} ({row.previous} → {row.searches})"
            for row in searches.rising(now, before, limit=LIST_LENGTH)]),
        section(_("Recurring problems (fixed, but new tickets came)"), [
            "- " + _("#%(id)d %(title)s (%(num)d tickets since the fix)", id=row.problem.id,
                     title=row.problem.title, num=row.since_fix)
            for row in problems.recurring(f)]),
        section(_("Articles to review"), [
            "- " + _("%(title)s (%(slug)s): %(views)d views (before %(previous)d), "
                     "%(down)d not helpful", title=row.title, slug=row.slug, views=row.views,
                     previous=row.previous_views, down=row.not_helpful)
            for row in {row.slug: row for row in to_review}.values()]),
        _("All numbers: %(link)s", link=link),
        _("You get this e-mail because you edit the help centre; "
          "turn it off on the insights page."),
    ])
    return subject, body


def send(monday: date, tz: ZoneInfo, articles, again: bool = False) -> int | None:
    """Send the digest for the week before `monday` to every recipient; None when another
    worker (or an earlier run) already sent it and `again` is not set."""
    record = db.session.get(DigestSent, monday)
    if record is not None and not again:
        return None
    users = recipients()
    if record is None:
        db.session.add(DigestSent(week=monday, recipients=len(users)))
        try:
            db.session.commit()  # claim the week first: two workers never both send
        except IntegrityError:
            db.session.rollback()
            return None
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        subject, body = compose(last_week(monday, tz), articles)
    for user in users:
        mail.send(user.email, subject, body)
    return len(users)


def send_if_due(tz: ZoneInfo, articles, now: datetime | None = None) -> int | None:
    """From Monday SEND_AFTER on, send this week's digest unless it went already."""
    now = now or utcnow()
    monday = week_of(now, tz)
    if now.astimezone(tz) < datetime.combine(monday, SEND_AFTER, tz):
        return None
    return send(monday, tz, articles)
