"""Measure search quality on the public FAQ-retrieval corpora against their BM25 baselines.

Why: ranking changes (analysis, field boosts, BM25 parameters) must be judged on data,
not on a handful of hand-picked queries. Runs the dev queries of stackfaq,
insuranceqa-zh and insuranceqa-en and prints P@1, MRR@10, nDCG@10 (binary gains) and
R@10 beside the baselines of /work/shared/data/README.md. Hits are de-duplicated by
slug (an article's first hit counts). The data is evaluation-only and stays in temp
folders.

    .venv/bin/python bench/eval_search.py                       # WhooshEngine directly
    .venv/bin/python bench/eval_search.py --corpora stackfaq --limit 200
    .venv/bin/python bench/eval_search.py --via-api             # through GET /api/v1/search
"""
from __future__ import annotations

import argparse
import logging
import math
import os
import subprocess
import sys
import tempfile
import time
from typing import Callable

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from search_engine_bench import CORPORA, DATA, load_corpus, load_queries  # noqa: E402

BASELINES = {  # BM25 (rank_bm25) from /work/shared/data/README.md: P@1, MRR@10, nDCG@10, R@10
    "stackfaq": (0.679, 0.757, 0.635, 0.641),
    "iqa-zh": (0.151, 0.209, 0.204, 0.281),
    "iqa-en": (0.223, 0.304, 0.294, 0.389),
}
METRICS = ("P@1", "MRR@10", "nDCG@10", "R@10")


def _dedupe(slugs: list[str], k: int = 10) -> list[str]:
    return list(dict.fromkeys(slugs))[:k]


def score_query(ranked: list[str], relevant: set[str]) -> tuple[float, float, float, float]:
    """P@1, MRR@10, nDCG@10 (binary gains) and R@10 of one ranked slug list."""
    top = _dedupe(ranked)
    p1 = 1.0 if top and top[0] in relevant else 0.0
    mrr = next((1.0 / (i + 1) for i, slug in enumerate(top) if slug in relevant), 0.0)
    dcg = sum(1.0 / math.log2(i + 2) for i, slug in enumerate(top) if slug in relevant)
    ideal = sum(1.0 / math.log2(i + 2) for i in range(min(len(relevant), 10)))
    recall = len(set(top) & relevant) / len(relevant)
    return p1, mrr, dcg / ideal if ideal else 0.0, recall


def evaluate(search_fn: Callable[[str], list[str]], corpus: str,
             limit: int | None = None) -> dict[str, float]:
    """Average metrics of `search_fn(query) -> ranked slugs` over a corpus's dev queries."""
    queries = load_queries(corpus)[:limit] if limit else load_queries(corpus)
    totals = [0.0, 0.0, 0.0, 0.0]
    start = time.perf_counter()
    for row in queries:
        for i, value in enumerate(score_query(search_fn(row["query"]), set(row["relevant"]))):
            totals[i] += value
    result = {name: total / len(queries) for name, total in zip(METRICS, totals)}
    result["ms/query"] = (time.perf_counter() - start) * 1000 / len(queries)
    return result


def engine_search_fn(corpus: str, index_dir: str) -> Callable[[str], list[str]]:
    """Index the corpus with WhooshEngine (reusing an index already in index_dir)."""
    from portal.search.whoosh.engine import WhooshEngine

    fresh = not os.path.isdir(index_dir)
    engine = WhooshEngine(index_dir)
    if fresh:
        engine.rebuild(load_corpus(corpus))

    def search(text: str) -> list[str]:
        return [hit.slug for hit in engine.search(text, per_page=20).hits]

    return search


def api_search_fn(corpus: str, workdir: str) -> Callable[[str], list[str]]:
    """Convert the corpus to Markdown with to_markdown.py and search through the API."""
    from portal import create_app

    articles = os.path.join(workdir, "articles")
    subprocess.run([sys.executable, os.path.join(DATA, "to_markdown.py"),
                    os.path.join(DATA, CORPORA[corpus], "articles.jsonl"), articles, "--force"],
                   check=True, stdout=subprocess.DEVNULL)
    app = create_app({"TESTING": True, "ARTICLES_DIR": articles,
                      "INDEX_DIR": os.path.join(workdir, "index"),
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{workdir}/portal.sqlite3",
                      "RATELIMIT_ENABLED": False})
    with app.app_context():  # the API logs every search: it needs its tables
        from flask_migrate import upgrade

        upgrade()
    client = app.test_client()

    def search(text: str) -> list[str]:
        response = client.get("/api/v1/search", query_string={"q": text, "per_page": 10})
        if response.status_code != 200:
            raise RuntimeError(f"GET /api/v1/search answered {response.status_code}")
        results = response.get_json()["results"]
        return [r["article"]["slug"] if isinstance(r["article"], dict) else r["article"]
                for r in results]

    return search


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpora", nargs="+", choices=sorted(BASELINES), default=list(BASELINES))
    parser.add_argument("--limit", type=int, help="only the first N queries")
    parser.add_argument("--via-api", action="store_true", help="search through the Flask API")
    parser.add_argument("--index-root", help="keep indexes here and reuse them between runs")
    args = parser.parse_args()
    logging.getLogger("portal.search.whoosh.engine").setLevel(logging.ERROR)  # "index missing": yes

    print(f"{'corpus':9} {'mode':8} " + " ".join(f"{m:>8}" for m in METRICS) + f" {'ms/q':>6}")
    for corpus in args.corpora:
        with tempfile.TemporaryDirectory() as workdir:
            if args.via_api:
                search = api_search_fn(corpus, workdir)
            else:
                root = args.index_root or workdir
                search = engine_search_fn(corpus, os.path.join(root, corpus))
            result = evaluate(search, corpus, args.limit)
        base = BASELINES[corpus]
        print(f"{corpus:9} {'BM25':8} " + " ".join(f"{b:8.3f}" for b in base))
        print(f"{corpus:9} {'portal':8} " + " ".join(f"{result[m]:8.3f}" for m in METRICS)
              + f" {result['ms/query']:6.1f}", flush=True)


if __name__ == "__main__":
    main()
