"""The five reports the page shows as tables and exports as CSV and JSON, with one set of
columns each, so the page, the CSV and the API can never disagree."""
from __future__ import annotations

from typing import Iterable

from portal.articles.model import Article
from portal.insights import content, problems, searches, tickets
from portal.insights.periods import Filters

COLUMNS = {
    "searches": ("date", "searches", "sessions", "zero_result", "no_click", "none_helped",
                 "opened"),
    "queries": ("query", "searches", "zero_result", "no_click", "none_helped", "failed"),
    "articles": ("slug", "title", "views", "helpful", "not_helpful", "links"),
    "tickets": ("date", "category", "created", "solved"),
    "problems": ("id", "title", "kind", "status", "owner", "tickets", "tickets_in_period",
                 "recurring"),
}
AGENT_REPORTS = ("tickets",)  # agents see their own tickets' numbers only


def rows(report: str, f: Filters, articles: Iterable[Article],
         agent_id: int | None = None) -> list[dict]:
    """The report's rows (dicts with exactly its columns) for the filters."""
    if report == "searches":
        found = searches.Window(f).daily()
    elif report == "queries":
        found = [{**vars(row), "failed": row.failed}
                 for row in searches.Window(f).queries(limit=None)]
    elif report == "articles":
        found = [vars(row) for row in content.articles(
            searches.Window(f), searches.Window(f.previous()), articles)]
    elif report == "tickets":
        found = tickets.daily(f, agent_id)
    elif report == "problems":
        found = [{**{key: getattr(row.problem, key) for key in
                     ("id", "title", "kind", "status", "owner")},
                  "tickets": row.tickets, "tickets_in_period": row.in_period,
                  "recurring": row.recurring} for row in problems.rows(f)]
    else:
        raise KeyError(report)
    columns = COLUMNS[report]
    return [{column: row[column] for column in columns} for row in found]
