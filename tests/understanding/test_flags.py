"""Yes/no facts: denials in scope, questions and doubt left unknown, who the processor is, foreign requests."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.understanding import extract_facts
from assistant.understanding.flags import find_flags


def _flags(text: str) -> dict[str, Any]:
    return {f.name: f.value for f in find_flags(text) if f.value is not None}


def _notes(text: str) -> list[str]:
    return [f.evidence for f in find_flags(text) if f.value is None]


CASES: list[tuple[str, dict[str, Any]]] = [
    # important data: only once notified; a denial anywhere in the clause
    ("The sector regulator has never designated any of our data as important data", {"important_data": False}),
    ("网信办从来没有告知过我们有重要数据", {"important_data": False}),
    ("We were never notified of anything.", {"important_data": False}),
    ("没有收到过任何通知", {"important_data": False}),
    ("Our provincial regulator notified us that the grid maps are important data", {"important_data": True}),
    ("Is our sales ledger important data?", {}),
    ("我们不确定有没有重要数据", {}),
    ("They don't know if the OTA upgrade was filed with MIIT; the packages are tamper-proof.", {}),
    # CIIO: questions and doubt state nothing
    ("Would a payment processor like us count as a CIIO?", {}),
    ("I'm not sure whether we are a critical information infrastructure operator", {}),
    ("我们算不算关基运营者？", {}),
    ("也许我们是关基", {}),
    ("We are not a CIIO, but we do hold health data", {"ciio": False}),
    ("主管部门没有认定我们是关基运营者", {"ciio": False}),
    ("我们单位是关基运营者", {"ciio": True}),
    # state organs and bodies managing public affairs
    ("我们是朝阳区的一个街道办", {"state_organ": True}),
    ("I work for the municipal transport commission", {"state_organ": True}),
    ("我们是市里的一个局", {"state_organ": True}),
    ("We are the district government's statistics bureau", {"state_organ": True}),
    ("我们是社区居委会", {"public_affairs_body": True}),
    ("We are the housing provident fund centre", {"public_affairs_body": True}),
    ("我们是一家公立医院", {}),
    ("We send the files to a government agency in Singapore", {}),
    # foreign judicial and law-enforcement bodies, in every form
    ("A court in Texas ordered us to hand over 200 customers' invoices", {"foreign_judicial_request": True}),
    ("the public prosecutor's office in Lyon wants two employees' mailboxes", {"foreign_judicial_request": True}),
    ("德国的一家法院寄来一份文书，涉及两名前员工", {"foreign_judicial_request": True}),
    # a body that opens the sentence with an article is the processor a help desk asks about
    ("A sub-district office in Shunyi wants its residents' phone numbers in a US survey tool", {"state_organ": True}),
    ("A Texas federal court ordered us to hand over the invoices", {"foreign_judicial_request": True}),
    ("The FBI asked our Beijing office for user logs", {"foreign_judicial_request": True}),
    ("A German prosecutor requests the chat records", {"foreign_judicial_request": True}),
    ("We received a US search warrant for two accounts", {"foreign_judicial_request": True}),
    ("境外警方要求我们提供用户登录记录", {"foreign_judicial_request": True}),
    ("美国法院给我们发了传票", {"foreign_judicial_request": True}),
    ("新加坡的执法机构来调证", {"foreign_judicial_request": True}),
    ("No foreign court has asked for anything", {"foreign_judicial_request": False}),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[t[:40] for t, _ in CASES])
def test_flags(text: str, expected: dict[str, Any]) -> None:
    assert _flags(text) == expected


def test_a_foreign_regulator_is_a_reading() -> None:
    for text in ("The US SEC asked for our clients' trade records", "英国金融监管机构要求我们提供客户数据"):
        assert "foreign_judicial_request" not in _flags(text)
        assert any("whether it counts as a law-enforcement body is a reading" in n for n in _notes(text))


@pytest.mark.parametrize(
    "text",
    [
        "A New York law firm sent us a lawyer's letter demanding staff e-mails",
        "收到一封美国律师函，要求交出邮件",
        "一家英国律所发来律师函要客户资料，这算外国司法机构调取吗？",
    ],
)
def test_a_lawyers_letter_is_not_a_court(text: str) -> None:
    assert _flags(text) == {"foreign_judicial_request": False}


def test_a_court_beside_a_lawyers_letter_decides() -> None:
    assert _flags("Besides the lawyer's letter, a US court subpoena arrived") == {"foreign_judicial_request": True}


def test_never_notified_after_a_ciio_denial() -> None:
    assert _flags("We are not a CIIO and nobody ever told us anything.") == {
        "ciio": False,
        "important_data": False,
    }


def test_a_public_institution_alone_is_noted_not_set() -> None:
    understood = extract_facts("我们是事业单位，要把5000名员工的工资数据传到香港")
    assert understood.facts.public_affairs_body is None
    assert any("public_affairs_body: not set" in n for n in understood.notes)


def test_public_affairs_body_reaches_the_facts() -> None:
    facts = extract_facts("我们是居委会，要把800名居民的联系方式传到境外").facts
    assert facts.public_affairs_body is True
    assert facts.state_organ is None


def test_questions_leave_the_earlier_answer() -> None:
    previous = extract_facts("We are not a CIIO").facts
    assert extract_facts("but do we count as a CIIO if we run a grid?", previous).facts.ciio is False


@pytest.mark.parametrize(
    "text",
    [
        "Last week a letter from the Korean police arrived about two of our app's users.",
        "法国警方来函，要我们提供两名用户的登录记录",
    ],
)
def test_a_foreign_authoritys_letter_is_a_request(text: str) -> None:
    assert any(f.name == "foreign_judicial_request" and f.value for f in find_flags(text))


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (
            "A client in Miyun: it's a county-level government agency, 300 residents' e-mails go to Rome.",
            True,
        ),
        ("The recipient? It's a government agency in Paris that wants 300 residents' e-mails.", None),
        ("我们是上海市的一个局，要把20名交流人员的护照信息发给对方城市。", True),
    ],
)
def test_a_client_said_to_be_a_government_agency_is_a_state_organ(text: str, value: bool | None) -> None:
    assert extract_facts(text).facts.state_organ is value


def test_our_system_said_to_be_critical_infrastructure_makes_us_a_ciio() -> None:
    from assistant.understanding import extract_facts

    assert extract_facts(
        "Last spring we were told our payment platform is critical information infrastructure."
    ).facts.ciio
    assert extract_facts("the cloud vendor's platform is critical information infrastructure").facts.ciio is None


def test_a_company_abbreviation_ends_no_sentence() -> None:
    facts = extract_facts("Our water supply co. has been designated a CIIO. We share 800 engineers' names with Lyon.")
    assert facts.facts.ciio is True


def test_working_at_an_office_of_a_government_is_a_state_organ() -> None:
    from assistant.understanding import extract_facts

    text = "I work at the press office of a Beijing district government. A Dutch paper wants 800 residents' names."
    assert extract_facts(text).facts.state_organ is True


def test_a_designation_notice_received_makes_a_ciio() -> None:
    from assistant.understanding import extract_facts

    assert extract_facts("我们前年收到了关键信息基础设施的认定通知。").facts.ciio is True
    assert extract_facts("我们没收到过关键信息基础设施的认定通知。").facts.ciio is False
