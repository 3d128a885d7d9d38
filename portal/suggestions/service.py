"""Suggestions from the portal's own signals: gather, cluster, store, and act on groups.

The clustering engine (portal.suggestions) knows nothing of Flask or SQL; this module
feeds it failed searches, "did not help" comments, ticket subjects and tickets solved
without an article, compares against the live articles, stores each run, remembers
dismissals, and turns a group into a draft or into aliases.
"""
from __future__ import annotations

import logging
import re
import time
from datetime import timedelta
from typing import Iterable

from pypinyin import lazy_pinyin
from sqlalchemy import case, func, select

from portal.articles import authoring
from portal.tickets import links as linking
from portal.articles.model import Article
from portal.extensions import db
from portal.jobs import leases
from portal.feedback.models import SearchLog, Vote
from portal.suggestions.models import SuggestionDismissal, SuggestionRun
from portal.tickets.models import Ticket, TicketMessage
from portal.accounts.models import User
from portal.database import utcnow
from portal.suggestions.engine import ArticleRef, Signal, cluster
from portal.suggestions.engine.articles import CLOSE_SCORE
from portal.text.fold import fold
from portal.text.privacy import mask, without_personal_data

log = logging.getLogger(__name__)
LOOKBACK = timedelta(days=90)
GROWTH_TO_RETURN = 1.5
MAX_SUB_QUESTIONS = 5
JOB_NAME = "suggestions"


def article_refs(articles: Iterable[Article], unhelpful: dict[tuple[str, str], float] | None = None
                 ) -> list[ArticleRef]:
    """One reference per question (and one per article) with its share of unhelpful votes.

    A translation (`translation_of`) counts as its source article, question by question,
    so the English and the Chinese phrasings of one question can meet in one group.
    """
    unhelpful = unhelpful or {}
    articles = list(articles)
    by_slug = {a.slug: a for a in articles}
    refs = []
    for article in articles:
        source = by_slug.get(article.translation_of or "") or article
        head = "\n".join([article.title, *article.aliases])
        refs.append(ArticleRef(source.slug, "", f"{head}\n{article.text[:300]}",
                               unhelpful.get((article.slug, ""), 0.0)))
        for index, q in enumerate(article.questions):
            anchor = q.anchor
            if source is not article:
                anchor = source.questions[index].anchor if index < len(source.questions) else ""
            refs.append(ArticleRef(source.slug, anchor, f"{q.text}\n{head}\n{q.answer_text[:200]}",
                                   unhelpful.get((article.slug, q.anchor), 0.0)))
    return refs


def unhelpful_ratios(min_votes: int = 3) -> dict[tuple[str, str], float]:
    """(slug, anchor) → share of "not helpful" votes, where there are enough votes."""
    rows = db.session.execute(select(
        Vote.slug, Vote.anchor, func.count(), func.sum(case((Vote.helpful.is_(False), 1), else_=0)))
        .group_by(Vote.slug, Vote.anchor)).all()
    return {(slug, anchor): int(down or 0) / total for slug, anchor, total, down in rows
            if total >= min_votes}


def portal_signals(since=None) -> list[Signal]:
    """Everything that says a question went unanswered, newest 90 days by default."""
    since = since or utcnow() - LOOKBACK
    signals = [Signal(text=query, time=when, session=session, kind="search")
               for query, when, session in db.session.execute(
                   select(SearchLog.query, SearchLog.created_at, SearchLog.session_id).where(
                       SearchLog.failure.is_not(None), SearchLog.is_staff.is_(False),
                       SearchLog.is_bot.is_(False), SearchLog.created_at >= since))]
    signals += [Signal(text=comment, time=when, session=session, kind="feedback")
                for comment, when, session in db.session.execute(
                    select(Vote.comment, Vote.created_at, Vote.session_id).where(
                        Vote.helpful.is_(False), Vote.comment != "", Vote.created_at >= since))]
    first_message = (select(TicketMessage.body).where(TicketMessage.ticket_id == Ticket.id)
                     .order_by(TicketMessage.id).limit(1).scalar_subquery())
    for subject, body, when, session in db.session.execute(
            select(Ticket.subject, first_message, Ticket.created_at, Ticket.session_id)
            .where(Ticket.created_at >= since, Ticket.source == "ask")):
        signals.append(Signal(text=mask(f"{subject} {(body or '')[:120]}").strip(), time=when,
                              session=session or None, kind="ticket"))
    signals += [Signal(text=mask(subject), time=when, kind="unanswered_ticket")
                for subject, when in linking.unanswered_ticket_subjects(since)]
    return signals


def run_and_store(articles: Iterable[Article]) -> SuggestionRun:
    """Cluster the current signals against the articles and keep the result."""
    start = time.perf_counter()
    signals = portal_signals()
    result = cluster(signals, article_refs(articles, unhelpful_ratios()), now=utcnow())
    run = SuggestionRun(signal_count=len(signals), seconds=time.perf_counter() - start,
                        result=result.to_json())
    db.session.add(run)
    db.session.commit()
    log.info("suggestions: %d groups from %d signals in %.1fs", len(result.groups),
             len(signals), run.seconds)
    return run


def latest_run() -> SuggestionRun | None:
    """The newest stored run."""
    return db.session.scalar(select(SuggestionRun).order_by(SuggestionRun.id.desc()).limit(1))


def _phrasing_set(group: dict) -> set[str]:
    return {fold(text) for text, _count in group["phrasings"]}


def is_dismissed(group: dict, dismissals: list[SuggestionDismissal]) -> bool:
    """Dismissed earlier (same key or mostly the same phrasings) and not grown by half since."""
    phrasings = _phrasing_set(group)
    for dismissal in dismissals:
        earlier = set(dismissal.phrasings)
        overlap = len(phrasings & earlier) / max(1, min(len(phrasings), len(earlier)))
        same = dismissal.key == group["key"] or overlap >= 0.5
        if same and group["size"] < GROWTH_TO_RETURN * dismissal.size:
            return True
    return False


def visible_groups(run: SuggestionRun | None) -> list[dict]:
    """The run's groups in rank order, without the ones ops dismissed."""
    if run is None:
        return []
    dismissals = list(db.session.scalars(select(SuggestionDismissal)))
    return [g for g in run.result.get("groups", []) if not is_dismissed(g, dismissals)]


def alias_target(group: dict) -> str | None:
    """The article a group's phrasings may default to as aliases: only a close one.

    Below the join threshold the nearest article is a guess (a pet-boarding question
    once defaulted to `refunds` at 0.06), so the editor must choose.
    """
    nearest = group.get("nearest") or {}
    return nearest.get("article") if nearest.get("score", 0) >= CLOSE_SCORE else None


def group(run: SuggestionRun, group_id: int) -> dict | None:
    """One group of a run by its id."""
    return next((g for g in run.result.get("groups", []) if g["id"] == group_id), None)


def find_group(run_id: int, group_id: int) -> dict | None:
    """One group of a stored run, by the run's id and the group's id."""
    run = db.session.get(SuggestionRun, run_id)
    return group(run, group_id) if run is not None else None


def dismiss(group_: dict, user: User, reason: str = "") -> None:
    """Remember a dismissal so the group stays away unless it grows by half."""
    db.session.add(SuggestionDismissal(key=group_["key"], phrasings=sorted(_phrasing_set(group_)),
                                       size=group_["size"], reason=reason[:2000], user_id=user.id))
    db.session.commit()


def sub_questions(group_: dict) -> list[str]:
    """Distinct phrasings worth a heading each: drop near-duplicates of earlier ones."""
    chosen: list[str] = []
    for text, _count in group_["phrasings"]:
        grams = _bigrams(text)
        if all(_jaccard(grams, _bigrams(other)) < 0.5 for other in chosen):
            chosen.append(text)
        if len(chosen) == MAX_SUB_QUESTIONS:
            break
    return chosen


def draft_slug(title: str, taken) -> str:
    """A readable, stable slug from the title (pinyin for Chinese), unique among articles."""
    words = re.findall(r"[a-z0-9]+", " ".join(lazy_pinyin(fold(title))))
    base = "-".join(words)[:60].strip("-") or "draft"
    slug, n = base, 2
    while taken(slug):
        slug, n = f"{base}-{n}", n + 1
    return slug


def create_draft(repo, group_: dict, *, author: User, lang: str = "zh-Hans") -> Article:
    """A draft pre-filled with the title, the phrasings as aliases and one heading each."""
    title = mask(group_["title"])
    body = "\n\n".join(f"## {question.rstrip('?？')}？\n\n" for question in sub_questions(group_))
    fields = authoring.ArticleFields(
        title=title, body=body, slug=draft_slug(title, lambda s: repo.get(s) is not None),
        aliases=without_personal_data([text for text, _ in group_["phrasings"]
                                       if text != title])[:10],
        lang=lang, status="draft", category=_nearest_category(repo, group_))
    return authoring.save_article(repo, fields, author=author, base_fingerprint=None,
                                  action="draft from suggestion")


def alias_choices(group_: dict, limit: int = 20) -> tuple[list[str], int]:
    """The group's phrasings an editor may confirm as aliases, and how many were held
    back because they hold personal data (aliases are public)."""
    phrasings = [text for text, _count in group_["phrasings"]][:limit]
    usable = without_personal_data(phrasings)
    return usable, len(phrasings) - len(usable)


def _nearest_category(repo, group_: dict) -> str:
    nearest = group_.get("nearest")
    article = repo.get(nearest["article"]) if nearest else None
    return article.category if article else ""


def _bigrams(text: str) -> set[str]:
    folded = fold(text).replace(" ", "")
    return {folded[i:i + 2] for i in range(max(1, len(folded) - 1))}


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / max(1, len(a | b))


def request_run() -> None:
    """Make the suggestions job due now: the next tick of a job runner recomputes them."""
    leases.make_due(JOB_NAME)
