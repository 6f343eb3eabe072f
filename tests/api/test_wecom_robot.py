"""The WeCom smart robot (企业微信智能机器人): its JSON callbacks and replies, on a real server on loopback.

Callbacks are encrypted and signed with the published scheme (computed here independently of the adapter,
with the empty ReceiveId of an enterprise's own robot); answers arrive at a local fake of WeCom's
`response_url`, which checks each URL is used once and the message shape.
"""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from assistant.answer.labels import outcome_label
from assistant.api.callbacks import masked_id
from assistant.api.wecom import CallbackRejected, WeComCipher
from assistant.api.wecom_robot import answer_card, option_key, option_of, parse, passive, stream
from assistant.casefile.audit import AuditLog
from assistant.pipeline import Assistant
from assistant.settings import Settings

from .conftest import serve
from .fake_wecom_robot import FakeWeComRobot
from .robots import Gated, records, robot_server
from .test_wecom import AES_KEY, TOKEN, spec_decrypt, spec_encrypt, spec_sign

CHAT = "wrkSFfCgAAtestchat"
MESSAGE_IDS = itertools.count(1)
NONCES = itertools.count(1000)

# Our own sentences: a question that leaves the deciding fact open, and a follow-up that gives it.
QUESTION = "我们是北京自贸区的一家物流公司，打算把客户的姓名和手机号发给香港的合作伙伴。"
FOLLOW_UP = "客户大概有三千人。"


def inner(
    text: str | None,
    response_url: str,
    *,
    group: bool = True,
    mention: bool = True,
    sender: str = "lisi",
    msg_id: str | None = None,
    button: str | None = None,
) -> dict[str, Any]:
    """A decrypted robot callback in WeCom's published format: a text message, or a card button's event."""
    data: dict[str, Any] = {
        "msgid": msg_id or f"robotmsg{next(MESSAGE_IDS):05d}",
        "aibotid": "aibtestbot",
        "chattype": "group" if group else "single",
        "from": {"userid": sender},
        "response_url": response_url,
    }
    if group:
        data["chatid"] = CHAT
    if button is not None:
        data["msgtype"] = "event"
        data["event"] = {
            "eventtype": "template_card_event",
            "template_card_event": {"card_type": "button_interaction", "event_key": button, "task_id": "t"},
        }
    else:
        data["msgtype"] = "text"
        data["text"] = {"content": ("@合规助手 " if mention else "") + (text or "")}
    return data


def callback(message: dict[str, Any], timestamp: str | None = None) -> tuple[dict[str, str], bytes]:
    """The query and JSON body WeCom would POST for a robot message."""
    encrypted = spec_encrypt(json.dumps(message, ensure_ascii=False), receive_id="")
    query = {"timestamp": timestamp or str(int(time.time())), "nonce": str(next(NONCES))}
    query["msg_signature"] = spec_sign(query["timestamp"], query["nonce"], encrypted)
    return query, json.dumps({"encrypt": encrypted}).encode()


def opened(reply: httpx.Response) -> dict[str, Any] | None:
    """The message inside a passive reply (its signature checked), or None for WeCom's empty success."""
    assert reply.status_code == 200, reply.text
    if not reply.content:
        return None
    outer = reply.json()
    assert outer["msgsignature"] == spec_sign(str(outer["timestamp"]), outer["nonce"], outer["encrypt"])
    plain, receive_id = spec_decrypt(outer["encrypt"])
    assert receive_id == ""
    message: dict[str, Any] = json.loads(plain)
    return message


# --- the protocol, without a server ---


def test_messages_parse_with_the_mention_removed_and_button_keys_as_option_numbers() -> None:
    message = parse(json.dumps(inner("你好 @别人", "https://x/y")))
    assert message.group and message.mentioned and message.addressed
    assert message.text == "你好 @别人" and message.chat_id == CHAT and message.sender == "lisi"
    assert not parse(json.dumps(inner("你好", "u", mention=False))).addressed
    assert parse(json.dumps(inner("请问 @合规助手 要申报吗", "u", mention=False))).addressed  # mentioned mid-text
    assert parse(json.dumps(inner("你好", "u", group=False, mention=False))).addressed
    click = parse(json.dumps(inner(None, "u", button=option_key(2))))
    assert click.addressed and click.button is not None and option_of(click.button) == 2
    assert option_of("option:99") is None and option_of("someone-else") is None
    for bad in ("not json", "[]", json.dumps({"msgtype": "text"})):
        with pytest.raises(CallbackRejected):
            parse(bad)


def test_passive_replies_are_signed_encrypted_json_and_cards_have_buttons() -> None:
    cipher = WeComCipher.from_settings(TOKEN, AES_KEY, "")
    envelope = json.loads(passive(cipher, stream("s1", "稍候"), "1700000000"))
    assert envelope["msgsignature"] == spec_sign("1700000000", envelope["nonce"], envelope["encrypt"])
    assert json.loads(spec_decrypt(envelope["encrypt"])[0]) == stream("s1", "稍候")
    card = answer_card("需要更多信息", "案件 c1", "正文", [f"选项{n}" for n in range(9)], "task")["template_card"]
    assert card["card_type"] == "button_interaction" and len(card["button_list"]) == 6
    assert card["button_list"][0] == {"text": "1. 选项0", "style": 1, "key": option_key(1)}
    assert FakeWeComRobot.check({"msgtype": "template_card", "template_card": card}) is None


# --- real callbacks on a real server ---


@dataclass
class Robot:
    """A server with the smart robot configured against a fake WeCom."""

    base: str
    fake: FakeWeComRobot
    gated: Gated
    audit: AuditLog

    def post(self, message: dict[str, Any], timestamp: str | None = None) -> httpx.Response:
        query, body = callback(message, timestamp)
        return httpx.post(f"{self.base}/webhook/wecom-robot", params=query, content=body, timeout=60)

    def ask(self, text: str | None, **options: Any) -> httpx.Response:
        return self.post(inner(text, self.fake.response_url(), **options))


@pytest.fixture
def robot(assistant: Assistant, base_settings: Settings, tmp_path: Path) -> Iterator[Robot]:
    fake = FakeWeComRobot()
    with serve(fake.app()) as platform:
        fake.base = platform
        settings = {
            "wecom_robot_token": SecretStr(TOKEN),
            "wecom_robot_encoding_aes_key": SecretStr(AES_KEY),
            "wecom_robot_base_url": platform,
        }
        with robot_server(assistant, base_settings, tmp_path, **settings) as (base, gated, audit):
            yield Robot(base, fake, gated, audit)


@pytest.mark.slow
def test_url_verification_echoes_the_decrypted_echostr(robot: Robot) -> None:
    echostr = spec_encrypt("8273645501928374", receive_id="")
    query = {"timestamp": str(int(time.time())), "nonce": "77", "echostr": echostr}
    query["msg_signature"] = spec_sign(query["timestamp"], query["nonce"], echostr)
    reply = httpx.get(f"{robot.base}/webhook/wecom-robot", params=query)
    assert reply.status_code == 200 and reply.text == "8273645501928374"
    forged = httpx.get(f"{robot.base}/webhook/wecom-robot", params={**query, "msg_signature": "0" * 40})
    assert forged.status_code == 403


@pytest.mark.slow
def test_a_group_mention_is_acknowledged_before_the_answer_then_gets_a_card(robot: Robot) -> None:
    robot.gated.close()
    ack = opened(robot.ask(QUESTION))
    assert ack is not None and ack["msgtype"] == "stream" and ack["stream"]["finish"] is True
    assert "稍后" in ack["stream"]["content"]
    assert robot.gated.events == [] and robot.fake.posted == []  # acknowledged, nothing computed or sent
    robot.gated.note("acknowledged")
    robot.gated.release()
    (posted,) = robot.fake.wait(1)
    assert robot.gated.events == ["acknowledged", "computed"]
    card = posted.message["template_card"]
    assert card["main_title"]["title"] == outcome_label("needs_more_information", "zh")
    assert len(card["button_list"]) >= 2 and "案件编号" in card["sub_title_text"]
    assert robot.fake.problems == []
    (case,) = robot.audit.recent(limit=5)
    assert case.channel == "wecom-robot" and case.key_id is not None
    assert masked_id("lisi") in case.key_id and "lisi " not in case.key_id


@pytest.mark.slow
def test_a_replay_is_answered_once_with_the_same_acknowledgement(robot: Robot) -> None:
    message = inner(QUESTION, robot.fake.response_url(), msg_id="robot-replayed")
    acks = [opened(robot.post(message)) for _ in range(4)]  # WeCom's retries: new nonces, same msgid
    assert acks[0] is not None and all(ack == acks[0] for ack in acks)
    robot.fake.wait(1)
    assert len(robot.fake.posted) == 1 and records(robot.audit, "wecom-robot") == 1


@pytest.mark.slow
def test_a_follow_up_and_a_button_click_use_the_conversation(robot: Robot) -> None:
    robot.ask(QUESTION)
    robot.fake.wait(1)
    robot.ask(FOLLOW_UP)
    follow_up = robot.fake.wait(2)[1].message
    assert follow_up["msgtype"] == "markdown"
    assert outcome_label("exempt", "zh") in follow_up["markdown"]["content"]
    # Another member asks the question; a click on its card's first option answers it as the next turn.
    robot.ask(QUESTION, sender="wangwu")
    robot.fake.wait(3)
    assert opened(robot.ask(None, sender="wangwu", button=option_key(1))) is not None
    clicked = robot.fake.wait(4)[3].message
    alone = robot.gated.ask("1")  # the same "1" without the conversation
    assert clicked != robot.fake.posted[2].message
    assert outcome_label(alone.determination.outcome, "zh") not in json.dumps(clicked, ensure_ascii=False)


@pytest.mark.slow
def test_forged_stale_foreign_and_unmentioned_callbacks_get_no_answer(robot: Robot) -> None:
    query, body = callback(inner(QUESTION, robot.fake.response_url()))
    forged = httpx.post(f"{robot.base}/webhook/wecom-robot", params={**query, "msg_signature": "1" * 40}, content=body)
    assert forged.status_code == 403
    assert (
        robot.post(inner(QUESTION, robot.fake.response_url()), timestamp=str(int(time.time()) - 3600)).status_code
        == 403
    )
    elsewhere = robot.post(inner(QUESTION, "https://attacker.example/collect"))
    assert elsewhere.status_code == 400 and "response_url" in elsewhere.json()["error"]["message"]
    assert opened(robot.ask(QUESTION, mention=False)) is None  # a group message for someone else
    query, _ = callback(inner(QUESTION, "u"))
    assert httpx.post(f"{robot.base}/webhook/wecom-robot", params=query, content=b"\x00\xff").status_code == 400
    robot.ask("重新开始", sender="zhaoliu")  # a marker: its note is a passive reply, nothing is posted
    assert robot.fake.posted == [] and records(robot.audit, "wecom-robot") == 0


@pytest.mark.slow
def test_unconfigured_robot_answers_404(shared_server: str) -> None:
    query, body = callback(inner(QUESTION, "u"))
    reply = httpx.post(f"{shared_server}/webhook/wecom-robot", params=query, content=body)
    assert reply.status_code == 404
    assert "ASSISTANT_WECOM_ROBOT_TOKEN" in reply.json()["error"]["message"]
