"""Yes/no facts stated in the text: CIIO, state organ, important data, foreign judicial request."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .places import FOREIGN_ZH
from .text import clause_bounds, negated, rx, words


@dataclass(frozen=True)
class Flag:
    """A yes/no fact and the words it was read from."""

    name: str
    value: bool
    evidence: str


CIIO = rx(
    r"\bCIIOs?\b",
    r"\bCII operators?\b",
    r"\bcritical information infrastructures?(?: operators?)?\b",
    "关键信息基础设施(?:运营者|运营单位|运营企业)?",
    "关基(?:运营者|单位|企业)?",
)
STATE_ORGAN = rx(
    r"\bstate (?:organs?|bod(?:y|ies)|agenc(?:y|ies))\b",
    r"\bgovernment (?:agenc(?:y|ies)|departments?|bod(?:y|ies)|organs?|authorit(?:y|ies)|offices?|ministr(?:y|ies)|"
    r"bureaus?)\b",
    r"\bpublic authorit(?:y|ies)\b",
    r"\b(?:district|municipal|city|county|provincial|local) (?:government )?(?:bureaus?|governments?|commissions?)\b",
    "国家机关",
    "(?:区|市|县|省|乡|镇)?政府(?:下属|直属|所属)(?:的)?(?:局|部门|单位|机构|机关)?",
    "政府(?:部门|机关|机构)",
    "行政机关",
    "机关单位",
)
IMPORTANT_DATA = rx(r"\bimportant[\s-]data\b", "重要数据")
NOTIFIED = rx(
    r"\b(?:notified|told|informed|designated|identified|published|listed|announced|classified|confirmed|"
    r"recogni[sz]ed|catalog(?:ue)?d?)\b",
    "告知",
    "通知",
    "认定",
    "公布",
    "发布",
    "列入",
    "纳入",
    "确定为",
    "目录",
    "识别为",
    "列为",
)
_FOREIGN = (
    r"(?:foreign|overseas|US|U\.S\.|American|EU|European|German|French|UK|British|Japanese|Korean|Singaporean|"
    r"Indian|Australian|Canadian|Dutch|Swiss|New York|California|London|Paris|Munich|Tokyo|Singapore|Hong Kong)"
)
_AUTHORITY = (
    r"(?:courts?|judges?|police|law[\s-]enforcement|regulators?|regulatory|prosecutors?|tribunals?|authorit(?:y|ies)|"
    r"judicial|SEC|DOJ|FBI|FDA|EMA|investigators?)"
)
FOREIGN_AUTHORITY = words(
    rf"\b{_FOREIGN}\s+(?:[\w-]+\s+){{0,2}}?{_AUTHORITY}\b"
    rf"|(?:外国|{FOREIGN_ZH})(?:的)?[\u4e00-\u9fff]{{0,4}}?(?:司法|执法|法院|警方|警察|监管|检察|调查)(?:机构|机关|部门)?",
    re.IGNORECASE,
)
JUDICIAL_PAPER = rx(r"\bsubpoena(?:s|ed)?\b", r"\bsearch warrants?\b", r"\bdiscovery requests?\b", r"\bcourt orders?\b")
REQUESTED = rx(
    r"\b(?:subpoena(?:s|ed)?|requests?|requested|requesting|asks?|asked|demands?|demanded|orders?|ordered|warrants?|"
    r"requires?|required|wants?|discovery|investigation)\b",
    "要求",
    "调取",
    "索取",
    "提供",
    "传票",
    "调查",
    "命令",
)
_UNSURE = rx(
    r"\b(?:whether|if|unsure|not sure|unclear|don't know|do not know|are we|am i|what is|what's|what are|"
    r"how do|define|definition)\b",
    "是否",
    "是不是",
    "不确定",
    "不清楚",
    "不知道",
    "什么是",
    "算不算",
    "属不属于",
    "如何",
    "怎么",
)
_QUESTION_AFTER = re.compile(r"^[^,;:。，；：]{0,8}?(?:吗|么|呢|是什么|\?)")
_AFFIRM = rx(
    r"\b(?:we are|we're|i am|i'm|company is|is an?|are an?|as an?|designated|identified|recogni[sz]ed|classified|"
    r"considered|operates?|count as|qualify as|qualifies as|i work (?:at|for|in))\b",
    "是",
    "认定为",
    "列为",
    "确定为",
    "被通知",
    "我在",
    "属于",
    "作为",
    "被认定",
    "被列为",
    "系",
)
_RECIPIENT = words(r"(?:\b(?:to|with|for|from|by)\s+(?:a|an|the)?\s*(?:\w+\s+)?|[给向到至]|来自)$")
_CLAUSE_QUESTION = rx(
    r"\b(?:what|which|how|whether|do|does|is|are)\b", "什么", "哪些", "如何", "怎么", "吗", "是否", r"\?"
)
_FOREIGN_WORD = words(rf"\b{_FOREIGN}\b|外国|境外|国外|美国|欧盟", re.IGNORECASE)


def _window_before(text: str, start: int, chars: int = 40) -> str:
    """The clause text just before `start`."""
    clause_start, _ = clause_bounds(text, start)
    return text[max(clause_start, start - chars) : start]


def _declared(pattern: re.Pattern[str], name: str, text: str) -> Flag | None:
    """A status the person states about themselves: "we are (not) a CIIO", "我们不是关基运营者"."""
    for m in pattern.finditer(text):
        before = _window_before(text, m.start())
        if _UNSURE.search(before) or _QUESTION_AFTER.search(text[m.end() : m.end() + 40]):
            continue
        if negated(text, m.start(), words=5):
            return Flag(name, False, m.group(0))
        if _FOREIGN_WORD.search(before[-12:]) or _RECIPIENT.search(before):
            continue
        start, end = clause_bounds(text, m.start())
        bare = not text[start : m.start()].strip(" \"'") and not _CLAUSE_QUESTION.search(text[start:end])
        if _AFFIRM.search(before) or bare:
            return Flag(name, True, m.group(0))
    return None


def _important_data(text: str) -> Flag | None:
    """Important data counts only once notified or published (Provisions art 2)."""
    for m in IMPORTANT_DATA.finditer(text):
        if _UNSURE.search(_window_before(text, m.start())):
            continue
        if negated(text, m.start(), words=5):
            return Flag("important_data", False, m.group(0))
        start, end = clause_bounds(text, m.start())
        sentence = text[max(0, start - 60) : end]
        for notified in NOTIFIED.finditer(sentence):
            if negated(sentence, notified.start(), words=3):
                return Flag("important_data", False, m.group(0))
            return Flag("important_data", True, f"{notified.group(0)} … {m.group(0)}")
    return None


def _foreign_request(text: str) -> Flag | None:
    """A foreign court, police or regulator asks for the data."""
    for m in FOREIGN_AUTHORITY.finditer(text):
        if negated(text, m.start(), words=5):
            return Flag("foreign_judicial_request", False, m.group(0))
        if REQUESTED.search(text):
            return Flag("foreign_judicial_request", True, m.group(0))
    paper = JUDICIAL_PAPER.search(text)
    if paper and not negated(text, paper.start(), words=3):
        return Flag("foreign_judicial_request", True, paper.group(0))
    return None


MIIT_FILED = rx(
    r"\b(?:filed|registered|recorded)\b[^.;。；]{0,30}\bMIIT\b",
    r"\bMIIT\b[^.;。；]{0,12}\bfil(?:ed|ing)\b",
    r"(?:工信部|工业和信息化部)[^。；]{0,6}备案",
    r"备案[^。；]{0,6}(?:工信部|工业和信息化部)",
)
TAMPER_PROOF = rx(r"\btamper", "篡改")


def _miit_filed(text: str) -> Flag | None:
    """The OTA condition: filed with MIIT and secured so the package cannot be tampered with."""
    filed = MIIT_FILED.search(text)
    if filed is None:
        return None
    name = "conditions.miit_filed_tamper_protected"
    if negated(text, filed.start(), words=4) or re.search(r"未|没有", filed.group(0)):
        return Flag(name, False, filed.group(0))
    tamper = TAMPER_PROOF.search(text)
    return Flag(name, True, f"{filed.group(0)} … {tamper.group(0)}") if tamper else None


def find_flags(text: str) -> list[Flag]:
    """Every yes/no fact the text states."""
    found = [
        _declared(CIIO, "ciio", text),
        _declared(STATE_ORGAN, "state_organ", text),
        _important_data(text),
        _foreign_request(text),
        _miit_filed(text),
    ]
    return [flag for flag in found if flag is not None]
