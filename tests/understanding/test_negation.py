"""Negation with a scope: a denial reaches a phrase only within its clause; questions and doubt state nothing."""

from __future__ import annotations

import pytest

from assistant.understanding.negation import Polarity, asked, clause_of, negated, polarity


def _held(text: str, phrase: str, nth: int = 0) -> Polarity:
    start = -1
    for _ in range(nth + 1):
        start = text.index(phrase, start + 1)
    return polarity(text, start, start + len(phrase))


CASES: list[tuple[str, str, Polarity]] = [
    ("实名认证的身份证号不会同步过去", "身份证", "negated"),
    # data that stays in China is left out
    ("passport numbers stay in the booking system in Shanghai", "passport", "negated"),
    ("体检报告留在境内，只传姓名", "体检报告", "negated"),
    # a reported question states nothing
    ("Lee asked whether the postcode is location data.", "location data", "asked"),
    # a denied purpose is no denied data
    ("It is for their research, not for treating the patients.", "patients", "affirmed"),
    ("用于模型训练，不是为了治疗患者", "患者", "affirmed"),
    ("we decided not to send the patients' scans", "scans", "negated"),
    # plain denials, before the phrase
    ("We hold no genetic data", "genetic", "negated"),
    ("We don't keep biometric templates", "biometric", "negated"),
    ("The regulator has never notified us of any important data", "important data", "negated"),
    ("Nobody ever told us we process important data", "important data", "negated"),
    ("The files are free of ID numbers", "ID numbers", "negated"),
    ("Shipping records, excluding passport scans", "passport", "negated"),
    ("neither health records nor bank cards", "bank cards", "negated"),
    ("我们没有儿童的数据", "儿童", "negated"),
    ("本次传输不含身份证号", "身份证", "negated"),
    ("网信部门从来没有把我们的数据认定为重要数据", "重要数据", "negated"),
    ("我们并未收集指纹", "指纹", "negated"),
    ("非关基企业", "关基", "negated"),
    ("这批数据不涉及医疗信息", "医疗", "negated"),
    # denials after the phrase
    ("Bank statements are not included", "Bank statements", "negated"),
    ("genetic data will not be transferred", "genetic", "negated"),
    ("身份证号不出境", "身份证", "negated"),
    ("人脸照片已经删除", "人脸", "negated"),
    # the clause ends the reach: punctuation, contrastive connectives, a new subject
    ("Not after-sales data but R&D data", "R&D", "affirmed"),
    ("Not after-sales data but R&D data", "after-sales", "negated"),
    ("R&D data rather than after-sales data", "after-sales", "negated"),
    ("We are not a CIIO, and we send fingerprints", "fingerprints", "affirmed"),
    ("No ID scans; fingerprints only", "fingerprints", "affirmed"),
    ("不是售后数据，是研发数据", "研发", "affirmed"),
    ("不是售后数据，是研发数据", "售后", "negated"),
    ("不是售后数据而是研发数据", "研发", "affirmed"),
    ("没有基因数据，但有病历", "病历", "affirmed"),
    ("我们不是关基（有病历）", "病历", "affirmed"),
    # a negative list joined by commas keeps its reach
    ("no genetic data, fingerprints or face scans", "fingerprints", "negated"),
    ("no genetic data, but fingerprints and face scans", "fingerprints", "affirmed"),
    # words that look like denials but are not
    ("not only names but also bank cards", "bank cards", "affirmed"),
    ("no more than 800 patients' medical files", "medical", "affirmed"),
    ("不满14周岁的孩子", "孩子", "affirmed"),
    ("未成年人的学籍信息", "未成年", "affirmed"),
    ("不良反应报告里有病历", "病历", "affirmed"),
    ("无锡工厂员工的指纹", "指纹", "affirmed"),
    ("非常多的人脸数据", "人脸", "affirmed"),
    # except: the rest of the sentence decides
    ("All of it is non-sensitive except the palm prints", "palm prints", "affirmed"),
    ("We export every field except the card numbers", "card numbers", "negated"),
    ("Nothing sensitive apart from the voiceprints", "voiceprints", "affirmed"),
    ("除了银行卡号以外都不敏感", "银行卡号", "affirmed"),
    ("除了银行卡号以外，其他都不算敏感", "银行卡号", "affirmed"),
    ("除了护照号以外的字段都会传出去", "护照", "negated"),
    ("除了姓名，还有病历", "姓名", "affirmed"),
    # questions and conditions are not statements
    ("Are we a CIIO?", "CIIO", "asked"),
    ("Does our clinic count as critical information infrastructure?", "critical", "asked"),
    ("Tell me whether this is important data", "important data", "asked"),
    ("If we were a CIIO, what changes?", "CIIO", "asked"),
    ("我们公司算关基吗？", "关基", "asked"),
    ("我们是不是关基", "关基", "asked"),
    ("我们是否属于关键信息基础设施运营者", "关键信息基础设施", "asked"),
    ("我们是关基，需要申报吗？", "关基", "affirmed"),
    ("Do we need an assessment as a CIIO?", "CIIO", "affirmed"),
    # doubt
    ("We are not sure whether we are a CIIO", "CIIO", "unsure"),
    ("Maybe we are a CIIO", "CIIO", "unsure"),
    ("我们可能是关基", "关基", "unsure"),
    ("不清楚我们有没有重要数据", "重要数据", "unsure"),
    # nothing to do with it
    ("积分跟支付没关系", "支付", "negated"),
    ("我们是杭州注册的，与北京无关", "北京", "negated"),
    # a plan dropped since
    ("We meant to add the X-rays too, but that was cancelled in May", "X-rays", "negated"),
    ("原计划把护照扫描件也给酒店，后来取消了", "护照", "negated"),
    ("会上提过把身份证复印件一起传，已否决，只传姓名", "身份证", "negated"),
    # affirmed
    ("We are a CIIO", "CIIO", "affirmed"),
    ("我们被认定为关基运营者", "关基", "affirmed"),
]


@pytest.mark.parametrize(("text", "phrase", "expected"), CASES, ids=[f"{t[:30]}|{p}" for t, p, _ in CASES])
def test_polarity(text: str, phrase: str, expected: Polarity) -> None:
    assert _held(text, phrase) == expected


def test_only_the_clause_is_in_reach() -> None:
    text = "We are not a CIIO; we send 3,000 patients' lab results"
    start, end = clause_of(text, text.index("lab"))
    assert text[start:end].strip() == "we send 3,000 patients' lab results"
    assert not negated(text, text.index("lab"), text.index("lab") + 3)


def test_numbers_do_not_end_a_clause() -> None:
    text = "no health data for 1.5 million or 40,000 people"
    assert negated(text, text.index("health"))
    start, end = clause_of(text, text.index("people"))
    assert "1.5" in text[start:end] and "40,000" in text[start:end]


def test_a_not_a_is_a_question_not_a_denial() -> None:
    text = "有没有人脸数据"
    assert not negated(text, text.index("人脸"), text.index("人脸") + 2)
    assert asked("我们算不算关基运营者", 5, 7)


@pytest.mark.parametrize("text", ["", "。", "不" * 500, "not " * 400, "除了" * 300, "?" * 100])
def test_odd_text_never_crashes(text: str) -> None:
    for pos in (0, len(text) // 2, len(text)):
        polarity(text, pos, pos)


def test_a_dash_ends_the_reach_of_a_denial() -> None:
    from assistant.understanding.negation import negated

    text = "It's not the marketing list — it's the payroll file of 300 staff"
    at = text.index("payroll")
    assert not negated(text, at, at + 7)
    assert negated(text, text.index("marketing"), text.index("marketing") + 9)


def test_a_list_not_synced_is_left_out() -> None:
    from assistant.understanding import extract_facts

    facts = extract_facts("会员的昵称和邮箱同步到首尔，不同步证件号、银行卡和病历").facts
    assert facts.data_kinds == ["contact"]


def test_an_exception_after_a_denial_is_included() -> None:
    from assistant.understanding import extract_facts

    facts = extract_facts("档案要迁到首尔。没有敏感字段，除了每个人的体检报告。").facts
    assert "health" in facts.data_kinds
    assert facts.sensitive_info_count != 0


def test_what_we_cannot_get_is_not_sent() -> None:
    from assistant.understanding import extract_facts

    facts = extract_facts("充值走第三方，我们拿不到银行卡号。玩家昵称和邮箱要传到首尔。").facts
    assert "financial_account" not in facts.data_kinds


@pytest.mark.parametrize(
    "text",
    [
        "会员的姓名和电话要给首尔的服务商。法务问能不能只传城市、不传姓名，服务商说必须到人。",
        "Members' names and phones go to the Seoul vendor. Legal asked could we leave out names; the vendor said no.",
    ],
)
def test_a_proposal_to_leave_data_out_denies_nothing(text: str) -> None:
    from assistant.understanding import extract_facts

    assert "contact" in extract_facts(text).facts.data_kinds


def test_a_list_after_a_denial_and_a_colon_is_denied() -> None:
    text = "不含：基因检测数据、患者姓名和身份证号。"
    assert negated(text, text.index("身份证"))
    english = "Not included: names, ID numbers."
    assert negated(english, english.index("ID numbers"))


def test_zero_of_a_group_denies_it() -> None:
    text = "we checked the ranked players, so 0 under-14"
    assert negated(text, text.index("under-14"))


def test_a_deletion_said_after_a_few_words_denies() -> None:
    text = "身份证号我们发之前都删掉了"
    assert negated(text, 0, 4)


def test_data_that_is_not_sent_said_with_fa_is_denied() -> None:
    text = "家长的手机号发给新加坡，孩子的信息不发"
    assert negated(text, text.index("孩子"), text.index("孩子") + 2)
    assert not negated("孩子的信息发现有错", 0, 2)
