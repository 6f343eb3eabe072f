"""DingTalk (钉钉) enterprise robot: callback signature, message parsing, answer messages and the robot send API.

Checked against DingTalk's published documents (接收消息的消息协议, 机器人发送群聊消息, 批量发送人与机器人会话中
机器人消息, 获取企业内部应用的accessToken, 企业机器人发送消息的消息类型):

- A callback carries the headers `timestamp` (Unix milliseconds) and `sign` = base64(HmacSHA256(key=appSecret,
  message=timestamp + "\\n" + appSecret)); DingTalk calls a request illegal when either fails or the timestamp
  is more than an hour from now (this adapter keeps to the narrower window of `callback_window_seconds`).
- The body is JSON: `msgId`, `msgtype` ("text"), `text.content`, `conversationType` ("1" one-to-one, "2" group),
  `conversationId` (the openConversationId), `senderStaffId`, `isInAtList`, `atUsers`, `chatbotUserId`,
  `robotCode`, `sessionWebhook` and its `sessionWebhookExpiredTime`.
- Replies go through the robot send API (OpenAPI, `api.dingtalk.com`), not the `sessionWebhook`: the session
  webhook expires (about 90 minutes) and is an address taken from the request, while the OpenAPI sends cards
  with the app's own access token (`POST /v1.0/oauth2/accessToken`, valid 7,200 s, cached): a group answer by
  `POST /v1.0/robot/groupMessages/send`, a one-to-one answer by `POST /v1.0/robot/oToMessages/batchSend`, both
  with the header `x-acs-dingtalk-access-token` and a message template (`msgKey`, `msgParam` as a JSON string).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import httpx

from ..errors import ConfigurationError
from .platform_client import DeliveryError, PlatformClient, TokenCache
from .wecom import CallbackRejected

DOCUMENTED_WINDOW_SECONDS = 3600
"""DingTalk calls a callback whose timestamp is more than an hour from now illegal."""

TIMESTAMP_DIGITS = 15
"""Unix milliseconds have 13 digits until the year 2286; longer values are not timestamps."""

MAX_BUTTONS = 5
"""The largest ActionCard template with vertical buttons is `sampleActionCard5`."""

MAX_PARAM_BYTES = 15_000
"""The robot send API refuses a `msgParam` longer than this (UTF-8 bytes)."""

BUTTON_LIMIT = 30
"""Characters of an option kept on a button (the whole option stays in the text)."""

API_URL = "https://api.dingtalk.com"


def signature(timestamp: str, app_secret: str) -> str:
    """The `sign` DingTalk sends with a callback stamped `timestamp` (milliseconds, as sent)."""
    digest = hmac.new(app_secret.encode(), f"{timestamp}\n{app_secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def verify(timestamp: str, sign: str, app_secret: str, now: float, window: float) -> None:
    """Refuse a callback whose timestamp is not Unix milliseconds (400), is more than `window` seconds (at most
    DingTalk's hour) from `now` (403), or whose `sign` is not the app secret's for that timestamp (403)."""
    if not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= TIMESTAMP_DIGITS):
        raise CallbackRejected("timestamp must be Unix time in milliseconds", 400)
    window = min(window, DOCUMENTED_WINDOW_SECONDS)
    drift = int(timestamp) / 1000 - now
    if abs(drift) > window:
        when = "old" if drift < 0 else "ahead"
        raise CallbackRejected(f"timestamp is {abs(int(drift))} s {when}; at most {int(window)} s accepted")
    expected = signature(timestamp, app_secret).encode()
    if not hmac.compare_digest(expected, sign.strip().encode("utf-8", errors="replace")):
        raise CallbackRejected("sign does not match")


@dataclass(frozen=True)
class Incoming:
    """One robot callback, reduced to what answering needs."""

    msg_id: str
    kind: str
    text: str
    group: bool
    conversation_id: str
    sender: str
    mentioned: bool

    @property
    def addressed(self) -> bool:
        """Whether the robot should answer: always one-to-one, in a group only when @-mentioned."""
        return not self.group or self.mentioned


def _string(value: object, limit: int = 512) -> str:
    return value[:limit] if isinstance(value, str) else ""


def parse(raw: bytes) -> Incoming:
    """The message of a callback body.

    Raises:
        CallbackRejected: the body is not a JSON object, or lacks a message id or a sender (400).
    """
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise CallbackRejected("the body is not JSON", 400) from None
    if not isinstance(data, dict):
        raise CallbackRejected("the body is not a JSON object", 400)
    msg_id = _string(data.get("msgId"))
    sender = _string(data.get("senderStaffId")) or _string(data.get("senderId"))
    if not msg_id or not sender:
        raise CallbackRejected("the callback has no msgId or sender", 400)
    text = data.get("text")
    content = _string(text.get("content"), 100_000) if isinstance(text, dict) else ""
    group = str(data.get("conversationType", "1")) == "2"
    robot = _string(data.get("chatbotUserId"))
    at_users = data.get("atUsers")
    named = isinstance(at_users, list) and any(
        isinstance(user, dict) and robot and user.get("dingtalkId") == robot for user in at_users
    )
    return Incoming(
        msg_id=msg_id,
        kind=_string(data.get("msgtype")) or "text",
        text=content.strip(),
        group=group,
        conversation_id=_string(data.get("conversationId")),
        sender=sender,
        mentioned=data.get("isInAtList") is True or bool(named),
    )


def send_link(option: str) -> str:
    """A button target that sends the option as the user's next message (DingTalk's `dtmd://` client link)."""
    return "dtmd://dingtalkclient/sendMessage?content=" + quote(option, safe="")


def _fit_bytes(text: str, limit: int) -> str:
    data = text.encode("utf-8")
    return text if len(data) <= limit else data[:limit].decode("utf-8", errors="ignore").rstrip() + "…"


def answer_message(title: str, text: str, options: list[str]) -> tuple[str, dict[str, str]]:
    """The message template of an answer: Markdown, or an ActionCard with one button per option (at most five,
    as DingTalk's templates allow; the text keeps every option numbered, so a reply of the number works too).

    Returns:
        (msgKey, msgParam) for the robot send API.
    """
    text = _fit_bytes(text, MAX_PARAM_BYTES - 2_000)  # room for the title and the buttons
    title = title[:60] or "-"
    buttons = [option for option in options if option][:MAX_BUTTONS]
    if not buttons:
        return "sampleMarkdown", {"title": title, "text": text}
    if len(buttons) == 1:
        return "sampleActionCard", {
            "title": title,
            "text": text,
            "singleTitle": buttons[0][:BUTTON_LIMIT],
            "singleURL": send_link(buttons[0]),
        }
    param = {"title": title, "text": text}
    for n, option in enumerate(buttons, 1):
        param[f"actionTitle{n}"] = f"{n}. {option}"[:BUTTON_LIMIT]
        param[f"actionURL{n}"] = send_link(option)
    return f"sampleActionCard{len(buttons)}", param


def one_shot() -> httpx.AsyncHTTPTransport:
    """A transport that closes each connection after its request: a robot sends a message now and then, and no
    pooled connection is left open when the server stops (the app's lifespan closes no client)."""
    return httpx.AsyncHTTPTransport(limits=httpx.Limits(max_keepalive_connections=0))


@dataclass
class DingTalkClient:
    """The robot's calls to DingTalk's OpenAPI: the app access token (cached) and the two send APIs.

    `base_url` is DingTalk's API host in production and a local fake in the tests.
    """

    app_key: str
    app_secret: str
    robot_code: str
    base_url: str = API_URL
    http: PlatformClient = field(init=False, repr=False)
    tokens: TokenCache = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if not (self.app_key and self.app_secret and self.robot_code):
            raise ConfigurationError("the DingTalk client needs the app key, the app secret and the robot code")
        self.http = PlatformClient("dingtalk", self.base_url, transport=one_shot())
        self.tokens = TokenCache(self._fetch_token)

    async def _fetch_token(self) -> tuple[str, float]:
        data = await self.http.call(
            "POST", "/v1.0/oauth2/accessToken", json={"appKey": self.app_key, "appSecret": self.app_secret}
        )
        token, expires = data.get("accessToken"), data.get("expireIn", 7200)
        if not isinstance(token, str) or not token:
            raise DeliveryError("dingtalk: no access token in the answer (check the app key and secret)")
        return token, float(expires) if isinstance(expires, int | float) else 7200.0

    async def send(self, message: Incoming, msg_key: str, msg_param: Mapping[str, str]) -> None:
        """Send a template message where `message` came from: its group, or its sender's one-to-one chat.

        Raises:
            DeliveryError: DingTalk refused the token or the message, or could not be reached.
        """
        body: dict[str, Any] = {
            "robotCode": self.robot_code,
            "msgKey": msg_key,
            "msgParam": json.dumps(dict(msg_param), ensure_ascii=False),
        }
        if message.group:
            body["openConversationId"] = message.conversation_id
            path = "/v1.0/robot/groupMessages/send"
        else:
            body["userIds"] = [message.sender]
            path = "/v1.0/robot/oToMessages/batchSend"
        token = await self.tokens.get()
        try:
            await self.http.call("POST", path, json=body, headers={"x-acs-dingtalk-access-token": token})
        except DeliveryError as exc:
            if "HTTP 401" not in str(exc):
                raise
            self.tokens.forget()  # revoked before its time: once more with a fresh token
            token = await self.tokens.get()
            await self.http.call("POST", path, json=body, headers={"x-acs-dingtalk-access-token": token})
