"""The cross-process lock the schema upgrade runs under, one kind per database.

- PostgreSQL: a transaction-level advisory lock (`pg_try_advisory_xact_lock`), released by the commit or
  rollback of the upgrade's own transaction, so a crashed replica never leaves it held.
- SQLite file: an exclusive `flock` on `<database>.schema-lock` beside the database (released by the
  kernel when a process dies), then the upgrade in one `BEGIN IMMEDIATE` transaction, so the DDL is atomic
  (pysqlite on its own would commit each CREATE separately) and no writer slips in between.
- SQLite in memory: only that one process sees the database; the transaction alone.
- Any other database: no cross-process lock is known here, so run `assistant db upgrade` once before starting
  several replicas (a warning says so).

Waiting polls with a deadline rather than blocking forever, so a stuck migrator gives a clear error.
"""

from __future__ import annotations

import fcntl
import logging
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Connection

from ...errors import AssistantRuntimeError

PG_LOCK_KEY = 7_305_418_662_913_021
"""The advisory-lock key of the assistant's schema upgrade (any fixed 64-bit number; the same in every replica)."""
POLL_SECONDS = 0.05

log = logging.getLogger(__name__)


@contextmanager
def locked_transaction(connection: Connection, *, timeout: float) -> Iterator[None]:
    """Hold the schema lock and one transaction on `connection` for the body; commit when it succeeds.

    Raises:
        AssistantRuntimeError: the lock was not free within `timeout` seconds.
    """
    dialect = connection.dialect.name
    if dialect == "postgresql":
        with connection.begin():
            _wait(
                lambda: bool(connection.scalar(text("SELECT pg_try_advisory_xact_lock(:k)"), {"k": PG_LOCK_KEY})),
                timeout,
                "the PostgreSQL advisory lock",
            )
            yield
    elif dialect == "sqlite":
        database = connection.engine.url.database
        if database and database != ":memory:" and not database.startswith("file:"):
            lock_file = Path(database).with_name(Path(database).name + ".schema-lock")
            with _file_lock(lock_file, timeout), _immediate(connection):
                yield
        else:
            with _immediate(connection):
                yield
    else:
        log.warning("no schema lock for %s: run `assistant db upgrade` before starting several replicas", dialect)
        with connection.begin():
            yield


@contextmanager
def _immediate(connection: Connection) -> Iterator[None]:
    """One SQLite write transaction that holds DDL too: the driver's own transaction handling is switched off
    (AUTOCOMMIT, restored when the connection returns to the pool) and BEGIN IMMEDIATE issued by hand."""
    connection.execution_options(isolation_level="AUTOCOMMIT")
    with connection.begin():
        connection.exec_driver_sql("BEGIN IMMEDIATE")
        yield


@contextmanager
def _file_lock(path: Path, timeout: float) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o660)  # replicas may run as different users of one group
    try:

        def take() -> bool:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return False
            return True

        _wait(take, timeout, f"the lock file {path}")
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _wait(attempt: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not attempt():
        if time.monotonic() >= deadline:
            raise AssistantRuntimeError(f"schema upgrade: {what} was not free within {timeout:g} s")
        time.sleep(POLL_SECONDS)
