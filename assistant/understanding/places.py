"""Where the processor is registered: the Beijing FTZ and its groups, Beijing, other FTZs, other cities."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..facts import Zone
from .text import negated, rx

_PROVINCES_EN = (
    "shanghai|tianjin|hainan|guangdong|fujian|zhejiang|chongqing|sichuan|shenzhen|hubei|shaanxi|liaoning|henan|"
    "jiangsu|shandong|hebei|yunnan|guangxi|heilongjiang|hunan|anhui|xinjiang|xiamen"
)
_PROVINCES_ZH = (
    "上海|天津|海南|广东|福建|浙江|重庆|四川|深圳|湖北|陕西|辽宁|"
    "河南|江苏|山东|河北|云南|广西|黑龙江|湖南|安徽|新疆|厦门"
)
_FTZ = r"(?:pilot\s+)?(?:free[\s-]trade(?:\s+(?:zone|area|port))?|FTZ|FTP)"

BEIJING_FTZ = rx(
    rf"\bbeijing(?:'s)?\s*{_FTZ}",
    r"\bchina\s*\(\s*beijing\s*\)\s*(?:pilot\s+)?free[\s-]trade",
    r"北京(?:市)?(?:的)?(?:自贸|自由贸易)",
    r"中国\(北京\)自由贸易",
    r"\b(?:chaoyang|haidian|changping|tongzhou|shunyi|daxing|yizhuang)\b",
    r"\bE-?Town\b",
    "朝阳",
    "海淀",
    "昌平",
    "通州",
    "顺义",
    "大兴",
    "亦庄",
    "北京经开区",
)
"""The Beijing FTZ by name, or one of its free-trade groups (each group is an area of the FTZ)."""

OTHER_FTZ = rx(
    rf"\b(?:{_PROVINCES_EN})(?:'s)?\s*{_FTZ}",
    r"\b(?:lingang|qianhai|hengqin|nansha|hainan)\b",
    rf"\b(?:another|other|a different)\s+{_FTZ}",
    rf"(?:{_PROVINCES_ZH})(?:市|省)?(?:的)?(?:自贸|自由贸易)",
    "临港",
    "前海",
    "横琴",
    "南沙",
    "海南",
    "(?:其他|其它|别的)(?:的)?自贸",
)
"""Free trade zones other than Beijing's (the whole of Hainan is a free trade port)."""

GENERIC_FTZ = rx(
    r"\b(?:pilot\s+)?free[\s-]trade\s+(?:zones?|areas?|ports?)\b",
    r"\bFTZs?\b",
    "自由贸易试验区",
    "自贸试验区",
    "自贸区",
    "自由贸易区",
    "自贸港",
)
"""An FTZ named without a city."""

BEIJING = rx(
    r"\bbeijing\b(?!(?:'s)?\s*(?:negative\s+)?(?:lists?|rules|measures|two zones|time))",
    r"北京(?!市?(?:的)?(?:负面清单|清单|两区|管理办法|规定|时间))",
)
OTHER_CITY = rx(
    r"\b(?:shanghai|shenzhen|guangzhou|tianjin|hangzhou|chengdu|wuhan|suzhou|nanjing|chongqing|xi'?an|qingdao|"
    r"dalian|xiamen|hefei|changsha|zhengzhou|jinan|shenyang|harbin|ningbo|wuxi|dongguan|foshan|kunming)\b",
    "上海|深圳|广州|天津|杭州|成都|武汉|苏州|南京|重庆|西安|青岛|大连|厦门|合肥|长沙|郑州|济南|沈阳|哈尔滨|宁波|无锡|东莞|佛山|昆明",
)
"""Mainland cities outside any FTZ wording: the processor is elsewhere in China."""


@dataclass(frozen=True)
class ZoneFinding:
    """The zone read from the text and the words it was read from."""

    zone: Zone
    evidence: str


def _mentions(pattern: re.Pattern[str], text: str, taken: list[tuple[int, int]]) -> list[tuple[str, bool]]:
    """Matches of `pattern` not inside an earlier match, each with whether it is negated."""
    found: list[tuple[str, bool]] = []
    for m in pattern.finditer(text):
        if any(s <= m.start() < e for s, e in taken):
            continue
        taken.append((m.start(), m.end()))
        found.append((m.group(0), negated(text, m.start(), words=4)))
    return found


def find_zone(text: str) -> ZoneFinding | None:
    """The zone the text states, or None when it names no place."""
    taken: list[tuple[int, int]] = []
    bj_ftz = _mentions(BEIJING_FTZ, text, taken)
    other = _mentions(OTHER_FTZ, text, taken)
    generic = _mentions(GENERIC_FTZ, text, taken)
    beijing = _mentions(BEIJING, text, taken)
    city = _mentions(OTHER_CITY, text, taken)
    yes = {name: [w for w, neg in found if not neg] for name, found in _named(bj_ftz, other, generic, beijing, city)}
    no = {name: [w for w, neg in found if neg] for name, found in _named(bj_ftz, other, generic, beijing, city)}
    if yes["bj_ftz"]:
        return ZoneFinding("beijing_ftz", yes["bj_ftz"][0])
    if yes["other"]:
        return ZoneFinding("other_ftz", yes["other"][0])
    if yes["generic"] and yes["beijing"]:
        return ZoneFinding("beijing_ftz", f"{yes['beijing'][0]} … {yes['generic'][0]}")
    if yes["generic"] and yes["city"]:
        return ZoneFinding("other_ftz", f"{yes['city'][0]} … {yes['generic'][0]}")
    if yes["beijing"]:
        return ZoneFinding("beijing", yes["beijing"][0])
    if no["generic"]:
        return ZoneFinding("none", f"not … {no['generic'][0]}")
    if yes["city"]:
        return ZoneFinding("none", yes["city"][0])
    return None


def _named(*groups: list[tuple[str, bool]]) -> list[tuple[str, list[tuple[str, bool]]]]:
    """The mention groups with their names."""
    return list(zip(("bj_ftz", "other", "generic", "beijing", "city"), groups, strict=True))


def ftz_without_city(text: str) -> bool:
    """Whether the text names an FTZ but not which one."""
    return bool(GENERIC_FTZ.search(text)) and find_zone(text) is None
