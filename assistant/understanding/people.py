"""How many people: the counts of one message read the way Provisions arts 7-8 count.

Arts 7-8 count the individuals whose information is sent abroad "自当年1月1日起累计" (since 1 January of the
transfer's year), sensitive and non-sensitive separately. So this reading:

- drops counts of another year ("last year we sent 200k") and adds this year's batches (spring + autumn);
- takes a sub-group as part of its group ("80,000 users, 3,000 of them children": 3,000 sensitive, 77,000 not)
  and adds separate groups ("5,000 employees and 20,000 customers");
- counts records, orders, accounts and companies as no people ("6万条记录"), unless a person noun governs them
  ("the legal representatives of 1,200 companies");
- takes an approximate number ("about 40,000") as stated, with a note, and an exact one exactly;
- sends each group to the sensitive or the non-sensitive count by the data kinds stated next to it, counting a
  person once (sensitive first).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from ..facts import COUNT_FACTS, SENSITIVE_KINDS, Facts
from .counts import MINOR_NOUNS, Count, YearRef, find_counts, sentence_bounds, unknown_batch
from .dates import DateMention, dates_a_procedure_or_rule, find_dates, of_an_earlier_batch, reading_day
from .kinds import NO_PERSONAL_INFO, NO_SENSITIVE_INFO, read_kinds
from .persons import PEOPLE_EN, PEOPLE_ZH
from .text import CJK, CLAUSE_BREAK, words
from .turn import Turn

_MISTAKEN = (
    r"\b(?:correction|to correct|misread|typo|my bad|i misspoke|i meant|i mean)\b|[,，]?\s*\bnot\s+\d"
    r"|不是\s*[\d一二三四五六七八九十两]|不对|更正|纠正|应该是|说错了?|看错了?|写错了?|打错了?|搞错了?|改为"
)
MISTAKEN = words(_MISTAKEN, re.IGNORECASE)
"""Words that say an earlier figure was wrong: a number said with them replaces it, even as "new" people."""
CORRECTION = words(
    _MISTAKEN + r"|\b(?:actually|sorry|rather|instead|update|in fact|wait)\b|其实|实际上|抱歉|准确地说|不好意思",
    re.IGNORECASE,
)
"""Words of a correction, or of a figure made more precise ("actually", "其实"): a bare number with them replaces the
earlier count."""
HYPOTHETICAL = words(r"\b(?:what if|if it'?s|if it is|if we|suppose|assuming)\b|如果|假如|要是|假设", re.IGNORECASE)
_SEPARATE = words(r"\b(?:and|plus|as well as|also|another|besides)\b|和|与|及|以及|另有|还有|另外|外加|加上")
"""Words joining two groups of people as separate ones ("5,000 adults and 2,000 children")."""
_GENERIC_NOUNS = frozenset({"people", "person", "individual", "人", "个人", "人次", "representative", "minor"})
"""Person nouns that name no group of their own (they can be anyone's)."""

_ENUMERATION = words(
    r"(?:^|[\s,;:，；：、])(?:\(?(?:2|3|4|ii|iii|b|c)\)|②|③|(?:二|三|四)是|其[二三四]|第[二三四](?:批|类|组|部分)?[，,：:]?"
    r"|second(?:ly)?\b|third(?:ly)?\b|另一(?:批|类|组))",
    re.IGNORECASE,
)
"""A list marker before a later count ("(2)", "二是", "第二批", "secondly"): the counts are items of a list, separate
groups that add up, not several statements of one number."""

MINOR_KIND = "minor_under_14"
SENSITIVE = "sensitive_info_count"
OTHER = "personal_info_count"


def current_year() -> int:
    """The calendar year of the day messages are read on (the understanding layer has no clock of its own)."""
    return reading_day().year


@dataclass
class Group:
    """A group of people: its main count, the sub-groups stated within it, and whether its data is sensitive."""

    main: Count
    parts: list[Count] = field(default_factory=list)
    sensitive: bool = False
    sensitive_parts: int = 0


@dataclass
class Tally:
    """The people counted in one message: sensitive and not, how they were added, and what adds to earlier turns."""

    values: dict[str, int] = field(default_factory=dict)
    phrases: dict[str, list[str]] = field(default_factory=dict)
    how: dict[str, str] = field(default_factory=dict)
    approximate: dict[str, bool] = field(default_factory=dict)
    spread: dict[str, int] = field(default_factory=dict)
    """How far below each total its lowest reading lies, from counts given as a range."""
    qualifiers: dict[str, set[str]] = field(default_factory=dict)
    shared: dict[str, int] = field(default_factory=dict)
    """How many people the added groups may share at most, when they share some and nobody knows how many."""
    overlap_unknown: bool = False
    adds: bool = False
    parts_only: bool = False

    def add(self, name: str, value: int, count: Count) -> None:
        """Add `value` people of `count` to the count `name`."""
        self.values[name] = self.values.get(name, 0) + value
        self.phrases.setdefault(name, []).append(count.text)
        self.approximate[name] = self.approximate.get(name, False) or count.approximate
        if count.low is not None and count.value:
            share = round((count.value - count.low) * value / count.value)  # a part of a range is a range too
            self.spread[name] = self.spread.get(name, 0) + share
        if count.qualifier:
            self.qualifiers.setdefault(name, set()).add(count.qualifier)


def counting_year(dates: list[DateMention], base: Facts) -> int:
    """The year arts 7-8 count in: the transfer date's year (this message's, else an earlier turn's), else now."""
    if dates:
        return dates[-1].value.year
    if base.transfer_date is not None:
        return base.transfer_date.year
    return current_year()


def resolve_year(ref: YearRef | None, year: int) -> int | None:
    """The calendar year a count belongs to: a year named, one said against the day of reading ("last year",
    "明年"), or the transfer's own `year` ("now", "本次"); None when it is not said."""
    if ref is None:
        return None
    kind, value = ref
    return {"year": value, "relative": current_year() + value, "current": year}[kind]


def regions(text: str, counts: list[Count]) -> list[tuple[int, int]]:
    """The text each count owns for its data kinds: its sentence, split between neighbours at a clause break; what
    leads up to a sub-group is the sub-group's ("9万人里不满14周岁的6000人")."""
    spans: list[tuple[int, int]] = []
    for i, count in enumerate(counts):
        start, end = sentence_bounds(text, count.start)
        if i > 0 and counts[i - 1].end > start:
            start = counts[i - 1].end if count.role == "subset" else _split(text, counts[i - 1].end, count.start)
        if i + 1 < len(counts) and counts[i + 1].start < end:
            later = counts[i + 1]
            end = count.end if later.role == "subset" else _split(text, count.end, later.start)
        spans.append((start, max(start, end)))
    return spans


def _split(text: str, left: int, right: int) -> int:
    """Where the text between two counts changes hands: after its last clause break, else at the second count."""
    breaks = list(CLAUSE_BREAK.finditer(text, left, right))
    return breaks[-1].start() if breaks else right


def _sensitivity(text: str, counts: list[Count], kinds: list[str], adults: frozenset[int] = frozenset()) -> list[bool]:
    """Whether each count's people have sensitive data: the kinds next to it, and the kinds no other count owns.

    The counts starting at `adults` are wholes whose children are counted apart ("9万人里不满14岁的6000人"): the
    children's age makes only the sub-group sensitive.
    """
    if len(counts) == 1:
        return [any(k in SENSITIVE_KINDS for k in kinds)]  # a lone count owns every kind stated
    owned = [set(read_kinds(text[s:e]).stated) for s, e in regions(text, counts)]
    for i in range(1, len(counts)):
        if not owned[i] and _same_data(counts[i - 1], counts[i]):
            owned[i] = set(owned[i - 1])  # "6,000 clients' claim files in spring, 5,000 more in December"
    for i, count in enumerate(counts):
        same = next((owned[j] for j, c in enumerate(counts) if owned[j] and c.value == count.value), None)
        if not owned[i] and same:
            owned[i] = set(same)  # the same number said again without its data ("so we plan for 4,600") is them
    children = [c.noun in MINOR_NOUNS for c in counts]
    out = []
    for i, own in enumerate(owned):
        others = set().union(*(o for j, o in enumerate(owned) if j != i))
        shared = {k for k in kinds if k not in others}
        grown_up = counts[i].noun in _GROWN_UPS
        if grown_up and any(children):
            shared -= set(SENSITIVE_KINDS)  # 60 pupils and 95 parents: the sensitive data named is the pupils'
        mine = (own | shared) - ({MINOR_KIND} if counts[i].start in adults or grown_up else set())
        out.append(any(k in SENSITIVE_KINDS for k in mine))
    return out


_GROWN_UPS = frozenset(
    {"parent", "parents", "guardian", "guardians", "teacher", "teachers", "staff", "employee", "employees",
     "家长", "父母", "监护人", "老师", "教师", "员工", "职工"}
)  # fmt: skip
"""People named beside a group of children who are adults themselves (parents, teachers)."""


def _total_with_sensitive_parts(text: str, total: Count, parts: list[Count], kinds: list[str]) -> Tally:
    """A total said after the groups that make it up ("写了过敏史的约500人，一共1.2万名学员"): the parts with sensitive
    data are the sensitive count, the rest of the total the others (or the whole total, by its own data)."""
    flags = _sensitivity(text, [*parts, total], kinds)
    tally = Tally()
    sensitive = [c for c, flagged in zip(parts, flags, strict=False) if flagged]
    if flags[-1] or not sensitive:
        tally.add(SENSITIVE if flags[-1] else OTHER, total.value, total)
        return tally
    for count in sensitive:
        tally.add(SENSITIVE, count.value, count)
    counted = tally.values[SENSITIVE] = min(tally.values[SENSITIVE], total.value)
    tally.add(OTHER, total.value - counted, total)
    tally.how[OTHER] = f"{total.value:,} in total − {counted:,} with sensitive data, counted once"
    return tally


def _same_data(earlier: Count, later: Count) -> bool:
    """Whether a count that names no data of its own is another batch of the data of the count before it: the same
    kind of people, or a batch or an addition."""
    same_people = bool(later.noun and later.noun == earlier.noun and later.noun not in _GENERIC_NOUNS)
    return same_people or later.role in ("prior", "additional") or bool(later.batch)


def _implied_part(text: str, count: Count, group: Group | None) -> bool:
    """A group of children right after a larger group, another sub-group right after one, or a smaller number of
    the same people qualified by sensitive data, in the same sentence or the next, not joined by "and": a part of it
    ("8万用户，3000名儿童", "80k players. Around 2k are under 14.", "会员7万，有4500人登记了身份证号")."""
    if group is None or count.value >= group.main.value:
        return False
    sibling = bool(group.parts) and group.parts[-1].role == "subset"  # "9万人里：儿童6000人，14到18岁1.5万人"
    qualified = count.role == "plain" and _qualified_by_sensitive_data(text, group.main, count)
    if count.noun not in MINOR_NOUNS and count.noun != "minor" and not sibling and not qualified:
        return False
    previous = group.parts[-1] if group.parts else group.main
    here, there = sentence_bounds(text, previous.start), sentence_bounds(text, count.start)
    if here != there and not (qualified and there[0] <= here[1] + 2):
        return False
    return not _SEPARATE.search(text[previous.end : count.start])


def _qualified_by_sensitive_data(text: str, main: Count, part: Count) -> bool:
    """Whether the words around a smaller count, after the main count, name sensitive data that the main count's own
    words do not ("Around 2k are under 14", "14岁以下的大概3000人", "有4500人登记了身份证号")."""
    start = max(main.end, _clause_start(text, part.start))
    after = CLAUSE_BREAK.search(text, part.end, part.end + AGE_AFTER)
    end = after.start() if after else min(len(text), part.end + AGE_AFTER)
    near = read_kinds(text[start:end]).stated
    own = read_kinds(text[sentence_bounds(text, main.start)[0] : main.end]).stated
    return any(k in SENSITIVE_KINDS and k not in own for k in near)


def _clause_start(text: str, at: int) -> int:
    """Where the clause holding `at` starts (after the last clause break before it)."""
    found = [m.end() for m in CLAUSE_BREAK.finditer(text, max(0, at - AGE_AFTER), at)]
    return found[-1] if found else max(0, at - AGE_AFTER)


def _groups(text: str, counts: list[Count]) -> list[Group]:
    """Counts arranged as groups with their sub-groups (a sub-group belongs to the group before it)."""
    groups: list[Group] = []
    for count in counts:
        group = groups[-1] if groups else None
        if group is not None and (count.role == "subset" or _implied_part(text, count, group)):
            group.parts.append(count)
        else:
            groups.append(Group(count))
    return groups


def _children(text: str, main: Count, part: Count) -> bool:
    """Whether a sub-group is the whole's children: by its noun, or by the age said between the two or right after
    the sub-group, in its clause ("40,000 learners, of whom some 2,500 are aged under 14")."""
    after = CLAUSE_BREAK.search(text, part.end, part.end + AGE_AFTER)
    end = after.start() if after else min(len(text), part.end + AGE_AFTER)
    return part.noun in MINOR_NOUNS or part.noun == "minor" or MINOR_KIND in read_kinds(text[main.end : end]).stated


AGE_AFTER = 40
"""How far after a sub-group its age may be said ("of whom 2,500 are aged under 14")."""


_REVISED = words(
    r"(?:\b(?:now|currently|final(?:ly)?|in the end|after (?:de-?dup\w*|re-?count\w*|checking|cleaning)|"
    r"re-?counted|the real (?:number|count) is|down to)\b|现在(?:是|有|只有|还剩)?|目前(?:是|有)?|最终(?:是|确定)?|"
    r"最后(?:是|确定)?|"
    r"去重(?:以?后|之后)|核对(?:以?后|之后)|实际(?:是|只有)|只剩(?:下)?)[^.;。；!?！？\d]{0,12}$"
)
"""Words before a count that revise an earlier one of the same people ("now it's 3,100", "去重后9万")."""

_SAME_PEOPLE_EN = (
    r"(?:overlap\w*|(?:the )?same (?:people|persons|ones|individuals|\w+s)\b|duplicat\w+|double[- ]counted"
    r"|(?:also|already) (?:in|on|among|part of|included)\b|in both\b)"
)
_SAME_PEOPLE_ZH = r"(?:重叠|重合|重复|同一批人|同一拨人|同一些人|两边都有|两批都有|既在[^。；;！？]{1,10}也在)"
_UNSURE = (
    r"(?:not sure|unsure|unknown|unclear|no idea|nobody knows|no one knows|(?:do not|don't|doesn't|can't|cannot) "
    r"(?:know|tell|say)|not (?:yet )?(?:de-?dup\w*|checked|counted)|haven't (?:de-?dup\w*|checked|counted))"
)
_OVERLAP_UNKNOWN = words(
    rf"\b(?:may|might|could|probably|possibly|likely)\b[^.;!?]{{0,12}}?\b{_SAME_PEOPLE_EN}"
    rf"|\b{_SAME_PEOPLE_EN}[^.;!?]{{0,50}}?\b{_UNSURE}|\b{_UNSURE}[^.;!?]{{0,30}}?\b{_SAME_PEOPLE_EN}"
    rf"|(?:可能|也许|或许|估计)[^。；;！？]{{0,6}}?{_SAME_PEOPLE_ZH}"
    rf"|{_SAME_PEOPLE_ZH}[^。；;！？]{{0,20}}?(?:不确定|不清楚|不知道|说不准|没法确定|没去重|还没去重|未去重|没核对|待核实)"
    rf"|(?:不确定|不清楚|不知道|说不准)[^。；;！？]{{0,12}}?{_SAME_PEOPLE_ZH}",
    re.IGNORECASE,
)
"""Groups said to share people in a number nobody knows ("some are the same patients, nobody knows how many",
"两批可能有重叠"): their total is a range, from the largest group alone to the sum."""


def _combine(text: str, groups: list[Group], kinds: list[str]) -> Tally:
    """The sensitive and non-sensitive totals of the groups: batches and separate groups add, alternatives do not."""
    counts = [c for g in groups for c in (g.main, *g.parts)]
    adults = frozenset(g.main.start for g in groups if any(_children(text, g.main, p) for p in g.parts))
    flags = dict(zip((c.start for c in counts), _sensitivity(text, counts, kinds, adults), strict=True))
    for group in groups:
        group.sensitive = flags[group.main.start]
        parts = sum(p.value for p in group.parts if flags[p.start])
        group.sensitive_parts = min(parts, group.main.value)
    tally = Tally(overlap_unknown=_OVERLAP_UNKNOWN.search(text) is not None)
    mains = [g.main for g in groups]
    roles = {c.role for c in mains}
    batches = {c.batch for c in mains if c.batch}
    nouns = [c.noun for c in mains]
    specific = all(n is not None and n not in _GENERIC_NOUNS for n in nouns) and len(set(nouns)) == len(nouns)
    kinds_differ = len({g.sensitive for g in groups}) > 1
    separate = kinds_differ or any(_ENUMERATION.search(text[a.end : b.start]) for a, b in pairwise(mains))
    if len(groups) == 1 and mains[0].role == "subset":
        tally.parts_only = True
    if len(groups) > 1 and not ({"prior", "additional"} & roles or len(batches) > 1 or specific or separate):
        values = {c.value for c in mains}
        largest = max(groups, key=lambda g: (g.main.value, len(g.parts)))  # the same number again, with its parts
        revised = [g for g in groups[1:] if _REVISED.search(text, max(0, g.main.start - 24), g.main.start)]
        if revised and len(values) > 1:
            largest = revised[-1]  # "3,600 signed up, some dropped out, now it is 3,100"
            tally.how[SENSITIVE if largest.sensitive else OTHER] = (
                f"{largest.main.value:,} revises the earlier count ({mains[0].value:,})"
            )
        elif len(values) > 1:
            shown = ", ".join(f"{c.value:,}" for c in mains)
            field_name = SENSITIVE if largest.sensitive else OTHER
            tally.how[field_name] = f"several counts stated ({shown}); the largest is used"
        groups = [largest]
    elif len(groups) > 1:
        why = "cumulative this year" if {"prior", "additional"} & roles or len(batches) > 1 else "separate groups"
        for name in (SENSITIVE, OTHER):
            chosen = [g.main for g in groups if (g.sensitive if name == SENSITIVE else not g.sensitive)]
            if len(chosen) > 1:
                tally.how[name] = " + ".join(f"{c.value:,}" for c in chosen) + f" = {{total}} ({why})"
                if tally.overlap_unknown:
                    tally.shared[name] = sum(c.value for c in chosen) - max(c.value for c in chosen)
    elif roles == {"additional"}:
        tally.adds = True
    for group in groups:
        main = group.main
        if group.sensitive:
            tally.add(SENSITIVE, main.value, main)
            continue
        tally.add(OTHER, main.value - group.sensitive_parts, main)
        for part in group.parts:
            if flags[part.start]:
                tally.add(SENSITIVE, min(part.value, main.value), part)
        if group.sensitive_parts:
            note = f"{main.value:,} − {group.sensitive_parts:,} with sensitive data, counted once"
            tally.how[OTHER] = "; ".join(x for x in (tally.how.get(OTHER), note) if x)
    for name, how in tally.how.items():
        if name in tally.values:
            tally.how[name] = how.replace("{total}", f"{tally.values[name]:,}")
    return tally


_COUNT_FOLLOWS_EN = r"[^.;!?]*?\d++(?![\d.,]*\s*(?:years?\b|yrs?\b|-year))"
_COUNT_FOLLOWS_ZH = r"[^。；！？]*?\d++(?![\d.,]*\s*周?岁)"
"""A number said after an unknown part, that is not an age: the part's count, read as such."""
_SOME_UNCOUNTED = words(
    r"\b(?:some|a few|part|several) of (?:them|the \w+|these|those)\b[^.;!?]{0,80}?"
    r"\b(?:not sure|unsure|unknown|don't know|no idea|no count)\b"
    r"|(?:部分|有些|一些|少数|个别)[^。；;！？]{0,30}?(?:不清楚|不知道|不确定|说不准|没统计|未统计)"
    r"|\b(?:for|of|from) (?:some|a few|part|several|a handful) of (?:them|these|those|the \w+|us)\b"
    r"|\b(?:some|a few|several|a handful of|part of the) (?:ppl|people|persons|members|users|customers|clients|"
    r"staff|employees|patients|guests|players|students)\b"
    r"|(?:其中|里面)?(?:有)?(?:一部分|部分|少部分|有些|个别)(?:人|员工|用户|客户|患者|会员)"
    # "some of them are primary-school kids", "a few of whom gave us health info", "里面有一部分是小学生"
    r"|\b(?:some|a few|a handful|several|a number|part|a minority|a small number|a fraction) of (?:them|whom|these|"
    rf"those|which)\b(?!{_COUNT_FOLLOWS_EN})"
    rf"|(?<![这那大])(?:一部分|部分|少部分|小部分|少量|少数)(?:是|为|的)?(?:\d+\s*周?岁(?:以下|以上)?的?)?"
    rf"[^，。；？！\d含带有]{{0,2}}?(?:未成年人?|{PEOPLE_ZH})(?!{_COUNT_FOLLOWS_ZH})"
    rf"|(?<!\d\s)\b(?:for|of|from) (?:the|those) (?:(?!are\b|were\b|is\b)[\w-]+ ){{0,2}}?(?:{PEOPLE_EN}) (?:who|that)\b"
    r"|的(?:那些|那部分|那批)(?:人|员工|用户|客户|患者|会员|玩家|学生)"
    r"|有多少[^。；;！？]{0,6}?(?:不清楚|不知道|不确定|说不准|没统计|未统计|还在查|在核实|没数)"
    r"|\b(?:(?:do not|don't|didn't|not) know|no idea|not sure|unsure) how many\b"
    r"|\bhow many (?:of them )?(?:are|have|were)\b[^.;!?]{0,40}?\b(?:unknown|not known|not counted|unclear|is open)\b"
)
"""Some of the people have the sensitive data, and how many is not known ("some filled in ID numbers, we
don't know how many", "medical notes for a few of them", "部分员工有体检报告"): the sensitive count is then
unknown, not everyone (a number given for the part is read as that part's count before this applies)."""


def _of_sensitive_data(text: str, part: re.Match[str]) -> bool:
    """Whether the sentence of an unknown part speaks of sensitive data or of not knowing how many ("some customers
    have two accounts" says nothing of which data is sensitive, nor "several patients have two cases": the people
    named are not their data)."""
    start, stop = sentence_bounds(text, part.start())
    sentence = _PEOPLE.sub(" ", text[start : part.end()]) + text[part.end() : stop]
    said = read_kinds(sentence).stated
    return any(k in SENSITIVE_KINDS for k in said) or _UNKNOWN_HOW_MANY.search(sentence) is not None


_PEOPLE = words(rf"\b(?:{PEOPLE_EN})\b|{PEOPLE_ZH}")
_UNKNOWN_HOW_MANY = words(
    r"\b(?:not sure|unsure|unknown|don't know|no idea|no count|how many)\b"
    r"|不清楚|不知道|不确定|说不准|没统计|未统计|多少"
)


def _some_of_them(text: str, turn: Turn, set_now: set[str]) -> None:
    """A sensitive count that took the whole group when only an unknown part of it has the sensitive data."""
    whole = turn.values[SENSITIVE]
    if SENSITIVE in set_now and whole and any(_of_sensitive_data(text, m) for m in _SOME_UNCOUNTED.finditer(text)):
        others = turn.values[OTHER] or 0
        turn.set(OTHER, others + whole, "everyone concerned, some of them with sensitive data")
        turn.set(SENSITIVE, None, "only some of them have sensitive data, and how many is not known")


_PICK = re.compile(
    r"[(（]?[1-9][)）.。]?"
    r"|(?:(?:ok|okay|yes|so)[, ]+)?(?:the )?(?:first|second|third|fourth|fifth|last) (?:one|option|choice)[.!]?"
    r"|(?:选)?第[一二三四五1-5](?:个|项|种)?(?:吧|。)?",
    re.IGNORECASE,
)
"""A lone digit is the pick of an option, never a new count ("1" does not make 20,000 people one)."""


def read_counts(text: str, turn: Turn, kinds: list[str], other_personal: bool, maybe: Sequence[str] = ()) -> None:
    """People counts: by kind (sensitive or not), this year's only, cumulative sums, corrections, derived zeros."""
    dates = find_dates(text)
    counts = find_counts(text, [(d.start, d.end) for d in dates])
    for count in counts:
        if count.uncertain and count.attached:
            turn.notes.append(f"count: {count.text} is one end of a range; the count is left unknown")
        elif count.records and not count.uncertain:
            turn.notes.append(f"count: {count.text} counts records or companies, not people; no count of people set")
    records = [c for c in counts if c.records and not c.uncertain]
    counts = [c for c in counts if not c.uncertain and not c.records]
    # a sub-group of an attached count is of its people ("40,000 learners, of whom 2,500 are under 14")
    attached = [c for i, c in enumerate(counts) if c.attached or (c.role == "subset" and _after_attached(counts, i))]
    year = counting_year(
        [d for d in dates if not of_an_earlier_batch(d, text) and not dates_a_procedure_or_rule(text, d)], turn.base
    )
    said = {resolve_year(c.year, year) for c in counts if c.attached and c.year and c.year[0] == "relative"}
    ahead = {y for y in said if y is not None and y > current_year()}
    if not dates and turn.base.transfer_date is None and ahead and current_year() not in said:
        year = min(ahead)  # "明年要传60名交换生…": next year's transfer, counted in next year
    dated = turn.base.transfer_date
    # the earlier turns' counts were of their transfer's year, or of this one when they gave no date: a batch of
    # another year said now ("next month another 50k" in December, "明年1月再传5万") starts that year's count
    earlier_year = dated.year if dated is not None else current_year() if attached else None
    crossed = earlier_year is not None and earlier_year != year and bool(dates)
    if crossed and earlier_year is not None:
        for name in COUNT_FACTS:
            if turn.values[name] is not None:
                turn.set(name, None, f"the earlier count was of {earlier_year}; arts 7-8 count from 1 January {year}")
    largest = max((c.value for c in attached), default=0)
    totals = [c for c in counts if c.total and (c.attached or (attached and c.value > largest))]
    other_year = crossed or any(resolve_year(c.year, year) not in (None, year) for c in attached)
    if totals and crossed and len(attached) > len(totals):
        attached = [c for c in attached if c not in totals]  # "so that's 120k total" adds up two years
        turn.notes.append(f"count: {totals[-1].text} adds up more than one year; not counted")
    parts_before: list[Count] = []
    # a total said of this year ("今年累计是103,000人") sums this year's batches even beside last year's count
    this_years_total = bool(totals) and totals[-1].year is not None and resolve_year(totals[-1].year, year) == year
    if totals and attached != totals and (not other_year or (this_years_total and not crossed)):
        # "加上分院的9000人，一共1.5万": the total sums the batches, and the earlier ones, itself; its sub-groups stay
        parts_before = [c for c in attached if c.start < totals[-1].start and c.value < totals[-1].value]
        attached = [c for c in counts if c in totals or (c in attached and c.role == "subset")]
        turn.notes.append(f"count: {totals[-1].text} is the total, which the other counts make up")
    turn.counted = bool(attached)
    before = turn.base
    set_now: set[str] = set()
    if not attached and (before.sensitive_info_count or before.personal_info_count):
        short = len(text) <= 20 or (not CJK.search(text) and len(text.split()) <= 8)
        pick = _PICK.fullmatch(text.strip())  # "1", "the second one", "第二个": an option picked, not a count
        bare = [c for c in counts if not c.attached and c.standalone and not pick]
        more = [c for c in counts if not c.attached and c.role == "additional" and not pick]
        name = SENSITIVE if before.sensitive_info_count else OTHER
        if more and not HYPOTHETICAL.search(text) and not MISTAKEN.search(text):
            earlier = before.value(name) or 0  # "12月还要传一批，4.7万左右": another batch of the same people
            total = earlier + more[-1].value
            turn.set(name, total, f"{earlier:,} + {more[-1].text} = {total:,}, another batch added to the earlier one")
            set_now.add(name)
        elif bare and (CORRECTION.search(text) or HYPOTHETICAL.search(text) or short):
            turn.set(name, bare[-1].value, f"{bare[-1].text}: corrects the earlier count")
            set_now.add(name)
    this_year = []
    for count in attached:
        stated = resolve_year(count.year, year)
        if (
            stated is not None
            and stated != year
            and not (_described_by_this_year(count, stated, year) or _a_group_of_that_year(text, count))
        ):
            why = f"arts 7-8 count from 1 January of the transfer's year, {year}"
            turn.notes.append(f"count: {count.text} is of {stated}, not counted ({why})")
        else:
            this_year.append(count)
    exact = [c.value for c in this_year if not c.qualifier]
    bounds = [c for c in this_year if c.qualifier == "less than" and any(v <= c.value for v in exact)]
    for bound in bounds:  # "about 3,000 renters … fine since it's under 100k?": the bound the count keeps
        turn.notes.append(f"count: {bound.text} is a bound the other count keeps, not another count")
    this_year = [c for c in this_year if c not in bounds]
    repeated = [c for i, c in enumerate(this_year) if any(_same_group(c, b) for b in this_year[i + 1 :])]
    if repeated:  # "累计103,000人 … 今年人数按103,000人计": the same people said again, counted once, where said last
        turn.notes.append(f"count: {', '.join(c.text for c in repeated)} said again later; counted once")
        this_year = [c for c in this_year if c not in repeated]
    sent = [c for c in this_year if not c.population]
    parts = {p.start for g in _groups(text, this_year) for p in g.parts}  # "80k players. Around 2k are under 14."
    if any((c.role != "subset" and c.start not in parts) or c.transfer for c in sent) and len(sent) < len(this_year):
        this_year = sent  # "we have 3,000 staff and will send 20,000 customers' data": the count that is sent
    ordinary_too = any(k not in SENSITIVE_KINDS for k in kinds)  # some people may have only ordinary data
    if this_year and len(this_year) == 1 and this_year[0].total and parts_before and ordinary_too:
        _set_tally(turn, _total_with_sensitive_parts(text, this_year[0], parts_before, kinds), set_now, crossed)
    elif this_year:
        _set_tally(turn, _combine(text, _groups(text, this_year), kinds), set_now, crossed)
        _some_of_them(text, turn, set_now)
        if len(this_year) == 1 and _YEARS_TOGETHER.search(text, *sentence_bounds(text, this_year[0].start)):
            turn.notes.append(f"count: {this_year[0].text} adds up two years, so this year's is at most that")
            for name in sorted(set_now):  # "2025和2026两年加起来13万": this year's part is at most that
                _mark_at_most(turn, name)
    unknown = unknown_batch(text)
    if unknown is not None:
        names = set_now or {f for f in COUNT_FACTS if before.value(f)}
        why = f"another batch this year of unknown size ({unknown}): the year's total is unknown"
        for name in sorted(names or {OTHER}):
            turn.set(name, None, why)
        set_now |= names or {OTHER}
    if not set_now and len(records) == 1 and not (before.sensitive_info_count or before.personal_info_count):
        _at_most(text, turn, records[0], kinds, set_now)
    _others_left_out(text, turn, set_now)
    derive_counts(text, turn, kinds, set_now, other_personal, maybe)


_STUDENTS = words(r"\bstudents?\b|学生")
_AGE_KNOWN = words(
    r"\b(?:universit|college|undergrad|grad(?:uate)? (?:students?|school)|postgrad|ph\.?d|mba|master|adult|grown|"
    r"over (?:1[4-9]|2\d)|aged (?:1[4-9]|2\d)|1[4-9]\+|high[- ]school|secondary school|exchange|alumni|kids?|"
    r"child|minor|under (?:14|fourteen)|primary|elementary|kindergarten|pupils?)"
    r"|大学|高校|研究生|博士|硕士|本科|成年|高中|职业|留学|满1[4-8]|1[4-8]岁以上|考研|校友|儿童|孩子|小学|幼儿|未成年|不满14"
)
"""Words that say how old the students are (adults, a university, children): without them, some may be under 14
(learners and 学员 of a training course are taken as adults)."""


def _described_by_this_year(count: Count, stated: int, year: int) -> bool:
    """This year's people, sent in a transfer that falls next year ("今年注册的20万会员，下个月同步"): the year
    says who they are, not when they went abroad, so they count in the transfer's year. A batch sent this year
    ("this year we sent 60k") is still of this year."""
    return stated == current_year() < year and not count.transfer and count.role == "plain" and count.batch is None


_GROUP_OF_A_YEAR = words(
    r"(?:去年|前年|上一?届|\d{4}\s*年)[^，。；,;\d]{0,4}?(?:结课|结业|毕业|入学|入职|注册|报名|参加|参训|完课|离职)(?:的)?"
    r"|\b(?:enrolled|graduated|joined|registered|signed up|finished|completed|left)\b[^.;,!?\d]{0,12}"
    r"\b(?:last year|in (?:19|20)\d\d)\b"
    r"|\b(?:last year's|(?:19|20)\d\d) (?:cohort|class|intake|graduates|leavers|alumni)\b",
)
"""A group named by something its people did in an earlier year ("去年结课的那批", "the 2025 cohort"): the year says
who they are, not when their data went abroad."""


def _a_group_of_that_year(text: str, count: Count) -> bool:
    _, stop = sentence_bounds(text, count.start)  # the group may be named in the sentence before ("…那批呢？那批是…")
    found = _GROUP_OF_A_YEAR.search(text, max(0, count.start - 60), stop)
    return not count.transfer and count.role in ("plain", "current") and found is not None


_OTHERS_NOT_SENT = words(
    r"\b(?:the )?(?:rest|others|other (?:users|customers|people|members|ones))\b[^.;!?]{0,20}"
    r"\b(?:won't|will not|don't|do not|aren't|are not|no longer)\b[^.;!?]{0,10}\b(?:go|be sent|sent|included|shared)\b"
    r"|\bnobody else\b|\bno one else\b"
    r"|其[他余](?:人|用户|客户|会员|的人)?(?:的)?(?:数据|信息)?(?:都|就)?(?:不(?:传|发|给|提供|出境)|不用传|不再传)"
)
"""The people not counted now are no longer sent ("只传14岁以下那部分，其他人的不传了", "the rest won't go")."""


def _others_left_out(text: str, turn: Turn, set_now: set[str]) -> None:
    """A follow-up that counts one group and says the others no longer go: the other count is 0."""
    if not _OTHERS_NOT_SENT.search(text) or len(set_now) not in (1, 2):
        return
    # two counts set: the part said now and the rest of the earlier count, which is what no longer goes
    counted = next(iter(set_now)) if len(set_now) == 1 else SENSITIVE
    other = OTHER if counted == SENSITIVE else SENSITIVE
    if turn.values[other] and turn.values[counted]:
        turn.set(other, 0, f"only the {turn.values[counted]:,} counted now go; the others are not sent")
        set_now.add(other)


def _same_group(earlier: Count, later: Count) -> bool:
    """Whether a later count repeats an earlier one: the same number, not said as more, of the same or an unnamed
    noun."""
    return (
        later.value == earlier.value
        and later.value >= 100
        and later.role not in ("additional", "subset")
        and earlier.role != "subset"
        and (later.noun == earlier.noun or _unnamed(later.noun) or _unnamed(earlier.noun))
        and not (earlier.batch and later.batch and earlier.batch != later.batch)  # "3月3.2万，7月3.2万": two batches
    )


def _unnamed(noun: str | None) -> bool:
    """Whether a count's noun names no group of its own ("103,000人")."""
    return noun is None or noun in _GENERIC_NOUNS


def _after_attached(counts: list[Count], i: int) -> bool:
    """Whether the nearest count before the i-th that is not a sub-group is attached to its people."""
    whole = next((c for c in reversed(counts[:i]) if c.role != "subset"), None)
    return whole is not None and whole.attached


_ORGANISATIONS = words(
    r"^\S*\s*(?:[a-z-]+\s+)?(?:compan(?:y|ies)|suppliers?|vendors?|firms?|businesses|merchants?|entities|enterprises|"
    r"organi[sz]ations?|stores?|shops?)\b|^\S*?\s*(?:多|余)?(?:家|个(?:企业|公司|门店|商户))",
    re.IGNORECASE,
)
"""Companies, shops and other organisations: each may hold many people's data, so no bound on the people."""


_PER_PERIOD = words(
    r"\b(?:a|per|each|every)\s+(?:day|week|month|quarter)\b|\b(?:daily|weekly|monthly|quarterly)\b"
    r"|每(?:天|日|周|星期|月|个月|季度?)"
)
"""A rate ("200,000 rows a month", "每月8万条"): the year's records, and so its people, may be many times more."""


_YEARS_TOGETHER = words(
    r"\b(?:two|both|the (?:last|past) two) years\b[^.;!?]{0,20}\b(?:together|combined|in total|altogether)\b"
    r"|\b(?:together|combined|in total|altogether)\b[^.;!?]{0,20}\b(?:over|across|for|in) (?:the )?"
    r"(?:two|both|last two|past two) years\b"
    r"|\b(?:20\d\d|last year) and (?:20\d\d|this year)\b[^.;!?]{0,20}\b(?:together|combined|in total|altogether)\b"
    r"|(?:两年|去年和今年|去年加今年|20\d\d年?(?:和|与|及|加)20\d\d年?(?:两年)?)[^，。；]{0,6}?(?:加起来|合计|一共|总共|累计|共)"
)
"""A count that adds up two years ("2025和2026两年加起来13万", "both years combined"): this year's is at most that."""


def _at_most(text: str, turn: Turn, count: Count, kinds: list[str], set_now: set[str]) -> None:
    """A count of records and no count of people: the people are at most as many as the records (orders, visits,
    rows; not companies, which may each hold many people's data)."""
    start, stop = sentence_bounds(text, count.start)
    if _ORGANISATIONS.search(text[count.start : count.start + 60]) or _PER_PERIOD.search(text[start:stop]):
        return
    name = SENSITIVE if any(k in SENSITIVE_KINDS for k in kinds) else OTHER
    turn.set(name, count.value, f"{count.text}: records, so at most {count.value:,} people")
    _mark_at_most(turn, name)
    set_now.add(name)


def _mark_at_most(turn: Turn, name: str) -> None:
    """Mark a count as an upper bound of the people (once, last)."""
    turn.values["at_most_counts"] = [*(n for n in turn.values["at_most_counts"] if n != name), name]


def _set_tally(turn: Turn, tally: Tally, set_now: set[str], crossed: bool = False) -> None:
    """Set the counts of the tally, read against the earlier turns' counts (none when those were of another year,
    `crossed`)."""
    before = turn.base if not crossed else Facts()
    earlier_other = before.personal_info_count
    if tally.parts_only and SENSITIVE in tally.values and not before.sensitive_info_count and earlier_other:
        part = min(tally.values[SENSITIVE], earlier_other)
        evidence = ", ".join(tally.phrases[SENSITIVE])
        turn.set(SENSITIVE, part, f"{evidence}: part of the earlier {earlier_other:,}")
        turn.set(OTHER, earlier_other - part, f"{evidence} now counted as sensitive, counted once")
        set_now |= {SENSITIVE, OTHER}
        return
    only_sensitive = SENSITIVE in tally.values and OTHER not in tally.values
    if only_sensitive and not tally.adds and before.personal_info_count is None:
        turn.set(OTHER, 0, "everyone counted has sensitive data, so is counted once, as sensitive")
        set_now.add(OTHER)
    for name in (SENSITIVE, OTHER):
        if name not in tally.values:
            continue
        value = tally.values[name]
        previous = before.value(name)
        how = tally.how.get(name, "")
        if tally.parts_only and previous and previous >= value:
            phrases = ", ".join(tally.phrases[name])
            turn.notes.append(f"{name}: {previous:,} kept ({phrases}: part of the earlier count)")
            set_now.add(name)
            continue
        shared = tally.shared.get(name, 0)
        if tally.adds and previous:
            how = f"{previous:,} + {value:,} = {previous + value:,}, added to the earlier count"
            if tally.overlap_unknown:
                shared = min(previous, value)
            value += previous
            turn.added = True
        elif tally.adds:
            how = f"another {value:,}"
        words_ = [", ".join(tally.phrases[name]), how]
        words_ += [f"{q} the number stated" for q in sorted(tally.qualifiers.get(name, ()))]
        approximate = [n for n in turn.values["approximate_counts"] if n != name]
        if tally.approximate.get(name):
            words_.append("approximately: the number stated is used")
            approximate.append(name)
        turn.values["approximate_counts"] = approximate
        ranges = {n: span for n, span in turn.values["count_ranges"].items() if n != name}
        if tally.spread.get(name) or shared:
            ranges[name] = (max(0, value - tally.spread.get(name, 0) - shared), value)
            words_.append(f"a range: {ranges[name][0]:,} to {value:,}")
        if shared:
            words_.append(f"the groups share up to {shared:,} people, how many is not known")
        turn.values["count_ranges"] = ranges
        if not tally.adds:  # people counted now replace an earlier bound from records ("200k accounts" → "90k people")
            turn.values["at_most_counts"] = [n for n in turn.values["at_most_counts"] if n != name]
        turn.set(name, value, "; ".join(w for w in words_ if w))
        set_now.add(name)


_ONLY_THESE = words(
    r"\b(?:nothing else|no other (?:data|fields?|information)|only)\b"
    r"|没有?别的|没有其他|其他(?:都)?没有|仅|只有|只包括|只含"
)
"""The data listed is all of it ("names and phone numbers, nothing else"): what is not listed is not sent."""


_FLOW_BACK = words(
    r"\b(?:(?:sent|send|sends|sending|comes?|coming|returned|returns?|flows?|goes|going) back"
    r"(?: to us| to China| home)?"
    r"|(?:results?|outputs?|reports?|predictions?|forecasts?) (?:we get|come|comes|returned|sent)\b)"
    r"|回传|传回(?:来|给我们|国内|中国|我们)|返回给我们|返还给我们|发回(?:给)?我们|回流"
)
"""What comes back to us from abroad (results, forecasts): an import, not the transfer asked about."""


def _none_in_transfer(text: str) -> bool:
    """Whether the message says the transfer holds no personal information.

    A statement of none in a sentence about what comes back ("模型结果回传给我们，没有个人信息") is of that return
    flow, not of the transfer, when the message names personal data elsewhere.
    """
    for m in NO_PERSONAL_INFO.finditer(text):
        start, end = sentence_bounds(text, m.start())
        if not _FLOW_BACK.search(text, start, end):
            return True
        found = read_kinds(text[:start] + text[end:])
        if not (found.stated or found.other_personal):
            return True
    return False


ORDINARY_KINDS = frozenset({"contact", "employee", "account_profile"})
"""Personal information that is not sensitive: naming only these says which fields go, and none is sensitive."""


FIELDS_UNKNOWN = words(
    r"\b(?:(?:have(?:n't| not)|did(?:n't| not)|not yet|not|never|yet to)\s+(?:yet\s+)?"
    r"(?:checked|looked(?: at)?|confirmed|seen|verified|reviewed|gone through|check|look(?: at)?|confirm|see|verify|"
    r"review)"
    r"|(?:don't|do not|doesn't|does not|didn't|did not)\s+(?:yet\s+)?(?:know|remember)|not sure|unsure|no idea)\s+"
    r"(?:of\s+|about\s+)?(?:exactly\s+)?(?:which|what)\s+(?:exact\s+)?(?:fields|columns|data|information|info|kinds?|types?|"
    r"categories|details)\b"
    r"|\b(?:fields|columns|contents)\s+(?:are\s+|is\s+)?(?:still\s+)?"
    r"(?:unknown|unclear|tbc|tbd|not (?:yet )?(?:known|clear|checked|confirmed))\b"
    r"|(?:还|尚)?(?:没|未|没有)(?:仔细)?(?:查|看|确认|核实|核对|梳理|盘点)(?:过|清楚)?(?:里面|具体|都)?(?:有|包含|包括)?(?:哪些|什么)"
    r"(?:字段|数据|信息|内容)"
    r"|(?:不清楚|不确定|不知道|搞不清)(?:里面|具体)?(?:都)?(?:有|包含|包括)?(?:哪些|什么)(?:字段|数据|信息|内容)"
    r"|(?:字段|具体内容)(?:还)?(?:不清楚|不确定|没确认|待确认|未知)",
)
"""The person says they do not know which fields the data holds: naming some kinds does not say none is
sensitive."""


def derive_counts(
    text: str, turn: Turn, kinds: list[str], set_now: set[str], other_personal: bool, maybe: Sequence[str] = ()
) -> None:
    """Counts the person stated implicitly: none at all, no sensitive data, or the same people's new data."""
    values = turn.values
    if not set_now and _none_in_transfer(text):
        for name in COUNT_FACTS:
            turn.set(name, 0, "no personal information")
        return
    if SENSITIVE not in set_now and NO_SENSITIVE_INFO.search(text):
        turn.set(SENSITIVE, 0, "no sensitive personal information")
        return
    sensitive_kinds = [k for k in kinds if k in SENSITIVE_KINDS]
    had_sensitive = any(k in SENSITIVE_KINDS for k in turn.base.data_kinds)
    people = values[OTHER]
    new_sensitive = sensitive_kinds and not had_sensitive and not values[SENSITIVE]
    if new_sensitive and people and not set_now:
        if _SOME_UNCOUNTED.search(text):  # "…and the card numbers of the tenants who pay by card"
            turn.set(
                SENSITIVE,
                None,
                f"only some of the {people:,} people have {sensitive_kinds[0]} data; how many is not said",
            )
            return
        turn.set(SENSITIVE, people, f"the same {people:,} people, now with {sensitive_kinds[0]} data")
        turn.set(OTHER, 0, f"the same {people:,} people are counted once, as sensitive")
        return
    named = bool(kinds or other_personal) and not sensitive_kinds
    counted = people is not None or OTHER in set_now  # stated, or stated as unknown this turn
    if values[SENSITIVE] is not None or not named:
        return
    if _STUDENTS.search(text) and not _AGE_KNOWN.search(text):
        turn.notes.append("sensitive_info_count: unknown (students of unstated age; under-14s' data is sensitive)")
        return
    if unknown := FIELDS_UNKNOWN.search(text):
        turn.notes.append(f"sensitive_info_count: unknown ({unknown.group(0)}: the fields are not known)")
        return
    if maybe:  # "some might be under 14"
        turn.notes.append(f"sensitive_info_count: unknown ({maybe[0]} may be included; how many is not said)")
        return
    if counted or _ONLY_THESE.search(text):
        turn.set(SENSITIVE, 0, "the data kinds stated include no sensitive kind")
    elif kinds and set(kinds) <= ORDINARY_KINDS:  # the fields are named ("name, phone, address"), none sensitive
        turn.infer(SENSITIVE, 0, "the data kinds named include no sensitive kind")


def counted_together(parts: list[tuple[str, Facts]], apart: list[bool]) -> list[tuple[Facts, str | None]]:
    """The parts of one message (each its text and facts) with the counts arts 7-8 give each: every transfer of
    the year adds up.

    The people of the parts that no exemption covers are counted together: separate groups (other kinds of people
    in each part, by whose data it is or by the noun counted) add up, and the same people (or people of unknown
    kind) are counted once, so each part gets the largest count. Exempt parts (art 5) and the parts `apart` marks
    (data a regime of its own releases, such as a free-trade zone's list) count for nothing and keep their own.
    Returns each part's facts and, when a count changed, a note saying why.
    """
    counted = [
        i
        for i, (_, f) in enumerate(parts)
        if not apart[i] and f.exemption_basis is None and (f.personal_info_count or f.sensitive_info_count)
    ]
    out: list[tuple[Facts, str | None]] = [(f, None) for _, f in parts]
    if len(counted) < 2:
        return out
    subjects: list[set[str]] = [{str(s) for s in parts[i][1].data_subjects} - {"other"} for i in counted]
    nouns: list[set[str]] = [{c.noun for c in find_counts(parts[i][0]) if c.attached and c.noun} for i in counted]
    separate = any(all(g) and len(set().union(*g)) == sum(map(len, g)) for g in (subjects, nouns))  # disjoint
    totals: dict[str, int] = {}
    for name in (SENSITIVE, OTHER):
        values = [parts[i][1].value(name) for i in counted]
        if all(v is not None for v in values):
            totals[name] = sum(values) if separate else max(values)
    for i in counted:
        facts = parts[i][1]
        changed = {n: v for n, v in totals.items() if facts.value(n) != v}
        if changed:
            how = "separate groups add up" if separate else "the same people are counted once"
            shown = ", ".join(f"{n}: {v:,}" for n, v in changed.items())
            note = f"counted with the other parts of this message ({shown}): arts 7-8 add the year's transfers; {how}"
            out[i] = (facts.model_copy(update=changed), note)
    return out
