"""How sure the engine is that its best hit answers the query: a score in [0, 1].

The score is the geometric mean of two coverages, both weighted by idf (how telling a word is):
how much of the query the best hit holds (its BM25 score over the query's ceiling, see
Ranker.ceiling) and how much of the best hit's heading — its question, or its title —
the query asks about. The first alone is fooled by a long answer that mentions the
query's topic in passing; the second by a heading that shares one common word with the
query (申请 in 如何申请退款 for 打印机卡纸了怎么申请): the geometric mean needs both.
Measured with `bench/eval_search.py --protocol abstention` (docs/performance.md): on
StackFAQ it separates answerable from unanswerable queries better than either part.

Both parts are ratios of sums of the same idfs, so corpus size and query length move
them little and one threshold (engine.CONFIDENT_FROM) serves every help centre.
"""
from __future__ import annotations

import math

from portal.search.whoosh.analysis import terms
from portal.search.whoosh.ranking import Ranker


def confidence(ranker: Ranker, clauses: list[tuple[str, float]], best: float,
               heading: str) -> float:
    """The confidence that the hit scoring `best`, headed `heading`, answers the query."""
    ceiling = ranker.ceiling(clauses)
    if ceiling <= 0 or best <= 0:
        return 0.0
    held = min(1.0, best / ceiling)
    asked = {term for term, _ in clauses}
    weights = {term: ranker.idf(term) for term in terms(heading)}
    total = sum(weights.values())
    covered = sum(w for term, w in weights.items() if term in asked) / total if total else held
    return math.sqrt(held * covered)
