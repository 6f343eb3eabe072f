"""`create_api`: the FastAPI application of the HTTP API, onto which the app mounts its Gradio UI."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from ..pipeline import Assistant
from ..settings import Settings
from . import problems
from .callbacks import CallbackGuard
from .chat import chat_router
from .gate import Gate, RateLimiter, UiRules, gradio_upload_dir
from .keys import KeyRing
from .routes import api_router, health_router
from .service import AuditSink, Service
from .wecom_routes import cipher_from, wecom_router

DESCRIPTION = """\
Answers about sending data out of China for processors in the Beijing FTZ, in Chinese or English.
Every outcome comes from a deterministic rule checker; answers cite the articles they rest on.

- `POST /api/ask`, `POST /api/check`: the assistant's own shapes (contract: Answer, Facts, Determination).
- `POST /v1/chat/completions`, `GET /v1/models`: OpenAI-compatible, for chat tools; the determination
  rides in the extra field `determination`.
- `GET|POST /webhook/wecom`: the WeCom (企业微信) callback; `POST /webhook/generic`: any chat tool.

With API keys configured, `/api/*`, `/v1/*` and the generic webhook need `Authorization: Bearer KEY`.
Guidance, not legal advice.
"""


def create_api(
    assistant: Assistant,
    audit: AuditSink | None = None,
    settings: Settings | None = None,
    callbacks: CallbackGuard | None = None,
) -> FastAPI:
    """Build the HTTP API over an assistant.

    Args:
        assistant: the one Assistant every face shares.
        audit: where each API turn is recorded with the key's id (`record(answer, channel, key_id)`);
            None records nothing.
        settings: keys, limits, model id and the WeCom app; defaults to the assistant's settings.
        callbacks: the chat-tool callbacks' timestamp window, replay memory and per-sender limits; defaults
            to the settings' (the memory is a table of the audit database, opened on first use).

    Returns:
        The FastAPI application; mount other apps (Gradio) on it and serve it with uvicorn.

    Raises:
        ConfigurationError: an API key entry or the WeCom EncodingAESKey is malformed.
    """
    settings = settings or assistant.settings
    keys = KeyRing(settings.api_keys)
    cipher = cipher_from(settings)
    service = Service(assistant, audit, settings)
    guard = callbacks or CallbackGuard.from_settings(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        service.readiness.warm()  # load the index in the background; /readyz says when it is done
        yield

    api = FastAPI(
        title="Beijing FTZ data-export assistant",
        version="1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,  # the Swagger and ReDoc pages load scripts from a CDN; the app stays offline
        redoc_url=None,
    )
    problems.install(api)
    api.include_router(api_router(service, guard))
    api.include_router(chat_router(service, settings.api_model_id))
    api.include_router(wecom_router(service, cipher, guard))
    api.include_router(health_router(service))
    api.add_middleware(
        Gate,
        keys=keys,
        limiter=RateLimiter(settings.rate_limit_per_minute),
        max_bytes=settings.max_request_bytes,
        ui=UiRules.from_settings(settings, gradio_upload_dir()),
        routes=api.router.routes,
    )
    api.state.service = service
    return api
