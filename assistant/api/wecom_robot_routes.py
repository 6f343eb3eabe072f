"""The WeCom smart robot's (企业微信智能机器人) callback: URL verification, then acknowledge, then answer.

In addition to the self-built app's callback (`wecom_routes`), for robots added to group chats. WeCom gives a
robot's callback five seconds and a one-hour `response_url`; so a user's message is acknowledged at once with
a finished stream message ("the answer follows"), and the reply worker computes the answer afterwards, with
the conversation of this sender in this chat as history, and posts it to the `response_url`: Markdown, or a
button card when a deciding question is asked. A click on an option's button comes back as a
`template_card_event` and is answered as the next turn. Signature, timestamp window, replay memory (a repeat
gets the first acknowledgement again and is not answered twice) and per-sender pace are checked first.
"""

from __future__ import annotations

import logging
from typing import Annotated, Any

import anyio.to_thread
from fastapi import APIRouter, Query, Request
from fastapi.responses import PlainTextResponse, Response
from starlette.background import BackgroundTask

from ..answer.compose import numbered_options, short_reply
from ..answer.labels import outcome_label
from ..catalogue import word
from ..settings import Settings
from ..understanding.text import detect_language
from .callbacks import QUEUE_FULL, CallbackGuard, audit_id, busy, masked_id, not_configured, rejected, responses
from .conversations import ConversationKey, ConversationStore, is_restart
from .dingtalk_routes import Turn, case_line, converse, offered
from .replies import ReplyJob, ReplyWorker
from .service import Service
from .wecom import CallbackRejected, WeComCipher, verified_echo
from .wecom_robot import (
    RobotMessage,
    WeComRobotClient,
    answer_card,
    envelope,
    markdown,
    option_of,
    parse,
    passive,
    stream,
)
from .wecom_routes import request_key

log = logging.getLogger(__name__)

PATH = "/webhook/wecom-robot"
PLATFORM = "wecom-robot"
NOT_CONFIGURED = (
    "the WeCom smart robot is not configured: set ASSISTANT_WECOM_ROBOT_TOKEN and "
    "ASSISTANT_WECOM_ROBOT_ENCODING_AES_KEY"
)

Signature = Annotated[str, Query(description="SHA-1 signature over token, timestamp, nonce and the ciphertext.")]
Timestamp = Annotated[str, Query(description="Unix seconds; refused outside the window around now.")]
Nonce = Annotated[str, Query(description="The callback's nonce.")]

RESPONSES = responses(
    "Not the robot's JSON, the timestamp is not Unix seconds, or no usable response_url.",
    "Timestamp outside the window, or the signature or decryption failed.",
    QUEUE_FULL,
)


def cipher_from(settings: Settings) -> WeComCipher | None:
    """The robot's cipher (an enterprise's own smart robot has an empty ReceiveId), or None unconfigured."""
    token = settings.wecom_robot_token.get_secret_value() if settings.wecom_robot_token else ""
    key = settings.wecom_robot_encoding_aes_key.get_secret_value() if settings.wecom_robot_encoding_aes_key else ""
    if not (token and key):
        return None
    return WeComCipher.from_settings(token, key, "")


def plain_card_text(text: str) -> str:
    """A card's text shows no Markdown: emphasis marks and heading marks are dropped."""
    return text.replace("**", "").replace("#### ", "")


def wecom_robot_router(
    service: Service,
    settings: Settings,
    guard: CallbackGuard,
    replies: ReplyWorker,
    conversations: ConversationStore,
) -> APIRouter:
    """The callback routes of one WeCom smart robot."""
    router = APIRouter(tags=["chat tools"], responses=RESPONSES)
    cipher = cipher_from(settings)
    client = WeComRobotClient(settings.wecom_robot_base_url)

    def reply(body: str | None, job: ReplyJob | None = None) -> Response:
        """The passive reply (an encrypted JSON envelope), or WeCom's empty success; starts the job once sent."""
        task = BackgroundTask(job.ack) if job else None
        if body is None:
            return Response(status_code=200, background=task)
        return Response(body, media_type="application/json", background=task)

    def job_for(message: RobotMessage, turn: Turn, stream_id: str) -> ReplyJob:
        async def compute() -> dict[str, Any]:
            answer, case_id = await converse(service, conversations, turn)
            job.case_id = case_id
            lang = answer.language
            options = offered(answer)
            text = short_reply(answer.answer, lang, case_id, numbered_options(answer.determination, lang) or "")
            link = case_line(case_id, lang, settings.chat_tool_case_url)
            verdict = outcome_label(answer.determination.outcome, lang)
            if options:
                desc = word("robot.case", lang, case_id=case_id) if case_id else ""
                return answer_card(verdict, desc, plain_card_text(text), options, f"{stream_id}-card")
            title = word("robot.title", lang, outcome=verdict)
            return markdown("\n\n".join(p for p in (f"**{title}**", text, link) if p))

        async def send(payload: dict[str, Any]) -> None:
            await client.respond(message.response_url, payload)

        async def failed(error: str) -> None:
            lang = detect_language(turn.text) if turn.text.strip() else "zh"
            await client.respond(message.response_url, markdown(word("robot.failed", lang)))

        target = f"chat {masked_id(message.chat_id)} sender {masked_id(message.sender)}"
        job = ReplyJob(platform=PLATFORM, target=target, compute=compute, send=send, failed=failed)
        return job

    @router.get(PATH, response_class=PlainTextResponse, summary="WeCom smart robot URL verification")
    async def verify(msg_signature: Signature, timestamp: Timestamp, nonce: Nonce, echostr: str) -> Response:
        """Echo the decrypted `echostr`, which proves to WeCom that this server holds the robot's keys."""
        if cipher is None:
            return not_configured(NOT_CONFIGURED)
        try:
            return PlainTextResponse(verified_echo(cipher, guard.check_time, msg_signature, timestamp, nonce, echostr))
        except CallbackRejected as exc:
            return rejected(exc, PLATFORM)

    @router.post(PATH, summary="WeCom smart robot callback", response_class=Response)
    async def receive(msg_signature: Signature, timestamp: Timestamp, nonce: Nonce, request: Request) -> Response:
        """Acknowledge a message at once with a finished stream message; the answer follows on `response_url`.

        Events other than a card button, stream refreshes and group messages without an @-mention get an empty
        200; a repeated delivery gets the first one's acknowledgement and is not answered again.
        """
        if cipher is None:
            return not_configured(NOT_CONFIGURED)
        try:
            guard.check_time(timestamp)  # first: needs neither the body nor the key
            encrypted = envelope(await request.body())
            message = parse(cipher.open(msg_signature, timestamp, nonce, encrypted))
        except CallbackRejected as exc:
            return rejected(exc, PLATFORM)
        key = f"{PLATFORM}:message:{message.msg_id}"
        delivery = request_key(PLATFORM, timestamp, nonce, msg_signature)
        if not await guard.claim(delivery, key):
            log.info("wecom-robot: a repeated delivery answered from the replay memory")
            return reply(await guard.reply_for(key))
        number = option_of(message.button) if message.button else None
        text = str(number) if number is not None else message.text
        if not message.addressed or not message.sender or (message.kind != "text" and number is None):
            return reply(None)  # refreshes, other events, messages for someone else in a group
        lang = detect_language(text) if text.strip() else "zh"
        conversation = ConversationKey(PLATFORM, message.chat_id or message.sender, message.sender)
        stream_id = f"s{message.msg_id}"[:64]
        job = None
        if guard.over_pace(PLATFORM, message.sender):
            note = word("callback.slow_down", lang)
        elif not text:
            note = word("callback.text_only", lang)
        elif is_restart(text):
            await anyio.to_thread.run_sync(conversations.reset, conversation)
            note = word("robot.restarted", lang)
        elif not client.allowed(message.response_url):
            await guard.forget(key)
            await guard.forget(delivery)
            unusable = CallbackRejected("the message has no response_url on the configured WeCom host", 400)
            return rejected(unusable, PLATFORM)
        else:
            audit = audit_id(PLATFORM, message.chat_id or "single", message.sender)
            job = job_for(message, Turn(conversation, text, audit), stream_id)
            if not replies.submit(job):
                await guard.forget(key)
                await guard.forget(delivery)
                return busy()
            note = word("robot.working", lang)
        body = passive(cipher, stream(stream_id, note), timestamp)
        await guard.keep_reply(key, body)
        return reply(body, job)

    return router
