"""The chat tools' conversation memory and undelivered record on a real PostgreSQL, shared by two replicas."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from assistant.api import conversations as conversations_module
from assistant.api import replies as replies_module
from assistant.api.conversations import ConversationKey, ConversationStore
from assistant.api.replies import UndeliveredTable

from ..services import new_database, postgres_cluster
from .test_common import Clock

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with postgres_cluster() as url:
        yield url


@pytest.fixture
def url(server: str) -> str:
    return new_database(server)


def test_the_tables_match_the_models_on_postgres(url: str) -> None:
    store = ConversationStore(url, 600)
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
    store.close()


def test_two_replicas_adding_at_once_lose_no_turn(url: str) -> None:
    key = ConversationKey("feishu", "oc_shared_group", "ou_someone")
    replicas = [ConversationStore(url, 600), ConversationStore(url, 600)]
    replicas[0].turns(key)  # migrate once; the second replica finds the schema current
    start = threading.Barrier(8)

    def add(store: ConversationStore, n: int) -> None:
        start.wait()
        for m in range(5):
            store.add(key, f"turn {n}.{m}")

    threads = [threading.Thread(target=add, args=(replicas[n % 2], n)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    one, two = replicas[0].turns(key), replicas[1].turns(key)
    assert one == two and len(one) == 20  # the newest MAX_TURNS of the 40, the same on both replicas
    assert replicas[0].count() == 40
    replicas[1].reset(key)
    assert replicas[0].turns(key) == []
    for store in replicas:
        store.close()


def test_idle_conversations_end_and_are_swept_on_postgres(url: str) -> None:
    clock = Clock()
    store = ConversationStore(url, 60, clock, sweep_every=0)
    old, new = ConversationKey("dingtalk", "c1", "u1"), ConversationKey("dingtalk", "c2", "u2")
    store.add(old, "said long ago")
    clock.now += 61
    assert store.turns(old) == []
    store.add(new, "said now")
    assert store.count() == 1 and store.turns(new) == ["said now"]
    undelivered = UndeliveredTable(store.engine)
    undelivered.record("dingtalk", "c2…", "20261201-abc", "HTTP 503")
    assert [row.case_id for row in undelivered.recent()] == ["20261201-abc"]
    store.close()
