"""The assistant's own routes over a real server: /api/ask, /api/check, the generic webhook, health, errors."""

from __future__ import annotations

import httpx
import pytest

from assistant.facts import parse_facts
from assistant.pipeline import Assistant

pytestmark = pytest.mark.slow

FLAGSHIP = (
    "We are a pharmaceutical company registered in the Beijing FTZ. Can we send clinical-trial data "
    "for 40,000 patients to our headquarters abroad?"
)
FLAGSHIP_ZH = "我们是注册在北京自贸区的医药企业，能否把4万名患者的临床试验数据传给境外总部？"
CONVERSATION_FIRST = "We are a pharmaceutical company registered in the Beijing FTZ."
CONVERSATION_QUESTION = "Can we send clinical-trial data of 40,000 patients to headquarters abroad?"
FACTS = {
    "zone": "beijing_ftz",
    "industry": "pharmaceutical",
    "scenario": "clinical_trial",
    "sensitive_info_count": 40000,
    "data_kinds": ["health"],
}


def test_health_and_readiness(shared_server: str) -> None:
    assert httpx.get(f"{shared_server}/healthz").json() == {"status": "alive", "detail": None}
    ready = httpx.get(f"{shared_server}/readyz")
    assert ready.status_code == 200
    assert ready.json()["status"] == "ready"


def test_openapi_document_lists_every_route(shared_server: str) -> None:
    paths = httpx.get(f"{shared_server}/openapi.json").json()["paths"]
    for path in ("/api/ask", "/api/check", "/v1/chat/completions", "/v1/models", "/webhook/wecom", "/webhook/generic"):
        assert path in paths
    assert "/readyz" in paths and "/healthz" in paths


@pytest.mark.parametrize("question", [FLAGSHIP, FLAGSHIP_ZH], ids=["en", "zh"])
def test_ask_returns_the_answer_of_the_pipeline(shared_server: str, assistant: Assistant, question: str) -> None:
    reply = httpx.post(f"{shared_server}/api/ask", json={"question": question}, timeout=30)
    assert reply.status_code == 200
    body = reply.json()
    direct = assistant.ask(question).to_dict()
    for key in ("question", "language", "answer", "determination", "facts", "sources"):
        assert body[key] == direct[key], key
    assert body["case_id"] is not None


def test_ask_carries_facts_over_from_history(shared_server: str, assistant: Assistant) -> None:
    history = [
        {"role": "user", "content": CONVERSATION_FIRST},
        {"role": "assistant", "content": "How many patients?"},
    ]
    body = httpx.post(f"{shared_server}/api/ask", json={"question": CONVERSATION_QUESTION, "history": history}).json()
    direct = assistant.ask(CONVERSATION_QUESTION, [CONVERSATION_FIRST])
    assert body["facts"] == direct.facts.model_dump(mode="json")
    assert body["determination"]["outcome"] == direct.determination.outcome


def test_check_returns_a_determination(shared_server: str, assistant: Assistant) -> None:
    reply = httpx.post(f"{shared_server}/api/check", json=FACTS)
    assert reply.status_code == 200
    body = reply.json()
    assert body["outcome"] == assistant.decide(parse_facts(FACTS), "en").determination.outcome
    assert {"outcome", "rule_packs", "reasons", "citations", "assumptions", "missing_facts", "branches"} <= set(body)
    zh = httpx.post(f"{shared_server}/api/check", params={"lang": "zh"}, json=FACTS).json()
    assert zh["outcome"] == body["outcome"]
    assert body["language"] == "en" and zh["language"] == "zh"
    assert zh["reason_keys"] == body["reason_keys"] and zh["reasons"] != body["reasons"]
    header = httpx.post(f"{shared_server}/api/check", headers={"Accept-Language": "zh-CN,zh;q=0.9"}, json=FACTS)
    assert header.json()["reasons"] == zh["reasons"]
    query_wins = httpx.post(
        f"{shared_server}/api/check", params={"lang": "en"}, headers={"Accept-Language": "zh-CN"}, json=FACTS
    )
    assert query_wins.json()["reasons"] == body["reasons"]


@pytest.mark.parametrize(
    ("facts", "field"),
    [
        ({"zone": "mars"}, "zone"),
        ({"sensitive_info_count": -5}, "sensitive_info_count"),
        ({"colour": "blue"}, "colour"),
        ({"data_kinds": "health"}, "data_kinds"),
    ],
    ids=["bad-zone", "negative-count", "unknown-field", "kinds-not-a-list"],
)
def test_invalid_facts_get_422_naming_the_field(shared_server: str, facts: dict[str, object], field: str) -> None:
    reply = httpx.post(f"{shared_server}/api/check", json=facts)
    assert reply.status_code == 422
    error = reply.json()["error"]
    assert field in error["message"]
    assert error["param"] == field


@pytest.mark.parametrize(
    ("path", "body", "expected"),
    [
        ("/api/ask", b'{"question": "hi"', "malformed JSON"),
        ("/api/ask", b"[1, 2]", "JSON object"),
        ("/api/ask", b'{"history": []}', "question: Field required"),
        ("/api/check", b"not json at all", "malformed JSON"),
        ("/v1/chat/completions", b'{"messages": [}', "malformed JSON"),
        ("/webhook/generic", b'{"text": 42}', "text"),
        ("/api/ask", b'{"question": "\xff"}', "not UTF-8"),
    ],
    ids=["truncated", "array", "missing-question", "garbage", "chat-garbage", "text-not-string", "not-utf8"],
)
def test_bad_bodies_get_422_with_a_clear_message(shared_server: str, path: str, body: bytes, expected: str) -> None:
    reply = httpx.post(f"{shared_server}{path}", content=body, headers={"Content-Type": "application/json"})
    assert reply.status_code == 422
    assert expected in reply.json()["error"]["message"]


def test_json_without_content_type_is_accepted(shared_server: str) -> None:
    reply = httpx.post(f"{shared_server}/api/ask", content=b'{"question": "What is important data?"}')
    assert reply.status_code == 200


def test_empty_question_is_answered_with_an_error_field(shared_server: str) -> None:
    body = httpx.post(f"{shared_server}/api/ask", json={"question": "   "}).json()
    assert body["error"]
    assert body["determination"]["outcome"] == "out_of_scope"


def test_generic_webhook(shared_server: str, assistant: Assistant) -> None:
    payload = {
        "text": CONVERSATION_QUESTION,
        "conversation": [
            CONVERSATION_FIRST,
            {"role": "assistant", "content": "How many patients?"},
        ],
    }
    reply = httpx.post(f"{shared_server}/webhook/generic", json=payload)
    assert reply.status_code == 200
    body = reply.json()
    direct = assistant.ask(CONVERSATION_QUESTION, [CONVERSATION_FIRST])
    assert body["text"] == direct.answer
    assert body["determination"]["outcome"] == direct.determination.outcome


def test_unknown_route_and_wrong_method_use_the_error_shape(shared_server: str) -> None:
    missing = httpx.get(f"{shared_server}/api/nothing")
    assert missing.status_code == 404
    assert missing.json()["error"]["type"] == "not_found_error"
    wrong = httpx.get(f"{shared_server}/api/ask")
    assert wrong.status_code == 405
    assert "POST" in wrong.headers["allow"]
