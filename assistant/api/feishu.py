"""Feishu (飞书, Lark) bot: event decryption and signatures, message and card-action parsing, the answer card.

Per the Feishu open platform's published documents (事件订阅: 配置加密策略, 接收事件; 接收消息
im.message.receive_v1; 卡片回传交互 card.action.trigger; 回复消息; 自建应用获取 tenant_access_token):

- With an Encrypt Key, every event and callback body is `{"encrypt": "<base64>"}`: AES-256-CBC with the key
  SHA-256(Encrypt Key), the first 16 bytes of the decoded text are the IV, PKCS#7 padding.
- Signature (events and callbacks except the URL verification): the headers `X-Lark-Request-Timestamp` and
  `X-Lark-Request-Nonce`, then the Encrypt Key, then the raw body, SHA-256, hex: it must equal
  `X-Lark-Signature`. Without an Encrypt Key, the Verification Token in the body (`header.token` in schema
  2.0, `token` in the URL verification) is what shows the request came from Feishu.
- URL verification: `{"challenge", "token", "type": "url_verification"}` (encrypted when a key is set), answered
  with `{"challenge": ...}` within 1 second.
- Messages (schema 2.0): `header.event_id`, `header.event_type` = "im.message.receive_v1", `event.sender.sender_id
  .open_id`, `event.sender.sender_type` ("user"), `event.message.message_id`, `chat_id`, `chat_type` ("p2p" or
  "group"), `message_type` ("text"), `content` (a JSON string, `{"text": "@_user_1 ..."}`) and `mentions`
  (`key` "@_user_1", `id.open_id`, `name`). A group message is answered only when a mention names the bot.
- Card button clicks (`card.action.trigger`, schema 2.0): `event.operator.open_id`, `event.action.value` (what
  the button carries), `event.context.open_message_id` and `open_chat_id`; answered within 3 seconds (a toast).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
import secrets
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from ..answer.compose import split_first_part
from ..answer.labels import outcome_label
from ..answer.reply import Answer
from ..catalogue import word
from .platform_client import DeliveryError, PlatformClient, TokenCache
from .wecom import CallbackRejected

MAX_BODY_BYTES = 1_048_576
"""An event larger than this is refused before it is parsed (a text message event is a few kilobytes)."""

MAX_TEXT_CHARS = 4000
"""The part of a message's text that is answered (longer text is cut)."""

MAX_BUTTONS = 5
"""Options offered as buttons at most (the deciding question offers 2 to 5)."""

BUTTON_CHARS = 40
"""Characters of an option kept on its button; the button's value keeps the whole option."""

CARD_TEXT_CHARS = 3000
"""Characters of the short answer shown in the card."""

TEMPLATES = {
    "exempt": "green",
    "outside_negative_list": "green",
    "standard_contract_or_certification": "orange",
    "security_assessment": "red",
    "competent_authority_approval": "red",
    "needs_more_information": "blue",
}
"""The card header's colour per outcome (the verdict badge); other outcomes are grey."""

_MENTION_KEY = re.compile(r"@_user_\d+")
"""How a mention stands in a text message's content (`@_user_1`), replaced by the mentioned name on clients."""


@dataclass(frozen=True)
class FeishuCrypto:
    """Decrypt and verify the events of one Feishu app (its Encrypt Key and Verification Token)."""

    encrypt_key: str | None
    verification_token: str | None

    @property
    def key(self) -> bytes:
        """The AES-256 key: SHA-256 of the Encrypt Key."""
        return hashlib.sha256((self.encrypt_key or "").encode("utf-8")).digest()

    def signature(self, timestamp: str, nonce: str, body: bytes) -> str:
        """SHA-256 (hex) of timestamp + nonce + Encrypt Key + the raw body."""
        head = (timestamp + nonce + (self.encrypt_key or "")).encode("utf-8")
        return hashlib.sha256(head + body).hexdigest()

    def verify(self, timestamp: str, nonce: str, signature: str, body: bytes) -> None:
        """Raise CallbackRejected (403) unless the signature is Feishu's for this body."""
        expected = self.signature(timestamp, nonce, body).encode()
        if not signature or not hmac.compare_digest(expected, signature.lower().encode("utf-8", errors="replace")):
            raise CallbackRejected("X-Lark-Signature does not match")

    def check_token(self, token: object) -> None:
        """Raise CallbackRejected (403) unless the body carries this app's Verification Token."""
        if not self.verification_token:
            return
        given = token.encode("utf-8", errors="replace") if isinstance(token, str) else b""
        if not hmac.compare_digest(given, self.verification_token.encode("utf-8")):
            raise CallbackRejected("the verification token does not match")

    def encrypt(self, plain: str, iv: bytes | None = None) -> str:
        """The base64 ciphertext Feishu would send for a plaintext (tests and symmetry)."""
        data = plain.encode("utf-8")
        pad = 16 - len(data) % 16
        data += bytes([pad]) * pad
        iv = iv or secrets.token_bytes(16)
        encryptor = Cipher(algorithms.AES(self.key), modes.CBC(iv)).encryptor()
        return base64.b64encode(iv + encryptor.update(data) + encryptor.finalize()).decode("ascii")

    def decrypt(self, encrypted: str) -> str:
        """The plaintext of an `encrypt` value.

        Raises:
            CallbackRejected: no Encrypt Key is configured, or bad base64, length, padding or UTF-8.
        """
        if not self.encrypt_key:
            raise CallbackRejected("the event is encrypted but ASSISTANT_FEISHU_ENCRYPT_KEY is not set", 400)
        try:
            data = base64.b64decode(encrypted, validate=True)
        except (binascii.Error, ValueError):
            raise CallbackRejected("the encrypted text is not base64") from None
        if len(data) < 32 or len(data) % 16:
            raise CallbackRejected("the encrypted text has a wrong length")
        decryptor = Cipher(algorithms.AES(self.key), modes.CBC(data[:16])).decryptor()
        plain = decryptor.update(data[16:]) + decryptor.finalize()
        pad = plain[-1]
        if not 1 <= pad <= 16 or plain[-pad:] != bytes([pad]) * pad:
            raise CallbackRejected("the decrypted text has bad padding")
        try:
            return plain[:-pad].decode("utf-8")
        except UnicodeDecodeError:
            raise CallbackRejected("the decrypted text is not UTF-8") from None


def load_json(raw: bytes | str) -> dict[str, Any]:
    """A JSON object from a body.

    Raises:
        CallbackRejected (400): too large, not JSON, or not an object.
    """
    if len(raw) > MAX_BODY_BYTES:
        raise CallbackRejected("the body is too large", 400)
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise CallbackRejected("the body is not JSON", 400) from None
    if not isinstance(data, dict):
        raise CallbackRejected("the body is not a JSON object", 400)
    return data


def _dig(data: Any, *path: str) -> Any:
    """data[path[0]][path[1]]..., or None where a level is missing or not an object."""
    for name in path:
        if not isinstance(data, dict):
            return None
        data = data.get(name)
    return data


def _text(value: Any, limit: int = 256) -> str:
    """A string field, or "" when missing or not a string; cut to `limit` characters."""
    return value[:limit] if isinstance(value, str) else ""


@dataclass(frozen=True)
class Mention:
    """One @-mention of a message: its key in the content, whom it names, the shown name."""

    key: str
    open_id: str
    name: str


@dataclass(frozen=True)
class FeishuMessage:
    """The fields of an `im.message.receive_v1` event the bot uses."""

    event_id: str
    message_id: str
    chat_id: str
    chat_type: str
    sender_open_id: str
    sender_type: str
    message_type: str
    text: str
    mentions: list[Mention] = field(default_factory=list)

    @property
    def in_group(self) -> bool:
        """Whether the message was said in a group (answered only when the bot is mentioned)."""
        return self.chat_type != "p2p"

    def mentions_bot(self, bot_open_id: str | None) -> bool:
        """Whether a mention names the bot (by its open_id; without a known open_id, no mention counts)."""
        if bot_open_id:
            return any(mention.open_id == bot_open_id for mention in self.mentions)
        return False

    def question(self) -> str:
        """The text with every mention key removed and spaces tidied (the bot's name is no part of a question)."""
        return " ".join(_MENTION_KEY.sub(" ", self.text).split())[:MAX_TEXT_CHARS]


def parse_message(payload: dict[str, Any]) -> FeishuMessage:
    """The message of a schema 2.0 `im.message.receive_v1` event.

    Raises:
        CallbackRejected (400): the event lacks a message id or chat id.
    """
    message = _dig(payload, "event", "message") or {}
    sender = _dig(payload, "event", "sender") or {}
    message_id, chat_id = _text(message.get("message_id")), _text(message.get("chat_id"))
    if not message_id or not chat_id:
        raise CallbackRejected("the message event has no message_id or chat_id", 400)
    kind = _text(message.get("message_type"), 32)
    try:
        content = json.loads(message.get("content") or "{}")
    except (TypeError, ValueError):
        content = {}
    text = ""
    if kind == "text" and isinstance(content, dict):
        text = _text(content.get("text"), MAX_TEXT_CHARS * 2)
    elif kind == "post" and isinstance(content, dict):
        text, kind = post_text(content), "text"  # rich text: its words are a text message
    mentions = [
        Mention(_text(item.get("key"), 32), _text(_dig(item, "id", "open_id")), _text(item.get("name"), 64))
        for item in (message.get("mentions") or [])[:50]
        if isinstance(item, dict)
    ]
    return FeishuMessage(
        event_id=_text(_dig(payload, "header", "event_id")),
        message_id=message_id,
        chat_id=chat_id,
        chat_type=_text(message.get("chat_type"), 16),
        sender_open_id=_text(_dig(sender, "sender_id", "open_id")),
        sender_type=_text(sender.get("sender_type"), 16),
        message_type=kind,
        text=text,
        mentions=mentions,
    )


def post_text(content: dict[str, Any]) -> str:
    """The words of a rich-text (`post`) message: its title and the `text` and `a` elements of each paragraph,
    a paragraph a line; mentions (`at`), images and the rest are left out. The content is either
    `{"title", "content": [[element, ...], ...]}` or the same under a language key (`zh_cn`, `en_us`)."""
    if "content" not in content:
        content = next((value for value in content.values() if isinstance(value, dict)), {})
    lines = [_text(content.get("title"), MAX_TEXT_CHARS)]
    paragraphs = content.get("content")
    for paragraph in paragraphs[:200] if isinstance(paragraphs, list) else []:
        if isinstance(paragraph, list):
            words = [
                _text(item.get("text"), MAX_TEXT_CHARS)
                for item in paragraph[:200]
                if isinstance(item, dict) and item.get("tag") in {"text", "a"}
            ]
            lines.append("".join(words))
    return "\n".join(line for line in lines if line.strip())[: MAX_TEXT_CHARS * 2]


@dataclass(frozen=True)
class CardAction:
    """A click on one of the answer card's buttons (`card.action.trigger`)."""

    event_id: str
    operator_open_id: str
    chat_id: str
    message_id: str
    reply: str
    asker: str


def parse_card_action(payload: dict[str, Any]) -> CardAction:
    """The click of a schema 2.0 `card.action.trigger` callback.

    Raises:
        CallbackRejected (400): the click carries no option of ours, or no operator or message.
    """
    event = _dig(payload, "event") or {}
    value = _dig(event, "action", "value")
    reply = _text(value.get("reply"), MAX_TEXT_CHARS) if isinstance(value, dict) else ""
    operator = _text(_dig(event, "operator", "open_id"))
    message_id = _text(_dig(event, "context", "open_message_id"))
    if not reply or not operator or not message_id:
        raise CallbackRejected("the card action carries no option, operator or message", 400)
    return CardAction(
        event_id=_text(_dig(payload, "header", "event_id")),
        operator_open_id=operator,
        chat_id=_text(_dig(event, "context", "open_chat_id")),
        message_id=message_id,
        reply=reply,
        asker=_text(value.get("asker")) if isinstance(value, dict) else "",
    )


_BOLD = re.compile(r"\*\*(.+?)\*\*", re.DOTALL)
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")


def as_plain(markdown: str) -> str:
    """Our Markdown answer as the text a card's `plain_text` shows: bold markers and the backslashes that
    escape a person's words (`safe.plain`) removed. Nothing in plain_text renders, so the words stay inert."""
    return _ESCAPED.sub(r"\1", _BOLD.sub(r"\1", markdown))


def _plain(text: str) -> dict[str, str]:
    return {"tag": "plain_text", "content": text}


def answer_card(answer: Answer, case_id: str | None, case_url: str | None, asker: str) -> dict[str, Any]:
    """The answer as an interactive card (card JSON 1.0): the verdict badge (header colour and outcome), the
    short answer, the deciding question's options as buttons (each carries its words back as the next turn), and
    a button that opens the full case (when a case link is configured) or the case id.

    Everything shown is plain text: nothing of a question can render as Markdown or a link.
    """
    lang = answer.language
    det = answer.determination
    head, _ = split_first_part(answer.answer)
    elements: list[dict[str, Any]] = [{"tag": "div", "text": _plain(as_plain(head)[:CARD_TEXT_CHARS])}]
    question = det.question if det.outcome == "needs_more_information" else None
    labels = [option.label for option in question.options if option.label][:MAX_BUTTONS] if question else []
    if labels:
        elements.append({"tag": "div", "text": _plain(word("feishu.pick", lang))})
        buttons = [
            {
                "tag": "button",
                "text": _plain(label if len(label) <= BUTTON_CHARS else label[: BUTTON_CHARS - 1] + "…"),
                "type": "primary" if n == 0 else "default",
                "value": {"reply": label, "asker": asker},
            }
            for n, label in enumerate(labels)
        ]
        elements.append({"tag": "action", "actions": buttons})
    if case_id:
        elements.append({"tag": "hr"})
        if case_url:
            link = case_url.replace("{case_id}", case_id)
            elements.append(
                {
                    "tag": "action",
                    "actions": [{"tag": "button", "text": _plain(word("feishu.full_case", lang)), "url": link}],
                }
            )
        elements.append({"tag": "note", "elements": [_plain(word("answer.case_ref", lang, case_id=case_id))]})
    return {
        "config": {"wide_screen_mode": True},
        "header": {
            "template": TEMPLATES.get(det.outcome, "grey"),
            "title": _plain(word("robot.title", lang, outcome=outcome_label(det.outcome, lang))),
        },
        "elements": elements,
    }


def reply_body(card: dict[str, Any] | None = None, text: str | None = None) -> dict[str, Any]:
    """The body of the reply-message API: `msg_type` and `content` (a JSON string), a fresh `uuid` so a retried
    send is not delivered twice."""
    if card is not None:
        kind, content = "interactive", json.dumps(card, ensure_ascii=False)
    else:
        kind, content = "text", json.dumps({"text": text or ""}, ensure_ascii=False)
    return {"msg_type": kind, "content": content, "uuid": secrets.token_hex(16)}


class FeishuClient:
    """The Feishu open platform API the bot calls: the tenant access token (cached), the bot's own open_id
    (to tell a mention of the bot from one of a person) and replies to a message."""

    TOKEN_PATH = "/open-apis/auth/v3/tenant_access_token/internal"
    BOT_PATH = "/open-apis/bot/v3/info"
    REPLY_PATH = "/open-apis/im/v1/messages/{message_id}/reply"

    def __init__(self, api: PlatformClient, app_id: str, app_secret: str) -> None:
        self.api = api
        self.app_id = app_id
        self._secret = app_secret
        self.tokens = TokenCache(self._fetch_token)
        self._bot_open_id: str | None = None

    @staticmethod
    def _checked(data: dict[str, Any], what: str) -> dict[str, Any]:
        """The answer when its `code` is 0, else DeliveryError with Feishu's code and message."""
        if data.get("code") != 0:
            raise DeliveryError(f"feishu {what}: code {data.get('code')}: {str(data.get('msg'))[:200]}")
        return data

    async def _fetch_token(self) -> tuple[str, float]:
        body = {"app_id": self.app_id, "app_secret": self._secret}
        data = self._checked(await self.api.call("POST", self.TOKEN_PATH, json=body), "tenant_access_token")
        token, expire = data.get("tenant_access_token"), data.get("expire")
        if not isinstance(token, str) or not token:
            raise DeliveryError("feishu tenant_access_token: no token in the answer")
        return token, float(expire) if isinstance(expire, int | float) else 600.0

    async def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {await self.tokens.get()}"}

    async def bot_open_id(self) -> str:
        """The bot's open_id (fetched once).

        Raises:
            DeliveryError: the API failed or named no open_id.
        """
        if self._bot_open_id is None:
            data = self._checked(await self.api.call("GET", self.BOT_PATH, headers=await self._headers()), "bot info")
            open_id = _dig(data, "bot", "open_id")
            if not isinstance(open_id, str) or not open_id:
                raise DeliveryError("feishu bot info: no open_id")
            self._bot_open_id = open_id
        return self._bot_open_id

    async def reply(self, message_id: str, body: dict[str, Any]) -> None:
        """Reply to a message (`reply_body`). After a failure the token is dropped, so a retry fetches a new one
        (an expired or revoked token is one cause; a fetch per failure is cheap).

        Raises:
            DeliveryError: the API refused or failed.
        """
        path = self.REPLY_PATH.format(message_id=quote(message_id, safe=""))
        try:
            self._checked(await self.api.call("POST", path, json=body, headers=await self._headers()), "reply")
        except DeliveryError:
            self.tokens.forget()
            raise
