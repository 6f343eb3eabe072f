"""The chat serving many: its queue concurrency, the bounded session state, and the named `chat` endpoint."""

from __future__ import annotations

import asyncio
import datetime
import itertools
import threading
from collections import OrderedDict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app import CHAT_POOL, IdleSessions, build_blocks
from assistant.accounts import open_accounts
from assistant.accounts.binding import SessionBindings
from assistant.casefile.audit import AuditLog
from assistant.pipeline import Assistant
from assistant.settings import Settings
from assistant.ui import ChatSession, ChatTab
from assistant.ui.chat import STREAM_STEPS, _steps

QUESTION = "A travel agency in the Beijing FTZ sends 600 guests' passport numbers to a hotel chain in Thailand."


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    return Assistant(Settings(embedder="fake", data_dir=tmp_path_factory.mktemp("serving-data")))


@pytest.fixture
def audit(tmp_path: Path) -> Iterator[AuditLog]:
    log = AuditLog(f"sqlite:///{tmp_path / 'audit.db'}")
    yield log
    log.close()


def test_a_whole_turn_gives_the_reply_outcome_and_case(
    assistant: Assistant, audit: AuditLog, monkeypatch: pytest.MonkeyPatch
) -> None:
    pauses: list[float] = []
    monkeypatch.setattr("assistant.ui.chat.time.sleep", pauses.append)
    chat = ChatTab(ChatSession(assistant, audit), delay=0.5)
    done = chat.turn(QUESTION, [], "en")
    assert pauses == []  # the endpoint's caller gets no stream: no pacing pauses
    assert len(list(chat.respond(QUESTION, [], [], {}, "en"))) > 2 and pauses  # the page's stream is paced
    assert done["reply"] and done["outcome"] and done["case_id"]
    assert audit.get(done["case_id"]) is not None
    assert chat.turn("   ", [], "en") == {"reply": "", "outcome": None, "case_id": None, "options": []}


def test_the_page_streams_a_long_answer_in_a_few_steps(
    assistant: Assistant, audit: AuditLog, monkeypatch: pytest.MonkeyPatch
) -> None:
    pauses: list[float] = []
    monkeypatch.setattr("assistant.ui.chat.time.sleep", pauses.append)
    long_answer = "".join(f"Line {n} of a long answer.\n" for n in range(1, 12))
    answered = ChatSession(assistant, audit).answer("Which law defines personal information?", [], "en")
    answered.text = long_answer
    chat = ChatTab(ChatSession(assistant, audit), delay=0.25)
    monkeypatch.setattr(chat.chat, "answer", lambda *args, **kwargs: answered)
    rows = list(chat.respond("Which law defines personal information?", [], [], {}, "en"))
    streamed = [row[0][-1]["content"] for row in rows[1:-1]]  # between the question shown and the panels filled
    assert len(streamed) == STREAM_STEPS and pauses == [0.25] * STREAM_STEPS
    assert streamed[-1] == rows[-1][0][-1]["content"] and streamed[-1].strip() == long_answer.strip()
    assert all(later.startswith(earlier) for earlier, later in itertools.pairwise(streamed))  # whole lines, in order
    assert [len(run) for run in _steps(list("abcdefghij"), 4)] == [3, 3, 3, 1]
    assert list(_steps([], 4)) == [] and list(_steps(["one"], 4)) == [["one"]]


def test_chat_events_share_a_pool_and_the_console_runs_one_at_a_time(
    assistant: Assistant, audit: AuditLog, tmp_path: Path, event_loops: list[asyncio.AbstractEventLoop]
) -> None:
    settings = Settings(embedder="fake", data_dir=tmp_path, chat_concurrency=5, chat_sessions_max=77)
    accounts = open_accounts(settings, audit.engine)
    demo = build_blocks(assistant, audit, settings, accounts, SessionBindings(60))
    fns = list(demo.fns.values())
    pooled = [f for f in fns if f.concurrency_id == CHAT_POOL]
    assert pooled and all(f.concurrency_limit == 5 for f in pooled)
    assert [f.api_name for f in fns if f.api_visibility == "public"] == ["chat"]
    assert any(f.api_name == "chat" for f in pooled)
    console = [f for f in fns if f.concurrency_id != CHAT_POOL]
    assert console and all(f.concurrency_limit == "default" for f in console)  # Gradio's default: one at a time
    assert demo.state_session_capacity == 77
    # The fixture closes the event loops Gradio made: none when an earlier test left one current (the whole
    # tests/app run), so their number is not asserted.


class Holder:
    """Gradio 6's StateHolder as IdleSessions reads it."""

    def __init__(self, last_used: dict[str, datetime.datetime]) -> None:
        self.lock = threading.Lock()
        self.session_data: OrderedDict[str, Any] = OrderedDict((sid, object()) for sid in last_used)
        self.time_last_used = dict(last_used)


class Blocks:
    def __init__(self, holder: Holder) -> None:
        self.state_holder = holder


def test_idle_sessions_are_forgotten_and_sweeps_are_spaced() -> None:
    now = datetime.datetime.now()
    holder = Holder({"old": now - datetime.timedelta(hours=3), "fresh": now - datetime.timedelta(minutes=5)})
    sweep = IdleSessions(Blocks(holder), idle_seconds=3600, every=60)  # type: ignore[arg-type]
    assert sweep() == 1
    assert list(holder.session_data) == ["fresh"] and list(holder.time_last_used) == ["fresh"]
    holder.time_last_used["fresh"] = now - datetime.timedelta(hours=2)
    assert sweep() == 0  # not due yet
    assert sweep(force=True) == 1 and not holder.session_data
