"""The optional language model: it may propose facts and write prose, never decide.

Merge policy for proposed facts (`merge_facts`): the deterministic understanding wins for every fact it
recognised; the model may only fill facts left unknown among zone, industry, scenario, the two counts,
data kinds (when none were recognised) and the transfer date. It never sets the facts that switch a legal
regime (CIIO, state organ, important data, foreign judicial request, exemption basis, list conditions):
those must come from the person's own words. A message flagged as an injection gets no model facts.
A proposed data kind or scenario outside the vocabularies of `assistant.facts` is dropped (and logged),
never an error.

Prose is checked by `guard_draft`: it must name the determination's outcome, name no outcome the
determination does not mention, and cite only passage ids that were resolved. Any failure, error or
timeout falls back to the template answer. The pipeline calls the model through `calls.ModelCalls`
(a time budget per answer and a circuit breaker); these functions take anything with `invoke`.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Sequence
from typing import Any, Protocol

import httpx
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ..answer.labels import outcome_label
from ..answer.reply import SourcePassage
from ..determination import Determination
from ..errors import ConfigurationError
from ..facts import COUNT_FACTS, DATA_KINDS, Facts, OtherScenario, Scenario
from ..outcomes import OUTCOMES
from ..settings import Settings
from .prompts import FACTS_SYSTEM, PROPOSED_SCENARIOS, PROSE_SYSTEM, PROSE_USER

log = logging.getLogger(__name__)

MODEL_MAY_FILL: tuple[str, ...] = ("zone", "industry", "scenario", *COUNT_FACTS, "data_kinds", "transfer_date")
"""The only facts a model may propose, and only where the deterministic layer found nothing."""

CITE_RE = re.compile(r"\[p:([0-9a-f]{6,32})\]")
MAX_ATTEMPTS = 2


class FactsProposal(Facts):
    """Facts as a model proposes them: the same fields, validated strictly, with the contract's vocabularies.

    A data kind or scenario outside the vocabularies of `assistant.facts` is dropped before validation and
    named in `dropped`; any other invalid value makes the whole proposal invalid.
    """

    model_config = ConfigDict(extra="ignore")

    scenario: Scenario | OtherScenario | None = None
    dropped: list[str] = Field(default_factory=list, exclude=True)

    @model_validator(mode="before")
    @classmethod
    def _drop_unknown_values(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        data = {k: v for k, v in data.items() if k != "dropped"}
        dropped: list[str] = []
        scenario = data.get("scenario")
        if scenario is not None and scenario not in PROPOSED_SCENARIOS:
            dropped.append(f"scenario: {scenario!r}")
            data.pop("scenario")
        kinds = data.get("data_kinds")
        if isinstance(kinds, list):
            dropped.extend(f"data_kinds: {k!r}" for k in kinds if k not in DATA_KINDS)
            data["data_kinds"] = [k for k in kinds if k in DATA_KINDS]
        data["dropped"] = dropped
        return data


class ChatInvoker(Protocol):
    """What the model functions call: a chat model, or `ModelCalls` in front of one."""

    def invoke(self, messages: Sequence[BaseMessage], /) -> BaseMessage:
        """The model's reply to the messages."""
        ...


class GuardResult(BaseModel):
    """Whether a model draft may be shown, and why not."""

    ok: bool
    problems: list[str]


def make_chat_model(settings: Settings) -> BaseChatModel | None:
    """The OpenAI-compatible chat model the settings name, or None when none is configured.

    Connect and read timeouts bound every request; the client is the model's own (not langchain's shared
    default), so its connections live on the one event loop of `ModelCalls`.
    """
    if not settings.llm_base_url:
        return None
    try:
        from langchain_openai import ChatOpenAI
    except ImportError as exc:  # pragma: no cover - depends on the installed extra
        raise ConfigurationError("llm_base_url is set but langchain-openai is not installed") from exc
    timeout = httpx.Timeout(settings.llm_timeout, connect=settings.llm_connect_timeout)
    return ChatOpenAI(
        base_url=settings.llm_base_url,
        model=settings.llm_model,
        api_key=settings.llm_api_key or "none",
        timeout=timeout,
        http_async_client=httpx.AsyncClient(timeout=timeout),
        max_retries=0,
        temperature=0,
    )


def propose_facts(model: ChatInvoker, question: str) -> Facts | None:
    """Ask the model for facts; None when it fails to give valid ones within the attempts."""
    messages = [SystemMessage(FACTS_SYSTEM), HumanMessage(question)]
    for _ in range(MAX_ATTEMPTS):
        try:
            reply = model.invoke(messages)
            proposal = FactsProposal.model_validate_json(_json_body(str(reply.content)))
        except (ValidationError, ValueError):
            continue
        except Exception:  # any endpoint failure means: no model facts
            return None
        if proposal.dropped:
            log.info("model proposal: dropped values outside the vocabulary: %s", "; ".join(proposal.dropped))
        return proposal
    return None


def merge_facts(recognised: Facts, proposed: Facts | None, *, injection: bool) -> Facts:
    """Apply the merge policy of this module's docstring."""
    if proposed is None or injection:
        return recognised
    updates: dict[str, Any] = {}
    for name in MODEL_MAY_FILL:
        mine, theirs = getattr(recognised, name), getattr(proposed, name)
        if mine in (None, []) and theirs not in (None, []):
            updates[name] = theirs
    return recognised.model_copy(update=updates)


def write_prose(
    model: ChatInvoker, question: str, det: Determination, sources: list[SourcePassage], lang: str
) -> str | None:
    """A model-written answer that passed the guard, or None to fall back to the template."""
    allowed = {s.id for s in sources if s.id}
    passages = "\n".join(f"[p:{s.id}] {s.doc} {s.article}: {s.text[:600]}" for s in sources if s.id)
    prompt = PROSE_USER.format(
        question=question,
        outcome=det.outcome,
        outcome_label=outcome_label(det.outcome, lang),
        reasons="\n".join(f"- {r}" for r in det.reasons) or "-",
        next_steps="\n".join(f"- {s}" for s in det.next_steps) or "-",
        assumptions="\n".join(f"- {a}" for a in det.assumptions) or "-",
        would_change="\n".join(f"- {c.text}" for c in det.would_change) or "-",
        passages=passages or "-",
    )
    system = PROSE_SYSTEM.format(language="Chinese" if lang == "zh" else "English")
    try:
        draft = str(model.invoke([SystemMessage(system), HumanMessage(prompt)]).content)
    except Exception:  # endpoint errors and timeouts fall back to the template
        return None
    return draft if guard_draft(draft, det, allowed, lang).ok else None


def guard_draft(draft: str, det: Determination, allowed_ids: set[str], lang: str) -> GuardResult:
    """Check a draft against the determination and the resolved passage ids."""
    problems = []
    text = draft.lower()
    if outcome_label(det.outcome, lang).lower() not in text and det.outcome not in text:
        problems.append(f"does not state the outcome {det.outcome}")
    first = re.split(r"[.。!！?？\n]", text.strip(), maxsplit=1)[0]
    for other in sorted(_mentioned(first, lang) - {det.outcome}):
        problems.append(f"its first sentence names {other}, not the outcome")
    mentioned = _mentioned(text, lang)
    permitted = _outcomes_in(det, lang)
    for other in sorted(mentioned - permitted):
        problems.append(f"names another outcome: {other}")
    for pid in CITE_RE.findall(draft):
        if pid not in allowed_ids:
            problems.append(f"cites an id that was not retrieved: {pid}")
    return GuardResult(ok=not problems, problems=problems)


def _mentioned(text: str, lang: str) -> set[str]:
    return {o for o in OUTCOMES if o in text or outcome_label(o, lang).lower() in text}


def _outcomes_in(det: Determination, lang: str) -> set[str]:
    """The outcomes a draft may name: the outcome and those the determination itself mentions."""
    permitted: set[str] = {det.outcome, *(b.outcome for b in det.branches), *(c.outcome for c in det.would_change)}
    body = " ".join(det.reasons + det.next_steps).lower()
    permitted |= {o for o in OUTCOMES if outcome_label(o, lang).lower() in body}
    return permitted


def _json_body(content: str) -> str:
    """The JSON object inside a reply (models sometimes wrap it in a code fence)."""
    start, end = content.find("{"), content.rfind("}")
    if start < 0 or end < start:
        raise ValueError("no JSON object in the reply")
    body = content[start : end + 1]
    json.loads(body)
    return body
