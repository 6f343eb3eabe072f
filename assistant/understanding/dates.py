"""Transfer dates: ISO dates, "March 2026", "11 May 2026", "2025年6月15日", "今年4月份" or "back in February"."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from .numbers import parse_chinese
from .text import words

MONTHS: dict[str, int] = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_CN_NUM = "〇零一二三四五六七八九十"

_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?!\d)"),
    re.compile(rf"(?P<y>(?:19|20)\d{{2}}|[{_CN_NUM}]{{4}})\s*年\s*(?P<m>\d{{1,2}}|[{_CN_NUM}]{{1,2}})\s*月"
               rf"(?:\s*(?P<d>\d{{1,2}}|[{_CN_NUM}]{{1,3}})\s*[日号])?"),
    words(rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<mn>{_MONTH})\.?,?\s+(?P<y>(?:19|20)\d{{2}})\b", re.I),
    words(rf"\b(?P<mn>{_MONTH})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d{{2}})\b", re.I),
    words(rf"\b(?P<mn>{_MONTH})\.?,?\s+(?:of\s+)?(?P<y>(?:19|20)\d{{2}})\b", re.I),
)  # fmt: skip
"""Full dates first, then month and year (the first day of the month is taken)."""


@dataclass(frozen=True)
class DateMention:
    """A date found in text, with its span and whether the day was stated."""

    value: dt.date
    start: int
    end: int
    text: str
    day_stated: bool
    relative: bool = False
    """Given against today ("今年4月份", "back in February"), not with its year."""
    ahead: bool = False
    """A month still to come, said against today ("next month", "下个月"): when the transfer asked about happens."""


def _int(value: str) -> int:
    """An integer from Arabic or Chinese digits (二〇二六 or 十五)."""
    if value.isdigit():
        return int(value)
    if all(ch in "〇零一二三四五六七八九" for ch in value):
        return int("".join(str("〇一二三四五六七八九".index(ch)) if ch != "零" else "0" for ch in value))
    parsed = parse_chinese(value)
    return parsed if parsed is not None else 0


_THIS_YEAR_ZH = re.compile(
    rf"(?P<rel>今年|去年|前年|明年|后年)\s*(?P<m>\d{{1,2}}|[{_CN_NUM}]{{1,2}})\s*月份?(?:\s*(?P<d>\d{{1,2}}|[{_CN_NUM}]{{1,3}})\s*[日号])?"
)
"""A month of this year, a year past or one ahead ("今年4月份", "去年6月15日", "明年3月1日")."""
_YEAR_SAID_EN = words(
    rf"\b(?:(?:on\s+)?(?:(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mn>{_MONTH})|(?P<mn2>{_MONTH})\s+(?P<d2>\d{{1,2}})"
    rf"(?:st|nd|rd|th)?)|(?:in\s+)?(?:early\s+|late\s+|mid-?)?(?P<mn3>{_MONTH}))\.?,?\s+(?:of\s+)?"
    rf"(?P<rel>this|last|next) year\b"
    rf"|\b(?P<rel2>this|last|next) year,?\s+(?:in|on)?\s*(?:early\s+|late\s+|mid-?)?(?P<mn4>{_MONTH})\b"
    rf"(?:\s+(?P<d4>\d{{1,2}})(?!\d))?",
    re.I,
)
"""A month of a year said against today ("on 7 April this year", "in March next year", "last year in April")."""
_PAST_MONTH_EN = words(
    rf"\b(?:back in|earlier in|this past|last|in early|in late|in mid-?)\s+(?P<mn>{_MONTH})\b(?!\s+\d)", re.I
)
"""A month already past, its year left out ("back in February", "last June"): the latest such month before today."""
NEXT_MONTH = words(r"\bnext month\b|下个?月", re.I)
"""The month after this one: when a planned transfer happens ("next month we send another batch")."""


def _relative(text: str, today: dt.date) -> list[DateMention]:
    """Months given against today: this year's or last year's by name (今年4月), or the latest one past."""
    found = []
    for m in _THIS_YEAR_ZH.finditer(text):
        shift = {"今年": 0, "去年": -1, "前年": -2, "明年": 1, "后年": 2}[m.group("rel")]
        day = m.group("d")
        try:
            value = dt.date(today.year + shift, _int(m.group("m")), _int(day) if day else 1)
        except ValueError:
            continue
        found.append(
            DateMention(value, m.start(), m.end(), m.group(0), day is not None, relative=True, ahead=shift > 0)
        )
    for m in _YEAR_SAID_EN.finditer(text):
        parts = {k: v for k, v in m.groupdict().items() if v}
        name = next(parts[k] for k in ("mn", "mn2", "mn3", "mn4") if k in parts)
        day = next((parts[k] for k in ("d", "d2", "d4") if k in parts), None)
        shift = {"this": 0, "last": -1, "next": 1}[(parts.get("rel") or parts["rel2"]).lower()]
        try:
            value = dt.date(today.year + shift, MONTHS[name.lower()], int(day) if day else 1)
        except ValueError:
            continue
        found.append(DateMention(value, m.start(), m.end(), m.group(0), day is not None, True, ahead=shift > 0))
    for m in _PAST_MONTH_EN.finditer(text):
        month = MONTHS[m.group("mn").lower()]
        year = today.year if month < today.month else today.year - 1
        found.append(DateMention(dt.date(year, month, 1), m.start(), m.end(), m.group(0), False, relative=True))
    for m in NEXT_MONTH.finditer(text):
        year, month = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
        found.append(DateMention(dt.date(year, month, 1), m.start(), m.end(), m.group(0), False, True, ahead=True))
    return found


_TODAY: ContextVar[dt.date | None] = ContextVar("reading_day", default=None)


def reading_day() -> dt.date:
    """The day messages are read on: the caller's clock (`read_on`), else the system's."""
    return _TODAY.get() or dt.date.today()


@contextmanager
def read_on(day: dt.date) -> Iterator[None]:
    """Read messages as on `day` ("next month", "今年4月", "this year" are placed against it), as the checker
    decides on the caller's clock."""
    token = _TODAY.set(day)
    try:
        yield
    finally:
        _TODAY.reset(token)


def find_dates(text: str, today: dt.date | None = None) -> list[DateMention]:
    """Every date in `text`, left to right, without overlaps; impossible dates are skipped. Months given without
    a year ("今年4月份", "back in February") are placed against `today` (the system date when not given)."""
    found: list[DateMention] = []
    for pattern in _PATTERNS:
        for m in pattern.finditer(text):
            if any(d.start < m.end() and m.start() < d.end for d in found):
                continue
            parts = m.groupdict()
            month = MONTHS[parts["mn"].lower()] if parts.get("mn") else _int(parts["m"])
            day = parts.get("d")
            try:
                value = dt.date(_int(parts["y"]), month, _int(day) if day else 1)
            except ValueError:
                continue
            found.append(DateMention(value, m.start(), m.end(), m.group(0), day is not None))
    for mention in _relative(text, today or reading_day()):
        if not any(d.start < mention.end and mention.start < d.end for d in found):
            found.append(mention)
    return sorted(found, key=lambda d: d.start)


_SINCE = words(r"\bsince\s+(?:the\s+)?$", re.I)
_UP_TO_NOW = words(r"^\s*(?:以来|至今|到现在|到目前|截至目前|迄今)")
_FROM = words(r"\b(?:from|starting|as of)\s+(?:the\s+)?$", re.I)
_ONWARDS = words(r"^\s*(?:以后|之后|起|开始|后)|^\s*(?:to|until|till) (?:now|date|today)\b", re.I)


def opens_a_period(mention: DateMention, text: str) -> bool:
    """A date that starts a period counted up to now ("since 1 March", "3月1日以来", "1月1日起开户的客户"): how far
    back the figures go, not when the data goes abroad. "From 1 January" only: that is where the count starts."""
    before, after = text[max(0, mention.start - 20) : mention.start], text[mention.end : mention.end + 12]
    if _SINCE.search(before) or _UP_TO_NOW.search(after):
        return True
    new_year = mention.value.month == 1 == mention.value.day
    return new_year and bool(_FROM.search(before) or _ONWARDS.search(after))


THIS_YEAR = words(r"\bthis (?:calendar )?year\b|今年|本年度?", re.I)


def of_an_earlier_batch(mention: DateMention, text: str) -> bool:
    """A month of an earlier year said against today while the message speaks of this year ("去年12月传了4万，今年又传了
    3万"): it dates an earlier batch, not the transfer asked about, which is this year's."""
    return mention.relative and mention.value.year < reading_day().year and bool(THIS_YEAR.search(text))


PROCEDURE_DATED = words(
    r"\b(?:results?|assessments?|approvals?|filings?|certificates?|certification|standard contracts?|contracts?)\b"
    r"[^.;!?]{0,30}\b(?:came out|issued|granted|approved|passed|filed|signed|obtained|expire[sd]?|valid)\b[^.;!?]{0,6}$"
    r"|(?:评估|结果|批复|备案|认证|证书|标准合同|合同)[^。；！？]{0,12}(?:下来|出来|获批|通过|签订|签署|备案|到期|有效)[^。；！？]{0,4}$"
    r"|\b(?:filed|registered|submitted|applied)\b[^.;!?]{0,60}\b(?:in|on|since|as of)\s*$"  # "filed list use … in Dec"
    r"|(?:备案|申报|登记|提交)[^。；！？]{0,20}(?:于|在)\s*$"
)
"""A date a procedure's result, filing or signature bears ("our filing was accepted and signed on 2 May"): not
when data goes abroad."""
RULE_DATED_BEFORE = words(
    r"\b(?:took|take|takes|taking|came|come|comes|went|go|goes|entered|enters)\s+(?:into\s+)?(?:effect|force)"
    r"\s*(?:in|on|from|since|as of)?\s*$|\b(?:effective|in force|enacted|promulgated|published|issued|repealed|"
    r"abolished)\s*(?:in|on|from|since|as of)?\s*$",
)
RULE_DATED_AFTER = words(r"\s*(?:起|开始)?(?:正式)?(?:施行|生效|实施|发布|出台|印发|废止|失效)")
"""A date a rule bears ("the new rules came into force in March 2025", "自2025年3月1日起施行"): not a transfer's."""


def dates_a_procedure_or_rule(text: str, mention: DateMention) -> bool:
    """Whether a date is when a procedure's result came or a rule took effect, rather than when data goes."""
    before = text[max(0, mention.start - 60) : mention.start]
    return bool(
        PROCEDURE_DATED.search(before) or RULE_DATED_BEFORE.search(before) or RULE_DATED_AFTER.match(text, mention.end)
    )
