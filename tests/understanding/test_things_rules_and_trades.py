"""Things that are not data, numbers that are the rules' own, unknown fields, and businesses said in many ways."""

from __future__ import annotations

import pytest

from assistant.understanding.business import described_business
from assistant.understanding.counts import find_counts
from assistant.understanding.extract import extract_facts
from assistant.understanding.intent import names_data


@pytest.mark.parametrize(
    "text",
    [
        "Our engineer is flying to Munich next week for training, does he need a Schengen visa?",
        "Our sales rep in Japan wants to open a local bank account, what documents does he need?",
        "我们一个员工要去德国出差，签证要准备哪些材料？",
        "我们员工在日本出差丢了护照，怎么补办？",
    ],
)
def test_a_thing_or_a_person_abroad_is_no_transfer_of_data(text: str) -> None:
    assert not names_data(text)
    assert extract_facts(text).intent == "out_of_scope"


@pytest.mark.parametrize(
    "text",
    [
        "The Dubai hospital wants his passport and his allergy history.",
        "把护照号和姓名给境外酒店",
        "The court wants us to hand the employees' mailboxes over.",
        "The hotel needs the guests' passport numbers.",
        "他们要每个人的手机号",
    ],
)
def test_kinds_that_are_passed_or_data_by_themselves_are_data(text: str) -> None:
    assert names_data(text)


@pytest.mark.parametrize(
    "text",
    [
        "When the rules talk about 10,000 people's sensitive data, is exactly 10,000 inside?",
        "规定说的1万人敏感信息，是累计还是单次？",
        "规定里的“不满10万人”，正好10万算不算？",
        "The law says under 10,000 people of sensitive data means a standard contract, right?",
    ],
)
def test_the_rules_own_numbers_are_not_counts(text: str) -> None:
    assert not [c for c in find_counts(text) if c.attached]
    assert extract_facts(text).intent == "informational"


def test_our_own_count_beside_the_rules_is_still_ours() -> None:
    counts = find_counts("The rules talk about thresholds; we have 30,000 customers going to Seoul.")
    assert [c.value for c in counts if c.attached] == [30_000]


def test_one_more_shop_is_no_batch_of_people() -> None:
    text = "We run 12 noodle bars in Beijing and are opening one more in Tongzhou. How do we get the food licence?"
    assert not [c for c in find_counts(text) if c.attached]
    assert extract_facts(text).intent == "out_of_scope"


@pytest.mark.parametrize(
    "text",
    [
        "HQ wants 5,000 customer files (names, phones); I have not checked which fields are in them. We are in Wuhan.",
        "总部要5000个客户的档案，姓名电话都有，具体还有哪些字段不清楚。我们在武汉。",
        "Our Paris office wants 5,000 member records, names and emails at least; not sure what fields are in there.",
    ],
)
def test_unknown_fields_leave_the_sensitive_count_unknown(text: str) -> None:
    assert extract_facts(text).facts.sensitive_info_count is None


def test_named_ordinary_fields_still_say_nothing_is_sensitive() -> None:
    assert extract_facts("HQ wants 5,000 customer names and phones. We are in Wuhan.").facts.sensitive_info_count == 0


@pytest.mark.parametrize(
    "text",
    [
        "我们开了8家火锅店，都在朝阳，新加坡的加盟总部要会员手机号。",
        "我们是顺义做新风系统的，德国总部要客户名单。",
        "我们是一家共享充电宝公司，北京注册，美国投资方要用户数据。",
        "客户是一家传媒公司，在海淀，要把员工信息给香港母公司。",
        "Hi, compliance officer at a Beijing architecture practice here. HQ in Oslo wants staff records.",
        "Question from a Beijing engineering consultancy: we want to send CVs to HQ in Boston.",
        "HR here, textile mill in Tongzhou, 800 workers. Group HR in Milan wants payroll data.",
        "Haidian-based podcast app here. Our ad partner in Dublin wants listener emails.",
        "Our Chaoyang chain of dance studios (9 studios) wants to move the member app to a Tokyo cloud.",
        "We're an acoustics consultancy in Beijing; the Sydney office wants client contacts.",
    ],
)
def test_a_business_outside_the_lists_sectors_is_other(text: str) -> None:
    assert described_business(text)
    assert extract_facts(text).facts.industry == "other"


@pytest.mark.parametrize(
    "text",
    [
        "We send patient records to a clinic in Germany for second opinions. We're in Beijing.",
        "Our partner, a Munich engineering consultancy, wants our staff list. We're in Beijing.",
    ],
)
def test_the_recipients_business_is_not_ours(text: str) -> None:
    assert extract_facts(text).facts.industry is None


@pytest.mark.parametrize(
    ("text", "industry"),
    [
        ("城商行，要把客户手机号给境外短信服务商。", "banking"),
        ("我们是农商行，新加坡外包商要看客户姓名。", "banking"),
        ("IT at a foreign bank's branch in Dongcheng; head office in London wants our customer list.", "banking"),
        ("我们在海淀，训练钢板缺陷检测的视觉模型，要把照片传给德国合作方。", "ai_training"),
        ("公司在做方言语音识别模型，想把录音传给新加坡合作方。", "ai_training"),
        ("We're a vaccine maker in Changping; trial subjects' lab results go to New Jersey.", "pharmaceutical"),
    ],
)
def test_sectors_in_their_trades_words(text: str, industry: str) -> None:
    assert extract_facts(text).facts.industry == industry


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("会员手机号要给新加坡的CRM服务商。上半年已经同步过去3.8万，剩下的5.5万下个月同步。我们在武汉。", 93_000),
        ("用户昵称和邮箱同步到美国，已经同步了7万，剩余3.6万年底前完成。公司在杭州。", 106_000),
        (
            "We already synced 58,000 members' emails to the Dublin platform in March; the other 47,000 follow in "
            "October. We're in Wuhan.",
            105_000,
        ),
        ("去年传过12万个客户信息给香港，今年只传了4万。我们在西安。", 40_000),
        ("今年把作者资料（笔名、邮箱）给海外的发行平台，一共整整10万个作者。公司在成都。", 100_000),
    ],
)
def test_this_years_batches_said_in_passing(text: str, count: int) -> None:
    assert extract_facts(text).facts.personal_info_count == count


@pytest.mark.parametrize(
    ("text", "sensitive", "other"),
    [
        (
            "我们是游戏公司，玩家8万，未成年玩家占一成左右（其中14岁以下约3000人），账号数据要同步到日本。公司在成都。",
            3_000,
            77_000,
        ),
        ("编程培训机构，今年5万学员，其中12岁以下的大概1.5万，学员姓名和家长电话要传给新加坡总部。", 15_000, 35_000),
        ("A gym chain: 12,000 members' names, phones and body-fat readings go to our HK head office.", 12_000, 0),
        (
            "We send the names and phone numbers of 20,000 parents (the kids' data stays here) to our US partner.",
            0,
            20_000,
        ),
    ],
)
def test_sub_groups_and_body_measurements(text: str, sensitive: int, other: int) -> None:
    facts = extract_facts(text).facts
    assert (facts.sensitive_info_count, facts.personal_info_count) == (sensitive, other)


@pytest.mark.parametrize(
    "text",
    [
        "Can our staff use a VPN to reach the group's email server in Frankfurt?",
        "我们想在自贸区注册一家中外合资企业，要准备哪些材料？",
        "Can we import second-hand lab equipment from Osaka through the bonded zone?",
    ],
)
def test_vpns_company_registration_and_goods_are_off_topic(text: str) -> None:
    assert extract_facts(text).intent == "out_of_scope"


def test_a_long_subject_that_may_count_as_cross_border_is_a_question_about_the_rules() -> None:
    text = "Does syncing the files to our new regional office in Hong Kong count as cross-border?"
    assert extract_facts(text).intent == "informational"


@pytest.mark.parametrize(
    "text",
    [
        "我们和日本客户签合同，用人民币结算还是美元结算更好？",
        "How should we hedge the exchange rate risk on our supplier contract?",
    ],
)
def test_currency_and_exchange_rates_are_off_topic(text: str) -> None:
    assert extract_facts(text).intent == "out_of_scope"
