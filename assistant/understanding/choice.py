"""A short reply to the follow-up question: "2", "第二个", "the second", "yes", "是的", an option's words, a count.

The assistant asks one question with numbered options (`Determination.question`); the next message is often
just the answer. Read against the question, it sets the asked fact directly, so "1" or "不是" is understood
although it states nothing on its own. A reply that is not an answer to the question gives None, and the
message is read as usual.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..determination import Question
from ..facts import Facts
from .extract import Understanding, extract_facts
from .numbers import find_numbers
from .text import Language, detect_language

MAX_REPLY_CHARS = 120
MAX_REASONED_REPLY_CHARS = 400
"""A yes or no may come with its reason ("yes - the insurer will not pay without them"): read up to this long."""
"""A longer message is not a short reply to a question: it is read as usual."""

_CN_POSITIONS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5}
_ORDINALS_EN = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "last": -1}
_ORDINAL_EN = re.compile(
    r"^(?:the\s+)?(?:(first|second|third|fourth|fifth|last)|([1-5])(?:st|nd|rd|th))(?:\s+(?:one|option|answer))?$"
)
_NUMBERED = re.compile(
    r"^(?:(?:let'?s go with|we'?ll go with|go with|we pick|we choose|option|choice|answer|number|no\.?|#)\s*)*"
    r"([1-9])$"
)
_NUMBERED_ZH = re.compile(
    r"^(?:选|选择|选项|答案|方案|按)?\s*(?:第\s*)?([1-9一二三四五])\s*(?:个|项|条|种|号)?(?:选项|方案|吧|呢)?$"
)

_YES = ("yes", "y", "yeah", "yep", "yup", "sure", "correct", "right", "true", "indeed", "we are", "it is", "it has")
_NO = ("no", "n", "nope", "not", "false", "we are not", "we're not", "it is not", "it isn't", "it has not")
_YES_ZH = ("是", "是的", "对", "对的", "有", "有的", "嗯", "没错", "正确", "确实", "是滴")
_NO_ZH = ("不是", "没有", "否", "不", "不对", "无", "没", "并不是", "不是的", "没有的")
_UNSURE = re.compile(
    r"not sure|unsure|don'?t know|do not know|no idea|unknown|can'?t say|"
    r"不知道|不确定|不清楚|不晓得|不好说|不太清楚|说不准"
)
_PUNCTUATION = " \t\n.,!?;:'\"()[]{}。，、！？；：“”‘’（）【】…"
_SEPARATOR = re.compile(r"^\s*[,.;!，。；！、:：—–-]+\s*|^\s+(?=(?:because|since|as|they|it|we|the)\b)")
_COUNT_FILLER = re.compile(
    r"^(?:about|around|approximately|roughly|some|maybe|exactly|just|only|people|persons|individuals|users|"
    r"customers|patients|employees|in total|total|大约|大概|约|差不多|共|一共|总共|人|名|个|位|左右|多|来|上下|将近|"
    r"吧|呢|啊|了|[.。!！~]|\s)*$"
)


@dataclass(frozen=True)
class Choice:
    """What a reply answers: the value for the asked fact, and the rest of the reply (read as usual)."""

    value: Any
    rest: str = ""
    approximate: bool = False
    """A count said approximately ("10万左右", "about 20,000"): the checker asks again only if it decides."""


def read_choice(reply: str, question: Question, also: Sequence[Question] = ()) -> Any | None:
    """The value the reply gives the asked fact, or None when the reply is not an answer to the question.

    Args:
        reply: the person's next message.
        question: the question asked, its options' labels in the language shown.
        also: the same question with labels in other languages (the words of either are understood).
    """
    choice = choose(reply, question, also)
    return None if choice is None else choice.value


def choose(reply: str, question: Question, also: Sequence[Question] = ()) -> Choice | None:
    """The answer a reply gives to `question`, with what else it says; None when it is not an answer."""
    text = _normal(reply)
    if not text or not question.options or _UNSURE.search(text):
        return None
    if len(text) > MAX_REPLY_CHARS:
        reasoned = question.kind == "yes_no" and len(text) <= MAX_REASONED_REPLY_CHARS
        return _yes_no(text, question) if reasoned else None
    bare = text.strip(_PUNCTUATION)
    for q in (question, *also):
        for option, theirs in zip(question.options, q.options, strict=False):
            if theirs.label and bare == _normal(theirs.label).strip(_PUNCTUATION):
                return Choice(option.value)
    number = _option_number(bare, len(question.options))
    if number is not None:
        return Choice(question.options[number - 1].value)
    if question.kind == "yes_no":
        return _yes_no(text, question)
    if question.kind == "count":
        return _count(bare)
    return None


def understand_reply(
    reply: str, asked: Sequence[Question], previous: Facts, language: Language
) -> Understanding | None:
    """The reply read as the answer to the question asked: the fact set on `previous`, the rest read as usual.

    Args:
        reply: the person's message.
        asked: the question of the previous turn, once per language (the first as it was shown).
        previous: the facts before this message.
        language: the conversation's language, kept for a reply with no words (a number).

    Returns:
        The understanding, or None when the reply does not answer the question.
    """
    if not asked:
        return None
    question = asked[0]
    choice = choose(reply, question, asked[1:])
    if choice is None:
        return None
    facts = previous.with_value(question.fact, choice.value)
    note = f"answer to the question asked: {question.fact} = {choice.value}"
    if question.kind == "count":
        approximate = [n for n in facts.approximate_counts if n != question.fact]
        facts = facts.model_copy(update={"approximate_counts": approximate + [question.fact] * choice.approximate})
        note += " (approximately)" * choice.approximate
    if choice.rest:
        rest = extract_facts(choice.rest, facts)
        if rest.intent == "transfer":
            return rest.model_copy(update={"notes": [note, *rest.notes]})
    worded = re.search(r"[A-Za-z\u3400-\u9fff]", reply)
    lang = detect_language(reply) if worded else language
    return Understanding(facts=facts, intent="transfer", language=lang, notes=[note])


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text or "")).strip().lower()


def yes_or_no(reply: str) -> bool | None:
    """A bare yes or no ("是", "不是", "nope"), with nothing more; None otherwise."""
    bare = _normal(reply).strip(_PUNCTUATION)
    for words, value in ((_NO, False), (_YES, True), (_NO_ZH, False), (_YES_ZH, True)):
        if bare in words:
            return value
    return None


def picked_option(reply: str, count: int) -> int | None:
    """Which of `count` options a short reply names ("1", "option 2", "第二个", "the second one"), if any."""
    if len(reply) > MAX_REPLY_CHARS:
        return None
    return _option_number(_normal(reply).strip(_PUNCTUATION), count)


def _option_number(text: str, count: int) -> int | None:
    """The option a reply names by its number or position: "2", "option 2", "第二个", "the second"."""
    n: int | None = None
    if m := _NUMBERED.match(text):
        n = int(m.group(1))
    elif m := _NUMBERED_ZH.match(text):
        n = int(m.group(1)) if m.group(1).isdigit() else _CN_POSITIONS[m.group(1)]
    elif m := _ORDINAL_EN.match(text):
        n = _ORDINALS_EN[m.group(1)] if m.group(1) else int(m.group(2))
    elif text in ("最后一个", "最后一项", "最后"):
        n = -1
    if n == -1:
        n = count
    return n if n is not None and 1 <= n <= count else None


def _yes_no(text: str, question: Question) -> Choice | None:
    """Yes or no, alone or followed by more after a comma or full stop ("no, and ...")."""
    values = {bool(option.value) for option in question.options}
    for words, value in ((_NO, False), (_YES, True), (_NO_ZH, False), (_YES_ZH, True)):
        if value not in values:
            continue
        for word in sorted(words, key=len, reverse=True):
            if not text.startswith(word):
                continue
            after = text[len(word) :]
            if not after.strip(_PUNCTUATION):
                return Choice(value)
            if sep := _SEPARATOR.match(after):
                return Choice(value, after[sep.end() :].strip())
    return None


def _count(text: str) -> Choice | None:
    """A count given as the answer: "35000", "3.5万", "about 20,000 people"."""
    numbers = find_numbers(text)
    if len(numbers) != 1:
        return None
    n = numbers[0]
    left = text[: n.start] + " " + text[n.end :]
    if not _COUNT_FILLER.match(left):
        return None
    return Choice(int(n.value), approximate=n.approximate or bool(_APPROXIMATELY.search(left)))


_APPROXIMATELY = re.compile(
    r"\b(?:about|around|approximately|roughly|some|maybe)\b|大约|大概|约|差不多|左右|多|来|上下|将近"
)
"""The filler words of a count reply that make it approximate."""
