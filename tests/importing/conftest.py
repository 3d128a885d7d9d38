"""Small fixtures in each source format, written for the tests, hostile HTML included."""
from __future__ import annotations

import json
import time

import pytest

from portal.articles.loader import parse_article

HOSTILE = ('<p>先看这里<script>alert("x")</script></p>'
           '<h2>如何申请退款？</h2>'
           '<p onclick="steal()">点击<a href="javascript:alert(1)">这里</a>申请，'
           '<img src="https://cdn.example.com/a.png" onerror="alert(2)" alt="图"> '
           '<a href="JaVaScRiPt:alert(3)">再点</a> &lt;script&gt;alert(4)&lt;/script&gt;</p>'
           '<iframe src="https://evil.example.com"></iframe><style>p{}</style>'
           '<h3>注意</h3><p>见 <a href="https://help.example.com/x" onmouseover="x()">说明</a></p>'
           '<h2>多久到账？</h2><ul><li>1-3 个工作日</li></ul>'
           '<svg onload="alert(5)"></svg><form action="javascript:alert(6)"><input></form>')

UNSAFE = ("<script", "javascript:", "onerror", "onclick", "onload", "onmouseover", "<iframe",
          "<style", "<svg", "<form")


def assert_safe(source: str) -> None:
    """Neither the Markdown nor the page it renders to holds anything unsafe."""
    article = parse_article(source.encode("utf-8"), "x.md", time.time())
    for text in (source, article.html):
        lowered = text.lower()
        assert not [bad for bad in UNSAFE if bad in lowered], text


@pytest.fixture
def zendesk_export(tmp_path):
    """A Help Center export: categories, sections, two pages of articles, a translation
    sideloaded, an unsupported locale and an article without a body."""
    folder = tmp_path / "zendesk"
    folder.mkdir()
    (folder / "categories.json").write_text(json.dumps({"categories": [
        {"id": 1, "name": "订单与支付", "locale": "zh-cn"}]}), "utf-8")
    (folder / "sections.json").write_text(json.dumps({"sections": [
        {"id": 11, "name": "退款", "category_id": 1}, {"id": 12, "name": "", "category_id": 1}]}),
        "utf-8")
    (folder / "articles.json").write_text(json.dumps({"articles": [
        {"id": 101, "title": "退款说明", "body": HOSTILE, "locale": "zh-cn",
         "source_locale": "zh-cn", "section_id": 11, "label_names": ["退款", "售后"],
         "draft": False, "html_url": "https://x.zendesk.com/hc/zh-cn/articles/101",
         "translations": [{"locale": "en-us", "title": "Refunds", "body": "<p>Ask us.</p>",
                           "source_type": "Article"},
                          {"locale": "zh-tw", "title": "退款說明", "body": "<h2>如何退款？</h2><p>申請。</p>",
                           "source_type": "Article"}]},
    ]}), "utf-8")
    (folder / "articles-2.json").write_text(json.dumps({"articles": [
        {"id": 102, "title": "发票", "body": "<p>在订单页开票。</p>", "locale": "zh-cn",
         "section_id": 12, "label_names": [], "draft": True},
        {"id": 103, "title": "Factura", "body": "<p>Hola</p>", "locale": "es",
         "section_id": 11, "label_names": []},
        {"id": 104, "title": "空的", "body": "<script>only()</script>", "locale": "zh-cn",
         "section_id": 11},
    ]}), "utf-8")
    return folder


@pytest.fixture(name="hostile_html")
def hostile_html_fixture() -> str:
    """HTML with scripts, event attributes and javascript: links among real content."""
    return HOSTILE


@pytest.fixture(name="assert_safe")
def assert_safe_fixture():
    """assert_safe(source): neither the Markdown nor its page holds anything unsafe."""
    return assert_safe
