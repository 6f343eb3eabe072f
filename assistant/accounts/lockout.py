"""Sign-in throttling: failures counted per account name and per client address, with a doubling lock.

After `lock_after` consecutive failures the key is locked for 1 s, then each further failure doubles the wait
up to `max_wait`. An attempt counts before its password is checked (and is taken back when it succeeds), so
parallel guesses cannot slip past the count; attempts refused while locked check nothing and count nothing.
Unknown names are throttled exactly like known ones, so the answers do not tell which names exist.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from .tables import ThrottleRow

FORGET_AFTER = dt.timedelta(hours=24)
"""A key with no failure for this long starts counting from zero again."""


@dataclass(frozen=True)
class Policy:
    """When keys lock and for how long."""

    lock_after: int = 5
    address_lock_after: int = 20
    max_wait: float = 900.0

    def threshold(self, key: str) -> int:
        """The failures that lock this key (an address key or an account key)."""
        return self.address_lock_after if key.startswith("address:") else self.lock_after


def wait_after(failures: int, lock_after: int, max_wait: float) -> float:
    """Seconds locked after this many consecutive failures: 0 below `lock_after`, then 1, 2, 4, ... `max_wait`."""
    if failures < lock_after:
        return 0.0
    return float(min(2.0 ** min(failures - lock_after, 30), max_wait))


def account_key(name: str) -> str:
    """The throttle key of an account name."""
    return f"account:{name}"


def address_key(address: str) -> str:
    """The throttle key of a client address."""
    return f"address:{address or '?'}"


def locked_until(session: Session, keys: list[str], now: dt.datetime) -> dt.datetime | None:
    """The latest lock among these keys still running at `now`, or None when none is locked."""
    ends = []
    for key in keys:
        row = session.get(ThrottleRow, key, with_for_update=True)
        until = aware(row.locked_until) if row is not None and row.locked_until is not None else None
        if until is not None and until > now:
            ends.append(until)
    return max(ends) if ends else None


def count_attempt(session: Session, key: str, now: dt.datetime, policy: Policy) -> dt.datetime | None:
    """Count one attempt against the key; when that reaches its threshold, the end of the lock it starts."""
    row = session.get(ThrottleRow, key, with_for_update=True)
    if row is None:
        row = ThrottleRow(key=key, failures=0, last_failure=now, locked_until=None)
        session.add(row)
    elif now - aware(row.last_failure) > FORGET_AFTER:
        row.failures = 0
    row.failures += 1
    row.last_failure = now
    wait = wait_after(row.failures, policy.threshold(key), policy.max_wait)
    row.locked_until = now + dt.timedelta(seconds=wait) if wait else None
    return row.locked_until


def restart_locks(session: Session, keys: list[str], now: dt.datetime) -> None:
    """Let the locks these keys' last failure started run from `now` (after the password check), as long as before."""
    for key in keys:
        row = session.get(ThrottleRow, key, with_for_update=True)
        if row is not None and row.locked_until is not None:
            length = aware(row.locked_until) - aware(row.last_failure)
            row.locked_until = now + length


def take_back(session: Session, key: str, policy: Policy, *, clear: bool) -> None:
    """Undo a counted attempt that succeeded: clear the account's count, or take one off the address's."""
    row = session.get(ThrottleRow, key, with_for_update=True)
    if row is None:
        return
    if clear:
        session.delete(row)
        return
    row.failures = max(0, row.failures - 1)
    if row.failures < policy.threshold(key):
        row.locked_until = None


def aware(value: dt.datetime) -> dt.datetime:
    """A stored instant as UTC (SQLite hands timezone-aware columns back naive)."""
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
