"""The assistant's own routes: /api/ask, /api/check, the generic webhook, /healthz and /readyz."""

from __future__ import annotations

import json
import math
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.responses import JSONResponse
from fastapi.security import HTTPBearer
from starlette.concurrency import run_in_threadpool

from ..catalogue import word
from ..facts import Facts
from ..understanding.text import detect_language
from .callbacks import CallbackGuard
from .problems import error_response
from .schemas import AnswerOut, AskRequest, Health, IndexOut, Message, ModelStatus, Ready, WebhookReply, WebhookRequest
from .service import Service

bearer = HTTPBearer(auto_error=False, description="An API key, when the operator configured keys.")
"""Documents the key in the OpenAPI document; the gate enforces it before any body is read."""

ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "Keys are configured and the request has no valid `Authorization: Bearer KEY`."},
    413: {"description": "The body is larger than `max_request_bytes`."},
    422: {"description": "Malformed JSON or an invalid field (the message names it)."},
    429: {"description": "The key's rate limit is reached; see `Retry-After`."},
}


def key_id(request: Request) -> str | None:
    """The id of the API key the gate accepted for this request (None when the API is open)."""
    value = getattr(request.state, "key_id", None)
    return value if isinstance(value, str) else None


def request_id(request: Request) -> str | None:
    """The id `logs.RequestIds` gave this request (also in the `X-Request-ID` header and its log lines)."""
    value = getattr(request.state, "request_id", None)
    return value if isinstance(value, str) else None


def user_turns(messages: list[Message] | list[str | Message]) -> list[str]:
    """The person's earlier messages: strings and user-role messages, in order."""
    return [m if isinstance(m, str) else m.content for m in messages if isinstance(m, str) or m.role == "user"]


def preferred_language(accept: str) -> Literal["en", "zh"]:
    """`zh` when Chinese is the first language of an Accept-Language header, else `en`."""
    first = accept.split(",", 1)[0].strip().lower()
    return "zh" if first.startswith("zh") else "en"


def sender(request: Request) -> str:
    """Who sent a webhook message: the API key's id, else the client address."""
    kid = key_id(request)
    return f"key:{kid}" if kid else f"addr:{request.client.host if request.client else 'unknown'}"


IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        max_length=256,
        description="The chat tool's id of this message: a repeated delivery with the same key (from the same "
        "sender, within the replay window) gets the first delivery's reply and is not answered or recorded again.",
    ),
]


def api_router(service: Service, guard: CallbackGuard) -> APIRouter:
    """Routes under /api plus the generic webhook, all behind the API key."""
    router = APIRouter(dependencies=[Depends(bearer)], responses=ERRORS, strict_content_type=False)

    @router.post("/api/ask", response_model=AnswerOut, tags=["assistant"], summary="Answer a question")
    async def ask(body: AskRequest, request: Request) -> JSONResponse:
        """The answer to a question; facts stated in earlier user turns of `history` carry over."""
        answer, case_id = await service.ask(body.question, user_turns(body.history), "api", key_id(request))
        return JSONResponse({**answer.to_dict(), "case_id": case_id, "request_id": request_id(request)})

    @router.post("/api/check", tags=["assistant"], summary="Decide a transfer from facts")
    async def check(
        facts: Facts,
        request: Request,
        lang: Annotated[
            Literal["en", "zh"] | None,
            Query(description="Language of reasons and steps; default: the Accept-Language header, else English."),
        ] = None,
    ) -> JSONResponse:
        """The Determination for a Facts object (contract: Facts, Determination); invalid facts: 422."""
        chosen = lang or preferred_language(request.headers.get("accept-language", ""))
        answer, _ = await service.decide(facts, chosen, "api", key_id(request))
        return JSONResponse(answer.determination.to_dict())

    @router.post(
        "/webhook/generic",
        response_model=WebhookReply,
        tags=["chat tools"],
        summary="Generic webhook",
        responses={409: {"description": "A delivery with this Idempotency-Key is still being answered."}},
    )
    async def webhook(body: WebhookRequest, request: Request, idempotency_key: IdempotencyKey = None) -> JSONResponse:
        """For any chat tool that can POST JSON: the message in, the answer text and determination out.

        Each sender (key, else address) has a per-minute limit; with an `Idempotency-Key`, a message is
        answered and recorded once however often it is delivered.
        """
        who = sender(request)
        claim = f"webhook:{who}:{idempotency_key}" if idempotency_key else None
        if claim is not None and not await guard.first_time(claim):
            kept = await guard.reply_for(claim)
            if kept is None:
                message = "a delivery with this Idempotency-Key is still being answered"
                return error_response(409, message, "invalid_request_error", code="duplicate_delivery")
            return JSONResponse(json.loads(kept), headers={"Idempotent-Replayed": "true"})
        wait = guard.webhook_limiter.hit(who)
        if wait is not None:
            if claim is not None:
                await guard.forget(claim)  # not answered: a later delivery of it may be
            polite = word("callback.slow_down", detect_language(body.text))
            refusal = error_response(429, polite, "rate_limit_error", code="rate_limit_exceeded")
            refusal.headers["Retry-After"] = str(max(1, math.ceil(wait)))
            return refusal
        try:
            answer, case_id = await service.ask(body.text, user_turns(body.conversation), "webhook", key_id(request))
        except Exception:
            if claim is not None:
                await guard.forget(claim)
            raise
        reply = {
            "text": answer.answer,
            "language": answer.language,
            "determination": answer.determination.to_dict(),
            "sources": [source.model_dump(mode="json") for source in answer.sources],
            "case_id": case_id,
            "request_id": request_id(request),
        }
        if claim is not None:
            await guard.keep_reply(claim, json.dumps(reply, ensure_ascii=False))
        return JSONResponse(reply)

    return router


def health_router(service: Service) -> APIRouter:
    """Liveness and readiness, open to the load balancer without a key."""
    router = APIRouter(tags=["operations"])

    @router.get("/healthz", response_model=Health, summary="Liveness")
    async def healthz() -> Health:
        """200 while the process serves requests."""
        return Health(status="alive")

    @router.get(
        "/readyz",
        response_model=Ready,
        summary="Readiness",
        responses={503: {"model": Ready, "description": "Not ready: the reason is in `detail`."}},
    )
    async def readyz() -> JSONResponse:
        """200 when the rule book is loaded and the index answers a probe search; 503 otherwise, e.g. while the
        search index builds (`index` gives its state and percent; answers are served meanwhile). A language
        model that fails or hangs is reported in `model` as degraded, never a reason for 503: answers then
        come from the templates, and the determination never depends on the model."""
        ready, detail = await run_in_threadpool(service.readiness.status)
        health = service.readiness.model()
        model = None if health is None else ModelStatus(status=health.status, detail=health.detail)
        built = service.readiness.index()
        index = IndexOut(state=built.state, percent=built.percent, error=built.error)
        body = Ready(status="ready" if ready else "not ready", detail=detail, model=model, index=index)
        return JSONResponse(body.model_dump(), status_code=200 if ready else 503)

    return router
