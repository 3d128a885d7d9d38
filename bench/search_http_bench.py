"""Benchmark search through the portal itself: the HTML page, the JSON API and logging.

Why: the issues set targets on this 2-core machine for what a customer waits for —
uncached search page p95 ≤ 60 ms at 10k entries, cached ≤ 5 ms, rebuild of 10k ≤ 30 s —
and a search-logging overhead under 2 ms at p95. This loads a public evaluation corpus
(evaluation-only data, written to a temporary folder, never into the repository) with
/work/shared/data/to_markdown.py, starts the real app on it and times real requests.

    .venv/bin/python bench/search_http_bench.py --corpus iqa-zh --sizes 1000 10000 27413

Cold = a query the worker has not answered before; cached = the same query again.
Figures are medians of --repeat runs of each percentile (the machine is noisy).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from flask_migrate import upgrade  # noqa: E402

from portal import create_app  # noqa: E402
from portal.articles.folder import import_folder  # noqa: E402

DATA = "/work/shared/data"
CORPORA = {"stackfaq": "stackfaq", "iqa-zh": "insuranceqa-zh", "iqa-en": "insuranceqa-en"}
BROWSER = {"User-Agent": "Mozilla/5.0 (bench) Chrome/120"}


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    """p50, p95, p99 in milliseconds."""
    ordered = sorted(samples)

    def at(q):
        return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))] * 1000

    return at(0.50), at(0.95), at(0.99)


def time_requests(client, path: str, queries: list[str]) -> list[float]:
    samples = []
    for query in queries:
        start = time.perf_counter()
        response = client.get(path, query_string={"q": query}, headers=BROWSER)
        samples.append(time.perf_counter() - start)
        assert response.status_code == 200, response.status_code
    return samples


def machine() -> str:
    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as handle:
            model = next(line.split(":", 1)[1].strip() for line in handle if "model name" in line)
    except (OSError, StopIteration):
        pass
    return f"{os.cpu_count()} cores, {model}, Python {platform.python_version()}"


def run(corpus: str, size: int, n_queries: int, workdir: str) -> dict:
    articles = os.path.join(workdir, f"{corpus}-{size}")
    subprocess.run([sys.executable, os.path.join(DATA, "to_markdown.py"),
                    os.path.join(DATA, CORPORA[corpus], "articles.jsonl"), articles,
                    "--limit", str(size), "--force"], check=True, capture_output=True)
    config = {"ARTICLES_DIR": articles, "INDEX_DIR": os.path.join(workdir, f"index-{size}"),
              "SQLALCHEMY_DATABASE_URI": f"sqlite:///{workdir}/bench-{size}.sqlite3",
              "SECRET_KEY": "bench", "RESCAN_SECONDS": 3600, "RATELIMIT_ENABLED": False,
              "BOT_SEARCH_RATE": "1000000/minute"}
    start = time.perf_counter()
    app = create_app(config)  # start-up: settings and extensions; articles load on first use
    startup = time.perf_counter() - start
    with app.app_context():
        upgrade()
        import_folder(articles)  # the articles live in the database
        app.extensions["portal.articles"].refresh()
    repo, engine = app.extensions["portal.articles"], app.extensions["portal.search"]
    from portal.search import indexing

    docs = list(indexing.all_documents(repo))
    start = time.perf_counter()
    engine.rebuild(docs)
    rebuild = time.perf_counter() - start

    with open(os.path.join(DATA, CORPORA[corpus], "queries-dev.jsonl"), encoding="utf-8") as f:
        queries = [json.loads(line)["query"] for line in f]
    html_queries, api_queries = queries[:n_queries], queries[n_queries:2 * n_queries]
    client = app.test_client()
    client.get("/search?q=warm-up", headers=BROWSER)
    result = {"corpus": corpus, "articles": len(repo.articles), "documents": len(docs),
              "startup_s": startup, "rebuild_s": rebuild}
    result["html_cold"] = percentiles(time_requests(client, "/search", html_queries))
    result["html_cached"] = percentiles(time_requests(client, "/search", html_queries))
    result["api_cold"] = percentiles(time_requests(client, "/api/v1/search", api_queries))
    result["api_cached"] = percentiles(time_requests(client, "/api/v1/search", api_queries))
    result["logging"] = logging_overhead(app, client, api_queries)
    app.extensions["portal.signals"].flush()
    return result


def logging_overhead(app, client, queries: list[str]) -> tuple[float, float, float]:
    """Extra latency of a (cached) API search with search logging on versus off.

    Measured end to end, so it includes the background writer's share of the interpreter
    while it drains the rows that the same requests produce, as it would in a worker.
    """
    on, off = [], []
    for _ in range(3):
        app.config["SEARCH_LOGGING"] = False
        off.append(percentiles(time_requests(client, "/api/v1/search", queries)))
        app.config["SEARCH_LOGGING"] = True
        on.append(percentiles(time_requests(client, "/api/v1/search", queries)))
        app.extensions["portal.signals"].flush()
    return tuple(statistics.median(r[i] for r in on) - statistics.median(r[i] for r in off)
                 for i in range(3))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default="iqa-zh", choices=sorted(CORPORA))
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 27413])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    print(f"machine: {machine()}")
    print("size   docs    startup  rebuild | html cold p50/p95/p99 | html cached | "
          "api cold | api cached | logging overhead (ms)")
    with tempfile.TemporaryDirectory() as workdir:
        for size in args.sizes:
            runs = [run(args.corpus, size, args.queries, workdir) for _ in range(args.repeat)]

            def med(key):
                if isinstance(runs[0][key], tuple):
                    return "/".join(f"{statistics.median(r[key][i] for r in runs):.1f}"
                                    for i in range(3))
                return f"{statistics.median(r[key] for r in runs):.1f}s"

            print(f"{runs[0]['articles']:<6} {runs[0]['documents']:<7} {med('startup_s'):>8} "
                  f"{med('rebuild_s'):>8} | {med('html_cold'):>21} | {med('html_cached')} | "
                  f"{med('api_cold')} | {med('api_cached')} | {med('logging')}", flush=True)


if __name__ == "__main__":
    main()
