"""Data collected abroad and sent back (Provisions art 4), a purpose that is the service itself (art 5(1)-(2)),
data of nobody, kinds in a message that denies money, and businesses named as the subject of the sentence."""

from __future__ import annotations

import pytest

from assistant.understanding.business import described_business
from assistant.understanding.exemptions import find_exemption, find_necessity
from assistant.understanding.extract import extract_facts
from assistant.understanding.intent import own_transfer
from assistant.understanding.kinds import NO_PERSONAL_INFO, read_kinds
from assistant.understanding.people import _SOME_UNCOUNTED


@pytest.mark.parametrize(
    "text",
    [
        "海外发行的游戏，境外手游玩家的数据存在北京，分析完回传给发行商，里面没有国内玩家。",
        "We answer calls for a Korean airline, only for their passengers in Korea, and send the call notes back "
        "to them.",
        "The records come from our clients overseas (none of it is about people in China) and go back once cleaned.",
        "The survey answers were gathered from respondents in Japan; we code them here and send the tables back.",
        "境外用户的数据传到北京处理后再回传，没有加入任何国内用户的数据，这算豁免吗？",
    ],
)
def test_data_gathered_abroad_and_sent_back_is_art_4(text: str) -> None:
    found = find_exemption(text)
    assert found is not None
    assert found.basis == "offshore_collected_reexport"


@pytest.mark.parametrize(
    "text",
    [
        "Our Jakarta servers gather player data; we process it in Beijing, merge it with 200,000 mainland players "
        "and send the table back.",
        "境外会员的数据传过来处理后回传，但会和国内会员的数据合并在一起。",
    ],
)
def test_people_in_china_merged_in_undo_art_4(text: str) -> None:
    assert extract_facts(text).facts.exemption_basis is None


@pytest.mark.parametrize(
    "text",
    [
        "To enrol our pupils in the Cambridge exam we send their names and birth dates to the exam board in the UK.",
        "留学中介要把学生的成绩单发给英国大学办录取。",
        "The payment needs the payee's name and account number.",
        "要把游客的护照号交给曼谷的地接社订酒店。",
    ],
)
def test_a_purpose_that_is_the_service_itself_is_necessary(text: str) -> None:
    assert find_necessity(text) == (True, find_necessity(text)[1])  # type: ignore[index]


@pytest.mark.parametrize(
    "text",
    [
        "To enrol our pupils in the exam we send their names to the board, and the board also wants their grades.",
        "要把游客的护照号交给地接社订酒店，地接社说还想放进他们的会员系统。",
        "To book the hotel we send the guests' full travel history to the chain.",
        "他们说是为了办签证，要把全家人的收入证明发过去。",
    ],
)
def test_more_than_the_service_takes_leaves_necessity_open(text: str) -> None:
    assert find_necessity(text) is None


def test_a_transfer_with_its_service_is_ones_own_transfer() -> None:
    assert own_transfer("留学中介要把学生的护照复印件发给英国大学，需要走什么流程？")


@pytest.mark.parametrize(
    "text",
    [
        "We send monthly sales by product (no customer data) to the parent in Zurich.",
        "报表里没有任何患者信息，只有药品销量。",
        "Logs only, without any user details.",
    ],
)
def test_data_of_nobody(text: str) -> None:
    assert NO_PERSONAL_INFO.search(text)


@pytest.mark.parametrize(
    "text",
    [
        "A Xicheng property management company wants to send 90,000 owners' phone numbers to Hong Kong.",
        "I'm the DPO of a Chaoyang-based online bookstore. We plan to send order histories to Berlin.",
        "Our Beijing startup has a meditation app with 150k users; the database moves to Tokyo.",
    ],
)
def test_a_business_named_as_the_subject_or_the_employer(text: str) -> None:
    assert described_business(text) is not None


def test_a_relation_abroad_as_the_subject_is_no_business() -> None:
    assert described_business("The parent company wants the 3,000 customers' phone numbers.") is None


def test_account_data_is_financial_only_where_money_is_handled_and_not_denied() -> None:
    denied = read_kinds("We move 50k users' account data to Tokyo: usernames and emails, no health or financial stuff.")
    assert "financial_account" not in denied.stated
    assert "financial_account" in read_kinds("Our bank moves 50k customers' account data to Tokyo.").stated


@pytest.mark.parametrize(
    "text", ["About 200 trade-show contacts (business cards) go to Osaka.", "展会收集的名片发给日本代理"]
)
def test_business_cards_are_contact_data(text: str) -> None:
    assert "contact" in read_kinds(text).stated


@pytest.mark.parametrize(
    "text",
    [
        "Our lab sends anonymised survey results to a university in Sydney.",
        "The file has nothing that could identify anyone.",
    ],
)
def test_results_that_identify_nobody(text: str) -> None:
    assert NO_PERSONAL_INFO.search(text)


def test_the_business_described_wins_over_a_sector_named_later() -> None:
    facts = extract_facts(
        "We're a law firm in Beijing; a client opens an account in Hong Kong and the bank wants his passport copy."
    ).facts
    assert facts.industry == "other"


@pytest.mark.parametrize(
    "text",
    [
        "客户委托我们在新加坡打官司，要把他的身份证复印件发给新加坡律师。",
        "For the arbitration our client asked us to bring in London, we send his contract file to the tribunal.",
    ],
)
def test_legal_work_for_a_client_may_be_a_contract_with_the_individual(text: str) -> None:
    found = find_exemption(text)
    assert found is not None
    assert "contract_with_individual" in (found.basis, found.candidate)


def test_a_service_with_no_data_passed_for_it_says_nothing_of_necessity() -> None:
    assert find_necessity("我们给海外客户发货，货到了再结算。") is None


@pytest.mark.parametrize(
    "text",
    [
        "Our reading app has 70,000 users; some of them are primary-school pupils. Everything moves to Seoul.",
        "我们的平台有9万会员，里面有一部分是12岁以下的孩子，数据要迁到东京。",
        "We have 25,000 members, a few of whom shared their medical history with us; the list goes to Dallas.",
        "我们有30万客户，其中有少量未成年人，资料要传给新加坡总部。",
    ],
)
def test_some_of_the_people_with_sensitive_data_is_an_unknown_part(text: str) -> None:
    facts = extract_facts(text).facts
    assert facts.sensitive_info_count is None
    assert facts.personal_info_count is not None


@pytest.mark.parametrize(
    ("text", "others", "sensitive"),
    [
        ("We have 90k gamers. Around 3k are under 14. The accounts move to Seoul.", 87_000, 3_000),
        ("我们有6.1万会员，14岁以下的大概4000人，数据要传到新加坡。", 57_000, 4_000),
        ("会员8万，有5200人登记了护照号，会员数据全部传到迪拜总部。", 74_800, 5_200),
        ("Members: 40,000 (about 1,500 under-14s). The list goes to Sydney.", 38_500, 1_500),
    ],
)
def test_a_smaller_count_qualified_by_sensitive_data_is_part_of_the_people(
    text: str, others: int, sensitive: int
) -> None:
    facts = extract_facts(text).facts
    assert (facts.personal_info_count, facts.sensitive_info_count) == (others, sensitive)


@pytest.mark.parametrize(
    "text",
    [
        "学员一共6千人左右，大部分是小学生，也有一些初中生",
        "其中有一些是小学生，大概1500人",
        "检验报告中有部分含患者姓名，传输前打码",
    ],
)
def test_most_a_counted_part_or_a_part_of_the_files_is_no_unknown_part(text: str) -> None:
    assert _SOME_UNCOUNTED.search(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "Our hotel booking app is migrating the user base (names, emails, booking history) to AWS Frankfurt.",
        "我们把订单数据迁移到阿里云新加坡，用于下单后的发货。",
    ],
)
def test_moving_data_to_a_cloud_is_no_purpose_an_exemption_names(text: str) -> None:
    found = find_exemption(text)
    assert found is None or (found.basis is None and found.candidate is None)


@pytest.mark.parametrize("text", ["对方只要汇总数，不给任何个人明细。", "我们只提供汇总数据给合作大学。"])
def test_aggregates_without_individual_detail(text: str) -> None:
    assert NO_PERSONAL_INFO.search(text)
