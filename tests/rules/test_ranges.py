"""A count given as a range decides only when both of its ends give the same outcome."""

from __future__ import annotations

import datetime as dt

from assistant.facts import Facts
from assistant.rules import RuleBook, check

DAY = dt.date(2026, 11, 30)


def _facts(low: int, high: int) -> Facts:
    return Facts(
        zone="beijing", industry="other", personal_info_count=high, sensitive_info_count=0,
        count_ranges={"personal_info_count": (low, high)},
    )  # fmt: skip


def test_a_range_within_one_band_decides_and_says_so(rulebook: RuleBook) -> None:
    det = check(_facts(20_000, 90_000), rulebook, today=DAY)
    assert det.outcome == "exempt"
    assert det.assumption_keys[0].key == "assumption.count_range"


def test_a_range_across_a_threshold_asks_for_the_number(rulebook: RuleBook) -> None:
    det = check(_facts(60_000, 150_000), rulebook, today=DAY)
    assert det.outcome == "needs_more_information"
    assert det.missing_facts[0] == "personal_info_count"
    assert det.assumption_keys[0].key == "assumption.count_range_open"


def test_a_later_exact_number_replaces_the_range(rulebook: RuleBook) -> None:
    facts = _facts(60_000, 150_000).model_copy(update={"personal_info_count": 70_000})
    assert check(facts, rulebook, today=DAY).outcome == "exempt"
