"""Two `assistant serve` replicas on real shared infrastructure, one of them killed with SIGKILL under load.

The test starts everything itself (so `pytest` alone runs it, in scripts/check.sh and CI alike): a PostgreSQL
cluster for the audit log, `redis-server` for rate limits and the replay memory, a `chroma run` server for
the index (built once with `assistant index`, as a deployment's first step), and two replicas pointing at
them, each with its own data folder. Then:

1. rate limits are shared: one client's requests spread over both replicas get the limit once in all;
2. the replay memory is shared: a webhook delivery repeated to the other replica gets the first reply and
   is recorded once (the claim and the rate windows are in Redis; the database's replay table stays empty);
3. load goes to both replicas (round-robin, each request from its own forwarded address so the limit does
   not stop it, a failed request retried on the other replica as a load balancer would) while replica A is
   killed with `kill -9`; every acknowledged answer (HTTP 200 with a case id) must be in the audit log,
   each answer carries the request id its request sent, and the survivor keeps answering;
4. `assistant audit backup` makes a pg_dump archive of that audit log, and `assistant doctor` finds the
   database, the Chroma server and Redis of the deployment answering.

The numbers (answers per replica, errors, missing) are printed; run with `-s` to see them.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
import redis
from sqlalchemy import create_engine, text

from .. import services
from ..services import CLI, ROOT, Replica, ready

pytestmark = [pytest.mark.server, pytest.mark.slow]

LIMIT = 10
"""Requests a minute per client (`rate_limit_per_minute`) on both replicas."""
LOAD_THREADS = 6
BEFORE_KILL_SECONDS = 4.0
AFTER_KILL_SECONDS = 4.0
QUESTIONS = (
    "Our Chaoyang dental chain wants to copy 12,000 patients' X-ray files to a partner in Osaka. What applies?",
    "我们是一家物流公司，要把3000名司机的手机号发给新加坡的总部，需要做什么？",
    "A Beijing FTZ software vendor sends 200 staff payroll records to its parent in Delaware each month.",
    "自贸区内一家零售商想把会员的购物记录同步到香港的服务器，大约八万人。",
)
"""Questions of our own, in both languages (not from the eval sets)."""


@dataclass
class Outcome:
    """One load request as the client saw it."""

    number: int
    replica: str
    status: int | None
    case_id: str | None = None
    request_id: str | None = None
    sent_id: str = ""
    after_kill: bool = False


@dataclass
class Load:
    """What the load threads saw: every attempt, and the count of connection failures per replica."""

    outcomes: list[Outcome] = field(default_factory=list)
    refused: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, outcome: Outcome) -> None:
        with self.lock:
            self.outcomes.append(outcome)

    def failed(self, replica: str) -> None:
        with self.lock:
            self.refused[replica] = self.refused.get(replica, 0) + 1


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[list[Replica], str, dict[str, str]]]:
    """PostgreSQL, Redis, a Chroma server with the index built, and two replicas: (replicas, audit URL, env)."""
    started = time.monotonic()
    with services.deployment(tmp_path_factory.mktemp("replicas"), rate_limit=LIMIT) as started_deployment:
        print(f"\ndeployment (servers, index, replicas) ready in {time.monotonic() - started:.1f} s")
        yield started_deployment.replicas, started_deployment.audit, started_deployment.env


def audit_ids(audit: str) -> set[str]:
    """Every case id the shared audit log holds."""
    engine = create_engine(audit)
    try:
        with engine.connect() as connection:
            return set(connection.scalars(text("SELECT id FROM audit_cases")))
    finally:
        engine.dispose()


def test_two_replicas_share_limits_and_replays_and_lose_no_answer_when_one_is_killed(
    deployment: tuple[list[Replica], str, dict[str, str]], tmp_path: Path
) -> None:
    (a, b), audit, env = deployment

    # 1. One client (one forwarded address) spread over both replicas gets the limit once, not once per replica.
    probe = {"X-Forwarded-For": "198.51.100.7"}
    statuses = [httpx.get(f"{r.base}/v1/models", headers=probe, timeout=10).status_code for r in [a] * 6 + [b] * 6]
    print(f"rate limit {LIMIT}/min, 6 requests to A then 6 to B from one client: {statuses}")
    assert statuses == [200] * LIMIT + [429] * (12 - LIMIT)

    # 2. A chat tool delivering one message twice, once to each replica: answered and recorded once.
    delivery = {"X-Forwarded-For": "198.51.100.8", "Idempotency-Key": "chat-tool-message-0001"}
    body = {"text": QUESTIONS[0]}
    first = httpx.post(f"{a.base}/webhook/generic", json=body, headers=delivery, timeout=60)
    again = httpx.post(f"{b.base}/webhook/generic", json=body, headers=delivery, timeout=60)
    assert first.status_code == again.status_code == 200, (first.text, again.text)
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert again.json()["case_id"] == first.json()["case_id"] is not None
    assert first.json()["case_id"] in audit_ids(audit)
    shared = redis.Redis.from_url(env["ASSISTANT_REDIS_URL"])
    try:  # both lived in Redis, not in the audit database's replay table or in either replica's memory
        assert shared.keys("assistant-replay:*") and shared.keys("assistant-limits*")
    finally:
        shared.close()
    engine = create_engine(audit)
    try:
        with engine.connect() as connection:
            assert connection.scalar(text("SELECT count(*) FROM callback_replays")) == 0
    finally:
        engine.dispose()

    # 3. Load on both; A is killed with SIGKILL half-way.
    load = Load()
    numbers = itertools.count()
    killed = threading.Event()
    stop_load = threading.Event()

    def client() -> None:
        with httpx.Client(timeout=30) as http:
            while not stop_load.is_set():
                n = next(numbers)
                order = [a, b] if n % 2 == 0 else [b, a]
                sent_id = f"load-{n:06d}"
                headers = {
                    "X-Forwarded-For": f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}",
                    "X-Request-ID": sent_id,
                }
                for replica in order:
                    after = killed.is_set()
                    try:
                        reply = http.post(f"{replica.base}/api/ask", json={"question": QUESTIONS[n % len(QUESTIONS)]},
                                          headers=headers)  # fmt: skip
                    except httpx.TransportError:
                        load.failed(replica.name)
                        continue  # as a load balancer would: the same request to the other replica
                    data = reply.json() if reply.status_code == 200 else {}
                    load.add(Outcome(n, replica.name, reply.status_code, data.get("case_id"), data.get("request_id"),
                                     sent_id, after))  # fmt: skip
                    break

    threads = [threading.Thread(target=client) for _ in range(LOAD_THREADS)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    time.sleep(BEFORE_KILL_SECONDS)
    os.kill(a.process.pid, signal.SIGKILL)
    killed.set()
    time.sleep(AFTER_KILL_SECONDS)
    stop_load.set()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    assert a.process.wait(timeout=10) == -signal.SIGKILL

    answered = [o for o in load.outcomes if o.status == 200]
    acknowledged = {o.case_id for o in answered if o.case_id}
    stored = audit_ids(audit)
    missing = acknowledged - stored
    by = {(o.replica, o.after_kill): sum(1 for x in answered if (x.replica, x.after_kill) == (o.replica, o.after_kill))
          for o in answered}  # fmt: skip
    print(
        f"load: {len(load.outcomes)} replies in {elapsed:.1f} s ({len(answered)} answered: A before the kill "
        f"{by.get(('A', False), 0)}, B before {by.get(('B', False), 0)}, A after {by.get(('A', True), 0)}, "
        f"B after {by.get(('B', True), 0)}); connection failures {load.refused}; acknowledged {len(acknowledged)}, "
        f"in the audit log {len(acknowledged & stored)}, missing {len(missing)}"
    )
    assert [o for o in load.outcomes if o.status != 200] == []  # every request was answered by one replica
    assert all(o.case_id for o in answered)  # each answer was recorded before it was acknowledged
    assert missing == set()
    assert all(o.request_id == o.sent_id for o in answered)
    assert by.get(("A", False), 0) > 0 and by.get(("B", False), 0) > 0
    assert by.get(("B", True), 0) > 0  # the survivor kept answering
    assert set(load.refused) <= {"A"}
    assert ready(b.base)

    # 4. A consistent copy of the shared audit log while B still runs.
    if shutil.which("pg_dump") is None:
        pytest.fail("pg_dump is missing (Debian: postgresql-client), so `assistant audit backup` cannot be checked")
    archive = tmp_path / "audit.dump"
    backup = subprocess.run([*CLI, "audit", "backup", str(archive)], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=120)  # fmt: skip
    assert backup.returncode == 0, backup.stdout + backup.stderr
    listing = subprocess.run(["pg_restore", "--list", str(archive)], capture_output=True, text=True, check=True)
    assert "TABLE DATA public audit_cases" in listing.stdout
    print(f"backup: {archive.stat().st_size:,} bytes; {json.dumps(backup.stdout.strip())}")
    doctor = subprocess.run([*CLI, "doctor", "--json"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    checks = {check["name"]: check["status"] for check in json.loads(doctor.stdout)["checks"]}
    assert (checks.get("audit"), checks.get("index"), checks.get("redis")) == ("ok", "ok", "ok"), doctor.stdout
