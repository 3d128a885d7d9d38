"""Chinese-first text analysis for the search index.

Customers mix simplified and traditional Chinese, full-width letters and English in one
query, so index and query text go through the same pipeline: the character-level step
of the one text fold (portal.text.fold: NFKC, simplified script, 帐/账 variants), jieba
segmentation with positions numbered 0, 1, 2, … in order (the stock jieba analyser
stores character offsets as positions, which silently breaks phrase queries),
lower-casing, stop words and English stemming. Character offsets always point into the
caller's original text so snippets can highlight it.
"""
from __future__ import annotations

import functools
import logging
import re
import threading
import unicodedata

import jieba
from whoosh.analysis import LowercaseFilter, StemFilter, StopFilter, Token, Tokenizer
from whoosh.analysis.filters import STOP_WORDS

from portal.text.fold import (clean, has_han, simplify_characters, to_simplified,
                              to_simplified_phrases, without_surrogates)

# Question words (怎么, 如何, 什么, 哪里) and pronouns carry no topic yet appear in most
# customer questions. Measured with bench/eval_search.py (insuranceqa-zh, 10k entries,
# 300 queries): this list gives P@1 .213 / MRR .275, particles only (的 了 吗 呢 啊 吧)
# .190 / .256. The English additions: insuranceqa-en P@1 .310 vs .290 without them,
# stackfaq within ±.013.
# 怎么办 and its colloquial kin end half of all help questions; as words they lifted any
# question ending in them above the one on topic. Full insuranceqa-zh: MRR .239 vs .238.
CHINESE_STOP_WORDS = frozenset(
    "的 了 吗 呢 吧 啊 呀 么 嘛 哦 得 地 之 着 过 是 在 和 与 及 或 也 都 就 把 被 给 让 "
    "我 你 您 他 她 它 我们 你们 他们 这 那 这个 那个 怎么 怎样 如何 什么 为什么 哪 哪里 "
    "请问 一下 可以 能 能否 怎么办 咋办 咋 啥 为啥 怎么回事 怎么样".split()
)
STOP_LIST = frozenset(STOP_WORDS | CHINESE_STOP_WORDS | {"i", "my", "me", "do", "does", "how"})

# The phrase-level Taiwan → mainland conversion also swaps one character mainland text
# writes for one it does not: 怎么办 → 怎幺办, so the stop word was missed and the query
# held an unknown word. Converting every non-traditional ideograph on its own line
# (OpenCC tw2sp) finds no other such swap of a character jieba sees more often.
_MAINLAND_FORMS = str.maketrans({"幺": "么"})
_ENGLISH_WORD = re.compile(r"(?<![a-z])[a-z]{3,}(?![a-z])")
_jieba_ready = threading.Lock()
_initialised = False


def prime() -> None:
    """Load jieba's dictionary once per process (about a second), quietly."""
    global _initialised
    if _initialised:  # no lock once loaded: safe in processes forked mid-request
        return
    with _jieba_ready:
        if not _initialised:
            jieba.setLogLevel(logging.WARNING)
            jieba.initialize()
            _initialised = True


def normalise(text: str) -> tuple[str, list[int] | None]:
    """NFKC + simplified form of `text` and, when lengths differ, a map back to it.

    Returns (normalised, offsets): offsets[i] is the index in `text` of normalised
    character i (with one extra entry for the end), or None when they are aligned 1:1.
    Lone surrogates become spaces so they can never reach the index (they cannot be
    encoded as UTF-8).
    """
    text = without_surrogates(text)
    offsets = None
    composed = unicodedata.normalize("NFKC", text)
    if len(composed) == len(text):
        text = composed  # full-width forms and the like map one to one
    else:
        pieces, offsets = [], []
        for index, ch in enumerate(text):
            piece = unicodedata.normalize("NFKC", ch) or " "
            pieces.append(piece)
            offsets.extend([index] * len(piece))
        offsets.append(len(text))
        text = "".join(pieces)
    return simplify_characters(text), offsets


def _is_word(word: str) -> bool:
    return any(ch.isalnum() for ch in word)


class JiebaTokenizer(Tokenizer):
    """Whoosh tokenizer: jieba words of the normalised text, positions in order.

    Punctuation and white space are dropped; positions count only the words kept, so
    "申请退款" indexed as 申请(0) 退款(1) matches the phrase query 申请 退款.
    """

    def __eq__(self, other):
        return self.__class__ is other.__class__

    def __call__(self, value, positions=False, chars=False, keeporiginal=False,
                 removestops=True, start_pos=0, start_char=0, mode="", **kwargs):
        prime()
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        normalised, offsets = normalise(value)
        pos = start_pos
        for word, start, end in jieba.dt.tokenize(normalised):
            if not _is_word(word):
                continue
            token.text = word
            token.boost = 1.0
            token.stopped = False
            if offsets is not None:
                start, end = offsets[start], offsets[end]
            if keeporiginal:
                token.original = value[start:end]
            if positions:
                token.pos = pos
                pos += 1
            if chars:
                token.startchar = start_char + start
                token.endchar = start_char + end
            yield token


# The analyzer of index and query text: jieba | lower case | stop words | stemming.
# minsize=1 keeps one-character Chinese words (卡, 钱); StemFilter leaves Chinese alone.
ANALYZER = (JiebaTokenizer() | LowercaseFilter()
            | StopFilter(stoplist=STOP_LIST, minsize=1) | StemFilter())


def terms(text: str) -> list[str]:
    """The indexed terms of `text`, in order (stop words removed, English stemmed)."""
    return [token.text for token in ANALYZER(text)]


@functools.lru_cache(maxsize=200_000)
def subwords(word: str) -> tuple[str, ...]:
    """jieba search-mode sub-words of a Chinese word longer than two characters
    (长期护理 → 长期, 护理): dictionary words of two and three characters inside it.

    jieba segments the same string differently in different contexts (保险费 vs
    保险 费); indexing and querying sub-words lets both sides meet anyway.
    """
    if len(word) < 3 or not has_han(word):
        return ()
    prime()
    freq = jieba.dt.FREQ
    found = [word[i:i + 2] for i in range(len(word) - 1) if freq.get(word[i:i + 2])]
    if len(word) > 3:
        found += [word[i:i + 3] for i in range(len(word) - 2) if freq.get(word[i:i + 3])]
    return tuple(found)


def subword_terms(words: list[str]) -> list[str]:
    """The sub-words of every word in `words`, in order."""
    return [sub for word in words for sub in subwords(word)]


def english_words(text: str) -> list[str]:
    """Unstemmed lower-case English words of three letters or more (for spelling)."""
    return _ENGLISH_WORD.findall(unicodedata.normalize("NFKC", text).lower())


def query_forms(text: str) -> list[str]:
    """The cleaned query plus its phrase-level Taiwan → mainland form when different,
    so 使用者 also searches 用户 and 軟體 searches 软件."""
    text = clean(text)
    forms = [text]
    if has_han(text):
        phrased = to_simplified_phrases(text).translate(_MAINLAND_FORMS)
        if phrased != text and to_simplified(phrased) != to_simplified(text):
            forms.append(phrased)
    return forms
