"""Facts from the ways people describe their data, counts, place, sector, purpose and status.

Each case lists every fact it states; every other fact must stay unknown.
"""

from __future__ import annotations

from typing import Any

import pytest

from assistant.facts import Facts
from assistant.understanding import extract_facts
from assistant.understanding.intent import asks_how_a_rule_works

EMPTY = Facts().model_dump()
HEALTH = {"data_kinds": ["health"]}
TRIAL = {"scenario": "clinical_trial", "industry": "pharmaceutical", "data_kinds": ["health"]}

KINDS: list[tuple[str, str, dict[str, Any]]] = [
    ("account-and-transaction", "We send 8,000 clients' account and transaction data to Hong Kong",
     {"personal_info_count": 0, "sensitive_info_count": 8_000, "data_kinds": ["financial_account"]}),
    ("account-data", "Our bank is sending 2,000 customers' account data to our parent", {
      "industry": "banking", "personal_info_count": 0, "sensitive_info_count": 2_000,
                                                                            "data_kinds": ["financial_account"]}),
    ("资金账户", "我们要把1万名客户的资金账户信息传到香港", {"personal_info_count": 0, "sensitive_info_count": 10_000,
                                                      "data_kinds": ["financial_account"]}),
    ("账户和交易", "5000名客户的账户和交易数据要传给新加坡", {"personal_info_count": 0, "sensitive_info_count": 5_000,
                                                     "data_kinds": ["financial_account"]}),
    ("user-account-is-not-financial", "We send 3,000 user account profiles abroad",
     {"personal_info_count": 3_000, "sensitive_info_count": 0, "data_kinds": ["account_profile"]}),
    ("passport-numbers", "passport numbers of 2,000 travellers go to the embassy",
     {"personal_info_count": 0, "sensitive_info_count": 2_000, "data_kinds": ["identity_document"]}),
    ("chat-logs", "30,000 users' chat logs go to our US parent", {"personal_info_count": 30_000,
                                                                 "sensitive_info_count": 0}),
    ("purchase-history", "We share 9,000 members' purchase history with Tokyo", {"personal_info_count": 9_000,
                                                                                "sensitive_info_count": 0}),
    ("消费记录", "2万名会员的消费记录传到东京", {"personal_info_count": 20_000, "sensitive_info_count": 0}),
    # A purpose the meaning reads as possibly exempt but does not state: a candidate, asked about by the checker.
    ("预订信息", "约6000名客人的预订信息要传到境外", {"personal_info_count": 6_000, "sensitive_info_count": 0,
                                                     "exemption_candidate": "contract_with_individual"}),
    ("reservation-details", "We send 700 guests' reservation details to London", {"personal_info_count": 700,
                                                                                 "sensitive_info_count": 0}),
    ("cvs", "We send 500 candidates' CVs to London", {"personal_info_count": 500, "sensitive_info_count": 0}),
    ("简历", "把300名报名人员的简历发给英国", {"personal_info_count": 300, "sensitive_info_count": 0}),
    ("学习档案-of-adults", "1000名学员的学习档案传到新加坡", {"personal_info_count": 1_000, "sensitive_info_count": 0}),
    ("nothing-sensitive", "800 customers' data to Sydney, nothing sensitive", {"personal_info_count": 800,
                                                                              "sensitive_info_count": 0}),
    ("scrubbed", "40,000 users' messages go to Seoul; we scrubbed everything sensitive first",
     {"personal_info_count": 40_000, "sensitive_info_count": 0}),
    ("清洗掉了", "3万用户的数据传到新加坡，敏感内容都清洗掉了", {"personal_info_count": 30_000,
                                                         "sensitive_info_count": 0}),
    ("whole-exome", "whole-exome results of 100 patients", {"personal_info_count": 0, "sensitive_info_count": 100,
                                                          "data_kinds": ["health", "genetic"]}),
    ("基因测序", "我们有基因测序数据", {"data_kinds": ["genetic"]}),
    ("病史过敏史", "医院要他的病史和过敏史", {"data_kinds": ["health"], "exemption_candidate": "emergency"}),
    ("trial-implies-health", "We run a clinical trial and send 5,000 participants' data to Basel",
     {**TRIAL, "personal_info_count": 0, "sensitive_info_count": 5_000}),
    ("phase-iii", "Our Phase III oncology study has 900 subjects; the data goes to New Jersey",
     {**TRIAL, "personal_info_count": 0, "sensitive_info_count": 900}),
    ("pharmacovigilance-implies-health", "药物警戒报告，1200名患者", {"scenario": "pharmacovigilance",
                                                                  "industry": "pharmaceutical",

"personal_info_count": 0, "sensitive_info_count": 1_200, **HEALTH}),
    ("scenario-with-other-kinds", "药物警戒：1200名报告人的姓名和电话",
     {"scenario": "pharmacovigilance", "industry": "pharmaceutical", "personal_info_count": 1_200,
      "sensitive_info_count": 0, "data_kinds": ["contact"]}),
    ("camera-outside-vehicles", "camera footage from outside our test vehicles", {"data_kinds":
                                                                                  ["vehicle_exterior_video"]}),
    ("行车记录仪", "行车记录仪视频（能看到人脸）", {"data_kinds": ["vehicle_exterior_video"]}),
    ("anonymous-statistics", "We send anonymised, aggregated sales figures to our parent abroad",
     {"personal_info_count": 0, "sensitive_info_count": 0}),
    ("匿名统计", "每月把汇总的匿名销售统计发给美国母公司", {"personal_info_count": 0, "sensitive_info_count": 0}),
    ("cannot-be-reidentified", "the survey extract we send the Boston lab is stripped so that nobody can be "
     "re-identified from it", {"personal_info_count": 0, "sensitive_info_count": 0,
                               "exemption_basis": "trade_without_personal_or_important_data"}),
    ("无法识别到个人", "发给新加坡的问卷结果已处理，无法识别到特定个人，也不能复原",
     {"personal_info_count": 0, "sensitive_info_count": 0}),
    ("cro", "We are a CRO in Daxing handling trial data for sponsors",
     {"industry": "pharmaceutical", "zone": "beijing", "scenario": "clinical_trial", "data_kinds": ["health"]}),
    ("合同研究组织", "我们是一家合同研究组织，在亦庄", {"industry": "pharmaceutical", "zone": "beijing"}),
    ("ota-travel-agency", "我们是在线旅游平台（OTA），要把用户姓名发给境外酒店",
     {"industry": "other", "sensitive_info_count": 0, "data_kinds": ["contact"],
      "exemption_candidate": "contract_with_individual"}),
]  # fmt: skip

COUNTS: list[tuple[str, str, dict[str, Any]]] = [
    ("trial-pts", "Beijing FTZ pharma, 120k trial pts to Basel", {"zone": "beijing_ftz", **TRIAL,

"personal_info_count": 0, "sensitive_info_count": 120_000}),
    ("一年大概200万买家", "一年大概200万买家的姓名要给境外商家", {"personal_info_count": 2_000_000,
                                                       "sensitive_info_count": 0, "data_kinds": ["contact"],
                                                       "exemption_candidate": "contract_with_individual"}),
    ("人次", "一年约五十万人次的护照号", {
      "sensitive_info_count": 500_000, "at_most_counts": ["sensitive_info_count"],
      "data_kinds": ["identity_document"]}),
    ("a-year", "about 400k passengers a year", {"personal_info_count": 400_000}),
    ("15万会员", "15万会员的手机号传到新加坡", {"personal_info_count": 150_000, "sensitive_info_count": 0,
                                             "data_kinds": ["contact"]}),
    ("traditional", "把十五萬客戶的姓名電話傳給台北", {"personal_info_count": 150_000, "sensitive_info_count": 0,
                                                    "data_kinds": ["contact"]}),
    ("riders", "location tracks of 20,000 robotaxi test riders", {
      "personal_info_count": 0, "sensitive_info_count": 20_000,
                                                                 "industry": "autonomous_driving",
                                                                 "data_kinds": ["location"]}),
    ("typo", "only 800 custmers' emails, nothing sensitve", {"personal_info_count": 800, "sensitive_info_count": 0,
                                                            "data_kinds": ["contact"]}),
    ("range-zh", "玩家邮箱，人数大概5万到15万之间",
     {"personal_info_count": 150_000, "sensitive_info_count": 0,
      "count_ranges": {"personal_info_count": (50_000, 150_000)}, "data_kinds": ["contact"]}),
    ("range-en", "somewhere between 50k and 150k players' e-mails this year",
     {"personal_info_count": 150_000, "sensitive_info_count": 0,
      "count_ranges": {"personal_info_count": (50_000, 150_000)}, "data_kinds": ["contact"]}),
    ("range-dash", "20k-40k users' phone numbers",
     {"personal_info_count": 40_000, "sensitive_info_count": 0,
      "count_ranges": {"personal_info_count": (20_000, 40_000)}, "data_kinds": ["contact"]}),
    ("unknown-earlier-en", "We're sending 60,000 customers' names today. Earlier this year we also sent some, "
     "I don't know how many.", {"sensitive_info_count": 0, "data_kinds": ["contact"]}),
    ("unknown-earlier-zh", "今天要把6万名客户的姓名电话发出去。今年早些时候也发过一些，多少人我不清楚。",
     {"sensitive_info_count": 0, "data_kinds": ["contact"]}),
    ("known-earlier", "今年已经传了3万人，这次再传2万人的姓名", {"personal_info_count": 50_000,
                                                       "sensitive_info_count": 0, "data_kinds": ["contact"]}),
]  # fmt: skip

ZONES: list[tuple[str, str, dict[str, Any]]] = [
    ("outside-the-ftz", "Our Chaoyang entity (outside the FTZ)", {"zone": "beijing"}),
    ("not-inside", "registered in Haidian, not inside the free trade zone", {"zone": "beijing"}),
    ("不在自贸区内", "我们海淀的公司（不在自贸区内）", {"zone": "beijing"}),
    ("自贸区外", "公司在昌平，自贸区外", {"zone": "beijing"}),
    ("registration-wins-zh", "我们是注册在上海静安区的公司。听说北京的数据出境放宽了，我们能参照吗？",
     {"zone": "none"}),
    ("registration-wins-en", "We are registered in Shenzhen. I read that Beijing relaxed its list.", {"zone": "none"}),
    ("where-we-are-wins", "我们在天津，听说上海自贸区有自己的清单", {"zone": "none"}),
    ("other-ftz-when-in-it", "We are in the Tianjin FTZ", {"zone": "other_ftz"}),
    ("dongcheng", "Our hotel group in Dongcheng", {"zone": "beijing", "industry": "other"}),
    ("西城", "我们是西城区的公司", {"zone": "beijing"}),
    ("丰台", "我们在丰台", {"zone": "beijing"}),
    ("zhongguancun", "我们在中关村", {"zone": "beijing"}),
    ("traditional-haidian", "我們在北京海澱", {"zone": "beijing"}),
]  # fmt: skip

INDUSTRIES: list[tuple[str, str, dict[str, Any]]] = [
    ("power-utility", "We're a power utility", {"industry": "other"}),
    ("电力企业", "我们是电力企业", {"industry": "other"}),
    ("telecom", "We are a telecom operator", {"industry": "other"}),
    ("hotel-group", "酒店集团在东城区", {"industry": "other", "zone": "beijing"}),
    ("travel-agency", "我们是北京的旅行社", {"industry": "other", "zone": "beijing"}),
    ("clinic", "patients of our Haidian clinic", {"industry": "other", "zone": "beijing", **HEALTH}),
    ("诊所", "海淀诊所的患者", {"industry": "other", "zone": "beijing", **HEALTH}),
    ("hospital-is-not-pharma", "We are a hospital", {"industry": "other"}),
    ("game-studio", "Game studio here.", {"industry": "other"}),
    ("游戏公司", "游戏公司，要传玩家邮箱", {"industry": "other", "sensitive_info_count": 0, "data_kinds": ["contact"]}),
    ("online-education", "海淀的在线教育公司", {"industry": "other", "zone": "beijing"}),
    ("tutoring", "Online tutoring company in Haidian", {"industry": "other", "zone": "beijing"}),
    ("brokerage", "We're a Shanghai brokerage", {"industry": "other", "zone": "none"}),
    ("券商", "我们是上海的券商", {"industry": "other", "zone": "none"}),
    ("ai-start-up", "AI start-up in 中关村", {"industry": "ai_training", "zone": "beijing"}),
    ("大模型", "中关村做大模型的", {"industry": "ai_training", "zone": "beijing"}),
    ("e-commerce", "我们是跨境电商平台", {"industry": "retail"}),
    ("ev-maker", "We're an EV maker", {"industry": "automotive"}),
    ("车企", "我们是新能源车企", {"industry": "automotive"}),
    ("airline", "我们是航空公司", {"industry": "civil_aviation"}),
    ("district-bureau", "I work at a district bureau in Haidian", {"state_organ": True, "industry": "other",
                                                                   "zone": "beijing"}),
    ("区政府下属的局", "我们是某区政府下属的局", {"state_organ": True, "industry": "other"}),
    ("政府部门", "我在海淀区某政府部门工作（国家机关）", {"state_organ": True, "industry": "other",
                                                  "zone": "beijing"}),
    ("hotel-as-recipient", "we send bookings to our partner hotel in Japan", {}),
    ("question-is-not-a-self-description", "Is a hospital a state organ?", {}),
]  # fmt: skip

EXEMPTIONS: list[tuple[str, str, dict[str, Any]]] = [
    ("ship-orders", "To ship orders we give buyers' addresses to overseas carriers",
     {"exemption_basis": "contract_with_individual", "purpose_necessary": True, "sensitive_info_count": 0,
      "data_kinds": ["contact"]}),
    ("为了发货", "为了发货要把买家的地址提供给境外商家", {"exemption_basis": "contract_with_individual",
                                                  "purpose_necessary": True, "sensitive_info_count": 0,
                                                  "data_kinds": ["contact"]}),
    ("issue-tickets", "only so the partner can issue the tickets the passengers booked with us",
     {"exemption_basis": "contract_with_individual"}),
    ("出票值机", "为了给旅客出票、值机，要把护照号发给境外航司", {"exemption_basis": "contract_with_individual",
                                                       "purpose_necessary": True,
                                                       "data_kinds": ["identity_document"]}),
    ("hotel-stays", "reservation details go to the global system so stays at our overseas hotels can be confirmed",
     {"exemption_basis": "contract_with_individual", "industry": "other"}),
    ("预订入住", "为了让客人预订的海外门店入住能确认，要传预订信息", {"exemption_basis": "contract_with_individual"}),
    ("not-for-delivery", "names and addresses for analytics (not for delivering their parcels)",
     {"sensitive_info_count": 0, "data_kinds": ["contact"]}),
    ("second-purpose-not-exempt", "When users book hotels abroad we send their names to the hotels. We also give "
     "their browsing history to our parent for its recommendation engine.",
     {"sensitive_info_count": 0, "data_kinds": ["contact"]}),
    ("collected-in-the-eu", "data of EU customers collected in the EU is processed in Beijing and sent back",
     {"exemption_basis": "offshore_collected_reexport", "zone": "beijing"}),
    ("在欧盟收集", "欧洲客户的数据都是在欧盟收集的，处理完再传回欧洲",
     {"exemption_basis": "offshore_collected_reexport"}),
    ("heart-attack", "A tourist had a heart attack in Paris and the hospital needs his history",
     {"exemption_basis": "emergency", "personal_info_count": 1}),
    ("突发心梗", "游客在巴黎突发心梗，医院要他的病史",
     {"exemption_basis": "emergency", **HEALTH, "sensitive_info_count": 1}),
    ("urgent-is-not-an-emergency", "这个问题很紧急", {}),
]  # fmt: skip

FLAGS: list[tuple[str, str, dict[str, Any]]] = [
    ("nothing-notified", "There's no personal information and nothing has been notified as important data.",
     {"important_data": False, "personal_info_count": 0, "sensitive_info_count": 0}),
    ("notified-ciio", "We were notified last year that we are a critical information infrastructure operator",
     {"ciio": True}),
    ("被通知认定", "去年被通知认定为关键信息基础设施运营者", {"ciio": True}),
    ("我们被认定", "我们去年被认定为关基了", {"ciio": True}),
    ("foreign-court-order", "a foreign court order demands the e-mails", {"foreign_judicial_request": True,
                                                                        "sensitive_info_count": 0,
                                                                        "data_kinds": ["contact"]}),
    ("纽约法院的命令", "纽约法院的命令要我们交出员工邮件", {"foreign_judicial_request": True,
                                                  "sensitive_info_count": 0, "data_kinds": ["employee"],
                                                  "scenario": "other"}),
    ("subpoena", "our US parent got a subpoena for the records", {"foreign_judicial_request": True}),
]  # fmt: skip

ALL = KINDS + COUNTS + ZONES + INDUSTRIES + EXEMPTIONS + FLAGS


@pytest.mark.parametrize(("text", "expected"), [(t, e) for _, t, e in ALL], ids=[i for i, _, _ in ALL])
def test_reading(text: str, expected: dict[str, Any]) -> None:
    facts = extract_facts(text).facts.model_dump()
    for name, value in expected.items():
        assert facts[name] == value, name
    # Whose data it is (data_subjects) is read from the same words as counts and kinds; test_kinds.py checks it;
    # which counts were approximate, test_counts.py.
    invented = {
        k: v for k, v in facts.items() if k not in {*expected, "data_subjects", "approximate_counts"} and v != EMPTY[k]
    }
    assert invented == {}


def test_a_range_or_an_unknown_earlier_amount_is_noted() -> None:
    assert any("range" in note for note in extract_facts("今年大概5万到15万名用户的邮箱").notes)
    notes = extract_facts("We send 6,000 names now; earlier this year we sent some, I don't know how many.").notes
    assert any("unknown size" in note for note in notes)


def test_an_unsure_scenario_is_left_unknown() -> None:
    text = (
        "Beijing FTZ pharma: 25,000 patients, some trial follow-up, some adverse-event reports, "
        "not sure how to classify"
    )
    u = extract_facts(text)
    assert u.facts.scenario is None
    assert any(note.startswith("scenario: not set") for note in u.notes)


def test_foreign_place_acronyms_are_capitals_only() -> None:
    from assistant.understanding.places import FOREIGN

    assert FOREIGN.search("our parent in the US")
    assert FOREIGN.search("EU customers")
    assert not FOREIGN.search("send it back to us")
    assert not extract_facts("The data was collected from us by a vendor").facts.exemption_basis


@pytest.mark.parametrize(
    ("text", "described"),
    [
        ("Bubble tea chain, the Singapore franchisor wants our members' phone numbers.", True),
        ("photo studio here (Nanjing). the Tokyo partner wants client portraits", True),
        ("we run 9 climbing gyms in Hangzhou and HQ in Sydney wants the member list", True),
        ("连锁书店品牌，新加坡总部要会员手机号", True),
        ("The list goes to our partner in Oslo. Hangzhou dental clinic. What do we file?", True),
        ("B2B SaaS (invoicing software) in Xiamen; we sync users' e-mails to the US parent", True),
        ("我们是海淀的连锁诊所，患者病历要给香港总部", True),
        ("我们是海淀的公司，要把会员手机号给香港总部", False),
        ("we send records to a clinic in Osaka", False),
        ("我们帮客户预订民宿，要把证件信息传给境外房东", False),
    ],
)
def test_a_business_named_first_is_in_no_listed_sector(text: str, described: bool) -> None:
    from assistant.understanding.business import described_business

    assert (described_business(text) is not None) is described


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        ("智能手表把用户的心率和血氧同步到新加坡", "data_kinds", ["health"]),
        ("the ring uploads each wearer's sleep quality and blood pressure", "data_kinds", ["health"]),
        ("我们是做仿制药的，样本数据要传到印度", "industry", "pharmaceutical"),
        ("an innovative drugs start-up sending assay results to Basel", "industry", "pharmaceutical"),
        ("对方要300家经销商的营业执照和法人身份证复印件", "sensitive_info_count", 300),
        ("客户要我们把员工的护照发给境外酒店，说是为了入住登记", "exemption_candidate", "contract_with_individual"),
        ("the airline asks for the passengers' passports; is that really necessary for the tickets?",
         "exemption_candidate", "contract_with_individual"),
    ],
)  # fmt: skip
def test_words_of_kinds_sectors_and_doubt(text: str, field: str, value: Any) -> None:
    assert extract_facts(text).facts.value(field) == value


@pytest.mark.parametrize(
    ("text", "mechanics"),
    [
        ("and when do we apply for the extension?", True),
        ("续期要提前多久申请？", True),
        ("do we need to renew it after three years?", True),
        ("do we need a standard contract for this?", False),
    ],
)
def test_questions_on_extending_a_result_ask_how_a_rule_works(text: str, mechanics: bool) -> None:
    assert asks_how_a_rule_works(text) is mechanics


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        ("We'll copy 12,000 sales leads (name, e-mail) to the CRM in Ohio", "personal_info_count", 12_000),
        ("We got a notice from the city bureau last spring: our port-traffic tables are important data",
         "important_data", True),
        ("We are the agency that administers the county's social insurance; a Dutch firm wants 900 members' records",
         "public_affairs_body", True),
        ("客户的病历从新加坡传过来，我们标注后发回去，不添加境内数据",
         "exemption_basis", "offshore_collected_reexport"),
        ("小程序上有40万注册用户，这次只把其中约5千人的昵称发给日本的合作方", "personal_info_count", 5_000),
    ],
)  # fmt: skip
def test_people_notices_public_bodies_data_from_abroad_and_what_is_sent(text: str, field: str, value: Any) -> None:
    understood = extract_facts(text)
    assert (understood.read or understood.facts).value(field) == value  # read: what it says, whatever its intent


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        ("we send bills of lading to the agent in Rotterdam, no individual's details", "personal_info_count", 0),
        ("对方说是要“核实身份”，让我们把客户的护照扫描件也发过去", "exemption_basis", None),
        ('the hotel in Bali asks for the guests\' passport scans "for security"', "exemption_basis", None),
    ],
)
def test_no_individuals_and_purposes_in_the_other_sides_words(text: str, field: str, value: Any) -> None:
    understood = extract_facts(text)
    assert (understood.read or understood.facts).value(field) == value


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        ("数据都是德国客户那边传过来的，我们处理完再传回德国，不加国内数据",
         "exemption_basis", "offshore_collected_reexport"),
        ("想把会员名单发给新加坡的代理商", "data_kinds", ["contact"]),
        ("we'd share our mailing list with the Lisbon agency", "data_kinds", ["contact"]),
    ],
)  # fmt: skip
def test_data_sent_from_abroad_and_lists_of_people(text: str, field: str, value: Any) -> None:
    understood = extract_facts(text)
    assert (understood.read or understood.facts).value(field) == value


def test_a_question_naming_a_route_is_about_the_transfer_beside_it() -> None:
    from assistant.understanding.parts import about_the_transfer

    assert about_the_transfer("是不是得补签标准合同？")
    assert about_the_transfer("so do we need the security assessment after all?")
    assert not about_the_transfer("is a foreign cloud drive an export?")


@pytest.mark.parametrize(
    ("text", "basis"),
    [
        ("我们的司机在越南送货时撞伤住院了，医院要他的血型和过敏史", "emergency"),
        ("a colleague was hurt and hospitalized in Lima; the clinic asks for his medication list", "emergency"),
        ("急诊科5000名患者的病历要给美国的大学做研究", None),  # a department's records, not an emergency
    ],
)
def test_an_injured_person_in_hospital_is_an_emergency(text: str, basis: str | None) -> None:
    understood = extract_facts(text)
    assert (understood.read or understood.facts).exemption_basis == basis


@pytest.mark.parametrize(
    ("text", "scenario"),
    [
        ("亦庄的药企要把3000名患者的数据传给波士顿总部，数据里有诊断和用药", None),
        ("Our drug company sends patients' diagnoses and medication lists to the Boston parent", None),
        ("我们药企在北京也做诊疗服务，患者数据要传到波士顿", "diagnosis_treatment"),
    ],
)
def test_a_diagnosis_named_as_data_is_no_scenario(text: str, scenario: str | None) -> None:
    assert extract_facts(text).facts.scenario == scenario


def test_adverse_events_in_a_trial_are_the_trials_data() -> None:
    facts = extract_facts("Our Beijing drug company sends 800 subjects' trial CRFs with adverse events to Basel").facts
    assert facts.scenario == "clinical_trial"
    assert extract_facts("Our Beijing drug company sends adverse event reports to Basel").facts.scenario == (
        "pharmacovigilance"
    )


def test_an_exemption_asked_about_is_no_longer_taken() -> None:
    first = extract_facts("我们是上海的工厂，HR要把员工的工资单按劳动合同发给新加坡集团发薪").facts
    assert first.exemption_basis == "hr_management"
    later = extract_facts("这个能算跨境人力资源管理的豁免吗？", first).facts
    assert later.exemption_basis is None and later.exemption_candidate == "hr_management"


def test_a_follow_up_read_by_meaning_keeps_the_basis() -> None:
    first = extract_facts("我们旅行社有个团员在清迈突发心梗，现在在抢救").facts
    later = extract_facts("当地医院要他的既往病史，我们手上有他报名时填的健康申报表，能直接发过去吗？", first).facts
    assert later.exemption_basis == "emergency"
