"""Everything the insights page shows, gathered in one call so the view holds no queries."""
from __future__ import annotations

from typing import Iterable

from portal.articles.model import Article
from portal.insights import content, problems, searches, tickets
from portal.insights.periods import Filters
from portal.suggestions import service as suggesting


def self_service(days: list[dict], asked: dict, views: int) -> dict:
    """Self-service score: article views per customer ticket (Zendesk's definition), and
    the share of searching sessions that did not end in a ticket."""
    sessions = sum(row["sessions"] for row in days)
    return {"views_per_ticket": views / asked["asked"] if asked["asked"] else None,
            "sessions_without_ticket": (max(0, sessions - asked["sessions"]) / sessions
                                        if sessions else None)}


def rising_groups(limit: int = 10) -> list[dict]:
    """Suggestion groups of the newest run that rose this week against the week before."""
    groups = suggesting.visible_groups(suggesting.latest_run())
    risen = [g for g in groups if g["trend"]["last_7"] >= searches.RISING_MIN
             and g["trend"]["last_7"] >= searches.RISING_FACTOR * g["trend"]["previous_7"]]
    return sorted(risen, key=lambda g: -(g["trend"]["last_7"] - g["trend"]["previous_7"]))[:limit]


def ticket_numbers(f: Filters, agent_id: int | None) -> dict:
    """The tickets section (scoped to one agent when agent_id is given)."""
    daily = tickets.daily(f, agent_id)
    per_day = {}
    for row in daily:
        day = per_day.setdefault(row["date"], {"date": row["date"], "created": 0, "solved": 0})
        day["created"] += row["created"]
        day["solved"] += row["solved"]
    return {"daily": list(per_day.values()), "by_category": tickets.by_category(f, agent_id),
            "by_status": tickets.by_status(f, agent_id), "times": tickets.times(f, agent_id),
            "manual": tickets.manual_share(f, agent_id)}


def dashboard(f: Filters, articles: Iterable[Article], agent_id: int | None = None) -> dict:
    """The page's numbers; an agent (agent_id) gets only their own tickets' numbers."""
    numbers = {"tickets": ticket_numbers(f, agent_id)}
    if agent_id is not None:
        return numbers
    now, before = searches.Window(f), searches.Window(f.previous())
    days = now.daily()
    article_rows = content.articles(now, before, articles)
    asked = tickets.customer_tickets(f)
    numbers.update(
        days=days, totals=searches.totals(days), asked=asked,
        self_service=self_service(days, asked, sum(row.views for row in article_rows)),
        top_queries=now.queries(), failed_queries=now.queries(order="failed"),
        rising=searches.rising(now, before), rising_groups=rising_groups(),
        articles=article_rows[:20], content=content.summary(article_rows),
        least_helpful=content.least_helpful(article_rows)[:10],
        never_opened=content.never_opened(article_rows), falling=content.falling(article_rows),
        problems=problems.rows(f))
    return numbers
