"""The Feishu (飞书) bot's callback route: URL verification, messages and card button clicks at one address.

Feishu wants every event answered within 3 seconds and delivers it again otherwise, so the route checks and
claims the event, acknowledges it at once, and the reply worker (`replies`) computes the answer afterwards and
sends it as a reply card through the message API. Safety, in order: body size, decryption and signature
(`X-Lark-Signature` with the Encrypt Key; without one, the Verification Token), the signed timestamp's window,
group messages that do not @-mention the bot left alone, the event and message ids claimed once in the shared
replay memory (a repeated delivery is acknowledged and not answered again), the sender's pace. Each turn is
recorded with the platform and the masked chat and sender ids; the conversation (per chat and sender) gives
follow-ups their earlier turns, and a button click on an answer card is the next turn of its conversation.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

import anyio.to_thread
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from starlette.background import BackgroundTask

from ..catalogue import word
from ..errors import AssistantError
from ..settings import Settings
from ..understanding.text import detect_language
from .callbacks import CallbackGuard, audit_id, masked_id, not_configured, rejected, responses
from .conversations import ConversationKey, ConversationStore, is_restart
from .feishu import (
    CardAction,
    FeishuClient,
    FeishuCrypto,
    FeishuMessage,
    answer_card,
    load_json,
    parse_card_action,
    parse_message,
    reply_body,
)
from .platform_client import DeliveryError, PlatformClient
from .problems import error_response
from .replies import ReplyJob, ReplyWorker
from .service import Service
from .wecom import CallbackRejected

log = logging.getLogger(__name__)

PATH = "/webhook/feishu"
PLATFORM = "feishu"
NOT_CONFIGURED = (
    "the Feishu bot is not configured: set ASSISTANT_FEISHU_APP_ID, ASSISTANT_FEISHU_APP_SECRET and "
    "ASSISTANT_FEISHU_ENCRYPT_KEY (or ASSISTANT_FEISHU_VERIFICATION_TOKEN)"
)
MESSAGE_EVENT = "im.message.receive_v1"
CARD_EVENT = "card.action.trigger"

RESPONSES = responses(
    "Not a Feishu event (JSON), or an encrypted event without a configured Encrypt Key.",
    "Signature, verification token or timestamp check failed.",
    "The bot's own id could not be fetched to read a group message's mentions; Feishu retries.",
)


def configured(settings: Settings) -> bool:
    """Whether the settings name an app (id and secret) and a way to check events (Encrypt Key or token)."""
    return bool(
        settings.feishu_app_id
        and settings.feishu_app_secret
        and (settings.feishu_encrypt_key or settings.feishu_verification_token)
    )


def _secret(value: Any) -> str | None:
    return value.get_secret_value() if value is not None else None


def feishu_router(
    service: Service,
    settings: Settings,
    guard: CallbackGuard,
    conversations: ConversationStore,
    replies: ReplyWorker,
    client: FeishuClient | None = None,
) -> APIRouter:
    """The callback route of the configured Feishu app (404 when none is configured)."""
    router = APIRouter(tags=["chat tools"], responses=RESPONSES)
    crypto = FeishuCrypto(_secret(settings.feishu_encrypt_key), _secret(settings.feishu_verification_token))
    app_id = settings.feishu_app_id or ""
    if client is None:
        api = PlatformClient(PLATFORM, settings.feishu_base_url)
        client = FeishuClient(api, app_id, _secret(settings.feishu_app_secret) or "")
    feishu = client

    def ack(job: ReplyJob | None = None, body: dict[str, Any] | None = None) -> Response:
        """The acknowledgement; a job starts computing once it has been sent (the response's background task)."""
        return JSONResponse(body or {}, background=BackgroundTask(job.ack) if job is not None else None)

    def open_event(raw: bytes, request: Request) -> dict[str, Any]:
        """The decrypted, verified payload (a URL verification is answered by the caller before any signature).

        Raises:
            CallbackRejected: any check failed.
        """
        outer = load_json(raw)
        headers = request.headers
        signature = headers.get("x-lark-signature", "")
        timestamp = headers.get("x-lark-request-timestamp", "")
        nonce = headers.get("x-lark-request-nonce", "")
        if crypto.encrypt_key and signature:  # verify before decrypting anything
            guard.check_time(timestamp)
            crypto.verify(timestamp, nonce, signature, raw)
        if "encrypt" in outer:
            payload = load_json(crypto.decrypt(str(outer.get("encrypt", ""))))
        elif crypto.encrypt_key:
            raise CallbackRejected("an Encrypt Key is configured, so events must arrive encrypted")
        else:
            payload = outer
        if payload.get("type") == "url_verification":
            crypto.check_token(payload.get("token"))
            return payload
        if crypto.encrypt_key and not signature:
            raise CallbackRejected("the event carries no X-Lark-Signature")
        if not crypto.encrypt_key and timestamp:
            guard.check_time(timestamp)
        header = payload.get("header")
        crypto.check_token(header.get("token") if isinstance(header, dict) else payload.get("token"))
        return payload

    @router.post(PATH, summary="Feishu event and card callback")
    async def receive(request: Request) -> Response:
        """URL verification, `im.message.receive_v1` and `card.action.trigger`; other events get an empty 200."""
        if not configured(settings):
            return not_configured(NOT_CONFIGURED)
        raw = await request.body()
        try:
            payload = open_event(raw, request)
        except CallbackRejected as exc:
            return rejected(exc, PLATFORM)
        if payload.get("type") == "url_verification":
            return JSONResponse({"challenge": str(payload.get("challenge", ""))[:256]})
        header = payload.get("header") if isinstance(payload.get("header"), dict) else {}
        kind = header.get("event_type") if isinstance(header, dict) else None
        try:
            if kind == MESSAGE_EVENT:
                return await on_message(parse_message(payload))
            if kind == CARD_EVENT:
                return await on_card(parse_card_action(payload), raw)
        except CallbackRejected as exc:
            return rejected(exc, PLATFORM)
        return ack()

    async def on_message(message: FeishuMessage) -> Response:
        if message.sender_type and message.sender_type != "user":
            return ack()  # another bot or an app: never answered (no loops between bots)
        if message.in_group:
            try:
                bot = await feishu.bot_open_id()
            except DeliveryError as exc:
                log.error("feishu: cannot read the bot's open_id to check a group message's mentions: %s", exc)
                return error_response(503, "the bot's id is not available yet", "server_error", code=PLATFORM)
            if not message.mentions_bot(bot):
                return ack()  # a group conversation not addressed to the bot
        keys = [f"feishu:{app_id}:message:{message.message_id}"]
        if message.event_id:
            keys.insert(0, f"feishu:{app_id}:event:{message.event_id}")
        if not await guard.claim(*keys):
            log.info(
                "feishu: a repeated delivery of message %s acknowledged, not answered again",
                masked_id(message.message_id),
            )
            return ack()
        question = message.question()
        lang = detect_language(question) if question else "zh"
        reply_to = message.message_id
        if guard.over_pace(PLATFORM, message.sender_open_id):
            return note(reply_to, word("callback.slow_down", lang), message)
        if message.message_type != "text":
            return note(reply_to, word("callback.text_only", "zh") + "\n" + word("callback.text_only", "en"), message)
        if not question:
            return ack()  # only a mention: nothing to answer
        key = ConversationKey(PLATFORM, message.chat_id, message.sender_open_id)
        if is_restart(question):
            await anyio.to_thread.run_sync(conversations.reset, key)
            return note(reply_to, word("robot.restarted", lang), message)
        return await answer(key, question, lang, reply_to, message.sender_open_id)

    async def on_card(action: CardAction, raw: bytes) -> Response:
        ident = action.event_id or "sha256:" + hashlib.sha256(raw).hexdigest()
        lang = detect_language(action.reply)
        working = {"toast": {"type": "info", "content": word("robot.working", lang)}}
        if not await guard.claim(f"feishu:{app_id}:event:{ident}"):
            return ack(body=working)
        if guard.over_pace(PLATFORM, action.operator_open_id):
            return ack(body={"toast": {"type": "warning", "content": word("callback.slow_down", lang)}})
        asker = action.asker or action.operator_open_id
        key = ConversationKey(PLATFORM, action.chat_id, asker)
        return await answer(key, action.reply, lang, action.message_id, asker, body=working)

    async def answer(
        key: ConversationKey, question: str, lang: str, reply_to: str, asker: str, body: dict[str, Any] | None = None
    ) -> Response:
        """Queue the answer to a turn (history read first, the turn kept once the job is queued) and ack."""
        try:
            history = await anyio.to_thread.run_sync(conversations.turns, key)
        except AssistantError as exc:  # the message is claimed: answer it on its own rather than not at all
            log.error("feishu: conversation memory unavailable, answering without history: %s", exc)
            history = []
        target = f"chat {masked_id(key.chat)} message {masked_id(reply_to)}"

        async def compute() -> dict[str, Any]:
            found, case_id = await service.ask(question, history, PLATFORM, audit_id(PLATFORM, key.chat, key.sender))
            job.case_id = case_id
            return reply_body(card=answer_card(found, case_id, settings.chat_tool_case_url, asker))

        async def send(payload: dict[str, Any]) -> None:
            await feishu.reply(reply_to, payload)

        async def failed(error: str) -> None:
            await feishu.reply(reply_to, reply_body(text=word("robot.failed", lang)))

        job = ReplyJob(PLATFORM, target, compute, send, failed)
        if not replies.submit(job):
            log.error("feishu: the reply queue is full; %s is told to ask again", target)
            return JSONResponse(body or {}, background=BackgroundTask(tell, reply_to, word("robot.busy", lang)))
        try:
            await anyio.to_thread.run_sync(conversations.add, key, question)
        except AssistantError as exc:
            log.error("feishu: could not keep a turn in the conversation memory: %s", exc)
        return ack(job, body)

    def note(reply_to: str, text: str, message: FeishuMessage) -> Response:
        """Acknowledge, then reply a short note (slow down, text only, started over) through the worker."""
        payload = reply_body(text=text)

        async def compute() -> dict[str, Any]:
            return payload

        async def send(body: dict[str, Any]) -> None:
            await feishu.reply(reply_to, body)

        job = ReplyJob(PLATFORM, f"chat {masked_id(message.chat_id)} note", compute, send)
        if not replies.submit(job):
            return JSONResponse({}, background=BackgroundTask(tell, reply_to, text))
        return ack(job)

    async def tell(reply_to: str, text: str) -> None:
        """Send a note outside the worker (its queue is full); a failure is logged."""
        try:
            await feishu.reply(reply_to, reply_body(text=text))
        except DeliveryError as exc:
            log.error("feishu: could not send a note: %s", exc)

    return router
