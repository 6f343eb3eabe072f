"""The WeCom (企业微信) callback: URL verification (GET) and messages with encrypted passive replies (POST).

WeCom sends one message per callback and keeps no conversation for us; with the conversation memory, a
member's earlier messages (until idle, or "new"/"重新开始") are the history of the next. An answer not ready
within `wecom_passive_seconds` (WeCom retries after 5 s) is sent later through the app message API when the
app's Secret and AgentId are set. It authenticates by signature, not by API key; the request size limit
still applies. Before anything is decrypted the signed timestamp must be within the window; a message is
answered and recorded once, however often it is delivered (see `callbacks`), and each member has a
per-minute limit.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from typing import Annotated, Any

import anyio
import anyio.to_thread
from fastapi import APIRouter, Query, Request
from fastapi.responses import PlainTextResponse, Response

from ..answer.compose import numbered_options, short_reply
from ..answer.reply import Answer
from ..catalogue import word
from ..settings import Settings
from ..understanding.text import detect_language
from .callbacks import CallbackGuard, audit_id, masked_id, not_configured, rejected, responses
from .conversations import ConversationKey, ConversationStore, is_restart
from .platform_client import DeliveryError, PlatformClient, TokenCache
from .replies import ReplyJob, ReplyWorker
from .service import Service
from .wecom import CallbackRejected, WeComCipher, fit, parse_xml, text_message, verified_echo

log = logging.getLogger(__name__)

PATH = "/webhook/wecom"
NOT_CONFIGURED = (
    "the WeCom adapter is not configured: set ASSISTANT_WECOM_TOKEN, ASSISTANT_WECOM_ENCODING_AES_KEY "
    "and ASSISTANT_WECOM_CORP_ID"
)

Signature = Annotated[str, Query(description="SHA-1 signature over token, timestamp, nonce and the ciphertext.")]
Timestamp = Annotated[
    str, Query(description="The callback's Unix time in seconds; refused outside the window around now.")
]
Nonce = Annotated[str, Query(description="The callback's nonce.")]

RESPONSES = responses(
    "Not WeCom's XML, or the timestamp is not Unix seconds.",
    "Timestamp outside the window, or the signature, decryption or CorpID check failed.",
)


def cipher_from(settings: Settings) -> WeComCipher | None:
    """The cipher of the configured WeCom app, or None when the adapter is not configured."""
    if not (settings.wecom_token and settings.wecom_encoding_aes_key and settings.wecom_corp_id):
        return None
    return WeComCipher.from_settings(settings.wecom_token, settings.wecom_encoding_aes_key, settings.wecom_corp_id)


def text_only() -> str:
    """The note for pictures, voice and files, in both languages (a picture says nothing of its reader's)."""
    return word("callback.text_only", "zh") + "\n" + word("callback.text_only", "en")


def message_key(corp_id: str, message: dict[str, str], plain: str) -> str:
    """The replay key of a decrypted message: its MsgId, or for events (which have none) a digest of it."""
    agent = message.get("AgentID", "")
    ident = message.get("MsgId") or "sha256:" + hashlib.sha256(plain.encode("utf-8")).hexdigest()
    return f"wecom:{corp_id}:{agent}:message:{ident}"


def request_key(corp_id: str, timestamp: str, nonce: str, signature: str) -> str:
    """The replay key of one signed delivery: its timestamp, nonce and signature (which covers the body)."""
    return f"wecom:{corp_id}:request:{timestamp}:{nonce}:{signature.lower()}"


def wecom_router(
    service: Service,
    cipher: WeComCipher | None,
    guard: CallbackGuard,
    conversations: ConversationStore | None = None,
    replies: ReplyWorker | None = None,
    app: WeComAppClient | None = None,
    passive_seconds: float = 4.0,
) -> APIRouter:
    """The callback routes of one WeCom app.

    With `conversations`, a member's messages to the app form a conversation (earlier turns are the history).
    With `replies` and `app` (the app message API), an answer not ready within `passive_seconds` is sent later
    through the API, and the callback gets WeCom's empty success in time.
    """
    router = APIRouter(tags=["chat tools"], responses=RESPONSES)

    def passive(inner: str | None) -> Response:
        """An encrypted passive reply, or WeCom's empty success when there is nothing to say."""
        if inner is None or cipher is None:
            return Response(status_code=200)
        return Response(cipher.reply(inner), media_type="application/xml")

    @router.get(PATH, response_class=PlainTextResponse, summary="WeCom URL verification")
    async def verify(msg_signature: Signature, timestamp: Timestamp, nonce: Nonce, echostr: str) -> Response:
        """Echo the decrypted `echostr`, which proves to WeCom that this server holds the app's keys."""
        if cipher is None:
            return not_configured(NOT_CONFIGURED)
        try:
            return PlainTextResponse(verified_echo(cipher, guard.check_time, msg_signature, timestamp, nonce, echostr))
        except CallbackRejected as exc:
            return rejected(exc, "wecom")

    @router.post(PATH, summary="WeCom message callback", response_class=Response)
    async def receive(msg_signature: Signature, timestamp: Timestamp, nonce: Nonce, request: Request) -> Response:
        """Answer a text message with an encrypted passive reply; other messages and events get an empty 200.

        A delivery of a message already taken gets the first delivery's reply (empty while it is being
        answered); a member over the per-minute limit gets a short note, and nothing is recorded.
        """
        if cipher is None:
            return not_configured(NOT_CONFIGURED)
        try:
            guard.check_time(timestamp)  # first: needs neither the body nor the key
            envelope = parse_xml(await request.body())
            encrypted = envelope.get("Encrypt")
            if not encrypted:
                raise CallbackRejected("the callback has no Encrypt element", 400)
            plain = cipher.open(msg_signature, timestamp, nonce, encrypted)
            message = parse_xml(plain)
        except CallbackRejected as exc:
            return rejected(exc, "wecom")
        corp = message.get("ToUserName") or cipher.receive_id
        key = message_key(cipher.receive_id, message, plain)
        delivery = request_key(cipher.receive_id, timestamp, nonce, msg_signature)
        if not (await guard.first_time(delivery) and await guard.first_time(key)):
            log.info("wecom: a repeated delivery answered from the replay memory")
            return passive(await guard.reply_for(key))
        kind, user = message.get("MsgType", ""), message.get("FromUserName", "")
        if kind == "event" or not user:
            return Response(status_code=200)
        content = message.get("Content", "")
        if guard.wecom_limiter.hit(f"wecom:{cipher.receive_id}:{user}") is not None:
            reply = text_message(user, corp, word("callback.slow_down", detect_language(content) if content else "zh"))
        elif kind != "text":
            reply = text_message(user, corp, text_only())
        else:
            chat = f"{cipher.receive_id}:{message.get('AgentID', '')}"
            turn = ConversationKey("wecom", chat, user)
            if conversations is not None and is_restart(content):
                await anyio.to_thread.run_sync(conversations.reset, turn)
                reply = text_message(user, corp, word("robot.restarted", detect_language(content)))
                await guard.keep_reply(key, reply)
                return passive(reply)
            history = await anyio.to_thread.run_sync(conversations.turns, turn) if conversations is not None else []
            if replies is not None and app is not None and replies.running_now:
                if conversations is not None:  # kept now: a message sent while this one is answered follows it
                    await anyio.to_thread.run_sync(conversations.add, turn, content)
                inner = await answer_in_time(content, history, turn, corp)
                await guard.keep_reply(key, inner or "")
                return passive(inner)
            try:
                answer, case_id = await service.ask(content, history, "wecom", audit_id("wecom", chat, user))
            except Exception:
                await guard.forget(key)  # unanswered: WeCom's retry may be answered once we recover
                await guard.forget(delivery)
                raise
            if conversations is not None:
                await anyio.to_thread.run_sync(conversations.add, turn, content)
            reply = text_message(user, corp, reply_text(answer, case_id))
        await guard.keep_reply(key, reply)
        return passive(reply)

    async def answer_in_time(content: str, history: list[str], turn: ConversationKey, corp: str) -> str | None:
        """The passive reply when the answer is ready within `passive_seconds`; else None (WeCom's empty success)
        and the answer follows through the app message API. Both sides run on the event loop, so whichever of
        "the answer is ready" and "the wait is over" comes first decides, never both."""
        assert app is not None and replies is not None
        handoff = Handoff()
        lang = detect_language(content)

        async def compute() -> str:
            answer, case_id = await service.ask(content, history, "wecom", audit_id("wecom", turn.chat, turn.sender))
            job.case_id = case_id
            return reply_text(answer, case_id)

        async def send(text: str) -> None:
            if handoff.take(text):
                return
            await app.send(turn.sender, text)

        async def failed(error: str) -> None:
            note = word("robot.failed", lang)
            if not handoff.take(note):
                await app.send(turn.sender, note)

        job = ReplyJob("wecom", f"member {masked_id(turn.sender)}", compute, send, failed)
        if not replies.submit(job):
            return text_message(turn.sender, corp, word("robot.busy", lang))
        await job.ack()  # WeCom's ack is the passive reply itself: computing starts now
        with anyio.move_on_after(passive_seconds):
            await handoff.ready.wait()
        handoff.deferred = handoff.result is None
        return None if handoff.result is None else text_message(turn.sender, corp, handoff.result)

    return router


def reply_text(answer: Answer, case_id: str | None) -> str:
    """The text WeCom shows: the short answer, the deciding question's options numbered (the member's next
    message "1" or the option's words answers it: the conversation keeps the question) and the case id, cut to
    WeCom's limit with a note."""
    options = numbered_options(answer.determination, answer.language) or ""
    short = short_reply(answer.answer, answer.language, case_id, options)
    return fit(short, "\n" + word("callback.truncated", answer.language))


@dataclass
class Handoff:
    """The answer passed from the reply worker to a callback still waiting for it (WeCom's passive reply)."""

    result: str | None = None
    deferred: bool = False
    ready: anyio.Event = field(default_factory=anyio.Event)

    def take(self, text: str) -> bool:
        """Give the waiting callback the text; False when it stopped waiting (the text must go by the API)."""
        if self.deferred:
            return False
        self.result = text
        self.ready.set()
        return True


class WeComAppClient:
    """The WeCom app message API (`cgi-bin/gettoken`, `cgi-bin/message/send`): text to one member."""

    def __init__(self, api: PlatformClient, corp_id: str, secret: str, agent_id: int) -> None:
        self.api = api
        self.corp_id = corp_id
        self._secret = secret
        self.agent_id = agent_id
        self.tokens = TokenCache(self._fetch_token)

    @classmethod
    def from_settings(cls, settings: Settings) -> WeComAppClient | None:
        """The client when the app's CorpID, Secret and AgentId are set, else None."""
        if not (settings.wecom_corp_id and settings.wecom_corp_secret and settings.wecom_agent_id is not None):
            return None
        api = PlatformClient("wecom", settings.wecom_base_url)
        return cls(api, settings.wecom_corp_id, settings.wecom_corp_secret.get_secret_value(), settings.wecom_agent_id)

    @staticmethod
    def _checked(data: dict[str, Any], what: str) -> dict[str, Any]:
        if data.get("errcode", 0) != 0:
            raise DeliveryError(f"wecom {what}: errcode {data.get('errcode')}: {str(data.get('errmsg'))[:200]}")
        return data

    async def _fetch_token(self) -> tuple[str, float]:
        params = {"corpid": self.corp_id, "corpsecret": self._secret}
        data = self._checked(await self.api.call("GET", "/cgi-bin/gettoken", params=params), "gettoken")
        token, expires = data.get("access_token"), data.get("expires_in")
        if not isinstance(token, str) or not token:
            raise DeliveryError("wecom gettoken: no access_token")
        return token, float(expires) if isinstance(expires, int | float) else 600.0

    async def send(self, user: str, text: str) -> None:
        """Send a text message to one member; after a failure the token is dropped so a retry fetches one.

        Raises:
            DeliveryError: the API refused or failed.
        """
        body = {"touser": user, "msgtype": "text", "agentid": self.agent_id, "text": {"content": text}}
        try:
            params = {"access_token": await self.tokens.get()}
            self._checked(await self.api.call("POST", "/cgi-bin/message/send", json=body, params=params), "send")
        except DeliveryError:
            self.tokens.forget()
            raise
