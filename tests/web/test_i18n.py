"""Interface language: default, Accept-Language, and the remembered switcher."""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from portal.i18n import lang_from_tag


@pytest.mark.parametrize("tag, lang", [
    ("zh-CN", "zh-Hans"), ("zh", "zh-Hans"), ("zh-Hans-CN", "zh-Hans"), ("zh-TW", "zh-Hant"),
    ("zh-HK", "zh-Hant"), ("zh-Hant", "zh-Hant"), ("en-US", "en"), ("en", "en"), ("fr", None)])
def test_language_tags_map_to_our_languages(tag, lang):
    assert lang_from_tag(tag) == lang


def test_default_is_simplified_chinese(client, sample_articles):
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="zh-Hans">' in html and "有什么可以帮您？" in html


def test_accept_language_chooses_traditional_or_english(client, sample_articles):
    hant = client.get("/", headers={"Accept-Language": "zh-TW,zh;q=0.9"}).get_data(as_text=True)
    assert '<html lang="zh-Hant">' in hant and "有什麼可以幫您？" in hant
    en = client.get("/", headers={"Accept-Language": "en-US,en;q=0.8"}).get_data(as_text=True)
    assert '<html lang="en">' in en and "How can we help you?" in en
    fallback = client.get("/", headers={"Accept-Language": "fr-FR"}).get_data(as_text=True)
    assert '<html lang="zh-Hans">' in fallback


def test_switcher_is_remembered_and_returns_to_the_page(client, sample_articles):
    response = client.get("/lang/en?next=/articles/refunds")
    assert response.status_code == 302 and response.headers["Location"] == "/articles/refunds"
    html = client.get("/articles/refunds", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert '<html lang="en">' in html and "Related articles" in html


def test_switcher_never_redirects_off_site(client, sample_articles):
    for target in ("https://evil.example/", "//evil.example/", "javascript:alert(1)"):
        response = client.get("/lang/zh-Hant", query_string={"next": target})
        assert response.headers["Location"] == "/"


def test_unknown_language_is_404(client, sample_articles):
    assert client.get("/lang/xx").status_code == 404


def test_category_names_follow_the_interface_language(client, articles_dir):
    (articles_dir / "categories.yml").write_text(
        "订单与支付:\n  slug: orders-payment\n  names: {zh-Hant: 訂單與支付, en: Orders & payment}\n",
        "utf-8")
    from ..factories import write_article
    write_article(articles_dir, "a.md", "退款", "## 问？\n\n答。", category="订单与支付")
    en = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Orders &amp; payment" in en and "/categories/orders-payment" in en
    assert client.get("/categories/orders-payment").status_code == 200


def test_each_catalog_translates_each_text_once():
    """Branches append UI text to the catalogs and git merges them by union: a text added on
    two branches lands twice, which gettext tools refuse (msgfmt: duplicate definition)."""
    folder = Path(__file__).resolve().parents[2] / "portal" / "translations"
    for catalog in folder.glob("*/LC_MESSAGES/messages.po"):
        ids = Counter(re.findall(r'^msgid "(.+)"$', catalog.read_text("utf-8"), re.M))
        assert [text for text, count in ids.items() if count > 1] == [], catalog
