"""Issue 13, finding 6: a language model that accepts the connection and never answers cannot hold the door.

A real server (uvicorn on loopback) whose assistant is configured with a fake OpenAI endpoint on loopback
(`fake_llm.FakeLLM`) that hangs. No wall-clock thresholds: the assertions are about what was answered,
what the endpoint saw, and in which order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from typing import Any

import httpx
import pytest

from assistant.api import create_api
from assistant.api.service import ANSWERING_AT_ONCE
from assistant.facts import Facts
from assistant.pipeline import Assistant
from assistant.settings import Settings

from .conftest import FakeAudit, serve, wait_ready
from .fake_llm import FakeLLM

pytestmark = pytest.mark.slow

QUESTION = (
    "Our logistics firm in the Beijing FTZ plans to share the delivery addresses of 3,000 customers with a "
    "partner in Singapore. What do we need?"
)
FACTS = {"zone": "beijing_ftz", "industry": "other", "personal_info_count": 3000}

Start = Callable[..., tuple[str, Assistant]]


class FakeClock:
    """A clock the test moves by hand (the breaker's cool-down)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def endpoint() -> Iterator[FakeLLM]:
    """A fake model endpoint that hangs until told otherwise."""
    fake = FakeLLM("hang").start()
    yield fake
    fake.stop()


@pytest.fixture
def start(assistant: Assistant, base_settings: Settings, endpoint: FakeLLM) -> Iterator[Start]:
    """Start a server whose assistant calls the fake endpoint, with model settings overridden."""
    with ExitStack() as stack:

        def _start(**model_settings: Any) -> tuple[str, Assistant]:
            settings = base_settings.model_copy(update={"llm_base_url": endpoint.url, **model_settings})
            with_model = Assistant(settings, rulebook=assistant.rulebook, retriever=assistant.retriever)
            with_model.cards = assistant.cards  # the same cards, already embedded
            assert with_model.model_calls is not None
            stack.callback(with_model.model_calls.close)
            base = stack.enter_context(serve(create_api(with_model, FakeAudit(), settings)))
            wait_ready(base)
            return base, with_model

        yield _start


def ask(base: str) -> dict[str, Any]:
    reply = httpx.post(f"{base}/api/ask", json={"question": QUESTION}, timeout=300)
    assert reply.status_code == 200, reply.text
    body: dict[str, Any] = reply.json()
    return body


def assert_deterministic(body: dict[str, Any], assistant: Assistant) -> None:
    """The answer is the one the assistant gives with no model at all."""
    direct = assistant.ask(QUESTION).to_dict()
    for key in ("answer", "determination", "facts", "sources", "follow_up"):
        assert body[key] == direct[key], key


def model_health(base: str) -> dict[str, Any]:
    reply = httpx.get(f"{base}/readyz", timeout=60)
    assert reply.status_code == 200, reply.text
    assert reply.json()["status"] == "ready"
    model: dict[str, Any] = reply.json()["model"]
    return model


def test_the_deterministic_answer_is_served_once_the_budget_is_spent(
    start: Start, endpoint: FakeLLM, assistant: Assistant
) -> None:
    # The client's read timeout is far longer than the budget: the budget is what ends the wait.
    base, _ = start(llm_budget=0.5, llm_timeout=600, llm_breaker_failures=100)
    assert_deterministic(ask(base), assistant)
    # One call was made and given up: its connection closed by the assistant, not left hanging. The prose
    # call was never started, the budget being spent.
    endpoint.wait_for("abandoned", 1)
    assert endpoint.requests == 1 and endpoint.answered == 0


def test_the_http_clients_read_timeout_ends_each_call(start: Start, endpoint: FakeLLM, assistant: Assistant) -> None:
    base, _ = start(llm_budget=600, llm_timeout=0.3, llm_breaker_failures=100)
    assert_deterministic(ask(base), assistant)
    # Both calls (facts, then prose) started and each ended at the read timeout, well within the budget.
    assert endpoint.requests == 2 and endpoint.answered == 0
    endpoint.wait_for("abandoned", 2)


def test_check_is_answered_while_questions_hang_on_the_model(
    start: Start, endpoint: FakeLLM, assistant: Assistant
) -> None:
    base, _ = start(llm_budget=600, llm_timeout=600, llm_breaker_failures=100)
    asks = ANSWERING_AT_ONCE + 2  # more than the question slots: some hang in the model, others wait for a slot
    with ThreadPoolExecutor(asks) as pool:
        pending = [pool.submit(ask, base) for _ in range(asks)]
        endpoint.wait_for("hanging", ANSWERING_AT_ONCE)  # every question slot is held by a call never answered
        checked = httpx.post(f"{base}/api/check", json=FACTS, timeout=120)
        # The decision came back while the model calls were still held and before any question returned.
        assert endpoint.hanging == ANSWERING_AT_ONCE and not any(future.done() for future in pending)
        assert checked.status_code == 200
        assert checked.json() == assistant.decide(Facts.model_validate(FACTS)).determination.to_dict()
        endpoint.mode = "answer"  # later calls get an (empty) answer; the held ones are dropped
        endpoint.release()
        answers = [future.result() for future in pending]
    for body in answers:
        assert_deterministic(body, assistant)


def test_the_breaker_opens_and_readyz_says_degraded(start: Start, endpoint: FakeLLM, assistant: Assistant) -> None:
    base, _ = start(llm_budget=0.3, llm_timeout=600, llm_breaker_failures=2, llm_breaker_cooldown=3600)
    assert model_health(base)["status"] == "ok"
    assert_deterministic(ask(base), assistant)
    first = model_health(base)
    assert first["status"] == "degraded" and "failed" in first["detail"]
    assert_deterministic(ask(base), assistant)
    assert endpoint.requests == 2
    opened = model_health(base)  # 200 and ready: a model outage never fails decisions
    assert opened["status"] == "degraded" and "circuit open" in opened["detail"]
    for _ in range(3):  # while open: templates at once, the endpoint is not called
        assert_deterministic(ask(base), assistant)
    assert endpoint.requests == 2


def test_half_open_recovery_when_the_endpoint_answers_again(
    start: Start, endpoint: FakeLLM, assistant: Assistant
) -> None:
    base, with_model = start(llm_budget=0.3, llm_timeout=600, llm_breaker_failures=1, llm_breaker_cooldown=60)
    assert with_model.model_calls is not None
    clock = FakeClock()
    with_model.model_calls.breaker.clock = clock
    assert_deterministic(ask(base), assistant)
    assert model_health(base)["status"] == "degraded" and endpoint.requests == 1
    endpoint.mode = "answer"  # the endpoint recovers, but the breaker is open: no call yet
    assert_deterministic(ask(base), assistant)
    assert endpoint.requests == 1
    clock.now += 61  # the cool-down is over: half-open, the next question's call is the trial
    assert "half-open" in model_health(base)["detail"]
    assert_deterministic(ask(base), assistant)  # the model proposes nothing ('{}'), the guard refuses '{}' as prose
    assert endpoint.answered == 2  # the trial (facts) succeeded, so the prose call went out too
    assert model_health(base)["status"] == "ok"
