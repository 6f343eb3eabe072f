"""The model's door: the circuit breaker and the time budget per answer (no network: fake async models)."""

from __future__ import annotations

import asyncio
import contextvars
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage

from assistant.errors import ModelError
from assistant.model.breaker import Breaker
from assistant.model.calls import ModelCalls, answer_arrived
from assistant.model.llm import propose_facts

MESSAGES: list[BaseMessage] = [HumanMessage("hello")]


class Clock:
    """A clock moved by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Hanging:
    """A chat model that never answers; records that its call started and that it was cancelled."""

    def __init__(self) -> None:
        self.started = threading.Event()
        self.cancelled = threading.Event()
        self.calls = 0

    async def ainvoke(self, messages: list[BaseMessage]) -> BaseMessage:
        self.calls += 1
        self.started.set()
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            self.cancelled.set()
            raise
        raise AssertionError("unreachable")


class Answering:
    """A chat model that answers at once, or fails while `failing` is set."""

    def __init__(self, content: str = '{"zone": "beijing"}') -> None:
        self.content = content
        self.failing = False
        self.calls = 0

    async def ainvoke(self, messages: list[BaseMessage]) -> BaseMessage:
        self.calls += 1
        if self.failing:
            raise ConnectionError("endpoint refused")
        return AIMessage(self.content)


@pytest.fixture
def closing() -> Iterator[list[ModelCalls]]:
    """ModelCalls made by a test, closed after it."""
    made: list[ModelCalls] = []
    yield made
    for calls in made:
        calls.close()


def door(
    model: Any, closing: list[ModelCalls], budget: float = 60.0, failures: int = 3, clock: Any = None
) -> ModelCalls:
    calls = ModelCalls(model, budget, Breaker(failures, 30.0, clock or Clock()))
    closing.append(calls)
    return calls


def test_breaker_opens_after_consecutive_failures_and_a_success_resets_the_count() -> None:
    breaker = Breaker(3, 30.0, Clock())
    breaker.failed("a")
    breaker.failed("b")
    breaker.succeeded()
    breaker.failed("c")
    breaker.failed("d")
    assert breaker.allow() and breaker.status().state == "closed"
    breaker.failed("e")
    assert breaker.status().state == "open" and not breaker.allow()
    assert breaker.status().last_error == "e" and breaker.status().failures == 3


def test_half_open_lets_exactly_one_trial_through() -> None:
    clock = Clock()
    breaker = Breaker(1, 30.0, clock)
    breaker.failed("timeout")
    clock.now += 29.9
    assert not breaker.allow()
    clock.now += 0.2
    assert breaker.status().state == "half_open"
    assert breaker.allow()  # the trial
    assert not breaker.allow() and not breaker.allow()  # everyone else, while the trial runs
    breaker.failed("timeout again")  # a failed trial opens it for another cool-down
    assert breaker.status().state == "open" and not breaker.allow()
    clock.now += 30.1
    assert breaker.allow()
    breaker.succeeded()
    assert breaker.status().state == "closed" and breaker.allow() and breaker.allow()


def test_a_hung_call_is_cancelled_when_the_budget_is_spent(closing: list[ModelCalls]) -> None:
    model = Hanging()
    calls = door(model, closing, budget=0.2)
    calls.start_answer()
    with pytest.raises(ModelError, match="did not answer"):
        calls.invoke(MESSAGES)
    assert model.started.is_set()
    assert model.cancelled.wait(30)  # abandoned on the model's loop, not left running
    assert calls.breaker.status().failures == 1
    assert calls.health().status == "degraded"


def test_the_budget_is_shared_by_every_call_of_one_answer(closing: list[ModelCalls]) -> None:
    model = Hanging()
    calls = door(model, closing, budget=0.2, failures=100)
    calls.start_answer()
    with pytest.raises(ModelError):
        calls.invoke(MESSAGES)
    with pytest.raises(ModelError, match="budget is spent"):
        calls.invoke(MESSAGES)
    assert model.calls == 1  # the second call never started
    calls.start_answer()  # the next answer has a budget of its own
    with pytest.raises(ModelError, match="did not answer"):
        calls.invoke(MESSAGES)
    assert model.calls == 2


def test_an_open_breaker_refuses_without_calling(closing: list[ModelCalls]) -> None:
    model = Answering()
    model.failing = True
    calls = door(model, closing, failures=2)
    for _ in range(2):
        calls.start_answer()
        with pytest.raises(ModelError, match="ConnectionError"):
            calls.invoke(MESSAGES)
    model.failing = False
    calls.start_answer()
    with pytest.raises(ModelError, match="circuit breaker is open"):
        calls.invoke(MESSAGES)
    assert model.calls == 2
    assert calls.health().status == "degraded" and "circuit open" in calls.health().detail


def test_a_half_open_trial_that_succeeds_closes_the_breaker(closing: list[ModelCalls]) -> None:
    clock = Clock()
    model = Answering()
    model.failing = True
    calls = door(model, closing, failures=1, clock=clock)
    calls.start_answer()
    with pytest.raises(ModelError):
        calls.invoke(MESSAGES)
    model.failing = False
    clock.now += 31
    assert "half-open" in calls.health().detail
    calls.start_answer()
    assert calls.invoke(MESSAGES).content == '{"zone": "beijing"}'
    assert calls.health().status == "ok"


def test_propose_facts_through_the_door_falls_back_to_none_when_refused(closing: list[ModelCalls]) -> None:
    model = Answering()
    calls = door(model, closing, failures=1)
    calls.start_answer()
    proposed = propose_facts(calls, "q")
    assert proposed is not None and proposed.zone == "beijing"
    model.failing = True
    assert propose_facts(calls, "q") is None  # the endpoint failed: no model facts
    model.failing = False
    assert propose_facts(calls, "q") is None  # the breaker is open: no call at all
    assert model.calls == 2


def test_the_budget_counts_from_the_requests_arrival(closing: list[ModelCalls]) -> None:
    model = Answering()
    calls = door(model, closing, budget=5.0)

    def queued_too_long() -> None:
        answer_arrived(time.monotonic() - 6.0)  # the request waited longer than the budget for a worker
        calls.start_answer()
        with pytest.raises(ModelError, match="budget is spent"):
            calls.invoke(MESSAGES)

    contextvars.copy_context().run(queued_too_long)  # a context of its own, as each request has
    assert model.calls == 0
    assert calls.breaker.status().failures == 0  # a skipped call is not the endpoint's failure
