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
