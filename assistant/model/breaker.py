"""A circuit breaker for the language-model endpoint: a failing endpoint is left alone for a while.

Closed: calls go through; `failures` consecutive failed or overrun calls open it. Open: no call for
`cooldown` seconds (answers are templates at once). Then half-open: exactly one trial call goes through
while every other call is still refused; its success closes the breaker, its failure opens it again for
another cool-down. Thread-safe: answers in many worker threads share one breaker.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

State = Literal["closed", "open", "half_open"]


@dataclass(frozen=True)
class BreakerStatus:
    """A snapshot of the breaker, for /readyz and the logs."""

    state: State
    failures: int
    """Consecutive failed calls (0 after a success)."""
    last_error: str | None
    retry_in: float
    """Seconds until the next trial call (0 unless open)."""


class Breaker:
    """Counts consecutive failures of the endpoint and refuses calls while it is open."""

    def __init__(self, failures: int, cooldown: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.threshold = failures
        self.cooldown = cooldown
        self.clock = clock
        self._lock = threading.Lock()
        self._failures = 0
        self._opened_at: float | None = None
        self._trial = False
        self._last_error: str | None = None

    def allow(self) -> bool:
        """Whether a call may go out now; a True in half-open state makes that call the one trial.

        Every allowed call must be reported with `succeeded` or `failed`.
        """
        with self._lock:
            if self._opened_at is None:
                return True
            if self._trial or self.clock() - self._opened_at < self.cooldown:
                return False
            self._trial = True
            return True

    def succeeded(self) -> None:
        """A call answered: the breaker closes."""
        with self._lock:
            self._failures, self._opened_at, self._trial, self._last_error = 0, None, False, None

    def failed(self, reason: str) -> None:
        """A call failed or overran: count it; the threshold reached (or a failed trial) opens the breaker."""
        with self._lock:
            self._failures += 1
            self._last_error = reason
            if self._trial or self._failures >= self.threshold:
                self._opened_at = self.clock()
            self._trial = False

    def status(self) -> BreakerStatus:
        """The breaker's state now."""
        with self._lock:
            if self._opened_at is None:
                return BreakerStatus("closed", self._failures, self._last_error, 0.0)
            left = max(0.0, self.cooldown - (self.clock() - self._opened_at))
            state: State = "half_open" if left == 0.0 else "open"
            return BreakerStatus(state, self._failures, self._last_error, left)
