"""“Did you mean …?” for English typos, from the index's own vocabulary.

Only words the index has never seen are corrected, and only to words it holds
(unstemmed, in the `spell` field), so a correction can never lead to an empty page
for a reason the customer cannot see. Closest edit distance wins, then the word
found in more documents. Only documents the reader may see count: a word found only in
drafts, archived or internal articles is never suggested (nor its existence hinted).
"""
from __future__ import annotations

import re

from whoosh.support.levenshtein import damerau_levenshtein


def _max_distance(word: str) -> int:
    return 1 if len(word) <= 4 else 2


def _visible_frequency(reader, word: str, visible) -> int:
    """In how many documents the reader may see (`visible[docnum]`) the word occurs."""
    if not reader.doc_frequency("spell", word):
        return 0
    return sum(1 for docnum in reader.postings("spell", word).all_ids() if visible[docnum])


def correct_word(reader, word: str, visible) -> str | None:
    """The word of a visible document closest to an unknown `word`, or None."""
    if _visible_frequency(reader, word, visible):
        return None
    limit = _max_distance(word)
    candidates = []
    for candidate in reader.terms_within("spell", word, limit, prefix=1):
        distance = damerau_levenshtein(word, candidate)
        frequency = _visible_frequency(reader, candidate, visible) if distance <= limit else 0
        if frequency:
            candidates.append((distance, -frequency, candidate))
    return min(candidates)[2] if candidates else None


def suggest_query(reader, text: str, words, visible) -> str | None:
    """`text` with each unknown English word replaced by its correction, if any changed;
    `visible` is a mask of the documents this reader may see."""
    corrected = text
    for word in words:
        replacement = correct_word(reader, word, visible)
        if replacement:
            pattern = re.compile(r"(?<![A-Za-z])" + re.escape(word) + r"(?![A-Za-z])", re.I)
            corrected = pattern.sub(replacement, corrected)
    return corrected if corrected != text else None
