"""The WeCom (企业微信) callback: URL verification (GET) and messages with encrypted passive replies (POST).

WeCom sends one message per callback and keeps no conversation for us, so each message is answered on
its own. It authenticates by signature, not by API key; the request size limit still applies.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import PlainTextResponse, Response

from ..answer.compose import short_reply
from ..settings import Settings
from .problems import error_response
from .service import Service
from .wecom import CallbackRejected, WeComCipher, fit, parse_xml, text_message

PATH = "/webhook/wecom"
NOT_CONFIGURED = (
    "the WeCom adapter is not configured: set ASSISTANT_WECOM_TOKEN, ASSISTANT_WECOM_ENCODING_AES_KEY "
    "and ASSISTANT_WECOM_CORP_ID"
)
TRUNCATED = {
    "zh": "\n（回答较长，已截断；完整回答请使用网页版。）",
    "en": "\n(Answer shortened; the web app shows it in full.)",
}
TEXT_ONLY = "目前只能回答文字消息。\nI can only answer text messages."

Signature = Annotated[str, Query(description="SHA-1 signature over token, timestamp, nonce and the ciphertext.")]
Timestamp = Annotated[str, Query(description="The callback's timestamp.")]
Nonce = Annotated[str, Query(description="The callback's nonce.")]

RESPONSES: dict[int | str, dict[str, object]] = {
    400: {"description": "Not WeCom's XML."},
    403: {"description": "Signature, decryption or CorpID check failed."},
    404: {"description": "The adapter is not configured."},
}


def cipher_from(settings: Settings) -> WeComCipher | None:
    """The cipher of the configured WeCom app, or None when the adapter is not configured."""
    if not (settings.wecom_token and settings.wecom_encoding_aes_key and settings.wecom_corp_id):
        return None
    return WeComCipher.from_settings(settings.wecom_token, settings.wecom_encoding_aes_key, settings.wecom_corp_id)


def wecom_router(service: Service, cipher: WeComCipher | None) -> APIRouter:
    """The callback routes of one WeCom app."""
    router = APIRouter(tags=["chat tools"], responses=RESPONSES)

    def refused(exc: CallbackRejected) -> Response:
        return error_response(exc.status, f"callback rejected: {exc}", "invalid_request_error", code="wecom")

    @router.get(PATH, response_class=PlainTextResponse, summary="WeCom URL verification")
    async def verify(msg_signature: Signature, timestamp: Timestamp, nonce: Nonce, echostr: str) -> Response:
        """Echo the decrypted `echostr`, which proves to WeCom that this server holds the app's keys."""
        if cipher is None:
            return error_response(404, NOT_CONFIGURED, "not_found_error", code="not_configured")
        try:
            cipher.verify(msg_signature, timestamp, nonce, echostr)
            return PlainTextResponse(cipher.decrypt(echostr))
        except CallbackRejected as exc:
            return refused(exc)

    @router.post(PATH, summary="WeCom message callback", response_class=Response)
    async def receive(msg_signature: Signature, timestamp: Timestamp, nonce: Nonce, request: Request) -> Response:
        """Answer a text message with an encrypted passive reply; other messages and events get an empty 200."""
        if cipher is None:
            return error_response(404, NOT_CONFIGURED, "not_found_error", code="not_configured")
        try:
            envelope = parse_xml(await request.body())
            encrypted = envelope.get("Encrypt")
            if not encrypted:
                raise CallbackRejected("the callback has no Encrypt element", 400)
            cipher.verify(msg_signature, timestamp, nonce, encrypted)
            message = parse_xml(cipher.decrypt(encrypted))
        except CallbackRejected as exc:
            return refused(exc)
        kind = message.get("MsgType", "")
        user, corp = message.get("FromUserName", ""), message.get("ToUserName", cipher.receive_id)
        if kind == "event" or not user:
            return Response(status_code=200)
        if kind != "text":
            reply = text_message(user, corp, TEXT_ONLY)
        else:
            answer, case_id = await service.ask(message.get("Content", ""), [], "wecom", None)
            short = short_reply(answer.answer, answer.language, case_id)
            reply = text_message(user, corp, fit(short, TRUNCATED[answer.language]))
        return Response(cipher.reply(reply), media_type="application/xml")

    return router
