"""Builders for test data: article files written the way editors write them, tickets made
the way the ask form makes them, rows of known traffic at chosen instants (insights), and
the values fixtures share."""
from __future__ import annotations

import os
import secrets
import socket
import uuid
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.extensions import db
from portal.feedback.models import SearchLog, Vote
from portal.feedback.searchlog import normalize
from portal.tickets import asking
from portal.tickets import mail
from portal.tickets.models import ArticleLink, OutboxMessage, Ticket, TicketMessage


def article_source(title: str | None = "测试文章", body: str = "", **meta) -> str:
    """The text of an article file with YAML front matter."""
    front = {"title": title, **meta} if title is not None else dict(meta)
    header = yaml.safe_dump(front, allow_unicode=True, sort_keys=False)
    return f"---\n{header}---\n\n{body}\n"


def write_article(folder: Path, name: str, title: str | None = "测试文章", body: str = "",
                  **meta) -> Path:
    """Write an article file (name relative to folder, sub folders allowed)."""
    path = Path(folder) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(article_source(title, body, **meta), encoding="utf-8")
    return path


def rewrite_article(folder: Path, name: str, title: str | None = "测试文章", body: str = "",
                    **meta) -> Path:
    """Overwrite an article file as a later edit would: its mtime moves a second on.

    Setting the time with os.utime (not sleeping) makes the change visible to the
    repository's (mtime, size) check even when the new text has the old size.
    """
    path = Path(folder) / name
    before = path.stat().st_mtime_ns
    write_article(folder, name, title, body, **meta)
    later = before + 1_000_000_000
    os.utime(path, ns=(later, later))
    return path


REFUNDS_BODY = """## 如何申请退款？

在「我的 > 订单」里选择订单，点击**申请退款**。

## 退款多久到账？

原路退回，一般 1-3 个工作日到账。

## 如何申请退款？

重复的问题标题也要有独立的锚点。
"""

PASSWORD = "correct horse battery"
BASE = "https://help.example.com"


def new_ticket(app, subject="我想申请退款", body="订单退款怎么操作？", locale="zh-Hans",
               name="王小明", email="wang@example.com", category="usage") -> tuple[int, str]:
    """Create a ticket the way the ask form does; returns (id, private token)."""
    with app.app_context():
        ticket = asking.create_ticket(subject=subject, body=body, email=email,
                                       category=category, locale=locale, session_id="",
                                       name=name)
        return ticket.id, ticket.token


PORTAL_CLI = "import sys; sys.argv[0] = 'portal'; from portal.cli import main; main()"
"""`python -c PORTAL_CLI …` runs this checkout's `portal` command in a child process."""


def free_port() -> int:
    """A loopback port nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# Known traffic for the insights tests (portal time Asia/Shanghai, UTC+8).
INSIGHTS_TZ = ZoneInfo("Asia/Shanghai")
DAY1, DAY2 = date(2026, 11, 20), date(2026, 11, 21)


def local_time(day: date, hour: int, minute: int = 0) -> datetime:
    """A portal-time instant, as the UTC value the database stores."""
    moment = datetime(day.year, day.month, day.day, hour, minute, tzinfo=INSIGHTS_TZ)
    return moment.astimezone(timezone.utc)


def search_row(query: str, when: datetime, *, results: int = 3, session: str = "s-a",
           lang: str = "zh-Hans", opened: str | None = None, failure: str | None = None,
           staff: bool = False, bot: bool = False, category: str | None = None) -> None:
    """One search row, as the recorder stores it."""
    db.session.add(SearchLog(
        public_id=uuid.uuid4().hex, query=query, normalized=normalize(query), result_count=results,
        page=1, locale=lang, lang_filter=None, category_filter=category, session_id=session,
        source="page", is_staff=staff, is_bot=bot,
        failure=failure if failure else (None if results else "no_results"),
        opened_slug=opened, opened_anchor="" if opened else None,
        opened_at=when + timedelta(minutes=1) if opened else None, created_at=when))


def vote_row(slug: str, helpful: bool, when: datetime, reason: str | None = None) -> None:
    """One vote on a whole article."""
    db.session.add(Vote(slug=slug, anchor="", helpful=helpful, reason=reason, comment="",
                        session_id=secrets.token_hex(8), created_at=when))


def ticket_row(created: datetime, *, category: str = "usage", first_reply: datetime | None = None,
           solved: datetime | None = None, assignee_id: int | None = None, lang: str = "zh-Hans",
           session: str = "", searched: bool = False, subject: str = "问题") -> Ticket:
    """A ticket with its customer message, optional first reply and solve time."""
    item = Ticket(token=secrets.token_urlsafe(12), subject=subject, email="c@example.com",
                  category=category, status="open", locale=lang, source="ask",
                  session_id=session, assignee_id=assignee_id, created_at=created,
                  trail={"searches": [{"query": "退款", "results": 0}] if searched else [],
                         "votes": []})
    item.messages.append(TicketMessage(kind="customer", body="help", created_at=created))
    db.session.add(item)
    db.session.flush()
    if first_reply:
        reply_row(item, first_reply, author_id=assignee_id)
    if solved:
        item.status = "solved"
        item.solved_at = solved
    return item


def reply_row(item: Ticket, when: datetime, *, author_id: int | None = None,
          links: tuple[str, ...] = ()) -> TicketMessage:
    """A public reply (with the article links it holds) at a chosen time."""
    message = TicketMessage(ticket_id=item.id, kind="reply", body="answer", author_id=author_id,
                            created_at=when)
    db.session.add(message)
    db.session.flush()
    item.first_reply_at = item.first_reply_at or when
    for slug in links:
        db.session.add(ArticleLink(slug=slug, anchor="", source="reply", ticket_id=item.id,
                                   message_id=message.id, created_at=when))
    return message


def outbox(app) -> list[OutboxMessage]:
    """Every e-mail in the outbox, oldest first, once in-flight sends have finished."""
    with app.app_context():
        mail.wait_until_sent()
        rows = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        db.session.expunge_all()
        return rows


class CatchingUpClient(FlaskClient):
    """A test client for a portal whose job runner keeps up between requests, as the one
    of `portal run` does within a second or two: before each request the folder watcher
    and the index follower run to completion, so files a test writes are served."""

    def open(self, *args, **kwargs):
        sync_articles(self.application)
        return super().open(*args, **kwargs)


def sync_articles(app) -> None:
    """Do what the node's job runner does: take the folder's changes into the database
    (the watcher), then bring the search index up to the latest change (the follower)."""
    from portal.articles.folder import FolderWatcher
    from portal.search import following

    with app.app_context():
        FolderWatcher(app.config["ARTICLES_DIR"]).run_once()
        following.catch_up(app.extensions["portal.search"], app.extensions["portal.articles"],
                           app.config["INDEX_DIR"])
