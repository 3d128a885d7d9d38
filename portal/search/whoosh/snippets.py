"""Result snippets: a short window of the answer with the query's terms marked.

Terms are found as substrings of the folded text (NFKC, simplified, lower case), whose
offsets map back to the original, so 帳號 is marked when the customer typed 账号. An
English match must start a word and is extended to the word's end, so the stem
"refund" marks all of "refunds". No segmentation runs here: snippets cost
microseconds, not a jieba pass per hit. Output is always escaped text; only <mark> is
added.
"""
from __future__ import annotations

import html
import re

from portal.search.whoosh.analysis import normalise

SNIPPET_CHARS = 160
_SCAN_CHARS = 4000  # longer answers are scanned in their first part only
_SPACE = re.compile(r"\s+")
_WORD_END = re.compile(r"[0-9a-z]*")


def _spans(text: str, wanted: set[str]) -> list[tuple[int, int]]:
    """Non-overlapping (start, end) offsets in `text` of every wanted term."""
    folded, offsets = normalise(text)
    lowered = folded.lower()
    if len(lowered) != len(folded):
        lowered = folded
    found = []
    for term in wanted:
        ascii_term = term.isascii()
        at = lowered.find(term)
        while at != -1 and len(found) < 200:
            end = at + len(term)
            if ascii_term:
                if at > 0 and lowered[at - 1].isalnum():
                    at = lowered.find(term, end)
                    continue
                end = _WORD_END.match(lowered, end).end()
            found.append((at, end))
            at = lowered.find(term, end)
    found.sort(key=lambda span: (span[0], -span[1]))
    spans, cursor = [], 0
    for start, end in found:
        if start >= cursor:
            spans.append((offsets[start], offsets[end]) if offsets else (start, end))
            cursor = end
    return spans


def _window(length: int, spans: list[tuple[int, int]], width: int) -> tuple[int, int]:
    """The `width`-character window holding the most matched spans."""
    if not spans:
        return 0, min(length, width)
    best_start, best_count, last = spans[0][0], 0, 0
    for first, (start, _) in enumerate(spans):
        while last < len(spans) and spans[last][1] <= start + width:
            last += 1
        if last - first > best_count:
            best_start, best_count = start, last - first
    start = best_start - min(best_start, width // 4)
    return start, min(length, start + width)


def snippet(text: str, wanted: set[str], width: int = SNIPPET_CHARS) -> str:
    """Escaped HTML of the best window of `text`, with matched terms in <mark>."""
    text = _SPACE.sub(" ", text[:_SCAN_CHARS]).strip()
    spans = _spans(text, wanted) if wanted else []
    start, end = _window(len(text), spans, width)
    out, cursor = [], start
    for s, e in spans:
        if s < cursor or e > end:
            continue
        out.append(html.escape(text[cursor:s]))
        out.append("<mark>" + html.escape(text[s:e]) + "</mark>")
        cursor = e
    out.append(html.escape(text[cursor:end]))
    return ("…" if start > 0 else "") + "".join(out) + ("…" if end < len(text) else "")
