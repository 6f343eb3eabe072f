"""Gradio session hashes bound to the console sign-in that used them: only that cookie may read their stream.

Gradio delivers every event's result on `GET /gradio_api/queue/data?session_hash=...`, to whoever asks with
the hash. Once a console event has run for a hash with a live session cookie, `BoundStreams` refuses that
stream (403) to any request without the same cookie, so a hash learnt elsewhere (a proxy's log, a shared
screen) cannot be used to read what the officer's console is sent. Hashes never used by the console (the
chat) stay unbound. Signing out releases the page's hashes (its chat keeps working without the cookie), and a
binding lapses when the session could no longer be alive. The memory is per process and bounded; a replica
that never saw the hash leaves it unbound.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import CookieError, SimpleCookie
from typing import Any
from urllib.parse import parse_qs

from .cookie import COOKIE_NAME

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

MAX_BINDINGS = 20_000
"""Hashes remembered; the oldest binding is forgotten first."""
STREAM_PATHS = ("/gradio_api/queue/data",)
"""Where Gradio streams a session's results."""


def _digest(cookie: str) -> str:
    return hashlib.sha256(cookie.encode("utf-8", "ignore")).hexdigest()


class SessionBindings:
    """Session hash -> the digest of the console cookie whose events it carried, and when the binding lapses."""

    def __init__(self, lifetime: float, size: int = MAX_BINDINGS, clock: Callable[[], float] = time.time) -> None:
        """Bind for `lifetime` seconds from the first use (a session's longest life); remember `size` hashes."""
        self._bound: OrderedDict[str, tuple[str, float]] = OrderedDict()
        self._lifetime = lifetime
        self._size = size
        self._clock = clock
        self._lock = threading.Lock()

    def bind(self, session_hash: str | None, cookie: str) -> None:
        """Tie a hash to the (live) session cookie that just used it; the first cookie to use it keeps it."""
        if not session_hash or not cookie:
            return
        with self._lock:
            self._bound.setdefault(session_hash, (_digest(cookie), self._clock() + self._lifetime))
            self._bound.move_to_end(session_hash)
            while len(self._bound) > self._size:
                self._bound.popitem(last=False)

    def release(self, cookie: str | None) -> None:
        """Forget every hash bound to this cookie (its session has been signed out)."""
        if not cookie:
            return
        digest = _digest(cookie)
        with self._lock:
            for session_hash in [h for h, (d, _) in self._bound.items() if d == digest]:
                del self._bound[session_hash]

    def allows(self, session_hash: str, cookie: str | None) -> bool:
        """Whether a request carrying `cookie` may read this hash's stream."""
        with self._lock:
            bound = self._bound.get(session_hash)
        if bound is None or bound[1] <= self._clock():
            return True
        return cookie is not None and hmac.compare_digest(bound[0], _digest(cookie))


def _cookie(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            try:
                jar = SimpleCookie(value.decode("latin-1"))
            except CookieError:
                return None
            morsel = jar.get(COOKIE_NAME)
            return morsel.value if morsel is not None else None
    return None


class BoundStreams:
    """ASGI middleware: a bound session hash's result stream only for the cookie it is bound to."""

    def __init__(self, app: ASGIApp, bindings: SessionBindings) -> None:
        """Guard `app`'s Gradio streams with these bindings."""
        self.app = app
        self.bindings = bindings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Refuse a bound stream to another cookie (403); pass everything else through."""
        if scope["type"] == "http" and str(scope.get("path", "")).endswith(STREAM_PATHS):
            query = parse_qs(bytes(scope.get("query_string", b"")).decode("latin-1"))
            session_hash = (query.get("session_hash") or [""])[0]
            if session_hash and not self.bindings.allows(session_hash, _cookie(scope)):
                await send(
                    {"type": "http.response.start", "status": 403, "headers": [(b"content-type", b"text/plain")]}
                )
                await send({"type": "http.response.body", "body": b"this stream belongs to another sign-in"})
                return
        await self.app(scope, receive, send)
