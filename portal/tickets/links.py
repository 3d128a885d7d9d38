"""Which articles answer real tickets: links found in replies, counts, and translations.

Every link to one of our articles in a public reply (or reported by another helpdesk
through the API) is recorded, so editors see which answers are used and ops can tell
which tickets were solved without any article — a gap the help centre should fill.
Links are built absolute (`portal.urls.base_url`) and in the customer's language where a translation
exists; anchors keep their Chinese characters as they are.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import unquote

from sqlalchemy import func, select

from portal import services
from portal.articles.model import Article, Question
from portal.extensions import db
from portal.accounts.models import ApiToken, User
from portal.tickets.models import ArticleLink, Ticket, TicketMessage
from portal.urls import base_url, external

# Anchors are made of word characters and hyphens (percent-encoded when a client escaped
# them), so the punctuation of the sentence around a bare link never becomes the anchor.
_PATH = r"/articles/(?P<slug>[\w-]+)(?:#(?P<anchor>[\w%-]*))?"
_RELATIVE = r"(?<![\w.:/-])"  # a bare path, not the path of some other site's URL


@dataclass(frozen=True)
class LinkTarget:
    """An article (anchor "") or one of its questions, as a reply can point at it."""

    article: Article
    question: Question | None

    @property
    def anchor(self) -> str:
        """The question's anchor, "" for the whole article."""
        return self.question.anchor if self.question else ""

    @property
    def label(self) -> str:
        """What the link says: the question, else the article title."""
        return self.question.text if self.question else self.article.title

    @property
    def url(self) -> str:
        """The absolute address, anchor kept as typed (Chinese stays Chinese)."""
        return absolute_url(self.article.slug, self.anchor)


def absolute_url(slug: str, anchor: str = "") -> str:
    """The site's address + /articles/<slug>#<anchor>, the form customers receive in replies."""
    url = external(f"/articles/{slug}")
    return f"{url}#{anchor}" if anchor else url


def find_links(text: str) -> list[tuple[str, str]]:
    """(slug, anchor) of every existing article linked in the text, in order, without repeats.

    Absolute links must start with the site's address; relative `/articles/...` links count too.
    Unknown articles are ignored and unknown anchors fall back to the whole article.
    """
    base = re.escape(base_url())
    pattern = re.compile(f"(?:{base}|{_RELATIVE}){_PATH}")
    repository = services.articles()
    found: list[tuple[str, str]] = []
    for match in pattern.finditer(text or ""):
        article = repository.get(match["slug"])
        if article is None:
            continue
        anchor = unquote(match["anchor"] or "")
        key = (article.slug, anchor if article.question(anchor) else "")
        if key not in found:
            found.append(key)
    return found


def record_reply_links(message: TicketMessage, user: User,
                       found: list[tuple[str, str]]) -> list[ArticleLink]:
    """Store the links find_links() found in a public reply, with its ticket (caller commits)."""
    links = [ArticleLink(slug=slug, anchor=anchor, source="reply", ticket_id=message.ticket_id,
                         message_id=message.id, user_id=user.id) for slug, anchor in found]
    db.session.add_all(links)
    return links


def record_outside_link(slug: str, anchor: str, ticket_ref: str, token: ApiToken) -> ArticleLink:
    """Another helpdesk linked an article in its ticket `ticket_ref`."""
    link = ArticleLink(slug=slug, anchor=anchor, source="api", ticket_ref=ticket_ref[:200],
                       token_id=token.id)
    db.session.add(link)
    db.session.commit()
    return link


def _replies_linking():
    """How many replies link an article: one per reply here, one per API report."""
    return func.count(func.distinct(ArticleLink.message_id)) + func.count(ArticleLink.ticket_ref)


def reply_count(slug: str) -> int:
    """In how many replies the article (any of its questions) was linked."""
    return db.session.scalar(select(_replies_linking()).where(ArticleLink.slug == slug)) or 0


def most_linked(limit: int = 20) -> list[tuple[str, int]]:
    """(slug, replies) of the articles that answer the most real tickets."""
    count = _replies_linking()
    rows = db.session.execute(select(ArticleLink.slug, count).group_by(ArticleLink.slug)
                              .order_by(count.desc(), ArticleLink.slug).limit(limit))
    return [(slug, int(n)) for slug, n in rows]


def unanswered_ticket_subjects(since: datetime | None = None) -> list[tuple[str, datetime]]:
    """(subject, solved at) of solved tickets whose replies linked no article.

    Each one is a question agents answered from their own knowledge: a signal for the
    suggestions engine that the help centre is missing an article.
    """
    linked = select(ArticleLink.id).where(ArticleLink.ticket_id == Ticket.id).exists()
    query = select(Ticket.subject, Ticket.updated_at).where(Ticket.status == "solved", ~linked)
    if since is not None:
        query = query.where(Ticket.updated_at >= since)
    return [(subject, when) for subject, when in
            db.session.execute(query.order_by(Ticket.updated_at.desc()))]


def localized_target(slug: str, anchor: str, lang: str) -> LinkTarget | None:
    """The article/question to link for a reader of `lang`: its translation if one exists.

    Translations name their original in `translation_of`; their questions correspond to
    the original's by position. Without a published translation the article itself is used.
    """
    repository = services.articles()
    article = repository.get(slug)
    if article is None:
        return None
    question = article.question(anchor) if anchor else None
    if article.lang != lang:
        translated = _translation(repository.articles.values(), article, lang)
        if translated is not None:
            position = article.questions.index(question) if question else None
            if position is None or position < len(translated.questions):
                article = translated
                question = translated.questions[position] if position is not None else None
    return LinkTarget(article, question)


def _translation(articles, article: Article, lang: str) -> Article | None:
    original = article.translation_of or article.slug
    return next((other for other in articles
                 if other.lang == lang and other.status == "published"
                 and other.audience == article.audience
                 and (other.slug == original or other.translation_of == original)), None)
