"""Log lines a person reads (`text`) or a log shipper parses (`json`), each carrying the request it belongs to.

Why: a help desk's IT runs several replicas behind a proxy and collects their logs centrally; one JSON
object per line (time, level, logger, message, request_id, and for access lines method, path, status,
duration_ms) is what their collectors index without a parser of our own. The request id ties a user's
complaint ("the answer with request id X was wrong") to every line that request wrote, on any replica.

`RequestIds` (ASGI middleware) gives each request an id: the incoming `X-Request-ID` when it is a short safe
token (a proxy's or a client's own), else a new one; it is returned in the `X-Request-ID` header, kept in
`scope["state"]["request_id"]` for the routes, and in a context variable for the log records of that request
(worker threads inherit it: anyio copies the context). The access-log redaction (`accesslog.RedactingFilter`)
runs on the logger, before any formatter, so JSON access lines are redacted as text ones are.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import time
import uuid
from contextvars import ContextVar
from typing import Any, Literal

from starlette.types import ASGIApp, Message, Receive, Scope, Send

LogFormat = Literal["text", "json"]

REQUEST_ID_HEADER = "x-request-id"
SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")
"""An incoming id is kept only when it is this short and plain: it reaches logs and headers verbatim."""

_request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
_started: ContextVar[float | None] = ContextVar("request_started", default=None)

LOGGERS = ("assistant", "uvicorn", "uvicorn.error", "uvicorn.access")
"""The loggers `log_config` sets up: the package's and uvicorn's."""


def current_request_id() -> str | None:
    """The id of the request being served in this context (None outside a request)."""
    return _request_id.get()


def request_id_for(incoming: str | None) -> str:
    """The incoming id when it is a short safe token, else a new random one."""
    if incoming is not None and SAFE_REQUEST_ID.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


class RequestIds:
    """ASGI middleware: an id per HTTP request, in the response header, the scope's state and the log context."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Name the request, then pass it on with a `send` that adds `X-Request-ID` to the response."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = next(
            (
                v.decode("latin-1")
                for k, v in scope.get("headers", [])
                if k.decode("latin-1").lower() == REQUEST_ID_HEADER
            ),
            None,
        )
        rid = request_id_for(incoming)
        scope.setdefault("state", {})["request_id"] = rid
        raw = rid.encode("latin-1")

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"x-request-id"]
                message = {**message, "headers": [*headers, (b"x-request-id", raw)]}
            await send(message)

        id_token, start_token = _request_id.set(rid), _started.set(time.perf_counter())
        try:
            await self.app(scope, receive, send_with_id)
        finally:
            _request_id.reset(id_token)
            _started.reset(start_token)


class RequestIdFilter(logging.Filter):
    """Puts the current request's id (or None) on each record as `request_id`, for either format."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Annotate the record; always keep it."""
        if not hasattr(record, "request_id"):
            record.request_id = _request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line; uvicorn access records also get method, path (no query), status, duration_ms."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as one line of JSON (non-ASCII kept readable)."""
        entry: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or _request_id.get(),
        }
        args = record.args
        if record.name == "uvicorn.access" and isinstance(args, tuple) and len(args) >= 5:
            target = str(args[2])
            entry["method"] = str(args[1])
            entry["path"] = target.split("?", 1)[0]  # query values may be anything a client typed
            entry["status"] = int(str(args[4])) if str(args[4]).isdigit() else args[4]
            started = _started.get()
            if started is not None:
                entry["duration_ms"] = round((time.perf_counter() - started) * 1000, 1)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def log_config(fmt: LogFormat, level: str = "INFO") -> dict[str, Any]:
    """A `logging.config.dictConfig` dictionary (uvicorn's `log_config`) for the `assistant` and uvicorn loggers.

    `text` keeps uvicorn's own look and adds the package's messages in the same style; `json` writes one
    object per line to stderr for all of them.
    """
    if fmt == "json":
        formatters: dict[str, Any] = {"json": {"()": JsonFormatter}}
        handlers: dict[str, Any] = {
            "default": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["request_id"],
                        "stream": "ext://sys.stderr"},
        }  # fmt: skip
        access_handler = "default"
    else:
        formatters = {
            "default": {"()": "uvicorn.logging.DefaultFormatter", "fmt": "%(levelprefix)s %(name)s: %(message)s"},
            "access": {
                "()": "uvicorn.logging.AccessFormatter",
                "fmt": '%(levelprefix)s %(client_addr)s - "%(request_line)s" %(status_code)s',
            },
        }
        handlers = {
            "default": {"class": "logging.StreamHandler", "formatter": "default", "filters": ["request_id"],
                        "stream": "ext://sys.stderr"},
            "access": {"class": "logging.StreamHandler", "formatter": "access", "filters": ["request_id"],
                       "stream": "ext://sys.stdout"},
        }  # fmt: skip
        access_handler = "access"
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": RequestIdFilter}},
        "formatters": formatters,
        "handlers": handlers,
        "loggers": {
            "assistant": {"handlers": ["default"], "level": level, "propagate": False},
            "uvicorn": {"handlers": ["default"], "level": level, "propagate": False},
            "uvicorn.error": {"level": level},
            "uvicorn.access": {"handlers": [access_handler], "level": level, "propagate": False},
        },
    }
