"""One gate for every door (issue 13, findings 4, 7 and 9), each finding reproduced on a real uvicorn server.

The API with a real Gradio app mounted at "/" as the app mounts its own: uploads, queue joins, forwarded
headers and unknown routes go through the same gate a deployment runs.
"""

from __future__ import annotations

import asyncio
import os
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import gradio as gr
import httpx
import pytest

from assistant.api import create_api
from assistant.api.proxies import uvicorn_options
from assistant.pipeline import Assistant
from assistant.settings import Settings

from .conftest import KEY, KEY_ENTRIES, FakeAudit, serve, wait_ready

pytestmark = pytest.mark.slow

MB = 1024 * 1024
Start = Callable[..., str]


def _blocks() -> gr.Blocks:
    """A small Gradio app: one event that echoes its text (the chat's events join the queue the same way)."""
    with gr.Blocks() as blocks:
        text = gr.Textbox()
        out = gr.Textbox()
        gr.Button("go").click(lambda t: t, text, out, api_visibility="private")
    return blocks


@pytest.fixture
def upload_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Gradio's upload folder for this test (read when the Gradio app is mounted)."""
    folder = tmp_path / "gradio"
    folder.mkdir()
    monkeypatch.setenv("GRADIO_TEMP_DIR", str(folder))
    return folder


@pytest.fixture
def start_app(assistant: Assistant, base_settings: Settings, upload_dir: Path) -> Iterator[Start]:
    """Start the API with Gradio mounted, uvicorn configured from the settings as `assistant serve` does."""
    with ExitStack() as stack:

        def _start(**overrides: Any) -> str:
            settings = base_settings.model_copy(update=overrides)
            api = create_api(assistant, FakeAudit(), settings)

            async def mount() -> Any:
                # Inside a running loop: outside one, Gradio opens event loops for its locks and never closes them.
                return gr.mount_gradio_app(
                    api, _blocks(), path="/", max_file_size=settings.max_upload_bytes, ssr_mode=False
                )

            app = asyncio.run(mount())
            base = stack.enter_context(serve(app, **uvicorn_options(settings)))
            wait_ready(base)
            return base

        yield _start


def _join(base: str, session: str = "s1", headers: dict[str, str] | None = None) -> httpx.Response:
    body = {"data": ["hi"], "event_data": None, "fn_index": 0, "trigger_id": 2, "session_hash": session}
    return httpx.post(f"{base}/gradio_api/queue/join", json=body, headers=headers or {})


def _raw(base: str, head: str, body: bytes = b"") -> tuple[int, bytes]:
    """Send raw HTTP/1.1 bytes (a declared length we never send, a chunked body) and read the status."""
    url = urlsplit(base)
    with socket.create_connection((url.hostname or "127.0.0.1", url.port or 80), timeout=30) as sock:
        sock.sendall(head.encode("latin-1") + body)
        reply = b""
        while b"\r\n\r\n" not in reply:
            chunk = sock.recv(65536)
            if not chunk:
                break
            reply += chunk
    return int(reply.split(b" ", 2)[1]), reply


def _files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


@pytest.mark.parametrize(
    ("method", "path", "status", "allow"),
    [
        ("GET", "/api/ask", 405, "POST"),
        ("OPTIONS", "/api/ask", 405, "POST"),
        ("GET", "/api/nope", 404, None),
        ("DELETE", "/v1/models", 405, "GET"),
        ("POST", "/v1", 404, None),
    ],
    ids=["get-ask", "options-ask", "unknown", "delete-models", "v1-root"],
)
def test_unknown_routes_and_methods_answer_the_error_shape(
    start_app: Start, method: str, path: str, status: int, allow: str | None
) -> None:
    base = start_app()
    reply = httpx.request(method, f"{base}{path}")
    assert reply.status_code == status
    error = reply.json()["error"]
    assert "detail" not in reply.json() and error["message"] and error["type"]
    assert reply.headers.get("allow") == allow
    assert httpx.post(f"{base}/api/check", json={}).status_code == 200  # a known route still answers


def test_a_100_mb_upload_is_refused_and_nothing_is_written(start_app: Start, upload_dir: Path) -> None:
    base = start_app()
    url = urlsplit(base)
    head = (
        f"POST /gradio_api/upload HTTP/1.1\r\nHost: {url.netloc}\r\n"
        f"Content-Type: multipart/form-data; boundary=b\r\nContent-Length: {100 * MB}\r\n\r\n"
    )
    status, reply = _raw(base, head, b"--b\r\n")
    assert status == 413 and b"request_too_large" in reply
    # A chunked body declares nothing: it is counted as it arrives and refused past 10 MB.
    head = (
        f"POST /gradio_api/upload HTTP/1.1\r\nHost: {url.netloc}\r\n"
        "Content-Type: multipart/form-data; boundary=b\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    piece = b"x" * MB
    body = b"".join(b"%x\r\n%s\r\n" % (len(piece), piece) for _ in range(11)) + b"0\r\n\r\n"
    assert _raw(base, head, body)[0] == 413
    assert _files(upload_dir) == []
    # A small file is accepted and written: the limit, not the route, refused the others.
    small = httpx.post(f"{base}/gradio_api/upload", files={"files": ("note.txt", b"hello", "text/plain")})
    assert small.status_code == 200, small.text
    assert [p.read_bytes() for p in _files(upload_dir)] == [b"hello"]


def test_an_upload_just_over_the_setting_is_refused(start_app: Start) -> None:
    base = start_app(max_upload_bytes=1000)
    assert httpx.post(f"{base}/gradio_api/upload", files={"files": ("a.txt", b"a" * 900)}).status_code == 200
    refused = httpx.post(f"{base}/gradio_api/upload", files={"files": ("b.txt", b"b" * 2000)})
    assert refused.status_code == 413


def test_old_uploads_are_swept_at_the_next_upload(start_app: Start, upload_dir: Path) -> None:
    base = start_app()
    old, fresh = upload_dir / "old" / "a.txt", upload_dir / "fresh" / "b.txt"
    for path in (old, fresh):
        path.parent.mkdir()
        path.write_text("x")
    two_hours_ago = time.time() - 7200
    os.utime(old, (two_hours_ago, two_hours_ago))
    httpx.post(f"{base}/gradio_api/upload", files={"files": ("c.txt", b"c")}).raise_for_status()
    assert not old.exists() and fresh.exists()


def test_the_queue_needs_a_key_when_the_chat_requires_one(start_app: Start) -> None:
    base = start_app(api_keys=KEY_ENTRIES, chat_requires_key=True)
    for headers in ({}, {"Authorization": "Bearer ftz-wrong"}):
        refused = _join(base, headers=headers)
        assert refused.status_code == 401 and refused.json()["error"]["code"] == "invalid_api_key"
    upload = httpx.post(f"{base}/gradio_api/upload", files={"files": ("a.txt", b"a")})
    assert upload.status_code == 401
    assert _join(base, headers={"Authorization": f"Bearer {KEY}"}).status_code == 200
    assert httpx.get(f"{base}/").status_code == 200  # the page itself loads (the proxy adds the key to calls)


def test_the_queue_is_open_but_limited_when_the_chat_needs_no_key(start_app: Start) -> None:
    base = start_app(api_keys=KEY_ENTRIES, ui_rate_limit_per_minute=3, ui_session_rate_limit_per_minute=0)
    assert [_join(base, f"s{n}").status_code for n in range(4)] == [200, 200, 200, 429]
    limited = _join(base, "s9")
    assert limited.status_code == 429 and int(limited.headers["retry-after"]) >= 1


def test_each_session_has_its_own_queue_limit(start_app: Start) -> None:
    base = start_app(ui_rate_limit_per_minute=100, ui_session_rate_limit_per_minute=2)
    assert [_join(base, "same").status_code for _ in range(3)] == [200, 200, 429]
    assert _join(base, "other").status_code == 200


def test_a_large_queue_body_is_refused(start_app: Start) -> None:
    base = start_app(ui_max_request_bytes=10_000)
    body = {"data": ["x" * 20_000], "fn_index": 0, "session_hash": "s"}
    assert httpx.post(f"{base}/gradio_api/queue/join", json=body).status_code == 413


@pytest.mark.parametrize("trusted", [False, True], ids=["untrusted", "trusted-proxy"])
def test_a_spoofed_forwarded_for_changes_no_identity(start_app: Start, trusted: bool) -> None:
    base = start_app(rate_limit_per_minute=2, trusted_proxies=["127.0.0.1"] if trusted else [])
    codes = [
        httpx.post(f"{base}/api/check", json={}, headers={"X-Forwarded-For": f"203.0.113.{n}"}).status_code
        for n in range(4)
    ]
    # From an address not listed, every request is the same client; from a listed proxy, four clients.
    assert codes == ([200] * 4 if trusted else [200, 200, 429, 429])
    ui_codes = [_join(base, f"x{n}", {"X-Forwarded-For": f"198.51.100.{n}"}).status_code for n in range(3)]
    assert ui_codes == [200, 200, 200]  # the UI's own limit (120) is not reached either way


def test_uvicorn_ignores_forwarded_headers_unless_proxies_are_listed(base_settings: Settings) -> None:
    assert uvicorn_options(base_settings) == {"proxy_headers": False, "forwarded_allow_ips": []}
    listed = base_settings.model_copy(update={"trusted_proxies": ["10.0.0.5", "10.1.0.0/16"]})
    assert uvicorn_options(listed) == {"proxy_headers": True, "forwarded_allow_ips": ["10.0.0.5", "10.1.0.0/16"]}
