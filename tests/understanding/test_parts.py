"""Messages that ask several questions: the shared context and each question."""

from __future__ import annotations

import pytest

from assistant.understanding.parts import about_the_transfer, split_parts


def test_one_question_is_not_split() -> None:
    assert split_parts("We are in Tongzhou. Can our 2.5 million members' profiles go to the Seoul office?") is None


def test_context_then_questions() -> None:
    split = split_parts(
        "Our bank branch is in Xicheng. Can card numbers of 8,000 clients go to Hong Kong? "
        "And the names of 300 staff for the group directory? Is a remote login from London an export?"
    )
    assert split is not None
    assert split.context == "Our bank branch is in Xicheng."
    assert [p.text[:9] for p in split.pieces] == ["Can card ", "And the n", "Is a remo"]


def test_numbered_items_are_questions_and_decimals_stay_whole() -> None:
    split = split_parts("我们在顺义，有两件事：\n1. 1.5万名司机的驾驶证照片发给德国\n2. 车辆维修记录发给日本")
    assert split is not None
    assert [p.text for p in split.pieces] == ["1. 1.5万名司机的驾驶证照片发给德国", "2. 车辆维修记录发给日本"]


def test_a_question_about_what_to_do_belongs_to_the_transfer() -> None:
    assert about_the_transfer("Do we have to file something first?")
    assert about_the_transfer("需要走什么手续？")
    assert not about_the_transfer("Is a foreign cloud drive an export?")


def test_items_listed_in_running_text_are_parts_and_the_tail_is_context() -> None:
    split = split_parts("两件事：①把300名员工的工资单发给新加坡；②把8万会员的手机号给美国的广告公司。我们在北京通州。")
    assert split is not None
    assert [p.text[:1] for p in split.pieces] == ["①", "②"]
    assert "我们在北京通州" in split.context


def test_options_the_person_lists_are_parts_with_the_lead_kept_apart() -> None:
    split = split_parts(
        "We run a gym chain in Tongzhou. Option A: share 20k members' e-mails with the Sydney parent. "
        "Option B: share their fitness assessments as well. Which is simpler?"
    )
    assert split is not None
    assert [p.text[:8] for p in split.pieces] == ["Option A", "Option B"]
    assert split.lead == "We run a gym chain in Tongzhou."
    assert "Which is simpler?" in split.context
    zh = split_parts("我们在通州做健身房，方案一：只传会员邮箱给悉尼母公司；方案二：连体测数据一起传。哪个简单？")
    assert zh is not None and [p.text[:3] for p in zh.pieces] == ["方案一", "方案二"]
    other = split_parts("两个想法：第一个是把工资单发给新加坡；第二个是把工资单和考勤一起发过去。")
    assert other is not None and len(other.pieces) == 2


def test_a_numbered_list_after_a_colon_is_split_into_its_items() -> None:
    split = split_parts(
        "我们是杭州做外贸的，三件事：1. 客户的邮箱发给德国的代理； 2. 员工的工资单发给香港总部；"
        " 3. 供应商名单发给越南的工厂。怎么处理？"
    )
    assert split is not None and [p.text[:2] for p in split.pieces] == ["1.", "2.", "3."]
    assert split_parts("We sent 3. Then we sent 4. Is that ok?") is None  # a sentence ending in a number is no list


@pytest.mark.parametrize(
    ("text", "about"),
    [
        ("需要什么手续？", True),
        ("do we have to file anything?", True),
        ("安全评估一般多久能批下来？", False),
        ("how long does the standard contract filing take?", False),
        ("备案要交哪些材料？", False),
    ],
)
def test_how_a_procedure_works_is_not_what_to_do_about_the_transfer(text: str, about: bool) -> None:
    assert about_the_transfer(text) is about


def test_the_numbered_items_of_long_pasted_minutes_are_not_questions() -> None:
    items = "\n".join(
        f"{n}. Item {n}: the team discussed the member migration and agreed its points." for n in range(1, 5)
    )
    minutes = "Minutes of the steering meeting.\n" + items * 6 + "\nWhich route applies?"
    assert split_parts(minutes) is None
    short = "1. payroll of 40 staff to Osaka\n2. 9,000 customers' e-mails to Tokyo\nwhich route for each?"
    assert split_parts(short) is not None
