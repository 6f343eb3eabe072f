"""The replay memory on a real SQLite database, and the callback guard's timestamp check (no server)."""

from __future__ import annotations

import threading
from pathlib import Path

import anyio
import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from assistant.api.callbacks import CallbackGuard, keep_seconds
from assistant.api.gate import RateLimiter
from assistant.api.wecom import CallbackRejected
from assistant.casefile import replay as replay_module
from assistant.casefile.audit import AuditLog
from assistant.casefile.migrations import current_revisions, head_revisions
from assistant.casefile.replay import TABLE, ReplayRow, ReplayTable, digest
from assistant.errors import AssistantError, AssistantRuntimeError
from assistant.settings import Settings


class Clock:
    """A clock that stands still until a test moves it."""

    def __init__(self, now: float = 1_790_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'audit.db'}"


def test_the_callbacks_branch_makes_the_table_of_the_model(url: str) -> None:
    memory = ReplayTable(url, keep_seconds=60, clock=Clock())
    assert "callbacks_0001" in head_revisions()
    assert current_revisions(memory.engine) == head_revisions()  # opened on first use, migrated to every head

    def only_ours(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
        return type_ != "table" or name == TABLE

    with memory.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_object": only_ours})
        assert compare_metadata(context, replay_module._Base.metadata) == []
    assert inspect(memory.engine).get_indexes(TABLE)[0]["column_names"] == ["seen_at"]


def test_the_audit_log_and_the_memory_share_one_database(url: str) -> None:
    audit = AuditLog(url)  # the app opens the audit log first: its upgrade creates the replay table too
    assert inspect(audit.engine).has_table(TABLE)
    memory = ReplayTable(audit.engine, keep_seconds=60, clock=Clock())
    assert memory.first_time("k") and not memory.first_time("k")
    audit.close()


def test_a_key_is_new_once_and_keeps_its_reply(url: str) -> None:
    memory = ReplayTable(url, keep_seconds=60, clock=Clock())
    assert memory.first_time("wecom:corp:message:1")
    assert not memory.first_time("wecom:corp:message:1")
    assert memory.first_time("wecom:corp:message:2")
    assert memory.reply_for("wecom:corp:message:1") is None  # taken, not answered yet
    memory.keep_reply("wecom:corp:message:1", "<xml>答复</xml>")
    assert memory.reply_for("wecom:corp:message:1") == "<xml>答复</xml>"
    assert memory.reply_for("wecom:corp:message:3") is None


def test_keys_are_stored_as_digests(url: str) -> None:
    memory = ReplayTable(url, keep_seconds=60, clock=Clock())
    memory.first_time("webhook:key:dify:message-7")
    with Session(memory.engine) as session:
        stored = session.scalars(select(ReplayRow.key)).all()
    assert stored == [digest("webhook:key:dify:message-7")]
    assert "dify" not in stored[0]


def test_keys_expire_and_old_rows_are_swept(url: str) -> None:
    clock = Clock()
    memory = ReplayTable(url, keep_seconds=660, clock=clock, sweep_every=60)
    assert memory.first_time("a") and memory.first_time("b")
    memory.keep_reply("a", "first reply")
    clock.now += 659
    assert not memory.first_time("a")
    assert memory.reply_for("a") == "first reply"
    clock.now += 2  # 661 s after the first claim: expired, though not swept yet
    assert memory.reply_for("a") is None
    assert memory.first_time("a")  # renewed by the conditional update, without its old reply
    assert memory.reply_for("a") is None
    assert memory.count() == 2  # "b" has expired too, but the last sweep ran 2 s ago
    clock.now += 60
    assert memory.first_time("c")  # the sweep is due: "b" goes, the renewed "a" stays
    assert memory.count() == 2
    clock.now += 700
    assert memory.first_time("d")
    assert memory.count() == 1


def test_forget_releases_a_claim(url: str) -> None:
    memory = ReplayTable(url, keep_seconds=60, clock=Clock())
    assert memory.first_time("k")
    memory.forget("k")
    assert memory.first_time("k")


def claim(barrier: threading.Barrier, memory: ReplayTable, key: str, wins: list[bool]) -> None:
    """Wait for the others, then claim the key at the same moment (list.append is atomic)."""
    barrier.wait()
    wins.append(memory.first_time(key))


def test_simultaneous_claims_from_two_replicas_have_one_winner(url: str) -> None:
    clock = Clock()
    replicas = [ReplayTable(url, keep_seconds=660, clock=clock) for _ in range(2)]
    for replica in replicas:
        replica.engine  # noqa: B018 - open both (and create the table) before the race
    for round_ in range(10):
        barrier = threading.Barrier(8)
        wins: list[bool] = []
        threads = [
            threading.Thread(target=claim, args=(barrier, replicas[n % 2], f"msg-{round_}", wins)) for n in range(8)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(wins) == [False] * 7 + [True]


def test_a_broken_database_is_an_error_not_a_new_message(tmp_path: Path) -> None:
    folder = tmp_path / "not-a-database"
    folder.mkdir()
    memory = ReplayTable(f"sqlite:///{folder}", keep_seconds=60, clock=Clock())
    with pytest.raises(AssistantError):  # the API answers 503; the caller's retry is answered later
        memory.first_time("k")


@pytest.mark.parametrize(
    ("timestamp", "status"),
    [("1790000000", None), ("1789999700", None), ("1790000300", None), ("1789999699", 403), ("1790000301", 403),
     ("abc", 400), ("", 400), ("17900000.0", 400), ("１７９０００００００", 400), ("9" * 13, 400)],
    ids=["now", "window-start", "window-end", "too-old", "too-new", "abc", "empty", "decimal", "fullwidth",
         "thirteen-digits"],
)  # fmt: skip
def test_the_timestamp_window(timestamp: str, status: int | None, url: str) -> None:
    clock = Clock()
    guard = CallbackGuard(
        window=300,
        memory=ReplayTable(url, keep_seconds(300), clock),
        wecom_limiter=RateLimiter(0),
        webhook_limiter=RateLimiter(0),
        clock=clock,
    )
    if status is None:
        guard.check_time(timestamp)
        return
    with pytest.raises(CallbackRejected) as refused:
        guard.check_time(timestamp)
    assert refused.value.status == status


def test_the_guard_follows_the_settings(tmp_path: Path) -> None:
    settings = Settings(
        data_dir=tmp_path, callback_window_seconds=60, wecom_rate_limit_per_minute=5, webhook_rate_limit_per_minute=7
    )
    guard = CallbackGuard.from_settings(settings)
    assert guard.window == 60
    assert guard.wecom_limiter.per_minute == 5 and guard.webhook_limiter.per_minute == 7
    assert isinstance(guard.memory, ReplayTable) and guard.memory.keep_seconds == keep_seconds(60) == 180
    assert not (tmp_path / "audit.db").exists()  # nothing is opened until a callback arrives


class FailingMemory:
    """A replay memory whose database takes claims but then fails to keep replies."""

    def first_time(self, key: str) -> bool:
        return True

    def keep_reply(self, key: str, reply: str) -> None:
        raise AssistantRuntimeError("replay memory failed to keep a reply: OperationalError")

    def reply_for(self, key: str) -> str | None:
        return None

    def forget(self, key: str) -> None:
        return None


def test_a_reply_that_cannot_be_kept_is_logged_not_lost(caplog: pytest.LogCaptureFixture) -> None:
    guard = CallbackGuard(
        window=300, memory=FailingMemory(), wecom_limiter=RateLimiter(0), webhook_limiter=RateLimiter(0)
    )
    anyio.run(guard.keep_reply, "k", "the answer")  # no exception: the caller still sends the answer it has
    assert "could not keep a callback's reply" in caplog.text
