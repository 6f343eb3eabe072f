"""What the chat-robot tests share: an assistant whose answers wait for the test's word, and a robot server.

`Gated` stands in for the Assistant: each question waits until the test opens the gate, so a test can see
that the callback was acknowledged while the answer was not yet computed (order, not a clock), and notes
"computed" when it has answered.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

from assistant.answer.reply import Answer
from assistant.api import create_api
from assistant.casefile.audit import AuditLog
from assistant.pipeline import Assistant
from assistant.settings import Settings

from .conftest import serve, wait_ready


class Gated:
    """An Assistant whose `ask` waits for `release()` while the gate is closed; everything else is the real one."""

    def __init__(self, assistant: Assistant) -> None:
        self._assistant = assistant
        self._open = threading.Event()
        self._open.set()
        self.events: list[str] = []
        self._lock = threading.Lock()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._assistant, name)

    def close(self) -> None:
        """Hold the next answers until `release()`."""
        self._open.clear()

    def release(self) -> None:
        """Let the held answers be computed."""
        self._open.set()

    def note(self, event: str) -> None:
        """Add an event to the order the test checks."""
        with self._lock:
            self.events.append(event)

    def ask(self, question: str, history: Sequence[str] = (), **kwargs: Any) -> Answer:
        """The real answer, once the gate is open."""
        assert self._open.wait(timeout=120), "the test never opened the gate"
        answer = self._assistant.ask(question, history, **kwargs)
        self.note("computed")
        return answer


@contextmanager
def robot_server(
    assistant: Assistant, base_settings: Settings, tmp_path: Path, **overrides: Any
) -> Iterator[tuple[str, Gated, AuditLog]]:
    """A real uvicorn server of the API with a gated assistant and its own SQLite audit database."""
    url = f"sqlite:///{tmp_path / 'audit.db'}"
    settings = base_settings.model_copy(update={"audit_url": url, **overrides})
    audit = AuditLog(url)
    gated = Gated(assistant)
    try:
        with serve(create_api(cast(Assistant, gated), audit, settings)) as base:
            wait_ready(base)
            yield base, gated, audit
    finally:
        audit.close()


def records(audit: AuditLog, channel: str) -> int:
    """Turns the audit database holds for a channel."""
    return sum(1 for case in audit.recent(limit=1000) if case.channel == channel)
