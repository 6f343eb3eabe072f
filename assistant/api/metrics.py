"""`GET /metrics`: what the server does, in the Prometheus text format, for the help desk's monitoring.

Why: an operator needs to see traffic, latency, the index's state, a failing model and refused requests
before users report them. Each `create_api` call gets its own `CollectorRegistry` (never the process-global
one), so several apps in one process (the tests build many) keep separate counts.

- `assistant_http_requests_total{route,method,status}` and `assistant_http_request_seconds{route}`: every
  request, labelled by its route template (`/api/ask`, `/*` for the mounted chat app), never by its raw path.
- `assistant_answer_seconds{route,outcome}`: requests that produced a determination, by its outcome.
- `assistant_index_state{state}`: 1 for the current state of the search index (loading, ready, failed).
- `assistant_model_calls_total{result}` and `assistant_model_breaker_state{state}`: the language model's calls
  (ok, failed, refused) and circuit breaker, read from `ModelCalls` at each scrape.
- `assistant_rate_limited_total{limit}`: 429 refusals of the gate (api, ui, session) and the webhook.

With API keys configured, /metrics needs `Authorization: Bearer KEY` like /api, unless `metrics_public`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, Protocol

from fastapi import APIRouter, Request
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from starlette.routing import BaseRoute, Match, Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .keys import KeyRing, bearer_token
from .problems import error_response

if TYPE_CHECKING:
    from ..model.calls import ModelCalls


class Readiness(Protocol):
    """What /metrics reads of the service's readiness (the service notes outcomes here, so it is not imported)."""

    def state(self) -> str:
        """`ready`, `loading` or `failed`."""
        ...


LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
"""Seconds: answers take milliseconds to a few seconds (with a model); streams and uploads longer."""

INDEX_STATES = ("loading", "ready", "failed")
BREAKER_STATES = ("closed", "open", "half_open")

_outcome: ContextVar[list[str] | None] = ContextVar("answer_outcome", default=None)


def note_outcome(outcome: str) -> None:
    """Tell the metrics middleware the outcome of the answer this request produced (no-op outside a request).

    The holder is a list the middleware put in the context: worker threads get a copy of the context, but the
    same list, so an outcome noted anywhere in the request reaches it.
    """
    holder = _outcome.get()
    if holder is not None:
        holder.append(outcome)


class Metrics:
    """The registry of one app and the metrics the middleware and the gate update."""

    def __init__(self, readiness: Readiness, model_calls: Callable[[], ModelCalls | None]) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "assistant_http_requests",
            "HTTP requests by route template, method and status.",
            ("route", "method", "status"),
            registry=self.registry,
        )
        self.latency = Histogram(
            "assistant_http_request_seconds",
            "Time from a request's arrival to the end of its response, by route template.",
            ("route",),
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.answers = Histogram(
            "assistant_answer_seconds",
            "Time of requests that produced a determination, by route template and outcome.",
            ("route", "outcome"),
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.rate_limited = Counter(
            "assistant_rate_limited",
            "Requests refused with 429 over a rate limit (api: per key or address; ui: per address; session: per "
            "chat session; webhook: per sender).",
            ("limit",),
            registry=self.registry,
        )
        self.registry.register(_StateCollector(readiness, model_calls))

    def refused(self, limit: str) -> None:
        """Count one 429 refusal of the named limit."""
        self.rate_limited.labels(limit).inc()

    def exposition(self) -> bytes:
        """The registry in the Prometheus text format."""
        return generate_latest(self.registry)


class _StateCollector(Collector):
    """Reads the index and model state at each scrape: nothing to keep in step."""

    def __init__(self, readiness: Readiness, model_calls: Callable[[], ModelCalls | None]) -> None:
        self.readiness = readiness
        self.model_calls = model_calls

    def collect(self) -> Iterable[Metric]:
        """The current index state, and the model's call counts and breaker state when a model is configured."""
        index = GaugeMetricFamily(
            "assistant_index_state",
            "1 for the search index's current state (loading, ready, failed).",
            labels=["state"],
        )
        now = self.readiness.state()
        for state in INDEX_STATES:
            index.add_metric([state], 1.0 if state == now else 0.0)
        yield index
        calls = self.model_calls()
        if calls is None:
            return
        counts = calls.counts()
        total = GaugeMetricFamily(
            "assistant_model_calls_total",
            "Language-model calls by result (ok, failed: error or overrun, refused: budget spent or breaker open).",
            labels=["result"],
        )  # a counter in meaning; exposed as read, since the counts live in ModelCalls
        for result in ("ok", "failed", "refused"):
            total.add_metric([result], float(counts.get(result, 0)))
        yield total
        breaker = GaugeMetricFamily(
            "assistant_model_breaker_state", "1 for the model circuit breaker's current state.", labels=["state"]
        )
        current = calls.breaker.status().state
        for state in BREAKER_STATES:
            breaker.add_metric([state], 1.0 if state == current else 0.0)
        yield breaker


def route_label(scope: Scope, routes: Sequence[BaseRoute]) -> str:
    """The template of the route a request matches (`/api/ask`, `/*` for a mount at the root), else `unmatched`.

    Templates, not raw paths: the label's values stay few whatever clients request. The router records the
    route it chose in the scope; a request refused before routing (the gate's 401, 413, 429) is matched here.
    """
    chosen = scope.get("route")
    if isinstance(getattr(chosen, "path", None), str) and not isinstance(chosen, Mount):
        return str(chosen.path)  # type: ignore[union-attr]
    for route in routes:
        inner = getattr(route, "original_router", None)  # FastAPI's included routers wrap the router
        if inner is not None:
            label = route_label({**scope, "route": None}, inner.routes)
            if label != "unmatched":
                return label
            continue
        match, _ = route.matches(scope)
        if match == Match.FULL:
            if isinstance(route, Mount):
                return f"{route.path}/*"
            path = getattr(route, "path", None)
            return path if isinstance(path, str) else "unmatched"
    return "unmatched"


class MetricsMiddleware:
    """ASGI middleware: counts each HTTP request and times it, by route and, for answers, by outcome."""

    def __init__(self, app: ASGIApp, *, metrics: Metrics, routes: Sequence[BaseRoute]) -> None:
        self.app = app
        self.metrics = metrics
        self.routes = routes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; when it ends, count its status and time."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 500
        started = time.perf_counter()

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        outcomes: list[str] = []
        token = _outcome.set(outcomes)
        try:
            await self.app(scope, receive, send_status)
        finally:
            _outcome.reset(token)
            seconds = time.perf_counter() - started
            route = route_label(scope, self.routes)
            self.metrics.requests.labels(route, scope.get("method", "GET"), str(status)).inc()
            self.metrics.latency.labels(route).observe(seconds)
            if outcomes:
                self.metrics.answers.labels(route, outcomes[-1]).observe(seconds)
            if status == 429 and not scope.get("state", {}).get("rate_limited"):
                self.metrics.refused("webhook")  # the gate counts its own; the webhook's per-sender limit is the other


def metrics_router(metrics: Metrics, keys: KeyRing, public: bool) -> APIRouter:
    """`GET /metrics`, behind the API key when keys are configured and the endpoint is not public."""
    router = APIRouter(tags=["operations"])

    @router.get(
        "/metrics",
        summary="Prometheus metrics",
        response_class=Response,
        responses={
            200: {"content": {CONTENT_TYPE_LATEST: {"schema": {"type": "string"}}}},
            401: {"description": "Keys are configured, `metrics_public` is off and no valid key was sent."},
        },
    )
    async def scrape(request: Request) -> Any:
        """Requests, latencies, index state, model calls and rate-limit refusals in the Prometheus text format."""
        if keys.enabled and not public:
            token = bearer_token(request.headers.get("authorization"))
            if not token or keys.identify(token) is None:
                message = "a valid API key is required: Authorization: Bearer KEY"
                reply = error_response(401, message, "authentication_error", code="invalid_api_key")
                reply.headers["WWW-Authenticate"] = "Bearer"
                return reply
        return Response(metrics.exposition(), media_type=CONTENT_TYPE_LATEST)

    return router
