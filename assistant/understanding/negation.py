"""How a sentence holds a phrase it names: affirmed, negated, asked about or doubted, within the phrase's clause.

A reader finds a phrase ("CIIO", "健康数据", "passport numbers") with a pattern; this module says whether the
person states it. A negation reaches the phrase only inside the same clause, and clauses end at punctuation and at
contrastive connectives, so in "not after-sales but R&D", "不是售后，而是研发" only the first is denied.

Cues, before the phrase in its clause (and a few after it: "genetic data is not included", "基因数据不涉及"):
- English: not, no, never, none, nothing, nobody, neither/nor, without, n't, free of, excluding, rather than,
  instead of, non-.
- Chinese: 不, 没, 没有, 未, 无, 非, 从未, 从没, 并未, 不含, 不包括, 不涉及.
Words that look like a cue but are not one are left out: "not only", "no more than", 不满 (under an age), 未成年,
不仅, 无论, 非常, 非法, 不能 (a prohibition says nothing of what the data is).

"Except" turns on the rest of the sentence: "everything except the fingerprints is non-sensitive" names the
fingerprints as the sensitive part (the rest is denied, so the exception is affirmed), while "we send everything
except the ID numbers" leaves the ID numbers out; "除了手机号以外都不敏感" / "除了身份证以外都传" likewise, and
"除了…还/也…" adds.

Questions and doubt are not statements: "do we count as a CIIO?", "我们算关基吗", "not sure whether we are a
CIIO", "可能是关基" leave a status unknown.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import lru_cache
from typing import Literal

from .text import words

Polarity = Literal["affirmed", "negated", "asked", "unsure"]
"""How the sentence holds a phrase: stated, stated as not so, asked about, or doubted."""

_BREAK = words(
    r"(?<!\d),|,(?!\d)|(?<!\d)\.|\.(?!\d)|[;:!?()\[\]\n。，；：！？（）【】]|\s[—–]\s|\s--?\s|—"
    r"|\b(?:but|however|rather(?! than)|instead(?! of)|whereas|although|though|yet|except that)\b"
    r"|\band (?=(?:we|i|they|it|our|the company|this)\b)"
    r"|但是|但|而是|而且|而|可是|不过|然而|只是|只有|只|仅|也还有|还有|仍有|仍然有"
)
"""Where a negation's reach ends: punctuation, contrastive connectives, "and" before a new subject."""

_SENTENCE_BREAK = words(r"(?<!\d)\.|\.(?!\d)|[;!?\n。；！？]|\b(?:but|however)\b|但是|但|可是|不过|然而")
"""Where a sentence ends (for "except", whose other half may sit behind a comma)."""

_LIST_TAIL = words(r"\s*(?:[\w'-]+\s+){0,3}?[\w'-]+\s*(?:,|\b(?:or|nor)\b)", re.IGNORECASE)
"""A comma inside a negated English list ("no genetic data, fingerprints or face scans"): a short item follows."""

_CUE_EN = words(
    r"\b(?:not(?! only| just| more| less| fewer| over| under| exceeding| above| below| later| until)"
    r"|no(?! more| less| fewer| later| matter| longer than| sooner)|never|none|nothing|nobody|no one|neither|nor"
    r"|without|excluding|exclude[sd]?|free of|rather than|instead of|zero|non(?=-|\s)"
    r"|strip(?:s|ped)?(?: out)?|remov(?:e|es|ed)|redact(?:s|ed)?|delet(?:e|es|ed)|scrub(?:s|bed)?|"
    r"filter(?:s|ed)? out|drop(?:s|ped)?)\b"
    r"|\b(?:do|does|did|is|are|was|were|has|have|had|wo)n't\b"
    r"|(?<![\d.,])0(?=\s+[a-z]|\s*$)",  # "so 0 under-14": none
    re.IGNORECASE,
)
_CUE_ZH = re.compile(
    r"从未|从没|[拿得收碰]不到|接触不到|拿不了|并未|并没有|并非|不含|不包括|不包含|不涉及|删除|去除|剔除|去掉|删掉|排除|没有|没|无(?!论|法|人机|关|须|需|锡)"
    r"|(?<![\d.,])0(?=\s*[个名位人]|\s*$)|零个|(?:国内|境内|本地)(?:只|仅)?(?:保留|留存)"
    r"|未(?!来|成年|满|经|知)"
    r"|(?<!除)非(?!常|洲|法|要|得|但)"
    r"|(?<!差)不(?!仅|只|但|同(?!步)|少|久|到|足|满|良|动产|法|锈|超过|低于|高于|断|过|得|确定|清楚|知|一定|管|论|能|可以|对|然|如|好意思|允许|应|多)"
)
EXCEPT = words(
    r"\b(?:except(?: for)?|excepting|other than|apart from|save for)\b"
    r"|除了|除去|除开|除(?=[^\s，。；]{1,12}(?:外|以外|之外))"
)
"""An exception: what follows is left out, unless the rest of the sentence is denied ("all but X is non-sensitive")."""
_CLOSING_EXCEPT = re.compile(r"(?:以|之)?外(?=\s*[，,]?\s*(?:还|也|都|另|再|其|[，,]))")
"""The 外 that closes "除了…外", before what is said of the rest ("除了X外，还有Y")."""
_INCLUSIVE = re.compile(r"还|也|另外|此外|以及|and also|as well", re.IGNORECASE)

_AFTER_NEGATED = words(
    r"\s*(?:data|information|info|records?|details|numbers?|files?|documents?|ones|scans?|copies|photos|images"
    r"|reports?|part)?\s*(?:(?:is|are|was|were|will|would|shall|have been|has been)\s+)?"
    r"(?:not|never|no longer)\s+(?:be\s+)?"
    r"(?:included|involved|sent|transferred|shared|collected|exported|part of|in scope|contained|provided)\b"
    r"|\s*(?:data|information|info|records?|details|numbers?)?\s*(?:is|are|was|were|will be|have been|has been)\s+"
    r"(?:excluded|removed|stripped|redacted|deleted|left out|taken out)\b"
    r"|\s*(?:data|information|info|records?)?\s*(?:isn't|aren't|won't be|wasn't|weren't)\s+"
    r"(?:included|involved|sent|transferred|shared|collected|exported|part of|in scope)\b"
    r"|\s*:\s*(?:none|no|nil|n/a)\b"
    r"|(?:\s+(?:and|or|&)?\s*[\w-]+){0,4}\s+(?:will |would |must |should )?"
    r"(?:stays?|remains?|(?:is|are) kept|(?:is|are) stored)"
    r"\s+(?:only\s+)?(?:in|on|within|inside)\s+(?:the\s+|our\s+)?(?:[\w-]+\s+){0,5}?"
    r"(?:mainland|china|domestic|local|beijing|shanghai|systems?|servers?|database|PMS|CRM)\b"
    r"|(?:'s?)?(?:\s+(?:and|or|&)?\s*[\w'-]+){0,3}\s+(?:will |would |must |should )?"
    r"(?:stays?|remains?|(?:is|are) kept)\s+"
    r"(?:here|at home|in-house|with us|onshore|in the country)\b"
    r"|[^，。；,;]{0,8}(?:留在|存在|保存在|只在)(?:境内|国内|本地|中国)"
    # the last of a list denied with all the others ("护照号、住址、病史都不同步")
    r"|[^\s，。；,;:：、]{0,4}?(?:[、/和及与]\s*[^\s，。；,;:：、]{1,10}){1,6}?(?:都|均|一律|全部|全都)"
    r"(?:不|没有|未|不会|不用|不再)(?:被)?(?:包括|包含|涉及|传|传输|出境|提供|发送|收集|含|上传|共享|同步|导出|给)"
    r"|[^\s，。；,;:：]{0,4}?(?:(?:那|这)?(?:部分|块|些|项|一项))?(?:都|均|也|则|并|一律|先|暂时?|就|还是)?"
    r"(?:不|没有|未|无需|不会|不用|不再)(?:被)?"
    r"(?:包括|包含|涉及|传|传输|出境|提供|发送|收集|在内|含|上传|共享|同步|导出|外传|给|迁移|迁|搬|发(?![现生布票展]))"
    r"|[^\s，。；,;:：]{0,8}?(?:都|均|已|已经|会|将)*(?:被)?(?:删除|去除|剔除|去掉|删掉|排除)"
    # …unless the removal names its own object ("病历（去掉了姓名）": the name is removed, not the records)
    r"(?!(?:掉)?了?[^\s，。；,;:：）)和及与、]{0,3}?(?:姓名|名字|身份证|证件|手机|电话|地址|邮箱|住院号|病历号|账号|照片|人脸|指纹|标识))"
    r"|(?:数据|信息)?\s*[:：]\s*(?:无|没有)"
    # a plan dropped since ("the scans, but that was cancelled last week", "基因检测那部分后来取消了")
    r"|[^.;!?。；！？]{0,24}?\b(?:but |and )?(?:that |it |this |they |which )?"
    r"(?:was|were|has been|have been|got|is now|are now)\s+(?:since\s+|later\s+|then\s+)?"
    r"(?:dropped|cancel(?:l)?ed|scrapped|abandoned|shelved|ruled out|rejected|vetoed)\b"
    r"|[^，。；,;!?！？]{0,10}?(?:已经|后来|也|都)?(?:被)?(?:取消|砍掉|放弃|拿掉|否掉|否决)了"
    r"|[^。；;!?！？]{0,40}?[，,]\s*(?:但|不过|后来)?(?:已经?|后来|也|都)?(?:被)?(?:否决|取消|砍掉|放弃|拿掉|否掉)了?(?=[，。；,;]|$)",
    re.IGNORECASE,
)
"""A denial right after the phrase: "genetic data is not included", "身份证号不出境", "基因数据：无", a plan dropped."""

_ASKED_BEFORE = words(
    r"\b(?:whether|if|do|does|did|is|are|am|was|were|can|could|should|would|will|shall|has|have)\b"
    r"(?:\s+[\w'-]+){0,5}?\s*$",
    re.IGNORECASE,
)
"""A yes/no question or a condition opening the clause and reaching the phrase ("do we count as a CIIO")."""
_ASKED_ZH_BEFORE = re.compile(
    r"(?:是否|是不是|算不算|属不属于|属于不属于|有没有|能否|可否|如果|假如|要是|假设|若)[^，。；？]{0,14}$"
)
_ASKED_ZH_AFTER = re.compile(r"[^，。；,;.?？]{0,12}?(?:吗|么|嘛|与否)")
_OR_ASKED_ZH = re.compile(r"[，,]\s*(?:还是|或是|或者是)[^。！!；;]{0,40}?[？?]")
"""The other half of a question of alternatives ("是企业自己定，还是等主管部门通知？"): the clause before
it is asked, not stated."""
_QUESTION_OPENING = words(r"\s*(?:do|does|did|is|are|am|was|were|can|could|should|would|will|shall|has|have)\b")

_UNSURE = words(
    r"\b(?:not sure|unsure|unclear|uncertain|not certain|don't know|do not know|doesn't know|no idea|not clear|"
    r"maybe|perhaps|possibly|probably|might|may be|may have|could be|wondering|wonder|unknown|not yet known)\b"
    r"|不确定|不清楚|不知道|不太清楚|不太确定|不晓得|搞不清|说不准|不好说|也许|可能|或许|大概是|好像|似乎|不一定|"
    r"待定|尚未确定|还没确定|有待",
    re.IGNORECASE,
)
"""Doubt in the clause before the phrase: "not sure whether we are a CIIO", "可能是关基"."""

CUE_REACH_WORDS = 7
"""How many English words a negation reaches across ("we have never been notified of any important data")."""
CUE_REACH_CHARS = 14
"""How many Chinese characters a negation reaches across ("行业主管部门从来没有把我们的任何数据认定为重要数据")."""

_WORD = re.compile(r"[A-Za-z0-9'-]+|[\u3400-\u9fff]")


@lru_cache(maxsize=32)
def _breaks(text: str, sentences: bool) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The starts and ends of every clause (or sentence) break of `text`, found once per text."""
    pattern = _SENTENCE_BREAK if sentences else _BREAK
    found = [(m.start(), m.end()) for m in pattern.finditer(text)]
    if not sentences:
        found = [(s, e) for s, e in found if not _list_comma(text, s, e)]
    return tuple(s for s, _ in found), tuple(e for _, e in found)


def _list_comma(text: str, start: int, end: int) -> bool:
    """Whether an English comma joins items of one list ending in "or"/"nor" (so a negation reaches on)."""
    if text[start:end] != ",":
        return False
    rest = text[end : end + 80]
    tail = re.match(r"[^;:.!?()]*", rest)
    segment = tail.group(0) if tail else ""
    return bool(_LIST_TAIL.match(segment)) and bool(re.search(r"\b(?:or|nor)\b", segment))


def _bounds(text: str, start: int, end: int, sentences: bool = False) -> tuple[int, int]:
    """The clause (or sentence) around `start`..`end`: from the last break before to the first break after."""
    starts, ends = _breaks(text, sentences)
    before = bisect_right(ends, start)
    left = ends[before - 1] if before else 0
    after = bisect_left(starts, end)
    right = starts[after] if after < len(starts) else len(text)
    return max(left, start - 300), min(max(right, end), end + 300)


def clause_of(text: str, start: int, end: int | None = None) -> tuple[int, int]:
    """The clause that holds `text[start:end]`: the reach of a negation or a question."""
    return _bounds(text, start, start if end is None else end)


def _gap_is_short(gap: str) -> bool:
    """Whether a negation's reach spans `gap` (the words between the cue and the phrase)."""
    tokens = _WORD.findall(gap)
    latin = sum(1 for t in tokens if t.isascii())
    return latin + (len(tokens) - latin) / 2 <= CUE_REACH_WORDS and len(tokens) - latin <= CUE_REACH_CHARS


def _cue_before(text: str, left: int, start: int) -> re.Match[str] | None:
    """The last negation cue between `left` and `start` close enough to reach the phrase."""
    last: re.Match[str] | None = None
    for pattern in (_CUE_EN, _CUE_ZH):
        for m in pattern.finditer(text, left, start):  # in the whole text, so "差不多" cut at 不 is no cue
            if _a_not_a(text, m.start()):
                continue  # 是不是, 算不算, 有没有: a question, not a denial
            if last is None or m.start() > last.start():
                last = m
    if last is None or not _gap_is_short(text[last.end() : start]) or _PURPOSE_GAP.match(text[:start], last.end()):
        return None
    return last


_PURPOSE_GAP = words(
    r"\s*(?:(?:just|only|merely)\s+)?(?:for\s+\w+ing|to\s+(?!(?:the|a|an|our|their|its|his|her|us|them|any|send|transfer|share|export|include|provide|give|pass"
    r"|upload|disclose|collect|keep|store|hand|move|copy|sync|release)\b)[a-z]+)\b"
    r"|(?:是)?(?:为了|用于|用来|拿来|出于)",
    re.IGNORECASE,
)
"""A denied purpose ("not for treating the patients", "不是为了治疗患者"): what follows is what the data is not for,
not data that is left out."""


def _a_not_a(span: str, at: int) -> bool:
    """Whether the cue at `at` is the middle of an A-not-A question (是不是, 属不属于, 有没有, 能不能)."""
    return span[at] in "不没" and 0 < at < len(span) - 1 and span[at - 1] == span[at + 1]


def _denied(span: str) -> bool:
    """Whether a cue in `span` denies something (an A-not-A question does not)."""
    return any(not _a_not_a(span, m.start()) for p in (_CUE_EN, _CUE_ZH) for m in p.finditer(span))


_NEW_SUBJECT = words(r"\band (?:we|i|our|they)\b|[,，;；]\s*(?:we|our|我们|我司|另外|此外)")


def _except_negated(text: str, start: int, end: int) -> bool | None:
    """For a phrase after "except"/"除了": whether it is left out (None when no "except" governs it)."""
    clause_left, _ = clause_of(text, start, end)
    cue = None
    for m in EXCEPT.finditer(text, clause_left, start):
        cue = m
    if cue is None or _CLOSING_EXCEPT.search(text, cue.end(), start):
        return None  # "除了订单外还要传证件照": what follows the closing 外 is not the exception
    cue_start = cue.start()
    _, right = _bounds(text, start, end, sentences=True)
    after = text[end:right][:60]
    cut = _NEW_SUBJECT.search(after)
    after = after[: cut.start()] if cut else after
    if _INCLUSIVE.search(after[:30]) and not _denied(after[:30]):
        return False  # "除了身份证，还有银行卡": besides, not except
    clause_left, _ = clause_of(text, cue_start)
    if not text[clause_left:cue_start].strip():  # "没有敏感字段，除了体检报告": the denial before the comma
        clause_left, _ = _bounds(text, cue_start, cue_start, sentences=True)
    return not (_denied(text[clause_left:cue_start]) or _denied(after))


def negated(text: str, start: int, end: int | None = None) -> bool:
    """Whether the phrase `text[start:end]` is denied or left out in its clause.

    Args:
        text: the whole message.
        start: where the phrase starts.
        end: where it ends (defaults to `start`; the end lets a denial after the phrase be read).
    """
    end = start if end is None else end
    excepted = _except_negated(text, start, end)
    if excepted is not None:
        return excepted
    left, _ = clause_of(text, start, end)
    if _cue_before(text, left, start) is not None:
        return True
    if _DENIED_LIST.search(text, max(0, start - 200), start):
        return True  # "不含：基因检测数据、患者姓名", "Not included: names, ID numbers"
    if _UNRELATED_BEFORE.search(text, left, start) and _UNRELATED_AFTER.match(text, end, min(len(text), end + 12)):
        return True  # "跟北京没关系", "与支付无关": nothing to do with it
    return bool(_AFTER_NEGATED.match(text, end, min(len(text), end + 60)))


_DENIED_LIST = words(
    r"(?:不含|不包括|不包含|不涉及|不传|排除|除外项?"
    r"|\b(?:not included|excluded|exclusions|excluding|out of scope|not sent)\b)"
    r"\s*[:：][^。;；\n!?！？]*$"
)
"""A list headed by a denial and a colon: every item of it, to the sentence's end, is left out."""
_UNRELATED_BEFORE = re.compile(r"(?:跟|和|与|同)[^，。；,;]{0,6}$")
_UNRELATED_AFTER = re.compile(r"[^，。；,;]{0,6}?(?:没(?:有)?(?:什么|任何)?关系|无关|不相干)")


def asked(text: str, start: int, end: int | None = None) -> bool:
    """Whether the clause asks about the phrase, or sets it as a condition, rather than stating it."""
    end = start if end is None else end
    left, right = clause_of(text, start, end)
    before = text[left:start]
    if _ASKED_ZH_BEFORE.search(before) or _ASKED_ZH_AFTER.match(text, end, right) or _OR_ASKED_ZH.match(text, right):
        return True
    opening = _ASKED_BEFORE.search(before)
    if opening is None:
        return False
    word = opening.group(0).split()[0].lower()
    # "whether"/"if" anywhere before; an auxiliary only when it opens the clause ("Are we a CIIO?").
    return word in ("whether", "if") or bool(_QUESTION_OPENING.match(before))


def unsure(text: str, start: int) -> bool:
    """Whether the clause before the phrase expresses doubt ("not sure whether", "可能")."""
    left, _ = clause_of(text, start)
    return bool(_UNSURE.search(text[left:start]))


_WHETHER = words(
    r"\b(?:whether (?:or not )?(?:any|there (?:is|are|was|were)|some|it (?:includes?|contains?|has))|if any)\b"
    r"(?:\s+[\w'-]+){0,4}?\s*$"
    r"|\b(?:asked|asks|asking|wondered|wonders|wondering|queried|questioned) (?:whether|if)\b[^.;?!]{0,40}?"
    r"\b(?:is|are|counts? as|qualif(?:y|ies) as)\s*(?:an?\s+|the\s+)?$"
    r"|问[^，。；？?]{0,8}(?:是否|是不是|算不算|属不属于)(?:属于|算|是)?[^，。；？?]{0,4}$"
    r"|(?:是否|有没有|是不是|有无)(?!必要|需要|要|必须|应该|应当|可以|能|得|算)(?:包含|包括|含有|含|涉及|有)?[^，。；？?]{0,6}$"
)
"""A question about the phrase itself, just before it: "whether any users are under 14", "有没有身份证号"."""

_PROPOSED_OMISSION = words(
    r"\b(?:could|can|should) we (?:just |only )?"
    r"(?:not send|not share|not include|leave out|drop|skip|remove|strip out)\b[^.;?!]{0,30}$"
    r"|(?:能不能|可不可以|能否|可否|是否可以)[^。；;？?！!]{0,12}(?:不传|不给|不发|不带|去掉|删掉|拿掉)[^，。；;？?]{0,4}$"
)
"""A proposal to leave the phrase out, which settles nothing until someone agrees: "could we leave out the phone
numbers?", "能不能只传城市、不传姓名"."""


def doubted(text: str, start: int) -> bool:
    """Whether the person asks or doubts that the phrase holds, rather than describing it.

    Narrower than `asked`: "can we send health data?" describes the data it asks about, while "whether any of
    them are children" and "有没有身份证号" leave it open, as does a list asked after "any sensitive data?"
    ("含不含敏感数据？护照号、行程、卡号？").
    """
    left, _ = clause_of(text, start)
    return (
        unsure(text, start)
        or bool(_WHETHER.search(text[max(left, start - 60) : start]))
        or bool(_PROPOSED_OMISSION.search(text[max(0, start - 40) : start]))
        or _in_a_listed_question(text, start)
        or bool(_WOULD_BE_TROUBLE.match(text, start, min(len(text), start + 80)))
    )


_WOULD_BE_TROUBLE = words(
    r"[^，。；,;！!？?]{0,14}?(?:要是|如果|万一)(?:也|再)?[^，。；,;！!？?]{0,10}?(?:就|可就|那就)(?:麻烦|完了|糟|不好办|出事|有问题)"
    r"|[^.;!?]{0,30}?\b(?:went|were sent|got sent|were included|got in) (?:too|as well)\b[^.;!?]{0,20}"
    r"\b(?:would|'d) be (?:a |in )?(?:problem|trouble|nightmare|mess|disaster)\b"
)
"""A hypothetical that something would be bad if it went too ("老师的卡号要是也传过去就麻烦了"): said of what does
not go."""


_QUESTION_BREAK = re.compile(r"[。！？!?\n]|\.(?!\d)")
_LIST_ONLY = re.compile(r"[^。！？!?\n.;；:：]{1,80}[？?]")
_EXISTS_ASKED = words(
    r"(?:有没有|是否有|有无|是否包含|是否涉及|包不包括|含不含)[^。！？!?\n]{0,12}[？?]\s*$"
    r"|\b(?:any|is there|are there|anything)\b[^.!?\n]{0,30}\?\s*$"
)


def _in_a_listed_question(text: str, start: int) -> bool:
    """Whether the phrase is an item of a bare list asked right after an "any …?" question."""
    breaks = [m.end() for m in _QUESTION_BREAK.finditer(text, max(0, start - 120), start)]
    if not breaks:
        return False
    head = breaks[-1]
    listed = _LIST_ONLY.match(text, head)
    if listed is None or listed.end() <= start or not re.search("[、,，]", listed.group(0)):
        return False
    return bool(_EXISTS_ASKED.search(text, max(0, head - 60), head))


def polarity(text: str, start: int, end: int | None = None) -> Polarity:
    """How the sentence holds the phrase `text[start:end]`: doubt and questions first, then denial."""
    end = start if end is None else end
    if unsure(text, start):
        return "unsure"
    if asked(text, start, end):
        return "asked"
    return "negated" if negated(text, start, end) else "affirmed"
