"""The live article set: what readers may see, in the order pages list it."""
from __future__ import annotations

from portal.articles.repository import ArticleRepository
from portal.articles.sources import FolderSource

from ..factories import write_article


def test_visible_articles_come_in_category_order_then_by_title(articles_dir):
    (articles_dir / "categories.yml").write_text(
        "账户与安全:\n  order: 1\n订单与支付:\n  order: 2\n", encoding="utf-8")
    write_article(articles_dir, "b.md", "B 发票", slug="invoice", category="订单与支付")
    write_article(articles_dir, "a.md", "A 退款", slug="refunds", category="订单与支付")
    write_article(articles_dir, "z.md", "Z 密码", slug="password", category="账户与安全")
    write_article(articles_dir, "y.md", "其他", slug="other", category="未列出")
    write_article(articles_dir, "d.md", "A 草稿", slug="draft", category="订单与支付",
                  status="draft")
    write_article(articles_dir, "i.md", "A 话术", slug="canned", category="订单与支付",
                  audience="internal")
    repo = ArticleRepository(FolderSource(articles_dir))
    repo.refresh()
    assert [a.slug for a in repo.visible()] == ["password", "refunds", "invoice", "other"]
    assert [a.slug for a in repo.visible(("public", "internal"), ("published", "draft"))] == [
        "password", "draft", "canned", "refunds", "invoice", "other"]
