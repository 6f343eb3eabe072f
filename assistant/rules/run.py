"""The state of one evaluation of the checker: what was read, assumed, concluded and traced."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..determination import Citation, Message, Param, SpecialRegime, TraceStep
from ..facts import COUNT_FACTS, Facts
from .book import RuleBook
from .schema import Pack, Rule, Source, Step, pack_key


class Missing(Exception):
    """Raised inside an evaluation that needs a fact it does not have."""

    def __init__(self, fact: str, run: Run) -> None:
        super().__init__(fact)
        self.fact = fact
        self.run = run


@dataclass
class Run:
    """The state of one evaluation: what was read, assumed and concluded."""

    book: RuleBook
    facts: Facts
    day: dt.date
    national: Pack
    listp: Pack | None
    reasons: list[Message] = field(default_factory=list)
    reason_sources: list[list[Citation]] = field(default_factory=list)
    assumptions: list[Message] = field(default_factory=list)
    citations: list[Source] = field(default_factory=list)
    trace: list[TraceStep] = field(default_factory=list)
    steps: list[Message] = field(default_factory=list)
    regimes: list[SpecialRegime] = field(default_factory=list)
    sectors: list[Pack] = field(default_factory=list)
    """The sector packs whose readings decided this evaluation."""
    covering: Pack | None = None
    outcome: str | None = None
    deciding: dict[str, int] = field(default_factory=dict)
    """For each outcome a rule gave, the index of that rule's reason (the one reason that decides)."""
    readings: bool = True
    """Whether readings of sector regulations apply (off: the branch in which a reading does not hold)."""
    _params: tuple[Facts, dict[str, Param]] | None = field(default=None, repr=False, compare=False)
    """`fact_params` of the facts it was made for (a rule's text is made many times in one evaluation)."""

    def rule(self, rule_id: str) -> Rule:
        return self.book.national_rules(self.national)[rule_id]

    def text(self, rule: Rule, **params: Param) -> Message:
        """The rule's reason, with the facts and `params` for its placeholders."""
        if self._params is None or self._params[0] is not self.facts:
            self._params = (self.facts, fact_params(self.facts))
        return Message(key=pack_key(self.national.pack, "rules", rule.id, "reason"), params=self._params[1] | params)

    def assume(self, message: Message) -> None:
        """State an assumption once (messages of another key are not compared in full)."""
        if not any(m.key == message.key and m == message for m in self.assumptions):
            self.assumptions.append(message)

    def record(self, pack: Pack, ident: str, result: str, sources: list[Source], **extra: Any) -> None:
        self.trace.append(
            TraceStep(
                rule=ident,
                pack=pack.pack,
                facts=extra.get("facts", {}),
                threshold=extra.get("threshold"),
                sources=cite(sources),
                result=result,
            )
        )

    def say(self, reason: Message, sources: list[Source]) -> None:
        """Add a reason with the sources it rests on."""
        self.reasons.append(reason)
        self.reason_sources.append(cite(sources))
        self.citations.extend(sources)

    def fire(self, rule_id: str, **params: Param) -> Rule:
        """Record a national rule that applies, with its reason, sources and next step."""
        rule = self.rule(rule_id)
        self.say(self.text(rule, **params), rule.sources)
        if rule.outcome is not None:
            self.deciding[rule.outcome] = len(self.reasons) - 1
        used = {n: self.facts.value(n) for n in rule.facts}
        self.record(self.national, rule.id, "applies", rule.sources, facts=used, threshold=rule.thresholds or None)
        if rule.next_step is not None:
            self.steps.append(step_message(pack_key(self.national.pack, "rules", rule.id, "next_step"), rule.next_step))
        return rule

    def note(self, rule_id: str, **params: Param) -> None:
        """State a national rule as an assumption or reading (not a reason), with its sources."""
        rule = self.rule(rule_id)
        self.assume(self.text(rule, **params))
        self.citations.extend(rule.sources)
        self.record(self.national, rule.id, "stated", rule.sources)

    def regime(self, rule_id: str) -> None:
        """State a duty beside the route (a special regime), from a national rule."""
        rule = self.rule(rule_id)
        self.regimes.append(SpecialRegime(id=rule.id, text_key=self.text(rule), citations=cite(rule.sources)))
        self.citations.extend(rule.sources)
        self.record(self.national, rule.id, "beside the route", rule.sources)

    def missing(self, fact: str) -> Missing:
        self.trace.append(TraceStep(rule=f"fact:{fact}", pack="-", result="unknown and deciding"))
        return Missing(fact, self)

    def flag(self, fact: str, assume_rule: str) -> bool:
        """A yes/no fact; unknown is read as no under an explicit assumption."""
        value = self.facts.value(fact)
        if value is None:
            rule = self.rule(assume_rule)
            self.assume(self.text(rule))
            self.record(self.national, rule.id, "assumed", rule.sources, facts={fact: None})
            return False
        return bool(value)


def fact_params(facts: Facts) -> dict[str, Param]:
    """The facts a rule's text may name: the counts (`?` when unknown) and the exemption claimed."""
    params: dict[str, Param] = {}
    for name in COUNT_FACTS:
        value = facts.value(name)
        params[name] = value if isinstance(value, int) else "?"
    params["exemption_basis"] = facts.exemption_basis or "-"
    return params


def step_message(key: str, step: Step) -> Message:
    """A next step, with the citations it rests on."""
    text = Message(key=key)
    if not step.sources:
        return text
    return Message(key="step.with_sources", params={"text": text, "sources": cite(step.sources)})


def value_message(name: str, value: Any) -> Message | int:
    """A fact's value as a message (`value.zone.beijing_ftz`); counts stay numbers."""
    if isinstance(value, bool):
        return Message(key=f"value.bool.{str(value).lower()}")
    if isinstance(value, int):
        return value
    return Message(key=f"value.{name}.{value}")


def cite(sources: Iterable[Source]) -> list[Citation]:
    """The citations of pack sources (document and article, without the pack's note)."""
    return [_citation(s.doc, s.article) for s in sources]


@lru_cache(maxsize=4096)
def _citation(doc: str, article: str) -> Citation:
    """One Citation per document and article: they are frozen, so one serves every evaluation (the branch search
    cites the same few dozen sources thousands of times)."""
    return Citation(doc=doc, article=article)
