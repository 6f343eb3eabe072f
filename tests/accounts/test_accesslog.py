"""Access logs keep no session ids, keys or tokens: the filter on uvicorn.access, and a real uvicorn's log."""

from __future__ import annotations

import logging
import socket
import threading
import time
import urllib.request
from collections.abc import Iterator

import pytest
import uvicorn
from fastapi import FastAPI

from assistant.accesslog import REDACTED, RedactingFilter, install, redact_target

HASH = "k3v9x2q8w1zt"


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        (f"/gradio_api/queue/data?session_hash={HASH}", f"/gradio_api/queue/data?session_hash={REDACTED}"),
        (f"/gradio_api/heartbeat/{HASH}", f"/gradio_api/heartbeat/{REDACTED}"),
        (f"/gradio_api/stream/{HASH}/0/3/playlist.m3u8", f"/gradio_api/stream/{REDACTED}/0/3/playlist.m3u8"),
        ("/api/ask?KEY=sk-live-123&lang=zh", f"/api/ask?KEY={REDACTED}&lang=zh"),
        (
            "/wecom/callback?msg_signature=abc&timestamp=1&nonce=2",
            f"/wecom/callback?msg_signature={REDACTED}&timestamp=1&nonce=2",
        ),
        ("/api/cases?token=t0k&since=2026-01-01", f"/api/cases?token={REDACTED}&since=2026-01-01"),
        ("/healthz", "/healthz"),
        ("/?lang=zh", "/?lang=zh"),
    ],
)
def test_targets_lose_their_secrets(target: str, expected: str) -> None:
    assert redact_target(target) == expected


def test_the_filter_rewrites_uvicorn_records() -> None:
    record = logging.LogRecord(
        "uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", f"/gradio_api/queue/data?session_hash={HASH}", "1.1", 200), None,
    )  # fmt: skip
    assert RedactingFilter().filter(record)
    assert HASH not in record.getMessage() and REDACTED in record.getMessage()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def served(caplog: pytest.LogCaptureFixture) -> Iterator[str]:
    """A real uvicorn with its access log on, the filter installed as `assistant serve` does."""
    app = FastAPI()

    @app.get("/gradio_api/queue/data")
    def data() -> dict[str, str]:
        return {"ok": "yes"}

    install()
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="info", access_log=True))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def test_a_real_access_log_has_no_session_hash(served: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="uvicorn.access")
    with urllib.request.urlopen(f"{served}/gradio_api/queue/data?session_hash={HASH}") as response:
        assert response.status == 200
    deadline = time.monotonic() + 10
    while not any("queue/data" in r.getMessage() for r in caplog.records) and time.monotonic() < deadline:
        time.sleep(0.02)
    lines = [r.getMessage() for r in caplog.records if r.name == "uvicorn.access"]
    assert any("queue/data" in line for line in lines)
    assert not any(HASH in line for line in lines)
