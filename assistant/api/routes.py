"""The assistant's own routes: /api/ask, /api/check, the generic webhook, /healthz and /readyz."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from fastapi.security import HTTPBearer
from starlette.concurrency import run_in_threadpool

from ..facts import Facts
from .schemas import AnswerOut, AskRequest, Health, Message, ModelStatus, Ready, WebhookReply, WebhookRequest
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


def user_turns(messages: list[Message] | list[str | Message]) -> list[str]:
    """The person's earlier messages: strings and user-role messages, in order."""
    return [m if isinstance(m, str) else m.content for m in messages if isinstance(m, str) or m.role == "user"]


def preferred_language(accept: str) -> Literal["en", "zh"]:
    """`zh` when Chinese is the first language of an Accept-Language header, else `en`."""
    first = accept.split(",", 1)[0].strip().lower()
    return "zh" if first.startswith("zh") else "en"


def api_router(service: Service) -> APIRouter:
    """Routes under /api plus the generic webhook, all behind the API key."""
    router = APIRouter(dependencies=[Depends(bearer)], responses=ERRORS, strict_content_type=False)

    @router.post("/api/ask", response_model=AnswerOut, tags=["assistant"], summary="Answer a question")
    async def ask(body: AskRequest, request: Request) -> JSONResponse:
        """The answer to a question; facts stated in earlier user turns of `history` carry over."""
        answer, case_id = await service.ask(body.question, user_turns(body.history), "api", key_id(request))
        return JSONResponse({**answer.to_dict(), "case_id": case_id})

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

    @router.post("/webhook/generic", response_model=WebhookReply, tags=["chat tools"], summary="Generic webhook")
    async def webhook(body: WebhookRequest, request: Request) -> JSONResponse:
        """For any chat tool that can POST JSON: the message in, the answer text and determination out."""
        answer, case_id = await service.ask(body.text, user_turns(body.conversation), "webhook", key_id(request))
        reply = {
            "text": answer.answer,
            "language": answer.language,
            "determination": answer.determination.to_dict(),
            "sources": [source.model_dump(mode="json") for source in answer.sources],
            "case_id": case_id,
        }
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
        """200 when the rule book is loaded and the index answers a probe search; 503 otherwise. A language
        model that fails or hangs is reported in `model` as degraded, never a reason for 503: answers then
        come from the templates, and the determination never depends on the model."""
        ready, detail = await run_in_threadpool(service.readiness.status)
        health = service.readiness.model()
        model = None if health is None else ModelStatus(status=health.status, detail=health.detail)
        body = Ready(status="ready" if ready else "not ready", detail=detail, model=model)
        return JSONResponse(body.model_dump(), status_code=200 if ready else 503)

    return router
