"""What proximity (ranking.add_proximity) costs a search, measured by switching it off and on.

Why: proximity reads positions from the postings, the one part of a search not served
from cached arrays; its price must be known next to the P@1 it buys. Opens an index
that `bench/eval_search.py --index-root DIR` built (DIR/<corpus>), runs the first N dev
queries with proximity off (PROXIMITY_TOP = 0) and on, alternating, each round on a
freshly opened engine (cold result cache, warm term cache after 50 warm-up queries), and
prints p50/p95/p99 per round and the medians of the rounds.

    .venv/bin/python bench/proximity_cost.py --index-root /tmp/idx --corpora iqa-zh iqa-en
"""
from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from search_engine_bench import load_queries, percentile  # noqa: E402

from portal.search.whoosh import ranking  # noqa: E402
from portal.search.whoosh.engine import WhooshEngine  # noqa: E402


def one_round(index_dir: str, queries: list[str]) -> tuple[float, float, float]:
    """p50, p95 and p99 (ms) of the queries on a freshly opened engine."""
    engine = WhooshEngine(index_dir)
    for text in queries[:50]:
        engine.search(text + " warm")
    timings = []
    for text in queries:
        start = time.perf_counter()
        engine.search(text)
        timings.append((time.perf_counter() - start) * 1000)
    engine.close()
    return tuple(percentile(timings, q) for q in (0.5, 0.95, 0.99))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--index-root", required=True, help="folder of eval_search.py's indexes")
    parser.add_argument("--corpora", nargs="+", default=["iqa-zh", "iqa-en", "stackfaq"])
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    logging.getLogger("portal.search.whoosh.engine").setLevel(logging.ERROR)
    shipped = ranking.PROXIMITY_TOP
    for corpus in args.corpora:
        queries = [row["query"] for row in load_queries(corpus)][:args.queries]
        runs: dict[int, list[tuple[float, float, float]]] = {0: [], shipped: []}
        for _ in range(args.rounds):
            for top in (0, shipped):
                ranking.PROXIMITY_TOP = top
                runs[top].append(one_round(os.path.join(args.index_root, corpus), queries))
        ranking.PROXIMITY_TOP = shipped
        for top, label in ((0, "off"), (shipped, "on")):
            rounds = "  ".join("/".join(f"{v:.1f}" for v in r) for r in runs[top])
            medians = "/".join(f"{statistics.median(r[i] for r in runs[top]):.1f}" for i in range(3))
            print(f"{corpus:9} proximity {label:3}  rounds p50/p95/p99 ms: {rounds}   "
                  f"median {medians}", flush=True)


if __name__ == "__main__":
    main()
