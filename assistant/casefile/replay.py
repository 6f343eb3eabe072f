"""Replay memory for chat-tool callbacks: which messages were already taken, and the reply each got.

A chat tool may deliver one message several times (WeCom retries when a reply is late; anyone who captured
a signed callback can resend it). Each delivery asks `first_time(key)`; only the first gets True, so a
message is answered and recorded once. Replicas share the memory through a table of the audit database,
where a unique-key insert decides atomically which of two simultaneous deliveries is the first. The
`ReplayMemory` protocol is what the routes use, so a Redis implementation can take the table's place.

Rows expire: a key is kept for `keep_seconds` (longer than the window in which a signed timestamp is
accepted, so a replay that could still pass the timestamp check always finds its row) and swept later.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from typing import Protocol

from sqlalchemy import Engine, Float, String, Text, delete, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from ..errors import AssistantRuntimeError
from .audit import MigratedEngine

TABLE = "callback_replays"
"""The table's name in the audit database."""


class ReplayMemory(Protocol):
    """What the callback routes need from a replay memory (a database table here; Redis later)."""

    def first_time(self, key: str) -> bool:
        """Claim `key`: True for the first claim within the keep time, False for every later one."""
        ...

    def keep_reply(self, key: str, reply: str) -> None:
        """Attach the reply given to a claimed key, for deliveries that come again."""
        ...

    def reply_for(self, key: str) -> str | None:
        """The reply kept for `key`, or None (unclaimed, expired, or still being answered)."""
        ...

    def forget(self, key: str) -> None:
        """Release a claim whose delivery was not answered (a failure, a refusal), so a retry is answered."""
        ...


class _Base(DeclarativeBase):
    """Declarative base of the replay table: the "callbacks" branch of the migrations creates it."""


class ReplayRow(_Base):
    """One claimed callback key: a digest, when it was first seen, and the reply it got."""

    __tablename__ = TABLE

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    seen_at: Mapped[float] = mapped_column(Float, index=True)
    reply: Mapped[str | None] = mapped_column(Text)


def digest(key: str) -> str:
    """The stored form of a key: fixed length, and no sender or message id in clear."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class ReplayTable:
    """The replay memory in a table of the audit database, shared by every replica using that database."""

    def __init__(
        self,
        engine: Engine | str,
        keep_seconds: float,
        clock: Callable[[], float] = time.time,
        *,
        sweep_every: float = 60.0,
    ) -> None:
        """Remember keys for `keep_seconds` by `clock` (Unix seconds: replicas compare each other's rows).

        `engine` may be a URL, opened (and migrated) on first use, so that building the API does no I/O.
        """
        self.keep_seconds = keep_seconds
        self.clock = clock
        self.sweep_every = sweep_every
        self._db = MigratedEngine(engine, "the replay memory's database")
        self._last_sweep = float("-inf")

    @property
    def engine(self) -> Engine:
        """The engine, opened and the schema brought to every head (under the migrations' lock) on first use.

        Raises:
            ConfigurationError: the database cannot be opened or upgraded.
            AssistantRuntimeError: another process held the schema lock for too long.
        """
        return self._db.get()

    def first_time(self, key: str) -> bool:
        """Claim a key with one insert; the unique key makes the database decide between simultaneous claims.

        Raises:
            AssistantRuntimeError: the database failed (the caller must not answer as if the key were new).
        """
        now = self.clock()
        stored = digest(key)
        try:
            self._sweep(now)
            with Session(self.engine) as session:  # a replay is the common repeat: answer it with a read, no write lock
                seen = session.scalar(select(ReplayRow.seen_at).where(ReplayRow.key == stored))
            if seen is not None and seen >= self._expired_before(now):
                return False
            try:
                with Session(self.engine) as session, session.begin():
                    session.add(ReplayRow(key=stored, seen_at=now, reply=None))
                return True
            except IntegrityError:
                pass
            # Taken before. An expired row not swept yet is renewed by one conditional update, again atomic.
            expired = self._expired_before(now)
            renew = (
                update(ReplayRow)
                .where(ReplayRow.key == stored, ReplayRow.seen_at < expired)
                .values(seen_at=now, reply=None)
            )
            with Session(self.engine) as session, session.begin():
                return bool(session.execute(renew).rowcount)  # type: ignore[attr-defined]
        except SQLAlchemyError as exc:
            raise AssistantRuntimeError(f"replay memory failed: {type(exc).__name__}") from exc

    def keep_reply(self, key: str, reply: str) -> None:
        """Store the reply of a claimed key; a failure is reported, since later deliveries then get none."""
        try:
            with Session(self.engine) as session, session.begin():
                session.execute(update(ReplayRow).where(ReplayRow.key == digest(key)).values(reply=reply))
        except SQLAlchemyError as exc:
            raise AssistantRuntimeError(f"replay memory failed to keep a reply: {type(exc).__name__}") from exc

    def reply_for(self, key: str) -> str | None:
        """The reply stored for a key that has not expired."""
        query = select(ReplayRow.reply).where(
            ReplayRow.key == digest(key), ReplayRow.seen_at >= self._expired_before(self.clock())
        )
        try:
            with Session(self.engine) as session:
                return session.scalar(query)
        except SQLAlchemyError as exc:
            raise AssistantRuntimeError(f"replay memory failed: {type(exc).__name__}") from exc

    def forget(self, key: str) -> None:
        """Delete a key's row."""
        try:
            with Session(self.engine) as session, session.begin():
                session.execute(delete(ReplayRow).where(ReplayRow.key == digest(key)))
        except SQLAlchemyError as exc:
            raise AssistantRuntimeError(f"replay memory failed to forget a key: {type(exc).__name__}") from exc

    def _expired_before(self, now: float) -> float:
        return now - self.keep_seconds

    def _sweep(self, now: float) -> None:
        """Delete expired rows, at most once every `sweep_every` seconds per process."""
        if now - self._last_sweep < self.sweep_every:
            return
        self._last_sweep = now
        with Session(self.engine) as session, session.begin():
            session.execute(delete(ReplayRow).where(ReplayRow.seen_at < self._expired_before(now)))

    def count(self) -> int:
        """Rows held now, expired or not (for tests and operators)."""
        with Session(self.engine) as session:
            return len(session.scalars(select(ReplayRow.key)).all())

    def close(self) -> None:
        """Release the database connections."""
        self._db.dispose()
