"""The DingTalk (钉钉) robot: signatures and messages per the published protocol, and real callbacks on loopback.

The server tests drive a real uvicorn server with callbacks signed as DingTalk signs them (computed here
independently of the adapter) and a local fake of DingTalk's OpenAPI that checks the token, the robot code
and the message templates and records what the robot sends.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import httpx
import pytest
from pydantic import SecretStr

from assistant.answer.labels import outcome_label
from assistant.api.callbacks import masked_id
from assistant.api.dingtalk import Incoming, answer_message, parse, send_link, signature, verify
from assistant.api.wecom import CallbackRejected
from assistant.casefile.audit import AuditLog
from assistant.pipeline import Assistant
from assistant.settings import Settings

from .conftest import serve
from .fake_dingtalk import FakeDingTalk
from .robots import Gated, records, robot_server

APP_KEY = "dingtestappkey01"
APP_SECRET = "test-secret-of-the-dingtalk-app-0123456789abcdef"
ROBOT_CODE = "dingtestrobot01"
ROBOT_USER = "$:LWCP_v1:$robotuser"
GROUP = "cidTESTgroup0001=="
MESSAGE_IDS = itertools.count(1)

# Our own sentences: a question that leaves the deciding fact open, and a follow-up that gives it.
QUESTION = "我们是北京自贸区的一家物流公司，打算把客户的姓名和手机号发给香港的合作伙伴。"
FOLLOW_UP = "客户大概有三千人。"


def spec_sign(timestamp: str, secret: str = APP_SECRET) -> str:
    """DingTalk's sign: base64 of HmacSHA256 keyed with the app secret over timestamp + "\\n" + app secret."""
    mac = hmac.new(secret.encode(), (timestamp + "\n" + secret).encode(), hashlib.sha256)
    return base64.b64encode(mac.digest()).decode()


def now_ms() -> str:
    return str(int(time.time() * 1000))


def message(
    text: str,
    *,
    group: bool = True,
    mentioned: bool = True,
    sender: str = "staff-li",
    msg_id: str | None = None,
    conversation: str = GROUP,
) -> dict[str, Any]:
    """A robot callback body in DingTalk's published format."""
    return {
        "conversationId": conversation if group else "cidSINGLE" + sender,
        "atUsers": [{"dingtalkId": ROBOT_USER}] if mentioned else [],
        "chatbotCorpId": "dingcorp",
        "chatbotUserId": ROBOT_USER,
        "msgId": msg_id or f"msg{next(MESSAGE_IDS):06d}",
        "senderNick": "李",
        "isAdmin": False,
        "senderStaffId": sender,
        "sessionWebhookExpiredTime": int(time.time() * 1000) + 5_400_000,
        "createAt": int(time.time() * 1000),
        "senderCorpId": "dingcorp",
        "conversationType": "2" if group else "1",
        "senderId": "$:LWCP_v1:$" + sender,
        "conversationTitle": "数据合规群" if group else "",
        "isInAtList": mentioned,
        "sessionWebhook": "https://oapi.dingtalk.com/robot/sendBySession?session=unused",
        "text": {"content": " " + text},
        "msgtype": "text",
        "robotCode": ROBOT_CODE,
    }


def deliver(
    base: str, body: dict[str, Any] | bytes, timestamp: str | None = None, sign: str | None = None
) -> httpx.Response:
    """POST a callback signed as DingTalk signs it (unless told otherwise)."""
    timestamp = timestamp or now_ms()
    content = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
    headers = {"timestamp": timestamp, "sign": sign or spec_sign(timestamp), "Content-Type": "application/json"}
    return httpx.post(f"{base}/webhook/dingtalk", content=content, headers=headers, timeout=60)


# --- the protocol, without a server ---


def test_the_sign_is_dingtalks_hmac_and_a_wrong_or_stale_one_is_refused() -> None:
    stamp = "1700000000000"
    assert signature(stamp, APP_SECRET) == spec_sign(stamp)
    verify(stamp, spec_sign(stamp), APP_SECRET, now=1_700_000_100.0, window=300)
    with pytest.raises(CallbackRejected, match="sign"):
        verify(stamp, spec_sign(stamp, "another-secret"), APP_SECRET, now=1_700_000_100.0, window=300)
    with pytest.raises(CallbackRejected, match="old"):
        verify(stamp, spec_sign(stamp), APP_SECRET, now=1_700_000_000.0 + 301, window=300)
    with pytest.raises(CallbackRejected, match="old"):  # never wider than DingTalk's own hour
        verify(stamp, spec_sign(stamp), APP_SECRET, now=1_700_000_000.0 + 3601, window=86_400)
    with pytest.raises(CallbackRejected, match="milliseconds") as refused:
        verify("17e11", "x", APP_SECRET, now=0.0, window=300)
    assert refused.value.status == 400


def test_group_messages_are_for_the_robot_only_when_it_is_mentioned() -> None:
    mentioned = parse(json.dumps(message("你好")).encode())
    assert mentioned == Incoming(
        msg_id=mentioned.msg_id,
        kind="text",
        text="你好",
        group=True,
        conversation_id=GROUP,
        sender="staff-li",
        mentioned=True,
    )
    assert mentioned.addressed
    assert not parse(json.dumps(message("你好", mentioned=False)).encode()).addressed
    by_list = message("你好", mentioned=False)
    by_list["atUsers"] = [{"dingtalkId": ROBOT_USER}]  # named in atUsers even without isInAtList
    assert parse(json.dumps(by_list).encode()).addressed
    assert parse(json.dumps(message("你好", group=False, mentioned=False)).encode()).addressed


@pytest.mark.parametrize(
    "body",
    [b"not json", b"[1, 2]", json.dumps({"msgtype": "text"}).encode(), "\u00ff".encode("latin-1")],
    ids=["not-json", "a-list", "no-ids", "binary"],
)
def test_malformed_bodies_are_refused_with_400(body: bytes) -> None:
    with pytest.raises(CallbackRejected) as refused:
        parse(body)
    assert refused.value.status == 400


def test_answers_are_markdown_or_an_action_card_with_one_button_per_option() -> None:
    key, param = answer_message("结论", "**正文**", [])
    assert (key, param) == ("sampleMarkdown", {"title": "结论", "text": "**正文**"})
    key, param = answer_message("结论", "正文", ["没有", "1至9,999人", "10,000人及以上"])
    assert key == "sampleActionCard3"
    assert [param[f"actionTitle{n}"] for n in (1, 2, 3)] == ["1. 没有", "2. 1至9,999人", "3. 10,000人及以上"]
    assert unquote(param["actionURL2"].split("content=", 1)[1]) == "1至9,999人"
    key, param = answer_message("t", "x", ["only"])
    assert key == "sampleActionCard" and param["singleURL"] == send_link("only")
    key, _ = answer_message("t", "x", [f"option {n}" for n in range(8)])
    assert key == "sampleActionCard5"  # DingTalk's templates stop at five buttons; the text lists them all
    _, param = answer_message("t", "很长的答复" * 5000, [])
    assert len(json.dumps(param, ensure_ascii=False).encode()) <= 15_000


# --- real callbacks on a real server ---


@dataclass
class Robot:
    """A server with the DingTalk robot configured against a fake DingTalk."""

    base: str
    fake: FakeDingTalk
    gated: Gated
    audit: AuditLog


@pytest.fixture
def robot(assistant: Assistant, base_settings: Settings, tmp_path: Path) -> Iterator[Robot]:
    fake = FakeDingTalk(APP_KEY, APP_SECRET, ROBOT_CODE)
    with serve(fake.app()) as platform:
        settings = {
            "dingtalk_app_key": APP_KEY,
            "dingtalk_app_secret": SecretStr(APP_SECRET),
            "dingtalk_robot_code": ROBOT_CODE,
            "dingtalk_base_url": platform,
        }
        with robot_server(assistant, base_settings, tmp_path, **settings) as (base, gated, audit):
            yield Robot(base, fake, gated, audit)


@pytest.mark.slow
def test_a_group_mention_is_acknowledged_before_the_answer_then_gets_a_card(robot: Robot) -> None:
    robot.gated.close()
    ack = deliver(robot.base, message(QUESTION))
    assert ack.status_code == 200 and ack.json() == {}
    # Acknowledged while the answer waits at the gate: nothing computed, nothing sent.
    assert robot.gated.events == [] and robot.fake.sent == []
    robot.gated.note("acknowledged")
    robot.gated.release()
    (sent,) = robot.fake.wait(1)
    assert robot.gated.events == ["acknowledged", "computed"]
    assert sent.path == "group" and sent.target == GROUP
    assert sent.msg_key.startswith("sampleActionCard")  # the deciding question's options as buttons
    buttons = [value for name, value in sent.param.items() if name.startswith("actionTitle")]
    assert len(buttons) >= 2 and buttons[0].startswith("1. ")
    assert outcome_label("needs_more_information", "zh") in sent.param["title"]
    assert "案件编号" in sent.param["text"]
    assert robot.fake.token_requests == 1 and robot.fake.problems == []
    (case,) = robot.audit.recent(limit=5)
    assert case.channel == "dingtalk" and case.key_id is not None
    assert masked_id("staff-li") in case.key_id and "staff-li" not in case.key_id  # masked ids only


@pytest.mark.slow
def test_a_replay_is_answered_once(robot: Robot) -> None:
    body = message(QUESTION, msg_id="msg-replayed")
    for _ in range(5):
        assert deliver(robot.base, body).status_code == 200  # new timestamps and signs, same message id
    robot.fake.wait(1)
    # Repeats are refused before any answer is queued, so nothing more can arrive later.
    assert len(robot.fake.sent) == 1
    assert records(robot.audit, "dingtalk") == 1


@pytest.mark.slow
def test_a_follow_up_in_the_same_chat_uses_the_conversation(robot: Robot) -> None:
    exempt = outcome_label("exempt", "zh")
    deliver(robot.base, message(QUESTION))
    robot.fake.wait(1)
    deliver(robot.base, message(FOLLOW_UP))
    follow_up = robot.fake.wait(2)[1]
    assert follow_up.msg_key == "sampleMarkdown" and exempt in follow_up.param["title"]
    # Another member of the group has no conversation yet: the same words decide nothing for them.
    deliver(robot.base, message(FOLLOW_UP, sender="staff-wang"))
    other = robot.fake.wait(3)[2]
    assert exempt not in other.param["title"]
    # "重新开始" ends the first member's conversation.
    deliver(robot.base, message("重新开始"))
    assert "新的对话" in robot.fake.wait(4)[3].param["content"]
    deliver(robot.base, message(FOLLOW_UP))
    assert exempt not in robot.fake.wait(5)[4].param["title"]
    assert robot.fake.token_requests == 1  # the access token is cached across replies


@pytest.mark.slow
def test_one_to_one_messages_are_answered_to_the_sender(robot: Robot) -> None:
    deliver(robot.base, message(FOLLOW_UP, group=False, mentioned=False, sender="staff-zhao"))
    (sent,) = robot.fake.wait(1)
    assert sent.path == "one-to-one" and sent.target == "staff-zhao"


@pytest.mark.slow
def test_bad_signatures_stale_timestamps_and_unmentioned_group_messages_get_no_answer(robot: Robot) -> None:
    stamp = now_ms()
    forged = deliver(robot.base, message(QUESTION), timestamp=stamp, sign=spec_sign(stamp, "guessed-secret"))
    assert forged.status_code == 403 and "sign" in forged.json()["error"]["message"]
    old = str(int(time.time() * 1000) - 7_200_000)
    assert deliver(robot.base, message(QUESTION), timestamp=old).status_code == 403
    assert deliver(robot.base, b"\x00\xff binary").status_code == 400
    assert deliver(robot.base, message(QUESTION, mentioned=False)).status_code == 200  # not for the robot
    deliver(robot.base, message("重新开始", sender="staff-sun"))  # a marker: answered once the rest were not
    (sent,) = robot.fake.wait(1)
    assert "新的对话" in sent.param["content"]
    assert records(robot.audit, "dingtalk") == 0


@pytest.mark.slow
def test_a_sender_over_the_pace_gets_a_note_and_no_answer(
    assistant: Assistant, base_settings: Settings, tmp_path: Path
) -> None:
    fake = FakeDingTalk(APP_KEY, APP_SECRET, ROBOT_CODE)
    with serve(fake.app()) as platform:
        settings = {
            "dingtalk_app_key": APP_KEY,
            "dingtalk_app_secret": SecretStr(APP_SECRET),
            "dingtalk_robot_code": ROBOT_CODE,
            "dingtalk_base_url": platform,
            "wecom_rate_limit_per_minute": 1,
        }
        with robot_server(assistant, base_settings, tmp_path, **settings) as (base, _, audit):
            deliver(base, message(QUESTION, sender="staff-fast"))
            deliver(base, message(FOLLOW_UP, sender="staff-fast"))
            sent = fake.wait(2)
            notes = [s.param["content"] for s in sent if s.msg_key == "sampleText"]
            assert len(notes) == 1 and "一分钟" in notes[0]
            assert records(audit, "dingtalk") == 1


@pytest.mark.slow
def test_unconfigured_robot_answers_404(shared_server: str) -> None:
    reply = deliver(shared_server, message(QUESTION))
    assert reply.status_code == 404
    assert "ASSISTANT_DINGTALK_APP_KEY" in reply.json()["error"]["message"]
