"""Memory of gunicorn web workers at 10k entries: unique memory (USS) per worker.

Why: issue 13 measured ~474 MB per worker (one worker, no preloading) and set a target of
≤ 250 MB unique memory per worker with 4 workers. This builds a 10k-article help centre
from a public evaluation corpus (written to a temporary folder, never the repository),
migrates and indexes it with the `portal` CLI, starts gunicorn with gunicorn.conf.py
(preload_app) and, for comparison, the same without preloading, warms every worker with
searches, then reads USS, PSS and RSS of each worker with psutil.

    .venv/bin/python bench/memory_bench.py --size 10000 --workers 4
"""
from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

import psutil

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = "/work/shared/data"
CORPUS = "insuranceqa-zh"
PORTAL = "import sys; sys.argv[0] = 'portal'; from portal.cli import main; main()"
MB = 1024 * 1024


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(workdir: str, size: int) -> dict:
    """A migrated database and a built index over `size` articles; the environment to use."""
    articles = os.path.join(workdir, "articles")
    subprocess.run([sys.executable, os.path.join(DATA, "to_markdown.py"),
                    os.path.join(DATA, CORPUS, "articles.jsonl"), articles,
                    "--limit", str(size), "--force"], check=True, capture_output=True)
    env = {**os.environ, "PORTAL_ARTICLES_DIR": articles,
           "PORTAL_INDEX_DIR": os.path.join(workdir, "index"),
           "PORTAL_INSTANCE_DIR": os.path.join(workdir, "instance"),
           "DATABASE_URL": f"sqlite:///{workdir}/bench.sqlite3", "SECRET_KEY": "bench",
           "PORTAL_RESCAN_SECONDS": "3600", "PORTAL_SEARCH_LOGGING": "0"}
    for command in (["db", "upgrade"], ["articles", "import"], ["index", "rebuild"]):
        subprocess.run([sys.executable, "-c", PORTAL, *command], cwd=ROOT, env=env, check=True,
                       capture_output=True)
    return env


def queries(count: int) -> list[str]:
    with open(os.path.join(DATA, CORPUS, "queries-dev.jsonl"), encoding="utf-8") as handle:
        return [json.loads(line)["query"] for line, _ in zip(handle, range(count))]


def measure(env: dict, workers: int, preload: bool, texts: list[str], workdir: str) -> list[dict]:
    """Start gunicorn, warm every worker with searches, read each worker's memory, stop."""
    config = os.path.join(ROOT, "gunicorn.conf.py")
    if not preload:
        config = os.path.join(workdir, "no_preload.conf.py")
        with open(config, "w") as handle:
            handle.write(f"exec(open({os.path.join(ROOT, 'gunicorn.conf.py')!r}).read())\n"
                         "preload_app = False\n")
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", config, "-b", f"127.0.0.1:{port}",
         "-w", str(workers), "portal:create_app()"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, server)
        with concurrent.futures.ThreadPoolExecutor(workers * 2) as pool:
            answered = sum(pool.map(lambda q: answers(f"{base}/search?q={urllib.parse.quote(q)}"),
                                    texts))
        children = psutil.Process(server.pid).children()
        return [{**memory(child), "answered": answered} for child in children]
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(60)


def wait_until_up(base: str, server: subprocess.Popen, seconds: float = 180) -> None:
    ends = time.monotonic() + seconds
    while time.monotonic() < ends:
        if server.poll() is not None:
            raise SystemExit("gunicorn exited while starting")
        try:
            fetch(f"{base}/healthz")
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start")


def answers(url: str) -> bool:
    """True when the search was answered (a worker still starting may time out)."""
    try:
        fetch(url)
        return True
    except OSError:
        return False


def fetch(url: str) -> None:
    request = urllib.request.Request(url, headers={"User-Agent": "Mozilla/5.0 (bench)"})
    with urllib.request.urlopen(request, timeout=120) as response:
        response.read()


def memory(process: psutil.Process) -> dict:
    info = process.memory_full_info()
    return {"pid": process.pid, "uss": info.uss / MB, "pss": info.pss / MB, "rss": info.rss / MB}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--queries", type=int, default=400)
    args = parser.parse_args()
    texts = queries(args.queries)
    with tempfile.TemporaryDirectory() as workdir:
        env = prepare(workdir, args.size)
        print(f"{args.size} articles, {args.workers} workers, {len(texts)} searches to warm up")
        print("mode         worker USS MB (each)                 max USS   mean PSS   mean RSS"
              "   answered")
        for preload in (True, False):
            rows = measure(env, args.workers, preload, texts, workdir)
            each = " ".join(f"{r['uss']:6.0f}" for r in rows)
            print(f"{'preload' if preload else 'no preload':<12} {each:<36} "
                  f"{max(r['uss'] for r in rows):7.0f}   "
                  f"{sum(r['pss'] for r in rows) / len(rows):8.0f}   "
                  f"{sum(r['rss'] for r in rows) / len(rows):8.0f}   {rows[0]['answered']:8d}")


if __name__ == "__main__":
    main()
