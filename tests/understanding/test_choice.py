"""A short reply read against the question asked: an option's number, position or words, yes or no, a count."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.determination import Message, Option, Question
from assistant.facts import Facts
from assistant.understanding.choice import choose, read_choice, understand_reply


def question(fact: str, kind: str, options: list[tuple[Any, str]]) -> Question:
    return Question.model_validate(
        {
            "fact": fact,
            "kind": kind,
            "options": [Option(value=v, label=label, label_key=Message(key="x")) for v, label in options],
        }
    )


ZONE_EN = question(
    "zone",
    "choice",
    [
        ("beijing_ftz", "registered in the Beijing FTZ"),
        ("beijing", "registered in Beijing outside the FTZ"),
        ("other_ftz", "registered in another free trade zone"),
        ("none", "registered elsewhere in mainland China"),
    ],
)
ZONE_ZH = question(
    "zone",
    "choice",
    [
        ("beijing_ftz", "在北京自贸试验区注册"),
        ("beijing", "在北京市（自贸区外）注册"),
        ("other_ftz", "在其他自贸试验区注册"),
        ("none", "在中国内地其他地区注册"),
    ],
)
YES_NO = question("conditions.miit_filed_tamper_protected", "yes_no", [(True, "Yes"), (False, "No")])
COUNT = question(
    "sensitive_info_count",
    "count",
    [(0, "None (0)"), (1, "1 to 9,999"), (10000, "10,000 to 49,999"), (50000, "50,000 or more")],
)


@pytest.mark.parametrize(
    ("reply", "value"),
    [
        ("1", "beijing_ftz"),
        (" 2 ", "beijing"),
        ("3.", "other_ftz"),
        ("option 4", "none"),
        ("第二个", "beijing"),
        ("第3个", "other_ftz"),
        ("选1", "beijing_ftz"),
        ("the second", "beijing"),
        ("Third one", "other_ftz"),
        ("the last", "none"),
        ("registered in another free trade zone", "other_ftz"),
        ("Registered in the Beijing FTZ.", "beijing_ftz"),
        ("在北京市（自贸区外）注册", "beijing"),
    ],
)
def test_a_choice_by_number_position_or_words(reply: str, value: str) -> None:
    assert read_choice(reply, ZONE_EN, [ZONE_ZH]) == value


@pytest.mark.parametrize("reply", ["5", "0", "the sixth", "第九个", "somewhere in Hebei", "not sure", "不知道", ""])
def test_what_is_not_an_answer_to_the_choice_gives_none(reply: str) -> None:
    assert read_choice(reply, ZONE_EN, [ZONE_ZH]) is None


@pytest.mark.parametrize(
    ("reply", "value"),
    [
        ("yes", True),
        ("Yes.", True),
        ("yep", True),
        ("是", True),
        ("是的", True),
        ("对", True),
        ("有的。", True),
        ("no", False),
        ("No!", False),
        ("不是", False),
        ("没有", False),
        ("否", False),
        ("1", True),
        ("2", False),
    ],
)
def test_yes_and_no(reply: str, value: bool) -> None:
    assert read_choice(reply, YES_NO) is value


@pytest.mark.parametrize(
    "reply", ["no idea", "not sure yet", "不确定", "yesterday it was filed", "不需要备案吗", "none"]
)
def test_words_that_only_begin_like_yes_or_no_are_not_answers(reply: str) -> None:
    assert read_choice(reply, YES_NO) is None


def test_yes_or_no_followed_by_more_keeps_the_rest_to_read() -> None:
    choice = choose("No, and the recipient is our parent company in Singapore", YES_NO)
    assert choice is not None and choice.value is False
    assert choice.rest == "and the recipient is our parent company in singapore"
    zh = choose("是的，我们已经备案了", YES_NO)
    assert zh is not None and zh.value is True and zh.rest == "我们已经备案了"


@pytest.mark.parametrize(
    ("reply", "value"),
    [
        ("2", 1),  # a small number is the option's number: the options were shown numbered
        ("4", 50000),
        ("35000", 35000),
        ("35,000", 35000),
        ("about 12,000 people", 12000),
        ("3.5万", 35000),
        ("约2万人", 20000),
        ("50,000 or more", 50000),
    ],
)
def test_a_count_by_option_or_by_number(reply: str, value: int) -> None:
    assert read_choice(reply, COUNT) == value


def test_a_count_inside_a_sentence_is_left_to_the_usual_reading() -> None:
    assert read_choice("we send 35000 records of 20000 patients", COUNT) is None


def test_the_reply_sets_the_fact_on_the_previous_facts() -> None:
    previous = Facts(industry="pharmaceutical", scenario="clinical_trial", sensitive_info_count=30000)
    understood = understand_reply("1", [ZONE_EN, ZONE_ZH], previous, "zh")
    assert understood is not None and understood.intent == "transfer"
    assert understood.facts == previous.with_value("zone", "beijing_ftz")
    assert understood.language == "zh"  # a bare number keeps the conversation's language
    worded = understand_reply("the second", [ZONE_EN, ZONE_ZH], previous, "zh")
    assert worded is not None and worded.language == "en" and worded.facts.zone == "beijing"
    assert understand_reply("What does the list cover?", [ZONE_EN, ZONE_ZH], previous, "en") is None


def test_the_rest_of_a_reply_is_read_as_usual() -> None:
    previous = Facts(zone="beijing_ftz", industry="automotive", data_kinds=["ota_upgrade"])
    understood = understand_reply("Yes, and the upgrade data covers 3,000 car owners", [YES_NO], previous, "en")
    assert understood is not None
    assert understood.facts.conditions == {"miit_filed_tamper_protected": True}
    assert understood.facts.zone == "beijing_ftz"


def test_a_count_said_approximately_is_marked_and_an_exact_one_clears_the_mark() -> None:
    previous = Facts(personal_info_count=0, data_kinds=["health"])
    rough = understand_reply("大概1万上下吧", [COUNT], previous, "zh")
    assert rough is not None and rough.facts.sensitive_info_count == 10_000
    assert rough.facts.approximate_counts == ["sensitive_info_count"]
    exact = understand_reply("10,400", [COUNT], rough.facts, "en")
    assert exact is not None and exact.facts.sensitive_info_count == 10_400 and exact.facts.approximate_counts == []
