"""Benchmark: the API with a language-model endpoint that accepts connections and never answers.

    .venv/bin/python evals/bench_hung_model.py                    # 8 ask clients + 2 check clients, 45 s
    .venv/bin/python evals/bench_hung_model.py --duration 90 --cooldown 10
    .venv/bin/python evals/bench_hung_model.py --failures 1000000   # no breaker: every question waits its budget
    .venv/bin/python evals/bench_hung_model.py --no-model           # control: the same load with no model at all

Starts the never-answering endpoint (tests/api/fake_llm.py) on loopback and the API in a child process
configured with it (default Settings otherwise: bundled embedder, the data folder's index, no rate limit,
no audit log), waits for /readyz, then runs N clients asking questions back to back and M clients sending
/api/check back to back, for a while. Prints p50/p95/max latency of each, what the endpoint saw and what
/readyz says about the model. Targets (issue 13): /api/ask under 3 s, /api/check under 100 ms (p95 and max).
The model settings are the defaults (connect 1 s, read 2 s, budget 2 s, breaker after 3 failures for 30 s)
unless given; they are printed.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from itertools import cycle
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from evals.load_api import QUESTIONS, free_port, percentile, wait_ready  # noqa: E402
from tests.api.fake_llm import FakeLLM  # noqa: E402

FACTS = [
    {"zone": "beijing_ftz", "industry": "pharmaceutical", "scenario": "clinical_trial", "sensitive_info_count": 40000},
    {"zone": "beijing", "industry": "other", "personal_info_count": 150000},
    {"zone": "none", "ciio": True, "personal_info_count": 2000},
]
TARGET_ASK_S, TARGET_CHECK_MS = 3.0, 100.0


@dataclass
class Tally:
    """Latencies (seconds) of successful requests, and the failures seen."""

    latencies: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        """p50/p95/max in milliseconds, the count and the errors."""
        if not self.latencies:
            return f"no answers; errors {self.errors}"
        p50, p95, top = percentile(self.latencies, 50), percentile(self.latencies, 95), max(self.latencies) * 1000
        errors = f", errors {self.errors}" if self.errors else ""
        return f"{len(self.latencies)} answers  p50 {p50:.0f} ms  p95 {p95:.0f} ms  max {top:.0f} ms{errors}"


async def client(base: str, path: str, bodies: list[dict[str, object]], stop_at: float, tally: Tally) -> None:
    """One client: requests back to back until the deadline."""
    async with httpx.AsyncClient(base_url=base, timeout=120) as http:
        for body in cycle(bodies):
            if time.monotonic() >= stop_at:
                return
            started = time.perf_counter()
            try:
                reply = await http.post(path, json=body)
            except httpx.HTTPError as exc:
                tally.errors[type(exc).__name__] = tally.errors.get(type(exc).__name__, 0) + 1
                continue
            if reply.status_code == 200:
                tally.latencies.append(time.perf_counter() - started)
            else:
                tally.errors[str(reply.status_code)] = tally.errors.get(str(reply.status_code), 0) + 1


async def drive(base: str, asks: int, checks: int, duration: float) -> tuple[Tally, Tally]:
    """Run the ask and check clients together."""
    ask, check = Tally(), Tally()
    stop_at = time.monotonic() + duration
    questions = [{"question": q} for q in QUESTIONS]
    await asyncio.gather(
        *(client(base, "/api/ask", questions[i:] + questions[:i], stop_at, ask) for i in range(asks)),
        *(client(base, "/api/check", FACTS, stop_at, check) for _ in range(checks)),
    )
    return ask, check


def serve(port: int, ask_slots: int | None) -> None:
    """Child process: the API as the app serves it, with the model settings from the environment."""
    import uvicorn

    from assistant.api import create_api, service
    from assistant.pipeline import Assistant
    from assistant.settings import Settings

    if ask_slots is not None:  # an experiment: questions answered at once (the service's constant)
        service.ANSWERING_AT_ONCE = ask_slots
    settings = Settings(rate_limit_per_minute=0, api_keys=[])
    uvicorn.run(create_api(Assistant(settings), None, settings), host="127.0.0.1", port=port, log_level="error")


def main() -> int:
    """Start the hung endpoint and the server, drive them, print latencies."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients asking questions")
    parser.add_argument("--checkers", type=int, default=2, help="concurrent clients sending /api/check")
    parser.add_argument("--duration", type=float, default=45.0, help="seconds of load (at most 600)")
    parser.add_argument("--budget", type=float, help="ASSISTANT_LLM_BUDGET (default: the setting's, 2 s)")
    parser.add_argument("--cooldown", type=float, help="ASSISTANT_LLM_BREAKER_COOLDOWN (default 30 s)")
    parser.add_argument("--failures", type=int, help="ASSISTANT_LLM_BREAKER_FAILURES (default 3)")
    parser.add_argument("--ask-slots", type=int, help="experiment: questions answered at once (default 4)")
    parser.add_argument("--no-model", action="store_true", help="control: configure no model at all")
    parser.add_argument("--ready-timeout", type=float, default=900.0)
    parser.add_argument("--serve", type=int, metavar="PORT", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.ask_slots)
        return 0
    endpoint = FakeLLM("hang").start()
    env = {**os.environ, "ASSISTANT_LLM_BASE_URL": "" if args.no_model else endpoint.url}
    env.update(HF_HUB_OFFLINE="1", ANONYMIZED_TELEMETRY="False", GRADIO_ANALYTICS_ENABLED="False")
    for name, value in (
        ("BUDGET", args.budget),
        ("BREAKER_COOLDOWN", args.cooldown),
        ("BREAKER_FAILURES", args.failures),
    ):
        if value is not None:
            env[f"ASSISTANT_LLM_{name}"] = str(value)
    from assistant.settings import Settings

    chosen = Settings(llm_base_url=endpoint.url, **_overrides(args))
    port = free_port()
    slots = [] if args.ask_slots is None else ["--ask-slots", str(args.ask_slots)]
    child = subprocess.Popen([sys.executable, __file__, "--serve", str(port), *slots], env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_ready(base, args.ready_timeout)
        ask, check = asyncio.run(drive(base, args.clients, args.checkers, min(args.duration, 600.0)))
        model = httpx.get(f"{base}/readyz", timeout=30).json().get("model")
    finally:
        child.terminate()
        child.wait(timeout=30)
        endpoint.stop()
    print(
        "model: none (control); "
        if args.no_model
        else "model endpoint: accepts and never answers; "
        f"connect {chosen.llm_connect_timeout} s, read {chosen.llm_timeout} s, "
        f"budget {chosen.llm_budget} s, breaker after {chosen.llm_breaker_failures} failures for "
        f"{chosen.llm_breaker_cooldown} s; rate limit off"
    )
    slots = "" if args.ask_slots is None else f", {args.ask_slots} question slots"
    print(f"{args.clients} ask clients + {args.checkers} check clients, {min(args.duration, 600.0):.0f} s{slots}")
    print(f"/api/ask    {ask.summary()}")
    print(f"/api/check  {check.summary()}")
    print(f"endpoint saw {endpoint.requests} model calls, {endpoint.abandoned} abandoned by the assistant")
    print(f"/readyz model: {model}")
    ask_ok = bool(ask.latencies) and not ask.errors and max(ask.latencies) < TARGET_ASK_S
    check_ok = bool(check.latencies) and not check.errors and max(check.latencies) * 1000 < TARGET_CHECK_MS
    print(f"target /api/ask max < {TARGET_ASK_S:.0f} s: {'met' if ask_ok else 'MISSED'}")
    print(f"target /api/check max < {TARGET_CHECK_MS:.0f} ms: {'met' if check_ok else 'MISSED'}")
    return 0


def _overrides(args: argparse.Namespace) -> dict[str, float]:
    pairs = (
        ("llm_budget", args.budget),
        ("llm_breaker_cooldown", args.cooldown),
        ("llm_breaker_failures", args.failures),
    )
    return {name: value for name, value in pairs if value is not None}


if __name__ == "__main__":
    raise SystemExit(main())
