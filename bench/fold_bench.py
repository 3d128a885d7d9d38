"""Measure the one text fold with each OpenCC build (run by hand, never from tests).

portal.text.fold runs on every logged search, every type-ahead key and every text the
suggestion engine groups, so its OpenCC build is chosen on figures: the native wheel
(PyPI `opencc`) against the pure-Python `opencc-python-reimplemented`. Both install as
the module `opencc`, so each build is measured in its own process; the build not in the
virtualenv is installed beside it, e.g.

    pip install --target /tmp/opencc-native opencc
    pip install --target /tmp/opencc-python opencc-python-reimplemented
    .venv/bin/python bench/fold_bench.py --build /tmp/opencc-native --build /tmp/opencc-python

Inputs (evaluation data from /work/shared/data, never copied into the repository): the
dev queries of insuranceqa-zh and stackfaq and the SMP2017 utterances, every other
Chinese one rewritten in Taiwan traditional script; and the first `--corpus` articles of
insuranceqa-zh (title and body), folded as they are and in traditional script.
Reported per build, in CPU time of the measuring process (the machine is shared, so wall
time mostly measures the neighbours): the first fold (loading the tables), the median
and p95 µs of one fold over all strings and rounds, the seconds to fold the corpus
(median of rounds) and how many folds differ from the first build's.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = Path("/work/shared/data")


def _lines(path: Path, field: str, limit: int | None = None) -> list[str]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line)[field] for _, line in zip(range(limit or 10**9), handle)]


def prepare(corpus_size: int) -> dict:
    """The strings and the corpus, traditional forms made by this process's OpenCC."""
    from opencc import OpenCC

    convert = OpenCC("s2twp").convert
    chinese = (_lines(DATA / "insuranceqa-zh" / "queries-dev.jsonl", "query")
               + _lines(DATA / "intents" / "smp2017-dev.jsonl", "text"))
    strings = [convert(text) if i % 2 else text for i, text in enumerate(chinese)]
    strings += _lines(DATA / "stackfaq" / "queries-dev.jsonl", "query")
    titles = _lines(DATA / "insuranceqa-zh" / "articles.jsonl", "title", corpus_size)
    bodies = _lines(DATA / "insuranceqa-zh" / "articles.jsonl", "body", corpus_size)
    corpus = [f"{title}\n{body}" for title, body in zip(titles, bodies)]
    return {"strings": strings, "corpus": corpus,
            "corpus_traditional": [convert(text) for text in corpus]}


def measure(inputs: dict, rounds: int) -> dict:
    """Figures for the OpenCC build this process imports."""
    import opencc
    from portal.text import fold as module

    started = time.process_time()
    module.fold("帳號被鎖定")
    first = time.process_time() - started
    calls = []
    for _ in range(rounds):
        for text in inputs["strings"]:
            started = time.process_time_ns()
            module.fold(text)
            calls.append(time.process_time_ns() - started)
    calls.sort()

    def corpus_seconds(texts):
        times = []
        for _ in range(rounds):
            started = time.process_time()
            for text in texts:
                module.fold(text)
            times.append(time.process_time() - started)
        return statistics.median(times)

    return {"build": os.path.dirname(opencc.__file__),
            "version": getattr(opencc, "__version__", "?"),
            "first_fold_s": first,
            "median_us": statistics.median(calls) / 1000,
            "p95_us": calls[int(len(calls) * 0.95)] / 1000,
            "corpus_s": corpus_seconds(inputs["corpus"]),
            "corpus_traditional_s": corpus_seconds(inputs["corpus_traditional"]),
            "folds": [module.fold(text)
                      for text in inputs["strings"] + inputs["corpus_traditional"]]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build", action="append", default=[],
                        help="a folder holding an `opencc` package (repeat); none: the venv's")
    parser.add_argument("--corpus", type=int, default=10_000, help="corpus entries")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--prepare", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    if args.prepare:
        Path(args.prepare).write_text(json.dumps(prepare(args.corpus), ensure_ascii=False),
                                      encoding="utf-8")
        return
    if args.worker:
        inputs = json.loads(Path(args.worker).read_text(encoding="utf-8"))
        print(json.dumps(measure(inputs, args.rounds), ensure_ascii=False))
        return
    builds = args.build or [""]
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "inputs.json")
        _run(builds[0], "--prepare", path, "--corpus", str(args.corpus))
        results = [json.loads(_run(build, "--worker", path, "--rounds", str(args.rounds)))
                   for build in builds]
        count = len(json.loads(Path(path).read_text(encoding="utf-8"))["strings"])
    print(f"{count} strings × {args.rounds} rounds; corpus {args.corpus} entries")
    print("| build | version | first fold | median µs | p95 µs | corpus s | corpus (traditional) s "
          "| folds differing |")
    print("|---|---|---|---|---|---|---|---|")
    for result in results:
        differing = sum(a != b for a, b in zip(result["folds"], results[0]["folds"]))
        print(f"| {result['build']} | {result['version']} | {result['first_fold_s']:.2f} s "
              f"| {result['median_us']:.1f} | {result['p95_us']:.1f} | {result['corpus_s']:.2f} "
              f"| {result['corpus_traditional_s']:.2f} | {differing} |")


def _run(build: str, *arguments: str) -> str:
    """This script in a child process that imports `opencc` from `build` first."""
    return subprocess.run([sys.executable, __file__, *arguments],
                          env={**os.environ, "PYTHONPATH": build}, capture_output=True,
                          text=True, check=True).stdout


if __name__ == "__main__":
    main()
