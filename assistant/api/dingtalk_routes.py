"""The DingTalk (钉钉) enterprise robot's HTTP callback: checked, acknowledged at once, answered through the API.

DingTalk posts each message that reaches the robot (every one-to-one message, group messages that @-mention
it) with a signed timestamp. The route checks the signature and the window, claims the message id in the
shared replay memory (a repeated delivery is acknowledged and not answered again), counts the sender's pace,
and acknowledges with an empty 200 at once; the answer is computed afterwards by the reply worker, with the
conversation of this sender in this chat as history, and sent by the robot send API as Markdown or, when a
deciding question is asked, as an ActionCard with its options as buttons.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated

import anyio.to_thread
from fastapi import APIRouter, Header, Request
from fastapi.responses import JSONResponse, Response
from starlette.background import BackgroundTask

from ..answer.compose import numbered_options, short_reply
from ..answer.labels import outcome_label
from ..answer.reply import Answer
from ..catalogue import word
from ..settings import Settings
from ..understanding.text import detect_language
from .callbacks import QUEUE_FULL, CallbackGuard, audit_id, busy, masked_id, not_configured, rejected, responses
from .conversations import ConversationKey, ConversationStore, is_restart
from .dingtalk import DingTalkClient, Incoming, answer_message, parse, verify
from .replies import ReplyJob, ReplyWorker
from .service import Service
from .wecom import CallbackRejected

log = logging.getLogger(__name__)

PATH = "/webhook/dingtalk"
PLATFORM = "dingtalk"
NOT_CONFIGURED = (
    "the DingTalk robot is not configured: set ASSISTANT_DINGTALK_APP_KEY and ASSISTANT_DINGTALK_APP_SECRET"
)

RESPONSES = responses(
    "The timestamp is not Unix milliseconds, or the body is not a robot message.",
    "Timestamp outside the window, or the sign does not match the app secret.",
    QUEUE_FULL,
)


def client_from(settings: Settings) -> DingTalkClient | None:
    """The robot's API client, or None when the robot is not configured."""
    secret = settings.dingtalk_app_secret.get_secret_value() if settings.dingtalk_app_secret else ""
    if not (settings.dingtalk_app_key and secret):
        return None
    code = settings.dingtalk_robot_code or settings.dingtalk_app_key
    return DingTalkClient(settings.dingtalk_app_key, secret, code, settings.dingtalk_base_url)


def case_line(case_id: str | None, lang: str, case_url: str | None) -> str:
    """A link to the full case when the settings give its address, else nothing (the text names the id)."""
    if not case_id or not case_url:
        return ""
    return f"[{word('robot.case', lang, case_id=case_id)}]({case_url.replace('{case_id}', case_id)})"


def offered(answer: Answer) -> list[str]:
    """The deciding question's options, when the answer asks one."""
    return list(answer.options) if answer.determination.outcome == "needs_more_information" else []


@dataclass
class Turn:
    """One message to answer in its conversation: where the answer is recorded and which memory it extends."""

    key: ConversationKey
    text: str
    audit: str


async def converse(service: Service, store: ConversationStore, turn: Turn) -> tuple[Answer, str | None]:
    """Answer a message with its conversation's earlier turns as history, then add it to the conversation."""
    history = await anyio.to_thread.run_sync(store.turns, turn.key)
    answer, case_id = await service.ask(turn.text, history, turn.key.platform, turn.audit)
    await anyio.to_thread.run_sync(store.add, turn.key, turn.text)
    return answer, case_id


def acknowledged(job: ReplyJob | None = None, status: int = 200) -> Response:
    """The callback's answer: an empty JSON object; the job (if any) learns it was sent, then starts."""
    return JSONResponse({}, status_code=status, background=BackgroundTask(job.ack) if job else None)


def dingtalk_router(
    service: Service,
    settings: Settings,
    guard: CallbackGuard,
    replies: ReplyWorker,
    conversations: ConversationStore,
) -> APIRouter:
    """The callback route of one DingTalk robot."""
    router = APIRouter(tags=["chat tools"], responses=RESPONSES)
    client = client_from(settings)
    secret = settings.dingtalk_app_secret.get_secret_value() if settings.dingtalk_app_secret else ""

    def job_for(message: Incoming, compute: Callable[[], Awaitable[tuple[str, dict[str, str]]]]) -> ReplyJob:
        assert client is not None

        async def send(payload: tuple[str, dict[str, str]]) -> None:
            await client.send(message, *payload)

        async def failed(error: str) -> None:
            lang = detect_language(message.text) if message.text.strip() else "zh"
            await client.send(message, "sampleText", {"content": word("robot.failed", lang)})

        target = f"chat {masked_id(message.conversation_id)} sender {masked_id(message.sender)}"
        return ReplyJob(platform=PLATFORM, target=target, compute=compute, send=send, failed=failed)

    def note(text: str) -> Callable[[], Awaitable[tuple[str, dict[str, str]]]]:
        async def compute() -> tuple[str, dict[str, str]]:
            return "sampleText", {"content": text}

        return compute

    @router.post(PATH, summary="DingTalk robot callback", response_class=JSONResponse)
    async def receive(
        request: Request,
        timestamp: Annotated[str, Header(description="Unix milliseconds, signed.")] = "",
        sign: Annotated[str, Header(description="base64 HmacSHA256 of timestamp + '\\n' + appSecret.")] = "",
    ) -> Response:
        """Acknowledge a robot message at once; the answer follows through the robot send API."""
        if client is None:
            return not_configured(NOT_CONFIGURED)
        try:
            verify(timestamp, sign, secret, guard.clock(), guard.window)  # first: needs no body
            message = parse(await request.body())
        except CallbackRejected as exc:
            return rejected(exc, PLATFORM)
        key = f"{PLATFORM}:{client.robot_code}:message:{message.msg_id}"
        if not await guard.claim(key):
            log.info("dingtalk: a repeated delivery of a message, not answered again")
            return acknowledged()
        if not message.addressed:
            return acknowledged()  # a group message for someone else
        lang = detect_language(message.text) if message.text.strip() else "zh"
        conversation = ConversationKey(PLATFORM, message.conversation_id, message.sender)
        if guard.over_pace(PLATFORM, message.sender):
            job = job_for(message, note(word("callback.slow_down", lang)))
        elif message.kind != "text" or not message.text:
            job = job_for(message, note(word("callback.text_only", lang)))
        elif is_restart(message.text):
            await anyio.to_thread.run_sync(conversations.reset, conversation)
            job = job_for(message, note(word("robot.restarted", lang)))
        else:
            turn = Turn(conversation, message.text, audit_id(PLATFORM, message.conversation_id, message.sender))

            async def compute() -> tuple[str, dict[str, str]]:
                answer, case_id = await converse(service, conversations, turn)
                job.case_id = case_id
                text = short_reply(
                    answer.answer,
                    answer.language,
                    case_id,
                    numbered_options(answer.determination, answer.language) or "",
                )
                link = case_line(case_id, answer.language, settings.chat_tool_case_url)
                title = word(
                    "robot.title", answer.language, outcome=outcome_label(answer.determination.outcome, answer.language)
                )
                return answer_message(title, "\n\n".join(p for p in (text, link) if p), offered(answer))

            job = job_for(message, compute)
        if not replies.submit(job):
            await guard.forget(key)  # not taken: a later delivery may be answered
            return busy()
        return acknowledged(job)

    return router
