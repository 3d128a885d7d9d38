"""Measure search quality on the public FAQ-retrieval corpora against their BM25 baselines.

Why: ranking changes (analysis, field boosts, BM25 parameters) must be judged on data,
not on a handful of hand-picked queries. Runs the dev queries of stackfaq,
insuranceqa-zh and insuranceqa-en and prints P@1, MRR@10, nDCG@10 (binary gains) and
R@10 beside the baselines of /work/shared/data/README.md, on each seeded half of the
queries (A for choosing parameters, B for reporting; see eval_protocols.py). Hits are
de-duplicated by slug (an article's first hit counts). The data is evaluation-only and
stays in temp folders.

    .venv/bin/python bench/eval_search.py                       # WhooshEngine directly
    .venv/bin/python bench/eval_search.py --corpora stackfaq --limit 200
    .venv/bin/python bench/eval_search.py --via-api             # through GET /api/v1/search
    .venv/bin/python bench/eval_search.py --protocol abstention # confident or not
    .venv/bin/python bench/eval_search.py --protocol typos --corpora stackfaq iqa-en

--protocol abstention removes a seeded half of the articles, chooses the confidence
threshold on half A of every corpus run (one setting for all) and prints balanced
accuracy and the P@1 of confident answers on both halves, and at the engine's own
CONFIDENT_FROM. --protocol typos prints hit@3 of the clean and the misspelt queries.
"""
from __future__ import annotations

import argparse
import logging
import math
import os
import random
import subprocess
import sys
import tempfile
import time
from typing import Callable

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import eval_protocols as protocols  # noqa: E402
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


def evaluate(search_fn: Callable[[str], list[str]], queries: list[dict]) -> dict[str, float]:
    """Average metrics of `search_fn(query) -> ranked slugs` over the queries."""
    totals = [0.0, 0.0, 0.0, 0.0]
    start = time.perf_counter()
    for row in queries:
        for i, value in enumerate(score_query(search_fn(row["query"]), set(row["relevant"]))):
            totals[i] += value
    result = {name: total / len(queries) for name, total in zip(METRICS, totals)}
    result["ms/query"] = (time.perf_counter() - start) * 1000 / len(queries)
    return result


def engine_for(index_dir: str, docs: Callable[[], list]):
    """A WhooshEngine on index_dir, built from docs() unless an index is already there."""
    from portal.search.whoosh.engine import WhooshEngine

    fresh = not os.path.isdir(index_dir)
    engine = WhooshEngine(index_dir)
    if fresh:
        engine.rebuild(docs())
    return engine


def engine_search_fn(corpus: str, index_dir: str) -> Callable[[str], list[str]]:
    """Index the corpus with WhooshEngine (reusing an index already in index_dir)."""
    engine = engine_for(index_dir, lambda: load_corpus(corpus))

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

        from portal.articles.folder import import_folder
        from portal.search import following

        upgrade()
        import_folder(articles)  # the articles live in the database; the index follows it
        following.catch_up(app.extensions["portal.search"], app.extensions["portal.articles"],
                           app.config["INDEX_DIR"])
    client = app.test_client()

    def search(text: str) -> list[str]:
        response = client.get("/api/v1/search", query_string={"q": text, "per_page": 10})
        if response.status_code != 200:
            raise RuntimeError(f"GET /api/v1/search answered {response.status_code}")
        results = response.get_json()["results"]
        return [r["article"]["slug"] if isinstance(r["article"], dict) else r["article"]
                for r in results]

    return search


def run_ranking(args, corpus: str, workdir: str) -> None:
    """P@1, MRR, nDCG and R@10 on each half of the dev queries."""
    if args.via_api:
        search = api_search_fn(corpus, workdir)
    else:
        search = engine_search_fn(corpus, os.path.join(args.index_root or workdir, corpus))
    base = BASELINES[corpus]
    print(f"{corpus:9} {'BM25':8} " + " ".join(f"{b:8.3f}" for b in base))
    for name, half in zip("AB", protocols.halves(_queries(corpus, args.limit))):
        result = evaluate(search, half)
        print(f"{corpus:9} {'half ' + name:8} " + " ".join(f"{result[m]:8.3f}" for m in METRICS)
              + f" {result['ms/query']:6.1f}", flush=True)


def abstention_records(args, corpus: str, workdir: str) -> list[list[tuple]]:
    """Per half: (confidence, answerable, top hit relevant) of each query, searched on
    the corpus with a seeded half of its articles removed."""
    queries = _queries(corpus, args.limit)
    kept, answerable = protocols.remove_half(corpus, load_corpus(corpus), load_queries(corpus))
    root = args.index_root or workdir
    engine = engine_for(os.path.join(root, f"{corpus}-half{protocols.SEED}"), lambda: kept)
    records = []
    for half in protocols.halves(queries):
        rows = []
        for row in half:
            page = engine.search(row["query"], per_page=1)
            top = page.hits[0].slug if page.hits else None
            rows.append((page.confidence, answerable[row["qid"]], top in row["relevant"]))
        records.append(rows)
    engine.close()
    return records


def run_abstention(args, workdirs: dict[str, str]) -> None:
    """Choose one threshold on half A of every corpus; report both halves."""
    from portal.search.whoosh.engine import CONFIDENT_FROM

    by_corpus = {corpus: abstention_records(args, corpus, workdirs[corpus])
                 for corpus in args.corpora}
    chosen = protocols.best_threshold([halves[0] for halves in by_corpus.values()])
    print(f"threshold chosen on half A of {', '.join(args.corpora)}: {chosen:.4f}; "
          f"the engine's CONFIDENT_FROM: {CONFIDENT_FROM}")
    print(f"{'corpus':9} {'half':5} {'queries':>7} {'answerable':>10} {'threshold':>9} "
          f"{'bal.acc':>8} {'P@1 conf':>8} {'conf %':>7}")
    for corpus, halves in by_corpus.items():
        for threshold in (chosen, CONFIDENT_FROM):
            for name, records in zip("AB", halves):
                confident = sum(c >= threshold for c, _, _ in records) / len(records)
                print(f"{corpus:9} {name:5} {len(records):7d} "
                      f"{sum(r[1] for r in records):10d} {threshold:9.4f} "
                      f"{protocols.balanced_accuracy(records, threshold):8.3f} "
                      f"{protocols.precision_of_confident(records, threshold):8.3f} "
                      f"{confident:7.1%}", flush=True)


def run_typos(args, corpus: str, workdir: str) -> None:
    """hit@3 of the clean queries and of the same queries with seeded misspellings."""
    search = engine_search_fn(corpus, os.path.join(args.index_root or workdir, corpus))
    rng = random.Random(protocols.SEED)
    for name, half in zip("AB", protocols.halves(_queries(corpus, args.limit))):
        clean = _hit_at_3(search, half)
        typos = _hit_at_3(search, [{**row, "query": protocols.misspell(row["query"], rng)}
                                   for row in half])
        print(f"{corpus:9} half {name} hit@3 clean {clean:.3f}  misspelt {typos:.3f}  "
              f"kept {typos / clean if clean else 0:.1%}", flush=True)


def _hit_at_3(search: Callable[[str], list[str]], queries: list[dict]) -> float:
    hits = sum(bool(set(_dedupe(search(row["query"]), 3)) & set(row["relevant"]))
               for row in queries)
    return hits / len(queries)


def _queries(corpus: str, limit: int | None) -> list[dict]:
    """The dev queries, or a seeded sample of `limit` of them."""
    queries = load_queries(corpus)
    if limit and limit < len(queries):
        queries = random.Random(protocols.SEED).sample(queries, limit)
    return queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpora", nargs="+", choices=sorted(BASELINES), default=list(BASELINES))
    parser.add_argument("--limit", type=int, help="a seeded sample of N queries")
    parser.add_argument("--via-api", action="store_true", help="search through the Flask API")
    parser.add_argument("--index-root", help="keep indexes here and reuse them between runs")
    parser.add_argument("--protocol", choices=("ranking", "abstention", "typos"),
                        default="ranking")
    args = parser.parse_args()
    logging.getLogger("portal.search.whoosh.engine").setLevel(logging.ERROR)  # "index missing": yes

    with tempfile.TemporaryDirectory() as workdir:
        workdirs = {corpus: os.path.join(workdir, corpus) for corpus in args.corpora}
        for folder in workdirs.values():
            os.makedirs(folder)
        if args.protocol == "abstention":
            run_abstention(args, workdirs)
            return
        if args.protocol == "ranking":
            print(f"{'corpus':9} {'mode':8} " + " ".join(f"{m:>8}" for m in METRICS)
                  + f" {'ms/q':>6}")
        for corpus in args.corpora:
            if args.protocol == "typos":
                run_typos(args, corpus, workdirs[corpus])
            else:
                run_ranking(args, corpus, workdirs[corpus])


if __name__ == "__main__":
    main()
