"""Comparing groups with existing articles, and what ops should do about each group.

An article anchor is split into lines and sentences (its question, each alias, the
start of the answer), and a text's similarity to the anchor is its best cosine with any
of them in the sparse TF-IDF space. A short query then meets the one alias that says
the same thing instead of being diluted by the whole answer.

A group's score for an anchor is the mean of its texts' scores (weighted by how often
each was typed), the same "average" notion the grouping uses. Groups whose best anchor
is the same and close are one question that the help centre already knows, typed in
different words or languages, so they are joined: that is what lets an English
phrasing meet its Chinese twins when an anchor carries both.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

from portal.text.fold import fold
from portal.suggestions.engine.records import ArticleRef, Nearest

CLOSE_SCORE = 0.3
UNHELPFUL_RATIO_FOR_UPDATE = 0.4
ROWS_PER_BLOCK = 1024

ADD_ALIASES = "add_aliases"
UPDATE = "update"
NEW_ARTICLE = "new_article"

_SENTENCE_BREAK = re.compile(r"[\r\n]+|(?<=[。！？；!?;])|(?<=[.])\s+")


def article_segments(articles: Sequence[ArticleRef]) -> tuple[list[str], np.ndarray]:
    """Folded lines and sentences of every anchor, and the anchor index of each."""
    segments: list[str] = []
    owners: list[int] = []
    for index, article in enumerate(articles):
        for piece in _SENTENCE_BREAK.split(article.text or ""):
            folded = fold(piece)
            if folded:
                segments.append(folded)
                owners.append(index)
    return segments, np.asarray(owners, dtype=np.int64)


def anchor_similarity(texts: sp.csr_matrix, segments: sp.csr_matrix, owners: np.ndarray,
                      anchor_count: int) -> np.ndarray:
    """Each text's best cosine with any segment of each anchor (texts × anchors)."""
    scores = np.zeros((texts.shape[0], anchor_count), dtype=np.float32)
    if not len(owners):
        return scores
    starts = np.flatnonzero(np.r_[True, owners[1:] != owners[:-1]])
    segments_t = segments.T.tocsc()
    for start in range(0, texts.shape[0], ROWS_PER_BLOCK):
        block = (texts[start:start + ROWS_PER_BLOCK] @ segments_t).toarray()
        best_per_anchor = np.maximum.reduceat(block, starts, axis=1)
        scores[start:start + len(block), owners[starts]] = best_per_anchor
    return scores


def group_scores(labels: np.ndarray, counts: np.ndarray, text_scores: np.ndarray) -> np.ndarray:
    """Count-weighted mean anchor score of each group 0..k-1 (groups × anchors); -1 is skipped."""
    grouped = np.flatnonzero(labels >= 0)
    group_count = labels.max() + 1 if len(labels) else 0
    membership = sp.csr_matrix((counts[grouped].astype(np.float64), (labels[grouped], grouped)),
                               shape=(group_count, len(labels)))
    totals = np.asarray(membership.sum(axis=1))
    return np.asarray(membership @ text_scores) / np.maximum(totals, 1)


def join_through_articles(labels: np.ndarray, counts: np.ndarray,
                          text_scores: np.ndarray) -> np.ndarray:
    """Merge the groups whose best anchor is the same and at least CLOSE_SCORE."""
    if not text_scores.shape[1] or not len(labels):
        return labels
    scores = group_scores(labels, counts, text_scores)
    best = scores.argmax(axis=1)
    close = scores[np.arange(len(scores)), best] >= CLOSE_SCORE
    new_label = np.arange(len(scores))
    first_group_of_anchor: dict[int, int] = {}
    for group in np.flatnonzero(close):
        new_label[group] = first_group_of_anchor.setdefault(int(best[group]), int(group))
    return np.unique(new_label, return_inverse=True)[1][labels]


def nearest_and_action(scores: np.ndarray,
                       articles: Sequence[ArticleRef]) -> tuple[Nearest | None, str]:
    """The best anchor for one group (by its row of group scores) and the proposed action.

    Close and well rated: the article already answers it, so searches miss it only for
    want of words: add the phrasings as aliases. Close but often marked unhelpful: the
    answer itself falls short: update it. Nothing close: write a new article.
    """
    if not len(scores) or scores.max() <= 0:
        return None, NEW_ARTICLE
    best = int(scores.argmax())
    article = articles[best]
    nearest = Nearest(article.article, article.anchor, round(float(scores[best]), 4))
    if nearest.score < CLOSE_SCORE:
        return nearest, NEW_ARTICLE
    if article.unhelpful_ratio >= UNHELPFUL_RATIO_FOR_UPDATE:
        return nearest, UPDATE
    return nearest, ADD_ALIASES
