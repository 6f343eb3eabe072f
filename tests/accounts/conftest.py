"""Accounts over a real (temporary SQLite) audit database, with a cheap argon2 and a clock the test moves."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from assistant.accounts import Accounts, CookieSigner, Lifetimes, Policy
from assistant.accounts.passwords import Hasher
from assistant.casefile.audit import AuditLog

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
STRONG = "Lantern-orchard-47-quietly"
"""A password zxcvbn scores 4 (our own words)."""


class Clock:
    """A clock that moves only when told."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


def cheap_hasher() -> Hasher:
    """argon2id with tiny costs: the same code paths, milliseconds instead of a third of a second."""
    return Hasher(PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def audit(tmp_path: Path) -> Iterator[AuditLog]:
    log = AuditLog(f"sqlite:///{tmp_path / 'audit.db'}")
    try:
        yield log
    finally:
        log.close()


def make_accounts(audit: AuditLog, clock: Clock, *, dev_mode: bool = False) -> Accounts:
    return Accounts(
        audit.engine,
        CookieSigner(b"a test secret that is long enough to sign with"),
        lifetimes=Lifetimes(idle=dt.timedelta(minutes=30), absolute=dt.timedelta(hours=12)),
        policy=Policy(lock_after=5, address_lock_after=20, max_wait=900),
        hasher=cheap_hasher(),
        clock=clock,
        dev_mode=dev_mode,
    )


@pytest.fixture
def accounts(audit: AuditLog, clock: Clock) -> Accounts:
    return make_accounts(audit, clock)
