"""Yes/no facts stated in the text: CIIO, state organ, public affairs body, important data, foreign requests."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .negation import asked, negated, polarity
from .places import FOREIGN_EN, FOREIGN_ZH
from .text import clause_bounds, rx, words


@dataclass(frozen=True)
class Flag:
    """A yes/no fact and the words it was read from."""

    name: str
    value: bool | None
    """None: the words raise the fact but settle nothing; `evidence` then says why (a note, not a value)."""
    evidence: str


CIIO = rx(
    r"\bCIIOs?\b",
    r"\bCII operators?\b",
    r"\bcritical information infrastructures?(?: operators?)?\b",
    "关键信息基础设施(?:运营者|运营单位|运营企业)?",
    "关基(?:运营者|单位|企业)?",
)
STATE_ORGAN = rx(
    # by name: organs of the state and government at every level (PIPL art 33-37 "国家机关")
    r"\bstate (?:organs?|bod(?:y|ies)|agenc(?:y|ies))\b",
    r"\bgovernment (?:agenc(?:y|ies)|departments?|bod(?:y|ies)|organs?|authorit(?:y|ies)|offices?|ministr(?:y|ies)|"
    r"bureaus?)\b",
    r"\bpublic authorit(?:y|ies)\b",
    r"\b(?:district|municipal|city|county|provincial|local|township)(?:'s)? (?:government )?(?:[\w-]+ ){0,2}?"
    r"(?:bureaus?|governments?|commissions?)\b",
    r"\b(?:public security|tax(?:ation)?|customs|civil affairs|health|education|transport(?:ation)?|statistics|"
    r"market regulation|human resources and social security) (?:bureaus?|commissions?|administrations?)\b",
    r"\bministr(?:y|ies) of\b",
    r"\b(?:sub-?district|street|jiedao) offices?\b",
    r"\bpolice stations?\b",
    "国家机关",
    "(?:区|市|县|省|乡|镇)?政府(?:下属|直属|所属)(?:的)?(?:局|部门|单位|机构|机关)?",
    "政府(?:部门|机关|机构)",
    "(?:区|市|县|省|乡|镇|人民)政府",
    "行政机关",
    "机关单位",
    "(?:市|区|县|省)(?:里|级)(?:的)?(?:一个|某个)?(?:局|委办局|委|厅|部门|机关)",
    "(?:市|区|县|省)的(?:一个|某个)(?:局|委办局|委|厅|部门|机关)",
    "(?:公安|税务|市场监管|市场监督管理|卫生健康|卫健|教育|交通|人社|人力资源和社会保障|民政|财政|统计|规划|生态环境|"
    "住建|住房和城乡建设|文旅|文化和旅游|商务|医保|医疗保障|数据|网信|经信|科技|农业农村|水务|应急管理|城管|体育)"
    "(?:局|厅|委员会|委|办)",
    "卫健委",
    "发改委",
    "教委",
    "网信办",
    "委办局",
    "街道办(?:事处)?",
    "派出所",
    "乡镇政府",
)
"""A state organ by name: government at any level, its bureaus and commissions, street offices."""
PUBLIC_AFFAIRS_BODY = rx(
    r"\b(?:residents'?|neighbou?rhood|village|community) committees?\b",
    r"\b(?:authori[sz]ed|empowered) by (?:law|(?:laws and )?regulations)\b[^.;]{0,40}\bpublic affairs\b",
    r"\b(?:manag(?:es?|ing)|administer(?:s|ing)?) public affairs\b",
    r"\bpublic affairs (?:functions?|bod(?:y|ies)|organi[sz]ations?)\b",
    r"\b(?:social security|(?:housing )?provident fund|social insurance|medical insurance) "
    r"(?:management |administration )?(?:cent(?:re|er)|fund|agency|office)\b",
    r"\b(?:manag|administer|run)\w* (?:the )?(?:[\w']+ )?(?:housing provident fund|social (?:security|insurance))\b",
    "居委会",
    "居民委员会",
    "村委会",
    "村民委员会",
    "社区居委会",
    "(?:法律|法规)(?:、法规)?授权[^，。；]{0,20}公共事务",
    "(?:管理|承担)公共事务(?:的)?(?:职能|职责)?",
    "公共事务管理职能",
    "公共管理职能",
    "社保中心",
    "社会保险(?:事业)?(?:管理)?中心",
    "公积金(?:管理)?中心",
    "医保(?:经办)?中心",
    "医疗保(?:险|障)(?:经办|事务|管理)?中心",
    "不动产登记中心",
    "政务服务中心",
)
"""A body that manages public affairs without being a state organ (PIPL art 37: treated as one)."""
PUBLIC_INSTITUTION = rx(r"\bpublic institutions?\b", r"\bshiye danwei\b", "事业单位")
"""A public institution (事业单位): some manage public affairs, many (a public hospital, a school) do not."""
IMPORTANT_DATA = rx(r"\bimportant[\s-]data\b", "重要数据")
NOTIFIED = rx(
    r"\b(?:notified|told|informed|designated|identified|published|listed|announced|classified|confirmed|"
    r"recogni[sz]ed|catalog(?:ue)?d?|notices?|notifications?)\b",
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
    r"(?:foreign|overseas|(?-i:US|EU|UK)|U\.S\.|American|European|German|French|British|Japanese|Korean|Singaporean|"
    r"Indian|Australian|Canadian|Dutch|Swiss|New York|California|London|Paris|Munich|Tokyo|Singapore|Hong Kong|"
    rf"federal|state|{FOREIGN_EN})"
)
_JUDICIAL = (
    r"(?:courts?|judges?|police|law[\s-]enforcement|prosecutors?|prosecution|tribunals?|authorit(?:y|ies)|"
    r"judicial|justice department|department of justice|DOJ|FBI|investigators?|magistrates?|sheriffs?|"
    r"grand jur(?:y|ies))"
)
_REGULATOR = r"(?:regulators?|regulatory|supervisors?|supervisory|SEC|FDA|EMA|FCA|BaFin|CFTC|FINRA|ESMA)"
FOREIGN_AUTHORITY = words(
    rf"\b{_FOREIGN}\s+(?:[\w-]+\s+){{0,2}}?{_JUDICIAL}\b"
    rf"|\b{_JUDICIAL}(?:'s)?(?:\s+(?:office|department|service|bureau))?\s+(?:in|of|from|at)\s+(?:the\s+|an?\s+)?"
    rf"(?:{FOREIGN_EN}|(?-i:US)|U\.S\.|foreign|overseas)\b"
    r"|\b(?:FBI|DOJ|Interpol|Europol|Scotland Yard|BKA|Department of Justice|Justice Department|"
    r"foreign (?:litigation|lawsuit))\b"
    rf"|(?:外国|{FOREIGN_ZH})(?:的)?[\u4e00-\u9fff]{{0,4}}?(?:司法|执法|法院|法庭|警方|警察|检察|检方|调查)(?:机构|机关|部门)?"
    r"|联邦调查局|国际刑警",
    re.IGNORECASE,
)
"""A foreign judicial or law-enforcement body (PIPL art 41, DSL art 36), in any of its forms."""
FOREIGN_REGULATOR = words(
    rf"\b{_FOREIGN}\s+(?:[\w-]+\s+){{0,3}}?{_REGULATOR}\b|\b(?:SEC|FDA|EMA|FCA|BaFin|CFTC|FINRA|ESMA)\b"
    rf"|(?:外国|{FOREIGN_ZH})(?:的)?[\u4e00-\u9fff]{{0,6}}?(?:监管|证监会|证券交易委员会|金融监管|药监)(?:机构|机关|部门|局)?",
    re.IGNORECASE,
)
"""A foreign regulator (a securities or financial supervisor, a drug agency)."""
JUDICIAL_PAPER = rx(
    r"\bsubpoena(?:s|ed)?\b",
    r"\b(?:search )?warrants?\b",
    r"\bdiscovery (?:requests?|orders?)\b",
    r"\bcourt orders?\b",
    r"\bletters? rogatory\b",
    r"\bmutual legal assistance\b",
)
"""Papers of a court or of law enforcement: a foreign authority's request even when the body is not named."""
JUDICIAL_PAPER_ZH = rx("传票", "调证", "搜查令", "证据开示", "取证(?:请求|要求)", "司法协助")
"""The same in Chinese: foreign only when the message names a foreign place or party."""
LAWYER_LETTER = rx(
    r"\b(?:lawyer|attorney|solicitor)(?:'s|s'|s)? letters?\b",
    r"\bdemand letters?\b",
    r"\bletters? from (?:a|an|the|their) (?:law firm|lawyers?|attorneys?)\b",
    "律师函",
    "律师信",
)
"""A lawyer's letter: a party's demand, not a court's."""
REQUESTED = rx(
    r"\b(?:subpoena(?:s|ed)?|requests?|requested|requesting|asks?|asked|asking|demands?|demanded|orders?|ordered|"
    r"warrants?|requires?|required|wants?|wanted|discovery|investigation|seeks?|sought|compel(?:s|led)?|"
    r"hand (?:over|it over)|produce|disclose|turn over|investigat\w*|letters?|e-?mails?|emailed|notices?|"
    r"inquir(?:y|ies)|enquir(?:y|ies)|summons(?:es)?|contacted)\b",
    "要求",
    "来函",
    "函件",
    "邮件",
    "来信",
    "通知",
    "(?<!需)要(?!求)",
    "调取",
    "索取",
    "提供",
    "传票",
    "调查",
    "命令",
    "调证",
    "文书",
    "协助调查",
    "司法协助",
    "索要",
    "移交",
    "交出",
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
    r"\b(?:we are|we're|i am|i'm|company is|is an?|are an?|as an?|(?:it|they|client|which)(?:'s|'re) an?|"
    r"designated|identified|recogni[sz]ed|classified|"
    r"considered|operates?|count as|qualify as|qualifies as|i work (?:at|for|in))\b",
    r"\bour (?:[\w-]+ ){0,3}(?:is|are|was|were) (?:now |also |officially )?$",  # "our payment platform is CII"
    "是",
    "认定为",
    "列为",
    "确定为",
    "被通知",
    "(?:收到|接到)(?:了)?(?:[^，。；,;]{0,8}?)(?:的)?$",  # 前年接到关基认定的通知
    r"\b(?:received|got) (?:a |an |the |our )?(?:[\w-]+ ){0,2}$",  # "we got the CIIO designation letter"
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
_PLACED_ABROAD = re.compile(rf"\s*(?:in|of|from|at)\s+(?:the\s+)?(?:{FOREIGN_EN})", re.IGNORECASE)
"""The body is placed abroad right after its name ("a government agency in Paris"): not ours."""
_FOREIGN_WORD = words(rf"\b{_FOREIGN}\b|外国|境外|国外|美国|欧盟", re.IGNORECASE)


def _window_before(text: str, start: int, chars: int = 70) -> str:
    """The clause text just before `start`."""
    clause_start, _ = clause_bounds(text, start)
    return text[max(clause_start, start - chars) : start]


def _declared(pattern: re.Pattern[str], name: str, text: str) -> Flag | None:
    """A status the person states about themselves: "we are (not) a CIIO", "我们不是关基运营者".

    A question ("do we count as a CIIO?", "我们算关基吗") or doubt ("not sure whether we are a CIIO") states
    nothing; a denial in the same clause ("主管部门从未认定我们为关基") states the opposite.
    """
    for m in pattern.finditer(text):
        before = _window_before(text, m.start())
        held = polarity(text, m.start(), m.end())
        if held in ("asked", "unsure") or _UNSURE.search(before):
            continue
        if _QUESTION_AFTER.search(text[m.end() : m.end() + 40]):
            continue
        if held == "negated":
            return Flag(name, False, m.group(0))
        if NOTIFIED.search(text[m.end() : m.end() + 12]) and name != "ciio":
            continue  # the body that notifies ("网信办从未告知我们…"), not the processor
        if _WORK_FOR.search(before):
            return Flag(name, True, m.group(0))
        if _FOREIGN_WORD.search(before[-12:]) or _RECIPIENT.search(before) or _PLACED_ABROAD.match(text, m.end()):
            continue
        start, end = clause_bounds(text, m.start())
        opening = _ARTICLE.sub("", text[start : m.start()].strip(" \"'"))
        bare = not opening and not _CLAUSE_QUESTION.search(text[start:end])
        if _AFFIRM.search(before) or _SELF.search(before) or bare:
            return Flag(name, True, m.group(0))
    return None


_ARTICLE = re.compile(r"^(?:(?:a|an|the|one)\s*|(?:一个|一家|某)?[区市县省镇乡]?(?:里的|的)?)$", re.IGNORECASE)
"""An article or an administrative level alone before the body that opens a clause ("A sub-district office
wants to…", "区卫健委要…"): the body is the subject. A named district ("朝阳区…中心") may be the help desk's own."""
_WORK_FOR = words(
    r"\b(?:i|we)\s+(?:work|am|'m|are|'re)\s+(?:at|for|in|with)\s+(?:a|an|the)?\s*(?:[\w'-]+\s+){0,2}"
    r"(?:(?:office|department|unit|team|division|section)\s+of\s+(?:a|an|the)?\s*(?:[\w'-]+\s+){0,2})?$|我(?:在|就职于)$"
)
"""The person works at the body named next ("I work for the district bureau", "we're in the legal unit of a county
government")."""
_SELF = words(r"(?:\bour(?: own)?|我们|我司|我单位|本单位|我们单位|我们这个|我们这边的)\s*$")
"""The person's own organisation named just before ("our street office", "我们街道办")."""


def _public_affairs(text: str) -> Flag | None:
    """A body managing public affairs (PIPL art 37), or a public institution whose functions are not stated."""
    found = _declared(PUBLIC_AFFAIRS_BODY, "public_affairs_body", text)
    if found is not None:
        return found
    institution = _declared(PUBLIC_INSTITUTION, "public_affairs_body", text)
    if institution is not None and institution.value:
        why = f"{institution.evidence}: whether it manages public affairs (PIPL art 37) is not stated"
        return Flag("public_affairs_body", None, why)
    return None


def _important_data(text: str) -> Flag | None:
    """Important data counts only once notified or published (Provisions art 2)."""
    for m in IMPORTANT_DATA.finditer(text):
        if _UNSURE.search(_window_before(text, m.start())):
            continue
        held = polarity(text, m.start(), m.end())
        if held in ("asked", "unsure"):
            continue
        if held == "negated":
            return Flag("important_data", False, m.group(0))
        start, end = clause_bounds(text, m.start())
        sentence = text[max(0, start - 120) : end]
        for notified in NOTIFIED.finditer(sentence):
            if negated(sentence, notified.start(), notified.end()):
                return Flag("important_data", False, m.group(0))
            return Flag("important_data", True, f"{notified.group(0)} … {m.group(0)}")
    return _never_notified(text)


NEVER_NOTIFIED = rx(
    r"\b(?:never|not|n't|nobody|no one|no authority|no department|no regulator)\b[\w\s']{0,30}?\b"
    r"(?:notified|told|informed|designated|identified|listed)\b(?:\s+(?:us|of|about))?"
    r"(?:\s+(?:of|about))?\s*(?:anything|any(?:thing)? (?:like that|of (?:the|that) kind)|at all)?\s*(?=[.;!,]|$)",
    r"(?:从未|从来没有?|没有|未|并未|从没)(?:被|收到)?(?:过)?(?:任何)?(?:部门|主管部门|有关部门|监管部门|机关)?(?:的)?"
    r"(?:告知|通知|认定|告诉)(?:过)?(?:我们)?(?:任何)?(?:东西|事项|情况|什么)?\s*(?=[。；！，,.;!]|$)",
)
"""A bare "we have never been notified (of anything)": the only notice that matters here is of important data."""


def _never_notified(text: str) -> Flag | None:
    """A reply that no department has notified anything (Provisions art 2: then nothing is important data)."""
    pos = 0
    while (m := NEVER_NOTIFIED.search(text, pos)) is not None:
        pos = m.start() + 1  # overlapping: "not a CIIO and never notified of anything" holds a second start
        start, end = clause_bounds(text, m.start())
        if CIIO.search(text[start:end]) or STATE_ORGAN.search(text[start:end]) or asked(text, m.start(), m.end()):
            continue
        return Flag("important_data", False, f"{m.group(0).strip()}: nothing notified as important data")
    return None


def _foreign_request(text: str) -> Flag | None:
    """A foreign court, prosecutor or police asks for the data; a regulator or a lawyer's letter is no court.

    With a lawyer's letter in hand, "is this a foreign judicial request?" asks about the letter, so a court named
    only in a question settles nothing, and the letter itself is no court: False.
    """
    name = "foreign_judicial_request"
    letter = next((m for m in LAWYER_LETTER.finditer(text) if not negated(text, m.start(), m.end())), None)
    for m in FOREIGN_AUTHORITY.finditer(text):
        held = polarity(text, m.start(), m.end())
        if held == "negated":
            return Flag(name, False, m.group(0))
        if held == "unsure" or (held == "asked" and letter is not None):
            continue
        if REQUESTED.search(text):
            return Flag(name, True, m.group(0))
    for paper in (*JUDICIAL_PAPER.finditer(text), *JUDICIAL_PAPER_ZH.finditer(text)):
        if paper.re is JUDICIAL_PAPER_ZH and not _FOREIGN_WORD.search(text):
            continue
        held = polarity(text, paper.start(), paper.end())
        if held == "negated":
            return Flag(name, False, paper.group(0))
        if held != "unsure":
            return Flag(name, True, paper.group(0))
    if letter is not None:
        return Flag(name, False, f"{letter.group(0)}: a lawyer's letter is a party's demand, not a court's")
    regulator = FOREIGN_REGULATOR.search(text)
    if regulator and not negated(text, regulator.start(), regulator.end()):
        why = f"{regulator.group(0)}: a foreign regulator: whether it counts as a law-enforcement body is a reading"
        return Flag(name, None, why)
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
    if polarity(text, filed.start(), filed.end()) in ("unsure", "asked"):
        return None  # "they don't know if it was filed with MIIT", "不确定有没有在工信部备案": still open
    if negated(text, filed.start(), filed.end()) or re.search(r"未|没有", filed.group(0)):
        return Flag(name, False, filed.group(0))
    tamper = TAMPER_PROOF.search(text)
    return Flag(name, True, f"{filed.group(0)} … {tamper.group(0)}") if tamper else None


def find_flags(text: str) -> list[Flag]:
    """Every yes/no fact the text states."""
    found = [
        _declared(CIIO, "ciio", text),
        _declared(STATE_ORGAN, "state_organ", text),
        _public_affairs(text),
        _important_data(text),
        _foreign_request(text),
        _miit_filed(text),
    ]
    return [flag for flag in found if flag is not None]


_DOUBTABLE = (("ciio", CIIO), ("state_organ", STATE_ORGAN), ("public_affairs_body", PUBLIC_AFFAIRS_BODY))


def doubted_status(text: str) -> str | None:
    """The one status of our own that the person says is in doubt and settles nothing of ("IT thinks we might be a
    CIIO, I'll confirm", "我们可能被认定为关基了，在核实"): a bare "yes" or "no" next settles it."""
    stated = {flag.name for flag in find_flags(text)}
    doubted = {
        name
        for name, pattern in _DOUBTABLE
        if name not in stated and any(polarity(text, m.start(), m.end()) == "unsure" for m in pattern.finditer(text))
    }
    return doubted.pop() if len(doubted) == 1 else None
