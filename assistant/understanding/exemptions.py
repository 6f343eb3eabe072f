"""The purpose of a transfer, read as an exemption basis (Provisions arts 3-5; NDR art 35(6)).

Two readings are combined:

* exact readings (`EXEMPTIONS`): the law's own terms, the items it lists (flight and hotel bookings, visas,
  exam services) and explicit references ("跨境汇款", "collective contract", "art 5(2)", "法定义务"). They are
  precise, so a match is taken as said.
* the meaning of each clause (meaning.py), compared with bilingual exemplars of every basis and of the
  purposes no exemption names. Above a class's upper threshold the basis is said (`basis`); between its
  thresholds a necessity basis is only possible (`candidate`: the checker then asks whether the transfer is
  truly necessary for it); below, nothing.

Art 3 (no personal information) is said by meaning only beside a statement that there is none; art 4
(collected abroad) and NDR art 35(6) (statutory duty) only by their exact readings (`EXACT_ONLY`).
A clause that denies a purpose ("not for delivering their parcels") is not read for one, and a second clause
sending the data for a purpose no exemption names (analytics, marketing: by meaning or by name) means not
every transfer is exempt, so no basis is set. Whether the transfer is necessary for its purpose ("确需") is
read from explicit statements (`find_necessity`). Without an embedder, `keyword_exemption` (the keyword
reading) is used instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .counts import sentence_bounds
from .kinds import NO_PERSONAL_INFO, read_kinds
from .meaning import ClauseReading, MeaningModel, meaning_model
from .persons import PEOPLE_EN, PEOPLE_ZH
from .places import FOREIGN_EN, FOREIGN_ZH
from .text import negated, rx, shortened, words

NECESSITY_BASES = frozenset({"contract_with_individual", "hr_management", "emergency", "statutory_duty"})
"""Bases that hold only when the transfer is truly necessary for the purpose ("确需"): these may be candidates."""
NO_EXEMPTION = "no_exempt_purpose"
"""The class of purposes no exemption names."""
TRADE = "trade_without_personal_or_important_data"

_ACUTE_EN = (
    r"\b(?:injured|got hurt|was hurt|collapsed|passed out|fainted|unconscious|heart attack|had a stroke|seizure|"
    r"crashed|car crash|car accident|(?:had|was in|were in) an accident|fractured|broke (?:his|her|their) \w+|"
    r"fell ill|seriously ill|altitude sickness|(?:pulmonary|cerebral) o?edema|heat ?stroke|hypothermia|"
    r"cardiac arrest|bleeding heavily|trapped|"
    r"anaphyla\w+|overdosed?|food poisoning|poisoned|burned|drowned|went into labou?r|hospitali[sz]ed|"
    r"admitted to hospital|in (?:the )?hospital(?! (?:records?|data|IT|systems?|staff)))\b"
)
_CARE_EN = (
    r"hospitals?|doctors?|clinics?|ICU|ER|A&E|paramedics?|surgeons?|medics?|ambulance|rescue\w*|evacuat\w+|"
    r"(?:they|she|he) (?:want|wants|need|needs|ask|asks)"
)
_ACUTE_ZH = (
    "车祸|受伤|摔伤|撞伤|心脏病|突发|昏迷|晕倒|中风|休克|骨折|急病|发病|病倒|急性|过敏反应|"
    "中毒|烧伤|烫伤|溺水|心梗|脑梗|早产|高反|高原反应|肺水肿|脑水肿|中暑|大出血|失温|被困"
)
_CARE_ZH = "医院|医生|急救|救护|急诊|ICU|救援|搜救|转运"

EXEMPTIONS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("emergency", rx(r"\b(?:in|during) an? (?:medical )?emergenc(?:y|ies)\b", r"\bmedical evacuation\b",
                      r"\blife[\s-]threatening\b", r"\bprotect (?:the |their |his |her |someone's )?(?:li(?:fe|ves)|"
                      r"health and safety)\b", "紧急情况", "紧急(?:救(?:助|治|援)|求助)", "保护[^,.;，。；]{0,8}生命",
                      "生命危险", "急救", "抢救", "病危", r"\bintensive care\b",
                      # an acute illness or accident, and the hospital or doctor treating it
                      rf"(?:{_ACUTE_EN})[^.?!;]{{0,80}}?\b(?:{_CARE_EN})\b",
                      rf"(?:{_ACUTE_ZH})[^。？！；?!;]{{0,40}}?(?:{_CARE_ZH})")),
    ("hr_management", rx(r"\bcross[\s-]border (?:HR|human resources?)\b", r"\bcollective contracts?\b",
                          r"\blabou?r (?:rules and regulations|regulations)\b", "跨境人力资源", "劳动规章制度",
                          "集体合同")),
    ("contract_with_individual", rx(
        r"\bcross[\s-]border (?:shopping|purchases?|payments?|remittances?|deliver(?:y|ies)|parcels?|"
        r"account opening)\b",
        r"\bcontract (?:with|to which) the (?:individual|data subject)\b",
        r"\bcontract (?:that |which )?the (?:individual|data subject) is (?:a )?party to\b",
        r"\b(?:book(?:ing|s|ed)?|reserv(?:e|es|ing|ed)) (?:a |an |the |their |his |her )?(?:flights?|hotels?|"
        r"air tickets?|plane tickets?|hotel rooms?)\b", r"\b(?:flight|hotel|air ticket) (?:booking|reservation)s?\b",
        r"\bvisa (?:applications?|processing)\b",
        r"\bissu(?:e|es|ing) (?:the |their )?(?:air |flight |plane )?tickets\b",
        "留学申请", "申请(?:国外|海外|境外|英国|美国|澳洲|加拿大)[^，。,]{0,4}(?:大学|学校|院校)",
        "(?:与|和|跟)我们签(?:了|订了|过)?[^，。；,;标]{0,6}(?:协议|合同)",
        "跨境购物", "跨境支付", "跨境汇款", "跨境寄递", "跨境开户", "个人作为一方当事人的合同", "机票酒店预订",
        r"\bremittances?\b", "(?:跨境|境外|国际)汇款", "汇款(?:到|至)(?:境外|国外|海外)",
        # the payee's bank abroad: the payment the individual makes is the contract
        r"\b(?:beneficiary|payee)(?:'s)? bank\b", r"\b(?:overseas|foreign) (?:receiving|payee|beneficiary) bank\b",
        "(?:境外|海外|国外)(?:的)?收款(?:银行|行|方|人|机构)",
        "(?:预订|预定|订购?)了?[^，。,]{0,6}(?:机票|酒店|航班)", "(?:机票|酒店|航班)预(?:订|定)",
        "签证办理", "办理签证", "考试服务", "值机", "(?:给|为)[^，。,]{0,6}出票",
        # a service the individual orders: what they ask or pay for is the contract
        r"\b(?:that|which) (?:the )?(?:patients?|customers?|clients?|users?|travell?ers?|guests?|buyers?|students?)"
        r" (?:themselves )?(?:ask(?:ed)? for|request(?:ed)?|order(?:ed)?|pa(?:y|id) for|sign(?:ed)? up for)\b",
        r"\bat (?:the|their) (?:own )?request\b",
        r"\bpa(?:y|ys|id) us to (?:deliver|ship|send|carry|forward|book|arrange|handle)\b",
        r"\b(?:last[\s-]mile|final) delivery\b", r"\bdirect billing\b",
        r"\b(?:their|the patients'|the customers'|the policyholders') (?:insurance )?claims?\b",
        "(?:保险)?直付", "办理(?:保险)?理赔", "理赔(?:申请|材料|手续)", "末端派送", "尾程派送",
        "应(?:客户|用户|患者|本人|学员|旅客)(?:的)?(?:要求|申请)",
        "(?:客户|用户|患者|学员|旅客)(?:本人|自己)(?:主动)?(?:要求|申请|下单|购买|预订|付费)")),
    ("offshore_collected_reexport", rx(
        r"\bcollected (?:abroad|overseas|outside (?:of )?(?:China|the country|mainland China)|in other countries)\b",
        rf"\bcollected (?:in|from) (?:the )?(?:{FOREIGN_EN})\b", r"\bre-?export(?:ed|ing)?\b",
        rf"\b(?:data|information|files|records|details)\b[^.;]{{0,30}}\b(?:all )?(?:comes?|came) from "
        rf"(?:abroad|overseas|outside (?:of )?China|(?:{FOREIGN_EN}))\b",
        "境外收集", "境外采集", f"在(?:{FOREIGN_ZH})[^，。,；;]{{0,6}}(?:收集|采集|产生|拍摄)",
        "从境外(?:收集|传入|获取)",
        rf"\b(?:sent|transferred|passed|forwarded) to us from (?:abroad|overseas|(?:the )?(?:{FOREIGN_EN}))\b",
        f"从?(?:境外|国外|海外|{FOREIGN_ZH})(?:的)?(?:客户|总部|方)?(?:那边|那里)?(?:传|发|送)(?:过来|进来|入)")),
)  # fmt: skip
"""Exact readings: the law's own terms for each basis, by priority."""

STATUTORY = rx(r"\bstatutory (?:duty|duties|obligations?)\b", r"\bperform (?:a |our |its )?legal (?:duty|obligation)\b",
               r"\b(?:the )?(?:law|regulations?) (?:obliges|requires|oblige|require) us to (?:send|report|provide|"
               r"transfer|share|disclose|submit)\b",
               r"\blegally (?:obliged|required|bound) to (?:send|report|provide|transfer|share|disclose|submit)\b",
               "法定职责", "法定义务", "依法(?:必须|要|应当|需要)[^，。？?]{0,12}(?:报送|报告|提供|发给|传给|报给)",
               "按照[^，。？?]{0,10}法的要求")  # fmt: skip
"""NDR art 35(6): to perform a statutory duty or obligation."""
ARTICLE_ITEM = rx(r"\bart(?:icle)?\.?\s*5\s*\(\s*([123])\s*\)", r"第五条第[（(]?([一二三])[)）]?项")
"""An explicit reference to an item of Provisions art 5."""
ITEM_BASES = {"1": "contract_with_individual", "2": "hr_management", "3": "emergency", "一": "contract_with_individual",
              "二": "hr_management", "三": "emergency"}  # fmt: skip

TRADE_CONTEXT = rx(r"\btrade\b(?!\s+zone)", r"\bexport(?:s|ing)? (?!data)\w+", "出口",
                    r"\blogistics\b", r"\bshipping\b", r"\bmanufactur(?:e|es|ing)\b",
                    r"\bacademic\b", r"\bcross[\s-]border transport\b", "贸易(?!区)", "物流", "运输", "学术", "制造",
                    "生产")  # fmt: skip

DENIED_PURPOSE = rx(r"\bnot (?:for|to|so that|in order to|because)\b", r"\brather than\b", r"\binstead of\b",
                     r"\bnothing to do with\b", "不是为了", "并非为了", "不是用于", "不用于", "而不是",
                     "与[^,，。]{0,8}无关", "(?:跟|和|与)[^,，。]{0,8}没(?:有)?(?:什么)?关系",
                     # a request turned down or put off ("这个我先拒了", "we declined that for now")
                     "拒(?:绝)?了", "以后再说", r"\b(?:declined|refused|turned (?:it |that |this )?down)\b",
                     # a clause that opens by denying what it names ("不是急诊", "not an emergency")
                     r"^\s*(?:不是|并非|并不是|也不是)",
                     r"^\s*(?:it'?s |this is |that'?s |this isn'?t |it isn'?t )?not an? ",
                     # no contract with the individual at all
                     r"\b(?:no|never|didn't|did not|haven't|have not|hasn't|has not) "
                     r"(?:sign\w* |have |had )?(?:an?y? )?contract",
                     "没(?:有)?(?:跟|和|与)?[^，。；]{0,12}签[^，。；]{0,4}合同")  # fmt: skip
"""A clause that denies a purpose: it is not read for one."""

NOT_NECESSARY = rx(
    r"\bnot (?:strictly |really |truly |absolutely )?(?:necessary|needed|essential|required|indispensable)\b",
    r"\b(?:unnecessary|nice to have|convenien(?:t|ce))\b", r"\bcould (?:\w+ ){0,4}without (?:sending|transferring|"
    r"sharing|providing)\b", r"\bdon't (?:really |strictly )?need to (?:send|transfer|share|provide)\b",
    "不是必须", "并非必需", "不是必需", "没必要", "并不必要", "不一定要传", "可以不传", "不传也(?:可以|行)", "图方便",
)  # fmt: skip
NECESSARY = rx(
    r"\b(?:is|are|it's) (?:strictly |truly |really |absolutely )?(?:necessary|essential|indispensable)\b",
    r"\bcan(?:not|'t) (?:\w+ ){0,5}without (?:sending|transferring|sharing|providing|giving)\b", r"\bonly way\b",
    r"\bhave no (?:other )?choice but\b",
    r"\bwithout (?:sending|transferring|sharing|providing|giving) (?:\w+ ){0,4}(?:we|they|you|it) (?:cannot|can't|"
    r"could not|couldn't)\b",
    r"\botherwise (?:\w+ ){0,3}(?:cannot|can't|can not|could not|couldn't|won't|will not|would not|wouldn't)\b",
    r"\b(?:required|needed) (?:\w+ ){0,2}(?:to|for|in order to) (?:deliver|ship|perform|complete|process|clear|book|"
    r"issue|pay|treat|fulfil+)\b",
    "确需", "必不可少", "非传不可", "不传[^，。,]{0,8}(?:无法|没法|不能)", "只能(?:把|将)?[^，。,]{0,10}(?:传|发|提供)",
    "否则(?:就)?(?:无法|没法|不能|办不了|送不到|发不了|完成不了)",
    "不(?:提供|给|发)(?:的话)?[^，。,]{0,8}(?:无法|没法|不能|办不了)",
)  # fmt: skip
WITHOUT_IT = rx(
    r"\bwithout (?:it|this|that|them|these|those|the data|the details|the information)\b,?\s*"
    r"(?:\w+ ){0,3}(?:cannot|can't|can not|could not|couldn't|won't|will not|would not|wouldn't)\b",
    r"\botherwise (?:\w+ ){0,3}(?:cannot|can't|can not|could not|couldn't|won't|will not|would not|wouldn't)\b",
    r"(?:否则|不然|没有(?:这些|它|这个)(?:信息|资料|数据)?(?:的话)?)[^，。,]{0,6}(?:无法|没法|不能|办不了|送不到|完成不了)",
    # the other side acts only once it has the data: "the clinic won't book a slot until it has the scans"
    r"\b(?:won't|will not|cannot|can't|refuses? to|doesn't|does not) (?:\w+ ){0,4}(?:until|unless) "
    r"(?:it|they|he|she|we) (?:has|have|gets?|receives?|sees?)\b",
    "(?:拿到|收到|看到)[^，。,]{0,12}(?:才(?:能|会|肯|给)|之前不(?:能|会|给))",
    # the form or message itself has to carry the data ("the visa form must carry her address")
    r"\b(?:has|have) to (?:carry|include|contain|list|show|bear)\b", r"\bmust (?:carry|include|contain|list|bear)\b",
    "必须(?:包含|带有|附上|写明|载明)",
    # the service's own instrument needs the data ("the wire needs the payee's account number")
    r"\b(?:the |each |every |a )?(?:payments?|wires?|remittances?|bookings?|reservations?|forms?|applications?|"
    r"orders?|shipments?|parcels?|visas?|tickets?|customs declarations?) (?:needs?|requires?|must (?:carry|include|"
    r"have|contain))\b",
    "(?:汇款|付款|转账|订单|报关单?|申请表?|签证|机票|预订|表格|运单)(?:上|里)?(?:需要|要求|必须)(?:填|写|提供|带|有|附)",
    # the labour rules provide for it (the HR basis's own condition, Provisions art 5(2))
    r"(?:规章制度|制度|员工手册|劳动合同|集体合同|管理办法)(?:里|中|上)?(?:都|也)?(?:写了|写明了?|有规定|规定了?|约定了?)",
    # the individual asked for it or chose the other side (the contract basis's own condition, art 5(1))
    r"\b(?:they|he|she|the (?:customer|client|patient|student|guest|traveller|traveler|buyer|applicant)s?) "
    r"(?:themselves |himself |herself )?(?:picked|chose|chosen|selected|requested|asked for|applied (?:to|for))\b"
    r"(?! (?:not|nothing|no)\b)",
    r"\b(?:at|on) (?:their|his|her|the (?:customer|client|patient|individual)'s) (?:own )?request\b",
    "(?<!我们)(?<!我)(?:本人|自己|他们自己|他自己|她自己)(?:主动)?(?:申请|要求|选(?:的|定|择)|挑(?:的|选)|报名|下单|预约|预订|找上门)",
    r"\b(?:it'?s|it is|this is) (?:all )?(?:written|set out|provided for|laid down) in (?:our|the) "
    r"(?:staff |employee )?(?:handbook|polic(?:y|ies)|labou?r rules|employment contracts?|collective contract)\b",
)  # fmt: skip
"""Necessity said of the transfer just described, without naming it again ("…; without it they cannot board")."""
TRANSFER_WORD = rx(r"\b(?:send|sending|transfer|transferring|share|sharing|provide|providing|export|go(?:es)? abroad|"
                   r"pass(?:es|ing)?|forward(?:s|ing)?|give|giving|hand(?:s|ing)? over|push(?:es|ing)?|"
                   r"upload(?:s|ing)?|sync(?:s|ing)?|this)\b",
                   "传", "发", "提供", "出境", "共享", "推给", "同步")  # fmt: skip
_SENTENCE = re.compile(r"[^.!?。！？;；\n]+[.!?。！？;；]?")


@dataclass(frozen=True)
class ExemptionFinding:
    """What the purpose says: a basis said, or one only possible (`candidate`), and the words that say it.

    `basis` and `candidate` are both None when a basis was stated but another transfer is not exempt.
    """

    basis: str | None
    evidence: str
    candidate: str | None = None
    asked: bool = False
    """Whether the person asks whether the basis applies ("这算不算人事管理那一条"), rather than stating it."""


def find_exemption(text: str) -> ExemptionFinding | None:
    """The exemption basis the purpose states (exact readings first, then meaning); None when none is.

    A person who asks whether an exemption covers the transfer ("does the delivery exemption cover this?",
    "工资单发给母公司，算人力资源管理豁免吗？") has not said that it does: the basis is then only a candidate, whose
    necessity is asked (or, for a basis without a necessity test, not taken), unless they say it is necessary.
    A basis asked about, or read only by meaning, gives way to a purpose no exemption names that the message
    states as what the data is for ("to build a group model", "做定价研究"), unless a second purpose is joined
    to it in the same sentence.
    """
    model = meaning_model()
    if model is None:
        found = keyword_exemption(text)
    else:
        readings = model.read(text)
        exact = _exact(text)
        if exact is not None:
            found = _unless_another_purpose(model, readings, exact, None)
        else:
            found = _corroborated(model, readings, text, _by_meaning(model, readings, text))
    label = found.basis or found.candidate if found is not None else None
    denial = DENIED_BY_NAME[label].search(text) if label in DENIED_BY_NAME else None
    if denial is not None:
        return ExemptionFinding(None, f"{label} denied in so many words ({denial.group(0)})")
    if (found is None or (found.basis is None and found.candidate is None)) and _basis_in_doubt(text):
        named = next((basis for basis, pattern in NAMED_BASES if pattern.search(text)), None)
        if named is not None and stated_other_purpose(text) is None:
            # "is this covered by the contract exemption?" of a purpose we do not read as one: whether the transfer
            # is necessary for that purpose is the question, not a silent "no exemption"
            return ExemptionFinding(
                None, f"{named} asked about ({found.evidence if found else 'not read'})", named, asked=True
            )
    if (
        found is not None
        and label not in (None, "offshore_collected_reexport")
        and (_basis_in_doubt(text) or found.evidence.startswith("by meaning"))
    ):
        other = stated_other_purpose(text)
        if other is not None:
            # "for a pricing study - can the emergency exemption cover this too?": the purpose stated is not the
            # exemption's, whatever was said of the exemption (or only its meaning was near); art 4 holds whatever
            # the data is used for abroad
            return ExemptionFinding(None, f"{found.basis or found.candidate} asked about, but the data goes «{other}»")
    if found is None or found.basis is None or not _basis_in_doubt(text) or (find_necessity(text) or (False,))[0]:
        return found
    if found.basis == "offshore_collected_reexport" and _first(text) is None and not BASIS_CLAIMED.search(text):
        # where the data came from and went, said as facts rather than as the rule's name ("collected abroad"), holds
        # whether or not the person asks if it is exempt
        return found
    if found.basis in NECESSITY_BASES:
        return ExemptionFinding(None, f"{found.evidence}; asked whether it applies", candidate=found.basis, asked=True)
    return ExemptionFinding(None, f"{found.basis} asked about, not stated ({found.evidence})")


DENIED_BY_NAME: dict[str, re.Pattern[str]] = {
    "hr_management": rx(
        r"\b(?:(?:it'?s|it is|this is|that'?s|that is)\s+not|isn'?t|is not|not)\s+(?:an?\s+)?"
        r"(?:HR|human resources?|personnel|payroll)(?:\s+(?:stuff|matter|thing|purpose|management|issue))?\b"
        r"(?!\s+(?:data|records?|files?|information|system))",
        "(?:不是|不属于|并非|不算)(?:人力资源|人事|HR)(?:管理)?(?!数据|信息|系统|档案)",
    ),
    "emergency": rx(
        r"\b(?:(?:it'?s|it is|this is|that'?s|that is)\s+not|isn'?t|is not|not)\s+(?:an?\s+)?(?:emergency|urgent)\b",
        "(?:不是|不属于|并非|不算)(?:紧急情况|急诊|急救|紧急)", "不紧急",
    ),
}  # fmt: skip
"""A basis the person denies by its own name ("it's not HR stuff, just training logins", "这不是紧急情况"): whatever
the meaning of the other clauses, that basis is not theirs."""

NAMED_BASES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("hr_management", rx(r"\bHR (?:exemption|exception)\b",
                         r"\b(?:cross[\s-]border )?(?:HR|human resources?) management\b",
                         "人力资源管理", "人力资源(?:豁免|例外)", "人事管理(?:豁免|例外)")),
    ("emergency", rx(r"\bemergency (?:exemption|exception)\b", "紧急情况(?:豁免|例外)?")),
    ("contract_with_individual", rx(
        r"\bcontract(?:ual)? (?:exemption|exception)\b", r"\bperform(?:ance of|ing)? (?:a|the|their) contract\b",
        r"\bcontract (?:with|to which) the (?:individual|data subject|customer|person)\b",
        "(?:为了?|属于)?履行(?:个人作为一方当事人的)?合同", "合同(?:豁免|例外)",
        r"\b(?:part of|under|covered by|required (?:by|under)) (?:the|our|their|its|a) (?:[\w-]+ ){0,2}?"
        r"(?:contract|policy|agreement|terms)\b",
        "(?:是|属于|算)(?:[^，。？?]{0,8})?合同(?:的)?(?:一部分|约定|内容|义务)")),
)  # fmt: skip
"""An exemption the person names when asking whether it covers the transfer (art 5(1)-(3))."""
BASIS_ASKED = rx(
    r"\bexempt\w*\b[^?]{0,80}\b(?:is|are) (?:she|he|they|that|this|it|we) (?:right|correct)\b",
    "(?:算|属于|适用|符合|算是)[^。！？?]{0,10}(?:履行合同|人力资源管理|紧急情况)[^。！]{0,10}[吗？?]",
    "(?:说|认为|觉得)[^。？?]{0,30}(?:豁免|免于|不用)[^？?]{0,30}(?:对吗|对不对|是这样吗|是吗)",
    r"\b(?:covered|cover|covers|apply|applies|count|counts|qualif(?:y|ies)|fall)\b[^.?!]{0,60}"
    r"\b(?:exemption|exempt|exception|rule)\b[^.!]{0,40}\?",
    r"\b(?:exemption|exception|rule)\b[^.?!]{0,40}\b(?:apply|applies|cover|covers|work|hold)\b[^.!]{0,30}\?",
    r"\bexempt\b[^.!]{0,20}\?",
    r"\b(?:under|as|into|within|by|use|claim|apply) (?:the |an? |this |that )?(?:[\w-]+ ){0,2}"
    r"(?:exemption|exception)s?\b[^.!?]{0,15}\?",
    r"\bsame (?:exemption|exception|basis)\b",
    "(?:也|还)(?:能|可以)?(?:算|属于|算是)[^。！？?，,]{0,12}(?:吧|吗)",
    r"(?:算|属于|适用|符合)[^。！？?]{0,30}(?:豁免|例外)[^。！]{0,10}[吗？?]",
    r"(?:可以|能|能否|是否可以?)豁免",
    r"豁免吗",
    r"(?:可以|能|能不能|可不可以)免(?:掉|除|于)?(?:的)?(?:吗|[？?])",
    r"不是(?:可以|能|就)?免",
    r"\b(?:is|does|would) (?:this|that|it) (?:count as |qualify as |fall under |be )?(?:an? )?(?:HR|human resources?|"
    r"personnel|employment|contract(?:ual)?|emergency)\b[^.!]{0,30}\?",
    r"(?:算|属于|是不是|是否|能不能算)[^。！？?]{0,20}(?:必需|必要|必须)[^。！]{0,6}[吗？?]",
    r"\b(?:is|was|are) (?:it|that|this|the transfer|sending \w+) (?:really |strictly |actually )?"
    r"(?:necessary|needed|required)\b[^.!]{0,40}\?",
    r"\b(?:count|counts|qualif(?:y|ies)) as (?:strictly )?(?:necessary|needed)\b",
)  # fmt: skip
"""A question whether an exemption covers the transfer ("is that covered by the shopping exemption?")."""
BASIS_CLAIMED = rx(
    r"\b(?:just )?in case (?:of )?(?:an? )?emergenc", r"\bjust in case\b", r"\bas a precaution\b",
    r"万一(?:有|出|发生)?[^，。？！]{0,6}(?:紧急|急事|意外)", "以防万一", "以备不时之需", "防患于未然",
    r"\b(?:they|he|she|hq|headquarters|the (?:parent|group|client|vendor|partner|hospital|insurer))\s+"
    r"(?:say|says|said|claim|claims|claimed|insist|insists|insisted)\b[^.?!]{0,40}"
    r"\b(?:emergenc\w*|exempt\w*|necessary|needed|urgent)\b",
    r"(?:他们|对方|总部|母公司|集团|客户|合作方)(?:说|称|声称|坚持说|认为)[^。？！]{0,20}(?:紧急|豁免|必须|必要|急需)",
    r"(?:^|[，,。；;])\s*(?:说是|据说|号称|声称)[^。？！]{0,20}(?:为了|紧急|必须|必要|需要|要?[“\"'「])",
    r"[\"“](?:for|to) [^\"”]{2,40}[\"”]",  # a purpose in the other side's words, in quotes: "for insurance"
)  # fmt: skip
"""A purpose that is only a precaution ("in case of an emergency", "万一有紧急情况", "just in case"), or a basis
that someone else claims ("they say it is urgent")."""


def _basis_in_doubt(text: str) -> bool:
    """Whether the basis is asked about or only claimed: then it is not stated."""
    return bool(BASIS_ASKED.search(text) or BASIS_CLAIMED.search(text))


def _corroborated(
    model: MeaningModel, readings: list[ClauseReading], text: str, found: ExemptionFinding | None
) -> ExemptionFinding | None:
    """The meaning's reading, settled by the words of a basis's own purposes (`KEYWORDS`) where it is unsure.

    The words of a basis's own purposes (a delivery, a visa, a remittance, payroll) name the purposes the law
    lists, so where the meaning found nothing surer they state that basis, as an unsure reading by meaning that
    they corroborate does. Doubt is read afterwards (`find_exemption`): a person who asks whether the basis
    applies, sends the data only as a precaution, or reports someone else's claim makes it a candidate instead.
    """
    if found is not None and found.basis is not None:
        return found
    said = _first(text, KEYWORDS)
    if said is None or said[0] not in NECESSITY_BASES or DENIED_PURPOSE.search(text):
        return found
    label, m = said
    evidence = f"«{m.group(0)}»"
    if found is not None and found.candidate == label:
        return _unless_another_purpose(
            model, readings, ExemptionFinding(label, f"{found.evidence} and {evidence}"), None
        )
    if found is None or found.candidate is None:
        return _unless_another_purpose(model, readings, ExemptionFinding(label, evidence), None)
    return found


def _exact(text: str) -> ExemptionFinding | None:
    """The basis an exact reading states, not negated."""
    for m in ARTICLE_ITEM.finditer(text):
        if not negated(text, m.start()):
            return ExemptionFinding(ITEM_BASES[m.group(1) or m.group(2)], m.group(0))
    found = _first(text)
    if found is not None:
        return ExemptionFinding(found[0], found[1].group(0))
    received = RECEIVED_FROM_ABROAD.search(text)
    returned = RETURNED.search(text) or (SENT_BACK.search(text) if received else None)
    if received is None and returned and NOTHING_DOMESTIC_ADDED.search(text):
        received = FOREIGN_PEOPLES_DATA.search(text)
    if received and returned and not negated(text, received.start()):
        return ExemptionFinding("offshore_collected_reexport", f"{received.group(0)} … {returned.group(0)}")
    for m in STATUTORY.finditer(text):
        if not negated(text, m.start()):
            return ExemptionFinding("statutory_duty", m.group(0))
    no_pi = NO_PERSONAL_INFO.search(text)
    if no_pi and TRADE_CONTEXT.search(text):
        return ExemptionFinding(TRADE, no_pi.group(0))
    return None


def _by_meaning(model: MeaningModel, readings: list[ClauseReading], text: str) -> ExemptionFinding | None:
    """The basis the clauses' meaning states: the surest basis over the clauses that deny no purpose."""
    best: tuple[int, float, str, ClauseReading] | None = None
    for reading in readings:
        clause = reading.clause.text
        if DENIED_PURPOSE.search(clause) or (OTHER_PURPOSE.search(clause) and _first(clause) is None):
            continue  # a purpose denied, or one no exemption names
        if clause.rstrip().endswith(("?", "？", "吗")) and not (TRANSFER_WORD.search(clause) or _personal(clause)):
            continue  # a question about something else states no purpose
        for label in reading.scores["purposes"]:
            if label not in BASES:
                continue
            margin = reading.margin("purposes", label)
            state = model.decide("purposes", label, margin)
            if state is None:
                continue
            rank = 2 if state == "sure" else 1
            if best is None or (rank, margin) > (best[0], best[1]):
                best = (rank, margin, label, reading)
    if best is None:
        return None
    rank, margin, label, reading = best
    evidence = f"by meaning, {margin:+.3f}: «{shortened(reading.clause.text)}»"
    if label == TRADE and (rank < 2 or _personal(text) or not NO_PERSONAL_INFO.search(text)):
        return None  # art 3 holds only without personal information: said only beside a statement that none is
    if label == "offshore_collected_reexport" and rank == 2 and RETURNED.search(text):
        return _unless_another_purpose(model, readings, ExemptionFinding(label, evidence), reading)
    if label in EXACT_ONLY:
        return ExemptionFinding(None, f"{label} possible but unclear ({evidence})")  # only where it is said
    if label in NECESSITY_BASES and not CANDIDATE_SUBJECT[label].search(text):
        unrelated = f"{label} possible but unclear ({evidence}; nothing the purpose is about is named)"
        return ExemptionFinding(None, unrelated)
    if rank == 2:
        return _unless_another_purpose(model, readings, ExemptionFinding(label, evidence), reading)
    if label == "contract_with_individual" and DOMESTIC_SERVICE.search(text):
        return None  # the service the person ordered is performed in China: sending data abroad is no part of it
    if label in NECESSITY_BASES:
        return _unless_another_purpose(model, readings, ExemptionFinding(None, evidence, candidate=label), reading)
    return ExemptionFinding(None, f"{label} possible but unclear ({evidence})")


BASES = frozenset(NECESSITY_BASES | {TRADE, "offshore_collected_reexport"})
CANDIDATE_SUBJECT: dict[str, re.Pattern[str]] = {
    "contract_with_individual": words(
        r"\b(?:book\w*|reserv\w*|orders?|ordered|purchas\w*|buy\w*|bought|shop\w*|deliver\w*|ship\w*|parcels?|"
        r"pay\w*|remit\w*|visas?|tickets?|flights?|hotels?|exams?|enrol\w*|admissions?|applications?|repairs?|warrant\w*|"
        r"after-sales|(?<!standard )(?<!SCC )contracts?|lawsuits?|litigation|arbitration|"
        r"open\w* (?:an? |his |her |their )?(?:bank |brokerage |securities |trading )?accounts?)\b"
        r"|预订|预定|订单|下单|购|买|寄|快递|发货|配送|支付|付款|汇款|签证|机票|酒店|开户|考试|报名|入学|录取|留学|售后|维修|委托|诉讼|官司|仲裁|"
        r"(?<!标准)合同"
    ),
    "hr_management": words(
        r"\b(?:employees?|staff|payroll|salar\w*|hr|personnel|second\w*|expat\w*|assignees?|relocat\w*|benefits)\b"
        r"|员工|职工|工资|薪|人事|人力|派驻|外派|派遣|社保|福利|考勤"
    ),
    "emergency": words(
        r"\b(?:emergenc\w*|urgent\w*|accident\w*|injur\w*|ill|illness|sick|poison\w*|fever|fractur\w*|"
        r"hospital\w*|life|lives|rescue\w*|evacuat\w*|disasters?|unconscious)\b"
        r"|紧急|急救|急诊|医院|事故|车祸|受伤|突发|昏迷|抢救|住院|生命|救援|灾|发烧|中毒|骨折"
    ),
    "statutory_duty": words(r"\b(?:law|legal|statutory|duty|obligation)\b|法定|法律|义务|职责"),
}
"""What a purpose of each basis is about: a reading by meaning becomes a basis, or a candidate (and a question),
only when the message speaks of that subject at all (a booking, an employee, an accident)."""
DEMONYMS = (
    r"American|British|German|French|Swiss|Dutch|Belgian|Italian|Spanish|Swedish|Danish|Norwegian|Finnish|Irish|"
    r"Japanese|Korean|Singaporean|Australian|Canadian|Thai|Malaysian|Indonesian|Vietnamese|Indian|Brazilian|Mexican"
)
NOTHING_DOMESTIC_ADDED = rx(
    r"\bnothing (?:from|in|of|inside) (?:China|the mainland|mainland China|our side)\b[^.;]{0,20}"
    r"\b(?:added|mixed|merged|combined)\b",
    r"\bno (?:(?:[\w'-]+ ){0,3}?(?:about|from|of|on|in) )?(?:Chinese|domestic|China|mainland|local)\b[^.;]{0,30}"
    r"\b(?:added|mixed|merged|combined|included)\b",
    r"\bwithout (?:adding|mixing in|merging|combining|including) (?:any )?(?:Chinese|domestic|mainland|local)\b",
    r"\b(?:do not|don'?t|never|won'?t|will not|did not|didn'?t|doesn'?t|does not) (?:add|mix|merge|combine|include|put)"
    r"\b[^.;]{0,20}\b(?:Chinese|China|domestic|mainland|local)\b",
    "(?:不|没有|未|没)(?:加入?|添加|混入|掺入|引入|合并|增加|放入?)(?:任何)?(?:的)?(?:境内|国内|中国)",
    # nobody from China in the data at all
    rf"\bno (?:Chinese|domestic|mainland|PRC) (?:{PEOPLE_EN}|nationals|data)\b(?! (?:but|except))",
    f"(?:没有|不含|不包括|不涉及)(?:任何)?(?:一个)?(?:中国|境内|国内)(?:的)?(?:{PEOPLE_ZH})",
    r"\bnone of (?:it|them|the data|this)\b[^.;]{0,20}\b(?:about|from|of|on)\b[^.;]{0,20}\b(?:China|the mainland|"
    r"mainland China|PRC)\b",
    # only people abroad ("only their guests in Japan", "客人都是外国人")
    rf"\b(?:only|just|exclusively|solely)\b (?:for |of |about )?(?:their |its |the |our )?(?:(?:{FOREIGN_EN}|"
    rf"{DEMONYMS}|foreign|overseas|non-Chinese) (?:[\w-]+ )?(?:{PEOPLE_EN})|(?:[\w-]+ )?(?:{PEOPLE_EN}) (?:in|from|"
    rf"based in|living in) (?:{FOREIGN_EN}|abroad|overseas))\b",
    rf"\b(?:{PEOPLE_EN}) (?:are|were) all (?:abroad|overseas|foreign\w*|non-Chinese|{DEMONYMS}|in (?:{FOREIGN_EN}))\b",
    f"(?:只有|仅有|仅限|全是|全部是|都是|均为|只涉及|仅涉及)(?:境外|海外|国外|外国|外籍|{FOREIGN_ZH})[^，。；]{{0,4}}?"
    f"(?:{PEOPLE_ZH})",
    f"(?:{PEOPLE_ZH})(?:全|都|均|全部)(?:是|为|在)(?:外国人|外籍|境外|海外|国外|{FOREIGN_ZH})",
)  # fmt: skip
"""Nothing from China added to data from abroad (the condition of Provisions art 4)."""
DOMESTIC_ADDED = rx(
    rf"\b(?:merg\w*|combin\w*|mix\w*|add\w*|join\w*|pool\w*|together)\b(?:[^.;?!]|\.(?=\d)){{0,50}}?"
    rf"\b(?:mainland|Chinese|China|domestic|PRC|local)(?: [\w-]+)? (?:{PEOPLE_EN})\b",
    rf"\b(?:mainland|Chinese|China|domestic|PRC)(?: [\w-]+)? (?:{PEOPLE_EN})\b[^.;?!]{{0,40}}?\b(?:merged|combined|"
    r"mixed|added|pooled|included|too|as well)\b",
    f"(?:合并|混入|混在|加入|加上|掺入|一起|合到|并入|整合)[^。；？！]{{0,20}}(?:国内|境内|中国|大陆|内地)(?:的)?[^。；，]{{0,4}}?"
    f"(?:{PEOPLE_ZH})",
    f"(?:国内|境内|中国|大陆|内地)(?:的)?[^。；，]{{0,4}}?(?:{PEOPLE_ZH})[^。；？！]{{0,15}}(?:合并|混入|混在一起|加进|并入|整合|也在里面|也包括)",
)  # fmt: skip
"""Data of people in China merged into data from abroad: Provisions art 4 no longer holds."""
RETURNED = rx(
    r"\b(?:goes|go|went|sent|send|sends|returned|return|returns|transmitted|transmit|flows?|comes?|passed|pass|"
    r"deliver|delivers|delivered|upload|uploads|uploaded|hand|hands|handed)"
    r"(?: (?!to\b|and\b|but\b)[\w'-]+){0,5}? (?:straight |directly |right |all )?back (?:abroad|overseas|to "
    r"(?!China|us\b|the mainland|mainland|Beijing|Shanghai|our))\b",
    NOTHING_DOMESTIC_ADDED.pattern,
    "回传", f"(?:传|发|送|交)回(?:给)?(?:境外|国外|海外|对方|客户|总部|{FOREIGN_ZH})",
    "返还(?:给)?(?:境外|国外|海外|对方|客户)",
)  # fmt: skip
"""Data said to go back where it came from, or to have nothing from China added: with a sure reading by meaning
that it was collected abroad, Provisions art 4 (collected abroad, processed here, provided back) is stated."""
SENT_BACK = rx(
    r"\b(?:send|sends|sent|ship|ships|shipped|return|returns|returned|pass|passes|passed|deliver|delivers|delivered|"
    r"go|goes|went)(?: (?!to\b|and\b|but\b)[\w'-]+){0,4}? back\b(?!\s+(?:to|in|into|home|from|up|on)\b)",
)
"""Sent "back" with no destination: where it went back to is clear only once a party abroad handed the data to us."""
DOMESTIC_SERVICE = rx(
    r"\b(?:delivered|shipped|provided|performed|served|sold) (?:inside|within|in) (?:China|the mainland|mainland China|"
    r"the country)\b",
    r"\bdomestic (?:deliver(?:y|ies)|shipping|shipments|parcels?)\b",
    "(?:境内|国内)(?:的)?(?:配送|派送|寄递|快递|发货)", "在(?:境内|国内)(?:配送|派送|寄递|送达|发货)",
)  # fmt: skip
"""A service said to be performed in China: a purpose only possible by meaning is then no cross-border contract."""
RECEIVED_FROM_ABROAD = rx(
    rf"\b(?:{FOREIGN_EN}|{DEMONYMS}|foreign|overseas)\b[^.;]{{0,40}}?\b(?:sends?|sent|mails?|mailed|uploads?|"
    r"uploaded|passes|passed|forwards?|forwarded|gives?|gave|transfers?|transferred|provides?|provided|hands?|handed)"
    r" (?:us|over to us|to us)\b",
    f"(?:境外|国外|海外|{FOREIGN_ZH})[^，。；;]{{0,15}}(?:发|传|寄|交|提供|转)给(?:我们|我司|我方)",
    # gathered abroad in the first place ("the survey answers were gathered from respondents in Japan")
    rf"\b(?:collect|collects|collecting|gather|gathers|gathering|gathered|captur\w+|record|records|recorded)\b[^.;]{{0,30}}?"
    rf"\b(?:in|from) (?:the )?(?:{FOREIGN_EN}|abroad|overseas)\b",
    f"(?:境外|国外|海外|{FOREIGN_ZH})[^，。；;]{{0,10}}(?:收集|采集|产生|获取)的",
)  # fmt: skip
"""A party abroad that hands the data to us, or data gathered abroad: with the data going back (`RETURNED`),
Provisions art 4."""
FOREIGN_PEOPLES_DATA = rx(
    rf"\b(?:{FOREIGN_EN}|{DEMONYMS}|foreign|overseas)(?:-based)? (?:[\w-]+ )?(?:{PEOPLE_EN})\b",
    rf"\b(?:{PEOPLE_EN}) (?:in|from|based in|living in) (?:{FOREIGN_EN})\b",
    rf"\b(?:{PEOPLE_EN}) (?:abroad|overseas)\b",
    rf"\b(?:for|on behalf of) (?:a|an|our|the|its|their) (?:{DEMONYMS}|foreign|overseas)\b",
    f"(?:境外|国外|海外|{FOREIGN_ZH})(?:的)?[^，。；;的]{{0,4}}?(?:{PEOPLE_ZH})",
    f"(?:帮|替|为|给)(?:境外|国外|海外|{FOREIGN_ZH})(?:的)?(?:客户|公司|总部|企业|母公司|零售商|品牌)",
)  # fmt: skip
"""Data of people abroad, or work done for a client abroad: where nothing from China is added and the data goes
back, it was collected abroad (Provisions art 4)."""
EXACT_ONLY = frozenset({"offshore_collected_reexport", "statutory_duty"})
"""Bases said only by their exact readings: by meaning, art 4 is too near any transfer from abroad and NDR art
35(6) too near any question about duties, so a reading by meaning is only noted."""


def _unless_another_purpose(
    model: MeaningModel, readings: list[ClauseReading], found: ExemptionFinding, source: ClauseReading | None
) -> ExemptionFinding:
    """The finding, unless another clause sends data for a purpose no exemption names (then not exempt).

    Art 4 (collected abroad, sent back) holds whatever the data is used for, so no purpose undoes it.
    """
    if found.basis == "offshore_collected_reexport":
        return found
    for reading in readings:
        if reading is source or (source is None and _exact(reading.clause.text) is not None):
            continue
        label, margin = reading.best("purposes")
        named = OTHER_PURPOSE.search(reading.clause.text) and _first(reading.clause.text) is None
        if named or (label == NO_EXEMPTION and model.decide("purposes", label, margin) is not None):
            other = shortened(reading.clause.text)
            return ExemptionFinding(None, f"{found.evidence}, but also «{other}»: not exempt")
    return found


def domestic_added(text: str) -> str | None:
    """The words saying that data of people in China is merged into the data from abroad, if any (art 4 fails)."""
    added = DOMESTIC_ADDED.search(text)
    if added is None or negated(text, added.start()) or NOTHING_DOMESTIC_ADDED.search(text):
        return None
    return added.group(0)


def _personal(text: str) -> bool:
    """Whether the text names personal information (art 3 does not hold then)."""
    found = read_kinds(text)
    return bool(found.stated or found.other_personal) and not NO_PERSONAL_INFO.search(text)


def find_necessity(text: str) -> tuple[bool, str] | None:
    """Whether a statement says the transfer is (or is not) truly necessary for its purpose; questions say nothing."""
    for sentence in _SENTENCE.finditer(text):
        part = sentence.group(0)
        if part.rstrip().endswith(("?", "？", "吗", "吗。")):
            # "手册里有规定，要签合同吗？": a statement, then the question
            commas = [i for i, c in enumerate(part) if c in ",，"]
            if not commas:
                continue
            part = part[: commas[-1]]
        if (m := WITHOUT_IT.search(part)) and not negated(part, m.start()):
            return True, m.group(0)  # "without it they cannot board": about the transfer just described
        if not TRANSFER_WORD.search(part):
            continue
        if m := NOT_NECESSARY.search(part):
            return False, m.group(0)
        if (m := NECESSARY.search(part)) and not negated(part, m.start()):
            return True, m.group(0)
    return _plainly_necessary(text)


PERFORMED = rx(
    r"\b(?:to|so (?:that )?(?:it|they|he|she|the [\w-]+) can|in order to) (?:book|reserve|ship|deliver|issue|pay|"
    r"settle|complete|confirm|clear|register|enrol+|admit|check (?:them|him|her|guests|passengers) in|"
    r"process (?:the|their|his|her|each|every) (?:payments?|wires?|remittances?|orders?|claims?|visas?|bookings?|"
    r"applications?|transfers?))\b",
    r"(?:发给|传给|交给|提供给|转给|报给)[^，。；,;]{0,20}?(?:办理|办|预订|订|发货|配送|派送|出票|值机|入住|登记|报名|"
    r"录取|付款|汇款|缴费|结算|发放|清关|理赔)",
    r"(?:用来|用于|以便|好让|好|为了)(?:对方|给[^，。；,;]{1,6}?)?(?:办理|办|预订|订|发货|配送|派送|出票|值机|入住|登记|报名|录取|付款|汇款|缴费|"
    r"发放|清关|理赔)",
)  # fmt: skip
"""A purpose that is the service itself, done by the recipient ("to book them into the test", "发给地接社订酒店")."""
BEYOND_NEED = rx(
    r"\b(?:also|too|as well|besides|in addition|on top of|beyond|other than|apart from|except|partly|full|complete|"
    r"entire|whole|histor(?:y|ies)|profiles?|loyalty|membership|rewards?|marketing|promotions?|on file|future|"
    r"analytics|database)\b",
    "除了|还要|还想|也要|另外|顺便|顺带|完整|历史|会员|营销|推广|积分|以后|今后|备用|存档|档案|画像|分析",
    r"\b(?:they|he|she|it) (?:say|says|said|claim|claims|claimed)\b", "说是|据说|号称|声称",
)  # fmt: skip
"""More data or another use than the service takes, or a need someone else asserts: necessity is then a question."""


def _plainly_necessary(text: str) -> tuple[bool, str] | None:
    """A transfer whose stated purpose is the service the recipient performs for the individual, and nothing more:
    what the contract (or the employment) itself takes, so its necessity is not in doubt (Provisions art 5(1)-(2))."""
    m = PERFORMED.search(text)
    if m is None or negated(text, m.start()) or BEYOND_NEED.search(text) or BASIS_CLAIMED.search(text):
        return None
    start, end = sentence_bounds(text, m.start())
    if not (TRANSFER_WORD.search(text, start, end) or _personal(text[start:end])):
        return None  # "we ship the goods to them": a service, but no data passed for it in the sentence
    return True, m.group(0)


# ---------------------------------------------------------------- the keyword reading (no embedder)

KEYWORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("emergency", rx(r"\bemergenc(?:y|ies)\b", r"\bprotect (?:the |their |his |her |someone's )?(?:li(?:fe|ves)|"
                      r"health and safety)\b", r"\bmedical evacuation\b", r"\bheart attack\b", r"\bstroke\b",
                      r"\blife[\s-]threatening\b", r"\bcollapsed\b", r"\bunconscious\b", r"\bin a coma\b",
                      r"\b(?:car|road|traffic) (?:accident|crash)\b",
                      r"\b(?:badly|seriously|critically) (?:injured|hurt)\b",
                      r"\b(?:injured|hurt) (?:and |in an? \w+ )?(?:hospitali[sz]ed|in hospital|admitted)\b",
                      "昏迷", "车祸", "重伤", "紧急情况", "紧急救(?:助|治|援)",
                      "(?:摔|撞|烧|烫|砸)伤(?:了)?(?:住院|送医)", "受伤(?:了)?(?:住院|送医|入院)",
                      "保护[^,.;，。；]{0,8}生命", "心梗", "心肌梗", "心脏病发", "突发(?:疾病|急病|心|脑)",
                      "急救", "抢救", "病危", "生命危险", "搜救", "救人", "失联", "救援直升机",
                      r"\bsearch[\s-]and[\s-]rescue\b", r"\b(?:lost contact with|has gone missing|went missing)\b",
                      r"\brescue (?:team|helicopter|operation)s?\b")),
    ("hr_management", rx(r"\bcross[\s-]border (?:HR|human resources?)\b", r"\b(?:HR|human resources?) management\b",
                          r"\bpayroll\b", r"\blabou?r (?:rules|regulations|contracts?)\b", r"\bcollective contracts?\b",
                          r"\bsecond(?:ment|ments|ee|ees|ed)\b", r"\bglobal mobility\b",
                          "跨境人力资源", "人力资源管理", "劳动规章", "集体合同", "发放工资", "薪酬发放", "外派",
                          "派驻", "借调", "算薪", "发薪", "(?:薪资|工资|薪酬)(?:核算|计算|发放)", "代发工资",
                          "员工手册")),
    ("contract_with_individual", rx(
        r"\bcross[\s-]border (?:shopping|purchases?|payments?|remittances?|deliver(?:y|ies)|booking|"
        r"e-?commerce orders?)\b",
        r"\bbook(?:ing|s|ed)? (?:a |an |the |their )?(?:hotels?|flights?|tickets?|air tickets?|rooms?)\b",
        r"\b(?:book(?:ing|s|ed)?|reserv(?:e|es|ed|ing)|order(?:s|ed)?|purchas(?:e|es|ed)) "
        r"(?:a |an |the |their |his |her )?(?:treatments?|appointments?|surger(?:y|ies)|operations?|consultations?|"
        r"check-?ups?|tours?|trips?|courses?|classes|exams?|repairs?|second opinions?)\b",
        r"\b(?:hotel|flight|ticket) (?:booking|reservation)s?\b", r"\bvisa (?:applications?|processing)\b",
        r"\bvisas?\b(?!\s*cards?)", r"\bremittances?\b", r"\b(?:outbound |international |cross[\s-]border )?wire "
        r"(?:transfers?|payments?)\b", r"\bsend(?:s|ing)? wires\b",
        r"\bcontract with the (?:individual|person|customer|data subject)\b",
        r"\b(?:signs?|signed) (?:a |an |our |the |their )?(?:service |client |tour |customer )?(?:agreement|contract)"
        r" with us\b",
        r"\b(?:agreements?|contracts?) (?:that |which )?(?:they|he|she|the (?:customers?|clients?|students?|patients?))"
        r" (?:signed|made|entered into) with us\b",
        r"\b(?:signs?|signed) our (?:service |client |tour |customer )?(?:agreement|contract)\b",
        r"\bacquir(?:ing|er) (?:bank|institution)s?\b", "收单(?:行|机构|银行)",
        r"\b(?:apply|applying|applications?|applicants?) (?:files? |forms? |documents? |materials? )?(?:to|for) "
        r"(?:\w+ ){0,2}(?:universit(?:y|ies)|colleges?|"
        r"schools?|programmes?|programs?)\b",
        r"\b(?:to |so (?:that )?(?:we|they|the \w+) can )?(?:ship|deliver|fulfil+)(?:ing)? (?:the |their |our )?"
        r"(?:\w+'? )?(?:orders|parcels|packages|goods|purchases)\b",
        r"\bissu(?:e|es|ing) (?:the |their )?(?:air |flight |plane )?tickets\b",
        r"\bcheck(?:ing)?[\s-]in (?:at|to|for|passengers|guests|travell?ers|customers)\b",
        r"\b(?:tickets?|flights?|rooms?|stays?) (?:\w+ ){0,3}(?:booked|reserved)\b",
        r"\bstays? at (?:our |the |their )?(?:overseas|foreign) hotels?\b",
        r"\breservations?\b[^.;]{0,80}\bconfirm(?:ed)?\b",
        "留学申请", "申请(?:国外|海外|境外|英国|美国|澳洲|加拿大)[^，。,]{0,4}(?:大学|学校|院校)",
        "(?:与|和|跟)我们签(?:了|订了|过)?[^，。；,;标]{0,6}(?:协议|合同)",
        "跨境购物", "跨境支付", "跨境汇款", "跨境寄递", "订票", "酒店预订", "预订酒店", "机票", "签证",
        "个人作为一方当事人的合同", "发货", "派送", "配送包裹", "出票", "值机",
        "预订的[^,.;，。；]{0,8}(?:酒店|门店|航班|机票|入住)",
        "(?:预约|预订|购买)了?[^，。,]{0,6}(?:治疗|手术|就诊|体检|课程|行程|维修)",
        "订(?:境外|国外|海外)(?:的)?(?:酒店|机票|航班)",
        "预订了(?:国外|境外|海外)")),
    ("offshore_collected_reexport", EXEMPTIONS[3][1]),
)  # fmt: skip
"""The keyword readings of each basis (the fallback without an embedder), by priority."""

OTHER_PURPOSE = rx(
    r"\bmarketing\b", r"\banalytics\b", r"\brecommendations?\b(?! letters?)", r"\badvertis(?:ing|ements?)\b",
    r"\bprofiling\b", r"\bCRM\b", r"\bnewsletters?\b", r"\bpromotions?\b", r"\bpre-?fill\w*\b", "营销", "推荐(?!信|人)",
    "广告", "画像", "分析",
    r"\b(?:ads|ad campaigns?|lookalike|retargeting|remarketing|campaigns?)\b", "投放", "拉新", "精准营销",
    "推广", "促销", "推销", r"\bpitch(?:es|ing)?\b", r"\b(?:up|cross)-?sell(?:s|ing)?\b",
    r"\b(?:train(?:s|ing)?|build(?:s|ing)?) (?:\w+ ){0,3}models?\b", r"\bR&D\b", r"\bresearch\b",
    r"\baudit(?:s|ing)?\b",
    r"\bcloud (?:servers?|platforms?|hosting|regions?)\b", r"\bbackups?\b",
    r"\b(?:AWS|Azure|GCP|Google Cloud|Alibaba Cloud|Aliyun)\b", r"\bmigrat(?:e|es|ed|ing|ion)\b", r"\breporting\b",
    "迁移", "上云", "阿里云", "(?<!申)报表",
    r"\b(?:anti-?fraud|fraud (?:screening|detection|database)|blacklists?|blocklists?|risk (?:control|scoring))\b",
    r"\btalent pools?\b", r"\b(?:global|central) (?:database|data ?lake|repository)\b",
    r"\bdata ?(?:warehouses?|lakes?|platforms?|hubs?)\b", r"\bBI\b", r"\bdashboards?\b", "数据仓库", "数仓", "数据中台",
    r"\bforecast(?:s|ing)?\b", r"\bmodell?ing\b",
    r"\b(?:for|into|feed) (?:a |an |the |our |their |its )?(?:[\w-]+ ){1,3}models?\b",
    r"\bAML\b", r"\banti-?money[\s-]laundering\b", "反洗钱",
    "模型", "研发", "科研", "审计", "云服务器", "云平台", "备份", "反欺诈", "黑名单", "风控", "人才库", "数据湖",
    "预测", r"\b(?:satisfaction|market|NPS) (?:surveys?|research)\b",
    "满意度调查", "问卷调查", "市场调研", "用户调研",
)  # fmt: skip
"""Purposes that no exemption covers: a second transfer for one of them is counted (Provisions art 5)."""


PURPOSE_LEAD = rx(
    r"\bto\s+$",
    r"\b(?:for|to (?:build|train|run|do|feed|make|develop|improve|power|support|enrich|update)|in order to|"
    r"so (?:that )?(?:it|they|we|he|she|the \w+) (?:can|could) (?:\w+ ){0,2})\s+(?:[\w-]+\s+){0,4}$",
    "(?:用于|用来|用作|拿来|拿去|为了|以便|来做|去做|想做|要做|做|搞|进行|开展|训练|建|搭建|构建|开发)[^，。；,;！？?]{0,10}$",
)  # fmt: skip
"""Words that lead to the purpose of a transfer, just before it ("to build a group …", "用于…")."""
STUDY = rx(r"\bstud(?:y|ies)\b(?!\s+(?:abroad|visas?|permits?|programmes?|programs?|trips?|tours?))", "研究", "定价",
           "精算")  # fmt: skip
"""A study as a purpose ("for a pricing study", "做产品定价研究"): research, which no exemption names."""


MIXED = rx(r"\b(?:partly|part of it|both|as well as|and also)\b", "一部分", "顺便", "顺带", "同时也", "兼")
"""Words that join a second purpose to the first in one sentence ("partly for check-in, partly for marketing")."""


def stated_other_purpose(text: str) -> str | None:
    """The words of a purpose no exemption names, said as what the data is sent for ("to build a group AML model",
    "做营销分析"), with no exemption's purpose words between them and their lead, nor a second purpose joined to
    theirs in the sentence; None when none is."""
    for table in (OTHER_PURPOSE, STUDY):
        for m in table.finditer(text):
            lead = PURPOSE_LEAD.search(text, max(0, m.start() - 40), m.start())
            if lead is None or negated(text, m.start()) or DENIED_PURPOSE.search(text, max(0, m.start() - 40), m.end()):
                continue
            if MIXED.search(text, *sentence_bounds(text, m.start())):
                continue
            if _first(text[lead.start() : m.end()], KEYWORDS) is None:
                return shortened(text[lead.start() : m.end()].strip())
    return None


def other_purpose(text: str) -> str | None:
    """The words of a purpose no exemption names that the text states (not denied): a later turn that sends the
    data for marketing or analytics is no longer covered by the exemption an earlier turn stated."""
    for m in OTHER_PURPOSE.finditer(text):
        clause = text[max(0, m.start() - 60) : m.end()]
        if not negated(text, m.start()) and not DENIED_PURPOSE.search(clause):
            return m.group(0)
    return None


def _first(text: str, table: tuple[tuple[str, re.Pattern[str]], ...] = EXEMPTIONS) -> tuple[str, re.Match[str]] | None:
    """The first exemption basis stated and not negated, nor only describing whose data it is."""
    for basis, pattern in table:
        for m in pattern.finditer(text):
            if not negated(text, m.start()) and not _describes_people(text, m, basis):
                return basis, m
    return None


_PEOPLE_WITH = re.compile(
    rf"\b(?:{PEOPLE_EN})\s+(?:with|who (?:made|make|makes|sent|send|sends|received|receive|have|had|used|use)|having|"
    r"that (?:made|had))\s+(?:[\w-]+\s+){0,3}$",
    re.IGNORECASE,
)
_ZH_WHOSE = re.compile(rf"^[^，。；,;]{{0,6}}?(?:记录|业务|行为|经历)?的(?:{PEOPLE_ZH})")


_THEIR = re.compile(
    r"\b(?:his|her|their|the (?:client|customer|guest|travell?er|passenger|patient|employee)'s)\s+(?:[\w-]+\s+){0,2}"
    r"(?:and\s+)?$|(?:他|她|他们|她们|客户|客人|旅客|乘客)的[^，。；,;]{0,8}$",
    re.IGNORECASE,
)


def _describes_people(text: str, m: re.Match[str], basis: str) -> bool:
    """Whether the purpose's words only say who the people are or name their data ("all customers with
    cross-border remittances in 2026", "有跨境汇款记录的客户", "his itinerary and hotel bookings"): the data is theirs,
    sent for another purpose."""
    if _PEOPLE_WITH.search(text, max(0, m.start() - 60), m.start()):
        return True
    if basis == "contract_with_individual" and _THEIR.search(text, max(0, m.start() - 40), m.start()):
        return True
    zh = _ZH_WHOSE.match(text, m.end())
    return zh is not None and bool(
        re.search("(?:有|做过|办过|发生过|涉及)[^，。；]{0,6}$", text[max(0, m.start() - 8) : m.start()])
    )


def keyword_exemption(text: str) -> ExemptionFinding | None:
    """The keyword reading: the exemption the purpose states; a transfer for another purpose cancels it.

    When one sentence sends customers' details to fulfil their orders and another sends the same customers' data
    to a parent company for analytics, the second transfer is not exempt, so no basis is set.
    """
    found = _first(text, KEYWORDS)
    if found is None:
        no_pi = NO_PERSONAL_INFO.search(text)
        if no_pi and TRADE_CONTEXT.search(text):
            return ExemptionFinding(TRADE, no_pi.group(0))
        return None
    basis, m = found
    for sentence in _SENTENCE.finditer(text):
        if sentence.start() <= m.start() < sentence.end():
            continue
        other = OTHER_PURPOSE.search(sentence.group(0))
        if other and _first(sentence.group(0), KEYWORDS) is None:
            return ExemptionFinding(None, f"{m.group(0)}, but also {other.group(0)}: not exempt")
    return ExemptionFinding(basis, m.group(0))
