"""A long pasted thread is read for the sentences that concern the transfer, wherever the question sits."""

from __future__ import annotations

from assistant.understanding.focus import READ_CHARS, focus

CHATTER_EN = "Kind regards, Anna. Lunch moved to Thursday; the shuttle leaves the warehouse at nine sharp. " * 80
CHATTER_ZH = "各位好，周四的团建改到下午三点，请大家提前十分钟到楼下集合，班车在东门等候。" * 120


def test_a_short_message_is_read_whole() -> None:
    text = "Can we copy our staff list to the Tokyo office?"
    assert focus(text) == text


def test_the_question_in_the_middle_of_a_thread_is_kept() -> None:
    ask = "Our Haidian subsidiary wants to share 12,000 members' e-mail addresses with the Dublin parent. Is that ok?"
    text = CHATTER_EN + ask + CHATTER_EN
    read = focus(text)
    assert len(read) <= READ_CHARS
    assert ask in read.replace("\n", " ")
    assert "shuttle" not in read


def test_a_chinese_note_keeps_the_transfer_and_its_question() -> None:
    ask = "会议结论：本公司拟将3万名会员的手机号提供给香港的关联公司。请问需要走什么程序？"
    read = focus(CHATTER_ZH + ask)
    assert "3万名会员" in read and "需要走什么程序" in read
    assert "团建" not in read


def test_an_emails_legal_notice_is_not_read() -> None:
    text = (
        "We send 3,000 staff records to Paris.\nThis e-mail and any attachments are confidential and intended "
        "solely for the addressee.\nPlease consider the environment before printing.\n"
        "本邮件可能含有保密信息，仅供指定收件人使用。"
    )
    kept = focus(text)
    assert "3,000 staff" in kept and "confidential" not in kept and "保密" not in kept and "environment" not in kept


def test_a_refused_request_is_read_as_denied() -> None:
    text = (
        "We send 5,000 buyers' names and phones to Oslo. Marketing asked to add their ID card numbers to the "
        "feed. Decision: rejected."
    )
    assert "asked to add" not in focus(text) and "not their ID card numbers" in focus(text)
    zh = "对方还要求提供身份证号，我们没同意，只给姓名和手机号。"
    assert focus(zh).startswith("对方还不")


def test_a_request_granted_or_a_refusal_of_something_else_stays() -> None:
    granted = "HQ wants the customer list. We won't need an assessment, right?"
    assert focus(granted) == granted
    far = "The partner wants names. We send them on Monday. Then lunch. Legal: rejected the lunch order."
    assert "wants names" in focus(far)


def test_minutes_any_other_business_and_office_reminders_are_not_read() -> None:
    text = (
        "1. 4,000 members' e-mails go to Lyon.\n2. AOB: car park closed, staff party on Friday.\n"
        "Also a reminder: payroll runs on the 28th."
    )
    kept = focus(text)
    assert "4,000 members" in kept and "car park" not in kept and "payroll" not in kept


def test_a_questionnaire_question_answered_no_is_not_read() -> None:
    text = "B4. Sensitive data (health, biometrics, children)?\nA: None.\nB5. Fields?\nA: name, e-mail."
    kept = focus(text)
    assert "biometrics" not in kept and "name, e-mail" in kept


def test_a_request_refused_in_a_later_message_of_a_thread() -> None:
    from assistant.understanding.focus import refused_in_thread

    messages = ["保险公司要全队的护照和行程", "先不给，只给救援公司", "好的"]
    assert refused_in_thread(messages)[0].startswith("保险公司不")
    assert refused_in_thread(["the agency wants the list", "ok, send it"]) == [
        "the agency wants the list",
        "ok, send it",
    ]


def test_the_addressees_of_a_pasted_email_are_not_read() -> None:
    text = "发件人：王敏\n收件人：信息安全组；法务部\n抄送：刘洋\n两名借调员工的护照号要发给迪拜的合资公司。"
    kept = focus(text)
    assert "收件人" not in kept and "抄送" not in kept and "护照号" in kept
