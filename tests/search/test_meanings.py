"""Misspelt English and pinyin find the article they mean, on a real index.

Corrections come only from what the reader may see: a word that only a draft or an
internal article holds is never a correction.
"""
from __future__ import annotations

import pytest

from portal.search.base import SearchDocument
from portal.search.whoosh.engine import WhooshEngine


def doc(slug: str, title: str, body: str, *, lang: str = "en", tags=(), status="published",
        audience="public") -> SearchDocument:
    return SearchDocument(doc_id=slug, slug=slug, anchor="", kind="article", title=title,
                          question="", body=body, aliases=(), tags=tuple(tags), category="help",
                          lang=lang, status=status, audience=audience, fingerprint="1")


CORPUS = [
    doc("refunds", "Refunds", "Ask for a refund from the order page within 30 days."),
    doc("shipping", "Shipping time", "Parcels arrive in three to five working days."),
    doc("password", "Reset your password", "Use the forgotten password link to sign in."),
    doc("invoice-zh", "发票", "在订单详情页申请电子发票，开票后发送到邮箱。", lang="zh-Hans"),
    doc("refund-zh", "退款说明", "在订单页点击申请退款，三个工作日内原路退回。", lang="zh-Hans"),
    doc("invoice-en", "Invoices for China", "Ask for a VAT invoice.", tags=["fapiao"]),
    doc("compensation-zh", "赔偿说明", "商品损坏时按价格赔偿。", lang="zh-Hans"),
    doc("pc-client", "PC client", "Install the desktop client on Windows."),
    doc("trade-zh", "贸易条款", "跨境贸易的商品按海关规定申报。", lang="zh-Hans"),
    doc("warranty-draft", "Warranty", "Not yet published.", status="draft"),
    doc("escalation", "Escalation script", "Internal escalation steps.", audience="internal"),
]


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    engine = WhooshEngine(str(tmp_path_factory.mktemp("meanings") / "index"))
    engine.rebuild(CORPUS)
    yield engine
    engine.close()


def first(engine, query: str) -> str | None:
    page = engine.search(query)
    return page.hits[0].slug if page.hits else None


@pytest.mark.parametrize("query, slug", [("refnud", "refunds"), ("shiping time", "shipping"),
                                         ("pasword reset", "password"), ("refunds", "refunds")])
def test_misspelt_english_finds_the_article(engine, query, slug):
    assert first(engine, query) == slug


def test_a_misspelling_is_corrected_in_the_suggestion_and_answered_confidently(engine):
    page = engine.search("refnud")
    assert page.suggestion == "refund" and page.confident


@pytest.mark.parametrize("misspelt", ["shpping", "shippng", "shiping", "shippinng", "shipqing",
                                      "shippign", "hsipping", "sipping", "xhipping"])
def test_every_single_edit_of_a_title_word_finds_its_article(engine, misspelt):
    assert first(engine, misspelt) == "shipping"


@pytest.mark.parametrize("query", ["warrenty", "escalaton"])
def test_words_only_drafts_or_internal_articles_hold_are_never_corrections(engine, query):
    page = engine.search(query)
    assert page.total == 0 and page.suggestion is None


def test_staff_may_be_corrected_to_internal_words(engine):
    page = engine.search("escalaton", audiences=("public", "internal"))
    assert page.suggestion == "escalation" and page.hits[0].slug == "escalation"


@pytest.mark.parametrize("query, slug", [("fapiao", "invoice-zh"), ("tuikuan", "refund-zh"),
                                         ("tui kuan", "refund-zh"), ("Fa Piao", "invoice-zh")])
def test_pinyin_is_searched_as_the_chinese_it_spells(engine, query, slug):
    page = engine.search(query)
    assert slug in [hit.slug for hit in page.hits[:2]]


def test_pinyin_still_finds_the_article_tagged_with_the_letters(engine):
    assert {"invoice-zh", "invoice-en"} <= {hit.slug for hit in engine.search("fapiao").hits}


@pytest.mark.parametrize("query, slug", [("fp", "invoice-zh"), ("tk", "refund-zh"),
                                         ("TK", "refund-zh"), ("sqtk", "refund-zh"),
                                         ("sq tk", "refund-zh"), ("peichang", "compensation-zh")])
def test_pinyin_initials_are_searched_as_the_chinese_they_spell(engine, query, slug):
    assert first(engine, query) == slug


def test_initials_that_are_an_indexed_english_word_stay_that_word(engine):
    """赔偿 is spelt pc too, but the index holds the English word pc: it is not read."""
    assert [hit.slug for hit in engine.search("pc").hits] == ["pc-client"]



def test_an_english_stop_word_is_never_read_as_initials(engine):
    """贸易 is spelt my, but `my` in `my refund` is English: it adds no Chinese word."""
    assert engine.search("my").total == 0
    assert "trade-zh" not in {hit.slug for hit in engine.search("my refund").hits}
