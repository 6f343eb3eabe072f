"""A company that says what it does, in words that name none of the lists' sectors, is in industry `other`."""

from __future__ import annotations

import pytest

from assistant.understanding import extract_facts
from assistant.understanding.business import described_business, descriptions


@pytest.mark.parametrize(
    "text",
    [
        "We're a ticketing startup in Dongcheng and want to move 130,000 buyers' phone numbers to Seoul.",
        "我们是一家做企业培训的公司，在北京海淀，要把12万学员的邮箱传到新加坡。",
        "公司在北京朝阳做在线问卷，今年要传15万名答题人的手机号去美国。",
        "我们是海淀的一家少儿编程中心，要把800名学员的信息传给新加坡总部。",
        # the industry said in so many words
        "客户在朝阳，所属行业是工程监理，要把3000名监理工程师的资料给香港母公司。",
        "Our client's line of business is yacht charter, they are in Beijing; 4,000 guests' passports go to Monaco.",
        "We're in the pet-food business in Beijing and send 20,000 buyers' e-mails to Oslo.",
        # what the person calls its app, shop or platform
        "我们的背单词小程序有6万用户，想把昵称和邮箱给日本的合作方。",
        "客户家的连锁洗衣门店在顺义，会员手机号要同步到香港。",
        "有家企业来窗口咨询：他们做会展服务，要把3000名参展商联系人的信息发给德国主办方。",
        # where it is registered, then what it is
        "我们是杭州注册的奶茶连锁，要把9万会员的手机号同步到新加坡。",
        # a help desk's shorthand for the client's business
        "Daxing window. Client = yacht-charter agency registered in Daxing, 900 guests' passports to Monaco.",
    ],
)
def test_a_described_business_outside_the_lists_is_other(text: str) -> None:
    assert described_business(text)
    assert extract_facts(text).facts.industry == "other"


@pytest.mark.parametrize(
    "text",
    ["We are a Beijing company sending data abroad.", "我们是一家外资企业，在北京。", "我们的海外平台要用这些数据。"],
)
def test_a_place_or_ownership_is_no_business(text: str) -> None:
    assert described_business(text) is None


def test_a_listed_sector_wins() -> None:
    assert extract_facts("我们是做新能源汽车的，在北京亦庄").facts.industry == "automotive"


def test_a_district_is_no_business() -> None:
    assert described_business("我们海淀的公司要传数据") is None


def test_a_car_dealer_is_automotive() -> None:  # Automotive Data Provisions art 3: dealers process automotive data
    assert extract_facts("我们是北京的一家4S店，车主信息要给德国总部").facts.industry == "automotive"
    assert (
        extract_facts("Our car dealership group in Beijing sends owners' names to Munich.").facts.industry
        == "automotive"
    )


def test_a_sentence_listing_the_sectors_names_none_of_them_as_ours() -> None:
    listed = extract_facts("I checked: the list only has cars, pharma, airlines and retail. We make puzzle games.")
    assert listed.facts.industry != "pharmaceutical"
    assert extract_facts("我们是医药企业，要把3000名患者的随访数据传给总部").facts.industry == "pharmaceutical"


def test_our_shop_names_the_business_and_our_parent_company_does_not() -> None:
    assert described_business("Our bubble-tea shop in Wuxi sends member phones to a Tokyo agency")
    assert described_business("We send member phones to our parent company in Tokyo") is None
    assert described_business("our Osaka partner company gets the list") is None


def test_what_the_company_does_said_after_where_it_is() -> None:
    assert described_business("我们公司注册在苏州工业园区，做激光切割设备的，要把客户联系人发给德国总部")
    assert described_business("我们公司在南京，做的是什么还没定") is None


def test_a_sentence_sending_data_to_a_company_names_no_business() -> None:
    assert described_business("我们是上海一家公司，准备把客户的姓名电话发给新加坡的关联公司") is None


@pytest.mark.parametrize(
    "text",
    ["我司（朝阳，做工业软件的）要把客户联系人同步到德国", "少儿在线美术平台，成都的。想把学员名单给美国的合作方"],
)
def test_a_business_said_in_brackets_or_as_an_online_platform(text: str) -> None:
    assert described_business(text)


def test_an_auto_parts_supplier_is_automotive() -> None:
    assert (
        extract_facts(
            "We're an auto parts supplier in Ningbo sending 3,000 dealers' contacts to Stuttgart"
        ).facts.industry
        == "automotive"
    )


def test_our_hospital_named_in_brackets_is_ours() -> None:
    assert extract_facts("我院（朝阳区一家二甲医院）要把随访记录发给新加坡的合作大学").facts.industry == "other"


def test_an_e_shop_is_retail() -> None:
    assert (
        extract_facts("tiny e-shop selling tea, 8,000 buyers' e-mails go to a Dublin newsletter tool").facts.industry
        == "retail"
    )


@pytest.mark.parametrize(
    "text", ["We sync 30k members' e-mails to our Macau rewards app.", "会员手机号要同步到我们在香港的积分平台"]
)
def test_the_system_the_data_goes_to_is_no_business(text: str) -> None:
    assert described_business(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "Yanqing nursery - the parent company in Osaka wants 90 toddlers' photos.",
        "Clinic IT here, Xicheng. We send 400 patients' X-rays to Seoul.",
        "Chaoyang window: a client of ours, a language school in Chaoyang, sends 700 learners' e-mails to Dublin.",
        "我们是海淀的一所中学，要把交换生名单给英国的学校",
        "Engineering lead at a Chaoyang SaaS company: 5k users' e-mails go to our Dublin support desk.",
        "丰台的一家连锁酒店，住客名单要同步到新加坡",
        "顺义宠物诊所 800个会员的手机号要发新加坡",
        "大兴的体检中心",
        "朝阳的新闻客户端，用户昵称要给美国的合作方",
    ],
)
def test_a_business_its_noun_alone_names_is_other(text: str) -> None:
    assert described_business(text)
    assert extract_facts(text).facts.industry == "other"


def test_a_role_at_a_business_names_the_business() -> None:
    assert extract_facts("Teacher at an international school. A pupil fell ill in Osaka.").facts.industry == "other"
    assert extract_facts("We share data with a hospital in Tokyo.").facts.industry is None


def test_medicines_named_in_the_data_are_no_pharmaceutical_business() -> None:
    text = "The hospital in Kathmandu needs his allergies and the drugs he takes; 医院要他正在服用的药物。"
    assert extract_facts(text).facts.industry != "pharmaceutical"
    assert extract_facts("We're a drug company in Daxing.").facts.industry == "pharmaceutical"


def test_the_companys_own_legal_name_names_its_business() -> None:
    text = "Our studio is Beijing Starfall Interactive Entertainment Co., Ltd. The Tokyo publisher wants player IDs."
    assert extract_facts(text).facts.industry == "other"
    assert extract_facts("We send 5,000 names to Acme Trading Co., Ltd. in Seoul.").facts.industry is None


def test_subsidiaries_abroad_name_no_business() -> None:
    assert described_business("日本、韩国子公司都交了。") is None


def test_a_help_desks_client_firm_in_its_district_names_no_business() -> None:
    text = "顺义这边有家辖区企业咨询：想把3万会员的手机号给境外的广告公司做推广。"
    assert extract_facts(text).facts.industry is None


def test_its_a_kind_of_app_after_where_we_are_names_the_business() -> None:
    assert extract_facts("we're registered in Shunyi, it's a cycling app").facts.industry == "other"


def test_a_business_said_in_its_own_words_is_read_by_meaning() -> None:
    facts = extract_facts("我们是做国际快递的，公司在顺义。收件人信息要传给境外合作方。").facts
    assert facts.industry == "trade_logistics"


@pytest.mark.parametrize(
    "text",
    ["Our company is in Haidian, we send staff data to Tokyo.", "We send buyers' addresses to carriers abroad.",
     "我们是朝阳的，要把会员手机号传到新加坡。"],
)  # fmt: skip
def test_where_the_company_is_or_what_it_sends_is_no_description(text: str) -> None:
    assert descriptions(text, None) == []
