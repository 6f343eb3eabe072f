"""Word lists (English and Chinese) that map what people write to the contract's fact values."""

from __future__ import annotations

import re

from .text import negated, rx, words

PACK_DATA_KINDS: tuple[str, ...] = (
    "military_area_geo",
    "vehicle_logistics_flow",
    "charging_network_ops",
    "connected_vehicle_service",
    "ecu_after_sales",
    "supply_chain_attack",
)
"""Data kinds declared by the beijing-ftz-2024 rule pack (important-data items of the automotive field)."""

DATA_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("health", rx(r"\bhealth(?:care)?\b", r"\bmedical(?![\s-]+devices?)\b", r"\bpatients?\b", r"\bclinical\b",
                   r"\bdiagnos[ie]s\b", r"\bE[HM]Rs?\b", "病历", "病例", "医疗(?!器械)", "健康",
                   "患者", "病人", "临床", "诊疗", "体检", "就诊")),
    ("genetic", rx(r"\bgen(?:e|es|etic|ome|omic)\b", r"\bDNA\b", r"\bsequencing\b", "基因", "遗传")),
    ("biometric", rx(r"\bbiometrics?\b", r"\bfingerprints?\b", r"\biris\b", r"\bvoiceprints?\b", r"\bfacial\b",
                      r"\bface[\s-]*(?:recognition|data|scans?|templates?|ids?|images?|photos?|prints?)\b",
                      r"人脸(?:识别|信息|数据|特征|图像|照片)", "指纹", "虹膜", "声纹", "生物识别", "面部识别")),
    ("financial_account", rx(r"\bbank[\s-]*(?:cards?|accounts?|details)\b", r"\b(?:credit|debit|payment)[\s-]*cards?\b",
                              r"\bfinancial[\s-]*accounts?\b", r"\bIBANs?\b", "银行卡", "银行账[户号]", "金融账户",
                              "信用卡", "借记卡", "支付账户")),
    ("location", rx(r"\blocations?[\s-]*(?:data|information|info|tracks?|history|records?|traces?)\b", r"\bGPS\b",
                     r"\bgeo-?locations?\b", r"\btrajector(?:y|ies)\b", r"\bwhereabouts\b", r"\bmovement tracks?\b",
                     "行踪", "轨迹", "位置(?:信息|数据)", "实时位置", "车辆位置", "定位")),
    ("minor_under_14", rx(r"\bchild(?:ren)?\b", r"\bkids?\b", r"\bminors?\b", r"\bunder(?: the age of)? 14\b",
                           "儿童", "未成年", "不满(?:十四|14)周?岁", "(?:十四|14)(?:周岁|岁)以下")),
    ("identity_document", rx(r"\bID[\s-]*(?:cards?|numbers?|documents?)\b",
                             r"\bidentity[\s-]*(?:cards?|documents?|numbers?)\b", r"\bpassports?\b",
                             r"\bnational ID\b", "身份证", "护照", "证件号")),
    ("religion", rx(r"\breligio(?:n|ns|us)\b", "宗教", "信仰")),
    ("specific_identity", rx(r"\bspecific identit(?:y|ies)\b", "特定身份")),
    ("contact", rx(r"\bcontact(?:\s+(?:details|information|info|data|lists?))?\b",
                   r"\b(?:tele)?phone(?:\s+numbers?)?\b",
                    r"\bmobile(?:\s+(?:phone\s+)?numbers?)\b", r"\be-?mails?\b", r"\bnames\b",
                    r"\b(?:home|postal|mailing|delivery|shipping|residential)\s+address(?:es)?\b", r"\baddresses\b",
                    "联系方式", "手机号", "电话", "邮箱", "电子邮件", "姓名", "(?<!注册)(?<!办公)地址")),
    ("employee", rx(r"\bemployees?\b", r"\bstaff\b", r"\bHR\b", r"\bhuman resources?\b", r"\bpayroll\b",
                     r"\bpersonnel\b", "员工", "雇员", "职工", "人力资源", "薪资", "工资")),
    ("account_profile", rx(r"\b(?:account|user) profiles?\b", "账号信息", "用户画像")),
    ("ota_upgrade", rx(r"\bOTA\b", r"\bover[\s-]the[\s-]air\b", r"\bonline upgrades?\b", r"\bremote(?:ly)? upgrad",
                        r"\bfirmware updates?\b", "在线升级", "远程升级")),
    ("vehicle_exterior_video", rx(
        r"\b(?:exterior|external|outside|surround|road|dash)[\s-]*(?:cam(?:era)?s?|videos?|footage|images?)\b",
        r"\b(?:cameras?|videos?|footage|images?)\b[\w\s]{0,20}\boutside (?:the|our|a) (?:vehicles?|cars?)\b",
        r"\bdash[\s-]?cams?\b", "车外(?:视频|图像|影像|摄像)", "行车记录仪")),
    ("military_area_geo", rx(r"\bmilitary (?:zones?|sites?|bases?|areas?|facilities)\b", "军事管理区",
                             "军事(?:区|设施|单位)")),
    ("vehicle_logistics_flow", rx(r"\b(?:vehicle|traffic|logistics) flows?\b", "车流", "物流流量", "车辆流量")),
    ("charging_network_ops", rx(r"\bcharging (?:network|piles?|stations?)\b", "充电网络", "充电桩")),
    ("connected_vehicle_service", rx(r"\bconnected[\s-]vehicles?\b", r"\btelematics\b", r"\bremote control\b",
                                     r"\bvehicle operating (?:status|conditions?)\b", "车联网", "远程控制",
                                     "车辆运行状态")),
    ("ecu_after_sales", rx(r"\bECUs?\b", r"\belectronic control units?\b", "电子控制单元")),
    ("supply_chain_attack", rx(r"\bsupply[\s-]chain attacks?\b", r"\battack(?:ing)? (?:the )?supply chains?\b",
                                "供应链攻击", "攻击供应链")),
)  # fmt: skip
"""Data kinds, in the contract's order then the pack's; every match adds the kind unless negated."""

INDUSTRIES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("autonomous_driving", rx(r"\bautonomous[\s-]driving\b", r"\bself[\s-]driving\b", r"\brobotaxis?\b",
                               "自动驾驶", "智能网联")),
    ("medical_devices", rx(r"\bmedical[\s-]devices?\b", "医疗器械")),
    ("pharmaceutical", rx(r"\bpharma(?:ceuticals?)?\b", r"\bdrug(?:s|maker|makers)?\b", r"\bbiotech\b",
                           "药企", "制药", "医药", "药物", "药品", "生物医药")),
    ("automotive", rx(r"\bcar (?:maker|company|manufacturer|brand)s?\b", r"\bautomakers?\b", r"\bautomotive\b",
                      r"\bcars?\b", r"\bvehicle manufacturers?\b", r"\bcarmakers?\b", "车企", "汽车", "整车",
                      "主机厂")),
    ("civil_aviation", rx(r"\bairlines?\b", r"\bcivil aviation\b", r"\baviation\b", "民航", "航空公司", "航司")),
    ("banking", rx(r"\bbank(?!\s*(?:cards?|accounts?|details))\b", r"\bbanking\b", "银行(?!卡|账)")),
    ("ai_training", rx(r"\bAI[\s-]training\b",
                       r"\btrain(?:ing)? (?:an? |our |the )?(?:AI|models?|LLMs?|large models?)\b",
                        r"\bmodel training\b", "大模型训练", "模型训练", "训练大模型", "人工智能训练", "AI训练")),
    ("retail", rx(r"\bretail(?:er|ers)?\b", r"\be-?commerce\b", r"\bonline (?:shop|store)s?\b", "零售", "电商")),
    ("trade_logistics", rx(r"\blogistics\b", r"\bfreight\b", r"\bforwarders?\b", r"\btrading (?:company|firm)\b",
                            r"(?<!free )(?<!free-)\btrade (?:company|firm|business)\b", "物流", "商贸", "货运",
                            "贸易公司", "外贸")),
    ("other", rx(r"\b(?:hotels?|hospitality|software|internet|gaming|game|insurance|insurer|consulting|law firm|"
                  r"education|school|university|hospital|telecoms?|telecommunications|manufactur(?:er|ing)|energy|"
                  r"media|real estate|travel agency|tourism)\b(?:\s+(?:company|firm|business|group|provider))?",
                  "酒店", "软件", "互联网", "游戏", "保险", "咨询", "律所", "律师事务所", "教育", "学校", "大学",
                  "医院", "电信", "制造", "能源", "传媒", "房地产", "旅游")),
)  # fmt: skip
"""Industries by priority: the first that matches wins (autonomous driving before cars)."""

SCENARIOS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("clinical_trial", rx(r"\bclinical[\s-]+(?:trials?|stud(?:y|ies)|research)\b", r"\b(?:drug|patient)[\s-]+trials?\b",
                          r"\btrial (?:data|participants|subjects|patients)\b", "临床试验", "临床研究", "药物试验")),
    ("pharmacovigilance", rx(r"\bpharmacovigilance\b", r"\badverse (?:events?|reactions?|drug reactions?)\b",
                              r"\bdrug safety\b", "药物警戒", "药品不良反应", "不良反应", "不良事件")),
    ("drug_rd", rx(r"\bdrug (?:R&D|research|development|discovery)\b", "药物研发", "新药研发", "药品研发")),
    ("diagnosis_treatment", rx(r"\bdiagnosis and treatment\b", r"\bdiagnosis\b", r"\bmedical treatment\b",
                                "诊疗", "诊断", "就诊", "治疗")),
    ("after_sales", rx(r"\bafter[\s-]sales?\b", r"\baftersales\b", r"\bwarranty\b",
                       r"\bvehicle (?:repairs?|maintenance)\b",
                        "售后", "维修保养", "车辆维修")),
)  # fmt: skip
"""Scenario ids by priority."""

RD_WORDS = rx(r"\bR&D\b", r"\bresearch and development\b", "研发")
"""R&D on its own: drug R&D only when the industry is pharmaceutical."""

PHARMA_SCENARIOS: frozenset[str] = frozenset({"clinical_trial", "pharmacovigilance", "drug_rd"})
"""Scenarios that only a pharmaceutical company has, so they imply the industry."""

EXEMPTIONS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("emergency", rx(r"\bemergenc(?:y|ies)\b", r"\bprotect (?:the |their |his |her |someone's )?(?:li(?:fe|ves)|"
                      r"health and safety)\b", r"\bmedical evacuation\b", "紧急情况", "紧急救(?:助|治|援)",
                      "保护[^，。,.]{0,8}生命")),
    ("hr_management", rx(r"\bcross[\s-]border (?:HR|human resources?)\b", r"\b(?:HR|human resources?) management\b",
                          r"\bpayroll\b", r"\blabou?r (?:rules|regulations|contracts?)\b", r"\bcollective contracts?\b",
                          "跨境人力资源", "人力资源管理", "劳动规章", "集体合同", "发放工资", "薪酬发放")),
    ("contract_with_individual", rx(
        r"\bcross[\s-]border (?:shopping|purchases?|payments?|remittances?|deliver(?:y|ies)|booking|"
        r"e-?commerce orders?)\b",
        r"\bbook(?:ing|s)? (?:a |an |the )?(?:hotels?|flights?|tickets?|air tickets?|rooms?)\b",
        r"\b(?:hotel|flight|ticket) (?:booking|reservation)s?\b", r"\bvisa (?:applications?|processing)\b",
        r"\bvisas?\b(?!\s*cards?)", r"\bremittances?\b",
        r"\bcontract with the (?:individual|person|customer|data subject)\b",
        "跨境购物", "跨境支付", "跨境汇款", "跨境寄递", "订票", "酒店预订", "预订酒店", "机票", "签证",
        "个人作为一方当事人的合同")),
    ("offshore_collected_reexport", rx(
        r"\bcollected (?:abroad|overseas|outside (?:of )?(?:China|the country|mainland China)|in other countries)\b",
        r"\b(?:data|information) (?:from|collected) (?:abroad|overseas)\b", r"\bre-?export(?:ed|ing)?\b",
        "境外收集", "境外采集", "在境外(?:收集|采集|产生)", "从境外(?:收集|传入|获取)")),
)  # fmt: skip
"""Exemption bases of Provisions arts 3-5, by priority."""

TRADE_CONTEXT = rx(r"\btrade\b(?!\s+zone)", r"\blogistics\b", r"\bshipping\b", r"\bmanufacturing\b", r"\bacademic\b",
                    r"\bcross[\s-]border transport\b", "贸易(?!区)", "物流", "运输", "学术", "制造")  # fmt: skip
NO_PERSONAL_INFO = rx(
    r"\b(?:no|without|not any|doesn't (?:include|contain|involve)|does not (?:include|contain|involve)|not include|"
    r"not contain|not involve|free of)\s+(?:any\s+)?personal (?:information|info|data)\b",
    "(?:不含|不包含|不涉及|没有|无|不包括)(?:任何)?个人信息",
)
NO_SENSITIVE_INFO = rx(
    r"\b(?:no|without|not any|not include|not contain|not involve)\s+(?:any\s+)?sensitive (?:personal )?"
    r"(?:information|info|data)\b",
    "(?:不含|不包含|不涉及|没有|无|不包括)(?:任何)?敏感(?:个人)?信息",
)

PEOPLE_EN = (
    r"people|persons?|individuals?|patients?|customers?|clients?|employees?|staff|users?|members?|subjects?|"
    r"participants?|consumers?|drivers?|passengers?|travell?ers?|children|kids|students?|residents?|citizens?|"
    r"visitors?|volunteers?|workers?|owners?|guests?|buyers?|shoppers?|subscribers?|account ?holders?|cardholders?"
)
"""English nouns for people: a number before one of them is a count of individuals."""

PEOPLE_ZH = (
    "患者|病人|用户|客户|员工|职工|雇员|消费者|会员|受试者|乘客|旅客|儿童|学生|司机|车主|个人|居民|人员|"
    "访客|游客|持卡人|客人|人"
)
"""Chinese nouns for people (人 last, so that longer nouns win)."""


def find_kinds(text: str) -> tuple[dict[str, str], dict[str, str]]:
    """The data kinds stated and those stated as absent ("no genetic data"), each with its words."""
    stated: dict[str, str] = {}
    absent: dict[str, str] = {}
    for kind, pattern in DATA_KINDS:
        for m in pattern.finditer(text):
            target = absent if negated(text, m.start()) else stated
            target.setdefault(kind, m.group(0))
    if "vehicle_exterior_video" in stated:
        stated.pop("biometric", None)  # faces in exterior video are that kind, not biometric data
    for kind in absent:
        stated.pop(kind, None)
    return stated, absent


RECIPIENT_BEFORE = words(
    r"(?:\b(?:to|with|by)\s+(?:a|an|the|their|its)\s+(?:[\w-]+\s+)?|[给到向至]\s*(?:一家)?)$", re.I
)
"""Just before a word naming the recipient ("send it to a hospital", "传给银行"), not the processor."""

SELF_BEFORE = words(
    r"(?:(?:\b(?:we are|we're|i am|i'm|as an?|i work (?:at|for)|company is|we run)\b|我们是|我司是|作为|是一家)"
    r"[^,.;，。；]{0,30}|\bour(?: own)?\s+|我们(?:的|这家)?|我司|本公司)$",
)
"""A self-description just before ("we are a software company", "我们是一家酒店")."""


def first_match(
    table: tuple[tuple[str, re.Pattern[str]], ...], text: str, self_only: frozenset[str] = frozenset()
) -> tuple[str, str] | None:
    """The first value of `table` that matches, not negated and not naming a recipient, with the words."""
    # Values in `self_only` count only in a self-description ("we are a hotel", not "send it to a hotel").
    for value, pattern in table:
        for m in pattern.finditer(text):
            before = text[max(0, m.start() - 60) : m.start()]
            if negated(text, m.start()) or RECIPIENT_BEFORE.search(before):
                continue
            if value in self_only and not SELF_BEFORE.search(before):
                continue
            return value, m.group(0)
    return None
