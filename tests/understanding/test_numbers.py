"""Numbers in every written form, and which of them count individuals."""

from __future__ import annotations

import pytest

from assistant.understanding import extract_facts
from assistant.understanding.counts import find_counts, unknown_batch
from assistant.understanding.numbers import find_numbers, parse_chinese, parse_english_words
from assistant.understanding.text import clean_message

NUMBERS = [
    ("40,000", 40_000),
    ("40000", 40_000),
    ("4万", 40_000),
    ("四万", 40_000),
    ("1.5万", 15_000),
    ("十二万", 120_000),
    ("1.2 million", 1_200_000),
    ("120k", 120_000),
    ("3千", 3_000),
    ("两万", 20_000),
    ("exactly 100,000", 100_000),
    ("一万五", 15_000),
    ("三千五", 3_500),
    ("1万5千", 15_000),
    ("一百二十万", 1_200_000),
    ("一万零五", 10_005),
    ("一亿二千万", 120_000_000),
    ("4 万", 40_000),
    ("1.2M", 1_200_000),
    ("forty thousand", 40_000),
    ("a hundred thousand", 100_000),
    ("two million", 2_000_000),
    ("１２０，０００", 120_000),
    # read by cn2an
    ("10万", 100_000),
    ("十二万三千", 123_000),
    ("1.2万", 12_000),
    ("3.5万", 35_000),
    ("两千", 2_000),
    ("两万五", 25_000),
    ("12.5万", 125_000),
    ("100,000", 100_000),
    ("40k", 40_000),
    ("2.5 thousand", 2_500),
    ("0.75 million", 750_000),
    ("1.25bn", 1_250_000_000),
    # English words, exactly
    ("forty-two thousand five hundred", 42_500),
    ("one hundred and five thousand", 105_000),
    ("twelve million", 12_000_000),
    ("nineteen", 19),
]


@pytest.mark.parametrize(("text", "value"), NUMBERS, ids=[t for t, _ in NUMBERS])
def test_number_forms(text: str, value: int) -> None:
    numbers = find_numbers(clean_message(text))
    assert [n.value for n in numbers] == [value]


def test_chinese_and_english_parsers_refuse_non_numbers() -> None:
    assert parse_chinese("") is None
    assert parse_english_words("hello") is None
    assert parse_chinese("二〇二五") == 2025
    # cn2an's errors on text that is not a number are caught, never raised or warned
    for text in ("万万", "五六万", "几万", "1.2.3", "千亿〇", "六七17"):
        assert parse_chinese(text) is None


APPROXIMATE = [
    ("十多万", 100_000, True),
    ("100余万", 1_000_000, True),
    ("两千来", 2_000, False),  # 来 after the number is read by the count (两千来人), not the number
    ("三十万", 300_000, False),
]


@pytest.mark.parametrize(("text", "value", "approximate"), APPROXIMATE, ids=[t for t, _, _ in APPROXIMATE])
def test_approximate_inside_a_number(text: str, value: int, approximate: bool) -> None:
    (number,) = find_numbers(text)
    assert (number.value, number.approximate) == (value, approximate)


def test_words_that_look_like_numbers_are_not() -> None:
    assert find_numbers("万一出问题") == []
    assert find_numbers("千万别传") == []


COUNTS = [
    ("data of 40,000 patients", [40_000]),
    ("40000 customers", [40_000]),
    ("4万名患者", [40_000]),
    ("四万人", [40_000]),
    ("1.5万位客户", [15_000]),
    ("十二万个用户", [120_000]),
    ("1.2 million people", [1_200_000]),
    ("120k users", [120_000]),
    ("3千名员工", [3_000]),
    ("两万例", [20_000]),
    ("exactly 100,000 patients", [100_000]),
    ("20,000 of our customers", [20_000]),
    ("用户规模40万", [400_000]),
    ("patients: 40,000", [40_000]),
    ("涉及人数约4万", [40_000]),
    ("more than 10,000 people", [10_001]),
    ("超过10万人", [100_001]),
    ("4万多人", [40_000]),  # 多 is approximate: the number stated
    ("fewer than 10,000 people", [9_999]),
    ("not 40,000 but 60,000 patients", [60_000]),
    ("不是4万，是6万人", [60_000]),
    ("5 GB of patient data", []),
    ("children under 14", []),
    ("14岁以下儿童", []),
    ("in 2025 we sent data", []),
    ("Provisions art 7", []),
    ("一些用户", []),
    ("the 10,000 people threshold", []),
    ("40000个patients", [40_000]),
    ("a 40,000-patient trial", [40_000]),
    ("4万余名患者", [40_000]),
    ("forty thousand patients", [40_000]),
    ("3万份病历", []),
    ("5家公司", []),  # companies are not people
    ("6万条记录", []),  # nor are records
    ("120k trial pts", [120_000]),
    ("一年大概200万买家", [2_000_000]),
    ("约五十万人次", []),  # visits, not people: one person may come many times
    ("about 400k passengers a year", [400_000]),
    ("十五萬客戶", [150_000]),
    ("20,000 robotaxi test riders", [20_000]),
    ("500 applicants' CVs", [500]),
]


@pytest.mark.parametrize(("text", "values"), COUNTS, ids=[t for t, _ in COUNTS])
def test_counts_attach_to_people(text: str, values: list[int]) -> None:
    counts = [c for c in find_counts(clean_message(text)) if c.attached]
    assert [c.value for c in counts] == values


ROLES = [
    ("already sent 80,000 this year, now another 30,000", ["prior", "additional"], 110_000),
    ("今年已经传了8万，这次再传3万", ["prior", "additional"], 110_000),
    ("we sent 30,000 so far and will send 30,000 more", ["prior", "additional"], 60_000),
    ("5万名客户的手机号，其中2000人有银行卡", ["plain", "subset"], 48_000),
]


@pytest.mark.parametrize(("text", "roles", "value"), ROLES, ids=[t for t, _, _ in ROLES])
def test_cumulative_roles_and_totals(text: str, roles: list[str], value: int) -> None:
    counts = [c for c in find_counts(clean_message(text)) if c.attached]
    assert [c.role for c in counts] == roles
    assert extract_facts(text).facts.personal_info_count == value


RANGES = [
    ("大概5万到15万名用户", (50_000, 150_000)),
    ("somewhere between 50k and 150k players", (50_000, 150_000)),
    ("20k-40k users", (20_000, 40_000)),
    ("50,000 customers and 2,000 of them", None),
    ("1-10月传了6.5万人", None),
    ("from 2025 to 2026, 30,000 users", None),
]


@pytest.mark.parametrize(("text", "span"), RANGES, ids=[t for t, _ in RANGES])
def test_a_range_is_read_as_its_two_ends(text: str, span: tuple[int, int] | None) -> None:
    counts = [c for c in find_counts(clean_message(text)) if c.attached and not c.uncertain]
    assert counts
    assert ((counts[-1].low, counts[-1].value) if counts[-1].low is not None else None) == span


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("3到5万名客户", 30_000, 50_000),
        ("roughly 80 to 120 thousand subscribers", 80_000, 120_000),
        ("1.5 to 2 million shoppers", 1_500_000, 2_000_000),
        ("六到八万名会员", 60_000, 80_000),
    ],
)
def test_a_scale_word_said_once_belongs_to_both_ends_of_a_range(text: str, low: int, high: int) -> None:
    counts = [c for c in find_counts(clean_message(text)) if c.attached and not c.uncertain]
    assert [(c.low, c.value) for c in counts] == [(low, high)]


def test_a_range_whose_ends_are_on_far_apart_scales_is_left_unread() -> None:
    counts = [c for c in find_counts(clean_message("3到500万名客户")) if c.attached]
    assert counts and all(c.uncertain for c in counts)
    assert [c.value for c in find_counts("we send 5,000 to 12 partners") if c.attached] == [5_000]


EARLIER = [
    ("Earlier this year we also sent some customer lists, I don't know how many.", True),
    ("今年早些时候也发过一些客户名单，多少人我不清楚。", True),
    ("之前已经传过，不清楚有多少。", True),
    ("We already sent 80,000 this year.", False),
    ("其中一部分有健康问卷，具体多少人不清楚。", False),
]


@pytest.mark.parametrize(("text", "found"), EARLIER, ids=[t[:30] for t, _ in EARLIER])
def test_earlier_transfers_of_unknown_size(text: str, found: bool) -> None:
    assert (unknown_batch(clean_message(text)) is not None) is found


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [("二三十万人", 200_000, 300_000), ("三五千名员工", 3_000, 5_000), ("十几万用户", 110_000, 190_000),
     ("几万个会员", 20_000, 90_000), ("一两万人", 10_000, 20_000), ("十一二万会员", 110_000, 120_000)],
)  # fmt: skip
def test_chinese_ranges_in_words(text: str, low: int, high: int) -> None:
    number = find_numbers(text)[0]
    assert (number.low, number.value, number.approximate) == (low, high, True)


@pytest.mark.parametrize(
    ("text", "span"),
    [("今年要把二三十万名会员的手机号传给新加坡母公司", (200_000, 300_000)),
     ("We will send between 40,000 and 70,000 customers' emails to Osaka this year.", (40_000, 70_000))],
)  # fmt: skip
def test_a_range_of_people_is_kept_as_a_range(text: str, span: tuple[int, int]) -> None:
    facts = extract_facts(text).facts
    assert facts.personal_info_count == span[1] and facts.count_ranges == {"personal_info_count": span}


def test_asking_whether_anything_is_sensitive_says_nothing() -> None:
    facts = extract_facts("要把两万名客户的信息传给境外母公司，有没有敏感信息还不确定").facts
    assert facts.sensitive_info_count is None


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("tens of thousands of readers", 10_000, 99_999),
        ("a few thousand donors", 2_000, 9_999),
        ("hundreds of thousands of riders", 100_000, 999_999),
        ("several hundred thousand shoppers", 200_000, 999_999),
    ],
)
def test_english_ranges_in_words_keep_both_ends(text: str, low: int, high: int) -> None:
    counts = [c for c in find_counts(text) if c.attached]
    assert [(c.low, c.value) for c in counts] == [(low, high)]


@pytest.mark.parametrize(("text", "value"), [("3.2w会员", 32_000), ("about 4W users", 40_000), ("8w", 80_000)])
def test_w_is_chinese_shorthand_for_ten_thousand(text: str, value: int) -> None:
    assert [n.value for n in find_numbers(text)] == [value]


def test_a_w_that_is_a_word_is_no_multiplier() -> None:
    assert [n.value for n in find_numbers("3 w/ consent")] == [3]


@pytest.mark.parametrize("text", ["ok, the second one then", "that one, please", "which one applies?"])
def test_one_after_a_determiner_is_a_pronoun(text: str) -> None:
    assert find_numbers(text) == []
