"""A count given approximately decides only when the outcome is the same within its margin."""

from __future__ import annotations

import datetime as dt

from assistant.facts import Facts
from assistant.rules import RuleBook, check

DAY = dt.date(2026, 11, 30)


def _facts(count: int) -> Facts:
    return Facts(
        zone="beijing", industry="other", personal_info_count=count, sensitive_info_count=0,
        approximate_counts=["personal_info_count"],
    )  # fmt: skip


def test_about_a_threshold_asks_for_the_number(rulebook: RuleBook) -> None:
    det = check(_facts(100_000), rulebook, today=DAY)
    assert det.outcome == "needs_more_information"
    assert det.missing_facts[0] == "personal_info_count"
    assert det.assumption_keys[0].key == "assumption.approximate_count"


def test_far_from_a_threshold_decides(rulebook: RuleBook) -> None:
    assert check(_facts(40_000), rulebook, today=DAY).outcome == "exempt"
    assert check(_facts(400_000), rulebook, today=DAY).outcome == "standard_contract_or_certification"


def test_the_margin_is_the_precision_the_number_was_given_with() -> None:
    from assistant.rules.checker import approximate_margin

    assert approximate_margin(46_000) == 1_000  # "about 46,000": 45,000 to 47,000
    assert approximate_margin(9_500) == 100
    assert approximate_margin(100_000) == 10_000  # a round number: at most 10%
    assert approximate_margin(50_000) == 5_000
    assert approximate_margin(12_345) == 1


def test_about_a_number_one_digit_below_a_threshold_decides(rulebook: RuleBook) -> None:
    assert check(_facts(95_000), rulebook, today=DAY).outcome == "exempt"
    det = check(_facts(100_000), rulebook, today=DAY)
    assert [m.params.get("low") for m in det.assumption_keys[:1]] == [90_000]


def _records(count: int) -> Facts:
    return Facts(
        zone="beijing", industry="other", personal_info_count=count, sensitive_info_count=0,
        at_most_counts=["personal_info_count"],
    )  # fmt: skip


def test_records_decide_when_every_number_of_people_up_to_them_gives_the_same_outcome(rulebook: RuleBook) -> None:
    det = check(_records(60_000), rulebook, today=DAY)
    assert det.outcome == "exempt"
    assert det.assumption_keys[0].key == "assumption.at_most_count"


def test_records_ask_for_the_people_when_the_outcome_depends_on_them(rulebook: RuleBook) -> None:
    det = check(_records(600_000), rulebook, today=DAY)
    assert det.outcome == "needs_more_information"
    assert det.missing_facts[0] == "personal_info_count"
    assert det.assumption_keys[0].key == "assumption.at_most_count_open"
