"""Groups that share people in a number nobody knows, and words of an exemption that are not why data goes.
The sentences are our own."""

from __future__ import annotations

import pytest

from assistant.understanding import extract_facts


@pytest.mark.parametrize(
    "text",
    [
        "In spring we sent 7,000 members' blood test results to Osaka; in autumn 4,000 more, and some may be the "
        "same members.",
        "上半年给大阪传了7000个会员的化验单，下半年又传了4000个，两批有重复，具体多少还没去重。",
    ],
)
def test_groups_sharing_an_unknown_number_of_people_are_a_range(text: str) -> None:
    understood = extract_facts(text)
    assert understood.facts.count_ranges.get("sensitive_info_count") == (7_000, 11_000)


def test_an_unknown_overlap_with_an_earlier_turn_is_a_range() -> None:
    first = extract_facts("We sent 7,000 members' blood test results to Osaka this year.")
    later = extract_facts("Now 4,000 more, possibly overlapping with the first lot.", first.facts)
    assert later.facts.sensitive_info_count == 11_000
    assert later.facts.count_ranges.get("sensitive_info_count") == (7_000, 11_000)


def test_groups_said_not_to_overlap_are_added_exactly() -> None:
    understood = extract_facts(
        "In spring we sent 7,000 members' blood test results to Osaka; in autumn 4,000 more, "
        "no overlap with the spring list."
    )
    assert understood.facts.sensitive_info_count == 11_000
    assert not understood.facts.count_ranges


@pytest.mark.parametrize(
    "text",
    [
        "Guests' passport details go to the hotel abroad for check-in, that part is fine. Now the hotel group wants "
        "every guest's data to train a recommendation model. Same exemption?",
        "会员出国看病时我们把病历发给当地医院，这个没问题。现在境外合作方要全部会员的病历做保险定价研究，这也算紧急情况吧？",
        "Last spring a student broke a leg on our ski trip and the clinic abroad got her file. Now the insurer wants "
        "all trip members' files for a pricing study. Can we treat this as the emergency exemption too?",
    ],
)
def test_an_exemption_asked_about_for_a_purpose_no_exemption_names_is_not_taken(text: str) -> None:
    facts = extract_facts(text).facts
    assert facts.exemption_basis is None
    assert facts.exemption_candidate is None


def test_a_second_purpose_joined_to_an_exempt_one_is_asked_about() -> None:
    text = "要把8万观众的手机号给境外主办方，一部分用来入场核验，一部分做营销推送，能按合同豁免吗？"
    assert extract_facts(text).facts.exemption_candidate == "contract_with_individual"


@pytest.mark.parametrize(
    "text",
    [
        "每位客户都是自己选的那家海外酒店，我们只把他本人的护照信息发给酒店办入住，这也要申报吗？",
        "We only forward each patient's scans to the clinic abroad that they picked themselves, to book the "
        "treatment. Is that exempt?",
    ],
)
def test_the_individuals_own_choice_makes_the_transfer_necessary(text: str) -> None:
    assert extract_facts(text).facts.purpose_necessary is True


def test_a_bank_debit_account_is_financial_data_not_banking() -> None:
    facts = extract_facts("高尔夫球会要我们全部会员的资料，包括会员卡绑定的银行扣款账户，会员一共900人。").facts
    assert "financial_account" in facts.data_kinds
    assert facts.industry != "banking"


def test_investigators_from_a_foreign_agency_are_a_foreign_authority() -> None:
    text = "Investigators from a US agency asked us for the consignee list. Can we send it?"
    assert extract_facts(text).facts.foreign_judicial_request is True


def test_the_agreement_the_individual_signed_with_us_states_the_contract() -> None:
    text = "We upload each student's own application files to the universities they picked in the agreement they "
    text += "signed with us, nothing else."
    facts = extract_facts(text).facts
    assert (
        facts.exemption_basis == "contract_with_individual" or facts.exemption_candidate == "contract_with_individual"
    )
