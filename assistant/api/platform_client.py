"""The small outbound client every chat-tool platform's API is called through (httpx, one base URL per platform).

Each platform (Feishu, DingTalk, WeCom) has a configurable base URL, so tests and private deployments point it
at their own server; requests have timeouts; an answer that is not 2xx JSON, or whose body reports an error
code, raises `DeliveryError` (the reply worker retries it). `TokenCache` keeps an access token until shortly
before it expires, fetched once however many replies ask for it at the same time.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

import anyio
import httpx

from ..errors import AssistantRuntimeError

log = logging.getLogger(__name__)

MAX_RESPONSE_BYTES = 1_048_576
"""A platform's answer larger than this is refused (an API answer is a few hundred bytes)."""


def one_shot() -> httpx.AsyncHTTPTransport:
    """A transport that closes each connection after its request: a bot sends now and then, and no pooled
    connection is left open when the server stops (the client lives as long as the app; nothing closes it)."""
    return httpx.AsyncHTTPTransport(limits=httpx.Limits(max_keepalive_connections=0))


class DeliveryError(AssistantRuntimeError):
    """A platform's API refused or failed a call (status, error code, malformed answer, timeout)."""


class PlatformClient:
    """JSON calls to one platform's API under a base URL, with timeouts."""

    def __init__(
        self,
        platform: str,
        base_url: str,
        *,
        timeout: float = 10.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.platform = platform
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self._transport = transport
        self._client: httpx.AsyncClient | None = None

    @property
    def client(self) -> httpx.AsyncClient:
        """The httpx client, made on first use (inside the server's event loop)."""
        if self._client is None:
            self._client = httpx.AsyncClient(
                base_url=self.base_url,
                timeout=httpx.Timeout(self.timeout),
                transport=self._transport or one_shot(),
                follow_redirects=False,
                trust_env=False,  # the platform is reached as configured, not through an ambient proxy
            )
        return self._client

    async def call(
        self,
        method: str,
        path: str,
        *,
        json: dict[str, Any] | None = None,
        params: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        """One JSON call; returns the answer's JSON object.

        Raises:
            DeliveryError: the call failed, timed out, or answered with a non-2xx status or no JSON object.
        """
        try:
            response = await self.client.request(method, path, json=json, params=params, headers=headers)
        except httpx.HTTPError as exc:
            raise DeliveryError(f"{self.platform} {path}: {type(exc).__name__}: {exc}") from exc
        if len(response.content) > MAX_RESPONSE_BYTES:
            raise DeliveryError(f"{self.platform} {path}: the answer is too large")
        try:
            data = response.json()
        except ValueError:
            data = None
        if not response.is_success:
            raise DeliveryError(f"{self.platform} {path}: HTTP {response.status_code}: {str(data)[:300]}")
        if not isinstance(data, dict):
            raise DeliveryError(f"{self.platform} {path}: the answer is not a JSON object")
        return data

    async def aclose(self) -> None:
        """Close the connections."""
        if self._client is not None:
            await self._client.aclose()
            self._client = None


class TokenCache:
    """An access token kept until `margin` seconds before it expires; one fetch at a time."""

    def __init__(
        self,
        fetch: Callable[[], Awaitable[tuple[str, float]]],
        *,
        margin: float = 300.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """`fetch()` returns a token and its lifetime in seconds (the platform's `expire`)."""
        self._fetch = fetch
        self.margin = margin
        self.clock = clock
        self._token: str | None = None
        self._until = float("-inf")
        self._lock: anyio.Lock | None = None

    async def get(self) -> str:
        """The cached token, or a new one when it is missing or near its end.

        Raises:
            DeliveryError: the fetch failed.
        """
        if self._token is not None and self.clock() < self._until:
            return self._token
        if self._lock is None:
            self._lock = anyio.Lock()
        async with self._lock:
            if self._token is not None and self.clock() < self._until:
                return self._token  # another caller fetched it while this one waited
            token, lifetime = await self._fetch()
            self._token = token
            self._until = self.clock() + max(0.0, lifetime - self.margin)
            return token

    def forget(self) -> None:
        """Drop the token (the platform said it is invalid): the next `get` fetches a new one."""
        self._token = None
        self._until = float("-inf")
