"""The public help centre as a customer sees it through the test client."""
from __future__ import annotations

from datetime import datetime, timezone

from ..factories import rewrite_article, sync_articles, write_article


def test_home_lists_categories_with_counts(client, sample_articles):
    page = client.get("/").get_data(as_text=True)
    assert "订单与支付" in page and "账户与安全" in page
    assert "2 篇文章" in page  # refunds and invoice; draft, archived, internal excluded
    assert 'name="q"' in page


def test_category_page_lists_articles_and_questions(client, sample_articles):
    page = client.get("/categories/订单与支付")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "退款与退货" in html and "发票说明" in html
    assert "/articles/refunds#如何申请退款" in html or "/articles/refunds#%E5%A6%82" in html
    assert "未发布的草稿" not in html and "退款安抚话术" not in html


def test_article_page_has_questions_anchors_breadcrumbs_and_related(client, sample_articles):
    html = client.get("/articles/refunds").get_data(as_text=True)
    assert 'id="如何申请退款"' in html and 'href="#退款多久到账"' in html
    assert "最后更新" in html
    assert 'class="breadcrumbs"' in html and "/categories/" in html
    assert "发票说明" in html  # related: same category and a shared tag


def test_drafts_archived_and_internal_articles_are_404(client, sample_articles):
    for slug in ("secret-draft", "old-article", "refund-canned", "does-not-exist"):
        response = client.get(f"/articles/{slug}")
        assert response.status_code == 404
        assert "页面不存在" in response.get_data(as_text=True)


def test_unknown_category_is_404(client, sample_articles):
    assert client.get("/categories/no-such-thing").status_code == 404


def test_script_in_an_article_never_reaches_the_page(client, articles_dir):
    write_article(articles_dir, "x.md", "安全测试",
                  "## 问题？\n\n<script>alert('x')</script><img src=x onerror=alert(1)>")
    html = client.get("/articles/x").get_data(as_text=True)
    assert "alert(" not in html and "onerror" not in html


def test_a_file_edited_on_disk_is_served_without_restart(client, articles_dir):
    path = write_article(articles_dir, "live.md", "旧标题", "## 旧问题？\n\n旧答案。")
    assert "旧标题" in client.get("/articles/live").get_data(as_text=True)
    rewrite_article(articles_dir, "live.md", "新标题", "## 新问题？\n\n新答案。")
    assert path.exists()
    html = client.get("/articles/live").get_data(as_text=True)
    assert "新标题" in html and "旧标题" not in html


def test_a_broken_file_does_not_break_the_site(client, sample_articles):
    (sample_articles / "broken.md").write_text("---\ntitle: [\n---\n", "utf-8")
    assert client.get("/").status_code == 200
    assert client.get("/articles/refunds").status_code == 200


def test_security_headers_forbid_outside_origins_and_framing(client, sample_articles):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "http" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_pages_load_nothing_from_outside(client, sample_articles):
    for url in ("/", "/articles/refunds", "/categories/订单与支付", "/missing"):
        html = client.get(url).get_data(as_text=True)
        assert "//cdn" not in html and 'src="http' not in html and 'href="http' not in html


def test_server_error_page_in_site_style(app, client, sample_articles):
    @app.route("/boom")
    def boom():
        raise RuntimeError("boom")

    response = client.get("/boom")
    assert response.status_code == 500
    assert "出错了" in response.get_data(as_text=True)


def test_a_far_future_date_never_takes_pages_down(client, make_user, login, articles_dir):
    write_article(articles_dir, "good.md", "好文章", "## 问题？\n\n答案。", slug="good")
    (articles_dir / "far.md").write_text("---\ntitle: 远\nupdated: 9999-12-31 23:00:00\n---\n"
                                         "## 问？\n\n答。\n", "utf-8")
    sync_articles(client.application)
    assert client.get("/").status_code == 200
    assert client.get("/articles/good").status_code == 200
    login(make_user("editor"))
    editor_page = client.get("/editor/")
    assert editor_page.status_code == 200 and "far.md" in editor_page.get_data(as_text=True)


def test_dates_beyond_any_time_zone_are_clamped_when_shown(app):
    show = app.jinja_env.filters["dateformat"]
    with app.test_request_context("/"):
        assert "9000" in show(datetime(9999, 12, 31, 23, 0, tzinfo=timezone.utc))
        assert "1970" in show(datetime(1, 1, 1, tzinfo=timezone.utc))
