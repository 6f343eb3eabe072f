"""Real servers that tests start for themselves, on free loopback ports, and stop afterwards.

- `postgres_cluster()`: a throwaway PostgreSQL cluster (Debian's `postgresql` server binaries); as root it runs
  as the `postgres` user, since initdb refuses root.
- `redis_server()`: `redis-server` as a child process (no config file, no persistence, no daemon).
- `chroma_server()`: `chroma run` from the virtualenv, as scripts/chroma_server.sh starts it.

Each is a context manager yielding the URL to connect to; a missing program skips the test (`pytest.skip`).
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
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

STARTUP_SECONDS = 60.0
"""How long a server may take to answer before the test fails."""


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
