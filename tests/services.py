"""Real servers that tests start for themselves, on free loopback ports, and stop afterwards.

- `postgres_cluster()`: a throwaway PostgreSQL cluster (Debian's `postgresql` server binaries); as root it runs
  as the `postgres` user, since initdb refuses root.
- `redis_server()`: `redis-server` as a child process (no config file, no persistence, no daemon).
- `chroma_server()`: `chroma run` from the virtualenv, as scripts/chroma_server.sh starts it.
- `replicas()`: `assistant serve` replicas on those three, each with its own data folder; `deployment()` starts
  the whole set (the three servers, a fresh audit database, the index built with `assistant index`, the replicas).

Each is a context manager yielding what to connect to; a missing program skips the test (`pytest.skip`). The
replica test and `evals/load_api.py --replicas 2` share `deployment()`, so the load is measured on what is tested.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pytest

STARTUP_SECONDS = 60.0
"""How long a server may take to answer before the test fails."""
ROOT = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-m", "assistant.cli"]
REPLICA_READY_SECONDS = 240.0
"""How long a replica may take to be ready (about 25 s on an idle 2-core machine; much longer on a busy one)."""


def free_port() -> int:
    """A TCP port free on 127.0.0.1 now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until(
    ready: Callable[[], bool], process: subprocess.Popen[bytes], log: Path, what: str, seconds: float = STARTUP_SECONDS
) -> None:
    """Poll `ready` until it holds; fail with the log's tail when the process exits or `seconds` pass."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited ({process.returncode}):\n{log.read_text(errors='replace')[-3000:]}")
        if ready():
            return
        time.sleep(0.2)
    raise RuntimeError(f"{what} did not answer within {seconds:.0f} s:\n{log.read_text(errors='replace')[-3000:]}")


def stop(process: subprocess.Popen[bytes], seconds: float = 15) -> None:
    """SIGTERM, then SIGKILL after `seconds`; reaps the process."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def postgres_binaries() -> Path | None:
    """The folder of initdb and pg_ctl (on PATH, else Debian's /usr/lib/postgresql/N/bin), or None."""
    found = shutil.which("initdb") or next(iter(sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))[-1:]), None)
    return Path(found).resolve().parent if found else None


@contextmanager
def postgres_cluster(max_connections: int = 60) -> Iterator[str]:
    """A PostgreSQL cluster on a free loopback port (trust auth, fsync off); yields the `postgres` database's URL."""
    pytest.importorskip("psycopg")
    binaries = postgres_binaries()
    if binaries is None:
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    folder = Path(tempfile.mkdtemp(prefix="assistant-pg-"))
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if as_postgres:
        shutil.chown(folder, "postgres")
    data, port = folder / "data", free_port()
    pg_ctl = [*as_postgres, str(binaries / "pg_ctl"), "-D", str(data)]
    try:
        subprocess.run(
            [*as_postgres, str(binaries / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "--no-sync"],
            check=True,
            capture_output=True,
            cwd=folder,
        )
        options = (
            f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections={max_connections}"
        )
        start = [*pg_ctl, "-l", str(folder / "log"), "-w", "-t", "60", "-o", options, "start"]
        subprocess.run(start, check=True, capture_output=True, cwd=folder)
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*pg_ctl, "-m", "fast", "-w", "stop"], capture_output=True, cwd=folder)
        shutil.rmtree(folder, ignore_errors=True)


def new_database(server: str) -> str:
    """A fresh, empty database in the cluster at `server`; returns its URL."""
    from sqlalchemy import create_engine, text

    name = f"audit_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return server.rsplit("/", 1)[0] + f"/{name}"


@contextmanager
def redis_server(folder: Path) -> Iterator[str]:
    """`redis-server` on a free loopback port, nothing saved to disk; yields its redis:// URL."""
    program = shutil.which("redis-server")
    if program is None:
        pytest.skip("redis-server is not installed (Debian: redis-server)")
    import redis

    port, log = free_port(), folder / "redis.log"
    command = [program, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
               "--daemonize", "no", "--dir", str(folder), "--logfile", ""]  # fmt: skip
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)

    def pong() -> bool:
        try:
            return bool(client.ping())
        except redis.RedisError:
            return False

    try:
        wait_until(pong, process, log, "redis-server")
        yield url
    finally:
        client.close()
        stop(process)


@contextmanager
def chroma_server(folder: Path) -> Iterator[str]:
    """`chroma run` on a free loopback port with its data in `folder`; yields its http:// URL."""
    program = Path(sys.executable).with_name("chroma")
    if not program.is_file():
        pytest.skip("the chroma command is not installed in the virtualenv")
    port, log = free_port(), folder / "chroma.log"
    url = f"http://127.0.0.1:{port}"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(program), "run", "--path", str(folder / "data"), "--host", "127.0.0.1", "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )

    def heartbeat() -> bool:
        try:
            with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=2) as response:
                return bool(response.status == 200)
        except OSError:
            return False

    try:
        wait_until(heartbeat, process, log, "chroma run")
        yield url
    finally:
        stop(process)


@dataclass
class Replica:
    """One `assistant serve` process: its name, base URL and process."""

    name: str
    base: str
    process: subprocess.Popen[bytes]


def replica_env(
    state: Path, audit: str, redis: str, chroma: str, rate_limit: int = 0, embedder: str | None = "fake"
) -> dict[str, str]:
    """The environment of a replica (and of the CLI run against the same deployment).

    The caller's ASSISTANT_* variables are dropped so that a developer's shell cannot change what is measured;
    `embedder=None` keeps the default (bundled) embedder, as a real deployment has it.
    """
    env = {name: value for name, value in os.environ.items() if not name.startswith("ASSISTANT_")}
    env.update(
        ASSISTANT_DATA_DIR=str(state / "data"),
        ASSISTANT_AUDIT_URL=audit,
        ASSISTANT_REDIS_URL=redis,
        ASSISTANT_CHROMA_URL=chroma,
        ASSISTANT_RATE_LIMIT_PER_MINUTE=str(rate_limit),
        ASSISTANT_TRUSTED_PROXIES='["127.0.0.1"]',  # the caller is the proxy: it names each client's address
        GRADIO_TEMP_DIR=str(state / "gradio"),
        HF_HUB_OFFLINE="1",
        ANONYMIZED_TELEMETRY="False",
        GRADIO_ANALYTICS_ENABLED="False",
    )
    if embedder is not None:
        env["ASSISTANT_EMBEDDER"] = embedder
    return env


def ready(base: str) -> bool:
    """Whether the server at `base` answers /readyz with 200 (index loaded)."""
    import httpx

    try:
        return httpx.get(f"{base}/readyz", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


@contextmanager
def replicas(
    folder: Path, env_for: Callable[[Path], dict[str, str]], names: Sequence[str] = ("A", "B")
) -> Iterator[list[Replica]]:
    """Replicas started together, each in `folder / name` with `env_for(that folder)`; yielded once all are ready."""
    started: list[tuple[Replica, Path]] = []
    try:
        for name in names:
            state = folder / name
            state.mkdir()
            port, log = free_port(), state / "serve.log"
            with log.open("wb") as out:
                process = subprocess.Popen(
                    [*CLI, "serve", "--host", "127.0.0.1", "--port", str(port)],
                    cwd=ROOT,
                    env=env_for(state),
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )
            started.append((Replica(name, f"http://127.0.0.1:{port}", process), log))
        for replica, log in started:
            check = partial(ready, replica.base)
            wait_until(check, replica.process, log, f"replica {replica.name}", REPLICA_READY_SECONDS)
        yield [replica for replica, _ in started]
    finally:
        for replica, _ in started:
            stop(replica.process)


@dataclass
class Deployment:
    """A started deployment: its replicas, the audit database's URL and the environment of its CLI."""

    replicas: list[Replica]
    audit: str
    env: dict[str, str]


@contextmanager
def deployment(
    folder: Path, names: Sequence[str] = ("A", "B"), rate_limit: int = 0, embedder: str | None = "fake"
) -> Iterator[Deployment]:
    """PostgreSQL, Redis, a Chroma server with the index built (`assistant index`, a deployment's first step),
    and replicas named `names` on them; everything is stopped on exit."""
    with ExitStack() as stack:
        cluster = stack.enter_context(postgres_cluster())
        redis = stack.enter_context(redis_server(folder))
        chroma = stack.enter_context(chroma_server(folder))
        audit = new_database(cluster)
        env_for = partial(
            replica_env, audit=audit, redis=redis, chroma=chroma, rate_limit=rate_limit, embedder=embedder
        )
        env = env_for(folder / "cli")
        built = subprocess.run([*CLI, "index"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
        if built.returncode != 0:
            raise RuntimeError(f"assistant index failed ({built.returncode}):\n{built.stderr[-3000:]}")
        servers = stack.enter_context(replicas(folder, env_for, names))
        yield Deployment(servers, audit, env)
