"""How fast a save reaches a node's search index at 10k entries, and what following costs.

Why: issue 13 asks that a save on any node be searchable on every node within 5 s, with
the index following the articles table by change number in a background job (never a
request). This imports a 10k-article help centre from a public evaluation corpus into a
fresh SQLite database (files in a temporary folder, never the repository), builds the
index, then times, per save: the write itself (one transaction), a web worker's
repository refresh (re-parses the one changed row), and the follower's catch-up (sync
of the changed article into Whoosh, the change number recorded). Also the idle look a
web worker makes every PORTAL_RESCAN_SECONDS and the follower makes every second.

    .venv/bin/python bench/follow_bench.py --size 10000 --saves 20
"""
from __future__ import annotations

import argparse
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
from portal.articles import authoring  # noqa: E402
from portal.articles.folder import import_folder  # noqa: E402
from portal.articles.repository import ArticleRepository  # noqa: E402
from portal.articles.sources import DatabaseSource  # noqa: E402
from portal.search import following  # noqa: E402

DATA = "/work/shared/data"
CORPUS = "insuranceqa-zh"


def ms(values: list[float]) -> str:
    values = sorted(values)
    return (f"median {statistics.median(values) * 1000:.1f} ms, "
            f"p90 {values[int(len(values) * 0.9) - 1] * 1000:.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--saves", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="follow-bench-") as work:
        articles = os.path.join(work, "articles")
        subprocess.run([sys.executable, os.path.join(DATA, "to_markdown.py"),
                        os.path.join(DATA, CORPUS, "articles.jsonl"), articles,
                        "--limit", str(args.size), "--force"], check=True, capture_output=True)
        app = create_app({"ARTICLES_DIR": articles, "INDEX_DIR": os.path.join(work, "index"),
                          "SQLALCHEMY_DATABASE_URI": f"sqlite:///{work}/bench.sqlite3",
                          "SECRET_KEY": "bench", "RESCAN_SECONDS": 0})
        with app.app_context():
            upgrade()
            start = time.perf_counter()
            report = import_folder(articles)
            print(f"import of {len(report.created)} files: {time.perf_counter() - start:.1f} s")
            repo, engine = app.extensions["portal.articles"], app.extensions["portal.search"]
            start = time.perf_counter()
            following.catch_up(engine, repo, app.config["INDEX_DIR"])
            print(f"first build: {time.perf_counter() - start:.1f} s")
            web = ArticleRepository(DatabaseSource())  # another worker's view
            start = time.perf_counter()
            web.refresh()
            print(f"a web worker's first load of {len(web.articles)} articles: "
                  f"{time.perf_counter() - start:.1f} s")
            idle = []
            for _ in range(50):
                start = time.perf_counter()
                web.refresh()
                idle.append(time.perf_counter() - start)
            writes, refreshes, follows = [], [], []
            slugs = sorted(repo.articles)[:args.saves]
            for number, slug in enumerate(slugs):
                article = repo.get(slug)
                fields = authoring.ArticleFields.from_article(article)
                fields.title = f"{article.title} ({number})"
                start = time.perf_counter()
                authoring.save_article(repo, fields, author=None,
                                       base_fingerprint=article.fingerprint, existing_slug=slug)
                writes.append(time.perf_counter() - start)
                start = time.perf_counter()
                web.refresh()
                refreshes.append(time.perf_counter() - start)
                start = time.perf_counter()
                following.catch_up(engine, repo, app.config["INDEX_DIR"])
                follows.append(time.perf_counter() - start)
        print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
              f"Python {platform.python_version()}; {args.saves} saves at {args.size} articles")
        print(f"idle look (nothing changed): {ms(idle)}")
        print(f"save (editor's transaction + own refresh): {ms(writes)}")
        print(f"another worker's refresh after a save: {ms(refreshes)}")
        print(f"index follower's catch-up after a save: {ms(follows)}")


if __name__ == "__main__":
    main()
