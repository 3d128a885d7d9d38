"""Builders for test data: article files written the way editors write them, tickets made
the way the ask form makes them, and the values fixtures share."""
from __future__ import annotations

import os
import socket
from pathlib import Path

import yaml

from portal.tickets import asking


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
