"""Issue 15, problem 4: translations of one answer show once, in the reader's language,
and the article page links to its other languages."""
from __future__ import annotations

import re

import pytest

from ..factories import write_article

ORIGINAL = "## 如何申请退款？\n\n在订单页点击申请退款。\n\n## 退款多久到账？\n\n一般 1-3 个工作日。"
TRADITIONAL = "## 如何申請退款？\n\n在訂單頁點擊申請退款。\n\n## 退款多久到帳？\n\n一般 1-3 個工作天。"
ENGLISH = ("## How do I request a refund?\n\nOpen the order and tap Request refund.\n\n"
           "## When does the refund arrive?\n\nWithin 1-3 working days.")


@pytest.fixture
def translated(articles_dir):
    common = {"category": "订单与支付", "tags": ["退款"]}
    write_article(articles_dir, "refunds.md", "退款与退货", ORIGINAL, slug="refunds", **common)
    write_article(articles_dir, "refunds-hant.md", "退款與退貨", TRADITIONAL, slug="refunds-hant",
                  lang="zh-Hant", translation_of="refunds", **common)
    write_article(articles_dir, "refunds-en.md", "Refunds and returns", ENGLISH, slug="refunds-en",
                  lang="en", translation_of="refunds", **common)
    write_article(articles_dir, "invoice.md", "发票说明", "## 怎么开发票？\n\n在订单页申请。",
                  slug="invoice", category="订单与支付", tags=["退款", "发票"])
    return articles_dir


TITLES = {"zh-Hans": "退款与退货", "zh-Hant": "退款與退貨", "en": "Refunds and returns"}


def titles_in(html: str) -> list[str]:
    return [t for t in TITLES.values() if t in html]


@pytest.mark.parametrize("lang", ["zh-Hans", "zh-Hant", "en"])
def test_home_and_category_show_the_group_once_in_the_readers_language(client, translated, lang):
    client.set_cookie("portal_lang", lang)
    home = client.get("/").get_data(as_text=True)
    main = home.split("<main", 1)[1]
    assert titles_in(main) == [TITLES[lang]]
    category_link = re.search(r'href="(/categories/[^"]+)"', main).group(1)
    category = client.get(category_link).get_data(as_text=True).split("<main", 1)[1]
    assert titles_in(category) == [TITLES[lang]]


def test_related_articles_never_list_the_articles_own_translations(client, translated):
    page = client.get("/articles/invoice").get_data(as_text=True)
    sidebar = page.split('class="sidebar"', 1)[1]
    assert titles_in(sidebar) == ["退款与退货"]
    own = client.get("/articles/refunds").get_data(as_text=True).split('class="sidebar"', 1)[1]
    assert titles_in(own) == []


def test_the_article_links_to_its_other_languages(client, translated):
    page = client.get("/articles/refunds-hant").get_data(as_text=True)
    switch = page.split('class="article-languages"', 1)[1].split("</nav>", 1)[0]
    assert 'href="/articles/refunds" hreflang="zh-Hans"' in switch
    assert 'href="/articles/refunds-en" hreflang="en"' in switch
    assert "/articles/refunds-hant" not in switch
    assert 'class="article-languages"' not in client.get("/articles/invoice").get_data(as_text=True)


def test_search_shows_each_question_once_in_the_readers_script(client, translated):
    client.set_cookie("portal_lang", "zh-Hant")
    page = client.get("/search?q=退款多久到账").get_data(as_text=True)
    results = re.findall(r'<li class="result" lang="([\w-]+)">', page)
    assert results[0] == "zh-Hant"
    links = re.findall(r'slug=([\w-]+)&amp;anchor=([^"&]+)', page)
    assert not {"refunds", "refunds-en"} & {slug for slug, _ in links}
    assert len(links) == len(set(links))


def test_a_language_filter_still_shows_that_language(client, translated):
    client.set_cookie("portal_lang", "zh-Hant")
    page = client.get("/search?q=退款&lang=zh-Hans").get_data(as_text=True)
    assert set(re.findall(r'<li class="result" lang="([\w-]+)">', page)) == {"zh-Hans"}
