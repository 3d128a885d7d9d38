"""What else a query means: misspelt English words corrected, pinyin read as Chinese.

`refnud` is searched as `refund`, `fapiao` as 发票 and its initials `fp` too, from the index's own
vocabulary and only from words the reader may see: a word found only in drafts or
internal articles is never a correction, so it can neither rank nor be suggested. A
query word with no visible document is replaced by its correction (so it does not
weigh in the confidence ceiling as an unknown word); pinyin adds the Chinese words it
spells next to the letters as typed (an English article may be tagged `fapiao`).
Initials are read only from a letter word with no vowel (tk, sqtk, fp) that is neither
an English word of the index (tv, pc) nor an English stop word (my, by): a vowel makes
it an English word or a typo.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from portal.search.whoosh.analysis import STOP_LIST, terms
from portal.search.whoosh.completion import pinyin_of

LETTERS = re.compile(r"[a-z]+(?: [a-z]+)*")
VOWELS = frozenset("aeiou")
MAX_PINYIN_WORDS = 3    # Chinese words offered per pinyin spelling, most frequent first
LONGEST_SPELLING = 24   # letters in the pinyin of one indexed word, at most looked up


def max_distance(word: str) -> int:
    """The edit distance a misspelling of `word` may have: 1 up to four letters, else 2."""
    return 1 if len(word) <= 4 else 2


def visible(reader, field: str, term: str, allowed: np.ndarray) -> bool:
    """Whether a document the reader may see holds `term` in `field`."""
    if not reader.doc_frequency(field, term):
        return False
    return any(allowed[d] for d in reader.postings(field, term).all_ids())


def spelling_vocabulary(reader) -> list[str]:
    """Every English word the index holds as written (its `spell` field)."""
    return [raw.decode("utf-8") for raw in reader.lexicon("spell")]


def correct_word(reader, word: str, allowed: np.ndarray, vocabulary: list[str]) -> str | None:
    """The visible indexed word closest to `word`, when no visible document holds
    `word` itself: closest edit distance (Damerau) first, then the word in more
    documents. rapidfuzz compares against the whole vocabulary in C: Whoosh's
    terms_within took 50–250 ms a word on StackFAQ's 4,500 words."""
    if visible(reader, "spell", word, allowed):
        return None
    limit = max_distance(word)
    found = process.extract(word, vocabulary, scorer=DamerauLevenshtein.distance,
                            score_cutoff=limit, limit=None)
    ranked = sorted((distance, -reader.doc_frequency("spell", candidate), candidate)
                    for candidate, distance, _ in found)
    return next((candidate for _, _, candidate in ranked
                 if visible(reader, "spell", candidate, allowed)), None)


def corrections(reader, words, allowed: np.ndarray, vocabulary: list[str]) -> dict[str, str]:
    """word → its correction, for the query's English words that need one."""
    found = {}
    for word in words:
        replacement = correct_word(reader, word, allowed, vocabulary)
        if replacement:
            found[word] = replacement
    return found


@dataclass
class Spellings:
    """The index's Chinese words by how they are spelt in letters: full pinyin
    (tuikuan → 退款) and vowel-less initials (tk → 退款), most frequent first."""

    full: dict[str, list[str]] = field(default_factory=dict)
    initials: dict[str, list[str]] = field(default_factory=dict)


def pinyin_index(reader) -> Spellings:
    """Full pinyin and initials → the Chinese words of two characters or more spelt
    so, most frequent first (built once per index generation; pinyin is cached per
    word). Initials that are an indexed English word (`pc`) or an English stop word
    (`my`, `by`) are left out."""
    full: dict[str, list[tuple[int, str]]] = {}
    initials: dict[str, list[tuple[int, str]]] = {}
    for raw in reader.lexicon("all"):
        word = raw.decode("utf-8")
        if len(word) < 2 or not all("\u4e00" <= ch <= "\u9fff" for ch in word):
            continue
        spelt, short = pinyin_of(word)
        entry = (-reader.doc_frequency("all", raw), word)
        full.setdefault(spelt, []).append(entry)
        if len(short) == len(word) and not VOWELS & set(short):
            initials.setdefault(short, []).append(entry)

    def best(table: dict[str, list[tuple[int, str]]]) -> dict[str, list[str]]:
        return {key: [word for _, word in sorted(words)[:MAX_PINYIN_WORDS]]
                for key, words in table.items()}

    english = {key for key in initials if key in STOP_LIST
               or any(reader.doc_frequency("all", term) for term in terms(key))}
    return Spellings(best(full), {key: words for key, words in best(initials).items()
                                  if key not in english})


def read_pinyin(text: str, spellings: Spellings) -> tuple[list[str], set[str]]:
    """(Chinese words, the letter words read) of the pinyin in `text`: each run of
    letter words (fapiao, "tui kuan", shenqingtuikuan, sqtk) read whole when it splits
    into known spellings, else word by word. A word is read as full pinyin first; a
    word with no vowel as initials."""
    found: list[str] = []
    read: set[str] = set()
    for run in LETTERS.findall(text.lower()):
        words = run.split(" ")
        for group in ([words] if len(words) > 1 else []) + [[word] for word in words]:
            letters = "".join(group)
            table = spellings.full
            split = _split(letters, table)
            if not split and not VOWELS & set(letters):
                table = spellings.initials
                split = _split(letters, table)
            if split:
                found.extend(word for key in split for word in table[key])
                read.update(group)
                if len(group) > 1:
                    break
    return list(dict.fromkeys(found)), read


def _split(letters: str, spellings: dict[str, list[str]]) -> list[str] | None:
    """The fewest known spellings that make up `letters` exactly, or None."""
    best: list[list[str] | None] = [[]] + [None] * len(letters)
    for end in range(1, len(letters) + 1):
        for start in range(max(0, end - LONGEST_SPELLING), end):
            head = best[start]
            piece = letters[start:end]
            if head is not None and piece in spellings and (
                    best[end] is None or len(head) + 1 < len(best[end])):
                best[end] = head + [piece]
    return best[len(letters)]


def expand(clauses: list[tuple[str, float]], replaced: list[str], fixes: dict[str, str],
           chinese: list[str]) -> list[tuple[str, float]]:
    """The clauses without the terms of `replaced` words (misspelt, or pinyin no
    visible document holds as letters), plus the corrections' terms and the Chinese
    words read from pinyin. A correction takes its misspelling's place, so the words
    keep the query's order (ranking.add_proximity looks at consecutive words)."""
    instead: dict[str, list[str]] = {}
    for word in replaced:
        for term in terms(word):
            instead.setdefault(term, terms(fixes[word]) if word in fixes else [])
    wanted: dict[str, float] = {}
    for term, boost in clauses:
        for kept in instead.get(term, [term]):
            wanted.setdefault(kept, boost if kept == term else 1.0)
    for term in [t for fix in fixes.values() for t in terms(fix)] + chinese:
        wanted.setdefault(term, 1.0)
    return list(wanted.items())
