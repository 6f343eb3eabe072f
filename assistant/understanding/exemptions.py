"""The exemption bases of Provisions arts 3-5, read from the purpose of the transfer."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .kinds import NO_PERSONAL_INFO
from .places import FOREIGN_EN, FOREIGN_ZH
from .text import negated, rx

EXEMPTIONS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("emergency", rx(r"\bemergenc(?:y|ies)\b", r"\bprotect (?:the |their |his |her |someone's )?(?:li(?:fe|ves)|"
                      r"health and safety)\b", r"\bmedical evacuation\b", r"\bheart attack\b", r"\bstroke\b",
                      r"\blife[\s-]threatening\b", r"\bcollapsed\b", "紧急情况", "紧急救(?:助|治|援)",
                      "保护[^,.;，。；]{0,8}生命", "心梗", "心肌梗", "心脏病发", "突发(?:疾病|急病|心|脑)",
                      "急救", "抢救", "病危", "生命危险")),
    ("hr_management", rx(r"\bcross[\s-]border (?:HR|human resources?)\b", r"\b(?:HR|human resources?) management\b",
                          r"\bpayroll\b", r"\blabou?r (?:rules|regulations|contracts?)\b", r"\bcollective contracts?\b",
                          "跨境人力资源", "人力资源管理", "劳动规章", "集体合同", "发放工资", "薪酬发放")),
    ("contract_with_individual", rx(
        r"\bcross[\s-]border (?:shopping|purchases?|payments?|remittances?|deliver(?:y|ies)|booking|"
        r"e-?commerce orders?)\b",
        r"\bbook(?:ing|s|ed)? (?:a |an |the |their )?(?:hotels?|flights?|tickets?|air tickets?|rooms?)\b",
        r"\b(?:hotel|flight|ticket) (?:booking|reservation)s?\b", r"\bvisa (?:applications?|processing)\b",
        r"\bvisas?\b(?!\s*cards?)", r"\bremittances?\b",
        r"\bcontract with the (?:individual|person|customer|data subject)\b",
        r"\b(?:to |so (?:that )?(?:we|they|the \w+) can )?(?:ship|deliver|fulfil+)(?:ing)? (?:the |their |our )?"
        r"(?:\w+'? )?(?:orders|parcels|packages|goods|purchases)\b",
        r"\bissu(?:e|es|ing) (?:the |their )?(?:air |flight |plane )?tickets\b",
        r"\bcheck(?:ing)?[\s-]in (?:at|to|for|passengers|guests|travell?ers|customers)\b",
        r"\b(?:tickets?|flights?|rooms?|stays?) (?:\w+ ){0,3}(?:booked|reserved)\b",
        r"\bstays? at (?:our |the |their )?(?:overseas|foreign) hotels?\b",
        r"\breservations?\b[^.;]{0,80}\bconfirm(?:ed)?\b",
        "跨境购物", "跨境支付", "跨境汇款", "跨境寄递", "订票", "酒店预订", "预订酒店", "机票", "签证",
        "个人作为一方当事人的合同", "发货", "派送", "配送包裹", "出票", "值机",
        "预订的[^,.;，。；]{0,8}(?:酒店|门店|航班|机票|入住)", "订(?:境外|国外|海外)(?:的)?(?:酒店|机票|航班)",
        "预订了(?:国外|境外|海外)")),
    ("offshore_collected_reexport", rx(
        r"\bcollected (?:abroad|overseas|outside (?:of )?(?:China|the country|mainland China)|in other countries)\b",
        rf"\bcollected (?:in|from) (?:the )?(?:{FOREIGN_EN})\b",
        r"\b(?:data|information) (?:from|collected) (?:abroad|overseas)\b", r"\bre-?export(?:ed|ing)?\b",
        "境外收集", "境外采集", f"在(?:{FOREIGN_ZH})(?:收集|采集|产生)", "从境外(?:收集|传入|获取)")),
)  # fmt: skip
"""Exemption bases of Provisions arts 3-5, by priority."""

TRADE_CONTEXT = rx(r"\btrade\b(?!\s+zone)", r"\blogistics\b", r"\bshipping\b", r"\bmanufactur(?:e|es|ing)\b",
                    r"\bacademic\b", r"\bcross[\s-]border transport\b", "贸易(?!区)", "物流", "运输", "学术", "制造",
                    "生产")  # fmt: skip

OTHER_PURPOSE = rx(
    r"\bmarketing\b", r"\banalytics\b", r"\brecommendations?\b", r"\badvertis(?:ing|ements?)\b", r"\bprofiling\b",
    r"\bCRM\b", "营销", "推荐", "广告", "画像", "分析",
)  # fmt: skip
"""Purposes that no exemption covers: a second transfer for one of them is counted (Provisions art 5)."""

_SENTENCE = re.compile(r"[^.!?。！？;；\n]+")


@dataclass(frozen=True)
class ExemptionFinding:
    """An exemption basis and its words; `basis` None when one was stated but another transfer is not exempt."""

    basis: str | None
    evidence: str


def _first(text: str) -> tuple[str, re.Match[str]] | None:
    """The first exemption basis stated and not negated."""
    for basis, pattern in EXEMPTIONS:
        for m in pattern.finditer(text):
            if not negated(text, m.start()):
                return basis, m
    return None


def find_exemption(text: str) -> ExemptionFinding | None:
    """The exemption the purpose states; a transfer for another purpose in another sentence cancels it.

    When one sentence sends customers' details to fulfil their orders and another sends the same customers' data
    to a parent company for analytics, the second transfer is not exempt, so no basis is set.
    """
    found = _first(text)
    if found is None:
        no_pi = NO_PERSONAL_INFO.search(text)
        if no_pi and TRADE_CONTEXT.search(text):
            return ExemptionFinding("trade_without_personal_or_important_data", no_pi.group(0))
        return None
    basis, m = found
    for sentence in _SENTENCE.finditer(text):
        if sentence.start() <= m.start() < sentence.end():
            continue
        other = OTHER_PURPOSE.search(sentence.group(0))
        if other and _first(sentence.group(0)) is None:
            return ExemptionFinding(None, f"{m.group(0)}, but also {other.group(0)}: not exempt")
    return ExemptionFinding(basis, m.group(0))
