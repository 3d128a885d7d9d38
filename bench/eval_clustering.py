"""Measure how well the suggestion engine finds recurring questions (run by hand).

The engine sees only the texts of labelled intent data; its groups are then scored
against the hidden intent labels, next to the README's k-means baseline, which is
given the true number of intents. It prints Markdown tables for docs/suggestions.md.

    .venv/bin/python bench/eval_clustering.py                  # engine vs baseline
    .venv/bin/python bench/eval_clustering.py --alternatives   # + the method comparison
    .venv/bin/python bench/eval_clustering.py --no-baseline    # engine only (lean)
    .venv/bin/python bench/eval_clustering.py --timing 20000   # time budget: 3 runs, one process each

Parameters are chosen on half A of each set (a seeded half of its texts, grouped on its
own) and reported on half B; both halves are printed beside the whole set, so a figure
tuned on the data it reports is visible as a gap between the halves.

Noise is scored both ways: all noise as one extra label, and every noise text as its
own singleton label. The data stays outside the repository; only figures are copied.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from sklearn.cluster import DBSCAN, HDBSCAN, KMeans
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score
from sklearn.preprocessing import normalize
from scipy.sparse import hstack

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import eval_protocols as protocols  # noqa: E402

from portal.suggestions.engine import Signal, cluster  # noqa: E402
from portal.suggestions.engine.grouping import (
    EXACT_GROUP_SIMILARITY,
    LATENT_GROUP_SIMILARITY,
    MIN_GROUP_SIZE,
)
from portal.suggestions.engine.features import (
    CHARACTER_WEIGHT,
    LATENT_DIMENSIONS,
    SVD_ITERATIONS,
    SVD_SEED,
    character_grams,
    grouping_vectors,
    tfidf_vectors,
    word_grams,
)
from portal.text.fold import fold  # noqa: E402
from portal.suggestions.engine.linkage import average_linkage  # noqa: E402

DATA = Path("/work/shared/data/intents")
SETS = {"clinc150": "en", "smp2017-dev": "zh"}
BASELINE_SEEDS = 5
EXACT_LIMIT = 5000  # dense exact TF-IDF rows beyond this take too much memory and time


def load(path: Path) -> tuple[list[str], list[str]]:
    """Texts and their intent labels."""
    lines = path.read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines if line.strip()]
    return [row["text"] for row in rows], [row["intent"] for row in rows]


def scores(truth: list[str], assignments: np.ndarray) -> dict[str, float]:
    """NMI and ARI (%) with noise as one label and as singletons, noise share, groups."""
    assignments = np.asarray(assignments)
    singletons = assignments.copy()
    noise = np.flatnonzero(assignments < 0)
    singletons[noise] = assignments.max() + 1 + np.arange(len(noise))
    return {
        "NMI": 100 * normalized_mutual_info_score(truth, assignments),
        "NMI (noise as singletons)": 100 * normalized_mutual_info_score(truth, singletons),
        "ARI": 100 * adjusted_rand_score(truth, assignments),
        "ARI (noise as singletons)": 100 * adjusted_rand_score(truth, singletons),
        "noise %": 100 * len(noise) / len(assignments),
        "groups": len(set(assignments[assignments >= 0].tolist())),
    }


def engine(texts: list[str], truth: list[str]) -> np.ndarray:
    """The shipped engine, end to end, with the labels hidden."""
    return np.array(cluster([Signal(text) for text in texts]).assignments)


def readme_matrix(texts: list[str], language: str):
    """The README baseline's TF-IDF: English word 1–2-grams, Chinese character 1–2-grams."""
    options = ({"ngram_range": (1, 2), "stop_words": "english"} if language == "en"
               else {"analyzer": "char", "ngram_range": (1, 2)})
    return TfidfVectorizer(sublinear_tf=True, **options).fit_transform(texts)


def baseline(texts: list[str], truth: list[str], language: str) -> list[np.ndarray]:
    """The README's k-means recipe, given K, one assignment per seed."""
    matrix = readme_matrix(texts, language)
    runs = []
    for seed in range(BASELINE_SEEDS):
        vectors = normalize(TruncatedSVD(100, random_state=seed).fit_transform(matrix))
        runs.append(KMeans(len(set(truth)), n_init=10, random_state=seed).fit_predict(vectors))
    return runs


class Distinct:
    """Folded, collapsed texts of a data set, as the engine sees them before grouping."""

    def __init__(self, texts: list[str]):
        folded = [fold(text) for text in texts]
        self.texts = sorted(set(folded))
        position = {text: index for index, text in enumerate(self.texts)}
        self.index = np.array([position[text] for text in folded])
        self.counts = np.bincount(self.index)

    def blocks(self, *weighted_analyzers):
        """A TF-IDF matrix built like the engine's, from other (analyzer, weight) pairs."""
        return normalize(hstack([
            weight * normalize(TfidfVectorizer(analyzer=analyzer, sublinear_tf=True)
                               .fit_transform(self.texts))
            for analyzer, weight in weighted_analyzers], format="csr"))

    def expand(self, labels: np.ndarray) -> np.ndarray:
        """Per-text labels, with groups of fewer than MIN_GROUP_SIZE texts as noise."""
        labels = np.asarray(labels)[self.index]
        grouped = labels >= 0
        sizes = np.bincount(labels[grouped])
        labels[grouped & (sizes[np.maximum(labels, 0)] < MIN_GROUP_SIZE)] = -1
        return labels


def lsa(matrix, dimensions: int = LATENT_DIMENSIONS) -> np.ndarray:
    """Seeded LSA of a TF-IDF matrix into unit float32 rows, like the engine's."""
    svd = TruncatedSVD(dimensions, n_iter=SVD_ITERATIONS, random_state=SVD_SEED)
    return normalize(svd.fit_transform(matrix)).astype(np.float32)


def alternatives(texts: list[str], truth: list[str],
                 language: str) -> dict[str, Callable[[], np.ndarray]]:
    """Other features and other clustering methods, on the same folded, collapsed texts."""
    distinct = Distinct(texts)
    engine_vectors = grouping_vectors(tfidf_vectors(distinct.texts))[0]

    def linkage(vectors: np.ndarray, threshold: float = LATENT_GROUP_SIMILARITY) -> np.ndarray:
        return distinct.expand(average_linkage(vectors, distinct.counts, threshold))

    methods = {
        "k-means, engine features, K given": lambda: distinct.expand(
            KMeans(len(set(truth)), n_init=10, random_state=0).fit_predict(engine_vectors)),
        "HDBSCAN (min_cluster_size=5), engine features": lambda: distinct.expand(
            HDBSCAN(min_cluster_size=5, copy=True).fit_predict(engine_vectors)),
        "DBSCAN (cosine eps=0.1, min_samples=2), engine features": lambda: distinct.expand(
            DBSCAN(eps=0.1, min_samples=2, metric="cosine").fit_predict(engine_vectors)),
        "DBSCAN (cosine eps=0.2, min_samples=2), engine features": lambda: distinct.expand(
            DBSCAN(eps=0.2, min_samples=2, metric="cosine").fit_predict(engine_vectors)),
        "average linkage 0.40, engine features": lambda: linkage(engine_vectors, 0.40),
        "average linkage 0.50, engine features": lambda: linkage(engine_vectors, 0.50),
        "average linkage, words and characters weighted 1:1": lambda: linkage(
            lsa(distinct.blocks((word_grams, 1.0), (character_grams, 1.0)))),
        "average linkage, characters only": lambda: linkage(
            lsa(distinct.blocks((character_grams, 1.0)))),
        "average linkage, words only": lambda: linkage(lsa(distinct.blocks((word_grams, 1.0)))),
        "average linkage, LSA 150 dimensions": lambda: linkage(
            lsa(distinct.blocks((word_grams, 1.0), (character_grams, CHARACTER_WEIGHT)), 150)),
        "average linkage, README baseline features": lambda: linkage(
            lsa(readme_matrix(distinct.texts, language))),
    }
    if len(distinct.texts) <= EXACT_LIMIT:
        label = f"average linkage, no LSA (exact TF-IDF, {EXACT_GROUP_SIMILARITY})"
        methods[label] = lambda: linkage(
            distinct.blocks((word_grams, 1.0), (character_grams, CHARACTER_WEIGHT))
            .toarray().astype(np.float32), EXACT_GROUP_SIMILARITY)
    return methods


def timed(run: Callable[[], object]) -> tuple[object, float]:
    start = time.perf_counter()
    result = run()
    return result, time.perf_counter() - start


def table(rows: list[tuple[str, dict[str, float], float]]) -> str:
    columns = ["NMI", "NMI (noise as singletons)", "ARI", "ARI (noise as singletons)",
               "noise %", "groups"]
    lines = ["| method | " + " | ".join(columns) + " | wall s |", "|---" * (len(columns) + 2) + "|"]
    for name, figures, seconds in rows:
        cells = [f"{figures[c]:.0f}" if c == "groups" else f"{figures[c]:.2f}" for c in columns]
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {seconds:.1f} |")
    return "\n".join(lines)


def halves(texts: list[str], truth: list[str]) -> list[tuple[list[str], list[str]]]:
    """The seeded halves A (for choosing parameters) and B (for reporting) of a set."""
    rows = [{"text": text, "intent": intent} for text, intent in zip(texts, truth)]
    return [([row["text"] for row in half], [row["intent"] for row in half])
            for half in protocols.halves(rows)]


def evaluate(name: str, language: str, data: Path, with_alternatives: bool,
             with_baseline: bool = True) -> None:
    texts, truth = load(data / f"{name}.jsonl")
    print(f"\n## {name}: {len(texts)} texts, {len(set(truth))} intents\n", flush=True)
    rows = []
    assignments, seconds = timed(lambda: engine(texts, truth))
    rows.append(("engine (average linkage, K not given)", scores(truth, assignments), seconds))
    for half_name, (half_texts, half_truth) in zip("AB", halves(texts, truth)):
        assignments, seconds = timed(lambda: engine(half_texts, half_truth))
        rows.append((f"engine, half {half_name} ({len(half_texts)} texts)",
                     scores(half_truth, assignments), seconds))
    if with_baseline:
        runs, seconds = timed(lambda: baseline(texts, truth, language))
        per_seed = [scores(truth, run) for run in runs]
        averaged = {key: float(np.mean([figures[key] for figures in per_seed]))
                    for key in per_seed[0]}
        label = f"README baseline: k-means, K given, mean of {BASELINE_SEEDS} seeds"
        rows.append((label, averaged, seconds))
    if with_alternatives:
        for label, run in alternatives(texts, truth, language).items():
            assignments, seconds = timed(run)
            rows.append((label, scores(truth, assignments), seconds))
            print(f"  done: {label} ({seconds:.1f} s)", file=sys.stderr, flush=True)
    print(table(rows), flush=True)


def timing(data: Path, count: int, runs: int = 3) -> None:
    """Wall and CPU seconds and peak memory of cluster() on a seeded sample of CLINC150,
    each run in a fresh process (peak RSS then covers one run, Python and jieba included)."""
    import subprocess

    for run in range(runs):
        output = subprocess.run([sys.executable, __file__, "--data", str(data), "--timing-run",
                                 str(count)], check=True, capture_output=True, text=True).stdout
        print(f"run {run + 1}: {output.strip()}", flush=True)


def timing_run(data: Path, count: int) -> None:
    import random
    import resource

    texts = load(data / "clinc150.jsonl")[0]
    sample = random.Random(1).sample(texts, min(count, len(texts)))
    start, cpu = time.perf_counter(), time.process_time()
    result = cluster([Signal(text) for text in sample])
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024
    print(f"{len(sample)} texts, {len(result.groups)} groups: wall {time.perf_counter() - start:.1f} s, "
          f"CPU {time.process_time() - cpu:.1f} s, peak RSS {peak:.2f} GB")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA,
                        help="folder with the intent .jsonl files")
    parser.add_argument("--sets", nargs="+", default=list(SETS), choices=list(SETS))
    parser.add_argument("--alternatives", action="store_true",
                        help="also run the other features and methods (HDBSCAN takes minutes)")
    parser.add_argument("--no-baseline", action="store_true",
                        help="leave out the k-means baseline (minutes on CLINC150)")
    parser.add_argument("--timing", type=int, metavar="N",
                        help="only time cluster() on a seeded N-text sample of CLINC150, 3 runs")
    parser.add_argument("--timing-run", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.timing_run:
        timing_run(args.data, args.timing_run)
        return
    if args.timing:
        timing(args.data, args.timing)
        return
    for name in args.sets:
        evaluate(name, SETS[name], args.data, args.alternatives, not args.no_baseline)


if __name__ == "__main__":
    main()
