"""The chat tools' common pieces without a server: conversation memory, the reply worker, masking, the client."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from assistant.api import conversations as conversations_module
from assistant.api import replies as replies_module
from assistant.api.callbacks import audit_id, masked_id
from assistant.api.conversations import ConversationKey, ConversationStore, is_restart
from assistant.api.platform_client import DeliveryError, PlatformClient, TokenCache
from assistant.api.replies import ReplyJob, ReplyWorker, UndeliveredTable
from assistant.casefile.migrations import current_revisions, head_revisions
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


KEY = ConversationKey("feishu", "oc_group_one", "ou_member_a")


def test_the_chattools_branch_makes_the_tables_of_the_models(url: str) -> None:
    store = ConversationStore(url, idle_seconds=60, clock=Clock())
    assert "chattools_0001" in head_revisions()
    assert current_revisions(store.engine) == head_revisions()
    for module, table in (
        (conversations_module, conversations_module.TABLE),
        (replies_module, replies_module.UNDELIVERED_TABLE),
    ):

        def only(
            obj: object, name: str | None, type_: str, reflected: bool, compare_to: object, t: str = table
        ) -> bool:
            return (type_ != "table" or name == t) and getattr(getattr(obj, "table", None), "name", t) == t

        with store.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"include_object": only})
            assert compare_metadata(context, module._Base.metadata) == []


def test_a_conversation_keeps_its_turns_per_chat_and_sender_until_idle(url: str) -> None:
    clock = Clock()
    store = ConversationStore(url, idle_seconds=600, clock=clock)
    assert store.turns(KEY) == []
    store.add(KEY, "first question about our shop")
    clock.now += 100
    store.add(KEY, "and the second one")
    other = ConversationKey("feishu", "oc_group_one", "ou_member_b")
    store.add(other, "someone else in the same group")
    assert store.turns(KEY) == ["first question about our shop", "and the second one"]
    assert store.turns(other) == ["someone else in the same group"]
    assert store.turns(ConversationKey("dingtalk", "oc_group_one", "ou_member_a")) == []
    clock.now += 599
    assert len(store.turns(KEY)) == 2  # idle for less than the idle time: still going
    clock.now += 2
    assert store.turns(KEY) == []  # idle too long: over
    store.add(KEY, "a fresh start")
    assert store.turns(KEY) == ["a fresh start"]  # the earlier turns are before the gap


def test_replicas_share_conversations_through_the_database(url: str) -> None:
    clock = Clock()
    one, two = ConversationStore(url, 600, clock), ConversationStore(url, 600, clock)
    one.add(KEY, "asked on replica one")
    clock.now += 1
    two.add(KEY, "asked on replica two")
    assert one.turns(KEY) == two.turns(KEY) == ["asked on replica one", "asked on replica two"]
    two.reset(KEY)
    assert one.turns(KEY) == []


def test_turns_are_masked_cut_and_bounded(url: str) -> None:
    clock = Clock()
    store = ConversationStore(url, 600, clock, max_turns=3)
    store.add(KEY, "call me on 13912345678 please\x00")
    for n in range(5):
        clock.now += 1
        store.add(KEY, f"turn {n}")
    assert store.turns(KEY) == ["turn 2", "turn 3", "turn 4"]
    store.reset(KEY)
    store.add(KEY, "x" * 10_000 + " 13912345678")
    (kept,) = store.turns(KEY)
    assert len(kept) < 4100 and "13912345678" not in kept


def test_ended_conversations_are_swept(url: str) -> None:
    clock = Clock()
    store = ConversationStore(url, 60, clock, sweep_every=0)
    store.add(KEY, "old")
    clock.now += 61
    store.add(ConversationKey("feishu", "oc_other", "ou_x"), "new")
    assert store.count() == 1


@pytest.mark.parametrize("text", ["new", "/new", " New ", "重新开始", "新对话", "重新开始。"])
def test_restart_words(text: str) -> None:
    assert is_restart(text)


@pytest.mark.parametrize("text", ["news about transfers", "a new question", "", "重新开始评估我们的数据"])
def test_not_restart_words(text: str) -> None:
    assert not is_restart(text)


def test_the_store_reads_its_idle_time_from_the_settings(tmp_path: Path) -> None:
    store = ConversationStore.from_settings(
        Settings(data_dir=tmp_path, embedder="fake", chat_tool_conversation_idle_minutes=5)
    )
    assert store.idle_seconds == 300


def test_masked_ids_keep_a_prefix_and_a_digest_never_the_id() -> None:
    chat = "oc_5ad11d72b830411d72b836c20"
    shown = masked_id(chat)
    assert shown.startswith("oc_5") and chat not in shown and shown == masked_id(chat)
    assert masked_id("oc_5ad11d72b830411d72b836c21") != shown
    record = audit_id("feishu", chat, "ou_7d8a6e6df7621556ce0d21922b676706ccs")
    assert record.startswith("feishu chat oc_5") and "ou_7d8a6e6df" not in record and len(record) <= 128


async def _run_jobs(worker: ReplyWorker, jobs: list[ReplyJob], ack: bool = True) -> None:
    async with worker.running():
        for job in jobs:
            assert worker.submit(job)
            if ack:
                await job.ack()


def test_the_worker_computes_only_after_the_ack_and_sends() -> None:
    stages: list[str] = []
    sent: list[str] = []

    async def main() -> None:
        async def hook(stage: str, job: ReplyJob) -> None:
            stages.append(stage)

        async def compute() -> str:
            stages.append("compute-called")
            return "the answer"

        async def send(payload: Any) -> None:
            sent.append(payload)

        worker = ReplyWorker(hook=hook, workers=1)
        async with worker.running():
            job = ReplyJob("feishu", "oc_1…", compute, send)
            assert worker.submit(job)
            await anyio.sleep(0.05)
            assert stages == []  # queued, waiting for its ack
            await job.ack()
        assert worker.delivered == 1

    anyio.run(main)
    assert stages == ["acked", "computing", "compute-called", "computed", "sent"]
    assert sent == ["the answer"]


def test_a_failing_send_is_retried_then_recorded_and_the_sender_told(url: str) -> None:
    table = UndeliveredTable(url)
    attempts: list[int] = []
    told: list[str] = []

    async def compute() -> str:
        return "the answer"

    async def send(payload: Any) -> None:
        attempts.append(1)
        if len(attempts) < 5:
            raise DeliveryError("platform busy")

    async def failed(error: str) -> None:
        told.append(error)

    job = ReplyJob("feishu", "oc_1…abc", compute, send, failed, case_id="20261201-abc")
    worker = ReplyWorker(table, attempts=3, backoff=0.01)
    anyio.run(_run_jobs, worker, [job])
    assert len(attempts) == 3 and worker.failures == 1 and worker.delivered == 0
    (row,) = table.recent()
    assert row.platform == "feishu" and row.case_id == "20261201-abc" and "platform busy" in row.error
    assert told and "3 attempts" in told[0]


def test_a_send_that_recovers_is_delivered_once(url: str) -> None:
    table = UndeliveredTable(url)
    attempts: list[int] = []

    async def compute() -> str:
        return "x"

    async def send(payload: Any) -> None:
        attempts.append(1)
        if len(attempts) == 1:
            raise DeliveryError("a blip")

    worker = ReplyWorker(table, backoff=0.01)
    anyio.run(_run_jobs, worker, [ReplyJob("dingtalk", "t", compute, send)])
    assert len(attempts) == 2 and worker.delivered == 1 and table.recent() == []


def test_an_answer_that_fails_is_recorded_and_the_worker_goes_on(url: str) -> None:
    table = UndeliveredTable(url)
    sent: list[Any] = []

    async def broken() -> str:
        raise RuntimeError("the index is gone")

    async def fine() -> str:
        return "ok"

    async def send(payload: Any) -> None:
        sent.append(payload)

    worker = ReplyWorker(table, workers=1)
    anyio.run(_run_jobs, worker, [ReplyJob("feishu", "a", broken, send), ReplyJob("feishu", "b", fine, send)])
    assert sent == ["ok"] and worker.failures == 1
    assert "the index is gone" in table.recent()[0].error


def test_a_full_queue_or_a_stopped_worker_refuses_jobs() -> None:
    async def main() -> None:
        async def compute() -> str:
            return ""

        async def send(payload: Any) -> None:
            return None

        worker = ReplyWorker(workers=1, queue=1, ack_timeout=0.1)
        assert not worker.submit(ReplyJob("feishu", "a", compute, send))  # not running
        async with worker.running():
            taken = [worker.submit(ReplyJob("feishu", str(n), compute, send)) for n in range(5)]
            assert taken[0] and not all(taken)  # bounded: the queue holds one, a worker one

    anyio.run(main)


def test_the_client_raises_delivery_errors_and_the_token_is_fetched_once() -> None:
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        if request.url.path == "/bad":
            return httpx.Response(500, json={"code": 1})
        if request.url.path == "/text":
            return httpx.Response(200, text="not json")
        return httpx.Response(200, json={"code": 0})

    async def main() -> None:
        client = PlatformClient("feishu", "http://fake.invalid/", transport=httpx.MockTransport(handler))
        assert await client.call("POST", "/ok", json={}) == {"code": 0}
        for path in ("/bad", "/text"):
            with pytest.raises(DeliveryError):
                await client.call("POST", path)
        await client.aclose()

        fetched: list[int] = []

        async def fetch() -> tuple[str, float]:
            fetched.append(1)
            await anyio.sleep(0.01)
            return f"t-{len(fetched)}", 7200

        clock = Clock(0)
        cache = TokenCache(fetch, clock=clock)
        async with anyio.create_task_group() as group:
            for _ in range(5):
                group.start_soon(cache.get)
        assert fetched == [1] and await cache.get() == "t-1"
        clock.now += 7200 - 300 + 1  # within the margin of its end: fetched anew
        assert await cache.get() == "t-2"
        cache.forget()
        assert await cache.get() == "t-3"

    anyio.run(main)
    assert calls == ["/ok", "/bad", "/text"]


def test_conversations_are_safe_from_threads(url: str) -> None:
    store = ConversationStore(url, 600)
    store.turns(KEY)  # migrate once before the threads start
    threads = [threading.Thread(target=store.add, args=(KEY, f"turn {n}")) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(store.turns(KEY)) == 8
