"""What every audience shares, so no blueprint imports another.

The one safe-redirect check, the one way to build an article's address, the forms and
choices more than one audience uses, the search call every search page makes, ids
parsed with bounds, and the template globals and filters every template may use.
"""
from __future__ import annotations

import unicodedata
from urllib.parse import quote, urlsplit

from flask import Flask, redirect, request, url_for
from flask_babel import format_date, gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup
from werkzeug.routing import IntegerConverter
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from portal import services
from portal.articles.loader import clamp_update
from portal.articles.render import render_markdown
from portal.feedback import review
from portal.feedback.models import FLAG_REASONS
from portal.i18n import LANGUAGE_NAMES, current_lang
from portal.labels import LABELS, label
from portal.search import service as searching
from portal.search.base import SearchHit, SearchPage
from portal.tickets import links as linking

TICKET_CATEGORY_CHOICES = [
    SelectChoice("usage", _l("Usage question")), SelectChoice("bug", _l("Bug report")),
    SelectChoice("configuration", _l("Configuration")),
    SelectChoice("feature", _l("Feature request")), SelectChoice("other", _l("Other"))]


# Keyed by the model's reasons, so a reason added there without a label fails at import.
FLAG_REASON_NAMES = {reason: LABELS[reason] for reason in FLAG_REASONS}


class ConfirmForm(FlaskForm):
    """A bare CSRF-protected form for buttons (archive, restore, queue actions)."""


def local_target(target: str | None) -> str | None:
    """The target if it is a path on this site, else None.

    Browsers drop tabs and newlines from addresses and read a backslash as a slash, so
    `/\\t/evil.example` or `/\\\\evil.example` would leave the site: any control character
    or backslash is refused, as are schemes, hosts and protocol-relative targets. A CR/LF
    would also split the Location header.
    """
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if any(char == "\\" or unicodedata.category(char).startswith("C") for char in target):
        return None
    parts = urlsplit(target)
    return None if parts.scheme or parts.netloc else target


def redirect_local(target: str | None, fallback: str) -> Response:
    """Redirect to the target when it stays on this site, else to the fallback."""
    return redirect(local_target(target) or fallback)


def article_url(slug: str, anchor: str = "") -> str:
    """An article's address on this site, at a question's anchor (Chinese kept as typed)."""
    base = url_for("public.article", slug=slug)
    return f"{base}#{anchor}" if anchor else base


def hit_url(hit: SearchHit) -> str:
    """The deep link to a search hit or type-ahead item."""
    return article_url(hit.slug, hit.anchor)


def result_link(hit: SearchHit, public_id: str | None) -> str:
    """The href of a result on the search page: through the open-tracking redirect when logged.

    Built by hand rather than with url_for: a results page has many of them and this is the
    hot path of the most used page.
    """
    if not public_id:
        return hit_url(hit)
    return (f"/s/{public_id}/open?slug={quote(hit.slug, safe='')}"
            f"&anchor={quote(hit.anchor, safe='')}")


def run_search(wanted: searching.SearchRequest,
               audiences: tuple[str, ...] | None = None) -> SearchPage:
    """The page of results this reader may see (staff see internal articles too)."""
    return searching.run(services.search(), wanted,
                         audiences or services.reader_audiences())


# The largest id a database column holds (PostgreSQL integer); anything larger names no row.
MAX_ID = 2 ** 31 - 1


class BoundedIntConverter(IntegerConverter):
    """`<int:…>` in routes, refusing numbers no row can have: 404, never a database error."""

    def __init__(self, url_map, fixed_digits=0, min=None, max=MAX_ID, signed=False):
        super().__init__(url_map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def bounded_int(value: str) -> int:
    """An id or page number from a query or form: ValueError (so `type=` falls back to its
    default) for anything that is not a whole number a database column can hold."""
    number = int(value)
    if not 0 <= number <= MAX_ID:
        raise ValueError(f"{value!r} is out of range")
    return number


def register_converters(app: Flask) -> None:
    """Bounded `int` in every route; call before blueprints are registered."""
    app.url_map.converters["int"] = BoundedIntConverter


def register(app: Flask) -> None:
    """Add the context processor, template globals and filters to the Jinja environment."""

    @app.context_processor
    def inject_language():
        return {"ui_lang": current_lang(), "language_names": LANGUAGE_NAMES,
                "current_path": request.full_path.rstrip("?")}

    app.add_template_global(article_url)
    app.add_template_global(FLAG_REASON_NAMES, "flag_reason_names")
    app.add_template_global(review.open_flags, "open_article_flags")
    app.add_template_global(linking.reply_count, "article_reply_count")

    @app.template_filter("markdown")
    def markdown_filter(text: str) -> Markup:
        return Markup(render_markdown(text or ""))  # sanitized by nh3 inside

    @app.template_filter("dateformat")
    def dateformat(value, format=None) -> str:
        return format_date(clamp_update(value), format)  # a far date must not overflow

    app.add_template_filter(label, "label")
    app.add_template_global(insight_labels)

    @app.template_filter("category_name")
    def category_name(category) -> str:
        return category.name(current_lang()) or gettext("Other")


def insight_labels() -> dict[str, dict[str, str]]:
    """Localized names of problem kinds and statuses, ticket categories and statuses, and
    not-helpful reasons, for the ops and agent pages."""
    return {
        "kind": {"bug": gettext("Bug"), "configuration": gettext("Configuration"),
                 "feature_gap": gettext("Feature gap"),
                 "missing_article": gettext("Missing article")},
        "status": {"open": gettext("Open"), "in_progress": gettext("In progress"),
                   "fixed": gettext("Fixed")},
        "category": {"usage": gettext("Usage question"), "bug": gettext("Bug report"),
                     "configuration": gettext("Configuration"),
                     "feature": gettext("Feature request"), "other": gettext("Other")},
        "ticket_status": {"open": gettext("Open"), "pending": gettext("Pending"),
                          "solved": gettext("Solved")},
        "reason": {"not_answered": gettext("Didn't answer the question"),
                   "wrong": gettext("Wrong"), "outdated": gettext("Outdated"),
                   "unclear": gettext("Unclear"), "other": gettext("Other"),
                   "": gettext("No reason given")},
    }
