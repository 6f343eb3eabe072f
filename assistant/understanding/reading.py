"""One turn's facts read on top of the earlier turns': context, data kinds, counts, flags and dates."""

from __future__ import annotations

import re
from typing import Any

from ..facts import COUNT_FACTS, SENSITIVE_KINDS, Facts
from .counts import Count, find_counts, total, unknown_earlier
from .dates import find_dates
from .exemptions import find_exemption, find_necessity
from .flags import find_flags
from .kinds import NO_PERSONAL_INFO, NO_SENSITIVE_INFO, read_kinds
from .places import find_zone, ftz_without_city
from .text import clause_bounds, words
from .vocabulary import (
    HEALTH_SCENARIOS,
    INDUSTRY_PATTERNS,
    PHARMA_SCENARIOS,
    RD_WORDS,
    SCENARIO_PATTERNS,
    SCENARIO_UNSURE,
    TRIAL_WORDS,
    first_match,
)

CORRECTION = words(
    r"\b(?:actually|sorry|correction|i mean|i meant|rather|instead|update|to correct|in fact|wait)\b"
    r"|其实|不对|更正|纠正|应该是|实际上|抱歉|说错了|改为|准确地说|不好意思",
    re.IGNORECASE,
)
HYPOTHETICAL = words(r"\b(?:what if|if it'?s|if it is|if we|suppose|assuming)\b|如果|假如|要是|假设", re.IGNORECASE)
FLAG_FACTS = frozenset({"ciio", "state_organ", "important_data", "foreign_judicial_request"})
"""Yes/no facts about the processor or the data; the other facts describe a particular transfer."""


class Turn:
    """The facts of one turn being built on top of the previous ones, with notes."""

    def __init__(self, base: Facts) -> None:
        self.base = base
        self.values: dict[str, Any] = base.model_dump()
        self.notes: list[str] = []
        self.stated = False
        self.names: set[str] = set()
        self.counted = False

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
        self.names.add(name)

    @property
    def situation(self) -> bool:
        """Whether the turn described a transfer: its data, counts, place, sector, purpose or date."""
        return self.counted or bool(self.names - FLAG_FACTS)

    def facts(self) -> Facts:
        """The merged facts."""
        return Facts.model_validate(self.values)


def _shown(value: Any) -> str:
    """A value as the facts panel shows it (counts with thousands separators)."""
    return f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else str(value)


def read_turn(text: str, turn: Turn) -> None:
    """Read every kind of fact from the message into the turn."""
    _read_context(text, turn)
    found = read_kinds(text)
    kinds = [k for k in turn.base.data_kinds if k not in found.absent]
    for kind, evidence in found.stated.items():
        if kind not in kinds:
            kinds.append(kind)
            turn.notes.append(f"data_kinds: + {kind} ({evidence})")
    for kind, evidence in found.absent.items():
        if kind in turn.base.data_kinds:
            turn.notes.append(f"data_kinds: − {kind} (not included: {evidence})")
    scenario = turn.values["scenario"]
    if not kinds and not found.other_personal and scenario in HEALTH_SCENARIOS and not NO_PERSONAL_INFO.search(text):
        kinds.append("health")
        turn.notes.append(f"data_kinds: + health (the data of a {scenario} scenario)")
    if found.stated or found.absent or kinds != turn.base.data_kinds:
        turn.stated = True
        turn.names.add("data_kinds")
    turn.values["data_kinds"] = kinds
    _read_counts(text, turn, kinds, bool(found.other_personal))
    for flag in find_flags(text):
        turn.set(flag.name, flag.value, flag.evidence)
    if turn.values["state_organ"] and turn.values["industry"] is None:
        turn.set("industry", "other", "a state organ")
    dates = find_dates(text)
    if dates:
        last = dates[-1]
        turn.set("transfer_date", last.value, last.text + ("" if last.day_stated else "; day not stated: 1st taken"))


def _read_context(text: str, turn: Turn) -> None:
    """Zone, industry, scenario and exemption basis."""
    zone = find_zone(text)
    if zone is not None:
        turn.set("zone", zone.zone, zone.evidence)
    elif ftz_without_city(text):
        turn.notes.append("zone: an FTZ is named but not which one; not set")
    industry = first_match(INDUSTRY_PATTERNS, text, self_only=frozenset({"other"}))
    if industry is not None:
        turn.set("industry", industry[0], industry[1])
    scenario = first_match(SCENARIO_PATTERNS, text)
    if scenario is None and turn.values["industry"] == "pharmaceutical":
        if rd := RD_WORDS.search(text):
            scenario = ("drug_rd", rd.group(0))
        elif trial := TRIAL_WORDS.search(text):
            scenario = ("clinical_trial", trial.group(0))
    unsure = SCENARIO_UNSURE.search(text)
    if scenario is not None and unsure:
        turn.notes.append(f"scenario: not set ({unsure.group(0)}: {scenario[1]} may not be the whole of it)")
    elif scenario is not None:
        turn.set("scenario", scenario[0], scenario[1])
        if scenario[0] in PHARMA_SCENARIOS and turn.values["industry"] is None:
            turn.set("industry", "pharmaceutical", f"implied by {scenario[1]}")
    exemption = find_exemption(text)
    if exemption is not None and exemption.candidate is not None:
        turn.set("exemption_candidate", exemption.candidate, exemption.evidence)
    elif exemption is not None and exemption.basis is None:
        turn.notes.append(f"exemption_basis: not set ({exemption.evidence})")
    elif exemption is not None:
        turn.set("exemption_basis", exemption.basis, exemption.evidence)
        if turn.values.get("exemption_candidate") is not None:
            turn.set("exemption_candidate", None, "the basis is now stated")
    necessity = find_necessity(text)
    if necessity is not None:
        turn.set("purpose_necessary", necessity[0], necessity[1])


def _read_counts(text: str, turn: Turn, kinds: list[str], other_personal: bool) -> None:
    """People counts: by kind (sensitive or not), cumulative sums, corrections and derived zeros."""
    skip = [(d.start, d.end) for d in find_dates(text)]
    counts = find_counts(text, skip)
    for count in counts:
        if count.uncertain and count.attached:
            turn.notes.append(f"count: {count.text} is one end of a range; the count is left unknown")
    counts = [c for c in counts if not c.uncertain]
    attached = [c for c in counts if c.attached]
    turn.counted = bool(attached)
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
            clause_kinds = read_kinds(text[start:end]).stated
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
    earlier = unknown_earlier(text)
    if earlier is not None:
        fields = set_now or {f for f in COUNT_FACTS if before.value(f)}
        why = f"earlier transfers this year of unknown size ({earlier}): the year's total is unknown"
        for field in sorted(fields or {"personal_info_count"}):
            turn.set(field, None, why)
        set_now |= fields or {"personal_info_count"}
    _derive_counts(text, turn, kinds, set_now, other_personal)


def _derive_counts(text: str, turn: Turn, kinds: list[str], set_now: set[str], other_personal: bool) -> None:
    """Counts the person stated implicitly: none at all, no sensitive data, or the same people's new data."""
    values = turn.values
    if not set_now and NO_PERSONAL_INFO.search(text):
        for name in COUNT_FACTS:
            turn.set(name, 0, "no personal information")
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
    named = bool(kinds or other_personal) and not sensitive_kinds
    counted = people is not None or "personal_info_count" in set_now  # stated, or stated as unknown this turn
    if counted and named and values["sensitive_info_count"] is None:
        turn.set("sensitive_info_count", 0, "the data kinds stated include no sensitive kind")
