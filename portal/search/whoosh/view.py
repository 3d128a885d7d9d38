"""One open searcher and what is derived from it once per index generation.

Filters (audience, status, language) and categories become boolean masks, and the
index's Chinese words a pinyin lookup table and its English words a list, the first time they are asked for, via Whoosh filter queries; scores come from the Ranker. All
of it is dropped with the searcher when the index changes.
"""
from __future__ import annotations

import numpy as np

from portal.search.whoosh import expansion, querying
from portal.search.whoosh.ranking import Ranker


class SearcherView:
    """Masks and scores over one searcher's document numbers (use under one lock)."""

    def __init__(self, searcher):
        self.searcher = searcher
        self.ranker = Ranker(searcher)
        self._filters: dict[tuple, np.ndarray] = {}
        self._categories: tuple[list[str], np.ndarray] | None = None
        self._spellings: expansion.Spellings | None = None
        self._vocabulary: list[str] | None = None

    def vocabulary(self) -> list[str]:
        """The English words the index holds (for corrections), read on first use."""
        if self._vocabulary is None:
            self._vocabulary = expansion.spelling_vocabulary(self.searcher.reader())
        return self._vocabulary

    def spellings(self) -> expansion.Spellings:
        """Pinyin and initials → indexed Chinese words (expansion.pinyin_index), built on first use."""
        if self._spellings is None:
            self._spellings = expansion.pinyin_index(self.searcher.reader())
        return self._spellings

    def docs_mask(self, query) -> np.ndarray:
        """Documents matching a Whoosh query, as a mask."""
        return self.ranker.mask(self.searcher.docs_for_query(query))

    def filter_mask(self, audiences, statuses, lang=None) -> np.ndarray:
        """Documents the caller may see (cached per filter combination)."""
        key = (audiences, statuses, lang)
        if key not in self._filters:
            self._filters[key] = self.docs_mask(querying.filter_query(audiences, statuses, lang))
        return self._filters[key]

    def _category_codes(self) -> tuple[list[str], np.ndarray]:
        if self._categories is None:
            reader = self.searcher.reader()
            names: list[str] = []
            codes = np.full(self.ranker.size, -1, dtype=np.int64)
            for value in reader.lexicon("category"):
                docs = list(reader.postings("category", value).all_ids())
                if docs:
                    codes[np.array(docs, dtype=np.int64)] = len(names)
                    names.append(value.decode("utf-8"))
            self._categories = (names, codes)
        return self._categories

    def facets(self, matched: np.ndarray) -> dict[str, int]:
        """Matched documents per category (categories without matches left out)."""
        names, codes = self._category_codes()
        picked = codes[matched]
        counts = np.bincount(picked[picked >= 0], minlength=len(names))
        return {names[i]: int(n) for i, n in enumerate(counts) if n}

    def category_mask(self, category: str) -> np.ndarray:
        """Documents of one category."""
        names, codes = self._category_codes()
        if category not in names:
            return np.zeros(self.ranker.size, dtype=bool)
        return codes == names.index(category)
