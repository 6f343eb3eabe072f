"""The OpenAI-compatible face: /v1/chat/completions (plain and streamed) and /v1/models.

Conversation state comes only from the request's messages (the last user message is the question, the
earlier user messages its history), so any replica can answer any turn.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse

from ..answer.compose import numbered_options, short_reply
from ..answer.reply import Answer
from ..errors import UserError
from .problems import error_response
from .routes import ERRORS, bearer, key_id, request_id
from .schemas import ChatCompletion, ChatMessage, ChatRequest, ModelCard, ModelList
from .service import Service

OWNER = "beijing-ftz-data-export-assistant"
USAGE = {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0}
"""No language model writes the answer, so no tokens are spent."""

STREAM_DOC = {
    "description": "With `stream: true`: `chat.completion.chunk` events, the last one carrying `determination`, "
    "then `data: [DONE]`.",
    "content": {"text/event-stream": {"schema": {"type": "string"}}},
}


def conversation(messages: list[ChatMessage]) -> tuple[str, list[str]]:
    """The question (the last user message) and the history (the earlier user messages).

    Raises:
        UserError: no message has the role `user`.
    """
    turns = [message.text() for message in messages if message.role == "user"]
    if not turns:
        raise UserError("messages: no message with role 'user' to answer")
    return turns[-1], turns[:-1]


def reply_text(answer: Answer, case_id: str | None) -> str:
    """What a chat client shows: the answer's first part, the follow-up question's options numbered (a chat
    client has no buttons; the next user message "1", or the option's words, answers it: the conversation comes
    back whole), and the case id. The whole answer stays in `determination`, `sources` and the case."""
    options = numbered_options(answer.determination, answer.language) or ""
    return short_reply(answer.answer, answer.language, case_id, options)


def completion(answer: Answer, completion_id: str, model: str, created: int, case_id: str | None) -> dict[str, Any]:
    """A `chat.completion` with the answer text and the determination."""
    text = reply_text(answer, case_id)
    return {
        "id": completion_id,
        "object": "chat.completion",
        "created": created,
        "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
        "usage": USAGE,
        "determination": answer.determination.to_dict(),
        "sources": [source.model_dump(mode="json") for source in answer.sources],
        "case_id": case_id,
    }


def _event(data: dict[str, Any]) -> str:
    return f"data: {json.dumps(data, ensure_ascii=False)}\n\n"


async def chunks(
    answer: Answer, completion_id: str, model: str, created: int, case_id: str | None, usage: bool
) -> AsyncIterator[str]:
    """Server-sent `chat.completion.chunk` events: role, the text line by line, a final chunk, [DONE]."""
    base = {"id": completion_id, "object": "chat.completion.chunk", "created": created, "model": model}

    def choice(delta: dict[str, str], finish: str | None = None) -> list[dict[str, Any]]:
        return [{"index": 0, "delta": delta, "finish_reason": finish}]

    yield _event({**base, "choices": choice({"role": "assistant", "content": ""})})
    for line in reply_text(answer, case_id).splitlines(keepends=True):
        yield _event({**base, "choices": choice({"content": line})})
    final = completion(answer, completion_id, model, created, case_id)
    yield _event(
        {
            **base,
            "choices": choice({}, "stop"),
            "determination": final["determination"],
            "sources": final["sources"],
            "case_id": case_id,
        }
    )
    if usage:
        yield _event({**base, "choices": [], "usage": USAGE})
    yield "data: [DONE]\n\n"


def chat_router(service: Service, model_id: str) -> APIRouter:
    """The /v1 routes, behind the API key."""
    router = APIRouter(dependencies=[Depends(bearer)], responses=ERRORS, strict_content_type=False, tags=["openai"])
    started = int(time.time())
    card = ModelCard(id=model_id, created=started, owned_by=OWNER)

    @router.get("/v1/models", response_model=ModelList, summary="List models")
    async def models() -> ModelList:
        """The one model this endpoint serves: the assistant."""
        return ModelList(data=[card])

    @router.get("/v1/models/{model}", response_model=ModelCard, responses={404: {}}, summary="Retrieve a model")
    async def model(model: str) -> Response:
        """The assistant's model card, or 404 for any other id."""
        if model != model_id:
            return error_response(404, f"no model {model!r}", "not_found_error", code="model_not_found", param="model")
        return JSONResponse(card.model_dump())

    @router.post(
        "/v1/chat/completions",
        response_model=ChatCompletion,
        responses={200: STREAM_DOC},
        summary="Chat completion (OpenAI-compatible)",
    )
    async def chat_completions(body: ChatRequest, request: Request) -> Response:
        """Answer the last user message; the determination rides in the extra field `determination`."""
        question, history = conversation(body.messages)
        answer, case_id = await service.ask(question, history, "openai", key_id(request))
        completion_id = f"chatcmpl-{case_id or uuid.uuid4().hex}"
        created = int(time.time())
        if body.stream:
            usage = bool(body.stream_options and body.stream_options.include_usage)
            events = chunks(answer, completion_id, model_id, created, case_id, usage)
            headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
            return StreamingResponse(events, media_type="text/event-stream", headers=headers)
        return JSONResponse(
            {**completion(answer, completion_id, model_id, created, case_id), "request_id": request_id(request)}
        )

    return router
