"""Dates in messages, with and without their year."""

from __future__ import annotations


def test_months_without_a_year_are_placed_against_today() -> None:
    import datetime as dt

    from assistant.understanding.dates import find_dates

    today = dt.date(2026, 11, 30)
    assert [d.value for d in find_dates("back in February we sent the files", today)] == [dt.date(2026, 2, 1)]
    assert [d.value for d in find_dates("last December we sent them", today)] == [dt.date(2025, 12, 1)]
    assert [d.value for d in find_dates("去年8月20日传过一批", today)] == [dt.date(2025, 8, 20)]
    assert [d.value for d in find_dates("今年2月份发过去的", today)] == [dt.date(2026, 2, 1)]
    assert find_dates("in February we will send", today) == []


def test_a_past_month_before_a_further_transfer_dates_the_earlier_one() -> None:
    from assistant.understanding import extract_facts

    facts = extract_facts("今年2月已经传了3万人的邮箱给东京，现在还要再传2万人").facts
    assert facts.transfer_date is None
    past = extract_facts("Back in February we sent 3,000 members' e-mails to Tokyo. Were we fine?").facts
    assert past.transfer_date is not None and past.transfer_date.month == 2


def test_next_month_dates_the_planned_transfer() -> None:
    import datetime as dt

    from assistant.understanding.dates import find_dates

    assert [d.value for d in find_dates("next month we send the rest", dt.date(2026, 11, 30))] == [dt.date(2026, 12, 1)]
    assert [d.value for d in find_dates("下个月再传一批", dt.date(2026, 12, 3))] == [dt.date(2027, 1, 1)]


def test_a_batch_of_a_new_year_does_not_add_to_last_years() -> None:
    from assistant.understanding import extract_facts

    first = extract_facts("In March 2025 we sent 80k members' e-mails to Seoul.").facts
    later = extract_facts("next month we send another 30k, so 110k in total and we need a contract?", first).facts
    assert later.personal_info_count == 30_000


def test_the_date_of_a_procedures_result_is_no_transfer_date() -> None:
    from assistant.understanding import extract_facts

    said = extract_facts("Our standard contract was filed on 3 March 2025; is it still fine for next year?")
    assert said.facts.transfer_date is None
    sent = extract_facts("On 3 March 2025 we sent 2,000 clients' e-mails to Oslo.")
    assert sent.facts.transfer_date is not None


def test_a_month_of_next_year_dates_the_planned_transfer_and_its_people_count() -> None:
    import datetime as dt

    from assistant.understanding import extract_facts
    from assistant.understanding.dates import find_dates, read_on

    today = dt.date(2026, 11, 30)
    assert [d.value for d in find_dates("明年4月10日再传", today)] == [dt.date(2027, 4, 10)]
    assert [d.value for d in find_dates("we move them on 9 March next year", today)] == [dt.date(2027, 3, 9)]
    assert [d.value for d in find_dates("next year in June, the rest", today)] == [dt.date(2027, 6, 1)]
    with read_on(today):
        zh = extract_facts("计划明年5月把约3万名会员的邮箱传到首尔").facts
        en = extract_facts("In May next year about 30,000 members' e-mails go to Seoul; this year we sent 90,000").facts
    assert zh.transfer_date == dt.date(2027, 5, 1) and zh.personal_info_count == 30_000
    assert en.transfer_date == dt.date(2027, 5, 1) and en.personal_info_count == 30_000


def test_a_month_said_with_this_or_last_year() -> None:
    import datetime as dt

    from assistant.understanding.dates import find_dates

    today = dt.date(2026, 11, 30)
    assert [d.value for d in find_dates("they sent it on 7 April this year", today)] == [dt.date(2026, 4, 7)]
    assert [d.value for d in find_dates("in August last year we sent", today)] == [dt.date(2025, 8, 1)]


def test_a_count_said_for_next_year_is_counted_in_next_year() -> None:
    import datetime as dt

    from assistant.understanding import extract_facts
    from assistant.understanding.dates import read_on

    with read_on(dt.date(2026, 11, 30)):
        facts = extract_facts("明年要把60名交换生的姓名和邮箱发给日本的合作学校").facts
    assert facts.personal_info_count == 60


def test_a_date_that_opens_a_period_is_no_transfer_date() -> None:
    import datetime as dt

    from assistant.understanding import extract_facts
    from assistant.understanding.dates import read_on

    with read_on(dt.date(2026, 12, 1)):
        for text in (
            "自1月1日起注册的会员有8万人，姓名和邮箱要发给首尔的分公司",
            "Since 1 March we have signed up 8,000 tenants; their e-mails go to Dubai",
            "2026年5月以来的订单客户有6000人，手机号要同步到香港",
        ):
            assert extract_facts(text).facts.transfer_date is None, text
        planned = extract_facts("从今年1月1日起注册的会员2万人，明年3月要把手机号发到东京").facts
        assert planned.transfer_date == dt.date(2027, 3, 1)


def test_the_date_a_rule_took_effect_is_no_transfer_date() -> None:
    from assistant.understanding import extract_facts

    said = extract_facts("A friend says the filing route ended when new measures took effect in March 2026. True?")
    assert said.facts.transfer_date is None
    assert said.intent == "informational"
    zh = extract_facts("新规2026年3月1日起施行，之后还能签标准合同吗？")
    assert zh.facts.transfer_date is None


def test_a_count_said_for_next_month_is_in_next_months_year() -> None:
    import datetime as dt

    from assistant.understanding import extract_facts
    from assistant.understanding.dates import read_on

    with read_on(dt.date(2026, 12, 1)):
        facts = extract_facts("今年已经给首尔传了8万名会员的邮箱，下个月再传3万名").facts
        assert facts.personal_info_count == 30_000
    with read_on(dt.date(2026, 6, 1)):
        facts = extract_facts("今年已经给首尔传了8万名会员的邮箱，下个月再传3万名").facts
        assert facts.personal_info_count == 110_000
