"""Numbers in every common written form: 40,000; 4万; 四万; 1.5万; 十二万; 1.2 million; 120k; forty thousand."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .text import words

CN_DIGITS: dict[str, int] = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
CN_UNITS: dict[str, int] = {"十": 10, "百": 100, "千": 1000}
CN_BIG: dict[str, int] = {"万": 10_000, "亿": 100_000_000}
EN_MULTIPLIERS: dict[str, int] = {
    "k": 1000,
    "thousand": 1000,
    "m": 1_000_000,
    "mn": 1_000_000,
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
_WESTERN = words(rf"(?<![A-Za-z0-9_.])(?<!\d,)({_ARABIC})\s?(k|thousand|mn|million|m|bn|billion)\b", re.IGNORECASE)
_MIXED = re.compile(rf"(?<![\d.])(?<!\d,)(?:{_ARABIC}|[{_CN}])(?:{_ARABIC}|\s?[万亿千百](?![A-Za-z])|[{_CN}])*")
_TOKEN = re.compile(rf"\d+(?:\.\d+)?|[{_CN}]")
_WORD_ALT = "|".join(sorted([*EN_WORDS, *EN_SCALES], key=len, reverse=True))
_EN_SEQUENCE = words(
    rf"\b(?:(?:a|an)\s+(?=hundred|thousand|million))?(?:{_WORD_ALT})(?:(?:\s+and\s+|[\s-]+)(?:{_WORD_ALT}))*\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Number:
    """A number found in text, with its span and whether it used Chinese numerals only."""

    value: int
    start: int
    end: int
    text: str
    chinese_only: bool = False


def parse_chinese(text: str) -> int | None:
    """Parse a Chinese or mixed number (十二万, 1.5万, 一万五, 1万5千, 二〇二五); None if it is not one."""
    tokens = _TOKEN.findall(text.replace(" ", ""))
    if not tokens:
        return None
    total = Decimal(0)
    section = Decimal(0)
    number: Decimal | None = None
    last_unit = 0
    prev = ""  # "digit", "arabic" or "unit"
    for tok in tokens:
        if tok in CN_DIGITS:
            digit = Decimal(CN_DIGITS[tok])
            number = number * 10 + digit if prev == "digit" and number is not None and tok not in "两" else digit
            prev = "digit"
        elif tok in CN_UNITS:
            section += (number if number is not None else Decimal(1)) * CN_UNITS[tok]
            number, last_unit, prev = None, CN_UNITS[tok], "unit"
        elif tok in CN_BIG:
            big = CN_BIG[tok]
            section += number or 0
            if big > 10_000:
                total = (total + section) * big
            else:
                total += section * big
            section, number, last_unit, prev = Decimal(0), None, big, "unit"
        else:
            try:
                number = Decimal(tok)
            except InvalidOperation:  # pragma: no cover - the token regex only yields digits
                return None
            prev = "arabic"
    if number is not None:
        # Colloquial 一万五 = 15,000 and 三千五 = 3,500: a lone trailing digit is one unit lower.
        if last_unit >= 100 and number < 10 and number == number.to_integral_value() and prev != "unit":
            trailing_alone = len(tokens) >= 2 and (tokens[-2] in CN_UNITS or tokens[-2] in CN_BIG)
            section += number * (last_unit // 10) if trailing_alone else number
        else:
            section += number
    return int((total + section).to_integral_value())


def parse_english_words(text: str) -> int | None:
    """Parse number words (forty thousand, a hundred and twenty thousand, two million)."""
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


def find_numbers(text: str) -> list[Number]:
    """Every number in `text`, left to right, without overlaps."""
    found: list[Number] = []
    taken = bytearray(len(text))

    def add(value: int | None, start: int, end: int, chinese_only: bool = False) -> None:
        if value is None or any(taken[start:end]):
            return
        taken[start:end] = b"\x01" * (end - start)
        found.append(Number(value, start, end, text[start:end], chinese_only))

    for m in _WESTERN.finditer(text):
        base = Decimal(m.group(1).replace(",", ""))
        add(int(base * EN_MULTIPLIERS[m.group(2).lower()]), m.start(), m.end())
    for m in _MIXED.finditer(text):
        raw = m.group(0).rstrip()
        if raw in ("十", "百", "千", "万", "亿") or raw.startswith(("千万", "万")):
            continue  # 千万 ("by all means") and 万一 ("in case") are words, not numbers
        add(parse_chinese(raw.replace(",", "")), m.start(), m.start() + len(raw), not re.search(r"\d", raw))
    for m in _EN_SEQUENCE.finditer(text):
        add(parse_english_words(m.group(0)), m.start(), m.end())
    return sorted(found, key=lambda n: n.start)
