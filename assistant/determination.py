"""The checker's output (contract: Determination), rendered as JSON or as indented text."""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from .outcomes import Outcome


class Citation(BaseModel):
    """A document id and an article (or list item) id in it."""

    model_config = ConfigDict(frozen=True)

    doc: str
    article: str


class Message(BaseModel):
    """A sentence in no language: a catalogue key (or a rule pack's text, `pack:...`) and its parameters.

    Parameters are numbers, ids, citations or other messages; the answer layer renders them in a language.
    """

    model_config = ConfigDict(frozen=True)

    key: str
    params: dict[str, Param] = Field(default_factory=dict)


Param = bool | int | str | Citation | Message | list[Message] | list[Citation]
"""A message parameter: a number, an id, a citation, a message, or a list of messages or citations."""

Message.model_rebuild()


class Branch(BaseModel):
    """The outcome one value of the deciding fact would give."""

    model_config = ConfigDict(populate_by_name=True)

    if_: dict[str, Any] = Field(alias="if")
    outcome: Outcome
    label: str = Field(default="", description="the value or range in words")
    label_key: Message = Field(description="the value or range, in no language")


class Change(BaseModel):
    """A nearby fact value that would change the outcome."""

    model_config = ConfigDict(populate_by_name=True)

    if_: dict[str, Any] = Field(alias="if")
    outcome: Outcome
    text: str = ""
    text_key: Message = Field(description="`text` in no language")


class SpecialRegime(BaseModel):
    """A duty beside the export route (human genetic resources, a treaty, ...): stated, never an outcome."""

    id: str
    text: str = ""
    text_key: Message = Field(description="`text` in no language")
    citations: list[Citation] = Field(default_factory=list)


QuestionKind = Literal["yes_no", "choice", "count"]
"""How a question is answered: yes or no, one of a few values, or a number (offered as ranges)."""


class Option(BaseModel):
    """One answer offered to the follow-up question: the fact value it sets and its words."""

    value: Any = Field(description="the value the option sets; for a count range, its lower bound")
    label: str = Field(default="", description="the option in words, in the request language")
    label_key: Message = Field(description="`label` in no language")
    outcome: Outcome | None = Field(default=None, description="the outcome this answer gives (as in `branches`)")


class Question(BaseModel):
    """The one follow-up question a needs_more_information determination asks: a fact and its options."""

    fact: str = Field(description="the field name of Facts asked for (`missing_facts[0]`)")
    kind: QuestionKind
    options: list[Option] = Field(default_factory=list, description="2 to 5 answers to pick from")


class TraceStep(BaseModel):
    """One rule or item the checker read: facts used, threshold, source and result."""

    rule: str
    pack: str
    facts: dict[str, Any] = Field(default_factory=dict)
    threshold: dict[str, Any] | None = None
    sources: list[Citation] = Field(default_factory=list)
    result: str


class Determination(BaseModel):
    """The decision on one planned transfer, with everything it rests on."""

    outcome: Outcome
    rule_packs: list[str] = Field(default_factory=list)
    reasons: list[str] = Field(default_factory=list)
    reason_keys: list[Message] = Field(default_factory=list, description="`reasons` in no language")
    reason_citations: list[list[Citation]] = Field(
        default_factory=list, description="the sources of each reason, aligned with `reasons`"
    )
    deciding_reason: int | None = Field(
        default=None, description="the index in `reasons` of the one reason that decides the outcome"
    )
    citations: list[Citation] = Field(default_factory=list)
    assumptions: list[str] = Field(default_factory=list)
    assumption_keys: list[Message] = Field(default_factory=list, description="`assumptions` in no language")
    missing_facts: list[str] = Field(default_factory=list)
    question: Question | None = Field(
        default=None, description="the follow-up question with its options; None unless needs_more_information"
    )
    branches: list[Branch] = Field(default_factory=list)
    next_steps: list[str] = Field(default_factory=list)
    next_step_keys: list[Message] = Field(default_factory=list, description="`next_steps` in no language")
    trace: list[TraceStep] = Field(default_factory=list)
    would_change: list[Change] = Field(default_factory=list)
    special_regimes: list[SpecialRegime] = Field(
        default_factory=list, description="duties beside the route; the outcome stays the route's"
    )
    applied_list: str | None = Field(default=None, description="the list edition that covered this processor")
    transfer_date: str | None = None
    language: str = Field(default="", description="the language of the texts; empty until rendered")

    def to_json(self, indent: int | None = None) -> str:
        """The contract JSON (branch conditions under the key `if`)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict in the contract's shape."""
        return self.model_dump(mode="json", by_alias=True)

    def render_trace(self) -> str:
        """The trace as indented text, one rule per block."""
        lines: list[str] = []
        for n, step in enumerate(self.trace, 1):
            lines.append(f"{n:>2}. [{step.pack}] {step.rule}: {step.result}")
            if step.facts:
                lines.append("      facts: " + ", ".join(f"{k}={v}" for k, v in step.facts.items()))
            if step.threshold:
                lines.append("      threshold: " + ", ".join(f"{k}={v}" for k, v in step.threshold.items()))
            if step.sources:
                lines.append("      source: " + "; ".join(f"{s.doc} {s.article}" for s in step.sources))
        return "\n".join(lines)

    def render_text(self) -> str:
        """The whole determination as indented text."""
        parts = [f"outcome: {self.outcome}", f"rule packs: {', '.join(self.rule_packs)}"]
        for title, rows in (
            ("reasons", self.reasons),
            ("assumptions", self.assumptions),
            ("missing facts", self.missing_facts),
            ("branches", [f"{b.label}: {b.outcome}" for b in self.branches]),
            ("next steps", self.next_steps),
            ("would change the outcome", [c.text for c in self.would_change]),
            ("beside the route", [r.text for r in self.special_regimes]),
            ("citations", [f"{c.doc} {c.article}" for c in self.citations]),
        ):
            if rows:
                parts.append(f"{title}:")
                parts.extend(f"  - {row}" for row in rows)
        parts.append("trace:")
        parts.append(self.render_trace())
        return "\n".join(parts)
