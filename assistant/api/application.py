"""`create_api`: the FastAPI application of the HTTP API, onto which the app mounts its Gradio UI."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from ..logs import RequestIds
from ..pipeline import Assistant
from ..settings import Settings
from . import problems
from .callbacks import CallbackGuard
from .chat import chat_router
from .conversations import ConversationStore
from .dingtalk_routes import dingtalk_router
from .feishu_routes import feishu_router
from .gate import Gate, RateLimiter, UiRules, gradio_upload_dir, limit_storage
from .keys import KeyRing
from .metrics import Metrics, MetricsMiddleware, metrics_router
from .replies import ReplyWorker
from .routes import api_router, health_router
from .service import AuditSink, Service
from .wecom_robot_routes import wecom_robot_router
from .wecom_routes import WeComAppClient, cipher_from, wecom_router

DESCRIPTION = """\
Answers about sending data out of China for processors in the Beijing FTZ, in Chinese or English.
Every outcome comes from a deterministic rule checker; answers cite the articles they rest on.

- `POST /api/ask`, `POST /api/check`: the assistant's own shapes (contract: Answer, Facts, Determination).
- `POST /v1/chat/completions`, `GET /v1/models`: OpenAI-compatible, for chat tools; the determination
  rides in the extra field `determination`.
- `GET|POST /webhook/wecom`: the WeCom (企业微信) callback; `POST /webhook/generic`: any chat tool.
- `POST /webhook/feishu`: the Feishu (飞书) bot (events and card button callbacks).
- `POST /webhook/dingtalk`: the DingTalk (钉钉) robot; `GET|POST /webhook/wecom-robot`: the WeCom smart robot
  (智能机器人) of group chats; both acknowledge at once and answer through the platform's API.
- `GET /metrics`: Prometheus metrics; `GET /healthz`, `GET /readyz`: liveness and readiness.

With API keys configured, `/api/*`, `/v1/*`, the generic webhook and `/metrics` (unless `metrics_public`) need
`Authorization: Bearer KEY`. Every response carries an `X-Request-ID` (the request's own when it sent a short safe
one), which answers repeat in `request_id` and every log line of the request names.
Guidance, not legal advice.
"""


def create_api(
    assistant: Assistant,
    audit: AuditSink | None = None,
    settings: Settings | None = None,
    callbacks: CallbackGuard | None = None,
    replies: ReplyWorker | None = None,
) -> FastAPI:
    """Build the HTTP API over an assistant.

    Args:
        assistant: the one Assistant every face shares.
        audit: where each API turn is recorded with the key's id (`record(answer, channel, key_id)`);
            None records nothing.
        settings: keys, limits, model id and the WeCom app; defaults to the assistant's settings.
        callbacks: the chat-tool callbacks' timestamp window, replay memory and per-sender limits; defaults
            to the settings' (the memory is a table of the audit database, opened on first use).
        replies: the worker answering chat-tool messages after their acknowledgement (run by the app's
            lifespan); defaults to the settings' (tests pass one with a hook).

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
    metrics = Metrics(service.readiness, lambda: assistant.model_calls)
    replies = replies or ReplyWorker.from_settings(settings)
    conversations = ConversationStore.from_settings(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        service.readiness.warm()  # load the index in the background; /readyz says when it is done
        async with replies.running():  # chat-tool answers after their acknowledgement; drained at the end
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
    wecom_app = WeComAppClient.from_settings(settings)
    api.include_router(
        wecom_router(service, cipher, guard, conversations, replies, wecom_app, settings.wecom_passive_seconds)
    )
    api.include_router(feishu_router(service, settings, guard, conversations, replies))
    api.include_router(dingtalk_router(service, settings, guard, replies, conversations))
    api.include_router(wecom_robot_router(service, settings, guard, replies, conversations))
    api.include_router(health_router(service))
    api.include_router(metrics_router(metrics, keys, settings.metrics_public))
    api.add_middleware(
        Gate,
        keys=keys,
        limiter=RateLimiter(settings.rate_limit_per_minute, storage=limit_storage(settings)),
        max_bytes=settings.max_request_bytes,
        ui=UiRules.from_settings(settings, gradio_upload_dir()),
        routes=api.router.routes,
        refused=metrics.refused,
    )
    api.add_middleware(MetricsMiddleware, metrics=metrics, routes=api.router.routes)
    api.add_middleware(RequestIds)  # outermost: every log line of the request, the gate's refusals too, has its id
    api.state.service = service
    api.state.metrics = metrics
    api.state.replies = replies
    api.state.conversations = conversations
    return api
