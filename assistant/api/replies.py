"""Acknowledge at once, answer later: the background worker that answers chat-tool messages after the callback.

WeCom wants a callback answered within 5 seconds, Feishu within 3 (it redelivers otherwise), DingTalk soon;
an answer that waits for a slow model would be lost or answered twice. So a callback route checks and claims
the message, submits a `ReplyJob` and returns its acknowledgement at once; the job waits until that
acknowledgement has been sent (`acked`, set by the response's background task), then computes the answer
and sends it through the platform's message API.

- Bounded: `workers` jobs run at once (each still waits for a question slot of the service) and at most
  `queue` wait; `submit` says False when full, and the route tells the sender to try again.
- Owned by the app's lifespan (`running()`): the workers start with the app and finish the queued jobs when
  it stops (for at most `drain_seconds`).
- Sends are retried (`attempts`, doubling `backoff`); a reply that still cannot be sent, or an answer that
  could not be computed, is logged and written to `chat_undelivered` in the audit database (never dropped
  silently), and the job's `failed` callback may tell the sender.
- Testable by order, not by a clock: `hook(stage, job)` is awaited at each stage ("acked", "computing",
  "computed", "sent", "failed"), so a test sees that the answer is computed only after the ack was sent.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol

import anyio
import anyio.to_thread
from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream
from sqlalchemy import Engine, Float, Integer, String, Text, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from ..casefile.audit import MigratedEngine
from ..casefile.privacy import clean_text
from ..settings import Settings

log = logging.getLogger(__name__)

UNDELIVERED_TABLE = "chat_undelivered"
"""Replies that could not be computed or sent, for an operator to follow up (masked target, case id, error)."""

STAGES = ("acked", "computing", "computed", "sent", "failed")
"""The stages a job passes, in order ("failed" instead of "sent" when it could not be delivered)."""

Hook = Callable[[str, "ReplyJob"], Awaitable[None]]


@dataclass
class ReplyJob:
    """One answer to compute and send: what to compute, how to send it, whom it is for (masked, for records).

    `compute()` returns the payload `send(payload)` delivers; `failed(error)` (optional) tells the sender that
    no answer is coming. `case_id` may be set by `compute` so that a failure record names the recorded case.
    """

    platform: str
    target: str
    compute: Callable[[], Awaitable[Any]]
    send: Callable[[Any], Awaitable[None]]
    failed: Callable[[str], Awaitable[None]] | None = None
    case_id: str | None = None
    acked: anyio.Event = field(default_factory=anyio.Event)

    async def ack(self) -> None:
        """Mark the acknowledgement sent (the background task of the route's response calls it)."""
        self.acked.set()


class Undelivered(Protocol):
    """Where a reply that could not be delivered is recorded."""

    def record(self, platform: str, target: str, case_id: str | None, error: str) -> None:
        """Keep one failure."""
        ...


class _Base(DeclarativeBase):
    """Declarative base of the undelivered-replies table."""


class UndeliveredRow(_Base):
    """One reply that was not delivered."""

    __tablename__ = UNDELIVERED_TABLE

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[float] = mapped_column(Float, index=True)
    platform: Mapped[str] = mapped_column(String(16))
    target: Mapped[str] = mapped_column(String(128))
    case_id: Mapped[str | None] = mapped_column(String(32))
    error: Mapped[str] = mapped_column(Text)


class UndeliveredTable:
    """Undelivered replies in a table of the audit database (opened and migrated on first use)."""

    def __init__(self, engine: Engine | str, clock: Callable[[], float] = time.time) -> None:
        self.clock = clock
        self._db = MigratedEngine(engine, "the undelivered replies' database")

    @property
    def engine(self) -> Engine:
        """The engine, opened and migrated on first use.

        Raises:
            ConfigurationError: the database cannot be opened or upgraded.
        """
        return self._db.get()

    def record(self, platform: str, target: str, case_id: str | None, error: str) -> None:
        """Keep one failure (texts cleaned and cut)."""
        row = UndeliveredRow(
            at=self.clock(),
            platform=clean_text(platform, 16)[0],
            target=clean_text(target, 100)[0],
            case_id=clean_text(case_id, 32)[0] if case_id else None,
            error=clean_text(error, 2000)[0],
        )
        with Session(self.engine) as session, session.begin():
            session.add(row)

    def recent(self, limit: int = 50) -> list[UndeliveredRow]:
        """The latest failures first."""
        query = select(UndeliveredRow).order_by(UndeliveredRow.at.desc()).limit(limit)
        with Session(self.engine, expire_on_commit=False) as session:
            return list(session.scalars(query))

    def close(self) -> None:
        """Release the database connections."""
        self._db.dispose()


async def _no_hook(stage: str, job: ReplyJob) -> None:
    return None


class ReplyWorker:
    """A bounded pool of tasks answering submitted jobs after their acknowledgement, started by the app's lifespan."""

    def __init__(
        self,
        undelivered: Undelivered | None = None,
        *,
        workers: int = 4,
        queue: int = 100,
        attempts: int = 3,
        backoff: float = 0.5,
        ack_timeout: float = 30.0,
        drain_seconds: float = 30.0,
        hook: Hook | None = None,
    ) -> None:
        """`undelivered` records failures (None: logged only); `hook` is awaited at every stage (tests)."""
        self.undelivered = undelivered
        self.workers = workers
        self.queue = queue
        self.attempts = max(1, attempts)
        self.backoff = backoff
        self.ack_timeout = ack_timeout
        self.drain_seconds = drain_seconds
        self.hook: Hook = hook or _no_hook
        self.delivered = 0
        self.failures = 0
        self._inbox: MemoryObjectSendStream[ReplyJob] | None = None

    @classmethod
    def from_settings(cls, settings: Settings, hook: Hook | None = None) -> ReplyWorker:
        """A worker recording failures in the audit database."""
        return cls(
            UndeliveredTable(settings.audit_database_url()),
            workers=settings.chat_tool_reply_workers,
            hook=hook,
        )

    @property
    def running_now(self) -> bool:
        """Whether the workers are started (jobs can be submitted)."""
        return self._inbox is not None

    @asynccontextmanager
    async def running(self) -> AsyncIterator[ReplyWorker]:
        """Run the workers for the life of the block; on exit, finish queued jobs (for at most `drain_seconds`)."""
        send, receive = anyio.create_memory_object_stream[ReplyJob](self.queue)
        async with anyio.create_task_group() as group:
            for _ in range(self.workers):
                group.start_soon(self._work, receive.clone())
            receive.close()
            self._inbox = send
            try:
                yield self
            finally:
                self._inbox = None
                send.close()
                group.cancel_scope.deadline = anyio.current_time() + self.drain_seconds

    def submit(self, job: ReplyJob) -> bool:
        """Queue a job; False when the workers are not running or the queue is full (nothing was queued)."""
        if self._inbox is None:
            return False
        try:
            self._inbox.send_nowait(job)
        except (anyio.WouldBlock, anyio.ClosedResourceError, anyio.BrokenResourceError):
            return False
        return True

    async def _work(self, inbox: MemoryObjectReceiveStream[ReplyJob]) -> None:
        async with inbox:
            async for job in inbox:
                try:
                    await self.handle(job)
                except Exception:  # a worker never dies of one job: the next ones still get answers
                    log.exception("reply worker: unexpected failure of a %s job", job.platform)

    async def handle(self, job: ReplyJob) -> None:
        """Wait for the ack, compute, send with retries; record a failure at any step."""
        with anyio.move_on_after(self.ack_timeout) as waited:
            await job.acked.wait()
        if waited.cancelled_caught:
            log.warning(
                "reply worker: no ack seen for a %s message after %.0f s; answering anyway",
                job.platform,
                self.ack_timeout,
            )
        await self.hook("acked", job)
        await self.hook("computing", job)
        try:
            payload = await job.compute()
        except Exception as exc:
            log.exception(
                "reply worker: the answer for a %s message (%s) could not be computed", job.platform, job.target
            )
            await self._failed(job, f"answer failed: {type(exc).__name__}: {exc}")
            return
        await self.hook("computed", job)
        error = ""
        for attempt in range(self.attempts):
            try:
                await job.send(payload)
            except Exception as exc:
                error = f"{type(exc).__name__}: {exc}"
                log.warning(
                    "reply worker: sending to %s (%s) failed, attempt %d of %d: %s",
                    job.platform,
                    job.target,
                    attempt + 1,
                    self.attempts,
                    error,
                )
                if attempt + 1 < self.attempts:
                    await anyio.sleep(self.backoff * 2**attempt)
                continue
            self.delivered += 1
            await self.hook("sent", job)
            return
        await self._failed(job, f"send failed after {self.attempts} attempts: {error}")

    async def _failed(self, job: ReplyJob, error: str) -> None:
        """Log, record and (when the job can) tell the sender; never raises."""
        self.failures += 1
        log.error(
            "reply worker: no reply delivered to %s (%s, case %s): %s", job.platform, job.target, job.case_id, error
        )
        if self.undelivered is not None:
            try:
                await anyio.to_thread.run_sync(self.undelivered.record, job.platform, job.target, job.case_id, error)
            except Exception:
                log.exception("reply worker: could not record an undelivered %s reply", job.platform)
        if job.failed is not None:
            try:
                await job.failed(error)
            except Exception as exc:
                log.warning("reply worker: could not tell the %s sender that the answer failed: %s", job.platform, exc)
        await self.hook("failed", job)
