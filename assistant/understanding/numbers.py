"""Numbers in every common written form: 40,000; 4万; 四万; 1.5万; 十二万三千; 1.2 million; 120k; forty thousand.

The finder here only locates spans; Chinese and mixed spans are read by cn2an (`cn2an.cn2an(span, "smart")`),
Arabic numerals with an English multiplier by exact decimal arithmetic, and English number words by a small
exact parser (cn2an does not read English).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import cn2an  # type: ignore[import-untyped]

from .text import words

EN_MULTIPLIERS: dict[str, int] = {
    "k": 1000,
    "w": 10_000,
    "thousand": 1000,
    "m": 1_000_000,
    "mn": 1_000_000,
    "mil": 1_000_000,
    "mio": 1_000_000,
    "million": 1_000_000,
    "bn": 1_000_000_000,
    "billion": 1_000_000_000,
}
EN_WORDS: dict[str, int] = {
    word: value
    for value, word in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
        ]
    )
} | {
    w: 10 * (i + 2)
    for i, w in enumerate(["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"])
}
EN_SCALES: dict[str, int] = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}

_ARABIC = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_CN = "零〇一二两三四五六七八九十百千万亿"
_CN_DIGIT = re.compile(f"[{_CN}]")
_WESTERN = words(
    rf"(?<![A-Za-z0-9_.])(?<!\d,)({_ARABIC})(?:\s?(k|thousand|mn|mil|mio|million|m|bn|billion)\b|(w)(?![A-Za-z/]))",
    re.IGNORECASE,
)
"""'120k', '1.2 million', and the Chinese shorthand '6.5w' (w for 万, 10,000)."""
_MIXED = re.compile(
    rf"(?<![\d.])(?<!\d,)(?:{_ARABIC}|[{_CN}])"
    rf"(?:{_ARABIC}|\s?[万亿千百](?![A-Za-z])|[{_CN}]|(?<=[\d十百千])[多余来](?=[万亿千]))*"
)
"""A run of Arabic and Chinese numerals; 多/余/来 between a numeral and a unit (十多万, 100余万) is approximate."""
_APPROX_INSIDE = re.compile(r"[多余来]")
_WORD_ALT = "|".join(sorted([*EN_WORDS, *EN_SCALES], key=len, reverse=True))
_EN_SEQUENCE = words(
    rf"\b(?:(?:a|an)\s+(?=hundred|thousand|million))?(?:{_WORD_ALT})(?:(?:\s+and\s+|[\s-]+)(?:{_WORD_ALT}))*\b",
    re.IGNORECASE,
)
_NOT_NUMBERS = ("十", "百", "千", "万", "亿")
"""A unit character alone is a word, not a number."""


@dataclass(frozen=True)
class Number:
    """A number found in text, with its span, whether it used Chinese numerals only, and whether it is approximate
    (多/余/来 inside the number: 十多万)."""

    value: int
    start: int
    end: int
    text: str
    chinese_only: bool = False
    approximate: bool = False
    low: int | None = None
    """The lower end when the words give a range (二三十万: 200,000 to 300,000; `value` is the upper end)."""


_CN_ONE = "一二两三四五六七八九"
_CN_UNIT = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "十万": 100_000, "百万": 1_000_000, "千万": 10_000_000}
_VAGUE = re.compile(
    r"十(?P<teens>[一二三四五六七八九]{2})(?P<tu2>万|千|百)?"
    rf"|(?P<pair>[{_CN_ONE}]{{2}})(?P<pu>十万|百万|千万|[十百千万])"
    r"|十几(?P<tu>万|千|百)?"
    r"|[几数](?P<su>十万|百万|千万|[十百千万])"
)
"""Chinese ranges in words: two numerals in a row (二三十万, 三五千, 一两万, 十一二万), 十几 (eleven to nineteen),
几/数 + a unit (几万, 数十万: two to nine of it)."""
_VAGUE_EN: tuple[tuple[re.Pattern[str], int, int], ...] = (
    (re.compile(r"\b(?:a (?:few|couple(?: of)?)|several) hundred thousand\b", re.IGNORECASE), 200_000, 999_999),
    (re.compile(r"\b(?:a (?:few|couple(?: of)?)|several) million\b", re.IGNORECASE), 2_000_000, 9_999_999),
    (re.compile(r"\bhundreds of thousands\b", re.IGNORECASE), 100_000, 999_999),
    (re.compile(r"\b(?:(?:a (?:few|couple(?: of)?)|several) )?tens of thousands\b", re.IGNORECASE), 10_000, 99_999),
    (re.compile(r"\b(?:a (?:few|couple(?: of)?)|several) thousand\b", re.IGNORECASE), 2_000, 9_999),
)
"""English ranges in words ("tens of thousands", "a few thousand"): their low and high ends, as 几万 and 几千."""
_DIGIT_VALUE = {c: i + 1 for i, c in enumerate("一二三四五六七八九")} | {"两": 2}


def _vague(m: re.Match[str]) -> tuple[int, int] | None:
    """The low and high ends of a Chinese range in words; None when the two numerals do not rise (三二十)."""
    if m.group("teens"):  # 十一二万: eleven or twelve of the unit
        a, b = (_DIGIT_VALUE[c] for c in m.group("teens"))
        unit = _CN_UNIT[m.group("tu2")] if m.group("tu2") else 1
        return ((10 + a) * unit, (10 + b) * unit) if b in (a + 1, a + 2) else None
    if m.group("pair"):
        a, b = (_DIGIT_VALUE[c] for c in m.group("pair"))
        unit = _CN_UNIT[m.group("pu")]
        return (a * unit, b * unit) if b in (a + 1, a + 2) else None
    if m.group(0).startswith("十几"):
        unit = _CN_UNIT[m.group("tu")] if m.group("tu") else 1
        return 11 * unit, 19 * unit
    unit = _CN_UNIT[m.group("su")]
    return 2 * unit, 9 * unit


def parse_chinese(text: str) -> int | None:
    """A Chinese or mixed number (十二万三千, 1.5万, 一万五, 1万5千, 二〇二五) read by cn2an; None if it is not one.

    Fractions are rounded to whole units (people and years are whole).
    """
    span = text.replace(" ", "").replace(",", "")
    if not span:
        return None
    try:
        value: float = cn2an.cn2an(span, "smart")
    except (ValueError, KeyError):  # cn2an raises these on text that is not a number
        return None
    return round(value)


def parse_arabic(text: str) -> Decimal | None:
    """An Arabic numeral with optional thousands separators and decimals (120,000; 1.25)."""
    try:
        return Decimal(text.replace(",", "").replace(" ", ""))
    except InvalidOperation:
        return None


def parse_english_words(text: str) -> int | None:
    """Number words, exactly (forty thousand, a hundred and twenty thousand, two million three hundred)."""
    total = current = 0
    seen = False
    for word in re.findall(r"[a-z]+", text.lower()):
        if word in ("a", "an"):
            current = current or 1
        elif word in EN_WORDS:
            current += EN_WORDS[word]
            seen = True
        elif word == "hundred":
            current = (current or 1) * 100
            seen = True
        elif word in EN_SCALES:
            total += (current or 1) * EN_SCALES[word]
            current, seen = 0, True
    return total + current if seen else None


def _read_span(raw: str) -> int | None:
    """A located span of Arabic and Chinese numerals: cn2an when it holds a Chinese numeral, else decimal."""
    if _CN_DIGIT.search(raw):
        return parse_chinese(_APPROX_INSIDE.sub("", raw))
    value = parse_arabic(raw)
    return None if value is None else int(value.to_integral_value())


def find_numbers(text: str) -> list[Number]:
    """Every number in `text`, left to right, without overlaps."""
    found: list[Number] = []
    taken = bytearray(len(text))

    def add(
        value: int | None,
        start: int,
        end: int,
        chinese_only: bool = False,
        approximate: bool = False,
        low: int | None = None,
    ) -> None:
        if value is None or any(taken[start:end]):
            return
        taken[start:end] = b"\x01" * (end - start)
        found.append(Number(value, start, end, text[start:end], chinese_only, approximate, low))

    for m in _VAGUE.finditer(text):
        if (span := _vague(m)) is not None:
            add(span[1], m.start(), m.end(), chinese_only=True, approximate=True, low=span[0])
    for pattern, low, high in _VAGUE_EN:
        for m in pattern.finditer(text):
            add(high, m.start(), m.end(), low=low)  # the range is the vagueness: its ends are the words' own bounds

    for m in _WESTERN.finditer(text):
        base = parse_arabic(m.group(1))
        if base is not None:
            unit = (m.group(2) or m.group(3)).lower()
            add(int((base * EN_MULTIPLIERS[unit]).to_integral_value()), m.start(), m.end())
    for m in _MIXED.finditer(text):
        raw = m.group(0).rstrip()
        if raw in _NOT_NUMBERS or raw.startswith(("千万", "万")):
            continue  # 千万 ("by all means") and 万一 ("in case") are words, not numbers
        approximate = bool(_APPROX_INSIDE.search(raw))
        end = m.start() + len(raw)
        add(_read_span(raw), m.start(), end, not re.search(r"\d", raw), approximate)
    for m in _EN_SEQUENCE.finditer(text):
        if m.group(0).lower() == "one" and _PRONOUN_ONE.search(text, 0, m.start()):
            continue  # "the second one", "this one": a pronoun, not a number
        add(parse_english_words(m.group(0)), m.start(), m.end())
    return sorted(found, key=lambda n: n.start)


_PRONOUN_ONE = re.compile(
    r"\b(?:first|second|third|fourth|fifth|last|other|this|that|which|each|every|any|no|same|another|latter|former|"
    r"new|old|right|wrong|only|big|small|bigger|smaller|latest|earlier|later|previous|next)\s+$",
    re.IGNORECASE,
)
