"""Data kinds implied by who and what (PIPL art 28), whose data it is, and "nothing sensitive"."""

from __future__ import annotations

import pytest

from assistant.understanding import extract_facts
from assistant.understanding.kinds import NO_SENSITIVE_INFO, read_kinds, read_subjects

STATED: list[tuple[str, str]] = [
    ("在线问诊平台把300位用户的问诊记录发给新加坡", "health"),
    # minors under 14: by age, by name, by the school they attend
    ("Our kindergarten keeps the pupils' allergy notes", "minor_under_14"),
    ("幼儿园的报名表", "minor_under_14"),
    ("我们有三千名小学生的作业记录", "minor_under_14"),
    ("初一学生的体育成绩", "minor_under_14"),
    ("an app for 8-year-olds", "minor_under_14"),
    ("a learning app for children", "minor_under_14"),
    ("12岁以下用户的账号", "minor_under_14"),
    ("toddlers' daycare sign-in sheets", "minor_under_14"),
    # identity documents
    ("scanned passports of the delegates", "identity_document"),
    ("身份证复印件", "identity_document"),
    ("visa pages and residence permits", "identity_document"),
    ("驾驶证照片", "identity_document"),
    # financial accounts
    ("the card numbers used at checkout", "financial_account"),
    ("银行卡号和交易流水", "financial_account"),
    ("transaction logs of the wallet", "financial_account"),
    ("客户的征信报告", "financial_account"),
    # biometrics
    ("face templates for the attendance machine", "biometric"),
    ("考勤机里的人脸模板", "biometric"),
    ("fingerprints and voice prints", "biometric"),
    ("门禁的掌静脉数据", "biometric"),
    # health
    ("lab results and diagnoses", "health"),
    ("员工的体检报告", "health"),
    ("化验单", "health"),
    ("prescriptions filled at our pharmacies", "health"),
    ("the employees' GAD-7 anxiety scale scores", "health"),
    ("心理测评结果和抑郁量表得分", "health"),
    ("银行流水截图", "financial_account"),
    # location
    ("the couriers' precise location", "location"),
    ("骑手的行踪轨迹", "location"),
    ("精准定位信息", "location"),
    # a removal in brackets that names its own object leaves the data before it
    ("化验单（去掉了姓名，保留了门诊号）", "health"),
    # what a vehicle's cameras record outside it
    ("test-drive footage from the prototype fleet", "vehicle_exterior_video"),
    ("the forward-facing camera clips", "vehicle_exterior_video"),
    ("车队拍摄的视频", "vehicle_exterior_video"),
]


@pytest.mark.parametrize(("text", "kind"), STATED, ids=[t for t, _ in STATED])
def test_kind_is_read_from_its_concept(text: str, kind: str) -> None:
    assert kind in read_kinds(text).stated


ABSENT: list[tuple[str, str]] = [
    ("parents' phones go to Toronto; the kids' info stays here", "minor_under_14"),
    ("no kids' data at all", "minor_under_14"),
    ("不收集儿童信息", "minor_under_14"),
    ("We strip the card numbers before sending", "financial_account"),
    ("without passport scans", "identity_document"),
    ("人脸模板不出境", "biometric"),
    ("除了护照号以外都传", "identity_document"),
    # every item of a list denied together
    ("护照号、住址、病史都不同步", "identity_document"),
    ("护照号、住址、病史都不同步", "health"),
]


@pytest.mark.parametrize(("text", "kind"), ABSENT, ids=[t for t, _ in ABSENT])
def test_denied_kind_is_absent(text: str, kind: str) -> None:
    found = read_kinds(text)
    assert kind not in found.stated
    if "strip" not in text:
        assert kind in found.absent


def test_a_kind_named_as_an_exception_to_non_sensitive_is_stated() -> None:
    found = read_kinds("Everything except the fingerprints is non-sensitive")
    assert "biometric" in found.stated
    assert NO_SENSITIVE_INFO.search("Everything except the fingerprints is non-sensitive") is None
    assert "contact" in read_kinds("除了手机号以外都不敏感").stated


@pytest.mark.parametrize(
    "text",
    [
        "names and e-mails (nothing sensitive)",
        "It is all non-sensitive",
        "这些数据都不敏感",
        "不含任何敏感信息",
        "除了手机号以外都不敏感",
    ],
)
def test_no_sensitive_information(text: str) -> None:
    assert NO_SENSITIVE_INFO.search(text) is not None


@pytest.mark.parametrize("text", ["手机号算不算敏感信息？", "Is a phone number sensitive?", "除了指纹以外都不敏感"])
def test_not_a_statement_of_no_sensitive_information(text: str) -> None:
    assert NO_SENSITIVE_INFO.search(text) is None


SUBJECTS: list[tuple[str, set[str]]] = [
    ("data of 3,000 app users", {"users"}),
    ("the staff files, with their family members' names", {"employees"}),
    ("our staff's payroll records", {"employees"}),
    ("员工的工资条", {"employees"}),
    ("4,000 patients' discharge summaries", {"patients"}),
    ("受试者的随访数据", {"trial_subjects"}),
    ("trial participants' questionnaires", {"trial_subjects"}),
    ("会员的消费记录", {"customers"}),
    ("2万名乘客的名单", {"customers"}),
    ("供应商联系人的名片", {"business_contacts"}),
    ("小学生的作业", {"minors"}),
    ("居民的户籍信息", {"other"}),
    ("employee records and customer orders", {"employees", "customers"}),
    ("no kids' data, only 300 users' e-mails", {"users"}),
    ("We are a kindergarten", set()),
    ("Our engineers in Munich fix the servers", set()),
]


@pytest.mark.parametrize(("text", "subjects"), SUBJECTS, ids=[t for t, _ in SUBJECTS])
def test_whose_data_it_is(text: str, subjects: set[str]) -> None:
    assert set(read_subjects(text)) == subjects


def test_subjects_reach_the_facts_and_add_up_over_turns() -> None:
    first = extract_facts("We send 2,000 employees' payroll data to Singapore").facts
    assert first.data_subjects == ["employees"]
    second = extract_facts("also 500 customers' delivery addresses", first).facts
    assert second.data_subjects == ["employees", "customers"]


def test_kindergarten_children_are_sensitive_in_full() -> None:
    facts = extract_facts("我们是一家幼儿园，要把600名孩子的照片和姓名传到新加坡总部").facts
    assert "minor_under_14" in facts.data_kinds
    assert facts.data_subjects == ["minors"]
    assert facts.sensitive_info_count == 600


def test_nothing_sensitive_in_brackets_sets_no_sensitive_count() -> None:
    facts = extract_facts("We pass 1,200 members' names and phone numbers to Osaka (nothing sensitive)").facts
    assert facts.sensitive_info_count == 0
    assert facts.personal_info_count == 1_200


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("I can find out whether any of the pupils are under 14", "minor_under_14"),
        ("是否包含指纹还要问技术部", "biometric"),
        ("有没有银行卡号？", "financial_account"),
        ("Not sure there is any health data in it", "health"),
    ],
)
def test_a_kind_asked_about_is_neither_stated_nor_denied(text: str, kind: str) -> None:
    found = read_kinds(text)
    assert kind not in found.stated
    assert kind not in found.absent


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Can we send the lab results abroad?", "health"),
        ("我们有没有必要为病历做评估", "health"),
        ("the brokerage clients' account history", "financial_account"),
        ("dash footage of public roads from our test cars", "vehicle_exterior_video"),
        ("街景图像", "vehicle_exterior_video"),
    ],
)
def test_a_kind_in_a_question_about_procedure_is_stated(text: str, kind: str) -> None:
    assert kind in read_kinds(text).stated


def test_saying_what_data_is_not_called_keeps_what_the_message_states() -> None:
    opinion = read_kinds("heart rate and sleep scores only, that's not medical records")
    assert "health" in opinion.stated
    left_out = read_kinds("names only, no medical records")
    assert "health" in left_out.absent
    assert "health" in read_kinds("我们只传姓名和手机号，不是病历").absent
    assert "health" in read_kinds("备注可以不填，但还有血压那一栏").stated


def test_a_reported_question_states_no_kind() -> None:
    assert "location" not in read_kinds("Lee asked whether the postcode is location data").stated
    assert "location" not in read_kinds("小李问邮编算不算行踪轨迹").stated


def test_an_ota_that_books_trips_is_a_travel_agency_not_an_upgrade() -> None:
    assert "ota_upgrade" not in read_kinds("our OTA app sends guests' names to the resorts they booked").stated
    assert "ota_upgrade" in read_kinds("OTA packages for the cars' infotainment units").stated


@pytest.mark.parametrize(
    "text",
    [
        "the bills of lading name shippers and consignees only, no person's name or phone anywhere",
        "清单上没有任何个人的姓名",
        "只是机台参数，一个人名都没有",
        "纯工艺数据，发给大阪的工厂",
        "it's purely machine data from the press line",
        "only container numbers and weights, zero personal data",
        "bills of lading with no names of people on them",
    ],
)
def test_no_persons_name_is_no_personal_information(text: str) -> None:
    from assistant.understanding.kinds import NO_PERSONAL_INFO

    assert NO_PERSONAL_INFO.search(text)


@pytest.mark.parametrize(
    ("text", "kind", "sent"),
    [
        (
            "A first draft left the lab results out. The final plan: names, e-mails and lab results all go.",
            "health",
            True,
        ),
        ("第一版方案里有身份证号。后来决定身份证号不传，只传姓名和手机号。", "identity_document", False),
    ],
)
def test_the_last_sentence_on_a_kind_decides(text: str, kind: str, sent: bool) -> None:
    found = read_kinds(text)
    assert (kind in found.stated) is sent and (kind in found.absent) is not sent


def test_one_ordinary_field_left_out_leaves_the_others() -> None:
    found = read_kinds("Fields: name, work phone, work e-mail. No ID numbers, no private addresses.")
    assert "contact" in found.stated and "identity_document" in found.absent
    assert "contact" in read_kinds("names go, no addresses").stated
    assert "contact" not in read_kinds("at first names; then no names at all.").stated


@pytest.mark.parametrize("text", ["users' device IDs and reading preferences", "用户的设备号和阅读偏好"])
def test_device_identifiers_and_preferences_are_profile_data(text: str) -> None:
    assert "account_profile" in read_kinds(text).stated


@pytest.mark.parametrize("text", ["our client makes ultrasound probes", "CT scanners made in Wuxi", "X-ray machines"])
def test_an_imaging_device_is_a_product_not_health_data(text: str) -> None:
    assert "health" not in read_kinds(text).stated
    assert "health" in read_kinds("the patients' ultrasound images").stated


@pytest.mark.parametrize(
    ("text", "kind"),
    [("里面可能有不满14岁的学员", "minor_under_14"), ("there might be some ID scans", "identity_document")],
)
def test_a_kind_that_may_be_there_is_possible(text: str, kind: str) -> None:
    found = read_kinds(text)
    assert kind in found.possible and kind not in found.stated


@pytest.mark.parametrize("text", ["maybe 2,000 of them are under 14", "可能有2000个不满14岁的"])
def test_a_doubted_number_still_states_the_kind(text: str) -> None:
    assert "minor_under_14" in read_kinds(text).stated
