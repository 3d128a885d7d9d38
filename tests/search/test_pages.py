"""Search as customers and staff use it: the page, the JSON API and type-ahead, on a real index."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.feedback.models import SearchLog

from ..factories import PASSWORD, write_article

HOSTILE = ['"', '"""', "AND", "OR NOT", "NOT", "*", "?", "退款*", "title:退款", "(退款", "[]{}",
           "x" * 10_000, "退款" * 5000, "\x00\x07\x1b退款", "😀🔥", "\\", "'; DROP TABLE x; --",
           "<script>alert(1)</script>", "%", "   ", "！？。，"]


@pytest.fixture
def help_centre(articles_dir):
    write_article(articles_dir, "account.md", "账号与登录",
                  "## 用户无法登录怎么办？\n\n先重置密码。\n\n## 如何修改账号绑定的手机号？\n\n在设置中修改。",
                  slug="account", category="账户与安全", tags=["账号"])
    write_article(articles_dir, "vpn.md", "网络连接问题",
                  "## 开着 VPN 连不上怎么办？\n\n请关闭 VPN 或代理后重试。\n\n## 页面一直转圈？\n\n检查网络。",
                  slug="network", category="App 使用与故障")
    write_article(articles_dir, "refunds.md", "退款与退货",
                  "## 如何申请退款？\n\n在订单页申请。\n\n## 退款多久到账？\n\n1-3 个工作日。",
                  slug="refunds", category="订单与支付", aliases=["钱什么时候退回来"])
    write_article(articles_dir, "refunds-en.md", "Refunds",
                  "## How do I request a refund?\n\nOpen My orders.\n\n## When are refunds paid?\n\nIn 3 days.",
                  slug="refunds-en", lang="en", category="订单与支付")
    write_article(articles_dir, "hant.md", "帳號安全",
                  "## 如何開啟兩步驟驗證？\n\n在帳號設定中開啟。", slug="security-hant", lang="zh-Hant",
                  category="账户与安全")
    write_article(articles_dir, "draft.md", "退款新政策草稿", "## 退款新政策？\n\n草稿。",
                  slug="refund-draft", status="draft", category="订单与支付")
    write_article(articles_dir, "canned.md", "退款安抚话术", "## 客户催退款怎么回复？\n\n您好。",
                  slug="refund-canned", audience="internal", category="订单与支付")
    return articles_dir


def api(client, q, **params):
    response = client.get("/api/v1/search", query_string={"q": q, **params})
    assert response.status_code == 200
    return response.get_json()


def slugs(data):
    return [r["article"] for r in data["results"]]


def test_traditional_finds_simplified_and_the_reverse(client, help_centre):
    assert "account" in slugs(api(client, "帳號無法登入"))
    assert "security-hant" in slugs(api(client, "两步验证"))


def test_taiwan_vocabulary_finds_mainland_words(client, help_centre):
    assert slugs(api(client, "使用者無法登入"))[0] == "account"


def test_mixed_query_finds_the_vpn_answer_first(client, help_centre):
    first = api(client, "VPN 连不上")["results"][0]
    assert (first["article"], first["anchor"]) == ("network", "开着-vpn-连不上怎么办")
    assert first["url"] == "/articles/network#开着-vpn-连不上怎么办"


def test_quoted_chinese_phrase_matches_in_order(client, help_centre):
    found = api(client, '"申请退款"')
    assert found["results"] and found["results"][0]["article"] == "refunds"
    assert all("申请" in r["snippet"] or "退款" in r["snippet"] for r in found["results"][:1])


def test_aliases_and_english_stemming(client, help_centre):
    assert slugs(api(client, "钱什么时候退回来"))[0] == "refunds"
    assert "refunds-en" in slugs(api(client, "refund"))


def test_api_says_whether_the_best_answer_is_confident(client, help_centre):
    answered = api(client, "如何申请退款？")
    assert answered["confident"] is True and 0 < answered["confidence"] <= 1
    weak = api(client, "打印机卡纸了怎么申请")  # only 申请 in common
    assert weak["total"] > 0 and weak["confident"] is False
    assert weak["confidence"] < answered["confidence"]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_input_never_errors(client, help_centre, query):
    assert client.get("/search", query_string={"q": query}).status_code == 200
    assert client.get("/api/v1/search", query_string={"q": query}).status_code == 200
    assert client.get("/api/v1/suggest", query_string={"q": query}).status_code == 200


def test_invalid_utf8_in_the_url_never_errors(client, help_centre):
    for path in ("/search?q=%ED%A0%80", "/search?q=%FF%FE", "/api/v1/search?q=%C0"):
        assert client.get(path).status_code == 200


def test_paging_is_clamped_to_its_range_and_bad_values_never_fail(client, help_centre):
    """What docs/api.md promises for values out of range or unknown."""
    def paging(**params):
        data = api(client, "退款", **params)  # api() asserts 200
        return data["page"], data["per_page"]

    assert paging(page="-1") == (1, 10) and paging(page="999999") == (100, 10)
    assert paging(per_page="100000") == (1, 50) and paging(per_page="0") == (1, 1)
    assert paging(page="abc", per_page="2.5") == (1, 10)
    assert slugs(api(client, "退款", lang="xx")) == slugs(api(client, "退款"))
    assert api(client, "退款", category="<b>")["results"] == []


def test_the_first_256_characters_of_a_query_are_searched_logged_and_shown(app, client,
                                                                            help_centre):
    padding = "x" * 250 + " "
    assert "refunds" in slugs(api(client, padding + "退款"))
    cut_off = padding + "~" * 5 + "退款"  # 退款 starts at character 257
    assert api(client, cut_off)["results"] == []
    html = client.get("/search", query_string={"q": cut_off}).get_data(as_text=True)
    assert f'value="{cut_off[:256]}"' in html
    app.extensions["portal.signals"].flush()
    with app.app_context():
        logged = db.session.scalars(select(SearchLog.query).order_by(SearchLog.id)).all()
    assert logged[1:] == [cut_off[:256], cut_off[:256]]


def test_drafts_and_internal_articles_never_reach_customers(client, help_centre):
    for q in ("退款新政策", "客户催退款怎么回复", "退款"):
        found = slugs(api(client, q)) + [s["article"] for s in
                                        client.get(f"/api/v1/suggest?q={q}").get_json()["suggestions"]]
        assert "refund-draft" not in found and "refund-canned" not in found
    assert "退款安抚话术" not in client.get("/search?q=客户催退款").get_data(as_text=True)


@pytest.mark.db
def test_staff_see_internal_canned_replies_marked_internal(client, help_centre, make_user, login):
    login(make_user("agent"))
    html = client.get("/search?q=客户催退款怎么回复").get_data(as_text=True)
    assert "客户催退款怎么回复" in html and 'class="badge internal"' in html
    assert client.get("/articles/refund-canned").status_code == 200
    assert client.get("/articles/refund-draft").status_code == 404


def test_search_page_has_question_results_facets_and_snippets(client, help_centre):
    html = client.get("/search?q=退款 工作日").get_data(as_text=True)
    assert "退款多久到账？" in html and "<mark>工作日</mark>" in html
    assert "订单与支付" in html and 'class="facets"' in html
    filtered = client.get("/search", query_string={"q": "账号", "category": "账户与安全"})
    assert "退款与退货" not in filtered.get_data(as_text=True)


def test_pagination(client, articles_dir):
    for i in range(25):
        write_article(articles_dir, f"a{i}.md", f"退款问题 {i}", f"## 退款第 {i} 问？\n\n退款答案 {i}。",
                      slug=f"refund-{i}")
    first = api(client, "退款", per_page=10)
    second = api(client, "退款", per_page=10, page=2)
    assert first["total"] >= 25 and len(first["results"]) == 10
    assert not set(r["url"] for r in first["results"]) & set(r["url"] for r in second["results"])
    assert "page=2" in client.get("/search?q=退款").get_data(as_text=True)


def test_empty_state_says_what_to_try_and_offers_to_ask(client, help_centre):
    html = client.get("/search?q=量子纠缠").get_data(as_text=True)
    assert "没有找到" in html and "/ask" in html


def test_spelling_suggestion_for_english_typos(client, help_centre):
    assert api(client, "refnud")["suggestion"] == "refund"


def test_type_ahead_by_prefix_and_pinyin(client, help_centre):
    for prefix in ("退", "tuikuan", "tk"):
        texts = [s["text"] for s in client.get(f"/api/v1/suggest?q={prefix}").get_json()["suggestions"]]
        assert any("退款" in t for t in texts), (prefix, texts)


def test_article_api_returns_questions(client, help_centre):
    data = client.get("/api/v1/articles/refunds").get_json()
    assert [q["question"] for q in data["questions"]] == ["如何申请退款？", "退款多久到账？"]
    assert client.get("/api/v1/articles/refund-draft").status_code == 404
    assert client.get("/api/v1/articles/nope").get_json()["error"] == "Not Found"


def test_a_file_edited_on_disk_is_found_after_the_change(client, help_centre):
    assert not api(client, "发票抬头")["results"]
    write_article(help_centre, "invoice.md", "发票", "## 发票抬头写错了？\n\n可以重开。", slug="invoice")
    assert slugs(api(client, "发票抬头"))[0] == "invoice"
    (help_centre / "invoice.md").unlink()
    assert "invoice" not in slugs(api(client, "发票抬头"))


@pytest.mark.db
def test_published_in_the_editor_is_searchable_before_any_rescan(make_app, help_centre, make_user):
    """The save itself updates the index: no rescan of the folder is needed to find it."""
    worker = make_app(RESCAN_SECONDS=3600)  # no rescan during this test
    client = worker.test_client()
    editor = make_user("editor")
    assert client.post("/login", data={"email": editor.email, "password": PASSWORD}).status_code == 302
    assert not api(client, "积分兑换优惠券")["results"]
    client.post("/editor/new", data={
        "title": "积分兑换", "slug": "points", "category": "订单与支付", "lang": "zh-Hans",
        "audience": "public", "action": "publish",
        "body": "## 积分怎么兑换优惠券？\n\n在会员中心兑换。\n\n## 积分会过期吗？\n\n一年后过期。\n\n## 积分能转让吗？\n\n不能。"})
    assert slugs(api(client, "积分兑换优惠券"))[0] == "points"
