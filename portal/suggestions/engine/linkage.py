"""Average-linkage grouping with a similarity threshold, fast enough for 20,000 texts.

Average linkage keeps merging the two groups whose texts are, on average, most similar,
and stops when no pair of groups reaches `min_similarity`. So the number of groups
follows from the data, and a text like nothing else stays alone.

It gives the same partition as scikit-learn's
AgglomerativeClustering(metric="cosine", linkage="average", distance_threshold=1 - s),
which needs about a minute and several GB for 20,000 texts on two cores. Two facts make
this version fast and small:

* For unit vectors the mean pairwise cosine between groups A and B equals
  mean(A) · mean(B), so a group is just a running sum of vectors and a size.
* Average linkage is reducible, so every pair of mutual nearest neighbours can be merged
  in the same round without changing the result, and a group's nearest neighbour only
  needs recomputing when it or its neighbour merged.

Sizes are the number of input texts behind each vector, so collapsed duplicates count
as often as they were typed.
"""
from __future__ import annotations

import numpy as np

ROWS_PER_BLOCK = 2048


def average_linkage(vectors: np.ndarray, sizes: np.ndarray, min_similarity: float) -> np.ndarray:
    """Group label (0..k-1) for each unit-length row of `vectors`, weighted by `sizes`."""
    count = len(vectors)
    if count < 2:
        return np.zeros(count, dtype=np.int64)
    totals = np.asarray(sizes, dtype=np.float64).copy()
    sums = vectors.astype(np.float64) * totals[:, None]
    parent = np.arange(count)
    is_open = np.ones(count, dtype=bool)
    nearest = np.full(count, -1)
    nearest_similarity = np.full(count, -np.inf)
    stale = np.arange(count)
    while True:
        _find_nearest(sums, totals, is_open, stale, nearest, nearest_similarity)
        is_open &= nearest_similarity >= min_similarity
        open_ids = np.flatnonzero(is_open)
        partners = nearest[open_ids]
        mutual = is_open[partners] & (nearest[partners] == open_ids) & (open_ids < partners)
        keepers = open_ids[mutual]
        if len(keepers) == 0:
            break
        absorbed = nearest[keepers]
        sums[keepers] += sums[absorbed]
        totals[keepers] += totals[absorbed]
        parent[absorbed] = keepers
        is_open[absorbed] = False
        merged = np.zeros(count, dtype=bool)
        merged[keepers] = merged[absorbed] = True
        open_ids = np.flatnonzero(is_open)
        partners = nearest[open_ids]
        stale = open_ids[merged[open_ids] | merged[partners] | ~is_open[partners]]
    return _labels(parent)


def _find_nearest(sums, totals, is_open, rows, nearest, nearest_similarity) -> None:
    """Recompute, for the given groups, the most similar other open group."""
    open_ids = np.flatnonzero(is_open)
    means = (sums[open_ids] / totals[open_ids, None]).astype(np.float32)
    position = np.full(len(sums), -1)
    position[open_ids] = np.arange(len(open_ids))
    for start in range(0, len(rows), ROWS_PER_BLOCK):
        block = rows[start:start + ROWS_PER_BLOCK]
        similarity = means[position[block]] @ means.T
        index = np.arange(len(block))
        similarity[index, position[block]] = -np.inf
        best = similarity.argmax(axis=1)
        nearest[block] = open_ids[best]
        nearest_similarity[block] = similarity[index, best]


def _labels(parent: np.ndarray) -> np.ndarray:
    """Follow merge links to each root and number the roots in index order."""
    roots = parent.copy()
    while True:
        hop = roots[roots]
        if np.array_equal(hop, roots):
            break
        roots = hop
    return np.unique(roots, return_inverse=True)[1]
