"""The Feishu (飞书) bot on a real uvicorn server, against a fake Feishu open platform API on loopback.

The fake checks what the published documents require of each call (the tenant_access_token request body, the
`Authorization: Bearer` token on the bot-info and reply calls, the reply body's `msg_type`, its `content` as a
JSON string and a `uuid` of at most 50 characters) and records the replies. Events are built here the way the
documents describe: schema 2.0, AES-256-CBC with SHA-256 of the Encrypt Key and a random IV in front, and the
signature SHA-256(timestamp + nonce + Encrypt Key + body).
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import os
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import Any

import anyio.to_thread
import httpx
import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from assistant.answer.compose import split_first_part
from assistant.api import create_api
from assistant.api.feishu import FeishuCrypto, as_plain, parse_message
from assistant.api.replies import ReplyJob, ReplyWorker
from assistant.api.wecom import CallbackRejected
from assistant.pipeline import Assistant
from assistant.settings import Settings

from .conftest import FakeAudit, serve, wait_ready

pytestmark = pytest.mark.slow

APP_ID = "cli_a1b2c3d4e5f6a7b8"
APP_SECRET = "fake-app-secret-for-tests"
ENCRYPT_KEY = "an encrypt key chosen for these tests"
VERIFICATION_TOKEN = "verification-token-for-tests"
BOT_OPEN_ID = "ou_bot0000000000000000000000000001"
MEMBER = "ou_member000000000000000000000000a"
OTHER = "ou_member000000000000000000000000b"
GROUP = "oc_group00000000000000000000000001"
IDS = itertools.count(1)

FIRST = "我们是北京自贸区的一家连锁药房，打算把会员的购药记录发给香港的合作方做分析，需要走什么手续？"
FOLLOW_UP = "50,000人及以上"  # the first answer's last option, typed


def spec_encrypt(plain: str, key: str = ENCRYPT_KEY) -> str:
    """Encrypt as the documents say: AES-256-CBC, key SHA-256(Encrypt Key), random IV in front, base64."""
    aes_key = hashlib.sha256(key.encode()).digest()
    iv = os.urandom(16)
    data = plain.encode()
    pad = 16 - len(data) % 16
    encryptor = Cipher(algorithms.AES(aes_key), modes.CBC(iv)).encryptor()
    return base64.b64encode(iv + encryptor.update(data + bytes([pad]) * pad) + encryptor.finalize()).decode()


def spec_sign(timestamp: str, nonce: str, body: bytes, key: str = ENCRYPT_KEY) -> str:
    """X-Lark-Signature: SHA-256 (hex) of timestamp + nonce + Encrypt Key + raw body."""
    return hashlib.sha256((timestamp + nonce + key).encode() + body).hexdigest()


def message_event(
    text: str, *, chat_type: str = "group", mention_bot: bool = True, sender: str = MEMBER, chat: str = GROUP
) -> dict[str, Any]:
    """An im.message.receive_v1 event (schema 2.0) with new event and message ids."""
    n = next(IDS)
    mentions = []
    if mention_bot:
        text = "@_user_1 " + text
        mentions.append({"key": "@_user_1", "id": {"open_id": BOT_OPEN_ID}, "name": "出境助手", "tenant_key": "t1"})
    return {
        "schema": "2.0",
        "header": {
            "event_id": f"evt{n:029d}",
            "token": VERIFICATION_TOKEN,
            "create_time": str(int(time.time() * 1000)),
            "event_type": "im.message.receive_v1",
            "tenant_key": "t1",
            "app_id": APP_ID,
        },
        "event": {
            "sender": {"sender_id": {"open_id": sender}, "sender_type": "user", "tenant_key": "t1"},
            "message": {
                "message_id": f"om_{n:030d}",
                "create_time": str(int(time.time() * 1000)),
                "chat_id": chat,
                "chat_type": chat_type,
                "message_type": "text",
                "content": json.dumps({"text": text}, ensure_ascii=False),
                "mentions": mentions,
            },
        },
    }


def card_event(reply: str, card_message: str, asker: str = MEMBER, operator: str = MEMBER) -> dict[str, Any]:
    """A card.action.trigger callback (schema 2.0) for a click on a button carrying `reply`."""
    return {
        "schema": "2.0",
        "header": {
            "event_id": f"card{next(IDS):028d}",
            "token": VERIFICATION_TOKEN,
            "create_time": str(int(time.time() * 1000)),
            "event_type": "card.action.trigger",
            "tenant_key": "t1",
            "app_id": APP_ID,
        },
        "event": {
            "operator": {"open_id": operator, "tenant_key": "t1"},
            "token": "c-card-update-token",
            "action": {"value": {"reply": reply, "asker": asker}, "tag": "button"},
            "host": "im_message",
            "context": {"open_message_id": card_message, "open_chat_id": GROUP},
        },
    }


def signed(
    payload: dict[str, Any], *, key: str = ENCRYPT_KEY, timestamp: str | None = None
) -> tuple[bytes, dict[str, str]]:
    """The encrypted body and signature headers Feishu would POST for a payload."""
    body = json.dumps({"encrypt": spec_encrypt(json.dumps(payload, ensure_ascii=False), key)}).encode()
    stamp = timestamp or str(int(time.time()))
    nonce = f"nonce{next(IDS)}"
    headers = {
        "Content-Type": "application/json",
        "X-Lark-Request-Timestamp": stamp,
        "X-Lark-Request-Nonce": nonce,
        "X-Lark-Signature": spec_sign(stamp, nonce, body, key),
    }
    return body, headers


@dataclass
class FakeFeishu:
    """The open platform's token, bot-info and reply endpoints; replies are recorded, bad calls refused."""

    token: str = "t-g1044fake0token0for0tests"
    replies: list[dict[str, Any]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    token_calls: int = 0
    fail_replies: int = 0
    arrived: threading.Condition = field(default_factory=threading.Condition)

    def app(self) -> FastAPI:
        app = FastAPI()

        def refuse(problem: str, code: int = 99991400) -> JSONResponse:
            self.problems.append(problem)
            return JSONResponse({"code": code, "msg": problem}, status_code=400)

        def authorised(request: Request) -> bool:
            return request.headers.get("authorization") == f"Bearer {self.token}"

        @app.post("/open-apis/auth/v3/tenant_access_token/internal")
        async def token(request: Request) -> JSONResponse:
            body = await request.json()
            if body != {"app_id": APP_ID, "app_secret": APP_SECRET}:
                return refuse(f"bad token request {body}", 10003)
            self.token_calls += 1
            return JSONResponse({"code": 0, "msg": "ok", "tenant_access_token": self.token, "expire": 7200})

        @app.get("/open-apis/bot/v3/info")
        async def bot(request: Request) -> JSONResponse:
            if not authorised(request):
                return refuse("bot info without the tenant access token", 99991663)
            return JSONResponse({"code": 0, "msg": "ok", "bot": {"app_name": "出境助手", "open_id": BOT_OPEN_ID}})

        @app.post("/open-apis/im/v1/messages/{message_id}/reply")
        async def reply(message_id: str, request: Request) -> JSONResponse:
            if not authorised(request):
                return refuse("reply without the tenant access token", 99991663)
            body = await request.json()
            kind, content, uuid = body.get("msg_type"), body.get("content"), body.get("uuid", "")
            if kind not in {"text", "interactive"} or not isinstance(content, str) or len(uuid) > 50:
                return refuse(f"bad reply body {body}")
            parsed = json.loads(content)
            if kind == "interactive" and not ({"header", "elements"} <= set(parsed)):
                return refuse("a card without header or elements")
            if self.fail_replies:
                self.fail_replies -= 1
                return JSONResponse({"code": 230020, "msg": "rate limited"}, status_code=429)
            with self.arrived:
                self.replies.append({"to": message_id, "msg_type": kind, "content": parsed, "uuid": uuid})
                self.arrived.notify_all()
            return JSONResponse({"code": 0, "msg": "success", "data": {"message_id": f"om_reply{len(self.replies)}"}})

        return app

    def wait_for(self, count: int, timeout: float = 120.0) -> list[dict[str, Any]]:
        """The first `count` replies, waiting for them to arrive."""
        with self.arrived:
            if not self.arrived.wait_for(lambda: len(self.replies) >= count, timeout):
                raise AssertionError(
                    f"{len(self.replies)} replies after {timeout} s, expected {count}: {self.problems}"
                )
            return list(self.replies[:count])


@dataclass
class Order:
    """What happened, in order: the test's receipt of each ack, the worker's stages; computing waits for the ack."""

    events: list[str] = field(default_factory=list)
    acked: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def note(self, event: str) -> None:
        with self.lock:
            self.events.append(event)

    async def hook(self, stage: str, job: ReplyJob) -> None:
        if stage == "computing":
            # A server that computed before acknowledging would hold the test's request here: the wait times out
            # and "computing" is noted before "ack received", which the tests refuse.
            await anyio.to_thread.run_sync(self.acked.wait, 30)
        self.note(stage)


@pytest.fixture
def fake() -> Iterator[tuple[FakeFeishu, str]]:
    platform = FakeFeishu()
    with serve(platform.app()) as base:
        yield platform, base


@pytest.fixture
def bot(
    fake: tuple[FakeFeishu, str], assistant: Assistant, base_settings: Settings, tmp_path: Any
) -> Iterator[tuple[str, FakeFeishu, Order, FakeAudit]]:
    """The app with the Feishu bot configured against the fake; yields its URL, the fake, the order log, the audit."""
    platform, fake_url = fake
    order = Order()
    settings = base_settings.model_copy(
        update={
            "data_dir": tmp_path,  # a database of its own: conversations and replays start empty
            "feishu_app_id": APP_ID,
            "feishu_app_secret": APP_SECRET,
            "feishu_encrypt_key": ENCRYPT_KEY,
            "feishu_verification_token": VERIFICATION_TOKEN,
            "feishu_base_url": fake_url,
            "chat_tool_case_url": "https://assistant.example.com/?case={case_id}",
        }
    )
    settings = Settings.model_validate(settings.model_dump())  # the secrets as SecretStr, as from the environment
    audit = FakeAudit()
    with ExitStack() as stack:
        base = stack.enter_context(serve(create_api(assistant, audit, settings, replies=ReplyWorker(hook=order.hook))))
        wait_ready(base)
        yield base, platform, order, audit


def post(base: str, payload: dict[str, Any], order: Order | None = None, **options: Any) -> httpx.Response:
    body, headers = signed(payload, **options)
    response = httpx.post(f"{base}/webhook/feishu", content=body, headers=headers, timeout=60)
    if order is not None:
        order.note("ack received")
        order.acked.set()
    return response


def card_text(card: dict[str, Any]) -> str:
    return str(card["elements"][0]["text"]["content"])


def buttons(card: dict[str, Any]) -> list[dict[str, Any]]:
    return [b for element in card["elements"] if element["tag"] == "action" for b in element["actions"]]


def test_a_mentioned_group_message_is_acked_before_it_is_answered_with_a_card(
    bot: tuple[str, FakeFeishu, Order, FakeAudit], assistant: Assistant
) -> None:
    base, platform, order, audit = bot
    event = message_event(FIRST)
    response = post(base, event, order)
    assert response.status_code == 200 and response.json() == {}
    (reply,) = platform.wait_for(1)
    events = order.events  # by order, not by a clock: the answer is computed after the ack reached the sender
    assert events.index("acked") < events.index("computing") < events.index("computed")
    assert events.index("ack received") < events.index("computing")
    assert reply["to"] == event["event"]["message"]["message_id"] and reply["msg_type"] == "interactive"
    card = reply["content"]
    expected = assistant.ask(FIRST, [])
    assert card_text(card) == as_plain(split_first_part(expected.answer)[0])
    assert card["header"]["template"] == "blue" and "需要更多信息" in card["header"]["title"]["content"]
    labels = [option.label for option in expected.determination.question.options]  # type: ignore[union-attr]
    options = [b for b in buttons(card) if "value" in b]
    assert [b["value"]["reply"] for b in options] == labels and all(b["value"]["asker"] == MEMBER for b in options)
    (link,) = [b for b in buttons(card) if "url" in b]
    assert link["url"] == "https://assistant.example.com/?case=case-1"
    (record,) = audit.records
    assert record.channel == "feishu" and record.key_id is not None
    assert record.key_id.startswith("feishu chat oc_g") and GROUP not in record.key_id and MEMBER not in record.key_id
    assert platform.token_calls == 1 and platform.problems == []


def test_a_replay_is_answered_once(bot: tuple[str, FakeFeishu, Order, FakeAudit]) -> None:
    base, platform, order, audit = bot
    event = message_event(FIRST)
    assert post(base, event, order).status_code == 200
    platform.wait_for(1)
    again = post(base, event)  # the same event, signed anew (Feishu's redelivery, or a captured one resent)
    assert again.status_code == 200
    same_message = message_event(FIRST)
    same_message["event"]["message"]["message_id"] = event["event"]["message"]["message_id"]
    assert post(base, same_message).status_code == 200  # a new event id for the same message
    time.sleep(1.0)  # give a wrong second answer the time to arrive
    assert len(platform.replies) == 1 and len(audit.records) == 1


def test_a_follow_up_and_a_button_click_continue_the_conversation(
    bot: tuple[str, FakeFeishu, Order, FakeAudit], assistant: Assistant
) -> None:
    base, platform, order, _ = bot
    post(base, message_event(FIRST), order)
    first = platform.wait_for(1)[0]
    post(base, message_event(FOLLOW_UP))
    second = platform.wait_for(2)[1]["content"]
    with_history = as_plain(split_first_part(assistant.ask(FOLLOW_UP, [FIRST]).answer)[0])
    alone = as_plain(split_first_part(assistant.ask(FOLLOW_UP, []).answer)[0])
    assert card_text(second) == with_history and with_history != alone
    assert second["header"]["template"] == "red"  # the earlier turn decided it: a security assessment

    button = [b for b in buttons(first["content"]) if "value" in b][-1]
    click = post(base, card_event(button["value"]["reply"], first["to"], operator=OTHER))
    assert click.status_code == 200 and click.json()["toast"]["type"] == "info"
    third = platform.wait_for(3)[2]
    assert third["to"] == first["to"]  # the answer replies to the card that was clicked
    expected = assistant.ask(button["value"]["reply"], [FIRST, FOLLOW_UP])  # the asker's conversation
    assert card_text(third["content"]) == as_plain(split_first_part(expected.answer)[0])

    post(base, message_event("重新开始"))
    assert platform.wait_for(4)[3]["content"] == {"text": "已开始新的对话，之前的消息不再计入。"}
    post(base, message_event(FOLLOW_UP))
    assert card_text(platform.wait_for(5)[4]["content"]) == alone  # the conversation started over


def test_other_people_in_the_group_have_their_own_conversation(
    bot: tuple[str, FakeFeishu, Order, FakeAudit], assistant: Assistant
) -> None:
    base, platform, _, _ = bot
    post(base, message_event(FIRST))
    platform.wait_for(1)
    post(base, message_event(FOLLOW_UP, sender=OTHER))
    alone = as_plain(split_first_part(assistant.ask(FOLLOW_UP, []).answer)[0])
    assert card_text(platform.wait_for(2)[1]["content"]) == alone


@pytest.mark.parametrize("tamper", ["signature", "key", "old", "plain"])
def test_bad_signatures_and_stale_or_plain_events_are_refused(
    bot: tuple[str, FakeFeishu, Order, FakeAudit], tamper: str
) -> None:
    base, platform, _, audit = bot
    event = message_event(FIRST)
    if tamper == "plain":  # an Encrypt Key is set: an unencrypted event is not Feishu's
        response = httpx.post(f"{base}/webhook/feishu", json=event, timeout=30)
    else:
        body, headers = signed(event, key="someone else's key" if tamper == "key" else ENCRYPT_KEY)
        if tamper == "signature":
            headers["X-Lark-Signature"] = "0" * 64
        if tamper == "old":
            body, headers = signed(event, timestamp=str(int(time.time()) - 3600))
        response = httpx.post(f"{base}/webhook/feishu", content=body, headers=headers, timeout=30)
    assert response.status_code == 403
    assert "callback rejected" in response.json()["error"]["message"]
    time.sleep(0.3)
    assert platform.replies == [] and audit.records == []


def test_group_messages_without_the_bot_mentioned_and_bots_are_ignored(
    bot: tuple[str, FakeFeishu, Order, FakeAudit],
) -> None:
    base, platform, _, audit = bot
    assert post(base, message_event(FIRST, mention_bot=False)).status_code == 200
    someone_else = message_event(FIRST, mention_bot=False)
    someone_else["event"]["message"]["mentions"] = [{"key": "@_user_1", "id": {"open_id": OTHER}, "name": "王五"}]
    assert post(base, someone_else).status_code == 200
    from_a_bot = message_event(FIRST)
    from_a_bot["event"]["sender"]["sender_type"] = "app"
    assert post(base, from_a_bot).status_code == 200
    post(base, message_event(FIRST, chat_type="p2p", mention_bot=False, chat="oc_p2p0001"))  # one-to-one: answered
    (reply,) = platform.wait_for(1)
    time.sleep(0.5)
    assert len(platform.replies) == 1 and len(audit.records) == 1 and reply["msg_type"] == "interactive"


def test_url_verification_echoes_the_challenge_only_with_the_token(
    bot: tuple[str, FakeFeishu, Order, FakeAudit],
) -> None:
    base, *_ = bot
    challenge = {"challenge": "ajls384kdjx98XX", "token": VERIFICATION_TOKEN, "type": "url_verification"}
    body = json.dumps({"encrypt": spec_encrypt(json.dumps(challenge))}).encode()
    response = httpx.post(f"{base}/webhook/feishu", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 200 and response.json() == {"challenge": "ajls384kdjx98XX"}
    forged = {**challenge, "token": "guessed"}
    body = json.dumps({"encrypt": spec_encrypt(json.dumps(forged))}).encode()
    assert httpx.post(f"{base}/webhook/feishu", content=body).status_code == 403


def test_a_failed_send_is_retried_with_a_new_token(bot: tuple[str, FakeFeishu, Order, FakeAudit]) -> None:
    base, platform, _, _ = bot
    platform.fail_replies = 1
    post(base, message_event(FIRST, chat_type="p2p", mention_bot=False, chat="oc_p2p0002"))
    (reply,) = platform.wait_for(1)
    assert reply["msg_type"] == "interactive" and platform.token_calls == 2  # the token was fetched again


@pytest.mark.parametrize("body", [b"", b"\x00\xff binary", b"[1, 2]", b'{"encrypt": "not base64!"}', b"{" * 5000])
def test_malformed_bodies_get_a_clear_refusal(bot: tuple[str, FakeFeishu, Order, FakeAudit], body: bytes) -> None:
    base, *_ = bot
    response = httpx.post(f"{base}/webhook/feishu", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code in {400, 403} and "callback rejected" in response.json()["error"]["message"]


def test_the_published_decryption_example() -> None:
    # The decryption example of Feishu's event documents: Encrypt Key "test key" and its ciphertext of "hello world".
    crypto = FeishuCrypto("test key", None)
    assert crypto.decrypt("P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=") == "hello world"
    assert crypto.decrypt(spec_encrypt("往返 round trip", "test key")) == "往返 round trip"
    with pytest.raises(CallbackRejected):
        FeishuCrypto("another key", None).decrypt("P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=")


def test_mentions_are_stripped_from_the_question() -> None:
    event = message_event("  我们的 问题 ")
    message = parse_message(event)
    assert message.question() == "我们的 问题" and message.mentions_bot(BOT_OPEN_ID)
    assert not message.mentions_bot("ou_someone_else")


def test_rich_text_messages_are_read_as_text() -> None:
    event = message_event("ignored", chat_type="p2p", mention_bot=False)
    post_content = {
        "title": "出境问题",
        "content": [
            [{"tag": "at", "user_id": "@_user_1", "user_name": "出境助手"}, {"tag": "text", "text": " 我们想把"}],
            [{"tag": "a", "text": "客户名单", "href": "https://example.com"}, {"tag": "text", "text": "传到新加坡"}],
            [{"tag": "img", "image_key": "img_v2_x"}],
        ],
    }
    event["event"]["message"].update(message_type="post", content=json.dumps(post_content, ensure_ascii=False))
    message = parse_message(event)
    assert message.message_type == "text" and message.question() == "出境问题 我们想把 客户名单传到新加坡"
    event["event"]["message"]["content"] = json.dumps({"zh_cn": post_content}, ensure_ascii=False)
    assert parse_message(event).question() == "出境问题 我们想把 客户名单传到新加坡"


def test_unconfigured_bot_answers_404(shared_server: str) -> None:
    response = httpx.post(f"{shared_server}/webhook/feishu", json={})
    assert response.status_code == 404 and "ASSISTANT_FEISHU_APP_ID" in response.json()["error"]["message"]
