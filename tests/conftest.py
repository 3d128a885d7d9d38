"""Shared fixtures: a temporary articles folder and index, the app and its client."""
from __future__ import annotations

import pytest

from portal import create_app

from .factories import REFUNDS_BODY, write_article


@pytest.fixture
def articles_dir(tmp_path):
    """An empty articles folder for one test."""
    folder = tmp_path / "articles"
    folder.mkdir()
    return folder


@pytest.fixture
def sample_articles(articles_dir):
    """A small help centre: public, draft, archived and internal articles."""
    write_article(articles_dir, "orders/refunds.md", "退款与退货", REFUNDS_BODY, slug="refunds",
                  category="订单与支付", tags=["退款", "退货"], aliases=["钱什么时候退回来"])
    write_article(articles_dir, "orders/invoice.md", "发票说明",
                  "## 怎么开发票？\n\n在订单详情页申请电子发票。", slug="invoice",
                  category="订单与支付", tags=["发票", "退款"])
    write_article(articles_dir, "account/password-en.md", "Reset your password",
                  "## How do I reset my password?\n\nUse *Forgot password* on the sign-in page.",
                  slug="password-en", category="账户与安全", lang="en")
    write_article(articles_dir, "account/login-hant.md", "登入問題",
                  "## 帳號無法登入怎麼辦？\n\n請先重設密碼。", slug="login-hant",
                  category="账户与安全", lang="zh-Hant")
    write_article(articles_dir, "draft.md", "未发布的草稿", "## 草稿问题？\n\n草稿内容。",
                  slug="secret-draft", status="draft", category="订单与支付")
    write_article(articles_dir, "archived.md", "旧文章", "## 旧问题？\n\n旧内容。",
                  slug="old-article", status="archived", category="订单与支付")
    write_article(articles_dir, "internal.md", "退款安抚话术", "## 客户催退款怎么回复？\n\n"
                  "{{customer_name}} 您好。", slug="refund-canned", audience="internal",
                  category="订单与支付")
    return articles_dir


@pytest.fixture
def app(tmp_path, articles_dir):
    """The portal configured on temporary folders and its own SQLite file."""
    return create_app({
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "ARTICLES_DIR": str(articles_dir),
        "INDEX_DIR": str(tmp_path / "search_index"),
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'portal.sqlite3'}",
        "RESCAN_SECONDS": 0,
    })


@pytest.fixture
def client(app):
    """A Flask test client; customers are anonymous."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """A CLI runner bound to the app."""
    return app.test_cli_runner()
