"""What the company does, when it says so in words that name none of the Beijing lists' sectors.

"We're a project-management SaaS company", "我们是做内容社区的", "a study-abroad agency": the person has
told us the business, and it is none of the sectors the lists regulate, so the industry is `other`; asking
"which industry are you in?" again would be a question that was already answered. The sectors themselves
are read first (vocabulary.INDUSTRY_PATTERNS); this only reads a self-description that is left over.
"""

from __future__ import annotations

import re

from .meaning import meaning_model, split_clauses
from .places import FOREIGN, MAINLAND_PLACE
from .text import CJK, shortened, words

_BUSINESS_NOUN_EN = (
    r"(?:company|startup|start-up|firm|platform|app|studio|business|agency|provider|operator|chain|group|shop|store|"
    r"school|centre|center|network|marketplace|brand|vendor|house|developer|publisher|club|clinic|hospital|hotel|"
    r"restaurant|cafe|café|gym|bank|insurer|broker|consultancy|lab|laboratory|factory|plant|manufacturer|saas|"
    r"software|tech|maker|retailer|distributor|dealer|outlet|academy|university|college|kindergarten|nursery|"
    r"consultancie|practice|mill|works|institute|co|bookstore|bookshop|teahouse|pharmacy|salon|bakery|supermarket|"
    r"hostel|museum)s?"
)
_EN = re.compile(
    r"\b(?:we(?:'re| are)|i(?:'m| am) (?:at|with)|(?:my|our) client(?:,| is)|client is|they(?:'re| are)"
    r"|(?<=, )it(?:'s| is))\s+"
    rf"(?:an?|the)\s+(?P<desc>[\w&/+' -]{{2,40}}?)\s+{_BUSINESS_NOUN_EN}\b",
    re.IGNORECASE,
)
_ZH = re.compile(
    r"(?:我们|我司|本公司|公司|企业|客户|这家|他们|该公司|该企业)(?:是|为)?(?:[^，。,.；;？?\d]{1,8}?(?=一家|一个))?(?:一家|一个)?(?:在[^，。,.；;？?]{1,10}[，,]?\s*)?"
    r"(?:[^，。,.；;？?]{1,8}?(?:注册|成立)的)?"
    r"(?:做(?P<doing>[^，。,.；;的]{2,14})(?:的|(?=[，。,.；;？?]|$))|(?P<desc>[^，。,.；;]{2,14}?)(?:公司|企业|机构|平台|中介|代理商|代理|经销商|事务所|旅行社|工作室|门店|连锁店|连锁|集团|品牌|社区|中心|学校|小学|中学|大学|学院|幼儿园|药房|药店|超市|工厂|厂|App|APP))"
)
_LEAD_EN = re.compile(
    rf"(?:^|(?<=[.!?])\s|(?<=\bhere, )|(?<=\bhere - ))\s*(?:(?:hi|hello|hey|dear \w+)\W+)?"
    rf"(?:(?:(?:i'm|i am)(?: (?:the|an?) [\w-]+(?: [\w-]+)?)?|this is \w+|(?:IT|HR|legal|compliance|privacy|DPO|"
    rf"finance|ops|data|security|procurement)(?: \w+)?|\w+) (?:at|with|from|of|for) (?:an?|the)\s+)?"
    rf"(?P<desc>[\w&/+' -]{{2,40}}?)\s+{_BUSINESS_NOUN_EN}\b(?:\s+here)?\s*(?:\([^)]{{0,40}}\)\s*)?"
    r"(?:,|\.|:|;| -|–|—| in | based | across | with |$)",
    re.IGNORECASE,
)
"""A message that opens by naming the business ("ferry operator here (Xiamen).", "Physio clinic chain, 22
clinics…", "chess club in Nanjing, …")."""
_LEAD_VERB_EN = re.compile(
    rf"(?:^|(?<=[.!?])\s)\s*an?\s+(?P<desc>[\w&/+' -]{{2,40}}?)\s+{_BUSINESS_NOUN_EN}\s+"
    r"(?=(?:wants?|plans?|needs?|intends?|hopes?|would like|is planning|asks?|asked|sends?|has|keeps?|holds?)\b)",
    re.IGNORECASE,
)
"""A message that opens with the business as the subject ("A Dongcheng property management company wants to …")."""
_RUN_EN = re.compile(
    r"\bwe (?:run|operate|own|manage)\s+(?:an?\s+|the\s+|\d+\s+|a (?:chain|network|group) of\s+)?"
    rf"(?P<desc>[\w&/+' -]{{2,30}}?)(?:\s+{_BUSINESS_NOUN_EN})?(?=\s+(?:in|across|with|for|that|which)\b|[,.;:])"
    rf"|\bour (?:[\w-]+ ){{0,2}}?(?:company|startup|start-up|firm|business|group) (?:has|runs|operates|owns|makes|"
    rf"builds|develops) (?:an?|the|its) (?P<product>[\w&/+' -]{{2,30}}?) {_BUSINESS_NOUN_EN}\b",
    re.IGNORECASE,
)
"""'we run 9 climbing halls in Wuxi', 'we operate a ferry line', 'our startup has a meditation app'."""
_LEGAL_NAME_EN = re.compile(
    r"\b(?i:(?:our|my) (?:company|studio|firm|entity|employer|business)(?: is|:)|we(?:'re| are)"
    r"|(?:i|we) (?:work|do [\w-]+) (?:at|for)|(?:legal|contracting) (?:name|entity)[^:\n]{0,40}:\s*(?:A:)?)\s+"
    r"(?P<desc>(?:[A-Z][\w&'-]*\s+){1,6}?)(?:Co\.,?\s*Ltd\.?|Company Limited|Limited|Ltd\.|Inc\.|LLC)"
)
"""The company's own legal name, whose words say what it does ("our firm is Beijing Redmoss Garden Design Co.,
Ltd.", "I do payroll at Tianjin Bluefin Seafood Trading Co., Ltd.")."""
_DOING_ZH = re.compile(
    r"(?:我们|我司|本公司|公司|企业)[^。！？!?]{0,30}?[，,（(]\s*(?:[^，,）)]{1,8}[，,]\s*)?(?:主要)?(?:是)?做(?P<doing>[^，。,.；;的]{2,10})的(?=[，。,.；;！？!?）)]|$)"
)
"""'公司注册在亦庄，做工业机器人的': what the company does, said after where it is."""
_PLACE_DOING_ZH = re.compile(
    r"(?:我们|我司|本公司|公司|客户)(?:是|为)(?:一家)?[^，。,.；;？?！!做]{1,6}?做(?P<doing>[^，。,.；;的]{2,12})的(?=[，。,.；;！？!?）)]|$)"
)
"""'我们是顺义做新风系统的': where the company is, then what it does."""
_OUTLETS_ZH = re.compile(
    r"(?:开了|开有|开着|经营着?|运营着?|旗下有?)[\d一二两三四五六七八九十百几多]+家(?P<desc>[^，。,.；;、！？!?\d]{2,8}?)"
    r"(?=[，。,.；;、！？!?\s]|都|在|$)"
)
"""'我们开了8家火锅店': the outlets the company runs say what it does."""
_CHAIN_EN = re.compile(
    r"\b(?:a|an|our|the|my)\s+(?:[\w-]+\s+)?(?:chain|network|group) of\s+(?P<desc>[\w&/+' -]{2,30}?)"
    r"(?=\s*(?:\(|,|\.|;|:| in | across | with |$))",
    re.IGNORECASE,
)
"""'our Chaoyang chain of dance studios': the outlets of the chain say what it does."""
_FROM_EN = re.compile(
    rf"\b(?:question|query|writing|asking|greetings|hello|hi)\s+(?:from|at)\s+(?:an?|the|our)\s+"
    rf"(?P<desc>[\w&/+' -]{{2,40}}?)\s+{_BUSINESS_NOUN_EN}\b",
    re.IGNORECASE,
)
"""'Question from a Beijing engineering consultancy': who writes, by what the business is."""
_OUR_EN = re.compile(
    rf"\b(?:our|my)\s+(?P<desc>[\w&/+' -]{{2,30}}?)\s+{_BUSINESS_NOUN_EN}\b",
    re.IGNORECASE,
)
"""'our daigou shop in Yiwu', 'my dental practice's clinic': the business by what the person calls it."""
_CLIENT_IS = re.compile(
    rf"\b(?:the |our |my )?client\s*(?:=|:|is)\s*(?:an?\s+|the\s+)?(?P<desc>[\w&/+' -]{{2,40}}?)"
    rf"\s+{_BUSINESS_NOUN_EN}\b",
    re.IGNORECASE,
)
"""'Client = yacht-charter agency in Miyun', 'client: a bakery chain': a help desk's shorthand for the client's
business."""
_OUR_ZH = re.compile(
    r"(?:我们|我司|公司|客户)(?:的|家)(?P<desc>[^，。,.；;、的]{2,10}?)"
    r"(?P<noun>App|APP|app|平台|网站|小程序|门店|连锁店|学校|医院|诊所|酒店|工厂|工作室|网店|店)"
)
"""'我们的背单词小程序', '客户家的连锁洗衣门店': the business by what the person calls it."""
_RELATION = re.compile(
    r"\b(?:parent|group|holding|sister|partner|affiliated?|subsidiary|head|mother|client|customer|own|foreign|"
    r"overseas|global|regional|local|new|old|other|main|Chinese|China|Beijing|joint|service|logistics|it|hr|legal)\b",
    re.IGNORECASE,
)
"""Words that say how a company relates to us, not what it does ("our parent company", "our Singapore partner")."""
_LEAD_ZH = re.compile(
    r"(?:^|(?<=[。！？!?]))\s*(?:你好|您好)?[，,！!]?\s*(?:我们是|我司是|我是)?(?:一家|一个)?(?P<desc>[^，。,.；;：:！!？?]{2,14}?)"
    r"(?P<noun>公司|企业|机构|平台|中介|代理商|代理|经销商|事务所|旅行社|工作室|门店|连锁店|连锁|品牌|集团|学校|小学|中学|大学|学院|医院|诊所|酒店|俱乐部|工厂|健身房|中心|幼儿园|药房|药店|超市|客户端|App|APP|app|厂|馆|研究所|研究院|设计院)"
    r"(?:[^，。,.；;：:！!？?\s]{0,6})?(?:[，。,.；;：:]|\s+(?=\S)|\s*$)"
)
"""'连锁书店品牌，…', '宠物医院，…', '物业公司，今年…': the business named first."""
_GENERIC = re.compile(
    r"^(?:\W|北京|上海|中国|外资|外商|内资|国有|民营|合资|跨国|一家|小|大|中型|新|我们|我司|我|本|该|这家|海外|境外|国外|国内|境内|"
    r"各|子|分|母|总|集团|关联|这边|那边|有家|有个|某|辖区内?的?|区内|园区内?的?|"
    r"官方|自有|自己|主要|线上|线下|beijing|chinese|china|"
    r"foreign|our|we|we're|we are|my|their|his|her|the|a|an|this|that|its|"
    r"foreign[\s-]invested|multinational|local|small|large|big|mid-sized|new|global|international|private|"
    r"state[\s-]owned|subsidiary|wholly[\s-]owned|\d+)*$",
    re.IGNORECASE,
)
_NOT_A_BUSINESS = re.compile(
    r"数据|信息|出境|(?<!宣)传(?!媒|感|统|奇|承)|发给|给|提供|共享(?:给|到)|发送|同步|把|将|关键|运营者|自贸|注册|位于|区的|registered|located|based|data|information|infrastructure|transfer|export|free[\s-]trade|ftz",
    re.IGNORECASE,
)


_SECTOR_SAID = re.compile(
    r"(?:所属行业|行业|主营业务|主业)(?:是|为|属于)(?P<desc>[^，。,.；;、！!？?]{2,12}?)(?:行业)?(?=[，。,.；;、！!？?]|不是|$)"
    r"|\b(?:our|their|its|the)(?: (?:client|company|customer|firm)'s)? (?:industry|sector|line of business) is "
    r"(?:the )?(?P<sector>[\w &/-]{2,30}?)"
    r"(?:industry|sector)?(?=[,.;!?]|$)"
    r"|\b(?:we|they)(?:'re| are) in (?:the )?(?P<field>[\w &/-]{2,25}?) (?:industry|sector|business)\b",
    re.IGNORECASE,
)
"""The industry said in so many words ("公司行业是保险经纪", "our industry is event ticketing", "we're in the
pet-food business")."""


_PLACED_ZH = re.compile(r"^(?:注册在|注册于|位于|地处|设在|总部在|在)[^的，。,.]{1,10}的")
"""Where a company is, said before what it is ("注册在朝阳的", "位于亦庄的")."""


_NOT_A_NAME = re.compile(
    r"\b(?:to|from|for|of|at|by|with|and|or|send\w*|sent|transfer\w*|shar\w+|give\w*|forward\w*|pass\w*|book\w*|"
    r"run\w*|want\w*|need\w*|is|are|was|were|we|our|us|i|my|you|your|they|their)\b"
    r"|[把将给帮让要传发送为的从向和与及]|在(?!线)",
    re.IGNORECASE,
)
"""Words a business's name does not hold: an opening that has them is a sentence, not a name."""


_SPECIFIC_EN = (
    r"hospital|clinic|kindergarten|nursery|preschool|(?:primary |secondary |high |middle |international |language )?"
    r"school|university|college|hotel|hostel|restaurant|caf[eé]|gym|travel agency|tour operator|law firm|"
    r"dental (?:practice|clinic)|pharmacy|bakery|supermarket|museum|charity|"
    r"(?:SaaS|software|app|tech|internet|game|gaming|edtech|e-?learning|AI) "
    r"(?:firm|company|startup|studio|provider|vendor|co)"
)
_NAMED_BY_NOUN_EN = re.compile(
    rf"(?:^|(?<=[.!?:;]\s)|\b(?:we(?:'re| are)|client(?: of ours)?,?(?: is)?|i(?:'m| am) (?:at|with|from)|"
    rf"(?:IT|HR|ops|operations|legal|compliance|marketing|sales|support|engineering|finance|data)(?: \w+)? at|"
    rf"work(?:ing)? (?:at|for)|(?:i(?:'m| am)?\s+)?(?:do\s+)?(?:an?\s+)?[\w-]+(?:\s+[\w-]+)?\s+at)\s+)"
    rf"\W*(?:(?:hi|hello|hey)\W+)?(?:an?\s+|the\s+|our\s+)?(?:[A-Z][\w'-]+\s+){{0,2}}(?P<noun>{_SPECIFIC_EN})s?\b",
    re.IGNORECASE,
)
"""A business that its noun alone names ("Miyun nursery - …", "Clinic IT, Xicheng.", "client is a language school")."""
_DESTINATION = re.compile(
    r"(?:\b(?:to|into|onto|with|via|through)\s+|(?:[给到至向]|发往|传往)[^，。,.；;！？!?\s]{0,8})\s*$", re.IGNORECASE
)
"""A system or business named as where the data goes ("send profiles to our HK loyalty platform", "同步到我们的会员
平台"): the recipient, not what the company does."""


_BASED = re.compile(r"^(?:[\w-]*-)?based\s+", re.IGNORECASE)


def described_business(text: str) -> str | None:
    """The words in which the person describes what the company does, if they do; None otherwise."""
    ours = (
        m
        for m in (*_OUR_EN.finditer(text), *_OUR_ZH.finditer(text))
        if not _RELATION.search(m.group("desc")) and not FOREIGN.search(m.group(0))
    )
    loose = (
        *_LEAD_EN.finditer(text),
        *_RUN_EN.finditer(text),
        *_LEAD_ZH.finditer(text),
        *ours,
        *_DOING_ZH.finditer(text),
        *_CLIENT_IS.finditer(text),
        *_LEGAL_NAME_EN.finditer(text),
        *_PLACE_DOING_ZH.finditer(text),
        *_OUTLETS_ZH.finditer(text),
        *_CHAIN_EN.finditer(text),
        *_FROM_EN.finditer(text),
        *(m for m in _LEAD_VERB_EN.finditer(text) if not _RELATION.search(m.group("desc"))),
    )
    for m in (*_SECTOR_SAID.finditer(text), *_EN.finditer(text), *_ZH.finditer(text), *loose):
        if _DESTINATION.search(text, 0, m.start()):
            continue  # where the data goes, not what the company does
        found = m.groupdict()
        desc = MAINLAND_PLACE.sub(
            "", found.get("doing") or found.get("desc") or found.get("product") or found.get("sector") or ""
        )
        desc = found.get("field") or desc
        desc = re.sub(r"^[区市县]?的?|[的在]$", "", desc.strip()).strip()
        desc = _PLACED_ZH.sub("", desc)  # "位于亦庄的精密仪器": what places it is no business
        desc = _BASED.sub("", desc)  # "Haidian-based podcast": where it is, then what
        if m.re in (
            _LEAD_EN,
            _RUN_EN,
            _LEAD_ZH,
            _OUR_EN,
            _OUR_ZH,
            _CLIENT_IS,
            _LEGAL_NAME_EN,
            _CHAIN_EN,
            _FROM_EN,
            _LEAD_VERB_EN,
        ) and (_NOT_A_NAME.search(desc) or len(desc.split()) > 4):
            continue  # an opening that is a sentence ("we send records to a clinic in …"), not a name
        if m.re is _LEAD_EN and desc.lower().startswith("the "):
            continue  # "The R&D centre in Gothenburg wants …": a unit the reader is meant to know, not our business
        if m.re in (_LEAD_ZH, _FROM_EN, _LEAD_EN, _LEAD_VERB_EN) and (
            re.search(r"[子分总母]$", desc) or FOREIGN.search(desc)
        ):
            continue  # "德国、巴西、印度子公司": a relation abroad, not what the company does
        if desc and not _GENERIC.match(desc) and not _NOT_A_BUSINESS.search(desc):
            return m.group(0).strip()
        if (not desc or _GENERIC.match(desc)) and m.groupdict().get("noun") in _SPECIFIC_ZH:
            return m.group(0).strip()  # "我们是海淀的连锁诊所": the noun itself names the business
    named = _NAMED_BY_NOUN_EN.search(text)
    if named is not None and not _DESTINATION.search(text, 0, named.start("noun")):
        return named.group(0).strip()
    return None


_SPECIFIC_ZH = frozenset(
    {
        "中介",
        "代理商",
        "代理",
        "经销商",
        "事务所",
        "旅行社",
        "工作室",
        "门店",
        "连锁店",
        "连锁",
        "学校",
        "医院",
        "诊所",
        "酒店",
        "俱乐部",
        "工厂",
        "健身房",
        "小学",
        "中学",
        "大学",
        "学院",
        "幼儿园",
        "药房",
        "药店",
        "超市",
    }
)
"""Nouns that name a business by themselves (公司, 企业, 平台 name none)."""


_SELF_DESCRIPTION = words(
    r"\b(?:we(?:'re| are)|we (?:run|own|operate|make|build|develop|produce|manufacture|sell|design|supply|provide|"
    r"offer|do|train)|our (?:company|firm|business|group|app|platform) (?:is|does|makes|sells|runs|teaches|offers)|"
    r"i (?:run|own|work (?:at|for))|(?:my|our|the) client (?:is|does|makes|sells|runs))\b"
    r"|(?:我们|我司|本公司|我公司|这家(?:企业|公司)|该(?:企业|公司)|客户|企业|公司)(?:主要|自己)?"
    r"(?:是|说自己是|做|开了|经营|生产|研发|制造|销售|卖|运营|提供|从事)",
    re.IGNORECASE,
)
"""Words of a clause in which someone may say what the company does."""
MAX_DESCRIPTIONS = 2
"""Clauses read for the business by meaning (the first that may describe it)."""


_PART_END = re.compile(r"(?<!\d),(?!\d)|[，；;:：]")


def descriptions(text: str, business: str | None) -> list[str]:
    """What is read for the business by meaning: the description found, else the first parts of clauses (between
    commas) where someone may say what the company does."""
    if business:
        return [business]
    found: list[str] = []
    for clause in split_clauses(text):
        parts = [p for p in (p.strip() for p in _PART_END.split(clause.text)) if _says_what(p)]
        # a short clause is read whole, as for the purposes (its vector is then reused)
        found += [clause.text] if parts and len(clause.text) <= SHORT_CLAUSE else parts
    return found[:MAX_DESCRIPTIONS]


SHORT_CLAUSE = 60
"""A clause this short is read whole for the business; a longer one in its parts between commas."""


_WHERE_ONLY = re.compile(
    r"\b(?:in|at|based|located|registered|headquartered|the|a|an|company|district|city|office|here)\b"
    r"|[的在于注册位区市县里]|\W|\d",
    re.IGNORECASE,
)


def _says_what(part: str) -> bool:
    """Whether the part says what the company does: a self-description with more after it than where it is
    ("Our company is in Haidian", "我们是朝阳的" say where, not what)."""
    cue = _SELF_DESCRIPTION.search(part)
    if cue is None:
        return False
    rest = _WHERE_ONLY.sub("", MAINLAND_PLACE.sub("", part[cue.end() :]))
    return len(rest) >= (2 if CJK.search(rest) else 5)


def industry_by_meaning(text: str, business: str | None) -> tuple[str, str, bool] | None:
    """The industry that the words describing the company mean, its evidence, and whether the meaning is sure:
    read in the description found (`described_business`), else in the first clauses where someone may say what
    the company does. None without a meaning model, or when no description is near one industry's exemplars."""
    model = meaning_model()
    if model is None or not model.thresholds.get("industries"):
        return None
    model.read(text)  # the clauses in one batch, most descriptions among them
    said = descriptions(text, business)
    unsure = None
    for description, (label, margin, state) in zip(said, model.nearest("industries", said), strict=True):
        short = shortened(description)
        if state == "sure":
            return label, f"by meaning, {margin:+.3f}: «{short}»", True
        if state == "unsure" and unsure is None:
            unsure = label, f"perhaps, by meaning, {margin:+.3f}: «{short}»", False
    return unsure
