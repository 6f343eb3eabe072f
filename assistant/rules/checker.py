"""The deterministic rule checker: `check(facts) -> Determination`, pure (no I/O, no clock, no model).

The procedure follows ../shared/facts/national-rules.md: special regimes, important data, the Beijing
list (when one covers the processor on the transfer date), the exemptions of Provisions arts 3-5, the
CIIO rule and the volume ladder. Thresholds, texts and sources come from the rule packs.

When a deciding fact is unknown, the checker evaluates every value of it (`branches`); a fact whose
every value gives the same result is not deciding and is never asked for. Of the deciding facts, the one
asked first (`missing_facts[0]`, `question`) is the one whose answer changes the outcome most.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..determination import Branch, Change, Determination, Message
from ..errors import FactsError
from ..facts import COUNT_FACTS, INDUSTRIES, OTHER_SCENARIO, SENSITIVE_KINDS, ZONES, Facts
from .assemble import finish
from .book import RuleBook
from .procedure import evaluate
from .question import branch_label, count_ranges, question_for, signature, spread
from .run import Missing, Run, cite, value_message
from .schema import pack_key

MAX_DEPTH = 5
"""How many unknown facts deep the branch search goes: zone, industry, scenario and both counts, so that an
outcome every value reaches (an exemption by purpose, wherever and whatever the company) is found, not asked."""

NEUTRAL: dict[str, Any] = {"zone": "none", "industry": "other", "scenario": OTHER_SCENARIO}
"""The value evaluated for a fact that turns out not to decide the outcome."""

FLIPPABLE = ("ciio", "important_data")
"""Facts assumed `no` by law until notified, whose `yes` is worth showing as what would change the outcome."""


def check(
    facts: Facts,
    book: RuleBook,
    *,
    today: dt.date | None = None,
) -> Determination:
    """Decide which procedure a planned transfer needs.

    Args:
        facts: what is known; `None` fields are unknown.
        book: the loaded rule packs.
        today: the date used when `facts.transfer_date` is null (the caller's clock, never read here).

    Returns:
        The determination in no language: reasons, assumptions, branches, changes and next steps as
        messages (`*_keys`, `label_key`, `text_key`), with citations and trace; the answer layer renders
        them in Chinese or English.

    Raises:
        FactsError: when the facts name unknown data kinds, scenarios or conditions, or no date is given,
            or no rule pack is in force on the transfer date.
    """
    day = facts.transfer_date or today
    if day is None:
        raise FactsError("transfer_date: unknown, and no date for today was given")
    _validate(facts, book)
    if book.national(day) is None:
        return _before_rules(book, day)
    if facts.industry is None and facts.zone == "none":
        return _not_a_sector_processor(facts, book, day)
    for name in facts.approximate_counts:
        count = facts.value(name)
        if isinstance(count, int) and _near_threshold(facts, name, book, day):
            margin = approximate_margin(count)
            det = _resolve(facts.with_value(name, None), book, day, depth=0)
            if det.outcome == "needs_more_information":
                said = Message(
                    key="assumption.approximate_count",
                    params={
                        "fact": Message(key=f"fact.{name}"),
                        "count": count,
                        "low": count - margin,
                        "high": count + margin,
                    },
                )
                det.assumption_keys.insert(0, said)
                return det
    det = _resolve(facts, book, day, depth=0)
    for name in facts.at_most_counts:
        count = facts.value(name)
        if not isinstance(count, int) or count < 1:
            continue
        if _outcome(facts.with_value(name, 1), book, day, 1) != det.outcome:
            det = _resolve(facts.with_value(name, None), book, day, depth=0)
            if det.outcome == "needs_more_information":
                det.assumption_keys.insert(0, _at_most(name, count, "assumption.at_most_count_open"))
                return det
            det = _resolve(facts, book, day, depth=0)
        det.assumption_keys.insert(0, _at_most(name, count, "assumption.at_most_count"))
    for name, (low, high) in facts.count_ranges.items():
        if facts.value(name) != high or low >= high:
            continue  # a later turn gave the number itself
        span: dict[str, object] = {"fact": Message(key=f"fact.{name}"), "low": low, "high": high}
        if _outcome(facts.with_value(name, low), book, day, 1) != det.outcome:
            det = _resolve(facts.with_value(name, None), book, day, depth=0)
            det.assumption_keys.insert(0, Message(key="assumption.count_range_open", params=span))
            return det
        det.assumption_keys.insert(0, Message(key="assumption.count_range", params=span))
    return det


def _not_a_sector_processor(facts: Facts, book: RuleBook, day: dt.date) -> Determination:
    """Outside every list's zone the sector matters only to the sector rules (automotive data): a company that
    names no such business is taken as none, as it is taken as no CIIO until notified, and the answer says so
    when that sector would decide otherwise."""
    det = check(facts.with_value("industry", NEUTRAL["industry"]), book, today=day)
    sectors = {i for pack in book.packs.values() if pack.kind == "sector" for i in pack.industries}
    for industry in sorted(sectors):
        other = check(facts.with_value("industry", industry), book, today=day)
        if other.outcome != det.outcome:
            said = Message(
                key="assumption.no_sector_rules", params={"industry": Message(key=f"value.industry.{industry}")}
            )
            det.assumption_keys.insert(0, said)
            break
    return det


def _at_most(name: str, count: int, key: str) -> Message:
    return Message(key=key, params={"fact": Message(key=f"fact.{name}"), "count": count})


APPROXIMATE = 0.1
"""The widest margin of a number given approximately ("about 100,000"): 10% either way."""


def approximate_margin(value: int) -> int:
    """How far an approximate count may be off: one unit of its last significant digit ("about 46,000" is
    45,000 to 47,000, "about 9,500" 9,400 to 9,600), at most 10% of it ("about 100,000": 90,000 to 110,000)."""
    unit = 1
    while value % (unit * 10) == 0:
        unit *= 10
    return min(unit, int(value * APPROXIMATE))


def _near_threshold(facts: Facts, name: str, book: RuleBook, day: dt.date) -> bool:
    """Whether an approximate count lies so near a threshold that the outcome differs within its margin."""
    value = facts.value(name)
    if not isinstance(value, int) or not value:
        return False
    margin = approximate_margin(value)
    outcomes = {_outcome(facts.with_value(name, n), book, day, 1) for n in (value - margin, value + margin)}
    return len(outcomes) > 1


def _before_rules(book: RuleBook, day: dt.date) -> Determination:
    """A transfer dated before the national rules the packs hold: informational, with the reason."""
    first = min((p for p in book.packs.values() if p.kind == "national"), key=lambda p: p.effective_from, default=None)
    if first is None or day > first.effective_from:
        raise FactsError(f"transfer_date: no national rule pack is in force on {day.isoformat()}")
    reason = Message(
        key="reason.before_rules",
        params={
            "date": day.isoformat(),
            "title": Message(key=pack_key(first.pack, "pack", "-", "title")),
            "since": first.effective_from.isoformat(),
        },
    )
    cites = cite(first.sources)
    return Determination(
        outcome="informational",
        rule_packs=[],
        reason_keys=[reason],
        reason_citations=[cites],
        citations=cites,
        transfer_date=day.isoformat(),
    )


def _validate(facts: Facts, book: RuleBook) -> None:
    unknown_kinds = [k for k in facts.data_kinds if k not in book.data_kinds]
    if unknown_kinds:
        raise FactsError(f"data_kinds: unknown kind(s) {unknown_kinds}; known: {sorted(book.data_kinds)}")
    if facts.scenario is not None and facts.scenario not in book.scenarios:
        raise FactsError(f"scenario: unknown scenario '{facts.scenario}'; known: {sorted(book.scenarios)}")
    unknown_conditions = [c for c in facts.conditions if c not in book.conditions]
    if unknown_conditions:
        raise FactsError(f"conditions: unknown condition(s) {unknown_conditions}")


def _resolve(facts: Facts, book: RuleBook, day: dt.date, depth: int) -> Determination:
    """Evaluate; on an unknown fact, evaluate each of its values and keep it only if it decides."""
    try:
        run = _evaluate(facts, book, day)
    except Missing as missing:
        return _branch(facts, book, day, depth, missing)
    assert run.outcome is not None
    det = finish(run, run.outcome)
    if depth == 0:
        det.would_change = _reading_branches(facts, book, day, run) + _would_change(facts, book, day, det.outcome, run)
    return det


def _evaluate(facts: Facts, book: RuleBook, day: dt.date, *, readings: bool = True) -> Run:
    """`evaluate`, kept by the book: the same facts on the same day always give the same run (or missing fact).

    Runs are read, never changed, once evaluated; a `Missing` is raised anew from its kept fact and run.
    """

    def attempt() -> Run | tuple[str, Run]:
        try:
            return evaluate(facts, book, day, readings=readings)
        except Missing as missing:
            return (missing.fact, missing.run)

    found: Run | tuple[str, Run] = book.evaluation((facts.model_dump_json(), day, readings), attempt)
    if isinstance(found, tuple):
        raise Missing(*found)
    return found


def _reading_branches(facts: Facts, book: RuleBook, day: dt.date, run: Run) -> list[Change]:
    """For each reading that decided the outcome, the outcome if the reading does not hold."""
    if not run.sectors:
        return []
    try:
        other = _evaluate(facts, book, day, readings=False).outcome
    except Missing:
        other = "needs_more_information"
    if other is None or other == run.outcome:
        return []
    text = Message(key="change.reading", params={"outcome": Message(key=f"outcome.{other}")})
    return [Change(if_={"reading": "sector-important-data", "holds": False}, outcome=other, text_key=text)]


def _branch(facts: Facts, book: RuleBook, day: dt.date, depth: int, missing: Missing) -> Determination:
    name = missing.fact
    run = missing.run
    if depth >= MAX_DEPTH:
        return finish(run, "needs_more_information", missing_facts=[name])
    values = _domain(name, facts, book, day)
    results = [(v, _resolve(facts.with_value(name, v), book, day, depth + 1)) for v in values]
    if len({signature(det) for _, det in results}) == 1:
        neutral = NEUTRAL.get(name, values[0])
        det = next((d for v, d in results if v == neutral), results[0][1])
        params = {"fact": Message(key=f"fact.{name}"), "outcome": Message(key=f"outcome.{det.outcome}")}
        same = Message(key="assumption.every_value_same", params=params)
        det = det.model_copy(update={"assumption_keys": [same, *det.assumption_keys]})
        return _ask(facts, book, day, det) if depth == 0 and det.outcome == "needs_more_information" else det
    missing_facts = [name]
    for _, det in results:
        missing_facts.extend(f for f in det.missing_facts if f not in missing_facts)
    branches = [Branch(if_={name: v}, outcome=det.outcome, label_key=label) for v, det, label in _group(name, results)]
    det = finish(run, "needs_more_information", missing_facts=missing_facts, branches=branches)
    return _ask(facts, book, day, det, results) if depth == 0 else det


Results = list[tuple[Any, Determination]]


def _ask(facts: Facts, book: RuleBook, day: dt.date, det: Determination, first: Results | None = None) -> Determination:
    """The undecided determination with the one question to ask first, its branches and its options.

    Args:
        first: the results of `det.missing_facts[0]`'s values, when already evaluated.
    """
    name, results = _most_deciding(facts, book, day, det.missing_facts, first)
    order = [name, *(f for f in det.missing_facts if f != name)]
    branches = [Branch(if_={name: v}, outcome=d.outcome, label_key=label) for v, d, label in _group(name, results)]
    depends = Message(key="reason.depends_on", params={"facts": [Message(key=f"fact.{f}") for f in order]})
    reasons = [depends if m.key == "reason.depends_on" else m for m in det.reason_keys]
    update = {"missing_facts": order, "branches": branches, "reason_keys": reasons}
    return det.model_copy(update={**update, "question": question_for(name, results)})


def _most_deciding(
    facts: Facts, book: RuleBook, day: dt.date, candidates: list[str], first: Results | None
) -> tuple[str, Results]:
    """The fact to ask, with its values' results: the one whose answer changes the outcome most.

    A fact whose answer changes the outcome beats one whose answer changes nothing; then one the person did not
    give beats one they gave (asked only when the checker doubts it: a count of 0 beside sensitive data named);
    then the most distinct outcomes across its values; ties go to the checker's evaluation order (`candidates`).
    """
    scored: list[tuple[tuple[bool, bool, int, int], str]] = []
    for i, name in enumerate(candidates):
        if i == 0 and first is not None:
            n = spread(first)
        else:
            n = len({_outcome(facts.with_value(name, v), book, day, 1) for v in _domain(name, facts, book, day)})
        scored.append(((n > 1, facts.value(name) is None, n, -i), name))
    name = max(scored)[1]
    if first is not None and name == candidates[0]:
        return name, first
    return name, [(v, _resolve(facts.with_value(name, v), book, day, 1)) for v in _domain(name, facts, book, day)]


def _outcome(facts: Facts, book: RuleBook, day: dt.date, depth: int) -> str:
    """`_resolve(facts, book, day, depth).outcome` for a depth of 1 or more, found faster: no determination is
    assembled, and the search stops at the first value that leaves it undecided."""
    try:
        run = _evaluate(facts, book, day)
    except Missing as missing:
        if depth >= MAX_DEPTH:
            return "needs_more_information"
        seen: set[str] = set()
        for value in _domain(missing.fact, facts, book, day):
            seen.add(_outcome(facts.with_value(missing.fact, value), book, day, depth + 1))
            if len(seen) > 1 or "needs_more_information" in seen:
                return "needs_more_information"
        return seen.pop()
    assert run.outcome is not None
    return run.outcome


def _group(name: str, results: list[tuple[Any, Determination]]) -> list[tuple[Any, Determination, Message]]:
    """One branch per value; for counts, one per range of values with the same outcome."""
    if name not in COUNT_FACTS:
        return [(v, det, _value(name, v)) for v, det in results]
    return [(r.low, r.det, branch_label(r)) for r in count_ranges(results)]


def _domain(name: str, facts: Facts, book: RuleBook, day: dt.date) -> list[Any]:
    """The values an unknown fact can take, one per region where the outcome can differ."""
    if name == "zone":
        return list(ZONES)
    if name == "industry":
        return list(INDUSTRIES)
    if name == "scenario":
        listp = book.list_for(day, facts.zone, facts.other_zone, facts.industry)
        field_id = facts.industry
        scenarios = [s for f in book.fields(listp) if f.id == field_id for s in f.scenarios] if listp else []
        return [*scenarios, OTHER_SCENARIO]
    if name in COUNT_FACTS:
        values = sorted({0, 1, *_boundaries(name, book, day)})
        if name == "sensitive_info_count" and set(facts.data_kinds) & set(SENSITIVE_KINDS):
            return values[1:]  # sensitive data was named: at least one person
        return values
    return [True, False]


def _boundaries(name: str, book: RuleBook, day: dt.date) -> set[int]:
    """Every count at which some rule in force starts to apply."""
    national = book.national(day)
    points: set[int] = set()
    key = "personal" if name == "personal_info_count" else "sensitive"
    for rule in national.rules if national else []:
        for label, value in rule.thresholds.items():
            if label.startswith(key):
                points.add(value)
    listp = book.list_pack(day)
    for item in book.items(listp) if listp else []:
        if item.threshold is not None and item.threshold.fact in (name, "individuals"):
            points.add(item.threshold.boundary)
    return points


# ---------------------------------------------------------------- the determination


def _would_change(facts: Facts, book: RuleBook, day: dt.date, outcome: str, run: Run) -> list[Change]:
    """Nearby facts that would give another outcome: higher counts, flipped assumptions, another zone."""
    candidates: list[tuple[str, Any]] = []
    effective = run.facts
    for name in reversed(COUNT_FACTS):
        current = effective.value(name)
        if isinstance(current, int):
            candidates.extend((name, b) for b in sorted(_boundaries(name, book, day)) if b > current)
    for name in FLIPPABLE:
        if facts.value(name) is None:
            candidates.append((name, True))
    if outcome == "outside_negative_list" and "genetic" not in facts.data_kinds:
        candidates.append(("data_kinds", [*facts.data_kinds, "genetic"]))
    if run.covering is not None:
        candidates.append(("zone", "none"))
    elif facts.zone in ("none", "other_ftz") and book.list_pack(day) is not None:
        candidates.append(("zone", "beijing"))
    changes: list[Change] = []
    last: dict[str, str] = {}
    for name, value in candidates:
        changed = facts.with_value(name, value)
        if name == "personal_info_count" and facts.personal_info_count is None:
            continue
        try:
            other = _outcome(changed, book, day, MAX_DEPTH - 1)
        except FactsError:
            continue
        if other in (outcome, last.get(name), "needs_more_information"):
            continue
        last[name] = other
        changes.append(Change(if_={name: value}, outcome=other, text_key=_change_text(name, value, other)))
    return changes


def _change_text(name: str, value: Any, outcome: str) -> Message:
    result = Message(key=f"outcome.{outcome}")
    if name in COUNT_FACTS:
        return Message(
            key="change.count_from", params={"fact": Message(key=f"fact.{name}"), "count": value, "outcome": result}
        )
    if name == "data_kinds":
        return Message(key="change.genetic", params={"outcome": result})
    if name in FLIPPABLE:
        return Message(key=f"change.{name}", params={"outcome": result})
    return Message(key="change.value", params={"value": _value(name, value), "outcome": result})


def _value(name: str, value: Any) -> Message:
    shown = value_message(name, value)
    return shown if isinstance(shown, Message) else Message(key="fmt.number", params={"n": shown})
