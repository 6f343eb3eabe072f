"""Word lists (English and Chinese) that map what people write to the contract's fact values."""

from __future__ import annotations

import re

from .kinds import KIND_PATTERNS, PACK_DATA_KINDS
from .negation import negated
from .places import FOREIGN_EN, FOREIGN_ZH, MAINLAND_PLACE
from .text import CJK, clause_bounds, rx, words

__all__ = [
    "INDUSTRY_PATTERNS",
    "KIND_PATTERNS",
    "PACK_DATA_KINDS",
    "SCENARIO_PATTERNS",
    "first_match",
]

_DEVICE_MAKER_EN = (
    r"\b(?:make|makes|making|manufactur\w*|produce|produces|develop|develops|sell|sells) (?:[\w-]+ ){0,2}"
    r"(?:(?:glucose|blood[\s-]pressure|heart[\s-]rate|patient) monitors|pacemakers|stents|implants|"
    r"ultrasound (?:probes|scanners|systems)|infusion pumps|insulin pumps|hearing aids|catheters|ventilators|"
    r"diagnostic (?:kits|devices|reagents|equipment)|surgical (?:robots|instruments))\b"
)
_DEVICE_MAKER_ZH = (
    "(?:生产|做|研发|销售)[^，。；]{0,6}(?:血糖仪|监护仪|起搏器|心脏支架|种植体|超声设备|呼吸机|助听器|导管|体外诊断|"
    "诊断试剂|手术机器人)"
)
"""What a medical device maker says it makes ("we make insulin pumps", "公司生产血糖仪")."""

INDUSTRY_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("autonomous_driving", rx(r"\bautonomous[\s-]driving\b", r"\bself[\s-]driving\b", r"\brobotaxis?\b",
                               "自动驾驶", "智能网联")),
    ("medical_devices", rx(r"\bmedical[\s-]devices?\b", "医疗器械", _DEVICE_MAKER_EN, _DEVICE_MAKER_ZH)),
    ("pharmaceutical", rx(r"\bpharma(?:ceuticals?)?\b", r"\bdrug ?(?:makers?|compan(?:y|ies)|firms?|manufacturers?|"
                           r"developers?|maker)\b", r"\bbiotech\b",
                           r"\b(?:make|makes|making|develops?|developing|manufactur\w*|sells?|selling) "
                           r"(?:\w+ )?drugs\b",
                           r"\bCROs?\b", r"\bcontract research organi[sz]ations?\b",
                           r"\bbiopharma\b", r"\b(?:generic|innovative|new) drugs?\b",
                           r"\bvaccines? (?:makers?|manufacturers?|compan(?:y|ies)|developers?|producers?)\b",
                           "药企", "制药", "医药(?!费)", "药物(?:研发|生产|公司|企业)",
                           "药品(?:生产|研发|公司|企业|经营|批发)",
                           "生物医药", "疫苗企业", "合同研究组织", "创新药", "新药", "仿制药", "原料药", "药厂")),
    ("automotive", rx(r"\bcar (?:maker|company|manufacturer|brand)s?\b", r"\bautomakers?\b", r"\bautomotive\b",
                      r"\bcars?\b(?! ?(?:park|parking|pool|rental|hire|wash))", r"\bvehicle manufacturers?\b",
                      r"\bcarmakers?\b", r"\bEVs?\b",
                      r"\belectric[\s-]vehicles?\b", r"\b(?:car|auto|vehicle) (?:dealers?|dealerships?)\b",
                      r"\b4S (?:shops?|stores?|dealers?)\b", r"\bauto(?:motive)?[\s-]parts?\b",
                      r"\btier[\s-][12] suppliers?\b", r"\b(?:SUVs?|sedans?)\b",
                      r"\b(?:build|builds|make|makes|manufactur\w*|produce|produces|assembl\w+)\b[^.;]{0,20}\b"
                      r"(?:trucks?|buses|vehicles?|pickups?|minivans?)\b",
                      "车企", "汽车", "整车", "主机厂", "新能源车", "4S店", "汽车零部件", "汽配",
                      "经销商集团")),
    ("civil_aviation", rx(r"\bairlines?\b", r"\bcivil aviation\b", r"\baviation\b", "民航", "航空公司", "航司")),
    ("banking", rx(r"\bbanks?(?!\s*(?:cards?|accounts?|accts?|a/cs?|details|statements?|transfers?|records?|slips?|"
                   r"numbers?))\b",
                   r"\bbanking\b", "银行(?!卡|账|扣款|代扣|流水|转账)",
                   "城商行", "农商行", "农信社", "信用社", "外资行")),
    ("ai_training", rx(r"\bAI[\s-]training\b",
                       r"\btrain(?:ing)? (?:an? |our |the )?(?:AI|models?|LLMs?|large models?)\b",
                       r"\b(?:we|we're|we are|our (?:team|company|firm|lab|startup)) (?:are |is )?"
                       r"(?:train|training|build|building|develop|developing) (?:an? |our |the )?(?:[\w-]+ ){0,3}?"
                       r"(?:models?|classifiers?)\b",
                       r"\bmodel training\b", r"\bAI[\s-]*(?:start[\s-]?ups?|compan(?:y|ies)|firms?|labs?)\b",
                       r"\bLLMs?\b", r"\blarge (?:language )?models?\b", r"\bfine[\s-]?tun(?:e|ed|ing)\b",
                       "大模型", "模型训练", "人工智能训练", "AI训练", "AI创业", "人工智能公司", "微调",
                       "(?:我们|公司|我司|本公司)[^，。；;]{0,6}?(?:训练|做|研发|开发)[^，。；;]{0,14}模型")),
    ("retail", rx(r"\bretail(?:er|ers)?\b(?!\s+(?:customers|clients|banking|investors|depositors|accounts))",
                  r"\be-?commerce\b", r"\bonline (?:shop|store)s?\b", r"\bsupermarkets?\b",
                  r"\be-?shops?\b", r"\bweb ?shops?\b", r"\bweb ?stores?\b", "网店", "淘宝店", "网上商城",
                  "零售", "电商", "超市", "连锁店", "商场",
                  r"\b(?:we|they) sell (?:[\w-]+ ){1,3}online\b",
                  r"\bsell(?:s|ing)? (?:[\w-]+ ){1,3}on (?:Tmall|Taobao|JD)\b",
                  "(?:网上|线上)(?:卖|销售)", "在(?:天猫|淘宝|京东|拼多多)(?:上)?(?:卖|开店|开了)")),
    ("trade_logistics", rx(r"\blogistics\b", r"\bfreight\b", r"\bforwarders?\b", r"\btrading (?:company|firm)\b",
                            r"(?<!free )(?<!free-)\btrade (?:company|firm|business)\b", "物流", "商贸", "货运",
                            "贸易公司", "外贸")),
    ("other", rx(r"\b(?:hotels?|hospitality|software|internet|gaming|games?|insurance|insurer|consulting|law firm|"
                  r"education|edtech|tutoring|school|university|hospitals?|clinics?|telecoms?|telecommunications|"
                  r"telecom operator|manufactur(?:er|ing)|energy|media|real estate|travel agency|travel platform|"
                  r"online travel|tourism|brokerage|broker|securities (?:firm|company)|power utility|utility|"
                  r"power (?:company|grid)|electricity|fintech|shared[\s-]service cent(?:re|er)|game studio)\b"
                  r"(?:\s+(?:company|firm|business|group|provider|chain|studio))?",
                  "酒店", "软件", "互联网", "游戏", "保险", "咨询", "律所", "律师事务所", "在线教育", "教育",
                  "培训机构", "学校", "大学",
                  "医院", "诊所", "电信", "制造", "能源", "传媒", "房地产", "旅游", "旅行社", "券商", "证券公司",
                  "电力", "电网", "金融科技", "共享服务中心")),
)  # fmt: skip
"""Industries by priority: the first that matches wins (autonomous driving before cars). Dealers and 4S shops
are automotive data processors too (Automotive Data Provisions art 3).

Hospitals and clinics are `other`: they provide care, they are not the pharmaceutical industry.
"""

SCENARIO_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("clinical_trial", rx(r"\bclinical[\s-]+(?:trials?|stud(?:y|ies)|research)\b", r"\b(?:drug|patient)[\s-]+trials?\b",
                          r"\btrial (?:data|participants|subjects|patients|pts|follow-ups?)\b",
                          r"\bphase\s+(?:[1-4]|I{1,3}|IV)[ab]?\b(?:\s+[\w-]+){0,2}?\s+(?:stud(?:y|ies)|trials?)\b",
                          r"\b(?:vaccine|oncology|rare[\s-]disease|multi-?cent(?:er|re)) (?:trials?|stud(?:y|ies))\b",
                          "临床(?:试验|实验|研究)", "药物试验", "受试者")),
    ("pharmacovigilance", rx(r"\bpharmacovigilance\b", r"\badverse[\s-](?:events?|reactions?|drug reactions?)\b",
                              r"\bdrug safety\b", "药物警戒", "药品不良反应", "不良反应", "不良事件")),
    ("drug_rd", rx(r"\bdrug (?:R&D|research|development|discovery)\b", "药物研发", "新药研发", "药品研发")),
    # the service, not its data: "patients' diagnoses and medication" names fields, not a scenario
    ("diagnosis_treatment", rx(r"\bdiagnosis and treatment\b", r"\b(?:medical )?treatment services?\b",
                                r"\bdiagnostic services?\b", "诊疗", "(?:诊断|治疗|医疗)服务")),
    ("after_sales", rx(r"\bafter[\s-]sales?\b", r"\baftersales\b", r"\bwarranty\b",
                       r"\bvehicle (?:repairs?|maintenance)\b",
                        "售后", "维修保养", "车辆维修")),
)  # fmt: skip
"""Scenario ids by priority."""

RD_WORDS = rx(r"\bR&D\b", r"\bresearch and development\b", "研发")
"""R&D on its own: drug R&D only when the industry is pharmaceutical."""

TRIAL_WORDS = rx(
    r"\btrials?\b",
    r"\bphase\s*(?:[1-4]|I{1,3}V?|IV)\b",
    r"\bCRFs?\b",
    r"\bcase report forms?\b",
    r"\b(?:trial|study) subjects\b",
    r"\bsubjects\b",
    "试验",
    "受试者",
    "[一二三四Ⅰ-Ⅳ]期临床",
    "病例报告表",
)
"""A trial on its own: a clinical trial when the industry is pharmaceutical."""

SCENARIO_UNSURE = rx(
    r"\b(?:not sure|unsure|don't know|do not know|unclear)\b[^.?!]{0,30}\b(?:classify|categori[sz]e|which scenario|"
    r"what (?:kind|type|category))",
    "不(?:知道|确定|清楚)(?:该|应该)?(?:怎么|如何)?(?:归类|分类|算哪|属于哪)",
)
"""The person does not know which scenario the data belongs to."""

PHARMA_SCENARIOS: frozenset[str] = frozenset({"clinical_trial", "pharmacovigilance", "drug_rd"})
"""Scenarios that only a pharmaceutical company has, so they imply the industry."""

HEALTH_SCENARIOS: frozenset[str] = frozenset({"clinical_trial", "pharmacovigilance", "diagnosis_treatment"})
"""Scenarios whose data is health data when no other kind is named."""


RECIPIENT_BEFORE = words(
    r"(?:\b(?:to|with|by)\s+(?:a|an|the|their|its|our|my)\s+(?:[\w-]+\s+)?|[给到向至]\s*(?:一家|境外|国外|海外)?(?:的)?)$",
    re.I,
)
"""Just before a word naming the recipient ("send it to a hospital", "传给银行"), not the processor."""
FOREIGN_BEFORE = words(
    rf"\b(?:a|an|the)\s+(?:{FOREIGN_EN}|foreign|overseas|American|British|German|French|Japanese|Korean|Singaporean|"
    r"Australian|Canadian|Dutch|Swiss|Italian|Spanish|Thai|Indian)(?:-based)?\s+$"
    rf"|(?:一家|某)?(?:境外|国外|海外|{FOREIGN_ZH})(?:的)?(?:一家)?$",
)
"""Just before a business abroad ("a Hong Kong bank is asking", "一家德国车企"): the other side, not the processor,
unless the message says it is ours."""
PART_OF = words(
    r"\b(?:branch|subsidiary|affiliate|JV|joint venture|unit|office|arm|entity|plant|factory) of\s+"
    r"(?:a|an|the)\s+\S+\s+$"
    r"|在(?:华|中国|北京|国内)的(?:分行|子公司|分公司|工厂|合资公司)?$"
)
"""'a Beijing branch of a foreign bank': the business abroad is the person's own group."""

SELF_BEFORE = words(
    r"(?:(?:\b(?:we are|we're|i am|i'm|as an?|i work (?:at|for|in)|company is|we run"
    r"|(?:IT|HR|legal|compliance|DPO|finance|ops|procurement|security|data)(?: \w+)? at)\b|我们是|我司是|作为|是一家)"
    r"[^,.;，。；]{0,30}|\bour(?: own)?\s+(?:[\w-]+\s+){0,2}|我们(?:的|这家)?|我司|本公司"
    r"|(?:我院|本院|我校|本校|我单位|本单位)\s*(?:是|为)?[（(]?[^）)，。,;；]{0,16})$",
)
"""A self-description just before ("we are a software company", "我们是一家酒店", "our Haidian clinic")."""

NOT_HEADING = rx(
    r"\b(?:we|i|our|my|is|are|was|does|do|can|could|should|would|what|which|how|whether|if)\b", "我", "是否", "吗"
)
"""An opening with the person speaking or a question in it is a sentence, not a heading ("Game studio here.")."""

PLACE_BEFORE = words(rf"(?:{MAINLAND_PLACE.pattern})(?:区|市)?(?:的)?\s*$")
"""A mainland place just before ("海淀诊所", "海淀的在线教育公司"): the processor, as recipients are abroad."""


ORGANISATION = words(
    r"\s*(?:(?:company|firm|business|group|provider|chain|studio|start-?up|operator|platform|agency)\b|here\b|in\b|"
    r"[,:.;(]|$|公司|集团|企业|机构|平台|在)"
)
"""An organisation noun, or the end of a heading, after an industry word: "游戏公司，…", "Game studio here."."""

ORGANISATION_NOUN = words(r"\b(?:company|firm|business|group|provider|chain|studio|agency)\b|公司|集团|企业")
"""An industry match that names the organisation itself ("tutoring company")."""


def _self_described(text: str, start: int, end: int, before: str) -> bool:
    """Whether the words from `start` to `end` describe the person's own organisation."""
    word = text[start:end]
    if SELF_BEFORE.search(before) or PLACE_BEFORE.search(before[-12:]):
        return True
    clause_start, _ = clause_bounds(text, start)
    opening = text[:start]
    short = len(opening.split()) <= 2 and len(CJK.findall(opening)) <= 4 and not NOT_HEADING.search(opening)
    return clause_start == 0 and short and bool(ORGANISATION.match(text, end) or ORGANISATION_NOUN.search(word))


def first_match(
    table: tuple[tuple[str, re.Pattern[str]], ...], text: str, self_only: frozenset[str] = frozenset()
) -> tuple[str, str] | None:
    """The first value of `table` that matches, not negated and not naming a recipient, with the words."""
    # Values in `self_only` count only in a self-description ("we are a hotel", not "send it to a hotel").
    for value, pattern in table:
        for m in pattern.finditer(text):
            before = text[max(0, m.start() - 60) : m.start()]
            if negated(text, m.start(), m.end()) or RECIPIENT_BEFORE.search(before):
                continue
            if FOREIGN_BEFORE.search(before) and not (SELF_BEFORE.search(before) or PART_OF.search(before)):
                continue
            if value in self_only and not _self_described(text, m.start(), m.end(), before):
                continue
            if _listed(table, text, m.start()):
                continue
            return value, m.group(0)
    return None


LISTED = 3
"""A sentence naming this many values of one table lists them ("only cars, drugs, airlines and retail are on the
list"); it says none of them is ours."""


_SENTENCE_END = re.compile(r"[。;；!?！？\n]|\.(?=\s|$)")
"""The end of a sentence: a full stop only before a space or the end (not in "3.5" or "e.g")."""


def _listed(table: tuple[tuple[str, re.Pattern[str]], ...], text: str, pos: int) -> bool:
    start = max(text.rfind(c, 0, pos) for c in "。.;；!?！？\n") + 1
    end = _SENTENCE_END.search(text, pos)
    sentence = text[start : end.start() if end else len(text)]
    return len({value for value, pattern in table if pattern.search(sentence)}) >= LISTED
