"""A fake OpenAI-compatible endpoint on loopback: it hangs (accepts, reads, never answers) or answers.

A real asyncio socket server in a thread, so the assistant's real HTTP client (langchain-openai, httpx)
talks to it over TCP. The benchmark `evals/bench_hung_model.py` uses it too.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from typing import Literal

Mode = Literal["hang", "answer"]


class FakeLLM:
    """An endpoint whose behaviour the test switches; counts what it saw."""

    def __init__(self, mode: Mode = "hang", content: str = "{}") -> None:
        self.mode: Mode = mode
        self.content = content
        self.accepted = 0
        """Connections accepted."""
        self.requests = 0
        """Requests read (hanging or answered)."""
        self.hanging = 0
        """Requests read and held unanswered right now."""
        self.abandoned = 0
        """Held requests whose client closed the connection (the call was given up)."""
        self.answered = 0
        self._changed = threading.Condition()
        self._loop = asyncio.new_event_loop()
        self._release: asyncio.Event | None = None
        self._server: asyncio.Server | None = None
        self._connections: set[asyncio.Task[None]] = set()
        self._thread = threading.Thread(target=self._loop.run_forever, name="fake-llm", daemon=True)
        self.port = 0

    @property
    def url(self) -> str:
        """The base URL to configure as `llm_base_url`."""
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self) -> FakeLLM:
        """Listen on a free loopback port."""
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._listen(), self._loop).result(timeout=10)
        return self

    def stop(self) -> None:
        """Close every connection and the server."""
        asyncio.run_coroutine_threadsafe(self._close(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()

    def release(self) -> None:
        """Drop every held request's connection without an answer (the client sees a failure)."""
        self._loop.call_soon_threadsafe(self._release_now)

    def wait_for(self, what: str, count: int, timeout: float = 60.0) -> None:
        """Block until counter `what` reaches `count` (a generous guard, not a measurement)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while getattr(self, what) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"fake endpoint: {what} is {getattr(self, what)}, expected {count}")
                self._changed.wait(left)

    def _bump(self, what: str, by: int = 1) -> None:
        with self._changed:
            setattr(self, what, getattr(self, what) + by)
            self._changed.notify_all()

    async def _listen(self) -> None:
        self._release = asyncio.Event()
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    def _release_now(self) -> None:
        assert self._release is not None
        self._release.set()
        self._release = asyncio.Event()

    async def _close(self) -> None:
        if self._release is not None:
            self._release.set()
        if self._server is not None:
            self._server.close()
        for task in self._connections:
            task.cancel()
        await asyncio.gather(*self._connections, return_exceptions=True)
        if self._server is not None:
            await self._server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._bump("accepted")
        task = asyncio.current_task()
        assert task is not None
        self._connections.add(task)
        try:
            while await self._one(reader, writer):
                pass
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            self._connections.discard(task)
            writer.close()

    async def _one(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bool:
        """Read one request and hang or answer; False when the connection is done."""
        head = await reader.readuntil(b"\r\n\r\n")
        length = 0
        for line in head.decode("latin-1").split("\r\n"):
            name, _, value = line.partition(":")
            if name.strip().lower() == "content-length":
                length = int(value)
        await reader.readexactly(length)
        self._bump("requests")
        if self.mode == "hang":
            await self._hang(reader)
            return False
        body = json.dumps(
            {
                "id": "chatcmpl-fake",
                "object": "chat.completion",
                "created": 0,
                "model": "fake",
                "choices": [
                    {"index": 0, "message": {"role": "assistant", "content": self.content}, "finish_reason": "stop"}
                ],
                "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
            }
        ).encode()
        writer.write(
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
            + f"content-length: {len(body)}\r\n\r\n".encode()
            + body
        )
        await writer.drain()
        self._bump("answered")
        return True

    async def _hang(self, reader: asyncio.StreamReader) -> None:
        """Hold the request: until the client gives up (EOF) or the test releases it."""
        assert self._release is not None
        self._bump("hanging")
        eof = asyncio.ensure_future(reader.read())
        released = asyncio.ensure_future(self._release.wait())
        try:
            done, _ = await asyncio.wait({eof, released}, return_when=asyncio.FIRST_COMPLETED)
            if eof in done:
                self._bump("abandoned")
        finally:
            eof.cancel()
            released.cancel()
            self._bump("hanging", -1)
