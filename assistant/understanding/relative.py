"""Counts said relative to the earlier turn's: "and with twice as many people?", "人数翻倍呢", "half as many".

A follow-up often scales the transfer already described instead of giving a number. `find_scale` reads the
factor; the turn multiplies the earlier counts by it (only when the turn states no count of its own).
"""

from __future__ import annotations

import re
from fractions import Fraction

_EN_TIMES = {"twice": 2, "double": 2, "triple": 3}
_EN_NUMBER = {"two": 2, "three": 3, "four": 4, "five": 5, "ten": 10}
_ZH_NUMBER = {"两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "十": 10}

_EN = re.compile(
    r"\b(?:(?P<word>twice|double|triple)\b(?:\s+(?:as\s+many|the\s+(?:number|people|volume|users|size)))?|(?P<half>half)\s+as\s+many"
    r"|(?:the\s+)?(?:number|volume|count|people|users|customers|headcount)\s+(?P<verb>doubled|tripled|doubles|triples)"
    r"|(?P<n>\d+|two|three|four|five|ten)\s*(?:x|times)\s+(?:as\s+many|the\s+(?:number|people|volume)|more))\b",
    re.IGNORECASE,
)
_ZH = re.compile(
    r"(?:人数|数量|规模|用户|客户)?(?:(?P<double>翻(?:一)?倍|翻一番|加倍)|(?P<n>[两二三四五十\d]+)倍|(?P<half>减半|少一半))"
)


HEDGE = re.compile(
    r"\b(?:could|might|may|maybe|possibly|perhaps|potentially|not sure|unclear|don't know yet|up to)\b"
    r"|可能|也许|或许|说不定|大概率|还没出来|还不确定|不确定|还不知道|最多",
    re.IGNORECASE,
)
"""Words that make a scaled count a guess ("could be double", "全年可能翻一番"): a range, not a number."""


def find_scales(text: str) -> list[tuple[Fraction, str]]:
    """Every factor the message names, in order ("double, maybe even triple": 2 and 3)."""
    found: list[tuple[Fraction, str]] = []
    rest = text
    while (scale := find_scale(rest)) is not None:
        found.append(scale)
        rest = rest[rest.find(scale[1]) + len(scale[1]) :]
    return found


def find_scale(text: str) -> tuple[Fraction, str] | None:
    """The factor a message applies to the earlier counts, with the words that say it; None if it gives none."""
    if m := _EN.search(text):
        if m.group("half"):
            return Fraction(1, 2), m.group(0)
        if m.group("word"):
            key = m.group("word").lower()
            return Fraction(_EN_TIMES[key]), m.group(0)
        if m.group("verb"):
            return Fraction(2 if m.group("verb").lower().startswith("doubl") else 3), m.group(0)
        n = m.group("n").lower()
        return Fraction(int(n) if n.isdigit() else _EN_NUMBER[n]), m.group(0)
    if m := _ZH.search(text):
        if m.group("double"):
            return Fraction(2), m.group(0)
        if m.group("half"):
            return Fraction(1, 2), m.group(0)
        n = m.group("n")
        value = int(n) if n.isdigit() else _ZH_NUMBER.get(n)
        # "3倍" means three times as many (翻3倍 is read the same: people rarely mean four times)
        return (Fraction(value), m.group(0)) if value else None
    return None
