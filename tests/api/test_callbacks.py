"""Chat-tool callbacks over real servers on loopback: replays, timestamps, simultaneous deliveries, sender limits.

Each test has its own SQLite audit database, shared by the audit log and the replay memory as in production,
and a fixed clock (no sleeps): moving it is how a minute passes.
"""

from __future__ import annotations

import threading
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx
import pytest

from assistant.api import create_api
from assistant.api.callbacks import CallbackGuard, keep_seconds
from assistant.api.gate import RateLimiter
from assistant.api.wecom_routes import message_key
from assistant.casefile.audit import AuditLog
from assistant.casefile.replay import ReplayTable
from assistant.catalogue import word
from assistant.pipeline import Assistant
from assistant.settings import Settings

from .conftest import serve, wait_ready
from .test_wecom import SETTINGS, callback, spec_decrypt, spec_sign, text_message

pytestmark = pytest.mark.slow

NOW = 1_790_000_000.0
"""The tests' fixed 'now' (Unix seconds, in 2026)."""
YEAR = 365 * 24 * 3600
ZH_QUESTION = "我们公司在北京自贸区，想把员工的姓名和电话发给新加坡的母公司，需要申报吗？"
EN_QUESTION = "Our Beijing FTZ company wants to send staff names and phone numbers to the parent in Singapore."


class Clock:
    """A clock that stands still until a test moves it."""

    def __init__(self, now: float = NOW) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


class Replica:
    """One server of a deployment: its base URL, audit log and clock."""

    def __init__(self, base: str, audit: AuditLog, clock: Clock) -> None:
        self.base = base
        self.audit = audit
        self.clock = clock

    def wecom(self, query: dict[str, str], body: str) -> httpx.Response:
        """POST a WeCom callback."""
        return httpx.post(f"{self.base}/webhook/wecom", params=query, content=body.encode(), timeout=60)

    def records(self, channel: str) -> int:
        """Turns the shared audit database holds for a channel."""
        return sum(1 for case in self.audit.recent(limit=1000) if case.channel == channel)


Start = Callable[..., Replica]


@pytest.fixture
def start(assistant: Assistant, base_settings: Settings, tmp_path: Path) -> Iterator[Start]:
    """Start replicas on one audit database (tmp_path/audit.db); `start(wecom_limit=3)` sets the limits."""
    url = f"sqlite:///{tmp_path / 'audit.db'}"
    with ExitStack() as stack:

        def _start(clock: Clock | None = None, wecom_limit: int = 0, webhook_limit: int = 0) -> Replica:
            clock = clock or Clock()
            settings = base_settings.model_copy(update={**SETTINGS, "audit_url": url})
            audit = AuditLog(url)
            stack.callback(audit.close)
            memory = ReplayTable(url, keep_seconds(300), clock)
            stack.callback(memory.close)
            guard = CallbackGuard(
                window=300,
                memory=memory,
                wecom_limiter=RateLimiter(wecom_limit, clock=clock),
                webhook_limiter=RateLimiter(webhook_limit, clock=clock),
                clock=clock,
            )
            base = stack.enter_context(serve(create_api(assistant, audit, settings, guard)))
            wait_ready(base)
            return Replica(base, audit, clock)

        yield _start


def stamp(clock: Clock, offset: float = 0) -> str:
    return str(int(clock.now + offset))


def content_of(reply: httpx.Response) -> str | None:
    """The text of an encrypted passive reply (checked against its signature), or None for an empty 200."""
    assert reply.status_code == 200, reply.text
    if not reply.content:
        return None
    outer = {child.tag: child.text or "" for child in ET.fromstring(reply.text)}
    assert outer["MsgSignature"] == spec_sign(outer["TimeStamp"], outer["Nonce"], outer["Encrypt"])
    inner = {child.tag: child.text or "" for child in ET.fromstring(spec_decrypt(outer["Encrypt"])[0])}
    return inner["Content"]


def test_fifty_replays_of_a_signed_message_are_answered_and_recorded_once(start: Start) -> None:
    replica = start()
    query, body = callback(text_message(ZH_QUESTION, msg_id=42), timestamp=stamp(replica.clock))
    replies = [content_of(replica.wecom(query, body)) for _ in range(50)]
    assert replies[0] and "案件编号" in replies[0]
    assert set(replies) == {replies[0]}  # every replay gets the first reply, nothing new
    assert replica.records("wecom") == 1
    # WeCom's own retry re-signs the same MsgId with a new nonce: still the same reply, still one record.
    retry_query, retry_body = callback(
        text_message(ZH_QUESTION, msg_id=42), timestamp=stamp(replica.clock, 3), nonce="9"
    )
    assert content_of(replica.wecom(retry_query, retry_body)) == replies[0]
    assert replica.records("wecom") == 1
    # Another message of the same member is a new message.
    other_query, other_body = callback(text_message(ZH_QUESTION, msg_id=43), timestamp=stamp(replica.clock))
    assert content_of(replica.wecom(other_query, other_body))
    assert replica.records("wecom") == 2


@pytest.mark.parametrize(
    ("timestamp", "status", "reason"),
    [
        (lambda now: str(int(now - YEAR)), 403, "old"),
        (lambda now: str(int(now + YEAR)), 403, "ahead"),
        (lambda now: "abc", 400, "Unix time"),
        (lambda now: str(int(now - 301)), 403, "old"),
        (lambda now: str(int(now + 301)), 403, "ahead"),
        (lambda now: "-" + str(int(now)), 400, "Unix time"),
        (lambda now: "1" * 40, 400, "Unix time"),
    ],
    ids=["year-old", "year-ahead", "abc", "301s-old", "301s-ahead", "negative", "forty-digits"],
)
def test_timestamps_outside_the_window_or_not_numbers_are_refused(
    start: Start, timestamp: Callable[[float], str], status: int, reason: str
) -> None:
    replica = start()
    query, body = callback(text_message(ZH_QUESTION), timestamp=timestamp(replica.clock.now))
    reply = replica.wecom(query, body)  # correctly signed over its timestamp: only the time is wrong
    assert reply.status_code == status
    error = reply.json()["error"]
    assert error["message"].startswith("callback rejected: timestamp") and reason in error["message"]
    assert replica.records("wecom") == 0


def test_the_timestamp_is_checked_before_the_body_is_read(start: Start) -> None:
    replica = start()
    reply = replica.wecom({"timestamp": "abc", "nonce": "1", "msg_signature": "0" * 40}, "not xml at all")
    assert reply.status_code == 400 and "timestamp" in reply.json()["error"]["message"]


def test_timestamps_within_the_window_are_answered(start: Start) -> None:
    replica = start()
    for offset in (-299, 299):
        query, body = callback(text_message(ZH_QUESTION), timestamp=stamp(replica.clock, offset))
        assert content_of(replica.wecom(query, body))
    assert replica.records("wecom") == 2


def deliver(
    barrier: threading.Barrier, replica: Replica, query: dict[str, str], body: str, replies: list[httpx.Response]
) -> None:
    """Wait for the others, then deliver the callback at the same moment (list.append is atomic)."""
    barrier.wait()
    replies.append(replica.wecom(query, body))


def test_simultaneous_deliveries_to_two_replicas_are_answered_once(start: Start) -> None:
    clock = Clock()
    replicas = [start(clock), start(clock)]  # two servers, one audit database
    for msg_id in (501, 502, 503):
        query, body = callback(text_message(ZH_QUESTION, msg_id=msg_id), timestamp=stamp(clock))
        barrier = threading.Barrier(6)
        replies: list[httpx.Response] = []
        threads = [
            threading.Thread(target=deliver, args=(barrier, replicas[n % 2], query, body, replies)) for n in range(6)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        contents = [content_of(reply) for reply in replies]
        answered = {content for content in contents if content}
        assert len(answered) == 1  # whoever got text got the same text
    assert replicas[0].records("wecom") == 3


def test_events_are_remembered_by_a_digest(start: Start) -> None:
    replica = start()
    memory = ReplayTable(replica.audit.engine, keep_seconds(300), replica.clock)
    query, body = callback(text_message("", kind="event"), timestamp=stamp(replica.clock))
    assert content_of(replica.wecom(query, body)) is None
    held = memory.count()
    assert held == 2  # the delivery and the event's digest
    query, body = callback(text_message("", kind="event"), timestamp=stamp(replica.clock), nonce="77")
    assert content_of(replica.wecom(query, body)) is None  # same event, signed again: known by its digest
    assert memory.count() == held + 1  # only the new delivery


def test_a_member_over_the_limit_gets_a_short_note_in_their_language(start: Start) -> None:
    replica = start(wecom_limit=3)
    contents = []
    for _ in range(4):
        query, body = callback(text_message(ZH_QUESTION, user="lisi"), timestamp=stamp(replica.clock))
        contents.append(content_of(replica.wecom(query, body)))
    assert all(c and "案件编号" in c for c in contents[:3])
    assert contents[3] == word("callback.slow_down", "zh")
    assert replica.records("wecom") == 3
    # The same message delivered again keeps its note: it is neither answered nor recorded later.
    assert content_of(replica.wecom(query, body)) == word("callback.slow_down", "zh")
    query, body = callback(text_message(EN_QUESTION, user="lisi"), timestamp=stamp(replica.clock))
    assert content_of(replica.wecom(query, body)) == word("callback.slow_down", "en")
    # Another member is not held back by lisi.
    query, body = callback(text_message(ZH_QUESTION, user="wangwu"), timestamp=stamp(replica.clock))
    assert "案件编号" in (content_of(replica.wecom(query, body)) or "")
    assert replica.records("wecom") == 4
    # A minute later lisi is answered again.
    replica.clock.now += 61
    query, body = callback(text_message(ZH_QUESTION, user="lisi"), timestamp=stamp(replica.clock))
    assert "案件编号" in (content_of(replica.wecom(query, body)) or "")
    assert replica.records("wecom") == 5


def webhook(replica: Replica, text: str, key: str | None = None) -> httpx.Response:
    headers = {"Idempotency-Key": key} if key else {}
    return httpx.post(f"{replica.base}/webhook/generic", json={"text": text}, headers=headers, timeout=60)


def test_generic_webhook_answers_an_idempotency_key_once(start: Start) -> None:
    replica = start()
    replies = [webhook(replica, EN_QUESTION, key="msg-1") for _ in range(5)]
    assert [reply.status_code for reply in replies] == [200] * 5
    first: dict[str, Any] = replies[0].json()
    assert all(reply.json() == first for reply in replies)
    assert "idempotent-replayed" not in replies[0].headers
    assert all(reply.headers["idempotent-replayed"] == "true" for reply in replies[1:])
    assert replica.records("webhook") == 1
    assert webhook(replica, EN_QUESTION, key="msg-2").json()["case_id"] != first["case_id"]
    assert webhook(replica, EN_QUESTION).status_code == 200  # no key: every delivery is a new message
    assert replica.records("webhook") == 3


def test_generic_webhook_limits_each_sender(start: Start) -> None:
    replica = start(webhook_limit=2)
    assert webhook(replica, ZH_QUESTION).status_code == 200
    assert webhook(replica, ZH_QUESTION, key="m-2").status_code == 200
    limited = webhook(replica, ZH_QUESTION, key="m-3")
    assert limited.status_code == 429
    assert limited.json()["error"]["message"] == word("callback.slow_down", "zh")
    assert int(limited.headers["retry-after"]) >= 1
    english = webhook(replica, EN_QUESTION)
    assert english.status_code == 429 and english.json()["error"]["message"] == word("callback.slow_down", "en")
    assert replica.records("webhook") == 2
    replica.clock.now += 61
    answered = webhook(replica, ZH_QUESTION, key="m-3")  # the refused message was not taken: now it is answered
    assert answered.status_code == 200 and "idempotent-replayed" not in answered.headers
    assert replica.records("webhook") == 3


def test_a_delivery_while_the_first_is_being_answered_is_not_answered_again(start: Start) -> None:
    replica = start()
    memory = ReplayTable(replica.audit.engine, keep_seconds(300), replica.clock)
    # Another replica has taken these messages and is still answering them (claimed, no reply kept yet).
    assert memory.first_time(message_key(SETTINGS["wecom_corp_id"], {"AgentID": "1000002", "MsgId": "777"}, ""))
    query, body = callback(text_message(ZH_QUESTION, msg_id=777), timestamp=stamp(replica.clock))
    assert content_of(replica.wecom(query, body)) is None  # WeCom's empty success
    assert memory.first_time("webhook:addr:127.0.0.1:busy-1")
    busy = webhook(replica, ZH_QUESTION, key="busy-1")
    assert busy.status_code == 409 and busy.json()["error"]["code"] == "duplicate_delivery"
    assert replica.records("wecom") == replica.records("webhook") == 0
