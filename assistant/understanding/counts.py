"""Counts of individuals: a number tied to people (40,000 patients, 4万名患者, 两万例) or to a transfer."""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise
from typing import Literal

from .numbers import Number, find_numbers
from .text import clause_bounds, words
from .vocabulary import PEOPLE_EN, PEOPLE_ZH

Role = Literal["plain", "prior", "additional", "current", "subset"]
Qualifier = Literal["", "more than", "less than"]

_I = re.IGNORECASE
_BLOCK_AFTER_EN = words(
    r"^\s*(?:%|-(?:year|month|day)|(?:percent|per cent|years?|yrs?|months?|days?|weeks?|hours?|minutes?|seconds?|"
    r"GB|TB|MB|KB|PB|[gtm]igabytes?|terabytes?|megabytes?|yuan|RMB|CNY|USD|dollars?|euros?|EUR|times|files?|"
    r"vehicles?|cars?|articles?|items?|pages?|rows?|columns?|fields?|countries|companies|km|kilomet(?:er|re)s?|"
    r"st|nd|rd|th)\b)",
    _I,
)
_BLOCK_AFTER_ZH = re.compile(
    r"^\s*(?:%|周?岁|年|个?月|日|号|天|周|小时|分钟|次(?!人)|元|块|家|份|项|辆|台|页|倍|个国家|个字段|"
    r"条(?![\u4e00-\u9fff]{0,2}(?:患者|用户|客户|员工|个人)))"
)
_BLOCK_BEFORE = words(
    r"(?:\b(?:article|arts?\.?|section|item|clause|no\.|version|v|top|page|phase|step)\s*|第\s*|[$¥€£]\s*|"
    r"\b(?:RMB|USD|CNY)\s*)$",
    _I,
)
_YEAR_BEFORE = words(r"\b(?:in|since|by|from|until|till|before|after|during|year|fy|for)\s*$", _I)
_MORE_BEFORE = words(r"(?:\b(?:more than|over|above|in excess of|exceeding|upwards of)|超过|逾|多于|高于)\s*$", _I)
_LESS_BEFORE = words(r"(?:\b(?:less than|fewer than|below|under)|不到|不足|少于|低于|不满)\s*$", _I)
_PLAIN_BEFORE = words(
    r"(?:\b(?:about|around|roughly|approximately|approx\.?|nearly|almost|some|exactly|precisely|just|only|at least|"
    r"at most|up to|a total of|totall?ing|of)|~|约为|大约|大概|约|近|将近|正好|恰好|整整|共计|总计|合计|共|"
    r"只有|仅)\s*$",
    _I,
)
_NOT_BEFORE = words(r"(?:\b(?:not|isn't|wasn't|aren't|nor)|不是|并非)\s*$", _I)
_THRESHOLD_AFTER = re.compile(r"^\s*(?:threshold|limit|mark|cap|门槛|阈值|标准)", _I)
_THRESHOLD_BEFORE = words(r"(?:\b(?:thresholds?|limits?|caps?)\b[^,.;]{0,15}|(?:门槛|阈值|标准)[^，。,.]{0,4})$")
_AGE_BEFORE = words(r"\b(?:under|aged?|over|below)(?: the age of)?\s*$", _I)
_MORE_AFTER = words(r"^\s*(?:\+|plus\b|多|余)")

_PEOPLE_AFTER_EN = words(
    rf"^(?:\s*|-)(?:\+|plus|more|odd)?\s*(?:个|名|位)?\s*(?:(?:of|among) (?P<them>them|these|those|whom)\b|"
    rf"(?:(?:of (?:our|the|their|its|these|those)|[a-z][\w'-]*)\s+){{0,3}}?(?P<noun>{PEOPLE_EN})\b)",
    _I,
)
_PEOPLE_BEFORE_EN = words(
    rf"\b(?P<noun>{PEOPLE_EN})(?:'s?)?\s*(?:(?:is|are|was|were|:|=|totals?|totall?ing|number(?:s|ing)?|stands at|"
    r"amounts? to|comes? to|about|around|approximately|roughly|~)\s*)+$",
    _I,
)
_VERB_BEFORE_EN = words(
    r"\b(?:sent|send|sending|sends|transfer(?:red|ring|s)?|shar(?:ed|e|es|ing)|export(?:ed|ing|s)?|"
    r"provid(?:ed|e|es|ing)|mov(?:ed|e|es|ing)|upload(?:ed|ing|s)?|another|additional|further|extra)\s*$"
    r"|\b(?:it|that|this|the (?:number|count|total|figure))(?:'s| is| was| will be| would be)\s*$",
    _I,
)
_CLASSIFIER_ZH = re.compile(r"^\s*(?:多|余|来)?(?:名|位(?!数)|例|个?人(?!民币|工))")
_NOUN_AFTER_ZH = re.compile(rf"^\s*(?:多|余|来)?(?:名|位|个)?[^\W\d和与及或的]{{0,4}}?(?P<noun>{PEOPLE_ZH})")
_NOUN_BEFORE_ZH = re.compile(
    rf"(?P<noun>{PEOPLE_ZH})(?:的)?(?:(?:人数|数量|规模|总数|数)\s*(?:约为|大约|约|为|是|达到|达|共|有|合计|累计|:)*|"
    r"(?:约为|大约|约|为|是|达到|达|共|有|合计|累计|:)+)\s*$"
)
_VERB_BEFORE_ZH = re.compile(
    r"(?:传|传了|传过|传输了?|发送了?|发了|提供了?|出境了?|导出了?|累计|另外|另|新增|追加|再|又|"
    r"(?:其实|实际上?|应该|总共|一共|大概|大约)是)(?:了)?\s*$"
)
_STANDALONE_AFTER = words(
    r"^\s*(?:左右|多|余|\+)?\s*(?:$|[,.;:!?)\]。、]|(?:now|instead|in total|total|this year|then|please|rather)\b)"
)
_TRANSFER_VERB = words(
    r"\b(?:send|sent|sending|transfer\w*|shar(?:e|ed|es|ing)|export\w*|provid\w+|upload\w*|move|moving|abroad|"
    r"overseas)\b|传|出境|提供|发送|导出|共享"
)

_SUBSET = words(r"其中(?:有|的)?\s*$|\b(?:of|among) whom\s*$", _I)
_PRIOR = words(
    r"\b(?:already|so far|to date|previously|earlier this year|up to now|year[\s-]to[\s-]date|have sent|had sent|"
    r"has sent)\b|已经|已|累计|此前|之前|迄今|目前为止|截至",
    _I,
)
_PRIOR_AFTER = words(r"^[^,.;，。；]{0,25}?\b(?:so far|to date|already)\b", _I)
_ADDITIONAL = words(
    r"(?:\b(?:another|an additional|additional|a further|further|extra|plus)\b[^,.;]{0,12}|"
    r"(?:再|又|另外|另|新增|追加)[\u4e00-\u9fff]{0,3})$",
    _I,
)
_CURRENT = words(r"\b(?:now|this time|this transfer|planned|plan to|will)\b|本次|这次|此次|现在|拟", _I)


_RANGE_GAP = words(r"\s*(?:到|至|~|-|–|—|to|and)\s*")
_RANGE_BEFORE = words(r"(?:\bbetween\b|\bfrom\b|介于|在|从)[^,.;:，。；：]{0,12}$")
_UNKNOWN_AMOUNT = words(
    r"\b(?:(?:i|we) (?:don't|do not) know (?:exactly )?how many|not sure how many|no idea how many|"
    r"an unknown (?:number|amount)|(?:i|we) (?:don't|do not) know the (?:number|count))\b|"
    r"多少人?(?:我|我们)?(?:也)?(?:不清楚|不知道|不确定|记不清)|(?:不清楚|不知道|不确定)(?:有|是)?多少|(?:数量|人数)不详"
)
_EARLIER = words(
    r"\b(?:earlier|previously|already|before|so far|last (?:month|quarter))\b"
    r"|之前|此前|早些时候|已经|以前|发过|传过|提供过"
)
_SENTENCES = re.compile(r"[^.!?。！？;；\n]+")

MAX_NUMBERS = 200
"""Numbers read per message; a question states a handful, and this bounds the work on pathological input."""


@dataclass(frozen=True)
class Count:
    """A number read as a count of individuals (or, when not `attached`, a bare number that might be one)."""

    value: int
    start: int
    end: int
    text: str
    role: Role = "plain"
    attached: bool = True
    qualifier: Qualifier = ""
    standalone: bool = False
    transfer: bool = False
    uncertain: bool = False


def _strip_qualifiers(before: str) -> tuple[str, Qualifier]:
    """Remove "about", "more than", "超过"... just before a number; the bound they set, if any."""
    qualifier: Qualifier = ""
    while True:
        for pattern, kind in ((_MORE_BEFORE, "more than"), (_LESS_BEFORE, "less than"), (_PLAIN_BEFORE, "")):
            m = pattern.search(before)
            if m:
                before = before[: m.start()]
                if kind and not qualifier:
                    qualifier = "more than" if kind == "more than" else "less than"
                break
        else:
            return before, qualifier


def _attachment(text: str, n: Number, before: str) -> tuple[bool, int]:
    """Whether the number is tied to people or a transfer, and where its phrase ends."""
    after = text[n.end : n.end + 80]
    for pattern in (_PEOPLE_AFTER_EN, _CLASSIFIER_ZH, _NOUN_AFTER_ZH):
        m = pattern.match(after)
        if m and not (pattern is _NOUN_AFTER_ZH and n.chinese_only and n.value < 10):
            if pattern is _PEOPLE_AFTER_EN and n.chinese_only and n.value < 10:
                continue
            return True, n.end + m.end()
    if n.chinese_only and n.value < 10:
        return False, n.end
    for pattern in (_PEOPLE_BEFORE_EN, _NOUN_BEFORE_ZH, _VERB_BEFORE_EN, _VERB_BEFORE_ZH):
        if pattern.search(before):
            return True, n.end
    if re.match(r"^\s*more\b", after, _I):
        return True, n.end
    return False, n.end


def _role(text: str, n: Number, before: str) -> Role:
    """How the count relates to others: a subset, this year's earlier transfers, an addition, this transfer."""
    clause_start, clause_end = clause_bounds(text, n.start)
    window = text[max(clause_start, n.start - 40) : n.start]
    after = text[n.end : clause_end]
    if _SUBSET.search(before) or re.match(r"^\s*(?:of|among) (?:them|these|those)\b", after, _I):
        return "subset"
    if _PRIOR.search(window) or _PRIOR_AFTER.match(after):
        return "prior"
    if _ADDITIONAL.search(before) or re.match(r"^\s*more\b", after, _I):
        return "additional"
    if _CURRENT.search(window):
        return "current"
    return "plain"


def _ranges(text: str, numbers: list[Number]) -> set[int]:
    """The starts of numbers that are an end of a range ("5万到15万之间", "between 50k and 150k")."""
    starts: set[int] = set()
    for a, b in pairwise(numbers):
        gap = text[a.end : b.start]
        if not _RANGE_GAP.fullmatch(gap):
            continue
        word = gap.strip().lower()
        if word in ("to", "and") and not _RANGE_BEFORE.search(text[max(0, a.start - 30) : a.start]):
            continue  # "40,000 and 2,000 of them": two counts, not a range
        if word == "-" and min(a.value, b.value) < 10:
            continue  # 1-10月
        starts.update((a.start, b.start))
    return starts


def unknown_earlier(text: str) -> str | None:
    """Words saying that earlier transfers this year were of an unknown size ("I don't know how many")."""
    for sentence in _SENTENCES.finditer(text):
        amount = _UNKNOWN_AMOUNT.search(sentence.group(0))
        if amount and _EARLIER.search(sentence.group(0)):
            return sentence.group(0).strip()
    return None


def find_counts(text: str, skip: list[tuple[int, int]] | None = None) -> list[Count]:
    """Every number that can be a count of individuals, with `attached` telling how sure it is."""
    out: list[Count] = []
    numbers = find_numbers(text)[:MAX_NUMBERS]
    ranged = _ranges(text, numbers)
    for n in numbers:
        if any(s <= n.start < e for s, e in skip or []):
            continue
        raw_before = text[max(0, n.start - 60) : n.start]
        if _BLOCK_BEFORE.search(raw_before) or _BLOCK_AFTER_EN.match(text[n.end : n.end + 80]):
            continue
        before, qualifier = _strip_qualifiers(raw_before)
        unit = _BLOCK_AFTER_ZH.match(text[n.end : n.end + 80])
        if unit and not (unit.group(0).strip() == "条" and _VERB_BEFORE_ZH.search(before)):
            continue  # 3年, 5家 and 2个月 are not people; 再传5万条 (records) after a transfer verb is
        if _NOT_BEFORE.search(before):
            if qualifier != "more than":
                continue  # "not 40,000 but 60,000": the person set this number aside
            qualifier = ""  # "not more than N" is at most N
        plain_year = re.fullmatch(r"(?:19|20)\d{2}", n.text) is not None
        attached, end = _attachment(text, n, before)
        if plain_year and (_YEAR_BEFORE.search(before) or end == n.end):
            continue
        if (
            _THRESHOLD_AFTER.match(text[end : end + 20])
            or _THRESHOLD_BEFORE.search(before)
            or (n.value <= 18 and _AGE_BEFORE.search(raw_before))
        ):
            continue
        if not attached and n.chinese_only and n.value < 10:
            continue
        value = n.value
        if qualifier == "more than" or (_MORE_AFTER.match(text[n.end : n.end + 80]) and not qualifier):
            qualifier, value = "more than", value + 1
        elif qualifier == "less than":
            value = max(0, value - 1)
        start, stop = clause_bounds(text, n.start)
        standalone = bool(_STANDALONE_AFTER.match(text[n.end : n.end + 80]))
        transfer = bool(_TRANSFER_VERB.search(text[start:stop]))
        role = _role(text, n, before)
        uncertain = n.start in ranged
        out.append(
            Count(value, n.start, end, text[n.start : end], role, attached, qualifier, standalone, transfer, uncertain)
        )
    return out


def total(counts: list[Count]) -> tuple[int, str, bool]:
    """One count from several: a sum when cumulative, else the largest; and whether it adds to an earlier turn."""
    main = [c for c in counts if c.role != "subset"] or counts
    roles = {c.role for c in main}
    shown = " + ".join(f"{c.value:,}" for c in main)
    if "prior" in roles or ("additional" in roles and len(main) > 1):
        value = sum(c.value for c in main)
        return value, f"{shown} = {value:,} (cumulative this year)", False
    if roles == {"additional"}:
        return main[0].value, f"another {main[0].value:,}", True
    moving = [c for c in counts if c.transfer]
    if moving and len(moving) < len(counts):
        # "we have 100,000 customers and will send 40,000 of them": the count that goes abroad
        main = [c for c in moving if c.role != "subset"] or moving
    value = max(c.value for c in main)
    if len({c.value for c in main}) > 1:
        shown = ", ".join(f"{c.value:,}" for c in main)
        return value, f"several counts stated ({shown}); the largest is used", False
    return value, "", False
