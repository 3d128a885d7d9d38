"""The suggestion engine: which questions keep coming back, and what to do about each.

Plain Python with NumPy and scikit-learn, no Flask or SQL, so the same code runs in the
web app, the CLI and a batch job. The steps, each in its own module:

1. fold every text to one script and case, and collapse identical folded texts;
2. vectorise them (word and character TF-IDF, then LSA unless the batch is tiny);
3. group them by average linkage with a similarity threshold;
4. join groups that the same existing article anchor answers closely;
5. leave groups of fewer than MIN_GROUP_SIZE texts as noise (-1);
6. describe, match and rank what is left.

docs/suggestions.md explains the choices and the measurements behind them.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from portal.suggestions.engine.articles import (
    anchor_similarity,
    article_segments,
    group_scores,
    join_through_articles,
    nearest_and_action,
)
from portal.suggestions.engine.describe import resolve_now, summarise
from portal.suggestions.engine.features import grouping_vectors, tfidf_vectors
from portal.text.fold import fold
from portal.suggestions.engine.jsonl import SignalFormatError, read_jsonl
from portal.suggestions.engine.linkage import average_linkage
from portal.suggestions.engine.records import ArticleRef, Group, Nearest, Signal, SuggestionResult

__all__ = [
    "ArticleRef", "Group", "Nearest", "Signal", "SignalFormatError", "SuggestionResult",
    "cluster", "read_jsonl",
]

LATENT_GROUP_SIMILARITY = 0.45
EXACT_GROUP_SIMILARITY = 0.35
MIN_GROUP_SIZE = 2


@dataclass
class _Batch:
    """The signals with identical folded texts collapsed: what grouping works on."""

    signals: list[Signal]
    distinct: list[str]          # sorted distinct folded texts
    text_of_signal: np.ndarray   # index into distinct per signal, -1 for an empty text
    counts: np.ndarray           # signals per distinct text

    @classmethod
    def collapse(cls, signals: list[Signal]) -> "_Batch":
        folded_of_signal = _fold_all(signals)
        distinct = sorted(set(folded_of_signal) - {""})
        position = {text: index for index, text in enumerate(distinct)}
        text_of_signal = np.array([position.get(text, -1) for text in folded_of_signal],
                                  dtype=np.int64)
        counts = np.bincount(text_of_signal[text_of_signal >= 0], minlength=len(distinct))
        return cls(signals, distinct, text_of_signal, counts)

    def signals_of_text(self) -> list[list[Signal]]:
        grouped: list[list[Signal]] = [[] for _ in self.distinct]
        for signal, text in zip(self.signals, self.text_of_signal.tolist()):
            if text >= 0:
                grouped[text].append(signal)
        return grouped


def cluster(signals: Sequence[Signal], articles: Sequence[ArticleRef] = (),
            now: datetime | None = None,
            progress: Callable[[str], None] | None = None) -> SuggestionResult:
    """Group the signals into recurring questions, ranked by the searches they would save.

    The result is the same for the same input. `now` anchors the 7-day trend (default:
    the latest signal time, else the current UTC time); `progress` receives one short
    line per step, for a CLI or a log.
    """
    report = progress or (lambda message: None)
    articles = list(articles)
    report(f"folding {len(signals)} texts")
    batch = _Batch.collapse(list(signals))
    if not batch.distinct:
        return SuggestionResult([-1] * len(batch.signals), [])

    report(f"vectorising {len(batch.distinct)} distinct texts")
    segments, owners = article_segments(articles)
    matrix = tfidf_vectors(batch.distinct + segments)
    text_matrix, segment_matrix = matrix[:len(batch.distinct)], matrix[len(batch.distinct):]
    vectors, reduced = grouping_vectors(text_matrix)

    report("grouping")
    threshold = LATENT_GROUP_SIMILARITY if reduced else EXACT_GROUP_SIMILARITY
    labels = average_linkage(vectors, batch.counts, threshold)
    text_scores = anchor_similarity(text_matrix, segment_matrix, owners, len(articles))
    labels = join_through_articles(labels, batch.counts, text_scores)
    labels = _drop_small_groups(labels, batch.counts)

    report(f"describing {labels.max() + 1} groups")
    groups = _describe(batch, labels, vectors, group_scores(labels, batch.counts, text_scores),
                       articles, resolve_now(now, batch.signals))
    ranked = sorted(range(len(groups)), key=lambda label: groups[label][0])
    rank_of_label = np.empty(len(groups) + 1, dtype=np.int64)
    rank_of_label[ranked] = np.arange(len(ranked))
    rank_of_label[-1] = -1  # noise (label -1) indexes this last slot and stays -1
    for rank, label in enumerate(ranked):
        groups[label][1].id = rank
    rank_of_text = rank_of_label[labels]
    assignments = [int(rank_of_text[text]) if text >= 0 else -1 for text in batch.text_of_signal]
    return SuggestionResult(assignments, [groups[label][1] for label in ranked])


def _fold_all(signals: Sequence[Signal]) -> list[str]:
    """Folded text per signal; texts without a letter, digit or ideograph fold to ""."""
    cache: dict[str, str] = {}
    for signal in signals:
        if signal.text not in cache:
            folded = fold(signal.text or "")
            cache[signal.text] = folded if any(ch.isalnum() for ch in folded) else ""
    return [cache[signal.text] for signal in signals]


def _drop_small_groups(labels: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Renumber groups of at least MIN_GROUP_SIZE texts 0..k-1; the rest become -1."""
    totals = np.bincount(labels, weights=counts)
    kept = totals[labels] >= MIN_GROUP_SIZE
    renumbered = np.full(len(labels), -1)
    renumbered[kept] = np.unique(labels[kept], return_inverse=True)[1]
    return renumbered


def _describe(batch: _Batch, labels: np.ndarray, vectors: np.ndarray, scores: np.ndarray,
              articles: list[ArticleRef], now: datetime) -> list[tuple[tuple, Group]]:
    """(rank key, Group) for each group label 0..k-1, in label order; ids are set once ranked."""
    signals_of_text = batch.signals_of_text()
    grouped = np.flatnonzero(labels >= 0)
    order = grouped[np.argsort(labels[grouped], kind="stable")]
    boundaries = np.flatnonzero(np.diff(labels[order])) + 1
    members_of_label = np.split(order, boundaries) if len(order) else []
    described = []
    for texts in members_of_label:
        weights = batch.counts[texts].astype(np.float64)
        centrality = vectors[texts] @ (weights @ vectors[texts] / weights.sum())
        summary = summarise([signals_of_text[t] for t in texts], [batch.distinct[t] for t in texts],
                            centrality.tolist(), now)
        nearest, action = nearest_and_action(scores[labels[texts[0]]], articles)
        described.append((summary.rank(), Group(
            id=-1, title=summary.title, size=summary.size, weight=summary.weight,
            phrasings=summary.phrasings, nearest=nearest, action=action,
            sessions=summary.sessions, trend=summary.trend, key=summary.key,
        )))
    return described
