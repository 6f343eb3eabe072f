"""Fixtures of the API tests: one real Assistant, an in-memory audit log, and real uvicorn servers on loopback."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI

from assistant.answer.reply import Answer
from assistant.api import create_api, hash_key
from assistant.pipeline import Assistant
from assistant.settings import Settings

KEY = "ftz-test-key-for-the-help-desk"
OTHER_KEY = "ftz-test-key-for-dify"
KEY_ENTRIES = [f"help-desk:{hash_key(KEY)}", f"dify:{hash_key(OTHER_KEY)}"]


@dataclass
class Record:
    """One recorded turn."""

    answer: Answer
    channel: str
    key_id: str | None


@dataclass
class FakeAudit:
    """An in-memory audit log with the AuditLog interface."""

    records: list[Record] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, answer: Answer, channel: str, key_id: str | None = None) -> str:
        """Keep the turn; the case id is its position."""
        with self.lock:
            self.records.append(Record(answer, channel, key_id))
            return f"case-{len(self.records)}"


@contextmanager
def serve(app: FastAPI, **options: Any) -> Iterator[str]:
    """Run a real uvicorn server for `app` on a free loopback port in a thread (uvicorn `options` added); yields
    its base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", lifespan="on", ws="none", **options)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=20)
        sock.close()


def wait_ready(base: str, timeout: float = 120.0) -> None:
    """Poll /readyz until it says 200 (the first server of a run builds the index)."""
    deadline = time.monotonic() + timeout
    while True:
        status = httpx.get(f"{base}/readyz", timeout=30).status_code
        if status == 200:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"/readyz still {status} after {timeout} s")
        time.sleep(0.1)


@pytest.fixture(scope="session")
def base_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings over the real corpus and rule packs, with the fake embedder and a private data folder."""
    return Settings(
        embedder="fake",
        data_dir=tmp_path_factory.mktemp("api-data"),
        chroma_url=None,
        api_keys=[],
        rate_limit_per_minute=0,
    )


@pytest.fixture(scope="session")
def assistant(base_settings: Settings) -> Assistant:
    """One real Assistant (real rule packs, real retrieval with the fake embedder) for every API test."""
    return Assistant(base_settings)


Serve = Callable[..., Any]


@pytest.fixture
def audit() -> FakeAudit:
    """A fresh in-memory audit log."""
    return FakeAudit()


@pytest.fixture
def start(assistant: Assistant, base_settings: Settings, audit: FakeAudit) -> Iterator[Serve]:
    """Start a server with settings overrides (`start(api_keys=[...])`); returns its ready base URL."""
    with ExitStack() as stack:

        def _start(**overrides: Any) -> str:
            settings = base_settings.model_copy(update=overrides)
            base = stack.enter_context(serve(create_api(assistant, audit, settings)))
            wait_ready(base)
            return base

        yield _start


@pytest.fixture(scope="session")
def shared_server(assistant: Assistant, base_settings: Settings) -> Iterator[str]:
    """One open server (no keys, no rate limit) shared by the tests that only read answers."""
    with serve(create_api(assistant, FakeAudit(), base_settings)) as base:
        wait_ready(base)
        yield base
