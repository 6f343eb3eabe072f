"""Load test of the HTTP API on loopback: N concurrent clients for a bounded time; throughput and latency.

    .venv/bin/python evals/load_api.py                      # start a server, 16 clients, 20 s
    .venv/bin/python evals/load_api.py --clients 32 --duration 10 --endpoint chat
    .venv/bin/python evals/load_api.py --url http://127.0.0.1:7860 --key ftz-...   # an already running server
    .venv/bin/python evals/load_api.py --replicas 2           # two `assistant serve` on PostgreSQL, Redis, Chroma
    .venv/bin/python evals/load_api.py --url http://127.0.0.1:7860 --url http://127.0.0.1:7861   # round-robin

Without --url it starts the API as the app does (default Settings: bundled embedder, hybrid retrieval, no
language model; the audit log in data_dir; no rate limit) in a child process on a free loopback port,
waits for /readyz, and stops it at the end. ASSISTANT_* variables apply (e.g. ASSISTANT_DATA_DIR).

With --replicas N (N >= 2, or --deployment for one) it starts what the replica test starts
(tests/services.py `deployment()`: a PostgreSQL cluster for the audit log, redis-server, a `chroma run` server
with the index built by `assistant index`, and N `assistant serve` replicas, each with its own data folder)
with the bundled embedder and no rate limit, and stops it all at the end. The caller's ASSISTANT_* variables
do not apply there. Requests go round-robin over the servers (the n-th request of all to server n mod N),
as the replica test's load does; the summary adds the answers and errors of each server.
Each client cycles through 8 questions (decisions in both languages, a rules question, an off-topic one). They
repeat, so caches keyed by a message's text (the query embeddings') serve most requests; --drawn draws the counts
in them per request from a seeded generator, so every request is a new message (real work, a harder benchmark).
Target on the 2-core reference machine (issue 14): >= 100 answers/s, p95 < 250 ms, 0 errors at 16 clients.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import count, cycle
from pathlib import Path

import httpx

QUESTIONS = [
    "We are a pharmaceutical company registered in the Beijing FTZ. Can we send clinical-trial data for "
    "40,000 patients to our headquarters abroad?",
    "我们是注册在北京自贸区的医药企业，能否把4万名患者的临床试验数据传给境外总部？",
    "A car maker in the Beijing FTZ wants to send OTA upgrade data to its parent abroad. Is that allowed?",
    "我们公司在上海，要向境外提供20万人的个人信息，需要什么手续？",
    "What counts as important data?",
    "一家零售企业要把5000名会员的联系方式传到新加坡，需要申报安全评估吗？",
    "Our HR system sends employee records of 300 staff to the group office in Germany. Do we need a contract?",
    "What is the weather in Beijing today?",
]
VARIED = [
    "We are a pharmaceutical company registered in the Beijing FTZ. Can we send clinical-trial data for "
    "{n:,} patients to our headquarters abroad?",
    "我们是注册在北京自贸区的医药企业，能否把{n}名患者的临床试验数据传给境外总部？",
    QUESTIONS[2],
    "我们公司在上海，要向境外提供{w}万人的个人信息，需要什么手续？",
    QUESTIONS[4],
    "一家零售企业要把{s}名会员的联系方式传到新加坡，需要申报安全评估吗？",
    "Our HR system sends employee records of {h} staff to the group office in Germany. Do we need a contract?",
    QUESTIONS[7],
]
"""QUESTIONS with their counts drawn per request (seeded, --drawn): each request is then a message the server has
not seen, so no cache keyed by a message's text (the query embeddings') or by equal facts helps it."""
TARGET_RATE, TARGET_P95_MS = 100.0, 250.0
ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Tally:
    """Latencies of successful requests and the errors seen, in all and per server."""

    latencies: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    answers_by: dict[str, int] = field(default_factory=dict)
    errors_by: dict[str, int] = field(default_factory=dict)

    def answer(self, base: str, seconds: float) -> None:
        """Count one answer of the server at `base`, with its latency."""
        self.latencies.append(seconds)
        self.answers_by[base] = self.answers_by.get(base, 0) + 1

    def error(self, base: str, kind: str) -> None:
        """Count one error of a kind (a status code or an exception name) from the server at `base`."""
        self.errors[kind] = self.errors.get(kind, 0) + 1
        self.errors_by[base] = self.errors_by.get(base, 0) + 1


def request_for(endpoint: str, n: int, question: str) -> tuple[str, dict[str, object]]:
    """The path and body of the n-th request (mixed: ask and chat alternately)."""
    if endpoint == "ask" or (endpoint == "mixed" and n % 2 == 0):
        return "/api/ask", {"question": question}
    messages = [{"role": "user", "content": question}]
    return "/v1/chat/completions", {"model": "beijing-ftz-data-export", "messages": messages}


def drawn(template: str, draw: random.Random) -> str:
    """A question of VARIED with its counts drawn near the fixed question's (same thresholds around them)."""
    return template.format(
        n=draw.randrange(36_000, 44_001),
        w=draw.randrange(15, 26),
        s=draw.randrange(4_000, 6_001),
        h=draw.randrange(250, 351),
    )


async def client(
    bases: list[str],
    turns: Iterator[int],
    key: str | None,
    endpoint: str,
    stop_at: float,
    offset: int,
    tally: Tally,
    drawn_counts: bool = False,
) -> None:
    """One client: requests back to back until the deadline, each to the next server of the shared round-robin."""
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    chosen = VARIED if drawn_counts else QUESTIONS
    questions = cycle(chosen[offset % len(chosen) :] + chosen[: offset % len(chosen)])
    draw = random.Random(offset)  # seeded: the same run of questions every time
    async with httpx.AsyncClient(headers=headers, timeout=30) as http:
        n = offset
        while time.monotonic() < stop_at:
            path, body = request_for(endpoint, n, drawn(next(questions), draw))
            n += 1
            base = bases[next(turns) % len(bases)]
            started = time.perf_counter()
            try:
                reply = await http.post(base + path, json=body)
            except httpx.HTTPError as exc:
                tally.error(base, type(exc).__name__)
                continue
            if reply.status_code == 200:
                tally.answer(base, time.perf_counter() - started)
            else:
                tally.error(base, str(reply.status_code))


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) of values, in milliseconds."""
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0] * 1000
    return statistics.quantiles(values, n=100, method="inclusive")[round(q) - 1] * 1000


async def drive(
    bases: list[str], key: str | None, clients: int, duration: float, endpoint: str, drawn_counts: bool = False
) -> dict[str, object]:
    """Run the clients against the servers (round-robin) and summarise."""
    tally, turns = Tally(), count()
    started = time.monotonic()
    stop_at = started + duration
    await asyncio.gather(
        *(client(bases, turns, key, endpoint, stop_at, i, tally, drawn_counts) for i in range(clients))
    )
    elapsed = time.monotonic() - started
    done = len(tally.latencies)
    rate, p95, errors = done / elapsed, percentile(tally.latencies, 95), sum(tally.errors.values())
    return {
        "clients": clients,
        "endpoint": endpoint,
        "questions": "drawn counts" if drawn_counts else "fixed",
        "seconds": round(elapsed, 1),
        "answers": done,
        "answers_per_s": round(rate, 1),
        "p50_ms": round(percentile(tally.latencies, 50), 1),
        "p95_ms": round(p95, 1),
        "p99_ms": round(percentile(tally.latencies, 99), 1),
        "errors": errors,
        "error_kinds": tally.errors,
        "servers": {
            base: {"answers": tally.answers_by.get(base, 0), "errors": tally.errors_by.get(base, 0)} for base in bases
        },
        "target_met": errors == 0 and rate >= TARGET_RATE and p95 < TARGET_P95_MS,
    }


def free_port() -> int:
    """A free loopback port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def serve(port: int, audit: bool) -> None:
    """Child process: the API as the app serves it (real Assistant and audit log), without a rate limit."""
    import uvicorn

    from assistant.api import create_api
    from assistant.casefile.audit import AuditLog
    from assistant.pipeline import Assistant
    from assistant.settings import Settings

    settings = Settings(rate_limit_per_minute=0, api_keys=[])
    log = AuditLog(settings.audit_database_url()) if audit else None
    app = create_api(Assistant(settings), log, settings)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False, ws="none")


def wait_ready(base: str, timeout: float, child: subprocess.Popen[bytes] | None = None) -> None:
    """Poll /readyz until 200 (the first start may build the index); stop early if `child`, the server, exits."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if child is not None and child.poll() is not None:
            raise SystemExit(f"the server exited ({child.returncode})")
        try:
            if httpx.get(f"{base}/readyz", timeout=30).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"{base}/readyz not ready after {timeout:.0f} s")


def cpu_seconds(pid: int) -> float:
    """User and system CPU seconds a process has used so far (Linux /proc; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(bases: list[str], pids: list[int], key: str | None, args: argparse.Namespace) -> dict[str, object]:
    """Drive the servers; add the CPU milliseconds per answer of the started servers and of this load client,
    which shares the machine's cores with them (so where the time goes is seen, not guessed)."""
    servers_before, client_before = sum(map(cpu_seconds, pids)), time.process_time()
    summary = asyncio.run(drive(bases, key, args.clients, min(args.duration, 300.0), args.endpoint, args.drawn))
    answers = max(1, int(str(summary["answers"])))
    client_cpu = time.process_time() - client_before
    summary["client_cpu_ms_per_answer"] = round(client_cpu * 1000 / answers, 1)
    if pids:
        servers_cpu = sum(map(cpu_seconds, pids)) - servers_before
        summary["servers_cpu_ms_per_answer"] = round(servers_cpu * 1000 / answers, 1)
    summary["load_average"] = [round(x, 2) for x in os.getloadavg()]
    return summary


@contextmanager
def started_deployment(replicas: int, ready_timeout: float) -> Iterator[dict[str, int]]:
    """What the replica test starts (PostgreSQL, Redis, a Chroma server, `replicas` replicas); yields each
    replica's URL with its process id."""
    sys.path.insert(0, str(ROOT))  # tests/ is a package of the checkout, not of the installed assistant
    import pytest

    from tests import services

    services.REPLICA_READY_SECONDS = ready_timeout
    names = [chr(ord("A") + i) for i in range(replicas)]
    with tempfile.TemporaryDirectory(prefix="assistant-load-") as folder:
        try:
            with services.deployment(Path(folder), names, rate_limit=0, embedder=None) as deployment:
                yield {replica.base: replica.process.pid for replica in deployment.replicas}
        except pytest.skip.Exception as missing:  # a server program is not installed
            raise SystemExit(f"cannot start the deployment: {missing.msg}") from None


def print_summary(summary: dict[str, object]) -> None:
    """The summary as lines for people."""
    met = summary["target_met"]
    print(
        f"{summary['clients']} clients, {summary['seconds']} s, endpoint {summary['endpoint']}, "
        f"questions {summary['questions']}"
    )
    print(f"throughput  {summary['answers_per_s']} answers/s ({summary['answers']} answers)")
    print(f"latency     p50 {summary['p50_ms']} ms   p95 {summary['p95_ms']} ms   p99 {summary['p99_ms']} ms")
    print(f"errors      {summary['errors']} {summary['error_kinds'] or ''}")
    servers = summary["servers"]
    assert isinstance(servers, dict)
    if len(servers) > 1:
        for base, counts in servers.items():
            print(f"server      {base}: {counts['answers']} answers, {counts['errors']} errors")
    print(f"target (>= {TARGET_RATE:.0f}/s, p95 < {TARGET_P95_MS:.0f} ms, 0 errors): {'met' if met else 'MISSED'}")
    servers_cpu, client_cpu = summary.get("servers_cpu_ms_per_answer", "?"), summary["client_cpu_ms_per_answer"]
    print(f"cpu         {servers_cpu} ms per answer in the servers, {client_cpu} ms in this client")
    average = summary["load_average"]
    assert isinstance(average, list)
    print(f"load average {' '.join(map(str, average))} (1, 5, 15 min) on {os.cpu_count()} cores")


def main() -> int:
    """Parse arguments, start a server (or a deployment) unless --url is given, drive it, print the summary."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--url", action="append", help="an already running server; repeat for round-robin (default: start one)"
    )
    parser.add_argument("--replicas", type=int, default=1, help="start N replicas on shared PostgreSQL/Redis/Chroma")
    parser.add_argument("--deployment", action="store_true", help="with one replica: start it on the same services")
    parser.add_argument("--key", default=os.environ.get("ASSISTANT_LOAD_KEY"), help="API key, if keys are on")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--duration", type=float, default=20.0, help="seconds of load (at most 300)")
    parser.add_argument("--endpoint", choices=["mixed", "ask", "chat"], default="mixed")
    parser.add_argument("--drawn", action="store_true", help="counts in the questions drawn per request (seeded)")
    parser.add_argument("--ready-timeout", type=float, default=900.0)
    parser.add_argument("--json", action="store_true", help="print the summary as one JSON line")
    parser.add_argument("--check", action="store_true", help="exit 1 when the target is missed")
    parser.add_argument("--no-audit", action="store_true", help="started server: record nothing")
    parser.add_argument("--serve", type=int, metavar="PORT", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, audit=not args.no_audit)
        return 0
    urls = [url.rstrip("/") for url in args.url or []]
    if any(not url.startswith(("http://127.", "http://localhost", "http://[::1]")) for url in urls):
        raise SystemExit("load is only sent to loopback addresses")
    shared = args.replicas > 1 or args.deployment
    if args.replicas < 1 or (urls and shared) or (shared and args.no_audit):
        raise SystemExit("--replicas N (N >= 1) and --deployment start servers: not with --url or --no-audit")
    if urls:
        for url in urls:
            wait_ready(url, args.ready_timeout)
        summary = measure(urls, [], args.key, args)
    elif shared:
        with started_deployment(args.replicas, args.ready_timeout) as servers:
            summary = measure(list(servers), list(servers.values()), None, args)
    else:
        port = free_port()
        command = [sys.executable, __file__, "--serve", str(port), *(["--no-audit"] if args.no_audit else [])]
        child = subprocess.Popen(command)
        base = f"http://127.0.0.1:{port}"
        try:
            wait_ready(base, args.ready_timeout, child)
            summary = measure([base], [child.pid], args.key, args)
        finally:
            child.terminate()
            child.wait(timeout=30)
    if args.json:
        print(json.dumps(summary))
    else:
        print_summary(summary)
    return 1 if args.check and not summary["target_met"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
