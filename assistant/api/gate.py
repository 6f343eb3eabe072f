"""The gate in front of the API routes: request size (413), API key (401) and per-key rate limit (429).

It is plain ASGI middleware so that it runs before FastAPI reads or parses a body, and it only looks at
the API's own paths: a Gradio app mounted on the same FastAPI application passes through untouched.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .keys import KeyRing, bearer_token
from .problems import error_response

KEYED_PREFIXES: tuple[str, ...] = ("/api/", "/v1/", "/webhook/generic")
"""Paths that need `Authorization: Bearer KEY` when keys are configured (WeCom signs its own callbacks)."""

LIMITED_PREFIXES: tuple[str, ...] = ("/api/", "/v1/", "/webhook/")
"""Paths whose request bodies are size-limited."""

WINDOW_SECONDS = 60.0


class RateLimiter:
    """A sliding one-minute window of request times per identity (an API key id or a client address)."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_minute = per_minute
        self._clock = clock
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()
        self._last_sweep = clock()

    def hit(self, identity: str) -> float | None:
        """Count one request; None when allowed, else the seconds until the next one would be."""
        if self.per_minute <= 0:
            return None
        now = self._clock()
        with self._lock:
            self._sweep(now)
            hits = self._hits.setdefault(identity, deque(maxlen=self.per_minute))
            if len(hits) == self.per_minute and now - hits[0] < WINDOW_SECONDS:
                return WINDOW_SECONDS - (now - hits[0])
            hits.append(now)
            return None

    def _sweep(self, now: float) -> None:
        """Forget identities idle for a whole window, so many one-off clients cannot grow memory."""
        if now - self._last_sweep < WINDOW_SECONDS:
            return
        self._last_sweep = now
        for identity in [i for i, hits in self._hits.items() if not hits or now - hits[-1] >= WINDOW_SECONDS]:
            del self._hits[identity]


class _TooLarge(Exception):
    """The body grew past the limit while it was read."""


class Gate:
    """ASGI middleware: 413 for large bodies, 401 without a valid key, 429 over the rate limit."""

    def __init__(self, app: ASGIApp, *, keys: KeyRing, limiter: RateLimiter, max_bytes: int) -> None:
        self.app = app
        self.keys = keys
        self.limiter = limiter
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check the request, then pass it on with its body already read and replayed."""
        path: str = scope.get("path", "")
        if scope["type"] != "http" or not path.startswith(LIMITED_PREFIXES):
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await self._too_large(scope, receive, send)
            return
        key_id: str | None = None
        if path.startswith(KEYED_PREFIXES):
            if self.keys.enabled:
                token = bearer_token(headers.get("authorization"))
                key_id = self.keys.identify(token) if token else None
                if key_id is None:
                    message = "a valid API key is required: Authorization: Bearer KEY"
                    reply = error_response(401, message, "authentication_error", code="invalid_api_key")
                    reply.headers["WWW-Authenticate"] = "Bearer"
                    await reply(scope, receive, send)
                    return
            client = scope.get("client")
            identity = f"key:{key_id}" if key_id else f"addr:{client[0] if client else 'unknown'}"
            wait = self.limiter.hit(identity)
            if wait is not None:
                limit = self.limiter.per_minute
                message = f"rate limit of {limit} requests a minute reached; retry in {math.ceil(wait)} s"
                reply = error_response(429, message, "rate_limit_error", code="rate_limit_exceeded")
                reply.headers["Retry-After"] = str(max(1, math.ceil(wait)))
                await reply(scope, receive, send)
                return
        try:
            body = await self._read(receive)
        except _TooLarge:
            await self._too_large(scope, receive, send)
            return
        scope.setdefault("state", {})["key_id"] = key_id
        await self.app(scope, _replay(body, receive), send)

    async def _read(self, receive: Receive) -> bytes:
        """The whole body, or _TooLarge as soon as it passes the limit (chunked uploads included)."""
        parts: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk: bytes = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                raise _TooLarge
            parts.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(parts)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        message = f"request body too large: at most {self.max_bytes:,} bytes"
        await error_response(413, message, "invalid_request_error", code="request_too_large")(scope, receive, send)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A receive callable that yields the buffered body once, then defers to the server (disconnects)."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
