"""The one text fold: the table of what must meet, and the properties callers rely on."""
from __future__ import annotations

import pytest

from portal.text.fold import clean, fold, fold_characters, is_traditional

FOLDS = [
    ("帳號", "账号"),  # traditional script, then the 帐/账 variant
    ("帐号", "账号"),
    ("账号", "账号"),
    ("帳號被鎖定", "账号被锁定"),
    ("账号被锁定", "账号被锁定"),
    ("帳戶餘額", "账户余额"),
    ("軟體", "软件"),  # Taiwan vocabulary, phrase by phrase
    ("登入帳號", "登录账号"),
    ("怎么退款", "怎么退款"),  # simplified text is never phrase-converted (么 stays)
    ("程序", "程序"),
    ("ＡＣＣＯＵＮＴ", "account"),  # full-width
    ("１３８ 號", "138 号"),
    ("Refund POLICY", "refund policy"),  # case
    ("  退款 \t\n  说明  ", "退款 说明"),  # white space
    ("退\x00款\x07", "退款"),  # control characters
    ("坏\ud800字", "坏 字"),  # a lone surrogate cannot be stored
    ("", ""),
]


@pytest.mark.parametrize(("text", "folded"), FOLDS)
def test_fold_table(text, folded):
    assert fold(text) == folded


def test_traditional_and_simplified_spellings_of_one_question_fold_alike():
    assert fold("帳號被鎖定") == fold("账号被锁定") == fold("帐号被锁定")


def test_fold_is_idempotent():
    for text, folded in FOLDS:
        assert fold(folded) == folded, text


def test_character_fold_keeps_the_length_of_the_cleaned_text():
    for text in ["帳號被鎖定", "使用者無法登入", "ＡＢＣ 發票", "乾燥"]:
        assert len(fold_characters(text)) == len(clean(text))
    assert fold_characters("帳號") == fold("帳號")


def test_traditional_characters_are_told_from_shared_ones():
    assert is_traditional("帳號") and is_traditional("鎖")
    assert not is_traditional("账号") and not is_traditional("使用者") and not is_traditional("abc")
