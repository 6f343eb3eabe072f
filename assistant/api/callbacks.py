"""What every chat-tool callback checks before it answers: a fresh timestamp, a first delivery, a sender's pace.

- Timestamps: a signed callback older or newer than the window (default 5 minutes) is refused, so a captured
  callback stops working soon; the check needs no decryption and runs first.
- Replays: a message id (or nonce) is claimed in the shared replay memory; a delivery that is not the
  first gets the reply the first got (or an empty success) and is never answered or recorded again.
- Pace: each sender (a WeCom member, a webhook key or address) has a per-minute limit (the `RateLimiter` of
  the API gate: counted in Redis, shared by the replicas, when `redis_url` is set).

The refusals every callback route gives (not configured, rejected, busy) are built here too, so that the chat
tools answer them alike and describe them alike in the OpenAPI document.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import anyio.to_thread
from fastapi.responses import JSONResponse

from ..casefile.replay import ReplayMemory, ReplayTable
from ..errors import AssistantError
from ..settings import Settings
from .gate import RateLimiter, limit_storage
from .problems import error_response
from .wecom import CallbackRejected

log = logging.getLogger(__name__)

TIMESTAMP_DIGITS = 12
"""More digits than any Unix time in seconds until the year 33658: longer values are not timestamps."""


QUEUE_FULL = "Too many answers are waiting; the message was not taken."
"""The 503 of a route that hands its answers to the reply worker (see `busy`)."""


def responses(bad_request: str, forbidden: str, unavailable: str | None = None) -> dict[int | str, dict[str, object]]:
    """The OpenAPI error responses of a callback route: its own 400 (malformed) and 403 (not authentic), the
    404 of a chat tool that is not configured, and what its 503 means, if it has one."""
    table: dict[int | str, dict[str, object]] = {
        400: {"description": bad_request},
        403: {"description": forbidden},
        404: {"description": "The chat tool is not configured (its settings are not set)."},
    }
    if unavailable:
        table[503] = {"description": unavailable}
    return table


def not_configured(message: str) -> JSONResponse:
    """The 404 of a callback whose chat tool is not configured; `message` names the settings to set."""
    return error_response(404, message, "not_found_error", code="not_configured")


def rejected(exc: CallbackRejected, platform: str) -> JSONResponse:
    """The refusal of a callback that failed a check, with the status the check chose (400 or 403)."""
    return error_response(exc.status, f"callback rejected: {exc}", "invalid_request_error", code=platform)


def busy() -> JSONResponse:
    """The 503 of a message not taken because the reply worker's queue is full (the platform may retry)."""
    return error_response(503, "too many answers are waiting; try again", "server_error", code="busy")


def replay_memory(settings: Settings, keep: float, clock: Callable[[], float] = time.time) -> ReplayMemory:
    """Redis (`redis_url`) when replicas share one, else the audit database's table; both keep keys `keep` s."""
    if settings.redis_url:
        from ..casefile.replay_redis import RedisReplay

        return RedisReplay(settings.redis_url, keep)
    return ReplayTable(settings.audit_database_url(), keep, clock)


def keep_seconds(window: float) -> float:
    """How long a claimed key is remembered: a callback stamped at t passes the timestamp check from t - window
    until t + window, so its replays can arrive up to 2 x window after the first delivery; a minute more for
    clock skew between replicas."""
    return 2 * window + 60


@dataclass
class CallbackGuard:
    """Timestamp window, replay memory and per-sender limits of the chat-tool callbacks of one application."""

    window: float
    memory: ReplayMemory
    wecom_limiter: RateLimiter
    webhook_limiter: RateLimiter
    clock: Callable[[], float] = field(default=time.time)
    chat_limiter: RateLimiter | None = None
    """Per-sender limit of the chat-tool bots (Feishu, DingTalk, WeCom robot); None: `wecom_limiter`'s."""

    @classmethod
    def from_settings(cls, settings: Settings, clock: Callable[[], float] = time.time) -> CallbackGuard:
        """The guard the settings describe, remembering keys in Redis when `redis_url` is set, else in the audit
        database (opened on first use); the per-sender limits count where the gate's do (`limit_storage`).

        `clock` (Unix seconds) drives the timestamp check and the memory's expiry; tests pass a fixed one.
        """
        window = float(settings.callback_window_seconds)
        shared = limit_storage(settings)
        return cls(
            window=window,
            memory=replay_memory(settings, keep_seconds(window), clock),
            wecom_limiter=RateLimiter(settings.wecom_rate_limit_per_minute, scope="wecom", storage=shared),
            webhook_limiter=RateLimiter(settings.webhook_rate_limit_per_minute, scope="webhook", storage=shared),
            clock=clock,
        )

    def check_time(self, timestamp: str) -> None:
        """Refuse a timestamp that is not Unix seconds (400) or is outside the window around now (403)."""
        if not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= TIMESTAMP_DIGITS):
            raise CallbackRejected("timestamp must be Unix time in seconds", 400)
        drift = int(timestamp) - self.clock()
        if abs(drift) > self.window:
            when = "old" if drift < 0 else "ahead"
            raise CallbackRejected(f"timestamp is {abs(int(drift))} s {when}; at most {int(self.window)} s accepted")

    async def first_time(self, key: str) -> bool:
        """Claim a key in the replay memory (a database write, so in a worker thread)."""
        return await anyio.to_thread.run_sync(self.memory.first_time, key)

    async def keep_reply(self, key: str, reply: str) -> None:
        """Keep the reply of a claimed key for its later deliveries; a failure is logged, since the answer
        already exists and is recorded: this delivery still gets it, later ones get an empty success."""
        try:
            await anyio.to_thread.run_sync(self.memory.keep_reply, key, reply)
        except AssistantError as exc:
            log.error("could not keep a callback's reply for its repeated deliveries: %s", exc)

    async def reply_for(self, key: str) -> str | None:
        """The reply kept for a key, if the first delivery has been answered."""
        return await anyio.to_thread.run_sync(self.memory.reply_for, key)

    async def forget(self, key: str) -> None:
        """Release a claim that was not answered, so that a later delivery is."""
        await anyio.to_thread.run_sync(self.memory.forget, key)

    def over_pace(self, platform: str, sender: str) -> bool:
        """Count one message of a chat-tool sender; True when the sender is over the per-minute limit."""
        limiter = self.chat_limiter or self.wecom_limiter
        return limiter.hit(f"{platform}:{sender}") is not None

    async def claim(self, *keys: str) -> bool:
        """Claim every key (a message id, a delivery's nonce...); False when any was taken before: a repeat.

        Keys are claimed in order and the claim stops at the first taken one, so a repeat claims nothing new.
        """
        for key in keys:
            if not await self.first_time(key):
                return False
        return True


MASK_KEEP = 4
"""Characters of an id kept in clear in logs and the audit record (enough to tell ids apart by eye)."""


def masked_id(value: str) -> str:
    """An id (a chat, a sender) for logs and the audit record: its first characters and a short digest.

    The same id always gives the same text (a help desk can group a sender's cases), but the id itself, which
    the platform's API would accept, is never stored or logged whole.
    """
    value = value or "-"
    digest = hashlib.sha256(value.encode("utf-8")).hexdigest()[:8]
    return f"{value[:MASK_KEEP]}…{digest}"


def audit_id(platform: str, chat: str, sender: str) -> str:
    """The audit record's `key_id` of a chat-tool turn: the platform and the masked chat and sender ids."""
    return f"{platform} chat {masked_id(chat)} sender {masked_id(sender)}"[:128]
