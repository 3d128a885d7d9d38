"""“Did you mean …?” for English typos, from the index's own vocabulary.

Only words the index has never seen are corrected, and only to words it holds
(unstemmed, in the `spell` field), so a correction can never lead to an empty page
for a reason the customer cannot see. Closest edit distance wins, then the word
found in more documents.
"""
from __future__ import annotations

import re

from whoosh.support.levenshtein import damerau_levenshtein


def _max_distance(word: str) -> int:
    return 1 if len(word) <= 4 else 2


def correct_word(reader, word: str) -> str | None:
    """The indexed word closest to an unknown `word`, or None."""
    if reader.doc_frequency("spell", word):
        return None
    limit = _max_distance(word)
    candidates = []
    for candidate in reader.terms_within("spell", word, limit, prefix=1):
        distance = damerau_levenshtein(word, candidate)
        if distance <= limit:
            candidates.append((distance, -reader.doc_frequency("spell", candidate), candidate))
    return min(candidates)[2] if candidates else None


def suggest_query(reader, text: str, words) -> str | None:
    """`text` with each unknown English word replaced by its correction, if any changed."""
    corrected = text
    for word in words:
        replacement = correct_word(reader, word)
        if replacement:
            pattern = re.compile(r"(?<![A-Za-z])" + re.escape(word) + r"(?![A-Za-z])", re.I)
            corrected = pattern.sub(replacement, corrected)
    return corrected if corrected != text else None
