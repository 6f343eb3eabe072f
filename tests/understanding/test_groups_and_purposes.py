"""How people state groups of people and why data goes: batches dated by month, sub-groups with their own data,
papers that are one per person, counts over two years; purposes that only describe the people or name their data,
necessity said before a question, bodies abroad that are the other side, data coming in, and rule questions about
how a threshold is counted. The sentences are our own."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.understanding import extract_facts
from assistant.understanding.exemptions import find_exemption, find_necessity
from assistant.understanding.text import negated


def _read(text: str) -> dict[str, Any]:
    understood = extract_facts(text)
    return (understood.read or understood.facts).model_dump()


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        # a list of batches dated by month after "in three batches", the same figure twice included
        ("会员数据今年分三批给母公司：2月2.1万，6月2.1万，10月5.2w，每批都是新会员。", "personal_info_count", 94_000),
        ("We sent member data in three batches: March 21k, June 23k, Oct 52k, all new members.",
         "personal_info_count", 96_000),
        # a sub-group with its own data, after "of those" and after "其中" with an approximate classifier
        ("We'll send the attendee list, 12,400 people, name and email. About 700 of those are overseas guests who "
         "gave passport numbers.", "sensitive_info_count", 700),
        ("We'll send the attendee list, 12,400 people, name and email. About 700 of those are overseas guests who "
         "gave passport numbers.", "personal_info_count", 11_700),
        ("客户名单一共3.1万人，其中900来个留了护照号，要给新加坡的合作方。", "sensitive_info_count", 900),
        ("客户名单一共3.1万人，其中900来个留了护照号，要给新加坡的合作方。", "personal_info_count", 30_100),
        # CVs are one per applicant
        ("招聘季我们把简历发给新加坡的区域HR一起筛，今年收了大概八千份，只有姓名电话和工作经历。",
         "personal_info_count", 8_000),
        ("We forward about 8,000 CVs a year to the regional HR team in Singapore.", "personal_info_count", 8_000),
        # a count of two years together: this year's is at most that
        ("2025和2026两年加起来给新加坡的合作方传了大概9万会员的手机号，分年的数字拿不出来。", "at_most_counts",
         ["personal_info_count"]),
        ("Over the last two years combined we sent about 140k customers' emails to Sydney.", "at_most_counts",
         ["personal_info_count"]),
        # the lead of the batches a long way before the first one
        ("我们做SaaS的，今年分三批把企业客户的对接人信息同步到海外CRM：3月1.2w、6月2.2w、9月3.3w，三批不重复。",
         "personal_info_count", 67_000),
        # between companies only
        ("我们给德国厂家发采购订单和报关单，都是公司对公司的，要申报吗？", "personal_info_count", 0),
        # an earlier batch whose size nobody has asked yet
        ("上半年还单独给美国的一家广告公司传过一批报名线索，有多少人我还没问到", "personal_info_count", None),
    ],
)  # fmt: skip
def test_how_groups_of_people_are_counted(text: str, field: str, value: Any) -> None:
    assert _read(text)[field] == value


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        ("我们是顺义一家做电动牙刷的厂，要把用户手机号给境外云服务商。", "industry", "other"),
        ("I'm at the Tianjin provident fund management centre; a Macau bank wants records of 20 applicants.",
         "industry", "other"),
        ("I'm at the Tianjin provident fund management centre; a Macau bank wants records of 20 applicants.",
         "public_affairs_body", True),
        ("我们是某区的医保经办中心，境外保险公司要2个参保人的报销记录", "public_affairs_body", True),
        ("We are a Beijing branch of a foreign bank, sending 3,000 clients' balances to Hong Kong.", "industry",
         "banking"),
        ("我们是德国车企在北京的子公司，要把车主数据传到慕尼黑", "industry", "automotive"),
        ("Our bank's head office wants the statements of 1,000 retail customers.", "industry", "banking"),
        ("we're a visa agency; passports and bank statements of 2,000 clients go to the consulate", "industry",
         "other"),
        ("The Lyon prosecutor asked our parent for the emails of 3 engineers.", "foreign_judicial_request", True),
    ],
)  # fmt: skip
def test_who_sends_and_who_asks(text: str, field: str, value: Any) -> None:
    assert _read(text)[field] == value


@pytest.mark.parametrize(
    ("text", "basis"),
    [
        # the purpose's words only say whose data it is, or name the data itself
        ("Head office wants, for its fraud model, the history of all customers with cross-border remittances, "
         "12,000 people.", None),
        ("总行要今年有跨境汇款记录的客户的交易流水，1.2万人，用于反洗钱模型。", None),
        ("His brother wants his itinerary and hotel bookings from us, can we send them?", None),
        # still a purpose when it is one
        ("We send the details to the foreign bank to complete the customer's cross-border remittance.",
         "contract_with_individual"),
        ("我们是留学中介，今年帮差不多九百个学生申请国外大学，成绩单和护照首页要发给学校。",
         "contract_with_individual"),
        # a recommendation letter is no recommendation engine
        ("留学中介帮学生申请英国大学，推荐信和护照首页要发给学校。", "contract_with_individual"),
        # another purpose beside the exempt one: not every transfer is exempt
        ("we're a visa agency: passports go to the consulate's visa centre, and we'd also pass the same clients' "
         "passport details to an insurer in Spain so they can pitch them insurance.", None),
        # a model no exemption names, in another clause than a remittance the customers made
        ("Head office wants data of customers who sent remittances in 2026. It is for the 2027 AML model refresh.",
         None),
        # an acute illness abroad and the hospital treating it; "it's urgent" denies nothing
        ("a guest of our tour collapsed in Nagoya, the hospital there is asking for his medical history. its urgent",
         "emergency"),
        ("HQ says it's not an emergency, they just want the health records of the Osaka staff.", None),
        # data collected abroad, with nobody from China in it, sent back
        ("Our helpdesk in Shunyi answers emails for a Swedish brand's customers in Europe. Each week the ticket logs "
         "go back to the brand in Stockholm. No Chinese customers in there.", "offshore_collected_reexport"),
    ],
)  # fmt: skip
def test_purposes(text: str, basis: str | None) -> None:
    found = find_exemption(text)
    assert (found.basis if found else None) == basis


@pytest.mark.parametrize(
    "text",
    [
        "The clinic in Osaka won't book the slot until it has the scans and the passport.",
        "总部的股权系统要员工的身份证号和工资卡号，公司制度里写明了，这个要签合同吗？",
        "It's all set out in our staff handbook, and HQ runs payroll for the seconded staff.",
    ],
)
def test_necessity_said_before_a_question_or_as_a_condition(text: str) -> None:
    assert (find_necessity(text) or (False, ""))[0] is True


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("100万人的门槛是按人头算还是按记录条数算？一个人有三条订单记录，算一个还是三个？", "informational"),
        ("Is the 1 million threshold counted per person or per record?", "informational"),
        ("Is a foreign consulate asking for one of its nationals' records the same thing as a foreign police "
         "request under PIPL 41? Or is it something else?", "informational"),
        ("Our French parent will send us its EU customer list for a CRM here. Is there anything on the Chinese side "
         "for bringing data in?", "out_of_scope"),
        ("境外总公司要把欧洲客户数据传进国内给我们做分析，数据入境需要什么手续吗？", "out_of_scope"),
        ("We are exporting 500 wiped laptops to our Hanoi plant, which customs forms do we need?", "out_of_scope"),
        # a question about an exemption's conditions, with no case of the person's own
        ("人力资源管理那个豁免，是不是必须写进劳动规章制度才行？", "informational"),
        ("Does the HR exemption need a collective contract, or is a staff handbook enough?", "informational"),
        # a campaign that "brings in" customers brings no data into China
        ("and if the spring campaign brings in 400k new customers on top of that, same answer?", "transfer"),
    ],
)  # fmt: skip
def test_what_the_message_asks(text: str, intent: str) -> None:
    assert extract_facts(text).intent == intent


def test_about_a_thousand_is_no_denial() -> None:
    text = "差不多一千人不传"
    assert not negated(text, text.index("一千"))
    assert negated("没有一千人", 2)


@pytest.mark.parametrize(
    ("follow_up", "sensitive"),
    [
        ("那如果只传去年结课的那批呢？去年那批是6000个孩子", 6_000),  # a group named by last year's classes
        ("what if we only send the 2025 cohort instead? that is 6,000 kids", 6_000),
        ("去年传过6000个孩子的数据", 10_000),  # sent last year: not this year's count
    ],
)
def test_a_group_named_by_an_earlier_year_is_sent_now(follow_up: str, sensitive: int) -> None:
    first = extract_facts("我们是海淀的少儿编程机构，想把学员的作品传给加拿大的平台，今年在读的有1万个孩子，都不满14岁")
    assert extract_facts(follow_up, first.facts).facts.sensitive_info_count == sensitive


@pytest.mark.parametrize(
    "text",
    [
        # kinds listed in a question after "any sensitive data?" are asked, not sent
        "要传8万会员的手机号。含不含敏感数据？护照号、行程、卡号？都不含。",
        "We send 80k members' phone numbers to Tokyo. Any sensitive data? Passport numbers, trips, card numbers? No.",
        # what would be trouble if it went too does not go
        "这次只把8万会员的手机号传到东京。老周：好，老师的卡号要是也传过去就麻烦了。",
        "We send 80k members' phone numbers to Tokyo. Good - if the tutors' bank cards went too that would be a mess.",
    ],
)
def test_kinds_asked_about_or_feared_are_not_sent(text: str) -> None:
    facts = extract_facts(text).facts
    assert (facts.personal_info_count, facts.sensitive_info_count) == (80_000, 0)


@pytest.mark.parametrize(
    ("text", "industry"),
    [
        ("we make insulin pumps, registered in Daxing; the app data of 3,000 users goes to our US team",
         "medical_devices"),
        ("公司在昌平，生产血糖仪，美国研发团队要用户的读数", "medical_devices"),
        ("We sell rugs online, company's in Beijing. A Manila BPO would see 50k buyers' phones.", "retail"),
        ("我们在京东上卖家具，公司在朝阳，客服外包到菲律宾", "retail"),
        ("hi, Maria from a language school group in Haidian here. our UK partner wants 800 students' names", "other"),
    ],
)  # fmt: skip
def test_what_the_business_does(text: str, industry: str) -> None:
    assert _read(text)["industry"] == industry


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("our Canadian parent wants 1 only the teachers emails or 2 teachers emails plus their payslips", None),
        ("we send 2 engineers' CVs and 3 managers' emails to Toronto", 5),  # two groups, not options
    ],
)
def test_numbered_options_are_not_people(text: str, count: int | None) -> None:
    assert _read(text)["personal_info_count"] == count
