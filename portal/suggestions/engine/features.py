"""Turning folded texts into vectors whose cosine says "asked the same thing".

Two TF-IDF blocks with sublinear tf, each L2-normalised, the character block weighted
CHARACTER_WEIGHT times the word block, then joined and normalised again:

* words: jieba words for Chinese runs, English words without stop words, as uni- and
  bigrams; they carry the meaning when phrasing is close.
* character grams: Chinese 1–2-grams and English 2–4-grams inside words; they survive
  word-segmentation mistakes, typos and inflection (refund / refunds / refunded).

For grouping, batches are reduced with TruncatedSVD (latent semantic analysis), which
lets short texts that share few grams but share context meet; only tiny batches, too
small to learn that context from, are compared in the exact TF-IDF space. A big batch
holds more distinct questions than 100 dimensions can keep apart, so past 2,500 texts
the dimensions grow with the square root of the batch (2·√n, at most 300).
docs/suggestions.md has the measurements behind these choices.
"""
from __future__ import annotations

import logging
import math
import re
from collections.abc import Sequence

import jieba
import numpy as np
import scipy.sparse as sp
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
from sklearn.preprocessing import normalize

CHARACTER_WEIGHT = 1.5
LATENT_DIMENSIONS = 100       # dimensions of a batch of up to 2,500 distinct texts
MAX_LATENT_DIMENSIONS = 300   # ... growing as DIMENSIONS_PER_ROOT·√n up to this
DIMENSIONS_PER_ROOT = 2
TEXTS_PER_DIMENSION = 4
MIN_LATENT_DIMENSIONS = 10
SVD_SEED = 0
SVD_ITERATIONS = 3

_HAN = "\u3400-\u4dbf\u4e00-\u9fff"
_RUNS = re.compile(rf"([{_HAN}]+)|([^\W_{_HAN}]+)")

jieba.setLogLevel(logging.WARNING)


def word_grams(folded: str) -> list[str]:
    """Word uni- and bigrams: jieba words for Chinese, English words minus stop words."""
    words: list[str] = []
    for han, other in _RUNS.findall(folded):
        if han:
            words.extend(jieba.lcut(han))
        elif other not in ENGLISH_STOP_WORDS:
            words.append(other)
    return words + [f"{first} {second}" for first, second in zip(words, words[1:])]


def character_grams(folded: str) -> list[str]:
    """Chinese character 1–2-grams and 2–4-grams of each other word padded with spaces."""
    grams: list[str] = []
    for han, other in _RUNS.findall(folded):
        if han:
            grams.extend(han)
            grams.extend(han[i:i + 2] for i in range(len(han) - 1))
        else:
            padded = f" {other} "
            grams.extend(padded[i:i + n] for n in (2, 3, 4) for i in range(len(padded) - n + 1))
    return grams


def tfidf_vectors(documents: Sequence[str]) -> sp.csr_matrix:
    """L2-normalised sparse rows, one per folded document, in one fitted TF-IDF space."""
    blocks = []
    for analyzer, weight in ((word_grams, 1.0), (character_grams, CHARACTER_WEIGHT)):
        if any(analyzer(document) for document in documents):
            matrix = TfidfVectorizer(analyzer=analyzer, sublinear_tf=True).fit_transform(documents)
            blocks.append(weight * normalize(matrix))
    return normalize(sp.hstack(blocks, format="csr"))


def latent_dimensions(count: int) -> int:
    """The most LSA dimensions for `count` distinct texts: LATENT_DIMENSIONS, or
    DIMENSIONS_PER_ROOT·√count when that is more, at most MAX_LATENT_DIMENSIONS
    (chosen on half A of both intent sets, docs/suggestions.md)."""
    grown = int(DIMENSIONS_PER_ROOT * math.sqrt(count))
    return max(LATENT_DIMENSIONS, min(MAX_LATENT_DIMENSIONS, grown))


def grouping_vectors(matrix: sp.csr_matrix) -> tuple[np.ndarray, bool]:
    """Dense L2-normalised float32 rows for grouping, and whether LSA reduced them.

    LSA learns one dimension per TEXTS_PER_DIMENSION texts, at most
    latent_dimensions(n), from the grams that at least two texts share (a gram seen
    once links nothing, and dropping those makes the SVD several times faster). A batch too small for
    MIN_LATENT_DIMENSIONS keeps its exact TF-IDF rows: squeezing it into fewer
    dimensions would push unrelated questions together.
    """
    shared = matrix[:, np.bincount(matrix.indices, minlength=matrix.shape[1]) >= 2]
    dimensions = min(latent_dimensions(matrix.shape[0]), matrix.shape[0] // TEXTS_PER_DIMENSION,
                     shared.shape[1] - 1)
    if dimensions < MIN_LATENT_DIMENSIONS:
        return normalize(matrix.toarray()).astype(np.float32), False
    svd = TruncatedSVD(dimensions, n_iter=SVD_ITERATIONS, random_state=SVD_SEED)
    return normalize(svd.fit_transform(shared)).astype(np.float32), True
