"""The converters: titles, questions, categories, tags, languages and translation groups
come out right, and nothing unsafe survives."""
from __future__ import annotations

import time

from portal.articles.loader import parse_article
from portal.importing import csv_qa, markdown_folder, zendesk
from portal.importing.model import KEPT_FIELDS_HEADER


def parsed(item):
    return parse_article(item.source.encode("utf-8"), f"{item.slug}.md", time.time())


def test_zendesk_articles_sections_labels_and_locales(zendesk_export, assert_safe):
    data, problems = zendesk.read_export(zendesk_export)
    assert not problems
    result = zendesk.convert(data)
    by_slug = {item.slug: item for item in result.articles}
    assert sorted(by_slug) == ["zd-101", "zd-101-en", "zd-101-zh-hant", "zd-102"]

    refunds = parsed(by_slug["zd-101"])
    assert refunds.title == "退款说明" and refunds.lang == "zh-Hans"
    assert [q.text for q in refunds.questions] == ["如何申请退款？", "多久到账？"]
    assert refunds.category == "退款" and refunds.tags == ("退款", "售后")
    assert refunds.status == "published" and refunds.translation_of is None
    assert "### 注意" in refunds.body_markdown  # a deeper heading stays inside its question
    assert "https://help.example.com/x" in refunds.body_markdown
    assert "&lt;script&gt;" in refunds.body_markdown  # text, never a tag
    assert_safe(by_slug["zd-101"].source)

    english, hant = parsed(by_slug["zd-101-en"]), parsed(by_slug["zd-101-zh-hant"])
    assert (english.lang, english.translation_of) == ("en", "zd-101")
    assert [q.text for q in english.questions] == ["Refunds"]  # no heading: the title
    assert (hant.lang, hant.translation_of, hant.title) == ("zh-Hant", "zd-101", "退款說明")

    invoice = parsed(by_slug["zd-102"])
    assert invoice.status == "draft" and invoice.category == "订单与支付"  # unnamed section

    messages = {p.origin: p.message for p in result.problems}
    assert "locale 'es'" in messages["article 103 (es)"]
    assert messages["article 104 (zh-cn)"] == "empty body"
    assert "https://x.zendesk.com/hc/zh-cn/articles/101" in by_slug["zd-101"].source


def test_zendesk_hostile_html_alone_is_harmless(hostile_html, assert_safe):
    result = zendesk.convert({"articles": [{"id": 1, "title": "<b>T</b>", "body": hostile_html,
                                            "locale": "en-us"}]})
    assert_safe(result.articles[0].source)


def test_markdown_folder_raneto_and_mkdocs_layouts():
    files = {
        "orders/refunds.md": "# 退款说明\n\n## 如何申请退款？\n\n在订单页申请。\n\n## 多久到账？\n\n三天。\n",
        "orders/refunds.en.md": "# Refunds\n\n## How do I get a refund?\n\nAsk.\n",
        "orders/invoice.md": "---\ntitle: 发票\ntags: [发票, 报销]\ndescription: 开票\n"
                             "author: 小王\ndate: 2024-05-01\n---\n\n在订单页开票。\n",
        "account/Reset Password.md": "/*\nTitle: Reset your password\nSort: 2\n"
                                     "Description: raneto\n*/\n\n### Forgot it?\n\nUse the link.\n",
        "top.md": "no heading at all\n",
        "bad.md": b"\xff\xfe not utf-8",
        "account/index.md": "# 账户\n\n账户设置总览。\n",
    }
    result = markdown_folder.convert(files, lang="zh-Hans")
    by_slug = {item.slug: item for item in result.articles}
    assert set(by_slug) == {"refunds", "refunds-en", "invoice", "reset-password", "top", "account"}

    refunds = parsed(by_slug["refunds"])
    assert (refunds.title, refunds.category, refunds.lang) == ("退款说明", "orders", "zh-Hans")
    assert [q.text for q in refunds.questions] == ["如何申请退款？", "多久到账？"]
    english = parsed(by_slug["refunds-en"])
    assert (english.lang, english.translation_of) == ("en", "refunds")

    invoice = parsed(by_slug["invoice"])
    assert invoice.title == "发票" and invoice.tags == ("发票", "报销")
    assert [q.text for q in invoice.questions] == ["发票"]
    source = by_slug["invoice"].source
    assert KEPT_FIELDS_HEADER in source and "description: 开票" in source
    assert "author: 小王" in source and "2024-05-01" in source

    reset = parsed(by_slug["reset-password"])
    assert reset.title == "Reset your password" and reset.category == "account"
    assert [q.text for q in reset.questions] == ["Forgot it?"]
    assert "sort: '2'" in by_slug["reset-password"].source

    assert parsed(by_slug["top"]).title == "top" and parsed(by_slug["top"]).category == ""
    assert parsed(by_slug["account"]).title == "账户"
    problems = {p.origin: p for p in result.problems}
    assert problems["bad.md"].skipped and "UTF-8" in problems["bad.md"].message
    assert not problems["top.md"].skipped


def test_csv_with_a_chinese_header_and_internal_audience():
    text = ("问题,答案,分类,标签\n"
            "怎么退款？,在订单页申请退款。,订单与支付,退款;售后\n"
            "怎么退款？,重复的问题,订单与支付,\n"
            ",没有问题,,\n"
            "How do I reset my password?,Use the link.,账户,password|login\n")
    result = csv_qa.convert(text, internal=True)
    items = [parsed(item) for item in result.articles]
    assert [a.title for a in items] == ["怎么退款？", "怎么退款？", "How do I reset my password?"]
    assert [a.slug for a in items] == ["zen-me-tui-kuan", "zen-me-tui-kuan-2",
                                       "how-do-i-reset-my-password"]
    assert {a.audience for a in items} == {"internal"}
    assert items[0].tags == ("退款", "售后") and items[2].tags == ("password", "login")
    assert items[0].category == "订单与支付"
    assert [q.text for q in items[0].questions] == ["怎么退款？"]
    assert [(p.origin, p.message) for p in result.problems] == [("line 4", "no question")]


def test_csv_without_header_and_in_gb18030():
    text, note = csv_qa.decode("怎么开发票？,订单页申请,发票,\n".encode("gb18030"))
    assert note and "GB 18030" in note
    result = csv_qa.convert(text, lang="zh-Hant")
    article = parsed(result.articles[0])
    assert (article.title, article.audience, article.lang) == ("怎么开发票？", "public", "zh-Hant")


def test_source_has_the_editors_shape():
    from portal.articles.authoring import ArticleFields

    item = csv_qa.convert("q,a\nQ?,A.\n").articles[0]
    fields = ArticleFields.from_article(parsed(item))
    assert fields.to_source() == item.source


def test_zendesk_two_versions_in_one_language_keep_the_first():
    result = zendesk.convert({"articles": [
        {"id": 7, "title": "Refunds", "body": "<p>US</p>", "locale": "en-us",
         "source_locale": "en-us"},
        {"id": 7, "title": "Refunds (UK)", "body": "<p>UK</p>", "locale": "en-gb"}]})
    assert [(a.slug, a.title) for a in result.articles] == [("zd-7", "Refunds")]
    assert "a second en version (the en-us one is kept)" in result.problems[0].message
