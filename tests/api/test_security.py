"""API keys (401), the per-key rate limit (429), the size limit (413) and the audit log's key ids."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from assistant.answer.reply import Answer
from assistant.api import create_api
from assistant.errors import AssistantRuntimeError
from assistant.pipeline import Assistant
from assistant.settings import Settings

from .conftest import KEY, KEY_ENTRIES, OTHER_KEY, FakeAudit, Serve, serve

pytestmark = pytest.mark.slow

QUESTION = {"question": "Can a retailer in the Beijing FTZ send contact data of 5,000 customers abroad?"}


def auth(key: str) -> dict[str, str]:
    """The Authorization header for a key."""
    return {"Authorization": f"Bearer {key}"}


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/api/ask", QUESTION),
        ("POST", "/api/check", {}),
        ("POST", "/v1/chat/completions", {"messages": [{"role": "user", "content": "hi"}]}),
        ("GET", "/v1/models", None),
        ("POST", "/webhook/generic", {"text": "hi"}),
    ],
    ids=["ask", "check", "chat", "models", "webhook"],
)
def test_keys_are_required_when_configured(start: Serve, method: str, path: str, body: object) -> None:
    base = start(api_keys=KEY_ENTRIES)
    for headers in ({}, auth("ftz-wrong"), {"Authorization": KEY}, {"Authorization": "Basic abc"}):
        reply = httpx.request(method, f"{base}{path}", json=body, headers=headers)
        assert reply.status_code == 401, headers
        assert reply.headers["www-authenticate"] == "Bearer"
        assert reply.json()["error"]["code"] == "invalid_api_key"
    assert httpx.request(method, f"{base}{path}", json=body, headers=auth(KEY)).status_code == 200


def test_health_and_schema_need_no_key(start: Serve) -> None:
    base = start(api_keys=KEY_ENTRIES)
    for path in ("/healthz", "/readyz", "/openapi.json"):
        assert httpx.get(f"{base}{path}").status_code == 200


def test_audit_records_the_key_id_never_the_key(start: Serve, audit: FakeAudit) -> None:
    base = start(api_keys=KEY_ENTRIES)
    httpx.post(f"{base}/api/ask", json=QUESTION, headers=auth(KEY)).raise_for_status()
    chat = {"messages": [{"role": "user", "content": QUESTION["question"]}]}
    httpx.post(f"{base}/v1/chat/completions", json=chat, headers=auth(OTHER_KEY)).raise_for_status()
    httpx.post(f"{base}/api/check", json={"zone": "beijing_ftz"}, headers=auth(KEY)).raise_for_status()
    httpx.post(f"{base}/webhook/generic", json={"text": "hi"}, headers=auth(OTHER_KEY)).raise_for_status()
    assert [(r.channel, r.key_id) for r in audit.records] == [
        ("api", "help-desk"),
        ("openai", "dify"),
        ("api", "help-desk"),
        ("webhook", "dify"),
    ]
    dumped = json.dumps([r.answer.to_dict() for r in audit.records]) + repr(audit.records)
    assert KEY not in dumped and OTHER_KEY not in dumped


def test_rejected_requests_are_not_recorded(start: Serve, audit: FakeAudit) -> None:
    base = start(api_keys=KEY_ENTRIES)
    httpx.post(f"{base}/api/ask", json=QUESTION)
    httpx.post(f"{base}/api/ask", content=b"{", headers=auth(KEY))
    assert audit.records == []


def test_rate_limit_is_per_key_with_retry_after(start: Serve) -> None:
    base = start(api_keys=KEY_ENTRIES, rate_limit_per_minute=3)
    codes = [httpx.get(f"{base}/v1/models", headers=auth(KEY)).status_code for _ in range(3)]
    assert codes == [200, 200, 200]
    limited = httpx.get(f"{base}/v1/models", headers=auth(KEY))
    assert limited.status_code == 429
    assert 1 <= int(limited.headers["retry-after"]) <= 60
    assert limited.json()["error"]["type"] == "rate_limit_error"
    assert httpx.get(f"{base}/v1/models", headers=auth(OTHER_KEY)).status_code == 200
    assert httpx.get(f"{base}/healthz").status_code == 200


def test_rate_limit_without_keys_is_per_client_address(start: Serve) -> None:
    base = start(rate_limit_per_minute=2)
    codes = [httpx.post(f"{base}/api/ask", json=QUESTION).status_code for _ in range(3)]
    assert codes == [200, 200, 429]


def test_large_bodies_get_413(start: Serve) -> None:
    base = start(max_request_bytes=1000)
    big = {"question": "x" * 2000}
    reply = httpx.post(f"{base}/api/ask", json=big)
    assert reply.status_code == 413
    assert "1,000 bytes" in reply.json()["error"]["message"]

    def chunked() -> Iterator[bytes]:
        yield b'{"question": "'
        for _ in range(20):
            yield b"y" * 100
        yield b'"}'

    streamed = httpx.post(f"{base}/api/ask", content=chunked(), headers={"Content-Type": "application/json"})
    assert streamed.status_code == 413
    assert httpx.post(f"{base}/api/ask", json={"question": "What is important data?"}).status_code == 200


def test_size_limit_applies_before_the_key_check(start: Serve) -> None:
    base = start(api_keys=KEY_ENTRIES, max_request_bytes=100)
    assert httpx.post(f"{base}/api/ask", json={"question": "x" * 200}).status_code == 413


class BrokenAudit:
    """An audit log whose database is gone."""

    def record(self, answer: Answer, channel: str, key_id: str | None = None) -> str:
        """Fail like AuditLog does when even the minimal record is refused."""
        raise AssistantRuntimeError("audit log write failed: disk I/O error")


def test_a_failing_audit_log_does_not_lose_the_answer(assistant: Assistant, base_settings: Settings) -> None:
    with serve(create_api(assistant, BrokenAudit(), base_settings)) as base:
        reply = httpx.post(f"{base}/api/ask", json=QUESTION)
    assert reply.status_code == 200
    assert reply.json()["answer"] and reply.json()["case_id"] is None


def test_the_gate_leaves_mounted_apps_alone(assistant: Assistant, base_settings: Settings) -> None:
    settings = base_settings.model_copy(update={"api_keys": KEY_ENTRIES, "max_request_bytes": 100})
    api = create_api(assistant, None, settings)

    async def upload(request: Request) -> PlainTextResponse:
        return PlainTextResponse(str(len(await request.body())))

    api.mount("/", Starlette(routes=[Route("/gradio_api/upload", upload, methods=["POST"])]))
    with serve(api) as base:
        reply = httpx.post(f"{base}/gradio_api/upload", content=b"x" * 5000)
        assert reply.status_code == 200 and reply.text == "5000"
        assert httpx.post(f"{base}/api/ask", json=QUESTION).status_code == 401
