"""Batches of one year said in several ways, sensitive kinds by the things themselves, and account words by context."""

from __future__ import annotations

import pytest

from assistant.understanding.extract import extract_facts


@pytest.mark.parametrize(
    ("text", "count"),
    [
        (
            "A tea shop chain: 30,000 buyers' phone numbers went to HK in May. HQ now also wants the 25,000 buyers "
            "from the new shops.",
            55_000,
        ),
        (
            "In June we sent the emails of 70,000 members to Osaka; they now ask for the remaining 20,000 members.",
            90_000,
        ),
        ("Wave one: 52,000 riders, done in April. Wave two: 51,000 riders, after the holiday.", 103_000),
        ("Mar: 41,000 guests to Dubai. Sep: 62,000 guests to Dubai.", 103_000),
        (
            "Contacts of 64,000 patrons already sit with the Lisbon office, plus the 40,000 we are about to add.",
            104_000,
        ),
        ("We keep 3,000 supplier contacts in our CRM and will send all of them to Milan.", 3_000),
        ("We have 70k customers whose data went to the US in spring, and will add 35k customers in autumn.", 105_000),
    ],
)
def test_batches_of_the_year_add_up(text: str, count: int) -> None:
    assert extract_facts(text).facts.personal_info_count == count


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("An app for expecting mothers sends 4,000 users' pregnancy weeks to Seoul", "health"),
        ("We pass 900 staff members' vaccination records to the Tokyo parent", "health"),
        ("The counselling notes of 200 clients are stored in Sydney", "health"),
        ("3,500 borrowers' repayment histories go to the Singapore parent", "financial_account"),
        ("We forward 120 salary statements to the Manila payroll centre", "financial_account"),
        ("留学机构要把学生父母的存款证明发给英国学校", "financial_account"),
        ("诊所要把2000名孕妇的产检记录传到香港", "health"),
    ],
)
def test_sensitive_kinds_by_the_things_themselves(text: str, kind: str) -> None:
    assert kind in extract_facts(text).facts.data_kinds


@pytest.mark.parametrize(
    "text",
    [
        "Our vet clinics keep the pets' vaccination records on a server in Oregon, with owners' phone numbers",
        "A bakery chain sends its loyalty-app transaction logs (member ID and phone) to Seattle",
        "A mobile carrier lets a US support desk read 1,000 subscribers' account records",
        "信用卡中心要把500名信用卡客户的姓名和电话给新加坡外包客服",
        "报告只保留身份证后四位和检查结果",
        "Questionnaires with student ID numbers kept for linkage go to Leiden",
    ],
)
def test_look_alikes_of_sensitive_kinds_are_not_them(text: str) -> None:
    kinds = set(extract_facts(text).facts.data_kinds)
    assert not kinds & {"financial_account", "identity_document"}
    assert "health" not in kinds or "检查结果" in text


def test_transactions_where_money_is_handled_are_a_financial_account() -> None:
    assert (
        "financial_account"
        in extract_facts("A payments app sends 800 users' transaction histories to Berlin").facts.data_kinds
    )


def test_a_bureau_named_by_its_level_alone_is_the_sender() -> None:
    assert extract_facts("市交通委要把400名司机的手机号给东京的咨询公司").facts.state_organ is True
    assert extract_facts("朝阳区政务服务中心窗口，帮企业咨询：一家公司要传客户电话").facts.state_organ is not True


@pytest.mark.parametrize(
    "later",
    [
        "Oh, and a second batch of 45,000 went out in October.",
        "we're adding 45,000 this month",
        "11月还要传一批，4.5万左右",
        "另外10月份还传过4.5万",
    ],
)
def test_a_later_turn_adds_another_batch(later: str) -> None:
    first = extract_facts("This year a Beijing toy shop sent 62,000 buyers' phone numbers to Osaka in spring.").facts
    assert extract_facts(later, first).facts.personal_info_count == 107_000


@pytest.mark.parametrize("later", ["说错了，是4.5万", "Sorry, correction: it's 45,000 buyers, not 62,000."])
def test_a_later_turn_that_corrects_the_count_replaces_it(later: str) -> None:
    first = extract_facts("A Beijing toy shop plans to send 62,000 buyers' phone numbers to Osaka.").facts
    assert extract_facts(later, first).facts.personal_info_count == 45_000


def test_questions_said_by_speakers_in_minutes_are_the_record_not_parts() -> None:
    from assistant.understanding.parts import split_parts

    minutes = (
        "Minutes, ops sync\n- Ana: the vendor wants riders' phone numbers, is that ok?\n"
        "- Bo: only 9,000 riders this year, right?\n- Cy: yes, 9,000.\n"
        "Our question: we run bike rentals in Beijing; what do we need to send them to Lisbon?"
    )
    assert split_parts(minutes) is None


def test_numbered_items_of_minutes_are_the_record_not_parts() -> None:
    from assistant.understanding.parts import split_parts

    minutes = (
        "Minutes - CRM sync, 3 Dec\nPresent: Ana, Bo\n1. Bo: 30,000 buyers went to Oslo in May.\n"
        "2. Ana: a second export of 25,000 buyers is planned for December.\n"
        "Question: do we need a standard contract for December?"
    )
    assert split_parts(minutes) is None


@pytest.mark.parametrize(
    "later",
    ["The rest goes out in Q4; no idea how many yet.", "下半年以后的还没统计，也都要传过去"],
)
def test_a_batch_still_to_come_of_unknown_size_leaves_the_total_unknown(later: str) -> None:
    first = extract_facts("This year a Beijing ski school sent 61,000 students' phone numbers to Zurich.").facts
    assert extract_facts(later, first).facts.personal_info_count is None


def test_the_headcount_of_a_firm_with_its_staff_is_not_the_people_sent() -> None:
    text = "We are a design studio with 60 staff and send 4,000 clients' emails to our Milan office."
    assert extract_facts(text).facts.personal_info_count == 4_000
