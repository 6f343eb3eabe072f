"""Read one message into Facts, merged with what earlier turns said: `extract_facts`."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ..facts import SENSITIVE_KINDS, Facts
from .counts import Count, find_counts, total
from .dates import find_dates
from .flags import find_flags
from .intent import FIRST_PERSON, OFF_TOPIC, RULE_QUESTION, Intent, classify_intent, detect_injection
from .places import find_zone, ftz_without_city
from .text import Language, clause_bounds, detect_language, normalise, words
from .vocabulary import (
    EXEMPTIONS,
    INDUSTRIES,
    NO_PERSONAL_INFO,
    NO_SENSITIVE_INFO,
    PHARMA_SCENARIOS,
    RD_WORDS,
    SCENARIOS,
    TRADE_CONTEXT,
    find_kinds,
    first_match,
)

CORRECTION = words(
    r"\b(?:actually|sorry|correction|i mean|i meant|rather|instead|update|to correct|in fact|wait)\b"
    r"|其实|不对|更正|纠正|应该是|实际上|抱歉|说错了|改为|准确地说|不好意思",
    re.IGNORECASE,
)
HYPOTHETICAL = words(r"\b(?:what if|if it'?s|if it is|if we|suppose|assuming)\b|如果|假如|要是|假设", re.IGNORECASE)


class Understanding(BaseModel):
    """What one message says: the merged facts, its intent and language, and what was recognised."""

    model_config = ConfigDict(extra="forbid")

    facts: Facts
    intent: Intent
    language: Language
    notes: list[str] = Field(default_factory=list)
    injection: bool = False


class _Turn:
    """The facts of one turn being built on top of the previous ones, with notes."""

    def __init__(self, base: Facts) -> None:
        self.base = base
        self.values: dict[str, Any] = base.model_dump()
        self.notes: list[str] = []
        self.stated = False

    def set(self, name: str, value: Any, evidence: str) -> None:
        """Set a fact (`conditions.X` sets one condition) and note it, with the old value when it changes."""
        if name.startswith("conditions."):
            conditions = dict(self.values["conditions"])
            old = conditions.get(name.removeprefix("conditions."))
            conditions[name.removeprefix("conditions.")] = value
            self.values["conditions"] = conditions
        else:
            old = self.values.get(name)
            self.values[name] = value
        change = f"{_shown(old)} → {_shown(value)}" if old is not None and old != value else _shown(value)
        self.notes.append(f"{name}: {change} ({evidence})")
        self.stated = True

    def facts(self) -> Facts:
        """The merged facts."""
        return Facts.model_validate(self.values)


def _shown(value: Any) -> str:
    """A value as the facts panel shows it (counts with thousands separators)."""
    return f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else str(value)


def extract_facts(text: str, previous: Facts | None = None) -> Understanding:
    """Understand one message: facts stated (merged over `previous`), intent, language and injection.

    Args:
        text: the person's message, in Chinese or English.
        previous: the facts gathered from earlier turns; this turn updates and corrects them.

    Returns:
        The understanding; facts the message does not state keep their previous value (or stay None).
    """
    clean = normalise(text)
    language = detect_language(clean)
    intent = classify_intent(clean)
    base = previous.model_copy(deep=True) if previous is not None else Facts()
    if detect_injection(clean):
        note = "instruction-like text ignored: no facts taken from this message"
        return Understanding(facts=base, intent=intent, language=language, notes=[note], injection=True)
    turn = _Turn(base)
    _read(clean, turn)
    if turn.stated and intent != "transfer" and not OFF_TOPIC.search(clean):
        personal = FIRST_PERSON.search(clean) or CORRECTION.search(clean) or HYPOTHETICAL.search(clean)
        if personal or not RULE_QUESTION.search(clean):
            intent = "transfer"
    if intent != "transfer":
        return Understanding(facts=base, intent=intent, language=language)
    return Understanding(facts=turn.facts(), intent=intent, language=language, notes=turn.notes)


def _read(text: str, turn: _Turn) -> None:
    """Read every kind of fact from the message into the turn."""
    stated, absent = find_kinds(text)
    kinds = [k for k in turn.base.data_kinds if k not in absent]
    for kind, evidence in stated.items():
        if kind not in kinds:
            kinds.append(kind)
            turn.notes.append(f"data_kinds: + {kind} ({evidence})")
    for kind, evidence in absent.items():
        if kind in turn.base.data_kinds:
            turn.notes.append(f"data_kinds: − {kind} (not included: {evidence})")
    turn.stated = bool(stated or absent)
    turn.values["data_kinds"] = kinds
    _read_counts(text, turn, kinds)
    _read_context(text, turn, kinds)
    for flag in find_flags(text):
        turn.set(flag.name, flag.value, flag.evidence)
    dates = find_dates(text)
    if dates:
        last = dates[-1]
        turn.set("transfer_date", last.value, last.text + ("" if last.day_stated else "; day not stated: 1st taken"))


def _read_context(text: str, turn: _Turn, kinds: list[str]) -> None:
    """Zone, industry, scenario and exemption basis."""
    zone = find_zone(text)
    if zone is not None:
        turn.set("zone", zone.zone, zone.evidence)
    elif ftz_without_city(text):
        turn.notes.append("zone: an FTZ is named but not which one; not set")
    industry = first_match(INDUSTRIES, text, self_only=frozenset({"other"}))
    if industry is not None:
        turn.set("industry", industry[0], industry[1])
    scenario = first_match(SCENARIOS, text)
    if scenario is None and turn.values["industry"] == "pharmaceutical" and (rd := RD_WORDS.search(text)):
        scenario = ("drug_rd", rd.group(0))
    if scenario is not None:
        turn.set("scenario", scenario[0], scenario[1])
        if scenario[0] in PHARMA_SCENARIOS and turn.values["industry"] is None:
            turn.set("industry", "pharmaceutical", f"implied by {scenario[1]}")
    exemption = first_match(EXEMPTIONS, text)
    no_pi = NO_PERSONAL_INFO.search(text)
    if exemption is None and no_pi and TRADE_CONTEXT.search(text):
        exemption = ("trade_without_personal_or_important_data", no_pi.group(0))
    if exemption is not None:
        turn.set("exemption_basis", exemption[0], exemption[1])


def _read_counts(text: str, turn: _Turn, kinds: list[str]) -> None:
    """People counts: by kind (sensitive or not), cumulative sums, corrections and derived zeros."""
    skip = [(d.start, d.end) for d in find_dates(text)]
    counts = find_counts(text, skip)
    attached = [c for c in counts if c.attached]
    sensitive_now = any(k in SENSITIVE_KINDS for k in kinds)
    before = turn.base
    set_now: set[str] = set()
    if not attached and (before.sensitive_info_count or before.personal_info_count):
        short = len(text.split()) <= 8 or len(text) <= 20
        bare = [c for c in counts if not c.attached and c.standalone]
        if bare and (CORRECTION.search(text) or HYPOTHETICAL.search(text) or short):
            field = "sensitive_info_count" if before.sensitive_info_count else "personal_info_count"
            turn.set(field, bare[-1].value, f"{bare[-1].text}: corrects the earlier count")
            set_now.add(field)
    groups: dict[str, list[Count]] = {}
    cumulative = any(c.role in ("prior", "additional") for c in attached)
    for count in attached:
        sensitive = sensitive_now
        if len(attached) > 1 and not cumulative:
            start, end = clause_bounds(text, count.start)
            clause_kinds = find_kinds(text[start:end])[0]
            if clause_kinds:
                sensitive = any(k in SENSITIVE_KINDS for k in clause_kinds)
        groups.setdefault("sensitive_info_count" if sensitive else "personal_info_count", []).append(count)
    for field, group in groups.items():
        value, how, adds = total(group)
        previous = before.value(field)
        if all(c.role == "subset" for c in group) and previous and previous >= value:
            turn.notes.append(f"{field}: {previous:,} kept ({how or group[0].text}: part of the earlier count)")
            set_now.add(field)
            continue
        if adds and previous:
            how = f"{previous:,} + {value:,} = {previous + value:,}, added to the earlier count"
            value += previous
        phrases = ", ".join(c.text for c in group)
        qualifiers = {c.qualifier for c in group if c.qualifier}
        detail = "; ".join(p for p in (phrases, how, *(f"{q} the number stated" for q in qualifiers)) if p)
        turn.set(field, value, detail)
        set_now.add(field)
    _derive_counts(text, turn, kinds, set_now)


def _derive_counts(text: str, turn: _Turn, kinds: list[str], set_now: set[str]) -> None:
    """Counts the person stated implicitly: none at all, no sensitive data, or the same people's new data."""
    values = turn.values
    if not set_now and NO_PERSONAL_INFO.search(text):
        turn.set("personal_info_count", 0, "no personal information")
        turn.set("sensitive_info_count", 0, "no personal information")
        return
    if "sensitive_info_count" not in set_now and NO_SENSITIVE_INFO.search(text):
        turn.set("sensitive_info_count", 0, "no sensitive personal information")
        return
    sensitive_kinds = [k for k in kinds if k in SENSITIVE_KINDS]
    had_sensitive = any(k in SENSITIVE_KINDS for k in turn.base.data_kinds)
    people = values["personal_info_count"]
    new_sensitive = sensitive_kinds and not had_sensitive and not values["sensitive_info_count"]
    if new_sensitive and people and not set_now:
        turn.set("sensitive_info_count", people, f"the same {people:,} people, now with {sensitive_kinds[0]} data")
        return
    if people is not None and values["sensitive_info_count"] is None and kinds and not sensitive_kinds:
        turn.set("sensitive_info_count", 0, "the data kinds stated include no sensitive kind")
