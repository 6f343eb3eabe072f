"""The one gate in front of every door: the API's routes and the Gradio app mounted beside them.

Plain ASGI middleware, so it runs before FastAPI or Gradio reads or parses a body:

- API paths (`/api`, `/v1`, `/webhook`): size limit (413), API key (401), per-key rate limit (429), and the
  documented error shape for unknown routes and wrong methods (404, 405 with `Allow`), which Gradio's
  catch-all mount would otherwise answer with `{"detail": ...}`.
- Gradio paths (everything else): a body limit, a per-file upload limit, the key rule when the deployment
  asks for it (`chat_requires_key`), and per-address and per-session rate limits on the queue joins and
  uploads that start work; old uploads are swept at each upload.

Rate limits are counted in this process, or in Redis when `redis_url` is set, so that replicas share them.

The client address is the one uvicorn hands over: forwarded headers are believed only from the
configured proxies (`proxies.uvicorn_options`), so a rotated `X-Forwarded-For` changes no identity.
"""

from __future__ import annotations

import json
import logging
import math
import os
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from limits import RateLimitItemPerMinute
from limits.errors import ConfigurationError as LimitsConfigurationError
from limits.errors import StorageError as LimitsStorageError
from limits.storage import MemoryStorage, RedisStorage, Storage
from limits.strategies import MovingWindowRateLimiter
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..casefile.files import sweep
from ..errors import ConfigurationError
from ..settings import Settings
from .keys import KeyRing, bearer_token
from .problems import error_response, unmatched_route

KEYED_PREFIXES: tuple[str, ...] = ("/api/", "/v1/", "/webhook/generic")
"""Paths that need `Authorization: Bearer KEY` when keys are configured (WeCom signs its own callbacks)."""

API_PREFIXES: tuple[str, ...] = ("/api/", "/v1/", "/webhook/")
"""The API's paths: everything else belongs to the Gradio app."""

ROUTED_ROOTS: tuple[str, ...] = ("/api", "/v1")
"""Roots whose every path is the API's: an unknown one answers the API's error shape, never Gradio's."""

UPLOAD_PATH = "/gradio_api/upload"
WORK_PATHS: tuple[str, ...] = ("/gradio_api/queue/join", "/gradio_api/call/", "/gradio_api/run/", "/gradio_api/api/")
"""Gradio requests that start work (an event run): rate-limited, and keyed when the chat needs a key."""

MULTIPART_ALLOWANCE = 64 * 1024
"""Bytes an upload's multipart envelope may add to the file itself."""

WINDOW_SECONDS = 60.0
MEMORY_STORAGE = "memory://"
"""The `limits` store of one process (the one-machine default)."""
REDIS_KEY_PREFIX = "assistant-limits"
"""Prefix of the rate limit keys in a shared Redis."""
REDIS_TIMEOUT = 0.5
"""Seconds to connect to or hear from Redis before this replica counts on its own for a while."""

log = logging.getLogger(__name__)


class RateLimiter:
    """A sliding one-minute window of requests per identity (an API key id or a client address).

    Backed by the `limits` library's moving window: in this process (`memory://`, the default), or in Redis
    (`redis://host:port/db`, the `redis_url` setting), where every replica counts on the same window, so a
    client spreading its requests over the replicas gets the limit once, not once per replica. `scope` keeps
    limiters that see the same identities (the API's and the app's per-address limits) apart in a shared store.

    When the store fails (Redis down), this replica counts in its own memory for `fallback_seconds` and then
    tries the store again: limits stay enforced per replica, and a request never fails because of the store.

    `clock` is for tests that move time: `limits` reads the real time, so a limiter given a clock keeps its
    window in this process (`_LocalWindow`), whatever `storage` says.
    """

    def __init__(
        self,
        per_minute: int,
        clock: Callable[[], float] | None = None,
        *,
        scope: str = "api",
        storage: str = MEMORY_STORAGE,
        fallback_seconds: float = 5.0,
    ) -> None:
        """Allow `per_minute` requests a minute per identity (0: no limit), counted in `storage` (a `limits` URL).

        Raises:
            ConfigurationError: `storage` is not a memory or Redis URL `limits` can open.
        """
        self.per_minute = per_minute
        self.scope = scope
        self.storage_url = storage
        self.fallback_seconds = fallback_seconds
        self._item = RateLimitItemPerMinute(max(per_minute, 1))
        self._local: _LocalWindow | None = _LocalWindow(per_minute, clock) if clock is not None else None
        self._shared: MovingWindowRateLimiter | None = None
        self._fallback: MovingWindowRateLimiter | None = None
        self._failed_at = float("-inf")
        self._lock = threading.Lock()
        if per_minute > 0 and self._local is None:
            self._shared = MovingWindowRateLimiter(_storage(storage))

    def hit(self, identity: str) -> float | None:
        """Count one request; None when allowed, else the seconds until the next one would be."""
        if self.per_minute <= 0:
            return None
        if self._local is not None:
            return self._local.hit(identity)
        assert self._shared is not None
        if time.monotonic() - self._failed_at >= self.fallback_seconds:
            try:
                return self._count(self._shared, identity)
            except LimitsStorageError as exc:
                self._failed_at = time.monotonic()
                failure = type(exc.storage_error).__name__
                message = "rate limit store %s failed (%s); counting in this replica for %.0f s"
                log.error(message, _redacted(self.storage_url), failure, self.fallback_seconds)
        return self._count(self._fallback_limiter(), identity)

    def _count(self, limiter: MovingWindowRateLimiter, identity: str) -> float | None:
        if limiter.hit(self._item, self.scope, identity):
            return None
        stats = limiter.get_window_stats(self._item, self.scope, identity)
        return min(WINDOW_SECONDS, max(0.0, stats.reset_time - time.time()))

    def _fallback_limiter(self) -> MovingWindowRateLimiter:
        with self._lock:
            if self._fallback is None:
                self._fallback = MovingWindowRateLimiter(_storage(MEMORY_STORAGE))
            return self._fallback


def _storage(url: str) -> Storage:
    """A `limits` storage for a memory or Redis URL; errors of a Redis store come wrapped (`StorageError`),
    with short socket timeouts, since the gate asks it inside the server's event loop."""
    scheme = url.split("://", 1)[0].lower()
    if scheme == "memory":
        return MemoryStorage()
    if scheme not in ("redis", "rediss", "redis+unix"):
        raise ConfigurationError(f"rate limit store must be memory:// or a redis:// URL, not {_redacted(url)!r}")
    try:
        return RedisStorage(url, key_prefix=REDIS_KEY_PREFIX, wrap_exceptions=True,
                            socket_timeout=REDIS_TIMEOUT, socket_connect_timeout=REDIS_TIMEOUT)  # fmt: skip
    except (LimitsConfigurationError, ValueError) as exc:
        raise ConfigurationError(f"cannot use the Redis URL {_redacted(url)!r}: {exc}") from None


def _redacted(url: str) -> str:
    """A store URL without its password, for messages and logs (read as text: a malformed URL too)."""
    parts = urlsplit(url)
    userinfo, at, hostport = parts.netloc.rpartition("@")
    if not at or ":" not in userinfo:
        return url
    return urlunsplit(parts._replace(netloc=f"{userinfo.split(':', 1)[0]}:***@{hostport}"))


class _LocalWindow:
    """The sliding window kept in this process with an injected clock (tests that move time)."""

    def __init__(self, per_minute: int, clock: Callable[[], float]) -> None:
        self.per_minute = per_minute
        self._clock = clock
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()
        self._last_sweep = clock()

    def hit(self, identity: str) -> float | None:
        """Count one request; None when allowed, else the seconds until the next one would be."""
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


@dataclass(frozen=True)
class UiRules:
    """The Gradio side of the gate: body and upload limits, rate limits, the key rule, the upload folder."""

    max_bytes: int = 1_048_576
    max_upload_bytes: int = 10_485_760
    per_address: int = 120
    per_session: int = 40
    requires_key: bool = False
    upload_dir: Path | None = None
    storage: str = MEMORY_STORAGE

    @classmethod
    def from_settings(cls, settings: Settings, upload_dir: Path | None = None) -> UiRules:
        """The rules the settings ask for; `upload_dir` is Gradio's upload folder, swept at each upload."""
        return cls(
            max_bytes=settings.ui_max_request_bytes,
            max_upload_bytes=settings.max_upload_bytes,
            per_address=settings.ui_rate_limit_per_minute,
            per_session=settings.ui_session_rate_limit_per_minute,
            requires_key=settings.chat_requires_key,
            upload_dir=upload_dir,
            storage=limit_storage(settings),
        )


def limit_storage(settings: Settings) -> str:
    """Where rate limits are counted: the Redis of `redis_url` (shared by replicas), else this process."""
    return settings.redis_url or MEMORY_STORAGE


def gradio_upload_dir() -> Path:
    """Where Gradio writes uploads (as `gradio.utils.get_upload_folder`; the package never imports gradio)."""
    return Path(os.environ.get("GRADIO_TEMP_DIR") or Path(tempfile.gettempdir()) / "gradio")


class _TooLarge(Exception):
    """The body grew past the limit while it was read."""


class Gate:
    """ASGI middleware: 413 for large bodies, 401 without a valid key, 429 over a rate limit, 404/405 shaped."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        keys: KeyRing,
        limiter: RateLimiter,
        max_bytes: int,
        ui: UiRules | None = None,
        routes: Sequence[BaseRoute] | None = None,
        refused: Callable[[str], None] | None = None,
    ) -> None:
        """Guard `app`; `routes` (the API's, read at each request) decide what is unknown under /api and /v1;
        `refused` is told of each 429 with the limit's name (api, ui, session), for /metrics."""
        self.app = app
        self.keys = keys
        self.limiter = limiter
        self.max_bytes = max_bytes
        self.ui = ui or UiRules()
        self.routes = routes
        self.ui_limiter = RateLimiter(self.ui.per_address, scope="ui", storage=self.ui.storage)
        self.session_limiter = RateLimiter(self.ui.per_session, scope="session", storage=self.ui.storage)
        self.refused = refused

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check the request, then pass it on with its body already read and replayed."""
        path: str = scope.get("path", "")
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.routes is not None and (path in ROUTED_ROOTS or path.startswith(tuple(r + "/" for r in ROUTED_ROOTS))):
            missing = unmatched_route(scope, self.routes)
            if missing is not None:
                await missing(scope, receive, send)
                return
        if path.startswith(API_PREFIXES):
            await self._api(path, scope, receive, send)
        else:
            await self._ui(path, scope, receive, send)

    async def _api(self, path: str, scope: Scope, receive: Receive, send: Send) -> None:
        """The API's door: size, key, rate limit."""
        headers = _headers(scope)
        if _declared(headers) > self.max_bytes:
            await self._too_large(self.max_bytes, scope, receive, send)
            return
        key_id: str | None = None
        if path.startswith(KEYED_PREFIXES):
            if self.keys.enabled:
                key_id = self._key(headers)
                if key_id is None:
                    await self._unauthorised(scope, receive, send)
                    return
            identity = f"key:{key_id}" if key_id else f"addr:{_client(scope)}"
            if await self._limited(self.limiter, identity, scope, receive, send):
                return
        try:
            body = await _read(receive, self.max_bytes)
        except _TooLarge:
            await self._too_large(self.max_bytes, scope, receive, send)
            return
        scope.setdefault("state", {})["key_id"] = key_id
        await self.app(scope, _replay(body, receive), send)

    async def _ui(self, path: str, scope: Scope, receive: Receive, send: Send) -> None:
        """The Gradio app's door: body and upload limits; for work, the key rule and the rate limits."""
        if scope.get("method", "GET") in ("GET", "HEAD"):
            await self.app(scope, receive, send)  # pages, assets, the event stream: no body to hold
            return
        headers = _headers(scope)
        upload = path.rstrip("/") == UPLOAD_PATH
        limit = self.ui.max_upload_bytes + MULTIPART_ALLOWANCE if upload else self.ui.max_bytes
        if _declared(headers) > limit:
            await self._too_large(self.ui.max_upload_bytes if upload else limit, scope, receive, send)
            return
        work = upload or path.startswith(WORK_PATHS)
        identity = f"addr:{_client(scope)}"
        if work:
            if self.ui.requires_key and self.keys.enabled:
                key_id = self._key(headers)
                if key_id is None:
                    await self._unauthorised(scope, receive, send)
                    return
                identity = f"key:{key_id}"
            if await self._limited(self.ui_limiter, identity, scope, receive, send):
                return
        try:
            body = await _read(receive, limit)
        except _TooLarge:
            await self._too_large(self.ui.max_upload_bytes if upload else limit, scope, receive, send)
            return
        if work and not upload:
            session = _session_hash(body)
            if session and await self._limited(self.session_limiter, f"session:{session}", scope, receive, send):
                return
        if upload and self.ui.upload_dir is not None:
            sweep(self.ui.upload_dir)  # at write time: uploads older than an hour go
        await self.app(scope, _replay(body, receive), send)

    def _key(self, headers: dict[str, str]) -> str | None:
        token = bearer_token(headers.get("authorization"))
        return self.keys.identify(token) if token else None

    async def _unauthorised(self, scope: Scope, receive: Receive, send: Send) -> None:
        message = "a valid API key is required: Authorization: Bearer KEY"
        reply = error_response(401, message, "authentication_error", code="invalid_api_key")
        reply.headers["WWW-Authenticate"] = "Bearer"
        await reply(scope, receive, send)

    async def _limited(self, limiter: RateLimiter, identity: str, scope: Scope, receive: Receive, send: Send) -> bool:
        """Count a request; when over the limit, answer 429 and say so."""
        wait = limiter.hit(identity)
        if wait is None:
            return False
        scope.setdefault("state", {})["rate_limited"] = True
        if self.refused is not None:
            self.refused("api" if limiter is self.limiter else "ui" if limiter is self.ui_limiter else "session")
        message = f"rate limit of {limiter.per_minute} requests a minute reached; retry in {math.ceil(wait)} s"
        reply = error_response(429, message, "rate_limit_error", code="rate_limit_exceeded")
        reply.headers["Retry-After"] = str(max(1, math.ceil(wait)))
        await reply(scope, receive, send)
        return True

    async def _too_large(self, limit: int, scope: Scope, receive: Receive, send: Send) -> None:
        message = f"request body too large: at most {limit:,} bytes"
        await error_response(413, message, "invalid_request_error", code="request_too_large")(scope, receive, send)


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}


def _declared(headers: dict[str, str]) -> int:
    """The declared Content-Length (0 when absent or unreadable: the body is then counted as it is read)."""
    declared = headers.get("content-length", "")
    return int(declared) if declared.isdigit() else 0


def _client(scope: Scope) -> str:
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


def _session_hash(body: bytes) -> str:
    """The Gradio session a queue join names in its JSON body ('' when it names none)."""
    try:
        data = json.loads(body)
    except ValueError:
        return ""
    value = data.get("session_hash") if isinstance(data, dict) else None
    return value[:64] if isinstance(value, str) else ""


async def _read(receive: Receive, limit: int) -> bytes:
    """The whole body, or _TooLarge as soon as it passes the limit (chunked uploads included)."""
    parts: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk: bytes = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise _TooLarge
        parts.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(parts)


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
