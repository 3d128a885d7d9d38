"""Chinese analysis, query parsing, snippets and type-ahead keys, without an engine.

These pin the properties search relies on: positions in order (so phrases work),
offsets into the original text (so highlighting works), and one folded form for
simplified, traditional, full-width and English variants.
"""
from __future__ import annotations

import pytest
from whoosh import fields
from whoosh import query as wq
from whoosh.filedb.filestore import RamStorage

from portal.search.whoosh.analysis import ANALYZER, normalise, query_forms, terms
from portal.search.whoosh.completion import completion_keys, matches, prefix_forms
from portal.search.whoosh.querying import MAX_QUERY_CHARS, parse
from portal.search.whoosh.schema import field_terms
from portal.search.whoosh.snippets import snippet
from portal.text.fold import fold


def test_positions_count_words_in_order_and_offsets_point_into_the_original():
    text = "如何申请退款？"
    tokens = [(t.text, t.pos, t.startchar, t.endchar)
              for t in ANALYZER(text, positions=True, chars=True)]
    assert [t[0] for t in tokens] == ["申请", "退款"]  # 如何 is a stop word
    positions = [t[1] for t in tokens]
    assert positions == list(range(positions[0], positions[0] + len(positions)))
    assert [text[s:e] for _, _, s, e in tokens] == ["申请", "退款"]


def test_phrase_queries_work_with_the_analyzer_in_a_real_index():
    schema = fields.Schema(id=fields.ID(stored=True), body=fields.TEXT(analyzer=ANALYZER))
    ix = RamStorage().create_index(schema)
    with ix.writer() as writer:
        writer.add_document(id="in-order", body="请在订单页面申请退款。")
        writer.add_document(id="apart", body="退款以后不能再申请发票。")
    phrase = wq.Phrase("body", terms("申请退款"))
    with ix.searcher() as searcher:
        assert [hit["id"] for hit in searcher.search(phrase)] == ["in-order"]


@pytest.mark.parametrize("variant", ["帳號", "账号", "帐号"])
def test_traditional_and_variant_characters_fold_to_one_term(variant):
    assert terms(variant) == terms("账号")


def test_full_width_letters_fold_and_english_is_lowercased_and_stemmed():
    assert terms("ＲＥＦＵＮＤＳ") == terms("refund") == ["refund"]
    assert terms("Refunding") == terms("refund")


def test_stop_words_and_punctuation_are_dropped():
    assert terms("退款了吗？！") == ["退款"]
    assert terms("退款失败怎么办") == terms("退款失败怎麼辦") == ["退款", "失败"]
    assert terms("the refund, and the order") == ["refund", "order"]


def test_offsets_survive_characters_that_nfkc_expands():
    text = "㎏ 退款"  # ㎏ becomes "kg": two characters for one
    normalised, offsets = normalise(text)
    assert normalised.startswith("kg")
    spans = [(t.text, text[t.startchar:t.endchar]) for t in ANALYZER(text, chars=True)]
    assert ("退款", "退款") in spans


@pytest.mark.parametrize("hostile", ["\ud800\udfff\ud800", "\x00\x01\x1f", "😀🙈", "。，！？"])
def test_hostile_text_gives_no_terms_and_no_error(hostile):
    assert terms(hostile) == []


def test_query_forms_add_the_mainland_vocabulary_form():
    forms = query_forms("使用者無法登入")
    assert forms[0] == "使用者無法登入"
    assert "用户无法登录" in forms
    assert query_forms("用户") == ["用户"]


@pytest.mark.parametrize("quoted", ['"申请退款"', "“申请退款”", "「申请退款」", "『申请退款』"])
def test_every_kind_of_double_quote_makes_a_phrase(quoted):
    parsed = parse(quoted + " 发票")
    assert parsed.phrases == ((("申请", "退款"),),)
    assert parsed.terms == ("发票",)


def test_syntax_is_plain_text():
    parsed = parse('title:退款 AND (发票 OR "闭合')
    assert parsed.phrases == ()
    assert set(parsed.terms) >= set(terms("title 退款 发票 闭合"))


def test_query_length_is_capped():
    parsed = parse("退款" * 5000)
    assert len(parsed.text) <= MAX_QUERY_CHARS
    assert parsed.terms == ("退款",)


def test_snippet_escapes_text_and_marks_matches_in_the_original_script():
    html = snippet("<b>注意</b> 帳號被鎖定後請聯絡客服。", set(terms("账号")))
    assert "&lt;b&gt;注意&lt;/b&gt;" in html
    assert "<mark>帳號</mark>" in html
    assert "<b>" not in html


def test_snippet_marks_whole_english_words_for_a_stem():
    html = snippet("Refunds are issued within five days.", set(terms("refund")))
    assert html.startswith("<mark>Refunds</mark> are issued")


def test_snippet_window_moves_to_the_matches():
    text = "无关内容。" * 100 + "这里说明退款流程。"
    html = snippet(text, {"退款"}, width=40)
    assert html.startswith("…") and "<mark>退款</mark>" in html


def test_completion_keys_cover_pinyin_and_initials_from_word_starts():
    head, tail = completion_keys("如何申请退款")
    assert "如何申请退款" in head
    assert "ruheshenqingtuikuan" in head and "rhsqtk" in head
    assert {"退款", "tuikuan", "tk"} <= set(tail)


def test_prefix_forms_fold_and_join_spaced_pinyin():
    assert prefix_forms("Tui Kuan") == ["tui kuan", "tuikuan"]
    assert prefix_forms("帳號") == ["账号"]
    assert prefix_forms("  ") == []


def test_matches_ranks_text_starts_before_later_words():
    assert matches("退款说明", ["tk"]) == 0
    assert matches("如何申请退款", ["tk"]) == 1
    assert matches("发票说明", ["tk"]) is None


def test_index_terms_of_a_text_include_the_terms_of_its_fold():
    """What the search log and suggestions call a text (its fold) is what search finds."""
    for text in ["帳號 ＡＢＣ", "使用者  無法登入", "Refund", "退款", "帳號被鎖定", "軟體更新失敗"]:
        assert set(terms(fold(text))) <= set(field_terms(text)), text
