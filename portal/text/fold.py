"""Script and case folding shared by search, signals and suggestions.

Customers type simplified Chinese, traditional Chinese, full-width digits and mixed
English; everything that compares texts must see one canonical form so that 帳號,
账号 and ＡＣＣＯＵＮＴ meet. This module is the single place that decides that form.
"""
from __future__ import annotations

import functools
import re
import unicodedata

from opencc import OpenCC

_WHITESPACE = re.compile(r"\s+")
_CONTROL = dict.fromkeys(c for c in range(0x20) if chr(c) not in "\t\n\r")


@functools.lru_cache(maxsize=None)
def _converter(config: str) -> OpenCC:
    return OpenCC(config)


def to_simplified(text: str) -> str:
    """Character-level traditional → simplified, so 帳號 and 账号 compare equal."""
    return _converter("t2s").convert(text)


def to_simplified_phrases(text: str) -> str:
    """Phrase-level Taiwan → mainland vocabulary (使用者 → 用户, 軟體 → 软件)."""
    return _converter("tw2sp").convert(text)


def clean(text: str) -> str:
    """NFKC-normalise, drop control characters and collapse white space."""
    text = unicodedata.normalize("NFKC", text or "").translate(_CONTROL)
    return _WHITESPACE.sub(" ", text).strip()


def fold(text: str) -> str:
    """The canonical comparison form: clean, simplified script, lower case."""
    return to_simplified(clean(text)).lower()


def has_han(text: str) -> bool:
    """True when the text holds at least one CJK ideograph."""
    return any("\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" for ch in text)
