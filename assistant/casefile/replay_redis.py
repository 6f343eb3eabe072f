"""The replay memory of chat-tool callbacks in Redis, for replicas that share a Redis (`redis_url`).

The same `ReplayMemory` protocol as the audit database's table (`replay.ReplayTable`), with Redis doing the
work the table does by hand: `SET key "" NX PX keep` claims a key atomically (of two replicas receiving the
same delivery at once, exactly one gets True), and the key expires by itself after `keep_seconds`, so there
is nothing to sweep. A claimed key holds an empty value until its reply is kept (`R` + the reply), so a
claim still being answered and an answered one are told apart.

Keys are stored as digests under a prefix (no sender or message id in clear), as in the table.
"""

from __future__ import annotations

import math

import redis

from ..errors import AssistantRuntimeError, ConfigurationError
from .replay import digest

KEY_PREFIX = "assistant-replay:"
"""Prefix of the replay memory's keys in Redis."""
REPLIED = b"R"
"""The first byte of a value that holds a reply (a bare claim holds nothing)."""
TIMEOUT = 2.0
"""Seconds to connect to or hear from Redis; a callback that cannot be checked is refused, not answered twice."""


class RedisReplay:
    """The replay memory in Redis, shared by every replica using that Redis."""

    def __init__(self, url: str, keep_seconds: float, *, prefix: str = KEY_PREFIX) -> None:
        """Remember keys for `keep_seconds` (Redis's own clock expires them); no I/O until the first call.

        Raises:
            ConfigurationError: `url` is not a Redis URL.
        """
        self.keep_ms = max(1, math.ceil(keep_seconds * 1000))
        self.prefix = prefix
        try:
            self.client = redis.Redis.from_url(url, socket_timeout=TIMEOUT, socket_connect_timeout=TIMEOUT)
        except ValueError as exc:
            raise ConfigurationError(f"the replay memory's Redis URL is not usable: {exc}") from None

    def _key(self, key: str) -> str:
        return self.prefix + digest(key)

    def first_time(self, key: str) -> bool:
        """Claim a key with one `SET NX`: Redis decides between simultaneous claims.

        Raises:
            AssistantRuntimeError: Redis failed (the caller must not answer as if the key were new).
        """
        try:
            return bool(self.client.set(self._key(key), b"", nx=True, px=self.keep_ms))
        except redis.RedisError as exc:
            raise AssistantRuntimeError(f"replay memory failed: {type(exc).__name__}") from exc

    def keep_reply(self, key: str, reply: str) -> None:
        """Store the reply of a claimed key, keeping its expiry (`XX`: an expired claim is not brought back)."""
        try:
            self.client.set(self._key(key), REPLIED + reply.encode("utf-8"), xx=True, keepttl=True)
        except redis.RedisError as exc:
            raise AssistantRuntimeError(f"replay memory failed to keep a reply: {type(exc).__name__}") from exc

    def reply_for(self, key: str) -> str | None:
        """The reply stored for a key that has not expired; None while it is still being answered."""
        try:
            value = self.client.get(self._key(key))
        except redis.RedisError as exc:
            raise AssistantRuntimeError(f"replay memory failed: {type(exc).__name__}") from exc
        if not isinstance(value, bytes) or not value.startswith(REPLIED):
            return None
        return value[len(REPLIED) :].decode("utf-8", errors="replace")

    def forget(self, key: str) -> None:
        """Delete a key, so that a later delivery is answered."""
        try:
            self.client.delete(self._key(key))
        except redis.RedisError as exc:
            raise AssistantRuntimeError(f"replay memory failed to forget a key: {type(exc).__name__}") from exc

    def close(self) -> None:
        """Release the connections."""
        self.client.close()
