"""The one door to the chat model: a time budget per answer, a circuit breaker and an event loop of its own.

Why: an endpoint that accepts the connection and never answers used to hold each answer for the HTTP
client's full timeout, and the worker threads with it, so that even decisions that never call a model
waited behind. Now:

- Every model call of one answer shares one deadline (`Settings.llm_budget`, counted from `start_answer`,
  which `Assistant.ask` calls first, or from the request's arrival when the API marked it with
  `answer_arrived`: time spent queueing for a worker counts too); a call starts only with time left, and
  waits at most that long.
- The call runs on this object's own event loop thread, not in the answering thread: when the deadline
  passes the answering thread stops waiting and cancels the call, which closes its connection. An
  overrun call is abandoned, its result ignored; no thread stays blocked on a hung socket.
- The HTTP client's own connect and read timeouts (`make_chat_model`) bound each request as well.
- After `llm_breaker_failures` consecutive failures or overruns the breaker (`breaker.py`) opens: no call
  for `llm_breaker_cooldown` seconds, so answers are templates at once; then one trial call.

Any refusal or failure raises `ModelError`; callers fall back to the template answer.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Literal

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage

from ..errors import ModelError
from ..settings import Settings
from .breaker import Breaker

log = logging.getLogger(__name__)

MIN_CALL_SECONDS = 0.05
"""A call is not started with less time left than this: it could not finish."""

_deadline: ContextVar[float | None] = ContextVar("model_deadline", default=None)
"""The monotonic time by which the current answer's model calls must be done (per thread and task)."""

_arrived: ContextVar[float | None] = ContextVar("answer_arrived", default=None)
"""When the request being answered arrived (`time.monotonic`), if a face marked it."""


def answer_arrived(at: float) -> None:
    """Count the budget of the answer computed in this context from `at` (a `time.monotonic` reading): the HTTP
    API marks each request on arrival, so a question that waited for a worker has that much less for the model.
    The mark is copied into the worker thread with the context (anyio does), and each request has its own."""
    _arrived.set(at)


@dataclass(frozen=True)
class ModelHealth:
    """What /readyz says about the model: `degraded` never makes the replica unready."""

    status: Literal["ok", "degraded"]
    detail: str


class ModelCalls:
    """Calls a chat model within each answer's time budget, behind a circuit breaker."""

    def __init__(
        self, model: BaseChatModel, budget: float, breaker: Breaker, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.model = model
        self.budget = budget
        self.breaker = breaker
        self.clock = clock
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._counts = {"ok": 0, "failed": 0, "refused": 0}

    @classmethod
    def from_settings(cls, model: BaseChatModel, settings: Settings) -> ModelCalls:
        """The budget and breaker the settings name."""
        breaker = Breaker(settings.llm_breaker_failures, settings.llm_breaker_cooldown)
        return cls(model, settings.llm_budget, breaker)

    def start_answer(self) -> None:
        """Start the budget of a new answer in the current context (thread or task), from its arrival if known."""
        arrived = _arrived.get()
        _deadline.set((self.clock() if arrived is None else arrived) + self.budget)

    def invoke(self, messages: Sequence[BaseMessage], /) -> BaseMessage:
        """The model's reply, within what is left of the answer's budget.

        Raises:
            ModelError: the budget is spent, the breaker is open, or the call failed or overran.
        """
        deadline = _deadline.get()
        if deadline is None:  # a call outside `Assistant.ask`: its own budget
            deadline = self.clock() + self.budget
            _deadline.set(deadline)
        left = deadline - self.clock()
        if left < MIN_CALL_SECONDS:
            self._count("refused")
            raise ModelError("the answer's model budget is spent")
        if not self.breaker.allow():
            self._count("refused")
            raise ModelError("the model's circuit breaker is open")
        future = asyncio.run_coroutine_threadsafe(self.model.ainvoke(list(messages)), self._running_loop())
        try:
            reply = future.result(timeout=left)
        except TimeoutError:
            future.cancel()  # closes the connection; a late reply is never read
            self._failed(f"no reply within {left:.2f} s")
            raise ModelError(f"the model did not answer within {left:.2f} s") from None
        except Exception as exc:
            future.cancel()
            self._failed(type(exc).__name__)
            raise ModelError(f"the model endpoint failed: {type(exc).__name__}") from exc
        except BaseException:  # interrupted while waiting: the call is abandoned, the breaker told
            future.cancel()
            self._failed("interrupted")
            raise
        self.breaker.succeeded()
        self._count("ok")
        return reply

    def counts(self) -> dict[str, int]:
        """Calls so far by result: ok, failed (error or overrun), refused (budget spent or breaker open); /metrics."""
        with self._lock:
            return dict(self._counts)

    def _count(self, result: str) -> None:
        with self._lock:
            self._counts[result] += 1

    def health(self) -> ModelHealth:
        """`degraded` while the breaker is open or half-open, or the last call failed; else `ok`."""
        status = self.breaker.status()
        if status.state == "open":
            detail = (
                f"circuit open after {status.failures} failed calls in a row (last: {status.last_error}); "
                f"answers are templates; next trial call in {status.retry_in:.0f} s"
            )
            return ModelHealth("degraded", detail)
        if status.state == "half_open":
            return ModelHealth("degraded", f"circuit half-open: the next call is a trial (last: {status.last_error})")
        if status.failures:
            return ModelHealth("degraded", f"the last {status.failures} call(s) failed (last: {status.last_error})")
        return ModelHealth("ok", "the endpoint answered its last call, or has not been called yet")

    def close(self) -> None:
        """Stop the event loop thread (pending calls are abandoned)."""
        with self._lock:
            loop, thread, self._loop, self._thread = self._loop, self._thread, None, None
        if loop is None or thread is None:
            return
        asyncio.run_coroutine_threadsafe(_cancel_pending(), loop).result(timeout=5)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=5)
        loop.close()

    def _failed(self, reason: str) -> None:
        self._count("failed")
        was = self.breaker.status().state
        self.breaker.failed(reason)
        if was != "open" and self.breaker.status().state != "closed":
            log.warning("model circuit breaker open for %.0f s: %s", self.breaker.cooldown, reason)

    def _running_loop(self) -> asyncio.AbstractEventLoop:
        """The event loop the calls run on, started on first use."""
        with self._lock:
            if self._loop is None:
                loop = asyncio.new_event_loop()
                thread = threading.Thread(target=loop.run_forever, name="model-calls", daemon=True)
                thread.start()
                self._loop, self._thread = loop, thread
            return self._loop


async def _cancel_pending() -> None:
    """Cancel the calls still running on this loop and wait until they have closed their connections."""
    tasks = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
