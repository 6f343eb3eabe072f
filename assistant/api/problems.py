"""Error replies: one JSON shape for every failure (OpenAI's `{"error": {...}}`), with a clear message.

Bad input is the caller's fault and gets 4xx with a message naming what is wrong; 5xx is kept for the
assistant's own failures (503 when the index or the embedder is down).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.routing import BaseRoute, Match, Mount
from starlette.types import Scope

from ..errors import AssistantError, UserError

log = logging.getLogger(__name__)

MAX_LISTED = 5
"""How many validation problems one message lists."""

METHODS: tuple[str, ...] = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
"""The methods a 405's `Allow` header may name."""

_STATUS_TYPES = {401: "authentication_error", 403: "permission_error", 404: "not_found_error", 429: "rate_limit_error"}


def error_body(message: str, kind: str, *, code: str | None = None, param: str | None = None) -> dict[str, Any]:
    """The JSON error object (what OpenAI clients read as the exception message)."""
    return {"error": {"message": message, "type": kind, "param": param, "code": code}}


def error_response(
    status: int, message: str, kind: str, *, code: str | None = None, param: str | None = None
) -> JSONResponse:
    """A JSON error reply."""
    return JSONResponse(error_body(message, kind, code=code, param=param), status_code=status)


def _field(loc: Sequence[Any]) -> str:
    """A location as a field path: `history.0.content`, or `query parameter lang`."""
    where, rest = (str(loc[0]), [str(p) for p in loc[1:]]) if loc else ("body", [])
    if where == "body":
        return ".".join(rest) or "body"
    return f"{where} parameter {'.'.join(rest)}".strip()


def validation_message(errors: Sequence[Any]) -> tuple[str, str | None]:
    """A readable message for pydantic/FastAPI validation errors, and the first field it names."""
    problems: list[str] = []
    first: str | None = None
    for err in errors:
        loc = tuple(err.get("loc", ()))
        kind = err.get("type", "")
        if kind == "json_invalid":
            position = loc[1] if len(loc) > 1 else "?"
            detail = (err.get("ctx") or {}).get("error", "invalid JSON")
            return f"malformed JSON at character {position}: {detail}", None
        if loc in (("body",), ()) and kind == "missing":
            return "the request needs a JSON body", None
        if loc in (("body",), ()) and kind in ("model_attributes_type", "dict_type", "model_type"):
            return "the request body must be a JSON object (Content-Type: application/json)", None
        field = _field(loc)
        first = first or field
        problems.append(f"{field}: {err.get('msg', 'invalid')}")
    more = len(problems) - MAX_LISTED
    listed = "; ".join(problems[:MAX_LISTED]) + (f"; and {more} more" if more > 0 else "")
    return "invalid request: " + (listed or "unreadable body"), first


async def on_validation_error(request: Request, exc: Exception) -> JSONResponse:
    """422 naming the fields that are wrong, or saying the JSON is malformed."""
    errors = exc.errors() if isinstance(exc, RequestValidationError) else []
    message, param = validation_message(errors)
    return error_response(422, message, "invalid_request_error", code="invalid_request", param=param)


async def on_http_error(request: Request, exc: Exception) -> JSONResponse:
    """Starlette's HTTP errors (404, 405, ...) in the same JSON shape, keeping their headers."""
    if not isinstance(exc, HTTPException):  # pragma: no cover - registered for HTTPException only
        raise exc
    if exc.status_code == 400 and exc.__cause__ is not None:  # FastAPI could not read the body at all
        cause = exc.__cause__
        reason = "the body is not UTF-8 text" if isinstance(cause, UnicodeDecodeError) else str(cause)
        return error_response(422, f"malformed JSON: {reason}", "invalid_request_error", code="invalid_request")
    kind = _STATUS_TYPES.get(exc.status_code, "invalid_request_error" if exc.status_code < 500 else "server_error")
    reply = error_response(exc.status_code, str(exc.detail), kind)
    for name, value in (exc.headers or {}).items():
        reply.headers[name] = value
    return reply


async def on_user_error(request: Request, exc: Exception) -> JSONResponse:
    """422 with the message of an input error the assistant raised (it names the field)."""
    return error_response(422, str(exc), "invalid_request_error", code="invalid_request")


async def on_assistant_error(request: Request, exc: Exception) -> JSONResponse:
    """503: a component (index, embedder, model) or the configuration failed; the caller may retry."""
    log.error("answering failed: %s", exc)
    reply = error_response(503, f"the assistant is unavailable: {exc}", "server_error", code="unavailable")
    reply.headers["Retry-After"] = "5"
    return reply


def install(app: FastAPI) -> None:
    """Register the handlers on an application."""
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(HTTPException, on_http_error)
    app.add_exception_handler(UserError, on_user_error)
    app.add_exception_handler(AssistantError, on_assistant_error)


def unmatched_route(scope: Scope, routes: Sequence[BaseRoute]) -> JSONResponse | None:
    """404 for a path no API route has, 405 with `Allow` for a method it does not take; None when one matches.

    Mounted apps (Gradio at "/") are left out: they match every path, which is how `GET /api/ask` used to
    reach Gradio's `{"detail": "Not Found"}`. The allowed methods are found by asking the routes themselves
    (`matches`, public on every Starlette route and FastAPI's included routers).
    """
    routed = [route for route in routes if not isinstance(route, Mount)]
    method, path = str(scope.get("method", "GET")), str(scope.get("path", ""))
    if any(route.matches(dict(scope))[0] is Match.FULL for route in routed):
        return None
    allowed = [m for m in METHODS if any(route.matches({**scope, "method": m})[0] is Match.FULL for route in routed)]
    if not allowed:
        return error_response(404, f"no route {path}", "not_found_error", code="not_found")
    allow = ", ".join(allowed)
    reply = error_response(405, f"{method} is not allowed on {path}; allowed: {allow}", "invalid_request_error",
                           code="method_not_allowed")  # fmt: skip
    reply.headers["Allow"] = allow
    return reply
