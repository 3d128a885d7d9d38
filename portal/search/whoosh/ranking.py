"""How matches are scored: Okapi BM25 over the `all` field, summed with numpy.

Whoosh finds the postings; adding them up is done here. Whoosh's matcher tree scores
one posting at a time in Python (3–10 µs each), which put Chinese queries — many
terms, some in half the articles — at 100–300 ms on 10k entries. Here each term's
per-document BM25 contribution is computed once per index generation from its
postings, cached, and a query adds a handful of cached arrays: a few milliseconds.

The idf is Okapi's, log(1 + (N − df + 0.5) / (df + 0.5)), which falls towards zero for
words found almost everywhere (保险 in an insurance help centre); Whoosh's stock
log(N / (df + 1)) + 1 never drops below 1 and lets such words drown rare ones.

Proximity: among the PROXIMITY_TOP best candidates, a document holding two consecutive
query words next to each other (申请 退款, "delete account") gains PROXIMITY_WEIGHT of
their mean idf, saturated like a term frequency. Positions are read for those few
documents only, and only where both words of a pair are held, so it costs a few
milliseconds (bench/proximity_cost.py). Chosen on half A of the dev queries
(bench/eval_search.py, docs/performance.md). Sub-words share their word's position,
so two query words that are sub-words of one longer word in the document (医疗 保险 in
医疗保险) are not counted as side by side.

The ceiling of a query (the score of a document holding every query word with saturated
term frequency; an unseen word keeps its full idf) is what confidence.py measures the
best hit against.
"""
from __future__ import annotations

import bisect

import numpy as np
from cachetools import LRUCache

K1 = 1.2          # term-frequency saturation
B = 0.75          # length normalisation of the combined `all` field
FIELD = "all"
CACHE_BYTES = 64 * 1024 * 1024
PROXIMITY_TOP = 10       # candidates re-scored for adjacent query words (30: same P@1 on half A)
PROXIMITY_WEIGHT = 0.35  # share of a pair's mean idf (× saturated count) added


class Ranker:
    """Scores of one searcher's documents; built per index generation, not thread-safe."""

    def __init__(self, searcher):
        self._searcher = searcher
        self._reader = searcher.reader()
        self.size = self._reader.doc_count_all()
        self._lengths: np.ndarray | None = None
        self._average = searcher.avg_field_length(FIELD) or 1.0
        self._terms: LRUCache = LRUCache(CACHE_BYTES, getsizeof=lambda v: v[0].nbytes * 2)

    def _field_lengths(self) -> np.ndarray:
        if self._lengths is None:
            length = self._searcher.doc_field_length
            self._lengths = np.fromiter((length(d, FIELD, 0) for d in range(self.size)),
                                        dtype=np.float32, count=self.size)
        return self._lengths

    def idf(self, term: str) -> float:
        """Okapi idf of `term` in the scored field (full weight for an unseen term)."""
        frequency = self._reader.doc_frequency(FIELD, term)
        return float(np.log1p((self.size - frequency + 0.5) / (frequency + 0.5)))

    def contributions(self, term: str) -> tuple[np.ndarray, np.ndarray]:
        """(document numbers, BM25 score) of one term, from the cache when possible."""
        cached = self._terms.get(term)
        if cached is not None:
            return cached
        ids, weights = [], []
        if self._reader.doc_frequency(FIELD, term):
            matcher = self._reader.postings(FIELD, term)
            while matcher.is_active():
                ids.append(matcher.id())
                weights.append(matcher.weight())
                matcher.next()
        docs = np.array(ids, dtype=np.int64)
        tf = np.array(weights, dtype=np.float32)
        idf = self.idf(term)
        norm = K1 * (1 - B + B * self._field_lengths()[docs] / self._average)
        result = (docs, (idf * tf * (K1 + 1) / (tf + norm)).astype(np.float32))
        self._terms[term] = result
        return result

    def scores(self, clauses: list[tuple[str, float]]) -> np.ndarray:
        """Summed, boosted BM25 of every document for the (term, boost) clauses."""
        total = np.zeros(self.size, dtype=np.float32)
        for term, boost in clauses:
            docs, contribution = self.contributions(term)
            total[docs] += boost * contribution
        return total

    def add_proximity(self, words: list[str], scores: np.ndarray,
                      candidates: np.ndarray) -> None:
        """Add to `scores`, in place, the proximity bonus of the best PROXIMITY_TOP
        `candidates` for each pair of consecutive query `words` they hold side by side."""
        pairs = [(a, b) for a, b in zip(words, words[1:]) if a != b]
        if not pairs or not len(candidates):
            return
        docs = sorted(top(scores, candidates, PROXIMITY_TOP))
        needed: dict[str, set[int]] = {}
        for a, b in pairs:  # positions are read only where both words of a pair are held
            both = {doc for doc in docs if self.holds(a, doc) and self.holds(b, doc)}
            needed.setdefault(a, set()).update(both)
            needed.setdefault(b, set()).update(both)
        where = {word: self._positions(word, sorted(held)) for word, held in needed.items()}
        bonus = np.zeros(len(docs), dtype=np.float32)
        for a, b in pairs:
            weight = PROXIMITY_WEIGHT * (self.idf(a) + self.idf(b)) / 2
            for i, doc in enumerate(docs):
                first, second = where[a].get(doc), where[b].get(doc)
                if first and second:
                    follow = set(second)
                    count = sum(1 for position in first if position + 1 in follow)
                    if count:
                        bonus[i] += weight * count * (K1 + 1) / (count + K1)
        scores[np.array(docs, dtype=np.int64)] += bonus

    def _positions(self, term: str, docs: list[int]) -> dict[int, list[int]]:
        """Positions of `term` in each of the (ascending) `docs` that holds it, read
        segment by segment."""
        found: dict[int, list[int]] = {}
        if not self._reader.doc_frequency(FIELD, term):
            return found
        for leaf, base in self._reader.leaf_readers():
            start = bisect.bisect_left(docs, base)
            end = bisect.bisect_left(docs, base + leaf.doc_count_all())
            if start == end or not leaf.doc_frequency(FIELD, term):
                continue
            matcher = leaf.postings(FIELD, term)
            matcher = getattr(matcher, "child", matcher)  # deletions: our docs are live
            for doc in docs[start:end]:
                if not _seek(matcher, doc - base):
                    if not matcher.is_active():
                        break
                    continue
                found[doc] = matcher.value_as("positions")
        return found

    def ceiling(self, clauses: list[tuple[str, float]]) -> float:
        """The best score the clauses could give: every term held, tf saturated."""
        return sum(boost * self.idf(term) * (K1 + 1) for term, boost in clauses)

    def holds(self, term: str, docnum: int) -> bool:
        """Whether document `docnum` holds `term` (postings are in document order)."""
        docs, _ = self.contributions(term)
        at = int(np.searchsorted(docs, docnum))
        return at < len(docs) and int(docs[at]) == docnum

    def mask(self, docnums) -> np.ndarray:
        """A boolean array marking `docnums`."""
        marked = np.zeros(self.size, dtype=bool)
        marked[np.fromiter(docnums, dtype=np.int64)] = True
        return marked


def _seek(matcher, target: int) -> bool:
    """Move `matcher` to the first posting at or after `target`; whether it is `target`.

    Whoosh's skip_to steps through a block one posting at a time in Python (most of
    the proximity's cost on words found in most documents); with a W3 block matcher
    the block is found by its maximum id and the posting by bisection. Any other
    matcher uses skip_to."""
    if not matcher.is_active():
        return False
    if not hasattr(matcher, "_skip_to_block") or not hasattr(matcher, "_ids"):
        if matcher.id() < target:
            matcher.skip_to(target)
        return matcher.is_active() and matcher.id() == target
    if target > matcher.block_max_id():
        matcher._skip_to_block(lambda: target > matcher.block_max_id())
        if not matcher.is_active():
            return False
    if matcher._ids is None:
        matcher._read_ids()
    matcher._i = bisect.bisect_left(matcher._ids, target, matcher._i)
    return matcher._ids[matcher._i] == target


def top(scores: np.ndarray, candidates: np.ndarray, count: int) -> list[int]:
    """The `count` best of the (ascending) candidate document numbers, best first.

    Ties are broken by document number, also at the cut, so consecutive pages never
    repeat or skip a document.
    """
    if count <= 0 or not len(candidates):
        return []
    picked = candidates
    if len(candidates) > count:
        values = scores[candidates]
        threshold = -np.partition(-values, count - 1)[count - 1]
        above = candidates[values > threshold]
        tied = candidates[values == threshold]  # ascending, like candidates
        picked = np.concatenate([above, tied[:count - len(above)]])
    order = np.lexsort((picked, -scores[picked]))
    return [int(d) for d in picked[order]]
