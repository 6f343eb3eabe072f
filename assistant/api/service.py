"""What the routes share: the assistant, the audit log and readiness; blocking work runs in worker threads.

Questions (`ask`, which may call the language model) and decisions on given facts (`decide`, which never
does) wait for slots of their own: a model that hangs can hold only the question slots, each for at most
the answer's model budget (`Settings.llm_budget`), and `/api/check` never queues behind it. The model calls
themselves run on the model's own event loop (`assistant.model.calls`), not in these threads.
"""

from __future__ import annotations

import gc
import logging
import threading
import time
from collections.abc import Sequence
from typing import Protocol

import anyio
import anyio.to_thread

from ..answer.reply import Answer
from ..errors import ConfigurationError, RetrievalError
from ..facts import Facts
from ..model.calls import ModelHealth, answer_arrived
from ..pipeline import Assistant
from ..retrieval.index import IndexStatus
from ..settings import Settings
from .metrics import note_outcome

log = logging.getLogger(__name__)

PROBE_QUERY = "数据出境安全评估 security assessment"
"""The search /readyz runs: it must find something in any usable index."""

# Answering is mostly CPU-bound Python: more threads only share the GIL, so every request in flight slows
# down together and the long ones (a search with a query embedding) reach a second under load. Waiting in
# order for one of four slots keeps both cores busy (the embedder, numpy and SQLite release the GIL) and the
# tail short: on the 2-core machine 4 slots gave p95 ~280 ms at 16 clients, 40 (anyio's default) ~580 ms.
ANSWERING_AT_ONCE = 4
"""Answers computed at once; later requests wait their turn in arrival order."""

DECIDING_AT_ONCE = 4
"""Decisions on given facts computed at once, in slots no question (and so no model call) can hold."""


class AuditSink(Protocol):
    """Where every API turn is recorded (the app passes `assistant.audit.AuditLog`)."""

    def record(self, answer: Answer, channel: str, key_id: str | None = None) -> object:
        """Keep one turn; returns its case id."""
        ...


class Service:
    """The assistant and the audit log behind every route."""

    def __init__(self, assistant: Assistant, audit: AuditSink | None, settings: Settings) -> None:
        self.assistant = assistant
        self.audit = audit
        self.settings = settings
        self.readiness = Readiness(assistant)
        self._slots: anyio.CapacityLimiter | None = None
        self._decide_slots: anyio.CapacityLimiter | None = None

    @property
    def slots(self) -> anyio.CapacityLimiter:
        """The worker threads answering at once; made on first use, inside the server's event loop."""
        if self._slots is None:
            self._slots = anyio.CapacityLimiter(ANSWERING_AT_ONCE)
        return self._slots

    @property
    def decide_slots(self) -> anyio.CapacityLimiter:
        """The worker threads deciding on given facts at once, apart from `slots` (made on first use)."""
        if self._decide_slots is None:
            self._decide_slots = anyio.CapacityLimiter(DECIDING_AT_ONCE)
        return self._decide_slots

    async def ask(
        self, question: str, history: Sequence[str], channel: str, key_id: str | None
    ) -> tuple[Answer, str | None]:
        """Answer a question in a worker thread and record the turn; returns the answer and its case id.

        The model's budget counts from now: waiting for a slot uses it up, so a queued question skips the model.
        """
        answer_arrived(time.monotonic())
        done = await anyio.to_thread.run_sync(self._ask, question, list(history), channel, key_id, limiter=self.slots)
        note_outcome(done[0].determination.outcome)
        return done

    async def decide(self, facts: Facts, lang: str, channel: str, key_id: str | None) -> tuple[Answer, str | None]:
        """Decide on facts given directly, in a worker thread, and record the turn."""
        done = await anyio.to_thread.run_sync(self._decide, facts, lang, channel, key_id, limiter=self.decide_slots)
        note_outcome(done[0].determination.outcome)
        return done

    def _ask(self, question: str, history: list[str], channel: str, key_id: str | None) -> tuple[Answer, str | None]:
        self.readiness.ensure()
        answer = self.assistant.ask(question, history)
        return answer, self.record(answer, channel, key_id)

    def _decide(self, facts: Facts, lang: str, channel: str, key_id: str | None) -> tuple[Answer, str | None]:
        self.readiness.ensure()
        answer = self.assistant.decide(facts, lang)
        return answer, self.record(answer, channel, key_id)

    def record(self, answer: Answer, channel: str, key_id: str | None) -> str | None:
        """Record a turn with the key's id (never the key); a failing log is reported, not fatal to the reply."""
        if self.audit is None:
            return None
        try:
            case_id = self.audit.record(answer, channel, key_id)
        except Exception:
            log.exception("audit log failed to record a %s turn (key id %s)", channel, key_id)
            return None
        return None if case_id is None else str(case_id)


def settle_heap() -> None:
    """Move what is loaded so far (rule book, vectors, BM25, the index's client) out of the garbage collector's
    sight (`gc.freeze`), after collecting what is garbage now.

    Each answer makes thousands of short-lived objects; every so often the collector's full pass then walks the
    whole heap, which the loaded data makes large: those passes took about 0.5 ms an answer on average and tens of
    milliseconds each, one answer's worth of tail latency. Frozen objects are still freed when their last
    reference goes; only a cycle among them that later becomes garbage stays in memory (at worst, parts of a rule
    book or index replaced while serving).
    """
    gc.collect()
    gc.freeze()


class Readiness:
    """What a replica can do now: answers from the start (rule book, citations, BM25), the hybrid search once
    the dense index is built in the background. Only a complete index makes the replica ready on /readyz."""

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant
        self._starting = threading.Lock()
        self._started = False

    def ensure(self) -> None:
        """Answering needs the rule book only: raise unless it is loaded. Starts the background build, never
        waits for it (answers meanwhile search with BM25).

        Raises:
            ConfigurationError: no rule pack is loaded.
        """
        if not self.assistant.rulebook.packs:
            raise ConfigurationError("no rule pack is loaded")
        self.warm()

    def warm(self) -> None:
        """Start, once, the background work a first start needs: the understanding's and the cards' vectors
        (which the first questions use), BM25, then the dense index with its progress (`index()`)."""
        with self._starting:
            if self._started:
                return
            self._started = True
        self.assistant.retriever.expect_build()
        threading.Thread(target=self._warm, name="warm-up", daemon=True).start()

    def _warm(self) -> None:
        try:
            self.assistant.warm()
        except Exception as exc:  # the first questions load what failed here again, or report it
            log.error("warm-up failed: %s", exc)
        retriever = self.assistant.retriever
        try:
            retriever.lexical  # noqa: B018 (builds BM25 now, before the first search)
        except Exception as exc:
            log.error("word search failed to load: %s", exc)
        settle_heap()
        retriever.start_refresh(progress=None).join()  # a bar on a terminal; failures logged and shown, never raised
        settle_heap()

    def probe(self) -> None:
        """Raise unless rule packs are loaded and a probe search finds a passage."""
        if not self.assistant.rulebook.packs:
            raise ConfigurationError("no rule pack is loaded")
        if not self.assistant.retriever.search(PROBE_QUERY, k=1):
            raise RetrievalError("the index found nothing for the probe search")

    def model(self) -> ModelHealth | None:
        """The language model's health (None when none is configured); never a reason to be unready."""
        calls = self.assistant.model_calls
        return None if calls is None else calls.health()

    def index(self) -> IndexStatus:
        """The dense index's state and progress."""
        return self.assistant.retriever.index_status()

    def state(self) -> str:
        """`ready`, `loading` (building, or not started yet) or `failed` (the last build failed); for /metrics."""
        status = self.index()
        if status.state in ("ready", "failed"):
            return status.state
        return "loading"

    def status(self) -> tuple[bool, str]:
        """Whether this replica may take traffic, and why not (blocking: call from a worker thread).

        Answers are served before that (decisions, citations, BM25 search); ready means the hybrid search too.
        """
        self.warm()
        index = self.index()
        if index.state == "failed":
            return False, f"search index build failed ({index.error}); answers use word search (BM25)"
        if index.state != "ready":
            return False, f"search index building ({index.percent}%); answers use word search (BM25) meanwhile"
        try:
            self.probe()
        except Exception as exc:
            return False, f"{type(exc).__name__}: {exc}"
        return True, "rule book loaded; the index answers"
