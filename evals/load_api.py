"""Load test of the HTTP API on loopback: N concurrent clients for a bounded time; throughput and latency.

    .venv/bin/python evals/load_api.py                      # start a server, 16 clients, 20 s
    .venv/bin/python evals/load_api.py --clients 32 --duration 10 --endpoint chat
    .venv/bin/python evals/load_api.py --url http://127.0.0.1:7860 --key ftz-...   # an already running server

Without --url it starts the API as the app does (default Settings: bundled embedder, hybrid retrieval, no
language model; the audit log in data_dir; no rate limit) in a child process on a free loopback port,
waits for /readyz, and stops it at the end. ASSISTANT_* variables apply (e.g. ASSISTANT_DATA_DIR).
Target on the 2-core reference machine: >= 20 answers/s, p95 < 500 ms, 0 errors at 16 clients.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from itertools import cycle

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
TARGET_RATE, TARGET_P95_MS = 20.0, 500.0


@dataclass
class Tally:
    """Latencies of successful requests and the errors seen."""

    latencies: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)

    def error(self, kind: str) -> None:
        """Count one error of a kind (a status code or an exception name)."""
        self.errors[kind] = self.errors.get(kind, 0) + 1


def request_for(endpoint: str, n: int, question: str) -> tuple[str, dict[str, object]]:
    """The path and body of the n-th request (mixed: ask and chat alternately)."""
    if endpoint == "ask" or (endpoint == "mixed" and n % 2 == 0):
        return "/api/ask", {"question": question}
    messages = [{"role": "user", "content": question}]
    return "/v1/chat/completions", {"model": "beijing-ftz-data-export", "messages": messages}


async def client(base: str, key: str | None, endpoint: str, stop_at: float, offset: int, tally: Tally) -> None:
    """One client: requests back to back until the deadline."""
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    questions = cycle(QUESTIONS[offset % len(QUESTIONS) :] + QUESTIONS[: offset % len(QUESTIONS)])
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=30) as http:
        n = offset
        while time.monotonic() < stop_at:
            path, body = request_for(endpoint, n, next(questions))
            n += 1
            started = time.perf_counter()
            try:
                reply = await http.post(path, json=body)
            except httpx.HTTPError as exc:
                tally.error(type(exc).__name__)
                continue
            if reply.status_code == 200:
                tally.latencies.append(time.perf_counter() - started)
            else:
                tally.error(str(reply.status_code))


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) of values, in milliseconds."""
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0] * 1000
    return statistics.quantiles(values, n=100, method="inclusive")[round(q) - 1] * 1000


async def drive(base: str, key: str | None, clients: int, duration: float, endpoint: str) -> dict[str, object]:
    """Run the clients and summarise."""
    tally = Tally()
    started = time.monotonic()
    await asyncio.gather(*(client(base, key, endpoint, started + duration, i, tally) for i in range(clients)))
    elapsed = time.monotonic() - started
    done = len(tally.latencies)
    rate, p95, errors = done / elapsed, percentile(tally.latencies, 95), sum(tally.errors.values())
    return {
        "clients": clients,
        "endpoint": endpoint,
        "seconds": round(elapsed, 1),
        "answers": done,
        "answers_per_s": round(rate, 1),
        "p50_ms": round(percentile(tally.latencies, 50), 1),
        "p95_ms": round(p95, 1),
        "p99_ms": round(percentile(tally.latencies, 99), 1),
        "errors": errors,
        "error_kinds": tally.errors,
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


def main() -> int:
    """Parse arguments, start a server unless --url is given, drive it, print the summary."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="an already running server (default: start one on loopback)")
    parser.add_argument("--key", default=os.environ.get("ASSISTANT_LOAD_KEY"), help="API key, if keys are on")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--duration", type=float, default=20.0, help="seconds of load (at most 300)")
    parser.add_argument("--endpoint", choices=["mixed", "ask", "chat"], default="mixed")
    parser.add_argument("--ready-timeout", type=float, default=900.0)
    parser.add_argument("--json", action="store_true", help="print the summary as one JSON line")
    parser.add_argument("--check", action="store_true", help="exit 1 when the target is missed")
    parser.add_argument("--no-audit", action="store_true", help="started server: record nothing")
    parser.add_argument("--serve", type=int, metavar="PORT", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, audit=not args.no_audit)
        return 0
    if args.url and not args.url.startswith(("http://127.", "http://localhost", "http://[::1]")):
        raise SystemExit("load is only sent to loopback addresses")
    child: subprocess.Popen[bytes] | None = None
    base = args.url
    if base is None:
        port = free_port()
        command = [sys.executable, __file__, "--serve", str(port), *(["--no-audit"] if args.no_audit else [])]
        child = subprocess.Popen(command)
        base = f"http://127.0.0.1:{port}"
    try:
        wait_ready(base, args.ready_timeout)
        summary = asyncio.run(drive(base, args.key, args.clients, min(args.duration, 300.0), args.endpoint))
    finally:
        if child is not None:
            child.terminate()
            child.wait(timeout=30)
    met = summary["target_met"]
    if args.json:
        print(json.dumps(summary))
    else:
        print(f"{summary['clients']} clients, {summary['seconds']} s, endpoint {summary['endpoint']}")
        print(f"throughput  {summary['answers_per_s']} answers/s ({summary['answers']} answers)")
        print(f"latency     p50 {summary['p50_ms']} ms   p95 {summary['p95_ms']} ms   p99 {summary['p99_ms']} ms")
        print(f"errors      {summary['errors']} {summary['error_kinds'] or ''}")
        print(f"target (>= {TARGET_RATE:.0f}/s, p95 < {TARGET_P95_MS:.0f} ms, 0 errors): {'met' if met else 'MISSED'}")
    return 1 if args.check and not met else 0


if __name__ == "__main__":
    raise SystemExit(main())
