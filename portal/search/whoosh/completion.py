"""Type-ahead keys: what a customer may have typed so far when they mean a title.

Each title, question and alias becomes a few prefix keys: its folded text, its pinyin
(tuikuan) and pinyin initials (tk), from the start and from a few later content words,
so 如何申请退款 is offered for 如何, 退款, tuik and tk. Keys are cut to a fixed length;
the index finds candidates by the cut key and `matches` checks the full text.
"""
from __future__ import annotations

import functools

import jieba
from pypinyin import Style, lazy_pinyin

from portal.search.whoosh.analysis import STOP_LIST, prime
from portal.text.fold import fold_characters, has_han

KEY_LENGTH = 24
MAX_WORD_STARTS = 6


@functools.lru_cache(maxsize=100_000)
def pinyin_of(word: str) -> tuple[str, str]:
    """(full pinyin, initials) of one jieba word; other words stay as typed."""
    if not has_han(word):
        return word, word
    full = "".join(lazy_pinyin(word, errors="ignore"))
    initials = "".join(lazy_pinyin(word, style=Style.FIRST_LETTER, errors="ignore"))
    return full, initials


@functools.lru_cache(maxsize=50_000)
def completion_keys(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(head keys, tail keys) of one suggestible text, folded like the prefixes.

    Head keys start at the text's first word and rank first; tail keys start at a
    later word that is not a stop word.
    """
    prime()
    folded = fold_characters(text)
    words = [(w, start) for w, start, _ in jieba.dt.tokenize(folded) if w.strip()]
    starts = [0] + [i for i, (w, _) in enumerate(words) if i and w not in STOP_LIST]
    keys: list[set[str]] = []
    for index in starts[:MAX_WORD_STARTS]:
        found = {folded[words[index][1]:][:KEY_LENGTH]}
        rest = [pinyin_of(word) for word, _ in words[index:]]
        if any(has_han(word) for word, _ in words[index:]):
            found.add("".join(full for full, _ in rest)[:KEY_LENGTH])
            found.add("".join(initials for _, initials in rest)[:KEY_LENGTH])
        keys.append(found)
    if not keys:
        return (), ()
    head = tuple(sorted(keys[0]))
    return head, tuple(sorted(set().union(*keys[1:]) - keys[0]))


def prefix_forms(prefix: str) -> list[str]:
    """The folded prefix, plus the form without spaces for pinyin typed as "tui kuan"."""
    folded = fold_characters(prefix)
    if not folded:
        return []
    forms = [folded]
    squeezed = folded.replace(" ", "")
    if squeezed != folded and squeezed.isascii():
        forms.append(squeezed)
    return forms


def index_form(form: str) -> str:
    """The part of a prefix that can be looked up among the (cut) index keys."""
    return form[:KEY_LENGTH]


def matches(text: str, forms: list[str]) -> int | None:
    """0 when `text` starts with one of `forms` (as typed or in pinyin), 1 when a later
    word does, None otherwise."""
    folded = fold_characters(text)
    head, tail = completion_keys(text)
    if any(folded.startswith(f) or any(k.startswith(f) for k in head) for f in forms):
        return 0
    if any(f in folded for f in forms) or any(k.startswith(f) for k in tail for f in forms):
        return 1
    return None
