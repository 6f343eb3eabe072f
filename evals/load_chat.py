"""Load test of the browser chat through its own Gradio API: N concurrent sessions; turns a second, latency, memory.

    .venv/bin/python evals/load_chat.py                          # start `assistant serve`, 16 sessions, 20 s
    .venv/bin/python evals/load_chat.py --sessions 16 --duration 20 --fresh 1000   # then 1,000 new sessions: RSS
    .venv/bin/python evals/load_chat.py --concurrency 1           # the chat queue as Gradio's default runs it
    .venv/bin/python evals/load_chat.py --conversation 4          # conversations of 4 turns (follow-ups)

Each session is a `gradio_client.Client` (its own session hash) calling the app's named `chat` endpoint, which
runs a whole turn as the page's question box does (without the pauses that pace its streamed lines) and goes
through the same gate as the page: queue joins count against the per-address and per-session rate limits. Without
--url the script starts `assistant serve` on a free loopback port with those limits set explicitly high (and
prints them), waits for /readyz, and stops it at the end; other ASSISTANT_* variables apply (e.g.
ASSISTANT_DATA_DIR; the cases go to a temporary audit database unless ASSISTANT_AUDIT_URL is set).
--fresh N then opens N new sessions, one turn each, and prints the server's resident memory (its process is
the child, so only with a started server).
The driver's own CPU (its load processes) and the started server's are printed per turn: both share the same
cores, and a gradio_client call with certificate checks on cost the driver about 48 ms of CPU (twice the server's
turn), so the driver runs with them off (plain HTTP to loopback: there is nothing to check).
Targets on the 2-core reference machine: >= 30 turns/s, p95 < 500 ms, 0 errors at 16 sessions; RSS after
1,000 sessions < 600 MiB.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from evals.load_api import free_port, percentile, wait_ready  # noqa: E402

MESSAGES = [
    ("en", "A logistics firm in the Beijing FTZ sends shipment records with 2,000 customer names to Hong Kong."),
    ("zh", "我们是一家在北京自贸试验区的游戏公司，要把8000名玩家的昵称和邮箱传到新加坡的服务器。"),
    ("en", "Which law defines personal information?"),
    ("en", "Our bank branch in Shanghai shares 150,000 account holders' data with its Paris office."),
    ("zh", "在北京的一家医院想把300名病人的影像资料发给美国的合作方做研究，需要做什么？"),
    ("en", "Tell me a joke about tax."),
    ("zh", "个人信息出境认证是什么？"),
    ("en", "We run an online shop in the Beijing FTZ and send 900 buyers' addresses to a courier in Japan."),
]
"""Mixed turns (decisions, rules questions, an off-topic one), in both languages; written for this script."""
LIMIT = 1_000_000
"""The rate limits the started server runs under (per address and per session, a minute): high enough to count
throughput, not refusals."""
TARGET_RATE, TARGET_P95_MS, TARGET_RSS_MIB = 30.0, 500.0, 600.0


@dataclass
class Tally:
    """Latencies of answered turns and the errors seen, shared by the sessions' threads."""

    latencies: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def ok(self, seconds: float) -> None:
        with self.lock:
            self.latencies.append(seconds)

    def error(self, kind: str) -> None:
        with self.lock:
            self.errors[kind] = self.errors.get(kind, 0) + 1


def client(base: str) -> object:
    """A gradio_client session on the app (imported here: the child server never needs it).

    Certificate checks off: the load goes over plain HTTP to loopback (`main` refuses anything else), so there is
    no certificate to check, and with checks on httpx loads the system CA bundle for each of the two requests of
    a call (a new `httpx` client each): about 40 ms of the driver's CPU per turn, on the cores the server needs.
    """
    from gradio_client import Client

    return Client(base, verbose=False, download_files=False, ssl_verify=False)


def turn(session: object, n: int, earlier: list[str], tally: Tally) -> None:
    """Send the n-th message on a session; count it."""
    lang, message = MESSAGES[n % len(MESSAGES)]
    started = time.perf_counter()
    try:
        result = session.predict(message, earlier[-3:], lang, api_name="/chat")  # type: ignore[attr-defined]
    except Exception as exc:  # every failure is counted by its kind
        tally.error(type(exc).__name__)
        return
    if isinstance(result, dict) and result.get("reply"):
        tally.ok(time.perf_counter() - started)
        earlier.append(message)
    else:
        tally.error("empty reply")


def session_loop(base: str, offset: int, stop_at: float, tally: Tally, turns: int = 1) -> None:
    """One browser-like session: turns back to back until the deadline, a new conversation every `turns` turns
    (later turns of a conversation send the earlier questions as context, as the page does)."""
    session = client(base)
    earlier: list[str] = []
    n = offset
    while time.monotonic() < stop_at:
        if len(earlier) >= turns:
            earlier = []
        turn(session, n, earlier, tally)
        n += 1


def cpu_seconds() -> float:
    """CPU seconds (user and system) this process has used."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run_sessions(
    base: str, offsets: list[int], stop_at: float, turns: int
) -> tuple[list[float], dict[str, int], float]:
    """One load process: its share of the sessions, each in a thread, until the deadline; latencies, errors, and
    the CPU seconds the process spent meanwhile (its clients' start included)."""
    began = cpu_seconds()
    tally = Tally()
    threads = [
        threading.Thread(target=session_loop, args=(base, i, stop_at, tally, turns), daemon=True) for i in offsets
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tally.latencies, tally.errors, cpu_seconds() - began


def drive(
    base: str, sessions: int, duration: float, turns: int = 1, processes: int = 2, server: int | None = None
) -> dict[str, object]:
    """Run the sessions for `duration` seconds, spread over `processes` load processes, and summarise; with the
    `server`'s process id, its CPU seconds in the same time too. The driver shares the machine with the server:
    both CPU costs are printed, per turn, so a slow driver is seen as such."""
    tally = Tally()
    processes = max(1, min(processes, sessions))
    driver_cpu = 0.0
    server_began = process_cpu(server) if server else float("nan")
    started = time.monotonic()
    shares = [list(range(p, sessions, processes)) for p in range(processes)]
    with ProcessPoolExecutor(processes) as pool:
        futures = [pool.submit(run_sessions, base, share, started + duration, turns) for share in shares]
        for future in futures:
            latencies, errors, spent = future.result()
            tally.latencies.extend(latencies)
            driver_cpu += spent
            for kind, count in errors.items():
                tally.errors[kind] = tally.errors.get(kind, 0) + count
    elapsed = time.monotonic() - started
    server_cpu = process_cpu(server) - server_began if server else float("nan")
    done = len(tally.latencies)
    rate, p95, errors_seen = done / elapsed, percentile(tally.latencies, 95), sum(tally.errors.values())
    return {
        "sessions": sessions,
        "load_processes": processes,
        "turns_per_conversation": turns,
        "seconds": round(elapsed, 1),
        "turns": done,
        "turns_per_s": round(rate, 1),
        "p50_ms": round(percentile(tally.latencies, 50), 1),
        "p95_ms": round(p95, 1),
        "errors": errors_seen,
        "error_kinds": tally.errors,
        "driver_cpu_s": round(driver_cpu, 1),
        "driver_cpu_ms_per_turn": round(1000 * driver_cpu / done, 1) if done else None,
        "server_cpu_s": round(server_cpu, 1) if server else None,
        "server_cpu_ms_per_turn": round(1000 * server_cpu / done, 1) if server and done else None,
        "target_met": errors_seen == 0 and rate >= TARGET_RATE and p95 < TARGET_P95_MS,
    }


def fresh_sessions(base: str, count: int, workers: int = 8) -> dict[str, int]:
    """Open `count` new sessions (a new session hash each), one turn each; the errors by kind."""
    tally = Tally()

    def work(first: int) -> None:
        session = client(base)
        for n in range(first, count, workers):
            session.reset_session()  # type: ignore[attr-defined]  # a new session hash: a new browser session
            turn(session, n, [], tally)

    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(work, range(workers)))
    return tally.errors


def process_cpu(pid: int) -> float:
    """CPU seconds (user and system) a process has used, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mib(pid: int) -> float:
    """Resident memory of a process (VmRSS), in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def start(port: int, concurrency: int | None) -> subprocess.Popen[bytes]:
    """`assistant serve` on loopback with the rate limits set high (and the chat's concurrency, if given)."""
    env = {
        **os.environ,
        "ASSISTANT_UI_RATE_LIMIT_PER_MINUTE": str(LIMIT),
        "ASSISTANT_UI_SESSION_RATE_LIMIT_PER_MINUTE": str(LIMIT),
        "HF_HUB_OFFLINE": "1",
        "ANONYMIZED_TELEMETRY": "False",
        "GRADIO_ANALYTICS_ENABLED": "False",
    }
    if "ASSISTANT_AUDIT_URL" not in os.environ:  # the run's cases go to a throwaway database, not data_dir's
        env["ASSISTANT_AUDIT_URL"] = f"sqlite:///{tempfile.mkdtemp(prefix='load-chat-')}/audit.db"
    if concurrency is not None:
        env["ASSISTANT_CHAT_CONCURRENCY"] = str(concurrency)
    command = [sys.executable, "-m", "assistant.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main() -> int:
    """Parse arguments, start a server unless --url is given, drive it, print the summary."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="an already running server on loopback (its own limits apply)")
    parser.add_argument("--sessions", type=int, default=16)
    parser.add_argument("--duration", type=float, default=20.0, help="seconds of load (at most 300)")
    parser.add_argument(
        "--conversation", type=int, default=1, help="turns per conversation (later ones carry the earlier questions)"
    )
    parser.add_argument("--processes", type=int, default=2, help="load processes the sessions are spread over")
    parser.add_argument("--concurrency", type=int, help="started server: ASSISTANT_CHAT_CONCURRENCY")
    parser.add_argument("--fresh", type=int, default=0, help="then open this many new sessions and print the RSS")
    parser.add_argument("--ready-timeout", type=float, default=900.0)
    parser.add_argument("--json", action="store_true", help="print the summary as one JSON line")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args()
    if args.url and not args.url.startswith(("http://127.", "http://localhost", "http://[::1]")):
        raise SystemExit("load is only sent to loopback addresses")
    port = free_port()
    child = None if args.url else start(port, args.concurrency)
    base = args.url or f"http://127.0.0.1:{port}"
    limits = "the server's own" if args.url else f"{LIMIT:,} a minute per address and per session"
    try:
        wait_ready(base, args.ready_timeout, child)
        summary = (
            drive(
                base,
                args.sessions,
                min(args.duration, 300.0),
                max(1, args.conversation),
                args.processes,
                child.pid if child is not None else None,
            )
            if args.duration > 0
            else {}
        )
        summary["rate_limits"] = limits
        summary["chat_concurrency"] = args.concurrency if args.concurrency is not None else "default"
        if child is not None:
            summary["rss_mib_after_load"] = round(rss_mib(child.pid), 1)
        if args.fresh:
            began = time.monotonic()
            summary["fresh_sessions"] = args.fresh
            summary["fresh_errors"] = fresh_sessions(base, args.fresh)
            summary["fresh_seconds"] = round(time.monotonic() - began, 1)
            if child is not None:
                summary["rss_mib_after_fresh"] = round(rss_mib(child.pid), 1)
    finally:
        if child is not None:
            child.terminate()
            child.wait(timeout=30)
    met = bool(summary.get("target_met", True)) and float(str(summary.get("rss_mib_after_fresh", 0))) < TARGET_RSS_MIB
    if args.json:
        print(json.dumps(summary))
    else:
        print(f"rate limits {summary['rate_limits']}; chat concurrency {summary['chat_concurrency']}")
        if "turns" in summary:
            print(
                f"{summary['sessions']} sessions ({summary['load_processes']} load processes), {summary['seconds']} s "
                f"through the `chat` endpoint, {summary['turns_per_conversation']} turn(s) per conversation"
            )
            print(f"throughput  {summary['turns_per_s']} turns/s ({summary['turns']} turns)")
            print(f"latency     p50 {summary['p50_ms']} ms   p95 {summary['p95_ms']} ms")
            print(f"errors      {summary['errors']} {summary['error_kinds'] or ''}")
            server_cpu = (
                f"server {summary['server_cpu_s']} s ({summary['server_cpu_ms_per_turn']} ms a turn)"
                if summary["server_cpu_s"] is not None
                else "server not measured (--url)"
            )
            print(
                f"CPU         driver {summary['driver_cpu_s']} s ({summary['driver_cpu_ms_per_turn']} ms a turn), "
                f"{server_cpu}, {os.cpu_count()} cores"
            )
        if "rss_mib_after_load" in summary:
            print(f"server RSS  {summary['rss_mib_after_load']} MiB after the load")
        if args.fresh:
            print(f"{args.fresh} new sessions in {summary['fresh_seconds']} s, errors {summary['fresh_errors'] or 0}")
            if "rss_mib_after_fresh" in summary:
                print(f"server RSS  {summary['rss_mib_after_fresh']} MiB after them (target < {TARGET_RSS_MIB:.0f})")
        print(
            f"target (>= {TARGET_RATE:.0f} turns/s, p95 < {TARGET_P95_MS:.0f} ms, 0 errors, RSS < "
            f"{TARGET_RSS_MIB:.0f} MiB): {'met' if met else 'MISSED'}"
        )
    return 1 if args.check and not met else 0


if __name__ == "__main__":
    raise SystemExit(main())
