"""Turn what a customer typed into terms and Whoosh queries, never parsing it as syntax.

The only syntax honoured is double quotes ("…", “…”, 「…」, 『…』) for a phrase that
must appear in order. Everything else — AND/OR/NOT, *, ?, field:value, brackets — is
just text that goes through the analyzer, so no input can raise a parse error or
reach a field the customer should not choose. Any term may match (requiring all of
them makes Chinese search useless); BM25 adds up the terms a document holds, so more
of the query ranks higher. Whoosh's extra coordination bonus (Or scale=0.9) was
measured with bench/eval_search.py: no gain, twice the matching time.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from whoosh import query as wq

from portal.search.base import MAX_QUERY_CHARS
from portal.search.whoosh.analysis import english_words, query_forms, subword_terms, terms

_QUOTED = re.compile(r'"([^"]*)"|“([^”]*)”|「([^」]*)」|『([^』]*)』')
_STRAY_QUOTES = re.compile(r'["“”「」『』]')

SUB_BOOST = 0.5  # a sub-word match counts half a whole word (bench/eval_search.py)


@dataclass(frozen=True)
class ParsedQuery:
    """The analysed pieces of one query string."""

    text: str                          # cleaned, cut to MAX_QUERY_CHARS
    phrases: tuple[tuple[tuple[str, ...], ...], ...]   # per phrase: its term lists per form
    terms: tuple[str, ...]             # free terms of every form, de-duplicated
    subterms: tuple[str, ...]          # sub-words of long Chinese words, for partial matches
    words: tuple[str, ...]             # unstemmed English words, for spelling correction


def _unique(items) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def parse(text: str) -> ParsedQuery:
    """Analyse `text` (any string at all) into phrases, terms and spelling words."""
    text = (text or "")[:MAX_QUERY_CHARS]
    forms = query_forms(text)
    quoted = [[m.group(m.lastindex) for m in _QUOTED.finditer(form)] for form in forms]
    rests = [_STRAY_QUOTES.sub(" ", _QUOTED.sub(" ", form)) for form in forms]
    phrases = []
    for index in range(len(quoted[0])):
        per_form = _unique(tuple(terms(q[index])) for q in quoted if index < len(q))
        if any(per_form):
            phrases.append(tuple(form for form in per_form if form))
    found: list[str] = []
    words: list[str] = []
    subterms: list[str] = []
    for rest in rests:
        rest_terms = terms(rest)
        found.extend(rest_terms)
        words.extend(english_words(rest))
        subterms.extend(subword_terms(rest_terms))
    return ParsedQuery(forms[0], tuple(phrases), _unique(found),
                       _unique(subterms), _unique(words))


def clauses(parsed: ParsedQuery) -> list[tuple[str, float]]:
    """(term, boost) pairs to score: every analysed word of the query, and at a lower
    weight the sub-words of its longer words (长期护理 also looks for 长期, 护理).
    Words inside quotes count too, so phrase matches are ranked by them."""
    wanted = dict.fromkeys(parsed.terms, 1.0)
    for forms in parsed.phrases:
        for form in forms:
            wanted.update(dict.fromkeys(form, 1.0))
    for term in parsed.subterms:
        wanted.setdefault(term, SUB_BOOST)
    return list(wanted.items())


def phrase_queries(parsed: ParsedQuery) -> list[wq.Query]:
    """One Whoosh query per quoted phrase; a document must match all of them.
    Each matches the phrase in any of the query's script forms."""
    return [wq.Or([wq.Phrase("all", list(form)) if len(form) > 1 else wq.Term("all", form[0])
                   for form in forms])
            for forms in parsed.phrases]


def filter_query(audiences, statuses, lang=None) -> wq.Query:
    """The documents a caller may see: chosen by code, never by the query text."""
    required = [
        wq.Or([wq.Term("audience", value) for value in audiences]),
        wq.Or([wq.Term("status", value) for value in statuses]),
    ]
    if lang:
        required.append(wq.Term("lang", lang))
    return wq.And(required)
