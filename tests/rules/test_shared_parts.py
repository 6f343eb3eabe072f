"""The parts the checker makes once and shares (rules by id, citations, next-step messages): the same as made afresh."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant import Facts, RuleBook, check
from assistant.determination import Citation
from assistant.rules.run import cite, step_message
from assistant.rules.schema import Source, pack_key

DAY = dt.date(2026, 11, 27)


def test_national_rules_by_id_are_the_first_of_each_id(rulebook: RuleBook) -> None:
    national = rulebook.national(DAY)
    assert national is not None
    by_id = rulebook.national_rules(national)
    assert set(by_id) == {rule.id for rule in national.rules}
    for rule_id, rule in by_id.items():
        assert rule is next(r for r in national.rules if r.id == rule_id)


def test_citations_are_equal_to_new_ones_and_shared() -> None:
    sources = [
        Source(doc="pipl", article="38", note="a note the citation leaves out"),
        Source(doc="pipl", article="38"),
    ]
    first, second = cite(sources)
    assert first == Citation(doc="pipl", article="38")
    assert first is second  # frozen: one instance serves every evaluation


def test_fields_are_copies_of_what_is_kept(rulebook: RuleBook) -> None:
    listp = rulebook.list_pack(DAY)
    assert listp is not None
    fields = rulebook.fields(listp)
    fields.clear()
    assert rulebook.fields(listp), "changing the returned list must not change the rule book"


def test_next_step_messages_equal_the_ones_made_afresh(rulebook: RuleBook) -> None:
    facts = Facts(zone="none", industry="retail", personal_info_count=150_000, sensitive_info_count=0)
    det = check(facts, rulebook, today=DAY)
    again = check(facts, rulebook, today=DAY)
    assert det.next_step_keys == again.next_step_keys
    national = rulebook.national(DAY)
    assert national is not None
    fresh = [
        step_message(pack_key(national.pack, "next_steps", det.outcome, str(n)), step)
        for n, step in enumerate(national.next_steps.get(det.outcome, []))
        if step.in_force(DAY)
    ]
    assert fresh, "the national pack has next steps for this outcome"
    assert det.next_step_keys[-len(fresh) :] == fresh


def _fresh_book() -> RuleBook:
    from assistant import load_rulebook
    from tests.rules.conftest import DOCUMENTS, RULES_DIR

    return load_rulebook(RULES_DIR, DOCUMENTS)


def test_kept_evaluations_give_the_determinations_made_afresh(rulebook: RuleBook) -> None:
    """Undecided (branches, the question), decided with changes, and a list item: each the same from a book that
    has evaluated it before as from a new book, and a determination changed by its reader changes no later one."""
    cases = [
        Facts(zone="beijing_ftz", industry="automotive", data_kinds=["ota_upgrade"]),
        Facts(zone="none", industry="retail", personal_info_count=90_000, sensitive_info_count=0),
        Facts(zone="beijing", personal_info_count=300, sensitive_info_count=0),
    ]
    for facts in cases:
        first = check(facts, rulebook, today=DAY)
        first.trace.clear()
        first.assumption_keys.clear()
        kept = check(facts, rulebook, today=DAY)
        assert kept == check(facts, _fresh_book(), today=DAY)
        assert kept.trace and kept.assumption_keys


def test_the_kept_evaluations_are_bounded(rulebook: RuleBook, monkeypatch: pytest.MonkeyPatch) -> None:
    book = _fresh_book()
    monkeypatch.setattr("assistant.rules.book.EVALUATIONS_KEPT", 3)
    for count in range(1, 40):
        check(Facts(zone="none", industry="retail", personal_info_count=count * 5_000), book, today=DAY)
        assert len(book._evaluations) <= 3
