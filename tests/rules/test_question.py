"""The follow-up question: the unknown fact whose answer changes the outcome most, with 2-5 options."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from assistant import Facts, RuleBook, check
from assistant.answer.render import render_determination
from assistant.determination import Determination

from .test_golden import CASES, DEFAULT_TODAY

TODAY = dt.date(2026, 11, 27)


def decide(rulebook: RuleBook, **facts: Any) -> Determination:
    return check(Facts.model_validate(facts), rulebook, today=TODAY)


def labels(det: Determination, lang: str, rulebook: RuleBook) -> list[str]:
    rendered = render_determination(det, rulebook, lang)
    assert rendered.question is not None
    return [o.label for o in rendered.question.options]


@pytest.mark.parametrize(("filename", "case"), CASES)
def test_every_undecided_golden_case_asks_one_given_or_unknown_fact_with_2_to_5_options(
    filename: str, case: dict[str, Any], rulebook: RuleBook
) -> None:
    today = dt.date.fromisoformat(str(case.get("today", DEFAULT_TODAY)))
    facts = Facts.model_validate(case["facts"])
    det = check(facts, rulebook, today=today)
    if det.outcome != "needs_more_information":
        assert det.question is None
        return
    assert det.question is not None and det.question.fact == det.missing_facts[0]
    assert 2 <= len(det.question.options) <= 5
    assert len({o.outcome for o in det.question.options}) >= 2, "the question changes the outcome"
    branch_outcomes = {b.outcome for b in det.branches}
    assert {o.outcome for o in det.question.options} <= branch_outcomes
    others = [f for f in det.missing_facts[1:] if facts.value(f) is None]
    if facts.value(det.missing_facts[0]) is not None:  # asked again only when the checker doubts it
        assert not others


def test_the_fact_whose_answer_settles_most_is_asked_before_one_that_settles_nothing(rulebook: RuleBook) -> None:
    det = decide(rulebook)  # nothing known: only the sensitive count can settle the outcome on its own
    assert det.missing_facts[0] == "sensitive_info_count"
    assert {"zone", "industry", "personal_info_count"} <= set(det.missing_facts[1:])
    assert det.question is not None and det.question.kind == "count"
    assert det.question.options[-1].outcome == "security_assessment"


def test_ties_keep_the_checkers_order(rulebook: RuleBook) -> None:
    det = decide(rulebook, industry="pharmaceutical", scenario="clinical_trial", sensitive_info_count=30000)
    assert det.missing_facts == ["zone"]
    assert det.question is not None and det.question.kind == "choice"
    assert [o.value for o in det.question.options] == ["beijing_ftz", "beijing", "other_ftz", "none"]
    assert labels(det, "en", rulebook)[0] == "registered in the Beijing FTZ"
    assert labels(det, "zh", rulebook)[0] == "在北京自贸试验区注册"


def test_a_given_fact_is_never_asked(rulebook: RuleBook) -> None:
    for facts in ({"zone": "beijing_ftz"}, {"zone": "none", "personal_info_count": 5000}, {"industry": "retail"}):
        det = decide(rulebook, **facts)
        assert det.outcome == "needs_more_information"
        assert not set(facts) & set(det.missing_facts), facts


def test_once_an_exemption_decides_nothing_else_is_asked(rulebook: RuleBook) -> None:
    for basis in ("contract_with_individual", "hr_management", "emergency"):
        for zone in ("none", "other_ftz"):  # no Beijing list covers the processor: counts, industry never asked
            det = decide(rulebook, exemption_basis=basis, data_kinds=["contact"], zone=zone)
            assert det.outcome == "exempt", (basis, zone)
            assert det.missing_facts == [] and det.question is None
    # with no place said: in Beijing too, every sector and scenario of the lists leaves the exemption standing
    det = decide(rulebook, exemption_basis="contract_with_individual", data_kinds=["contact"])
    assert det.outcome == "exempt" and det.question is None
    listed = decide(rulebook, exemption_basis="contract_with_individual", data_kinds=["contact"], important_data=True)
    assert listed.outcome != "exempt"  # important data is never exempt by purpose


def test_a_yes_no_fact_offers_yes_then_no(rulebook: RuleBook) -> None:
    facts = Facts(
        zone="beijing_ftz",
        industry="automotive",
        personal_info_count=0,
        sensitive_info_count=0,
        data_kinds=["ota_upgrade"],
    )
    det = check(facts, rulebook, today=dt.date(2025, 9, 1))
    assert det.question is not None and det.question.kind == "yes_no"
    assert det.question.fact == "conditions.miit_filed_tamper_protected"
    assert [o.value for o in det.question.options] == [True, False]
    assert labels(det, "en", rulebook) == ["Yes", "No"] and labels(det, "zh", rulebook) == ["是", "否"]


def test_counts_are_offered_as_the_ranges_of_the_branches(rulebook: RuleBook) -> None:
    det = decide(rulebook, zone="none", sensitive_info_count=0)
    assert det.question is not None and det.question.fact == "personal_info_count"
    assert [o.value for o in det.question.options] == [0, 100000, 1000000]
    assert labels(det, "en", rulebook) == ["Fewer than 100,000", "100,000 to 999,999", "1,000,000 or more"]
    assert labels(det, "zh", rulebook) == ["少于100,000人", "100,000至999,999人", "1,000,000人及以上"]
    assert [b.if_["personal_info_count"] for b in det.branches] == [o.value for o in det.question.options]


def test_industry_options_are_the_values_that_change_the_outcome_then_other(rulebook: RuleBook) -> None:
    det = decide(rulebook, zone="other_ftz", personal_info_count=150000, sensitive_info_count=0, data_kinds=["contact"])
    assert det.question is not None and det.question.fact == "industry"
    values = [o.value for o in det.question.options]
    assert values[-1] == "other" and "automotive" in values and "retail" not in values
    assert 2 <= len(values) <= 5


def test_data_gathered_abroad_is_not_read_against_the_beijing_list(rulebook: RuleBook) -> None:
    facts = Facts(
        zone="beijing",
        exemption_basis="offshore_collected_reexport",
        data_kinds=["vehicle_exterior_video"],
        personal_info_count=0,
        sensitive_info_count=0,
    )
    det = check(facts, rulebook, today=TODAY)
    assert det.outcome == "exempt"
    assert "industry" not in det.missing_facts
