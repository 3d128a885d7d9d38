"""“Did you mean …?” for English typos: the query with its corrected words in place.

The corrections come from expansion.py (only visible, indexed words; closest edit
distance wins, then the word found in more documents); the search has already used
them, so the suggestion tells the customer what was searched.
"""
from __future__ import annotations

import re


def suggest_query(text: str, fixes: dict[str, str]) -> str | None:
    """`text` with each misspelt English word replaced by its correction, if any."""
    corrected = text
    for word, replacement in fixes.items():
        pattern = re.compile(r"(?<![A-Za-z])" + re.escape(word) + r"(?![A-Za-z])", re.I)
        corrected = pattern.sub(replacement, corrected)
    return corrected if corrected != text else None
