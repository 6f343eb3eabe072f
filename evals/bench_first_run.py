"""First run, as a new user sees it: `assistant serve` on an empty data folder, then again on the same folder.

    .venv/bin/python evals/bench_first_run.py                       # cold then warm, shipped vectors used
    .venv/bin/python evals/bench_first_run.py --without-shipped-vectors   # everything embedded (full build)
    .venv/bin/python evals/bench_first_run.py --checkout /tmp/old   # the same on another checkout (before/after)

Each run starts `python -m assistant.cli serve` as a child process on a free loopback port (no API key, no rate
limit) with ASSISTANT_DATA_DIR a temporary folder that starts empty, and measures from the process start:
the first /healthz answer (the server is up), the first /api/ask answer to a question about a transfer of the
bench's own (a decision: rule checker and citations, no search), and /readyz 200 (the dense index is built).
The second run reuses the folder (vectors already in the index). The shipped vectors are corpus/vectors/: the
passages', the understanding's exemplars' and the answer cards' (`--without-shipped-vectors` drops all three).
Beside each time, the CPU seconds the server process had used by then (/proc): independent of other processes'
load on a shared machine. Targets on the 2-core reference machine: first decision under 8 s, index ready under
30 s. Numbers are printed, not asserted.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from load_api import free_port  # noqa: E402 (the evals folder is not a package)

QUESTION = (
    "Our online shop is registered in the Beijing free trade zone and wants to send the names and phone numbers "
    "of 3,000 customers to a logistics partner in Singapore. What do we have to do?"
)
"""A transfer with its facts stated: the answer is a determination, with no passage search."""
TARGET_DECISION_S, TARGET_READY_S = 8.0, 30.0
POLL_S = 0.1
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system, all threads) the process has used so far: on a shared machine the wall times
    depend on the other processes' load, this does not (an idle 2-core machine needs at least half of it)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / TICKS


def start(checkout: Path, data: Path, port: int, corpus: Path | None) -> subprocess.Popen[bytes]:
    """`assistant serve` of `checkout` in a child process, its output to a log file in `data`'s parent."""
    env = dict(os.environ)
    env.update(
        HF_HUB_OFFLINE="1",
        ANONYMIZED_TELEMETRY="False",
        GRADIO_ANALYTICS_ENABLED="False",
        PYTHONPATH=str(checkout),
        ASSISTANT_DATA_DIR=str(data),
        ASSISTANT_API_KEYS="[]",
        ASSISTANT_RATE_LIMIT_PER_MINUTE="0",
        ASSISTANT_OFFICIAL_DIR=str(checkout.parent / "shared")
        if (checkout.parent / "shared").is_dir()
        else str(HERE.parent.parent / "shared"),
    )
    if corpus is not None:
        env["ASSISTANT_CORPUS_DIR"] = str(corpus)
    log = (data.parent / f"serve-{port}.log").open("wb")
    command = [sys.executable, "-m", "assistant.cli", "serve", "--port", str(port)]
    return subprocess.Popen(command, cwd=checkout, env=env, stdout=log, stderr=subprocess.STDOUT)


def measure(checkout: Path, data: Path, corpus: Path | None, timeout: float) -> dict[str, float | str]:
    """One run: seconds from process start to the server up, the first decision, and the index ready."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    started = time.monotonic()
    child = start(checkout, data, port, corpus)
    found: dict[str, float | str] = {}
    try:
        with httpx.Client(base_url=base, timeout=60) as http:
            while time.monotonic() - started < timeout and ("decision" not in found or "ready" not in found):
                if child.poll() is not None:
                    raise SystemExit(f"the server exited ({child.returncode}); see {data.parent}/serve-{port}.log")
                try:
                    if "up" not in found and http.get("/healthz").status_code == 200:
                        found["up"] = time.monotonic() - started
                        found["up_cpu"] = cpu_seconds(child.pid)
                    if "up" in found and "decision" not in found:
                        reply = http.post("/api/ask", json={"question": QUESTION})
                        if reply.status_code == 200:
                            found["decision"] = time.monotonic() - started
                            found["decision_cpu"] = cpu_seconds(child.pid)
                            found["outcome"] = reply.json()["determination"]["outcome"]
                    if "up" in found:
                        ready = http.get("/readyz")
                        if ready.status_code == 200 and "ready" not in found:
                            found["ready"] = time.monotonic() - started
                            found["ready_cpu"] = cpu_seconds(child.pid)
                        elif ready.status_code != 200:
                            found["last"] = str(ready.json().get("detail"))
                except httpx.HTTPError:
                    pass
                time.sleep(POLL_S)
    finally:
        child.terminate()
        try:
            child.wait(timeout=20)
        except subprocess.TimeoutExpired:
            child.kill()
    return found


def corpus_without_vectors(checkout: Path, folder: Path) -> Path:
    """A copy of the checkout's corpus without its shipped vectors (so the build embeds every passage)."""
    copy = folder / "corpus"
    shutil.copytree(checkout / "corpus", copy, ignore=shutil.ignore_patterns("vectors"))
    return copy


def show(name: str, found: dict[str, float | str]) -> None:
    """One run's numbers on one line, with the targets."""

    def sec(key: str) -> str:
        value, cpu = found.get(key), found.get(f"{key}_cpu")
        if not isinstance(value, float):
            return "   n/a  "
        return f"{value:6.1f} s" + (f" [{cpu:5.1f} cpu-s]" if isinstance(cpu, float) else "")

    print(
        f"{name:5} server up {sec('up')} | first decision {sec('decision')} (target < {TARGET_DECISION_S:.0f} s, "
        f"outcome {found.get('outcome', '?')}) | index ready {sec('ready')} (target < {TARGET_READY_S:.0f} s)"
    )
    if "ready" not in found and "last" in found:
        print(f"      last /readyz: {found['last']}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--checkout", type=Path, default=HERE.parent, help="the checkout to serve (default: this)")
    parser.add_argument("--without-shipped-vectors", action="store_true", help="embed every passage")
    parser.add_argument("--runs", type=int, default=2, help="runs on the same data folder (1 cold, then warm)")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds to wait for each run")
    args = parser.parse_args()
    checkout = args.checkout.resolve()
    with tempfile.TemporaryDirectory(prefix="first-run-") as tmp:
        folder = Path(tmp)
        corpus = corpus_without_vectors(checkout, folder) if args.without_shipped_vectors else None
        data = folder / "data"
        data.mkdir()
        print(f"checkout {checkout}; data folder {data} (empty); load {os.getloadavg()[0]:.2f}; {os.cpu_count()} CPUs")
        for run in range(args.runs):
            show("cold" if run == 0 else "warm", measure(checkout, data, corpus, args.timeout))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
