"""Text the reply composer inserts: a link, a quoted answer, or a filled-in canned reply.

Links and answers point at public articles, absolute (the customer reads them in an
e-mail too) and in the customer's language when a translation exists. Canned replies
come from internal articles; their placeholders are filled from the ticket.
"""
from __future__ import annotations

import re

from flask_babel import force_locale, pgettext

from portal.tickets import links as linking
from portal.i18n import LOCALES
from portal.tickets.models import Ticket

MODES = ("link", "answer", "canned")
_PLACEHOLDER = re.compile(r"\{\{\s*(customer_name|ticket_id)\s*\}\}")


def insert_text(ticket: Ticket, slug: str, anchor: str, mode: str) -> str | None:
    """The Markdown to insert, or None when the article does not fit the mode.

    link and answer need a published public article; canned needs a published internal one.
    """
    target = linking.localized_target(slug, anchor, ticket.locale)
    if target is None or mode not in MODES or target.article.status != "published":
        return None
    wanted_audience = "internal" if mode == "canned" else "public"
    if target.article.audience != wanted_audience:
        return None
    if mode == "link":
        return markdown_link(target)
    if mode == "answer":
        return f"{quote(_answer_markdown(target))}\n\n{markdown_link(target)}"
    return fill_placeholders(_answer_markdown(target), ticket)


def markdown_link(target: linking.LinkTarget) -> str:
    """[question](absolute URL), brackets in the label escaped."""
    label = target.label.replace("[", r"\[").replace("]", r"\]")
    return f"[{label}]({target.url})"


def quote(markdown: str) -> str:
    """Markdown as a `>` block quote, blank lines kept inside the quote."""
    return "\n".join(f"> {line}" if line.strip() else ">"
                     for line in markdown.strip().splitlines())


def fill_placeholders(text: str, ticket: Ticket) -> str:
    """{{customer_name}} (else a polite word in the customer's language) and {{ticket_id}}."""
    with force_locale(LOCALES.get(ticket.locale, "zh_Hans")):
        anonymous = pgettext("greeting when the customer's name is unknown", "customer")
    values = {"customer_name": ticket.customer_name or anonymous, "ticket_id": str(ticket.id)}
    return _PLACEHOLDER.sub(lambda match: values[match[1]], text).strip()


def _answer_markdown(target: linking.LinkTarget) -> str:
    """The question's answer; for a whole article, its only answer or else its full text."""
    if target.question is not None:
        return target.question.answer_markdown
    if len(target.article.questions) == 1:
        return target.article.questions[0].answer_markdown
    return target.article.body_markdown
