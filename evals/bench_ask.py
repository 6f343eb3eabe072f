"""Benchmark `ask`: cold start (a new process up to its first answer) and warm latency p50/p95, no model; long
pasted messages (5,000 to 20,000 characters) are timed separately.

Run: .venv/bin/python evals/bench_ask.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

QUESTIONS = [
    "We are a pharmaceutical company registered in the Beijing FTZ. Can we send clinical-trial data for "
    "40,000 patients to our headquarters abroad?",
    "我们是北京自贸区的药企，想把4万名患者的临床试验数据传给境外总部，可以吗？",
    "We are a retailer in Shanghai sending 150,000 customers' contact details to Singapore.",
    "我们是关基运营者，要把2000名员工的信息传给德国总部。",
    "Our bank in Chaoyang wants to send card data of 12,000 customers to HQ.",
    "how long is a security assessment result valid?",
    "标准合同签完多久内要备案？",
    "Can we send OTA upgrade data from our Yizhuang car plant to Munich?",
]

_THREAD_EN = (
    "From: Facilities\nSubject: RE: parking\nThe car park on level B2 closes for repainting from Monday; please use "
    "the visitor spaces and keep your badge visible. "
)
_THREAD_ZH = "行政通知：本周五下午三点进行消防演练，请各部门提前安排工作，演练期间电梯暂停使用，请走楼梯。"
LONG = [
    _THREAD_EN * 25 + QUESTIONS[2] + _THREAD_EN * 10,
    _THREAD_ZH * 150 + QUESTIONS[1] + _THREAD_ZH * 80,
    (_THREAD_EN * 140)[:19_000] + " " + QUESTIONS[4],
]
"""Pasted threads with the question in the middle or at the end (about 5,000, 12,000 and 19,000 characters)."""


def _fresh(question: str, n: int) -> str:
    """The question with a detail of round `n` added, so that every timed message is new to the caches."""
    return f"Re {n}: {question}" if n else question


def _percentiles(timings: list[float]) -> str:
    timings = sorted(timings)
    p95 = timings[int(0.95 * (len(timings) - 1))]
    return f"p50 {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms"


def main() -> int:
    """Print cold start and warm latency."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "assistant.cli", "ask", QUESTIONS[0], "--json"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    cold = time.perf_counter() - started

    from assistant.pipeline import Assistant

    assistant = Assistant()
    for q in QUESTIONS:  # warm up: rule book, BM25, dense index, embedder
        assistant.ask(q)
    timings = []
    for n in range(args.rounds):
        for q in QUESTIONS:
            q = _fresh(q, n)  # a message never seen: no cached clause or query embedding helps
            t0 = time.perf_counter()
            assistant.ask(q)
            timings.append((time.perf_counter() - t0) * 1000)
    long_timings = []
    for n in range(args.rounds):
        for q in LONG:
            q = _fresh(q, n)
            t0 = time.perf_counter()
            assistant.ask(q)
            long_timings.append((time.perf_counter() - t0) * 1000)
    print(f"cold start (new process, first answer): {cold:.2f} s")
    print(f"warm ask latency over {len(timings)} answers: {_percentiles(timings)}")
    print(f"warm ask latency, long messages ({len(long_timings)} answers): {_percentiles(long_timings)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
