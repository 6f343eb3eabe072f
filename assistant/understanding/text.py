"""Text helpers shared by the understanding layer: normalisation, language, clauses and negation."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from functools import lru_cache
from typing import Literal

from .variants import standard_spelling

Language = Literal["zh", "en"]

ASCII_BOUNDARY = r"(?:(?<![A-Za-z0-9_])(?=[A-Za-z0-9_])|(?<=[A-Za-z0-9_])(?![A-Za-z0-9_]))"
"""A word boundary that also holds next to Chinese characters (which `\\b` counts as word characters)."""


def words(pattern: str, flags: int = re.IGNORECASE) -> re.Pattern[str]:
    """Compile a pattern whose `\\b` means an ASCII word boundary, case-insensitive by default."""
    return re.compile(pattern.replace(r"\b", ASCII_BOUNDARY), flags)


def rx(*alternatives: str) -> re.Pattern[str]:
    """One case-insensitive pattern from alternatives (see `words`)."""
    return words("|".join(f"(?:{a})" for a in alternatives))


CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[A-Za-z]+")
_ACRONYM = re.compile(r"^[A-Z]{2,5}s?$")

CLAUSE_BREAK = words(
    r"(?<!\d),|,(?!\d)|[;:!?。；！？\n]|\.(?!\d)|\s[—–]\s|\s--?\s|\b(?:and|but|while|whereas|plus|as well as)\b"
    r"|以及|并且|其中|另外|但是|而且"
)
"""Where one clause ends and the next begins (for tying counts to the data kinds next to them)."""

_NEG_STOP = words(
    r"(?<!\d),|,(?!\d)|[;:!?。；！？\n]|\.(?!\d)|\b(?:but|only|just|however|although)\b|但|只|而是|仅", re.IGNORECASE
)
_NEG_EN = words(
    r"\b(?:not|no|non|never|without|neither|nor|none|nothing|excluding|exclude|excludes)\b|n't\b", re.IGNORECASE
)
_NEG_ZH = re.compile(
    r"不是|不属于|不涉及|不包括|不包含|不含|并非|并不|非|没有|没|无(?!论)|未(?!成年|满)|不(?!仅|同|但|少|久|到|足|满)"
)
_WORD = re.compile(r"[A-Za-z0-9'’-]+|[\u4e00-\u9fff]")


MAX_CHARS = 4000
"""The part of a message that is read for facts; a question is far shorter, and this bounds the work."""


_ENCLOSED = re.compile("[\u2460-\u24ff\u2776-\u2793\u3251-\u325f\u32b1-\u32bf]")
"""Enclosed and circled numbers (①, ⑴, ⒈, ❶): list markers, never amounts."""


def clean_message(text: str) -> str:
    """Full-width forms to ASCII (NFKC), curly quotes straightened, whitespace collapsed (a space between Chinese
    characters becomes a comma), at most `MAX_CHARS`.

    Traditional characters and Taiwan terms become simplified (OpenCC), and misspelt English words the word of
    our vocabulary they stand for (`variants`).
    """
    text = _ENCLOSED.sub(" ", (text or "")[:MAX_CHARS])  # "①②③" number a list: NFKC would make them "123"
    text = standard_spelling(unicodedata.normalize("NFKC", text))
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    text = re.sub(r"[ \t\u00a0\u202f]+", " ", text).strip()
    text = _ABBREVIATION.sub(lambda m: m.group(1), text)
    text = _YEAR_SHORT.sub(lambda m: "years" if m.group(0).lower().endswith("s") else "year", text)
    text = _PEOPLE_SHORT.sub("people", text)
    return _CJK_GAP.sub("，", text)


_CJK_GAP = re.compile(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])")
"""A space between two Chinese characters: a pause typed on a phone instead of a comma ("仓储公司 主管部门通知…")."""
_ABBREVIATION = re.compile(r"\b(Co|Ltd|Inc|Corp|Mr|Mrs|Ms|Dr|approx|vs)\.(?= [a-z0-9(])", re.IGNORECASE)
"""A company's or a person's abbreviation followed by more of the sentence ("the grid co. has been designated"):
its full stop ends no sentence, so it is dropped."""
_PEOPLE_SHORT = re.compile(r"(?<![\w-])ppl\b", re.IGNORECASE)
"""'ppl', chat shorthand for people."""
_YEAR_SHORT = re.compile(r"(?<![\w-])yrs?\b\.?", re.IGNORECASE)
"""'last yr', '2 yrs': the year written short."""


_EN_GRAMMAR = words(
    r"\b(?:the|a|an|of|to|in|on|for|with|and|or|is|are|was|were|be|do|does|did|we|our|us|i|my|it|this|that|"
    r"can|could|should|would|will|have|has|from|at|by|as|if|what|which|how|any|about|not|so|but|than|you|your)\b"
)
_ZH_GRAMMAR = re.compile(
    "的|了|吗|呢|吧|是|在|我们|我司|要|把|和|给|对|也|都|就|还|没有|这|那|需要|可以|能否|怎么|什么|请问|如果"
)


def detect_language(text: str) -> Language:
    """The language whose grammar words the text uses; by the amount of text when both or neither appear.

    English terms inside a Chinese sentence (`我们在Daxing FTZ，有4万个patients…`) and Chinese terms inside an
    English one (`Any 申报 needed?`) keep the sentence's language.
    """
    text = text or ""
    cjk = len(CJK.findall(text))
    if not cjk:
        return "en"
    english, chinese = len(_EN_GRAMMAR.findall(text)), len(_ZH_GRAMMAR.findall(text))
    if english != chinese and not (english and chinese):
        return "zh" if chinese else "en"
    # A CJK character weighs two letters (about a word's worth of meaning); an all-capitals acronym such as
    # FTZ or CIIO weighs one letter, as such acronyms are common inside Chinese sentences.
    latin = sum(1 if _ACRONYM.match(w) else len(w) for w in _LATIN_WORD.findall(text))
    return "zh" if 2 * cjk > latin else "en"


ASIDE = re.compile(r"[(（][^()（）\d;:。；：!?！？]{1,60}[)）]")
"""A short aside in brackets that lists things ("(name, email, level)", no numbers or sentences of its own): its
commas do not end the clause around it."""


@lru_cache(maxsize=32)
def _clause_breaks(text: str, around_asides: bool) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The starts and ends of the clause breaks in `text` (outside the asides if `around_asides`), once per text."""
    asides = [m.span() for m in ASIDE.finditer(text)] if around_asides else []
    found = [
        (m.start(), m.end())
        for m in CLAUSE_BREAK.finditer(text)
        if not any(a < m.start() and m.end() < b for a, b in asides)
    ]
    return tuple(s for s, _ in found), tuple(e for _, e in found)


CLAUSE_REACH = 200
"""How far a clause reaches on either side of a position; bounds the work on text without punctuation."""


def clause_bounds(text: str, pos: int) -> tuple[int, int]:
    """The start and end of the clause that contains `pos` (at most `CLAUSE_REACH` characters either side).

    Outside brackets, a bracketed aside is part of the clause; inside one, its own commas still separate.
    """
    inside = any(m.start() < pos < m.end() for m in ASIDE.finditer(text))
    starts, ends = _clause_breaks(text, not inside)
    before = bisect_right(ends, pos)
    start = ends[before - 1] if before else 0
    after = bisect_left(starts, pos)
    end = starts[after] if after < len(starts) else len(text)
    start, end = max(start, pos - CLAUSE_REACH), min(end, pos + CLAUSE_REACH)
    return start, max(start, end)


def negated(text: str, start: int, words: int = 3) -> bool:
    """Whether a negation stands just before `start` (a few words, the same clause)."""
    before = text[max(0, start - 80) : start]
    stops = list(_NEG_STOP.finditer(before))
    if stops:
        before = before[stops[-1].end() :]
    tokens = _WORD.findall(before)
    zh_chars = sum(1 for t in tokens[-(words * 3) :] if CJK.match(t))
    window_tokens = tokens[-(words * 3) :] if zh_chars > words else tokens[-words:]
    window = " ".join(window_tokens)
    zh_window = _A_NOT_A.sub("", "".join(t for t in window_tokens if CJK.match(t)))
    if zh_window.startswith("不多") and before.endswith("差" + zh_window):
        zh_window = zh_window[2:]  # "差不多一千人" cut after 差
    zh_window = zh_window.replace("差不多", "")  # about, not a denial
    return bool(_NEG_EN.search(window) or _NEG_ZH.search(zh_window))


_A_NOT_A = re.compile(r"([\u4e00-\u9fff])[不没]\1")
"""算不算, 是不是, 有没有: a question, not a negation."""


def shortened(text: str, limit: int = 60) -> str:
    """The text, cut to `limit` characters with an ellipsis when longer (for evidence in notes)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
