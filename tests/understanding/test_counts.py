"""People counts as Provisions arts 7-8 count them: this year's individuals, each once, sensitive first.

Every sentence here is written for these tests; `YEAR` is the calendar year the tests run in.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from assistant.facts import Facts
from assistant.understanding import extract_facts
from assistant.understanding.counts import find_counts
from assistant.understanding.dates import read_on
from assistant.understanding.people import counting_year, resolve_year
from assistant.understanding.text import clean_message

YEAR = dt.date.today().year
LAST = YEAR - 1
P, S = "personal_info_count", "sensitive_info_count"
AT_MOST = "at_most_counts"

CASES: list[tuple[str, str, dict[str, Any]]] = [
    # the year: last year's people are not counted, this year's batches add up
    ("last-year-en", "Last year we sent 150k subscribers' e-mails abroad; this year 25k.", {P: 25_000}),
    ("last-year-zh", "去年传过15万会员的手机号，今年要传2.5万人", {P: 25_000}),
    ("explicit-year", f"In {LAST} we exported 90,000 members' e-mails. In {YEAR} we plan 20,000 more.", {P: 20_000}),
    ("explicit-year-zh", f"{LAST}年传了9万人，今年计划再传2万人的手机号", {P: 20_000}),
    ("only-last-year", "Last year we sent 150k subscribers' e-mails to Tokyo.", {P: None}),
    ("seasons", "70,000 members' e-mails went out in spring + 35,000 planned for winter", {P: 105_000}),
    ("halves-zh", "今年上半年已传了7万人，下半年还要传3.5万人的邮箱", {P: 105_000}),
    ("quarters-zh", "一季度传了2万名会员的手机号，三季度再传3万", {P: 50_000}),
    ("batches-zh", "第一批传了4万人的邮箱，第二批还有1万人", {P: 50_000}),
    ("quarters-en", "In Q1 we sent 15,000 members' e-mails, in Q3 another 5,000", {P: 20_000}),
    ("already-and-more", "So far this year 40,000 buyers' addresses, and another 15,000 next month", {P: 55_000}),
    # groups: a sub-group is part of its group, separate groups add
    ("minors-in-players", "90,000 gamers' nicknames, roughly 4,000 under 14", {P: 86_000, S: 4_000}),
    ("其中儿童", "9万用户的昵称，其中约4000名儿童", {P: 86_000, S: 4_000}),
    ("of-them-cards", "60,000 shoppers' phone numbers, and 5,000 of them with credit cards", {P: 55_000, S: 5_000}),
    ("whole-group-sensitive", "30,000 patients' medical records, 2,000 of them children", {S: 30_000, P: 0}),
    ("人里按年龄", "6万学员里未满14周岁的约5000人，14到16岁的约8000人，其余是成人", {P: 55_000, S: 5_000}),
    ("个不满14岁", "这7万会员（其中约2000个不满14岁）的昵称要同步到东京", {P: 68_000, S: 2_000}),
    ("of-whom-age-after", "Reading logs of 40,000 learners, of whom some 2,500 are aged under 14, go to Dublin",
     {P: 37_500, S: 2_500}),
    ("of-which-age-after", "about 12k fan-club members, of which roughly 900 are under 14", {P: 11_100, S: 900}),
    # the writer's own company is no count; the same number said again without its data is the same people
    ("我是一家-负责人", "我是一家外资银行的安全负责人，要把8000名客户的账户流水传给香港", {S: 8_000, P: 0}),
    ("same-number-again", "最后定了按2.4万人准备。问题：2.4万人的体检报告要传到首尔，走什么流程？", {S: 24_000, P: 0}),
    # records said to be of different people are people
    ("records-different-people", "we forward 6,000 warranty records to Osaka, all different customers", {P: 6_000}),
    # ages are no counts
    ("ages-en", "our learners are mostly kids 7-11 and their parents; the list goes to Dublin", {P: None, S: None}),
    # identifiers each of one person
    ("emails-counted", "the webinar list, 45,000 emails and names, goes to a Dublin mailing agency", {P: 45_000}),
    ("手机号-counted", "把2万个手机号给香港的短信服务商", {P: 20_000}),
    # people named by their role
    ("executives", "we pass the phone numbers of about 450 executives of our dealers to the Paris office", {P: 450}),
    ("高管", "约450名经销商高管的手机号要给巴黎办公室", {P: 450}),
    # a bound said as a rule someone remembers is no count of ours
    ("rule-remembered-zh", "听说不满10万人就不用申报，我们大概八千多人的手机号", {P: 8_000}),
    ("rule-remembered-en", "someone said below 100k people you don't need anything; we have 7,500 members' e-mails",
     {P: 7_500}),
    ("bound-of-ours", "我们不到10万人就不用报了吧，都是会员的邮箱", {P: 99_999}),
    # a total said beside its parts is the count
    ("total-en", "In spring 12k subscribers' e-mails went to Oslo, in autumn 9k, so 21k in total", {P: 21_000}),
    ("total-across-years", "去年12月传了4万名会员的邮箱，今年又传了3万，加起来7万", {P: 30_000}),
    ("total-with-sub-group", "今年一共7万名用户的昵称要传，其中约3000个是注册时填的不满14岁", {P: 67_000, S: 3_000}),
    ("合计", "上半年3万名会员，下半年2万名，合计5万人的手机号要传", {P: 50_000}),
    # logs, recordings and trips are no people when the people are counted beside them
    ("logs-of-users", "1.5 million chat logs from about 200k users go to the Austin lab", {P: 200_000}),
    # a list item's number is not a count
    ("item-numbers", "两个问题：1. 会员的邮箱能不能传？2. 我们要不要签合同？", {P: None}),
    ("two-groups", "We send payroll of 4,000 employees and e-mails of 16,000 customers to the parent", {P: 20_000}),
    ("two-groups-zh", "把3000名员工的工资和2万名客户的邮箱传给总部", {P: 23_000}),
    ("sensitive-and-not", "Medical records of 7,000 patients and phone numbers of 9,000 members", {S: 7_000, P: 9_000}),
    ("have-versus-send", "We have 5,000 staff and will send 30,000 buyers' addresses to the carrier", {P: 30_000}),
    # units that are not people: records are at most as many people (a person may have several)
    ("order-rows", "We upload 200,000 order rows a month to the Singapore warehouse", {P: None}),
    ("order-rows-once", "We upload 200,000 order rows to the Singapore warehouse once", {P: 200_000, AT_MOST: [P]}),
    ("条记录", "每月有8万条交易记录传到新加坡", {P: None, S: None}),
    ("条交易记录", "今年有8万条交易记录要传到新加坡", {P: 80_000, S: None, AT_MOST: [P]}),
    ("条交易记录-bank", "我们是银行，今年有8万条交易记录要传到新加坡", {P: None, S: 80_000, AT_MOST: [S]}),
    ("笔", "今年要传12万笔订单信息", {P: 120_000, AT_MOST: [P]}),
    ("noun-then-number", "健身房会员42万，要把手机号给悉尼的母公司", {P: 420_000}),
    ("noun-about-number", "学员约1.8万，邮箱要同步到新加坡", {P: 18_000}),
    ("one-per-person", "Our CRM holds 70,000 member files, one per member, all going to Lyon",
     {P: 70_000, AT_MOST: []}),
    ("每人一条", "会员库有7万条记录，每人一条，全部传到里昂", {P: 70_000, AT_MOST: []}),
    # papers about people are records; one each makes them as many as the people
    # a later count that revises the earlier one of the same people
    ("revised-now", "报名的有4,800人，后来有人退出，现在是4,200人，问卷结果要给悉尼", {S: None, P: 4_200}),
    ("revised-after-dedup", "The export showed 52k contacts; after de-dup it is 41,000 people. Names only.",
     {P: 41_000}),
    # chat shorthand, and a section's number that is no count
    ("ppl", "sending emails of like 4w ppl to Dublin", {P: 40_000}),
    ("mil", "1.5 mil app users' phone numbers go to Dublin", {P: 1_500_000}),
    ("section-number", "Clause 5.1 The Overseas Recipient may keep the data for 10 years.", {P: None, S: None}),
    ("another-batch-bare", "今年到现在传了5.2万，年底前还有一批3.1万", {P: 83_000}),
    ("人次", "今年体检一万二千多人次，血糖和病史要给悉尼的研究所", {S: 12_000, AT_MOST: [S]}),
    ("票运单", "今年16万票运单（收件人姓名、电话）要同步到洛杉矶", {P: 160_000, AT_MOST: [P]}),
    ("体检报告-records", "今年约4000份体检报告要传到首尔", {S: 4_000, AT_MOST: [S]}),
    ("体检报告-one-each", "今年约4000份体检报告要传到首尔，一人一份", {S: 4_000, AT_MOST: []}),
    ("份-of-documents", "我们准备了3份材料，会员邮箱要同步到首尔", {P: None}),
    ("reports-records", "About 4,000 health-check reports go to Seoul this year", {S: 4_000, AT_MOST: [S]}),
    # none said of what comes back is of that flow, not of the transfer
    ("none-in-the-results", "今年约6万名会员的姓名和电话要传给首尔的服务商，他们的分析结果回传给我们，不含个人信息",
     {P: 60_000, S: 0}),
    ("none-at-all", "传给首尔的只是门店销量统计，不含个人信息", {P: 0, S: 0}),
    ("per-customer-ratio", "two addresses per customer for 30,000 customers go to Lyon", {P: 30_000}),
    ("每家门店", "每家门店约3000名会员，共20家门店，会员手机号传到里昂", {P: None}),
    ("companies", "contract data of 800 supplier companies goes to Munich", {P: None}),
    ("representatives", "names and phones of the legal representatives of 900 supplier companies", {P: 900, S: 0}),
    ("法定代表人", "900家供应商的法定代表人的姓名和电话要传到慕尼黑", {P: 900, S: 0}),
    # an order has no person of its own: its recipients may be far fewer than the orders
    ("recipients-of-orders", "今年约30万单的订单数据（收件人姓名和电话）要给吉隆坡的仓库", {P: 300_000, AT_MOST: [P]}),
    ("customers-records", "We send 50,000 customer records", {P: 50_000, AT_MOST: [P]}),
    ("head-noun-of", "We send the names of about 70,000 recipients of parcels to Osaka", {P: 70_000, AT_MOST: []}),
    ("customers-own-records", "We send 50,000 customers' purchase records", {P: 50_000}),
    # a threshold quoted is no count
    ("line", "Our 70,000 members' e-mails go abroad; surely we're above the 10,000 line?", {P: 70_000}),
    ("门槛", "要传6万名会员的手机号，是否超过10万人的门槛？", {P: 60_000}),
    ("law-words-in-a-question", "今年要把3.6万名患者的病历传给新加坡总部，早就超过1万敏感个人信息了吧", {S: 36_000}),
    ("threshold-question", "Does the 100,000-person threshold apply to us?", {P: None}),
    ("is-it-the-threshold", "We send 8,000 members' e-mails. Is 10,000 the limit?", {P: 8_000}),
    # approximate and exact
    ("about", "about 99,000 buyers' addresses", {P: 99_000}),
    ("左右", "9.9万左右买家的地址", {P: 99_000}),
    ("上下", "10万上下的会员手机号", {P: 100_000}),
    ("近", "近5万名会员的手机号", {P: 50_000}),
    ("余", "3万余名会员的手机号", {P: 30_000}),
    ("十多万", "十多万会员的手机号", {P: 100_000}),
    ("两千来人", "两千来人的手机号", {P: 2_000}),
    ("tilde", "~12k buyers' addresses", {P: 12_000}),
    ("exactly", "precisely 100,000 buyers' addresses", {P: 100_000}),
    ("刚好", "刚好10万人的手机号", {P: 100_000}),
    ("more-than", "more than 100,000 buyers' addresses", {P: 100_001}),
    # ranges: the upper end, with the range kept (the checker decides when both ends agree)
    ("range-thousand", "between 7 and 11 thousand buyers' addresses", {P: 11_000}),
    ("range-zh", "7千到1.1万名会员的手机号", {P: 11_000}),
    # years are not counts
    ("year-zh", f"{YEAR}年要传3万名会员的手机号", {P: 30_000}),
    ("in-year", f"in {YEAR} we send 30,000 members' e-mails", {P: 30_000}),
    # a number taken back: a slip and the number that replaces it, or the number said again after "not"
    ("slip-en", "We'll share 450k - my bad, typo, 45k - subscribers' e-mails with Dublin.", {P: 45_000}),
    ("slip-zh", "要把8万名会员——哦不对，是8千名会员的手机号发给首尔", {P: 8_000}),
    ("not-the-number", "It's 30k donors' addresses, not 300k, going to Geneva.", {P: 30_000}),
    ("不是那个数", "是3万名捐款人的地址，不是30万，要发到日内瓦", {P: 30_000}),
    ("sorry-between-batches", "we share 5,000 in April (sorry for the long mail) and 3,000 more in June, all donors",
     {P: 8_000}),
    # "add" another batch, of people named by how they joined
    ("add-the-batch", "we synced 50,000 members to Lisbon in May and now want to add the 55,000 new sign-ups",
     {P: 105_000}),
    # a bound said beside the count ("under 100k") keeps the count
    ("bound-beside-count",
     "about 3,000 renters' driving licence numbers go to Perth this year - fine since it's under 100k?", {S: 3_000}),
    # the people a count of companies names ("供应商联系人")
    ("company-contacts", "把约6千个经销商联系人的手机号同步给德国总部", {P: 6_000}),
    # a fraction is no count, and a meeting's attendance line names who met, not whose data goes
    ("fraction", "roughly one fifth of the pupils' photos would go to the Toronto app", {P: None, S: None}),
    ("attendance", "Minutes\nPresent: three teachers, two parent reps\n1. 400 parents' e-mails go to Toronto.",
     {P: 400}),
    # the number said as "the total for …" or "今年的总数", a range included
    ("total-for", "for the Lisbon sync, the total for this year is 64k", {P: 64_000}),
    ("今年的总数", "同步到里斯本的，今年的总数是6.4万", {P: 64_000}),
    ("range-after-is", "ok so the number for 2026 is 70k-120k, no more precise yet", {P: 120_000}),
    # a sub-group of the people we have, all of whom are sent
    ("all-of-them-sent", "We have 60k learners and send all their profiles to Oslo; 4k of them are kids.",
     {P: 56_000, S: 4_000}),
    # numbers that are not people: ages, sites, the year of the batches
    ("ages-span", "Names of 1,250 pupils go to Perth. They are 3 to 6 years old.", {S: 1_250}),
    ("岁数区间", "1250名幼儿的姓名要给珀斯，都是3到6岁", {S: 1_250}),
    ("campuses", "about 2,000 pupils across our 9 campuses, names only, to Perth", {S: 2_000}),
    ("校区", "9个校区一共2000名学生的姓名发到珀斯", {P: 2_000}),
    ("year-of-batches", f"{YEAR} batches of buyers' e-mails sent to Oslo: 4,000 buyers", {P: 4_000}),
    ("plain-number-of-people", "we have 2000 employees and their e-mails go to Oslo", {P: 2_000}),
    # a dated list of batches adds up; a total said as "together that is" is the total
    ("dated-batches", "Buyers' e-mails sent to Oslo this year:\n- 14 Feb: 6,000 buyers\n- 3 Jun: 4,500 buyers",
     {P: 10_500}),
    ("together-total", "Spring was 900 patients' scans, autumn 610 more. Together that is 1,510 patients.",
     {S: 1_510}),
    # a figure taken back, a group left out, words someone was told
    ("said-but", "I said 31,000 members, but that included last year. We send 23,000 members' e-mails to Oslo.",
     {P: 23_000}),
    ("之前说的", "我之前说的5万不对，包含了去年的。今年是3万名会员的手机号发到奥斯陆。", {P: 30_000}),
    ("whose-data-not-sent", "3,200 patients' medical records go to Boston; 48 screen failures whose data is not sent.",
     {S: 3_200}),
    ("people-then-are", "Members active this year are 23,000, and their e-mails go to Oslo.", {P: 23_000}),
    # children and the adults beside them: the sensitive data named is the children's
    ("children-and-parents", "The chess club's app in Seoul gets kids' names and medical notes and parents' phones: "
     "we have 61 children signed up, and roughly 97 parents in the chat.", {S: 61, P: 97}),
    ("孩子和家长", "孩子的病历和家长手机号都放在首尔的服务器上，兴趣班有61个孩子，家长大约97人", {S: 61, P: 97}),
    # a day of the month, a condition, one person per account
    ("day-of-month", "We send 4,000 members' e-mails to Oslo. The review moved to Dec 3.", {P: 4_000}),
    ("condition-zh", "约2,600名患者的病历发往巴塞尔，数据量如超过5万人再重新评估", {S: 2_600}),
    ("condition-en", "We send 2,000 patients' medical records; if it exceeds 5,000 patients we redo it.", {S: 2_000}),
    ("what-if", "We send 40,000 users' e-mails to Oslo. And if it reaches 150,000 users?", {P: 150_000}),
    ("one-person-each", "We sync 13k accounts to Tokyo, roughly one person each, names and e-mails.", {P: 13_000}),
    ("住户", "想把2.3万住户的人脸特征值迁到新加坡", {S: 23_000}),
    ("dated-by-day", "Lisbon gets member e-mails: March batch 30k, June 25k, Friday 15k. All different members.",
     {P: 70_000}),
    ("was-told", 'I was told "under 10,000 people is fine", but now 12,000 members\' e-mails go to Oslo.',
     {P: 12_000}),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), [(t, e) for _, t, e in CASES], ids=[i for i, _, _ in CASES])
def test_counts(text: str, expected: dict[str, Any]) -> None:
    with read_on(dt.date(YEAR, 6, 15)):  # "next month" is of this year
        facts = extract_facts(text).facts
    for name, value in expected.items():
        assert facts.value(name) == value, name


NOTES = [
    ("Last year we sent 150k subscribers' e-mails to Tokyo.", f"is of {LAST}, not counted"),
    ("每月有8万条交易记录传到新加坡", "records or companies, not people"),
    ("about 99,000 buyers' addresses", "approximately"),
    ("大概9.9万买家的地址", "approximately"),
    ("between 7 and 11 thousand buyers' addresses", "a range: 7,000 to 11,000"),
]


@pytest.mark.parametrize(("text", "note"), NOTES, ids=[t for t, _ in NOTES])
def test_counts_are_explained(text: str, note: str) -> None:
    assert any(note in n for n in extract_facts(text).notes)


def test_the_same_people_are_never_in_both_counts() -> None:
    first = extract_facts("45,000 members' e-mails go to our parent").facts
    assert (first.personal_info_count, first.sensitive_info_count) == (45_000, 0)
    later = extract_facts("and their passport numbers", first).facts
    assert (later.personal_info_count, later.sensitive_info_count) == (0, 45_000)
    part = extract_facts("2,500 of them are children", first).facts
    assert (part.personal_info_count, part.sensitive_info_count) == (42_500, 2_500)


def test_a_transfer_date_sets_the_counting_year() -> None:
    text = f"We plan to send 30,000 members' e-mails in March {YEAR + 1}; last year we sent 200,000"
    facts = extract_facts(text).facts
    assert facts.personal_info_count == 30_000
    dated = Facts(transfer_date=dt.date(YEAR + 1, 3, 1))
    assert counting_year([], dated) == YEAR + 1
    assert counting_year([], Facts()) == YEAR
    assert resolve_year(("relative", -1), YEAR + 1) == YEAR - 1  # "last year" is said against the day of reading
    assert resolve_year(("relative", 1), YEAR) == YEAR + 1
    assert resolve_year(("current", 0), YEAR + 1) == YEAR + 1  # "now", "this time": the transfer's year
    assert resolve_year(("year", 2024), YEAR) == 2024
    assert resolve_year(None, YEAR) is None


def test_count_attributes() -> None:
    (count,) = [c for c in find_counts(clean_message("约3万名会员")) if c.attached]
    assert (count.value, count.approximate, count.noun) == (30_000, True, "会员")
    (records,) = find_counts(clean_message("3万条记录"))
    assert records.records and not records.attached


def test_an_approximate_count_is_marked() -> None:
    from assistant.understanding import extract_facts

    facts = extract_facts("We send roughly 90,000 members' e-mail addresses to Lyon.").facts
    assert facts.personal_info_count == 90_000 and facts.approximate_counts == ["personal_info_count"]
    exact = extract_facts("We send exactly 90,000 members' e-mail addresses to Lyon.").facts
    assert exact.approximate_counts == []


def test_some_of_them_with_sensitive_data_and_how_many_unknown() -> None:
    from assistant.understanding import extract_facts

    facts = extract_facts("我们要把3万名学员的资料传给新加坡，部分学员上传了身份证照片，具体多少人不清楚。").facts
    assert facts.personal_info_count == 30_000 and facts.sensitive_info_count is None


@pytest.mark.parametrize(
    "text",
    [
        "We send payroll of 2,400 staff to the Osaka parent, with medical certificates for some of them.",
        "我们要把2400名员工的资料传到大阪母公司，其中部分员工有病假证明。",
    ],
)
def test_sensitive_data_of_an_unknown_part_leaves_the_sensitive_count_unknown(text: str) -> None:
    facts = extract_facts(text).facts
    assert facts.sensitive_info_count is None and facts.personal_info_count == 2_400


def test_only_employees_data_is_in_no_sector_scenario() -> None:
    facts = extract_facts("Our Shunyi plant sends the payroll of 900 staff to the Osaka parent.").facts
    assert facts.scenario == "other"
    rule_question = extract_facts("What does the HR exemption cover for employees' data?")
    assert rule_question.intent == "informational"


def test_a_bracketed_list_stays_in_the_clause_of_its_count() -> None:
    text = "we sent 30k members' details (name, phone, tier) to Seoul in April and will send 75k more in October"
    counts = [c for c in find_counts(text) if c.attached]
    assert [c.batch for c in counts] == ["in april", "in october"]


def test_owners_of_cars_are_people_and_cars_are_not() -> None:
    assert [(c.value, c.noun) for c in find_counts("we pass 12k car owners' phone numbers to Turin") if c.attached] == [
        (12_000, "owner")
    ]
    assert not [c for c in find_counts("telemetry of 5,000 cars goes to Turin") if c.attached]


def test_named_ordinary_fields_without_a_count_mean_no_sensitive_data_but_make_no_case() -> None:
    listed = extract_facts("The florist chain wants to copy subscribers' names and e-mail addresses to Lisbon")
    assert listed.facts.sensitive_info_count == 0
    assert listed.facts.personal_info_count is None  # how many is still to be asked
    health = extract_facts("The florist chain wants to copy subscribers' names and allergy notes to Lisbon")
    assert health.facts.sensitive_info_count is None
    question = extract_facts("Are an e-mail address and a job title sensitive personal information?")
    assert question.intent == "informational"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # items of a list are separate groups that add up, whatever their nouns
        ("两类数据：一是6万名经销商的联系方式，二是3万名维修技师的联系方式", {P: 90_000}),
        ("Two lists go to Oslo: (1) 50,000 shoppers' e-mails, (2) 30,000 couriers' phone numbers", {P: 80_000}),
        # any plural noun that "who" follows names people
        ("12,000 beekeepers who sell to us, their names and phones, go to the Lyon office", {P: 12_000}),
        # a later batch that names no data of its own sends the data of the batch before it
        ("3月已传4000名会员的体检报告，下个月还有3000名不同会员的要传", {S: 7_000, P: 0}),
        # a plural person noun before "records" is a possessive without its apostrophe
        ("we send 2,500 tenants lease records to the landlord's head office in Hong Kong", {P: 2_500}),
    ],
)
def test_groups_batches_and_nouns(text: str, expected: dict[str, Any]) -> None:
    facts = extract_facts(text).facts
    for name, value in expected.items():
        assert facts.value(name) == value, name


def test_a_group_with_sensitive_data_said_before_the_total_is_part_of_it() -> None:
    facts = extract_facts("名单有姓名和邮箱，其中写了过敏史的约500人，一共1.2万名学员，要发给悉尼的合作学校").facts
    assert (facts.sensitive_info_count, facts.personal_info_count) == (500, 11_500)


def test_circled_numbers_number_a_list() -> None:
    facts = extract_facts("请确认：①今年传的会员2万人②字段只有手机号③不含敏感信息").facts
    assert facts.personal_info_count == 20_000


def test_a_breakdown_in_brackets_adds_no_people() -> None:
    parts = extract_facts("会员一共24万人（线上15万、门店9万），手机号要发给新加坡的集团").facts
    assert parts.personal_info_count == 240_000
    english = extract_facts("we sync 90k patrons (60k from the app, 30k from the box office) to Sydney").facts
    assert english.personal_info_count == 90_000
    one = extract_facts("we send 90k patrons (about 4k of them under 14) to Sydney").facts
    assert one.sensitive_info_count == 4_000


def test_this_years_people_sent_next_year_count_in_next_year() -> None:
    import datetime as dt

    from assistant.understanding.dates import read_on

    with read_on(dt.date(2026, 12, 1)):
        members = extract_facts("今年的会员有15万人，下个月要把姓名和手机号同步到吉隆坡").facts
        assert members.personal_info_count == 150_000
        batches = extract_facts("this year we sent 70k guests' e-mails; in February next year 40k more go").facts
        assert batches.personal_info_count == 40_000


def test_people_said_not_to_overlap_add_to_the_earlier_count() -> None:
    first = extract_facts("我们的记账App今年有30万用户，昵称和邮箱要同步到东京").facts
    later = extract_facts("另外健身App今年12万用户也一起同步，跟记账App的用户没有重叠", first).facts
    assert later.personal_info_count == 420_000
    quiz = extract_facts("our quiz app's 50k users' e-mails go to Oslo this year").facts
    chess = extract_facts("the chess app's 70k users go too - no overlap with the quiz players", quiz).facts
    assert chess.personal_info_count == 120_000


def test_a_bound_a_rule_was_changed_to_is_no_count() -> None:
    facts = extract_facts("我们今年有3000名受试者的数据要传到波士顿，听说有地方把门槛调高到了20万人？").facts
    assert facts.sensitive_info_count == 3_000 or facts.personal_info_count == 3_000


def test_a_grade_or_a_room_number_is_no_count() -> None:
    facts = extract_facts("about 9,000 pupils' names go to Perth, most of them in grade 5 kids' clubs").facts
    assert 5 not in (facts.personal_info_count, facts.sensitive_info_count)


def test_students_of_unstated_age_leave_the_sensitive_count_open() -> None:
    open_ = extract_facts("3万名学生的姓名和考试成绩要发给悉尼的合作方").facts
    assert open_.personal_info_count == 30_000 and open_.sensitive_info_count is None
    adults = extract_facts("3万名大学生的姓名和考试成绩要发给悉尼的合作方").facts
    assert adults.sensitive_info_count == 0


@pytest.mark.parametrize(
    ("text", "people"),
    [
        # after "in N batches:" / "分N批："
        ("供应商联系人的姓名电话今年分四批发给迪拜：1万、2万、3万、1.5万，人都不一样", 75_000),
        ("we sent guests' e-mails to Lisbon in two rounds: 30k and 25k, all different people", 55_000),
        # side by side, each with its own month
        ("we sent 12k guests' e-mails to Rome in March, 9k in July, and 4k in October", 25_000),
        ("会员手机号今年2月传了1万人，6月8千，11月还要传6千", 24_000),
    ],
)
def test_numbers_listed_as_batches_add_up(text: str, people: int) -> None:
    assert extract_facts(text).facts.personal_info_count == people


def test_two_figures_said_as_alternatives_are_a_range() -> None:
    from assistant.understanding.counts import find_counts

    zh = [(c.value, c.low) for c in find_counts("会员大概可能6千多，也可能上1万1") if c.low is not None]
    assert zh == [(11_000, 6_000)]
    en = [(c.value, c.low) for c in find_counts("maybe 6k or possibly 11k members") if c.low is not None]
    assert en == [(11_000, 6_000)]


def test_people_counted_later_replace_a_bound_from_records() -> None:
    first = extract_facts("后台有15万个账号，会员的手机号要同步到香港").facts
    assert first.personal_info_count == 150_000 and first.at_most_counts == ["personal_info_count"]
    later = extract_facts("去重以后是8万人", first).facts
    assert later.personal_info_count == 80_000 and later.at_most_counts == []


def test_a_batch_next_year_after_this_years_count_starts_next_years_count() -> None:
    with read_on(dt.date(2026, 12, 1)):
        first = extract_facts("今年要把6万会员的邮箱传给新加坡的合作方").facts
        later = extract_facts("还有一批，明年2月再传4万", first).facts
        dated = extract_facts("The whole transfer happens in February next year", first).facts
    assert later.personal_info_count == 40_000 and later.transfer_date == dt.date(2027, 2, 1)
    assert dated.personal_info_count == 60_000  # no new batch: the same people, sent then


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "差不多" is "about", not a denial
        ("5.2w玩家的数据要同步到东京，里面差不多一千八是未满14岁的", {P: 50_200, S: 1_800}),
        # the year written short; what was sent this year so far and what is planned add up
        ("Last yr we sent 70k contacts to Oslo. This year so far 12k, plus 9k planned", {P: 21_000}),
        # "under 10万" is a bound, not an age
        ("about 4,000 drivers' names go to Munich; surely fine since it's under 10万?", {P: 4_000, S: 0}),
    ],
)
def test_everyday_shorthand(text: str, expected: dict[str, Any]) -> None:
    with read_on(dt.date(2026, 12, 1)):
        facts = extract_facts(text).facts
    for name, value in expected.items():
        assert facts.value(name) == value, name


def test_people_on_top_of_the_earlier_count_add_to_it() -> None:
    first = extract_facts("We send about 200k customers' e-mails to Singapore this year").facts
    later = extract_facts("and if between 300k and 500k more sign up on top of those?", first).facts
    assert later.count_ranges.get("personal_info_count") == (500_000, 700_000)


def test_a_count_said_again_is_the_same_people() -> None:
    text = "今年会员累计是86,000人。去年传过的4万人不算。结论：按86,000人计，这86,000个会员的邮箱传给首尔的服务商"
    with read_on(dt.date(2026, 12, 1)):
        facts = extract_facts(text).facts
    assert facts.personal_info_count == 86_000


def test_some_of_the_people_with_two_of_something_keeps_the_sensitive_count() -> None:
    text = "The card transaction records of 25,000 bank customers go to Singapore; some customers hold two cards."
    facts = extract_facts(text).facts
    assert facts.sensitive_info_count == 25_000


def test_a_corrected_estimate_a_bit_over_a_round_number_replaces_the_count() -> None:
    first = extract_facts("我们诊所要把大概4000个病人的病历给德国的合作医院").facts
    later = extract_facts("不对，加上分院估计得有一万出头", first).facts
    assert later.sensitive_info_count == 10_000 and "sensitive_info_count" in later.approximate_counts


@pytest.mark.parametrize(
    "text",
    [
        "今年1.2万名学员的姓名和家长电话要给多伦多总部，学员6到16岁",
        "12k students aged 6 to 16 - names and parents' phones go to Toronto",
        "今年1.2万名学员的姓名和家长电话要给多伦多总部，其中不满14岁的有多少还没统计",
        "12k students' names go to Toronto; we don't know how many are kids under 14",
    ],
)
def test_children_among_them_in_unknown_number(text: str) -> None:
    facts = extract_facts(text).facts
    assert facts.sensitive_info_count is None and facts.personal_info_count == 12_000


def test_sensitive_data_that_may_be_there_opens_the_count_again() -> None:
    first = extract_facts("今年5万学员的昵称和手机号要迁到东京服务器").facts
    assert first.sensitive_info_count == 0
    later = extract_facts("刚听说学员里可能有不满14岁的，具体多少不知道", first).facts
    assert later.sensitive_info_count is None and later.personal_info_count == 50_000


def test_a_follow_up_listing_this_years_uploads_adds_them_up() -> None:
    with read_on(dt.date(YEAR, 11, 15)):
        first = extract_facts("Last year we sent 150,000 customers' names and e-mails to Singapore. This year too?")
        later = extract_facts("This year it's been two uploads, 32,000 in March and 27,500 in September.", first.facts)
    assert later.facts.personal_info_count == 59_500


def test_the_date_of_a_filing_does_not_move_the_counting_year() -> None:
    with read_on(dt.date(YEAR, 11, 20)):
        first = extract_facts(f"On 9 March {YEAR} we sent 8,212 trial subjects' CRFs to Boston.")
        later = extract_facts(f"We registered with the free-trade group in Dec {LAST}. So?", first.facts)
    assert later.facts.sensitive_info_count == 8_212
