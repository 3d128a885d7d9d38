"""One comparison form per text, so 帳號, 账号 and ＡＣＣＯＵＮＴ land together.

textfold.fold does the character-level work. Taiwan vocabulary (使用者, 軟體, 登入) also
needs phrase-level conversion, but that conversion damages text that is already
simplified (么 becomes 幺, 程序 becomes 进程), so it runs only on text that holds
traditional characters.
"""
from __future__ import annotations

from portal.text.fold import clean, fold, has_han, to_simplified, to_simplified_phrases


def fold_text(text: str) -> str:
    """The folded form used for collapsing duplicates and for features."""
    folded = fold(text)
    if has_han(folded):
        cleaned = clean(text)
        if to_simplified(cleaned) != cleaned:
            return fold(to_simplified_phrases(cleaned))
    return folded


def as_typed(text: str) -> str:
    """The original text for display: as typed, only white space tidied."""
    return " ".join(text.split())
