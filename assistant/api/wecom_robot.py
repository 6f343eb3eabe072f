"""WeCom smart robot (企业微信智能机器人): its JSON callbacks, passive stream replies and `response_url` answers.

Checked against WeCom's published documents for the smart robot (回调和回复的加解密方案, 接收消息, 被动回复消息,
主动回复消息):

- The crypto is the WeCom callback scheme of `wecom.WeComCipher` (SHA-1 `msg_signature` over the sorted token,
  timestamp, nonce and ciphertext; AES-256-CBC), with an empty ReceiveId for an enterprise's own smart robot.
- URL verification is a GET with `msg_signature`, `timestamp`, `nonce`, `echostr`: the answer is the
  decrypted `echostr`, as plain text.
- A callback is a POST whose body is JSON `{"encrypt": "..."}`; the decrypted message is JSON: `msgid`,
  `aibotid`, `chatid` (groups), `chattype` ("single" or "group"), `from.userid`, `response_url`, `msgtype`
  ("text" with `text.content`, or "event" with `event.eventtype`, e.g. "template_card_event" for a button).
  In a group the robot is called when @-mentioned, and the text carries the mention (`@name`); a group text
  without any `@` is not taken as addressed to the robot, and leading mentions are removed before answering.
- A passive reply is JSON `{"encrypt", "msgsignature", "timestamp", "nonce"}` around a plain message such as
  `{"msgtype": "stream", "stream": {"id", "finish", "content"}}`; an empty body is also accepted.
- `response_url` (valid for an hour, usable once, no encryption) takes a `markdown` or `template_card` message
  by POST: that is how the answer arrives after the acknowledgement, however long it takes.
"""

from __future__ import annotations

import json
import re
import secrets
import time
from dataclasses import dataclass
from typing import Any

from .dingtalk import one_shot
from .platform_client import DeliveryError, PlatformClient
from .wecom import CallbackRejected, WeComCipher

API_URL = "https://qyapi.weixin.qq.com"
"""Where WeCom's `response_url` addresses point; any other address in a callback is refused."""

MARKDOWN_LIMIT = 20_480
"""WeCom's limit on a markdown message's content, in UTF-8 bytes."""

MAX_BUTTONS = 6
"""A `button_interaction` card has at most six buttons."""

BUTTON_LIMIT = 20
"""Characters of an option kept on a button (the whole option stays in the card's text)."""

CARD_TEXT_LIMIT = 1_000
"""Characters of the answer kept in a card's sub-title text."""

_MENTION = re.compile(r"^\s*(?:@\S+\s*)+")
"""The @-mentions a group message starts with (removed before answering)."""
_ANY_MENTION = re.compile(r"(?:^|\s)@\S")
"""An @-mention anywhere in a message."""


@dataclass(frozen=True)
class RobotMessage:
    """One decrypted smart-robot callback, reduced to what answering needs."""

    msg_id: str
    kind: str
    text: str
    group: bool
    chat_id: str
    sender: str
    response_url: str
    mentioned: bool
    button: str | None = None
    """The key of the card button clicked (a `template_card_event`), else None."""

    @property
    def addressed(self) -> bool:
        """Whether the robot should answer: one-to-one always, in a group only an @-mention or a button click."""
        return not self.group or self.mentioned or self.button is not None


def _string(value: object, limit: int = 1024) -> str:
    return value[:limit] if isinstance(value, str) else ""


def _object(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def parse(plain: str) -> RobotMessage:
    """The message inside a decrypted callback.

    Raises:
        CallbackRejected: not a JSON object, or no message id (400).
    """
    try:
        data = json.loads(plain)
    except ValueError:
        raise CallbackRejected("the decrypted message is not JSON", 400) from None
    if not isinstance(data, dict) or not _string(data.get("msgid")):
        raise CallbackRejected("the decrypted message has no msgid", 400)
    kind = _string(data.get("msgtype"))
    group = _string(data.get("chattype")) == "group"
    raw = _string(_object(data.get("text")).get("content"), 100_000) if kind == "text" else ""
    mention = _MENTION.match(raw)
    button = None
    event = _object(data.get("event"))
    if kind == "event" and _string(event.get("eventtype")) == "template_card_event":
        button = _string(_object(event.get("template_card_event")).get("event_key")) or None
    return RobotMessage(
        msg_id=_string(data["msgid"]),
        kind=kind,
        text=raw[mention.end() :].strip() if mention else raw.strip(),
        group=group,
        chat_id=_string(data.get("chatid")),
        sender=_string(_object(data.get("from")).get("userid")),
        response_url=_string(data.get("response_url"), 2048),
        mentioned=_ANY_MENTION.search(raw) is not None,
        button=button,
    )


def envelope(raw: bytes) -> str:
    """The `encrypt` field of a callback body.

    Raises:
        CallbackRejected: not a JSON object with a string `encrypt` (400).
    """
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise CallbackRejected("the body is not JSON", 400) from None
    encrypted = data.get("encrypt") if isinstance(data, dict) else None
    if not isinstance(encrypted, str) or not encrypted:
        raise CallbackRejected("the callback has no encrypt field", 400)
    return encrypted


def passive(cipher: WeComCipher, message: dict[str, Any], timestamp: str | None = None) -> str:
    """A passive reply: the message as JSON, encrypted and signed, in the robot's reply envelope."""
    timestamp = timestamp or str(int(time.time()))
    nonce = secrets.token_hex(8)
    encrypted = cipher.encrypt(json.dumps(message, ensure_ascii=False))
    return json.dumps(
        {
            "encrypt": encrypted,
            "msgsignature": cipher.signature(timestamp, nonce, encrypted),
            "timestamp": int(timestamp),
            "nonce": nonce,
        }
    )


def stream(stream_id: str, content: str, finish: bool = True) -> dict[str, Any]:
    """A stream message (the form a reply to a user's message takes)."""
    return {"msgtype": "stream", "stream": {"id": stream_id, "finish": finish, "content": content}}


def _fit(text: str, limit: int) -> str:
    data = text.encode("utf-8")
    return text if len(data) <= limit else data[:limit].decode("utf-8", errors="ignore").rstrip() + "…"


def markdown(content: str) -> dict[str, Any]:
    """A markdown message for `response_url`."""
    return {"msgtype": "markdown", "markdown": {"content": _fit(content, MARKDOWN_LIMIT)}}


def option_key(n: int) -> str:
    """The key of the n-th option's button (its click comes back as a `template_card_event`)."""
    return f"option:{n}"


def option_of(key: str) -> int | None:
    """The option number a button key names, or None for a key this adapter did not make."""
    prefix, _, number = key.partition(":")
    return int(number) if prefix == "option" and number.isdigit() and 0 < int(number) <= MAX_BUTTONS else None


def answer_card(title: str, desc: str, text: str, options: list[str], task_id: str) -> dict[str, Any]:
    """A `button_interaction` template card: the verdict as the title, the short answer, one button per option."""
    buttons = [
        {"text": f"{n}. {option}"[:BUTTON_LIMIT], "style": 1, "key": option_key(n)}
        for n, option in enumerate(options[:MAX_BUTTONS], 1)
    ]
    return {
        "msgtype": "template_card",
        "template_card": {
            "card_type": "button_interaction",
            "main_title": {"title": title[:26], "desc": desc[:30]},
            "sub_title_text": text[:CARD_TEXT_LIMIT],
            "button_list": buttons,
            "task_id": task_id[:128],
        },
    }


class WeComRobotClient:
    """The robot's one outbound call: POST an answer to the `response_url` a callback gave.

    `base_url` is WeCom's API host in production and a local fake in the tests; a `response_url` elsewhere
    is refused, so a forged or odd callback cannot make the server post to an address of its choosing.
    """

    def __init__(self, base_url: str = API_URL) -> None:
        self.http = PlatformClient("wecom-robot", base_url, transport=one_shot())

    def allowed(self, url: str) -> bool:
        """Whether a `response_url` points at WeCom's API host (the configured base)."""
        return url.startswith(self.http.base_url + "/")

    async def respond(self, url: str, message: dict[str, Any]) -> None:
        """POST a message to a `response_url`.

        Raises:
            DeliveryError: the address is not WeCom's, or WeCom answered an error (HTTP or `errcode`).
        """
        if not self.allowed(url):
            raise DeliveryError("wecom-robot: the response_url does not point at the configured WeCom API host")
        data = await self.http.call("POST", url[len(self.http.base_url) :], json=message)
        code = data.get("errcode", 0)
        if code:
            raise DeliveryError(f"wecom-robot: response_url answered errcode {code}: {str(data.get('errmsg'))[:200]}")
