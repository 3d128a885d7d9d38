"""The ticket page's title is the subject alone: no form ever lands inside <title>."""
from __future__ import annotations

import re

import pytest

from ..factories import new_ticket

pytestmark = pytest.mark.db


def test_the_ticket_page_title_holds_only_the_subject(app, client):
    _, token = new_ticket(app, subject="我想申请退款", email="wang@example.com")
    html = client.get(f"/tickets/{token}").get_data(as_text=True)
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert title.startswith("我想申请退款 · ") and "<form" not in title
    assert html.count('class="resend-link"') == 1
