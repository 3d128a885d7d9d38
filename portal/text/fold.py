"""The one text fold: how search, the search log, the failed-search queue and suggestions
decide that two texts say the same thing.

Customers type simplified Chinese, traditional Chinese, full-width letters and mixed
English; everything that compares texts must see one canonical form so that 帳號,
账号 and ＡＣＣＯＵＮＴ meet. The steps, in order:

1. `clean`: NFKC (full-width → half-width), control characters and lone surrogates
   dropped, white space collapsed;
2. traditional → simplified script with OpenCC, and the simplified variants customers
   use interchangeably (帐号 / 账号 → 账号);
3. lower case.

`fold` is the comparison form. Text holding traditional characters is converted phrase
by phrase (Taiwan vocabulary: 使用者 → 用户, 軟體 → 软件); text without any is left to
the character step, because phrase conversion damages simplified text (么 → 幺,
程序 → 进程). `fold_characters` is the same fold character by character, so the result
is exactly as long as the cleaned text; the search analyser needs that to point its
highlights back into what the customer typed, and indexes the phrase forms beside it.

OpenCC is the native wheel (`opencc`): twice as fast per fold as the pure-Python port,
nine times on traditional text (bench/fold_bench.py, docs/performance.md).
"""
from __future__ import annotations

import functools
import re
import unicodedata

from opencc import OpenCC

_WHITESPACE = re.compile(r"\s+")
_SURROGATES = re.compile("[\ud800-\udfff]")
_CONTROL = dict.fromkeys(c for c in range(0x20) if chr(c) not in "\t\n\r")
# OpenCC turns 帳 into 帐, while mainland help texts mostly write 账 (账号, 账户).
_VARIANTS = str.maketrans({"帐": "账"})
# Every block of CJK ideographs OpenCC's character table may convert.
_IDEOGRAPH_BLOCKS = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2FFFF))


@functools.lru_cache(maxsize=None)
def _converter(config: str) -> OpenCC:
    return OpenCC(config)


def to_simplified(text: str) -> str:
    """Traditional → simplified script (OpenCC t2s): 帳號 → 帐号."""
    return _converter("t2s").convert(text)


def to_simplified_phrases(text: str) -> str:
    """Phrase-level Taiwan → mainland vocabulary (使用者 → 用户, 軟體 → 软件)."""
    return _converter("tw2sp").convert(text)


@functools.lru_cache(maxsize=1)
def _traditional_characters() -> frozenset[str]:
    """The ideographs OpenCC's t2s table changes, found once by converting each of them
    on its own line (no phrase spans a line break), so it holds for either OpenCC build.

    A text without any of them is taken as simplified and skips OpenCC (~1000× cheaper
    than converting). Phrase rules whose characters are all shared by both scripts
    (反覆 → 反复) are then not applied; real traditional text always holds other
    traditional characters and is converted in full.
    """
    ideographs = [chr(code) for first, last in _IDEOGRAPH_BLOCKS for code in range(first, last + 1)]
    converted = to_simplified("\n".join(ideographs)).split("\n")
    return frozenset(ch for ch, simple in zip(ideographs, converted) if simple != ch)


def is_traditional(text: str) -> bool:
    """True when `text` holds characters that only traditional script writes."""
    return not _traditional_characters().isdisjoint(text)


def has_han(text: str) -> bool:
    """True when the text holds at least one CJK ideograph."""
    return any("\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" for ch in text)


def without_surrogates(text: str) -> str:
    """Lone surrogates (which cannot be encoded as UTF-8) replaced by spaces."""
    return _SURROGATES.sub(" ", text) if _SURROGATES.search(text) else text


def clean(text: str) -> str:
    """NFKC-normalise, drop control characters and lone surrogates, collapse white space."""
    text = unicodedata.normalize("NFKC", without_surrogates(text or "")).translate(_CONTROL)
    return _WHITESPACE.sub(" ", text).strip()


def simplify_characters(text: str) -> str:
    """Simplified script and variants, character by character: the result is exactly as
    long as `text`, so offsets into it are offsets into `text`."""
    if is_traditional(text):
        converted = to_simplified(text)
        if len(converted) != len(text):
            singles = (to_simplified(ch) for ch in text)
            converted = "".join(s if len(s) == 1 else ch for s, ch in zip(singles, text))
        text = converted
    return text.translate(_VARIANTS)


def fold_characters(text: str) -> str:
    """`fold` without phrase conversion, character by character as the index's terms are
    (type-ahead keys slice it by word offsets)."""
    return simplify_characters(clean(text)).lower()


def fold(text: str) -> str:
    """The canonical comparison form: 帳號被鎖定, 账号被锁定 and 帐号被锁定 fold alike."""
    cleaned = clean(text)
    if is_traditional(cleaned):
        cleaned = to_simplified_phrases(cleaned)
    return simplify_characters(cleaned).lower()
