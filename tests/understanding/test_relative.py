"""Follow-ups that scale the counts of the transfer already described."""

from __future__ import annotations

import pytest

from assistant.understanding import extract_facts

BEFORE = "Our Beijing shop sends the e-mail addresses of 45,000 loyalty members to the Osaka office."


@pytest.mark.parametrize(
    ("follow_up", "count"),
    [
        ("ok, and if it were double the number?", 90_000),
        ("suppose three times as many members", 135_000),
        ("half as many?", 22_500),
        ("要是会员数翻一番呢？", 90_000),
        ("如果人数减半呢", 22_500),
    ],
)
def test_a_follow_up_scales_the_earlier_count(follow_up: str, count: int) -> None:
    before = extract_facts(BEFORE).facts
    assert extract_facts(follow_up, before).facts.personal_info_count == count


def test_a_share_of_the_people_is_not_a_scale() -> None:
    before = extract_facts(BEFORE).facts
    after = extract_facts("其中一半是老年人", before).facts
    assert after.personal_info_count == 45_000


def test_a_count_of_its_own_wins() -> None:
    before = extract_facts(BEFORE).facts
    assert extract_facts("double it: 70,000 members", before).facts.personal_info_count == 70_000


@pytest.mark.parametrize("follow_up", ["what if we only transfer 8,000 of them?", "要是只传其中8000人呢"])
def test_only_part_of_them_becomes_the_transfer(follow_up: str) -> None:
    before = extract_facts(BEFORE).facts
    assert extract_facts(follow_up, before).facts.personal_info_count == 8_000


def test_a_guessed_scale_gives_a_range_of_counts() -> None:
    first = extract_facts("We sync 30k members' e-mails to Mailchimp in the US this year").facts
    guess = extract_facts("sales thinks it might be twice that by December, maybe triple", first).facts
    assert guess.count_ranges == {"personal_info_count": (30_000, 90_000)}
    sure = extract_facts("and with twice as many members?", first).facts
    assert sure.personal_info_count == 60_000 and sure.count_ranges == {}
    zh = extract_facts("全年可能翻一番，具体还没出来", first).facts
    assert zh.count_ranges == {"personal_info_count": (30_000, 60_000)}
