"""The WeCom (企业微信) callback: URL verification (GET) and messages with encrypted passive replies (POST).

WeCom sends one message per callback and keeps no conversation for us, so each message is answered on
its own. It authenticates by signature, not by API key; the request size limit still applies. Before
anything is decrypted the signed timestamp must be within the window; a message is answered and recorded
once, however often it is delivered (see `callbacks`), and each member has a per-minute limit.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import PlainTextResponse, Response

from ..answer.compose import short_reply
from ..catalogue import word
from ..settings import Settings
from ..understanding.text import detect_language
from .callbacks import CallbackGuard
from .problems import error_response
from .service import Service
from .wecom import CallbackRejected, WeComCipher, fit, parse_xml, text_message

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

RESPONSES: dict[int | str, dict[str, object]] = {
    400: {"description": "Not WeCom's XML, or the timestamp is not Unix seconds."},
    403: {"description": "Timestamp outside the window, or the signature, decryption or CorpID check failed."},
    404: {"description": "The adapter is not configured."},
}


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


def wecom_router(service: Service, cipher: WeComCipher | None, guard: CallbackGuard) -> APIRouter:
    """The callback routes of one WeCom app."""
    router = APIRouter(tags=["chat tools"], responses=RESPONSES)

    def refused(exc: CallbackRejected) -> Response:
        return error_response(exc.status, f"callback rejected: {exc}", "invalid_request_error", code="wecom")

    def passive(inner: str | None) -> Response:
        """An encrypted passive reply, or WeCom's empty success when there is nothing to say."""
        if inner is None or cipher is None:
            return Response(status_code=200)
        return Response(cipher.reply(inner), media_type="application/xml")

    @router.get(PATH, response_class=PlainTextResponse, summary="WeCom URL verification")
    async def verify(msg_signature: Signature, timestamp: Timestamp, nonce: Nonce, echostr: str) -> Response:
        """Echo the decrypted `echostr`, which proves to WeCom that this server holds the app's keys."""
        if cipher is None:
            return error_response(404, NOT_CONFIGURED, "not_found_error", code="not_configured")
        try:
            guard.check_time(timestamp)
            cipher.verify(msg_signature, timestamp, nonce, echostr)
            return PlainTextResponse(cipher.decrypt(echostr))
        except CallbackRejected as exc:
            return refused(exc)

    @router.post(PATH, summary="WeCom message callback", response_class=Response)
    async def receive(msg_signature: Signature, timestamp: Timestamp, nonce: Nonce, request: Request) -> Response:
        """Answer a text message with an encrypted passive reply; other messages and events get an empty 200.

        A delivery of a message already taken gets the first delivery's reply (empty while it is being
        answered); a member over the per-minute limit gets a short note, and nothing is recorded.
        """
        if cipher is None:
            return error_response(404, NOT_CONFIGURED, "not_found_error", code="not_configured")
        try:
            guard.check_time(timestamp)  # first: needs neither the body nor the key
            envelope = parse_xml(await request.body())
            encrypted = envelope.get("Encrypt")
            if not encrypted:
                raise CallbackRejected("the callback has no Encrypt element", 400)
            cipher.verify(msg_signature, timestamp, nonce, encrypted)
            plain = cipher.decrypt(encrypted)
            message = parse_xml(plain)
        except CallbackRejected as exc:
            return refused(exc)
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
            try:
                answer, case_id = await service.ask(content, [], "wecom", None)
            except Exception:
                await guard.forget(key)  # unanswered: WeCom's retry may be answered once we recover
                await guard.forget(delivery)
                raise
            short = short_reply(answer.answer, answer.language, case_id)
            note = "\n" + word("callback.truncated", answer.language)
            reply = text_message(user, corp, fit(short, note))
        await guard.keep_reply(key, reply)
        return passive(reply)

    return router
