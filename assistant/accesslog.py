"""Access logs without secrets: query values of session ids, keys and tokens, and path-borne session ids, redacted.

uvicorn's access log prints every request line, and Gradio puts its `session_hash` in query strings
(`/gradio_api/queue/data?session_hash=...`) and paths (`/gradio_api/heartbeat/<hash>`); a chat tool's callback
may carry a signature or a key. `RedactingFilter` rewrites the request target of each `uvicorn.access` record
before any handler formats it; `install()` attaches it (`assistant serve` does, before uvicorn starts).
"""

from __future__ import annotations

import logging
import re
from urllib.parse import parse_qsl, quote, urlsplit

SECRET_PARAMS = frozenset(
    {
        "session_hash", "session", "sessionid", "key", "api_key", "apikey", "token", "access_token", "id_token",
        "refresh_token", "secret", "password", "signature", "msg_signature", "sig", "echostr", "code", "auth",
        "authorization",
    }
)  # fmt: skip
"""Query parameters (compared case-insensitively) whose values never reach a log."""
PATH_SECRETS = re.compile(r"(/(?:heartbeat|stream)/)([^/?#]+)")
"""Path segments that are Gradio session ids or event ids."""
REDACTED = "[redacted]"
ACCESS_LOGGER = "uvicorn.access"


def redact_target(target: str) -> str:
    """The request target (path and query) with secret query values and path-borne session ids replaced."""
    parts = urlsplit(target)
    path = PATH_SECRETS.sub(lambda m: m.group(1) + REDACTED, parts.path)
    if not parts.query:
        return path if path != parts.path else target
    pairs = []
    for name, value in parse_qsl(parts.query, keep_blank_values=True):
        shown = REDACTED if name.lower() in SECRET_PARAMS else value
        pairs.append(f"{quote(name, safe='')}={quote(shown, safe='[]')}")
    return f"{path}?{'&'.join(pairs)}"


class RedactingFilter(logging.Filter):
    """Rewrites uvicorn access records (args: client, method, target, HTTP version, status) before formatting."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact the record's request target; always keep the record."""
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            record.args = (*args[:2], redact_target(args[2]), *args[3:])
        elif isinstance(record.msg, str) and any(mark in record.msg for mark in ("?", "/heartbeat/", "/stream/")):
            record.msg = " ".join(
                redact_target(word) if word.startswith("/") else word for word in record.msg.split(" ")
            )
        return True


def install(logger_name: str = ACCESS_LOGGER) -> RedactingFilter:
    """Attach the filter to the access logger once (idempotent); returns the filter in place."""
    logger = logging.getLogger(logger_name)
    for existing in logger.filters:
        if isinstance(existing, RedactingFilter):
            return existing
    found = RedactingFilter()
    logger.addFilter(found)
    return found
