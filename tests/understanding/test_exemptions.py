"""Exemption bases read from the purpose: exact readings, meaning (said or possible), necessity, and the checker."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from assistant import RuleBook, check, load_rulebook
from assistant.understanding import extract_facts
from assistant.understanding.exemptions import find_exemption, find_necessity, keyword_exemption
from assistant.understanding.meaning import meaning_model

needs_model = pytest.mark.skipif(meaning_model() is None, reason="no real embedder on this platform")
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def rulebook() -> RuleBook:
    """The project's rule packs."""
    return load_rulebook(ROOT / "corpus" / "rules", ROOT / "corpus" / "documents.yaml")


EXACT = [
    ("We rely on art 5(2) for this transfer", "hr_management"),
    ("依据第五条第（三）项", "emergency"),
    ("The transfers are cross-border remittances our customers order", "contract_with_individual"),
    ("为履行法定义务向境外提供", "statutory_duty"),
    ("按照劳动规章制度和集体合同管理外派员工", "hr_management"),
    ("Product specifications for international trade, no personal information",
     "trade_without_personal_or_important_data"),
    ("we forward the scans to a Zurich clinic for a second opinion which the patients order and pay for",
     "contract_with_individual"),
    ("应客户的要求，把他的护照号发给曼谷的酒店办理入住", "contract_with_individual"),
    ("senders pay us to deliver their parcels, so the Hamburg courier gets the recipients' addresses",
     "contract_with_individual"),
    ("the patients chose direct billing, so their US insurer gets the itemised bills", "contract_with_individual"),
    ("一家德国保险公司把投保人的理赔单扫描件发给我们录入，录完直接传回德国", "offshore_collected_reexport"),
    # work for a client abroad on its own people's data, nothing from China added, the result returned
    ("We index insurance claims for a Danish insurer; the scanned claim forms of its Danish policyholders come in, "
     "and we upload the indexed files back to Copenhagen. No information about people in China is added.",
     "offshore_collected_reexport"),
    ("替韩国客户整理韩国会员的调研问卷，整理好发回韩国，不加入国内的任何数据", "offshore_collected_reexport"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "basis"), EXACT, ids=[t[:30] for t, _ in EXACT])
def test_exact_readings_are_said(text: str, basis: str) -> None:
    found = find_exemption(text)
    assert found is not None and found.basis == basis and found.candidate is None


SAID = [
    ("Our Shanghai staff's monthly salaries are computed by the payroll hub in Manila.", "hr_management"),
    # a list of fields between commas is read with the verb after it; the data goes back where it came from
    ("when a buyer checks out we send their name, mobile, street address, passport number to the Osaka depot so they "
     "can clear customs and post the box", "contract_with_individual"),
    ("A Dutch bank mails us recordings of its Dutch clients' calls; we transcribe them and the transcripts go straight "
     "back to Amsterdam. No domestic data is added to them.", "offshore_collected_reexport"),
    ("我们派到新加坡分公司工作两年的员工，人事档案要给新加坡那边。", "hr_management"),
    ("One of our tourists had a bad fall in Bali and is in intensive care; the doctors need his medical history.",
     "emergency"),
    # an acute illness treated abroad
    ("两名员工在泰国出差时食物中毒，当地医院要他们的过敏史", "emergency"),
    ("A colleague got food poisoning on a trip to Lima; the hospital there needs her medical history.", "emergency"),
    # an accident and the rescue team that needs the data
    ("会员在西藏登山时骨折，搜救队要他的血型和病史", "emergency"),
    ("our intern in Lyon is in hospital and they want her allergy list from our file asap", "emergency"),
    ("A hiker from our club was injured in the Alps; the rescue helicopter crew needs his allergies.", "emergency"),
]  # fmt: skip


@needs_model
@pytest.mark.parametrize(("text", "basis"), SAID, ids=[t[:30] for t, _ in SAID])
def test_purposes_said_by_meaning(text: str, basis: str) -> None:
    found = find_exemption(text)
    assert found is not None and found.basis == basis, found


NOTHING = [
    "Our parent company wants every customer's purchase history for a marketing push.",
    "客户的行为数据要传给美国总部训练推荐模型。",
    "We are a hospital in Fengtai.",
    "这个月要交的材料很急。",
    "Names and addresses go to the group for analytics (not for delivering their orders).",
    "The Seoul affiliate wants to browse names, mobiles, and addresses of the buyers whose boxes we shipped within "
    "China this year.",
]


@needs_model
@pytest.mark.parametrize("text", NOTHING, ids=[t[:30] for t in NOTHING])
def test_no_exempt_purpose_is_nothing(text: str) -> None:
    found = find_exemption(text)
    assert found is None or (found.basis is None and found.candidate is None), found


@needs_model
def test_a_second_transfer_for_analytics_cancels_the_basis() -> None:
    text = (
        "We forward each guest's booking to the hotel abroad so the room is held. "
        "We also send all guests' profiles to the group's marketing analytics platform."
    )
    found = find_exemption(text)
    assert found is not None and found.basis is None and found.candidate is None
    assert "not exempt" in found.evidence


NECESSITY = [
    ("Without sending the address we cannot deliver the parcel.", True),
    ("确需向境外提供这些信息", True),
    ("不传就没法给客人办入住", True),
    ("Honestly, sending it is not strictly necessary; it's just convenient.", False),
    ("其实不传也可以，只是图方便", False),
    ("We pass the buyer's address to the courier in Perth, otherwise the box can't be delivered.", True),
    ("我们把收件人电话推给境外仓库，否则无法派送", True),
    ("Is it necessary to send this abroad?", None),
    ("这个有必要传吗？", None),
]


@pytest.mark.parametrize(("text", "necessary"), NECESSITY, ids=[t[:30] for t, _ in NECESSITY])
def test_necessity_statements(text: str, necessary: bool | None) -> None:
    found = find_necessity(text)
    assert (found[0] if found else None) is necessary


def test_the_keyword_reading_remains_the_fallback() -> None:
    assert keyword_exemption("we handle payroll for the group")
    found = keyword_exemption("To ship orders we give buyers' addresses to carriers. We also do analytics with it.")
    assert found is not None and found.basis is None


@needs_model
def test_an_unsure_purpose_makes_the_checker_ask_whether_it_is_necessary(rulebook: RuleBook) -> None:
    text = "我们是顺义的零售企业，每年大约30万名买家的姓名和电话要给境外的商家。"
    facts = extract_facts(text).facts
    assert facts.exemption_basis is None and facts.exemption_candidate == "contract_with_individual"
    det = check(facts, rulebook, today=dt.date(2026, 11, 27))
    assert det.outcome == "needs_more_information"
    assert det.missing_facts[0] == "purpose_necessary"
    outcomes = {str(b.if_["purpose_necessary"]): b.outcome for b in det.branches}
    assert outcomes == {"True": "exempt", "False": "standard_contract_or_certification"}
    follow = extract_facts("是的，不传的话商家就没法给他们发货，确需提供。", facts).facts
    assert follow.purpose_necessary is True
    assert check(follow, rulebook, today=dt.date(2026, 11, 27)).outcome == "exempt"
    refused = extract_facts("No, it's not really necessary to send it; it is just easier for them.", facts).facts
    assert refused.purpose_necessary is False
    assert check(refused, rulebook, today=dt.date(2026, 11, 27)).outcome == "standard_contract_or_certification"


@needs_model
def test_a_sure_purpose_decides_and_asks_nothing_else(rulebook: RuleBook) -> None:
    text = "Salaries of all our Beijing staff are calculated by the group payroll team in Singapore."
    facts = extract_facts(text).facts
    assert facts.exemption_basis == "hr_management" and facts.purpose_necessary is None
    det = check(facts, rulebook, today=dt.date(2026, 11, 27))
    assert det.outcome == "exempt" and det.missing_facts == []


@needs_model
@pytest.mark.parametrize(
    "text",
    [
        "Our branch forwards the payer's name and account to a Sydney bank for customers' outbound wire transfers.",
        "我们帮客户办签证，要把护照扫描件交给境外的签证中心",
    ],
)
def test_words_of_a_purpose_make_it_at_least_a_candidate(text: str) -> None:
    found = find_exemption(text)
    assert found is not None and "contract_with_individual" in (found.basis, found.candidate)


def test_a_later_purpose_no_exemption_names_ends_the_earlier_exemption() -> None:
    from assistant.understanding import extract_facts

    first = extract_facts("We send buyers' addresses to the courier in Perth so it can deliver their orders.").facts
    later = extract_facts("and the courier also wants them for its own newsletters", first).facts
    assert later.exemption_basis is None and later.exemption_candidate is None


def test_one_more_question_is_no_count_of_one() -> None:
    from assistant.understanding import extract_facts

    facts = extract_facts("one more: can we send all past guests' passport numbers to the Bali partner?").facts
    assert facts.sensitive_info_count is None and facts.personal_info_count is None


@pytest.mark.parametrize(
    ("text", "candidate"),
    [
        ("We send each traveller's passport number to the Bali resort they booked. Covered by the booking exemption?",
         "contract_with_individual"),
        ("我们把派驻员工的工资单发给境外母公司，这个算跨境人力资源管理可以豁免吗？", "hr_management"),
        # a purpose we would not read as the basis the person names: whether it is necessary for it is asked
        ("The group wants all staff appraisals in its US succession-planning tool; our HR lead says that's "
         "cross-border HR management so it's exempt. Is he right?", "hr_management"),
        ("合作的语言学校想要所有来咨询过的客户的护照号，说方便联系，这也算为了履行合同吗？",
         "contract_with_individual"),
    ],
)  # fmt: skip
def test_asking_whether_an_exemption_covers_it_is_not_saying_so(text: str, candidate: str) -> None:
    found = find_exemption(text)
    assert found is not None and found.basis is None and found.candidate == candidate


def test_asking_while_saying_it_is_necessary_keeps_the_basis() -> None:
    found = find_exemption("We pass the guest's name to the Bali resort they booked; without it they cannot check "
                           "in. Covered by the booking exemption?")  # fmt: skip
    assert found is not None and found.basis == "contract_with_individual"


@pytest.mark.parametrize(
    "text",
    [
        "We proofread survey answers for a Korean pollster: all the files come from Korea and go back there.",
        "新加坡客户把他们在新加坡门店拍摄的视频发给我们剪辑，剪完再传回去",
    ],
)
def test_data_collected_abroad_and_sent_back_is_read(text: str) -> None:
    found = find_exemption(text)
    assert found is not None and found.basis == "offshore_collected_reexport"


@pytest.mark.parametrize(
    "text",
    [
        "母公司要我们把驻外员工的行踪实时共享过去，万一出意外好找人，这种紧急情况不是可以免吗？",
        "We'd share travelling staff's live location with the Dubai office just in case of an emergency.",
    ],
)
def test_a_precaution_is_no_emergency_said(text: str) -> None:
    found = find_exemption(text)
    assert found is None or found.basis is None


@pytest.mark.parametrize(
    "text",
    [
        "The Tokyo office wants every engineer's medical history on file as a precaution.",
        "Our partner says it's urgent, so they want the patients' scans sent to Zurich today.",
        "总部说情况紧急，让我们把所有门店员工的体检结果发过去",
        "以防万一，境外母公司想先存一份外派员工家属的联系方式",
    ],
)
def test_a_precaution_or_someone_elses_claim_states_no_basis(text: str) -> None:
    found = find_exemption(text)
    assert found is None or found.basis is None, found


@pytest.mark.parametrize(
    ("text", "basis"),
    [
        ("We send the monthly payroll file of our 80 Wuhan staff to the group's payroll team in Manila.",
         "hr_management"),
        ("Our travel desk forwards guests' passport numbers to the Lisbon hotels they reserved.",
         "contract_with_individual"),
    ],
)  # fmt: skip
def test_the_purposes_the_law_lists_are_said(text: str, basis: str) -> None:
    found = find_exemption(text)
    assert found is not None and found.basis == basis, found


@pytest.mark.parametrize(
    ("text", "basis"),
    [
        ("Our guide was in a car accident in Chiang Mai and is unconscious; the hospital wants his blood group.",
         "emergency"),
        ("同事在曼谷出了车祸，昏迷不醒，当地医院要他的过敏史", "emergency"),
        ("We pass each patient's name and passport number to the Seoul clinic where they booked their surgery.",
         "contract_with_individual"),
        ("员工的工资和银行卡号要给新加坡的共享服务中心算薪发薪", "hr_management"),
    ],
)  # fmt: skip
def test_more_words_of_the_purposes_the_law_lists(text: str, basis: str) -> None:
    found = find_exemption(text)
    assert found is not None and found.basis == basis, found


def test_an_anti_fraud_blacklist_is_no_purpose_an_exemption_names() -> None:
    facts = extract_facts("连锁酒店要把住客登记信息（含护照号）同步给境外总部，用来建反欺诈黑名单").facts
    assert facts.exemption_basis is None and facts.exemption_candidate is None


def test_a_forecasting_model_is_no_purpose_an_exemption_names() -> None:
    facts = extract_facts(
        "our parent wants this year's orders with delivery addresses for a sales forecasting model"
    ).facts
    assert facts.exemption_basis is None and facts.exemption_candidate is None


@pytest.mark.parametrize(
    "text",
    [
        "Urgent: one of our engineers collapsed at a site in Jakarta; the ICU wants his blood type and medications.",
        "紧急！一名外派员工在迪拜工地摔伤昏迷，当地医院要他的过敏史和既往病史，能直接发吗？",
    ],
)
def test_an_emergency_about_one_person_concerns_one_person(text: str) -> None:
    facts = extract_facts(text).facts
    assert facts.exemption_basis == "emergency" and facts.sensitive_info_count == 1


def test_an_emergency_with_its_count_keeps_the_count() -> None:
    facts = extract_facts("地震后我们要把300名游客的身份和病史信息紧急发给当地救援医院").facts
    assert facts.sensitive_info_count == 300


@pytest.mark.parametrize(
    "text",
    [
        "我们做留学缴费服务，学生家长付款时，付款人姓名和账号要发给境外的收款银行。",
        "When a user pays a landlord in Lisbon, our app passes the payer's name and IBAN to the payee's bank.",
    ],
)
def test_a_payment_the_individual_makes_to_a_payee_abroad_is_their_contract(text: str) -> None:
    assert extract_facts(text).facts.exemption_basis == "contract_with_individual"


def test_a_purpose_said_to_be_part_of_a_contract_asks_whether_the_transfer_is_necessary() -> None:
    text = "The lessor wants all 900 tenants' bank statements; that's under the lease agreement so it's exempt, right?"
    facts = extract_facts(text).facts
    assert facts.exemption_basis is None and facts.exemption_candidate == "contract_with_individual"


def test_an_accident_abroad_and_the_hospital_treating_it_is_an_emergency() -> None:
    from assistant.understanding import extract_facts

    en = extract_facts(
        "our driver had a car accident in Almaty and the doctors there need his blood group, can we send it"
    )
    assert en.facts.exemption_basis == "emergency"
    zh = extract_facts("同事在迪拜出差突发心脏病，当地医院要他的用药记录，能直接发吗")
    assert zh.facts.exemption_basis == "emergency"


def test_a_purpose_by_meaning_needs_something_it_is_about() -> None:
    from assistant.understanding import extract_facts

    facts = extract_facts("about 6k pupils' names, grades and teacher comments go to a partner in Austin").facts
    assert facts.exemption_basis is None
    booked = extract_facts("we pass our guests' names to the hotel in Bali they booked through us").facts
    assert booked.exemption_basis == "contract_with_individual"


@pytest.mark.parametrize(
    "text",
    [
        "Our Shenzhen shop sends its overseas customers' orders back to the Hong Kong warehouse.",
        "我们把海外用户的订单信息发回新加坡总部",
        "Our app only has overseas users; we send their profiles back to the Singapore team.",
    ],
)
def test_foreign_peoples_data_sent_abroad_is_no_reexport_without_nothing_added(text: str) -> None:
    found = find_exemption(text)
    assert found is None or found.basis != "offshore_collected_reexport"


@pytest.mark.parametrize(
    "text",
    [
        # a purpose denied or turned down
        "会员积分跟支付没关系，也不能提现",
        "总部还想要门店员工的排班表，这个我先拒了",
        "HQ also asked for the staff rota; we declined that one",
        # the standard contract named as a route is no contract with the individual
        "Our card centre sends 30,000 cardholders' statements to the Manila risk hub for fraud scoring. "
        "Standard contract or security assessment?",
        # ads are a purpose no exemption names
        "We run an online shop and want to give our buyers' list to an agency for lookalike ads.",
    ],
)
def test_no_basis_is_read_from_a_purpose_denied_refused_or_no_exemption_names(text: str) -> None:
    found = find_exemption(text)
    assert found is None or (found.basis is None and found.candidate is None)


@pytest.mark.parametrize(
    "text",
    [
        "Our 300 engineers' names go to the vendor's e-learning portal in Munich. It's not HR stuff, only logins.",
        "员工家属在国外旅游时摔伤，保险公司要材料理赔，不过这不是紧急情况，已经出院了",
    ],
)
def test_a_basis_denied_by_its_name_is_not_taken(text: str) -> None:
    found = find_exemption(text)
    assert found is None or found.basis not in ("hr_management", "emergency")


def test_search_and_rescue_is_an_emergency() -> None:
    text = "Our guide lost contact with a trekker in Nepal; the rescue team needs his passport and GPS track."
    assert extract_facts(text).facts.exemption_basis == "emergency"


def test_an_application_service_the_person_signed_for_is_a_contract_with_them() -> None:
    text = "Every student signs a service agreement with us; we send their passports to UK universities they apply to."
    assert extract_facts(text).facts.exemption_basis == "contract_with_individual"


def test_a_parents_data_warehouse_is_a_purpose_no_exemption_names() -> None:
    text = "We sell ferry tickets; ~8k buyers' names and ID numbers go to our HK parent's data warehouse."
    assert extract_facts(text).facts.exemption_basis is None
