"""The deterministic rule checker: `check(facts) -> Determination`, pure (no I/O, no clock, no model).

The procedure follows ../shared/facts/national-rules.md: special regimes, important data, the Beijing
list (when one covers the processor on the transfer date), the exemptions of Provisions arts 3-5, the
CIIO rule and the volume ladder. Thresholds, texts and sources come from the rule packs.

When a deciding fact is unknown, the checker evaluates every value of it (`branches`); a fact whose
every value gives the same result is not deciding and is never asked for.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..answer.labels import fact_label, outcome_label, value_label
from ..determination import Branch, Change, Citation, Determination
from ..errors import FactsError
from ..facts import INDUSTRIES, SENSITIVE_KINDS, ZONES, Facts
from .loader import RuleBook
from .procedure import evaluate
from .run import Missing, Run
from .schema import Step

MAX_DEPTH = 4
"""How many unknown facts deep the branch search goes."""

NEUTRAL: dict[str, Any] = {"zone": "none", "industry": "other", "scenario": "other"}
"""The value evaluated for a fact that turns out not to decide the outcome."""


def check(
    facts: Facts,
    book: RuleBook,
    *,
    today: dt.date | None = None,
    lang: str = "en",
) -> Determination:
    """Decide which procedure a planned transfer needs.

    Args:
        facts: what is known; `None` fields are unknown.
        book: the loaded rule packs.
        today: the date used when `facts.transfer_date` is null (the caller's clock, never read here).
        lang: language of the texts, "en" or "zh".

    Returns:
        The determination, with reasons, citations, assumptions, branches, next steps and trace.

    Raises:
        FactsError: when the facts name unknown data kinds, scenarios or conditions, or no date is given,
            or no rule pack is in force on the transfer date.
    """
    day = facts.transfer_date or today
    if day is None:
        raise FactsError("transfer_date: unknown, and no date for today was given")
    _validate(facts, book)
    if book.national(day) is None:
        first = min((p.effective_from for p in book.packs.values() if p.kind == "national"), default=None)
        raise FactsError(
            f"transfer_date: no national rule pack is in force on {day.isoformat()}"
            + (f" (the loaded rules start on {first.isoformat()})" if first else "")
        )
    return _resolve(facts, book, day, lang, depth=0)


def _validate(facts: Facts, book: RuleBook) -> None:
    unknown_kinds = [k for k in facts.data_kinds if k not in book.data_kinds]
    if unknown_kinds:
        raise FactsError(f"data_kinds: unknown kind(s) {unknown_kinds}; known: {sorted(book.data_kinds)}")
    if facts.scenario is not None and facts.scenario not in book.scenarios:
        raise FactsError(f"scenario: unknown scenario '{facts.scenario}'; known: {sorted(book.scenarios)}")
    unknown_conditions = [c for c in facts.conditions if c not in book.conditions]
    if unknown_conditions:
        raise FactsError(f"conditions: unknown condition(s) {unknown_conditions}")


def _resolve(facts: Facts, book: RuleBook, day: dt.date, lang: str, depth: int) -> Determination:
    """Evaluate; on an unknown fact, evaluate each of its values and keep it only if it decides."""
    try:
        run = evaluate(facts, book, day, lang)
    except Missing as missing:
        return _branch(facts, book, day, lang, depth, missing)
    assert run.outcome is not None
    det = _finish(run, run.outcome)
    if depth == 0:
        det.would_change = _would_change(facts, book, day, lang, det.outcome, run)
    return det


def _branch(facts: Facts, book: RuleBook, day: dt.date, lang: str, depth: int, missing: Missing) -> Determination:
    name = missing.fact
    run = missing.run
    if depth >= MAX_DEPTH:
        return _finish(run, "needs_more_information", missing_facts=[name])
    values = _domain(name, facts, book, day)
    results = [(v, _resolve(facts.with_value(name, v), book, day, lang, depth + 1)) for v in values]
    if len({_signature(det) for _, det in results}) == 1:
        neutral = NEUTRAL.get(name, values[0])
        det = next((d for v, d in results if v == neutral), results[0][1])
        same = outcome_label(det.outcome, lang)
        note = (
            f"{fact_label(name, lang)}：未说明；无论取何值，结论相同（{same}）"
            if lang == "zh"
            else f"{fact_label(name, lang)}: not stated; every value gives the same outcome ({same})"
        )
        det.assumptions.insert(0, note)
        return det
    missing_facts = [name]
    for _, det in results:
        missing_facts.extend(f for f in det.missing_facts if f not in missing_facts)
    branches = [
        Branch(if_={name: v}, outcome=det.outcome, label=label) for v, det, label in _group(name, results, lang)
    ]
    return _finish(run, "needs_more_information", missing_facts=missing_facts, branches=branches)


def _signature(det: Determination) -> tuple[Any, ...]:
    return (det.outcome, tuple(det.missing_facts), tuple((b.label, b.outcome) for b in det.branches))


def _group(name: str, results: list[tuple[Any, Determination]], lang: str) -> list[tuple[Any, Determination, str]]:
    """One branch per value; for counts, one per range of values with the same outcome."""
    if name not in ("personal_info_count", "sensitive_info_count"):
        return [(v, det, value_label(name, v, lang)) for v, det in results]
    grouped: list[tuple[Any, Determination, str]] = []
    for i, (low, det) in enumerate(results):
        if grouped and grouped[-1][1].outcome == det.outcome and not det.missing_facts:
            continue
        nxt = next((v for v, d in results[i + 1 :] if d.outcome != det.outcome or d.missing_facts), None)
        if nxt is None:
            label = f"{low:,}+" if low else "any"
        elif nxt - 1 == low:
            label = f"{low:,}"
        else:
            label = f"{low:,}–{nxt - 1:,}"
        grouped.append((low, det, label))
    return grouped


def _domain(name: str, facts: Facts, book: RuleBook, day: dt.date) -> list[Any]:
    """The values an unknown fact can take, one per region where the outcome can differ."""
    if name == "zone":
        return list(ZONES)
    if name == "industry":
        return list(INDUSTRIES)
    if name == "scenario":
        listp = book.list_pack(day)
        field_id = facts.industry
        scenarios = [s for f in book.fields(listp) if f.id == field_id for s in f.scenarios] if listp else []
        return [*scenarios, "other"]
    if name in ("personal_info_count", "sensitive_info_count"):
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


def _finish(
    run: Run,
    outcome: str,
    missing_facts: list[str] | None = None,
    branches: list[Branch] | None = None,
) -> Determination:
    lang = run.lang
    packs = [run.national.pack] + ([run.listp.pack] if run.listp is not None else [])
    steps: list[Step] = []
    if outcome != "needs_more_information":
        if run.covering is not None:
            steps.extend(run.covering.next_steps.get(outcome, []))  # type: ignore[call-overload]
        steps.extend(run.steps)
        steps.extend(run.national.next_steps.get(outcome, []))  # type: ignore[call-overload]
    reasons = list(run.reasons)
    reason_sources = [list(s) for s in run.reason_sources]
    if missing_facts:
        names = "、".join if lang == "zh" else ", ".join
        listed = names(fact_label(m, lang) for m in missing_facts)
        reasons.append(
            f"结论取决于尚未说明的事实：{listed}"
            if lang == "zh"
            else f"The outcome depends on facts not stated: {listed}"
        )
        reason_sources.append([])
    citations: list[Citation] = []
    for src in [*run.citations, *(s for step in steps for s in step.sources)]:
        cite = Citation(doc=src.doc, article=src.article)
        if cite not in citations:
            citations.append(cite)
    book = run.book
    return Determination(
        outcome=outcome,
        rule_packs=packs,
        reasons=reasons,
        reason_citations=reason_sources,
        citations=citations,
        assumptions=list(dict.fromkeys(run.assumptions)),
        missing_facts=missing_facts or [],
        branches=branches or [],
        next_steps=[_step_text(step, book, lang) for step in steps],
        trace=run.trace,
        applied_list=run.covering.pack if run.covering is not None else None,
        transfer_date=run.day.isoformat(),
        language=lang,
    )


def _step_text(step: Step, book: RuleBook, lang: str) -> str:
    labels = []
    for src in step.sources:
        doc = book.registry.get(src.doc)
        labels.append(doc.label(src.article, lang) if doc else f"{src.doc} {src.article}")
    sep = "；" if lang == "zh" else "; "
    return f"{step.text.get(lang)} ({sep.join(labels)})" if labels else step.text.get(lang)


def _would_change(facts: Facts, book: RuleBook, day: dt.date, lang: str, outcome: str, run: Run) -> list[Change]:
    """Nearby facts that would give another outcome: higher counts, flipped assumptions, another zone."""
    candidates: list[tuple[str, Any]] = []
    effective = run.facts
    for name in ("sensitive_info_count", "personal_info_count"):
        current = effective.value(name)
        if isinstance(current, int):
            candidates.extend((name, b) for b in sorted(_boundaries(name, book, day)) if b > current)
    for name in ("ciio", "important_data"):
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
            other = _resolve(changed, book, day, lang, depth=MAX_DEPTH - 1).outcome
        except FactsError:
            continue
        if other in (outcome, last.get(name), "needs_more_information"):
            continue
        last[name] = other
        changes.append(Change(if_={name: value}, outcome=other, text=_change_text(name, value, other, lang)))
    return changes


def _change_text(name: str, value: Any, outcome: str, lang: str) -> str:
    result = outcome_label(outcome, lang)
    if name in ("sensitive_info_count", "personal_info_count"):
        if lang == "zh":
            return f"{fact_label(name, lang)}达到{value:,}人或以上：{result}"
        return f"{value:,} or more {fact_label(name, lang)}: {result}"
    if name == "data_kinds":
        return f"如涉及基因数据：{result}" if lang == "zh" else f"If genetic data is included: {result}"
    if name in _FLIP_TEXT:
        return f"{_FLIP_TEXT[name][lang]}：{result}" if lang == "zh" else f"{_FLIP_TEXT[name][lang]}: {result}"
    shown = value_label(name, value, lang)
    return f"如{shown}：{result}" if lang == "zh" else f"If {shown}: {result}"


_FLIP_TEXT: dict[str, dict[str, str]] = {
    "ciio": {
        "en": "If you are designated a critical information infrastructure operator",
        "zh": "如被认定为关键信息基础设施运营者",
    },
    "important_data": {
        "en": "If any of the data is notified or published as important data",
        "zh": "如部分数据被告知或公开发布为重要数据",
    },
}
