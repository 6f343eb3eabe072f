"""A knowledge store over a real (temporary SQLite) audit database, with accounts of each role."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from assistant.accounts import Accounts, CookieSigner
from assistant.accounts.passwords import Hasher
from assistant.casefile.audit import AuditLog
from assistant.knowledge import KnowledgeStore

STRONG = "Copper-harbour-91-slowly"
"""A password zxcvbn scores well (our own words)."""


@pytest.fixture
def audit(tmp_path: Path) -> Iterator[AuditLog]:
    log = AuditLog(f"sqlite:///{tmp_path / 'audit.db'}")
    try:
        yield log
    finally:
        log.close()


@pytest.fixture
def accounts(audit: AuditLog) -> Accounts:
    hasher = Hasher(PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    made = Accounts(audit.engine, CookieSigner(b"k" * 32), hasher=hasher)
    made.add("olga", STRONG, "officer")
    made.add("anna", STRONG, "approver")
    made.add("bert", STRONG, "approver")
    made.add("adam", STRONG, "admin")
    return made


@pytest.fixture
def store(audit: AuditLog, accounts: Accounts) -> KnowledgeStore:
    return KnowledgeStore(audit.engine)
