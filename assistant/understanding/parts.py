"""A message that asks about several things: the shared context and each question with what it adds.

"We are a carmaker in Shunyi. Can we send the after-sales records of 30,000 owners to Munich? And the
driving analytics of 200,000 cars to Detroit? Also, is a foreign auditor looking at our system an export?"
holds a context (the first sentence) and three questions. `split_parts` finds the pieces; the pipeline reads
each with the context and answers them as parts only when they say different things (two questions about
the same transfer stay one answer).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_PARTS = 5
"""More questions than this in one message are read as one (a questionnaire is not a conversation)."""
MINUTES_SPEAKERS = 3
"""Lines giving someone's words ("- Mark: …") that make a message a record (minutes, a chat log) at any length."""
_RECORD = re.compile(
    r"^\s*(?:(?:minutes|meeting notes|notes of)\b|会议纪要|纪要|会议记录|讨论记录|群聊记录|聊天记录)"
    r"|^\s*【[^】\n]{0,30}(?:记录|纪要|minutes)[^】\n]{0,20}】"
    r"|^\s*(?:present|attendees|participants|参会(?:人员?)?|出席|与会(?:人员)?)\s*[:：]",
    re.IGNORECASE | re.MULTILINE,
)
"""The heading or attendance line of minutes or a chat log: a record, whose items are not the person's questions."""
DOCUMENT_CHARS = 1200
"""A message longer than this with numbered lines is a pasted document (minutes, a plan): its items are points of
one matter, and only its questions split it."""

_PIECE = re.compile(r"[^\n.!?。！？；;]+(?:[.!?。！？；;]+|$)")
_ASKS = re.compile(r"[?？]\s*$|[吗呢么]\s*[。！!]?\s*$")
_ITEM = re.compile(
    r"^\s*(?:\(?\d{1,2}[).、]|[（(][一二三四五六七八九十\d]{1,2}[)）]|[①②③④⑤⑥⑦⑧⑨]|[一二三四五]、|[-*•]\s)"
)
_NUMBER_DOT = re.compile(r"\d\.$")
_LIST_NUMBER = re.compile(r"^\s*\(?\d{1,2}[.)]\s*$")
_PROCEDURE = re.compile(
    r"\b(?:need|needs|needed|required?|must|should|declare|file|filing|apply|report|register|sign|procedures?"
    r"|allowed|ok|okay|fine|legal|compliant|standard contract|security assessment|certification)\b"
    r"|需要|需不需要|要不要|是否需|必须|申报|备案|手续|程序|怎么办|怎么做|可以吗|行吗|合规|允许"
    r"|签|标准合同|安全评估|安评|认证|得不得|是不是得|该走|走哪",
    re.IGNORECASE,
)


def about_the_transfer(text: str) -> bool:
    """Whether a question that names nothing of its own asks what to do about the transfer described beside it
    ("do we need to declare anything?", "需要什么手续？"), rather than a question of its own."""
    return bool(_PROCEDURE.search(text)) and not _HOW_IT_WORKS.search(text)


_HOW_IT_WORKS = re.compile(
    r"多久|多长时间|几天|几个月|时限|期限|有效期|材料|流程|步骤|在哪|向哪|哪个部门|费用|收费"
    r"|\bhow (?:long|much|many (?:days|weeks|months))\b|\bwhat (?:documents|materials|papers|forms)\b"
    r"|\bwhere (?:do|does|to|can|should)\b|\bvalid(?:ity)?\b|\bdeadlines?\b|\bsteps\b",
    re.IGNORECASE,
)
"""How a procedure works (its duration, materials, office, cost): a question about the rules, not what to do about
the transfer ("how long does the assessment take?", "安全评估一般多久出结果？")."""


@dataclass(frozen=True)
class Piece:
    """One question of a message, with the statements that lead up to it since the previous question."""

    text: str


@dataclass(frozen=True)
class Split:
    """The statements before the first question (they apply to every part), then the questions."""

    context: str
    pieces: list[Piece]
    lead: str = ""
    """Of a listed message: the text before its first item (the company, the place), without what follows."""


_SPEAKER = re.compile(
    r"^\s*(?:[-*•]\s*)?(?:[\d/.-]{0,10}\s*\d{1,2}:\d{2}\s*)?"
    r"(?:[A-Z][\w.'-]*(?: [A-Z][\w.'-]*){0,2}|[\u4e00-\u9fff][\u4e00-\u9fff\w-]{0,9})"
    r"\s*(?:[(（][^)）\n]{0,30}[)）])?\s*[:：]"
)
"""A line of minutes or a chat log that gives someone's words: "- Mark: …", "Deng (Legal): …", "09:15 小周：…"."""


def _said_by_someone(text: str) -> set[str]:
    """The sentences of a document's lines that report someone's words (a speaker's questions are the record's)."""
    out: set[str] = set()
    for line in text.splitlines():
        if _SPEAKER.match(line):
            out.update(sentence for sentence in _sentences(line))
    return out


def _sentences(text: str) -> list[str]:
    """Sentences and list items, in order; a decimal point or a list number ("1.") does not end a sentence."""
    out: list[str] = []
    for line in text.splitlines():
        carry = ""
        for m in _PIECE.finditer(line):
            chunk = m.group(0)
            decimal = _NUMBER_DOT.search(chunk.rstrip()) and m.end() < len(line) and line[m.end()].isdigit()
            if decimal or _LIST_NUMBER.match(carry + chunk):
                carry += chunk  # 1.5 million, or the "1." of a list item
                continue
            sentence = (carry + chunk).strip()
            carry = ""
            if sentence:
                out.append(sentence)
        if carry.strip():
            out.append(carry.strip())
    return out


_INLINE_ITEM = re.compile(
    r"(?:(?<=^)|(?<=[\s:：;；,，。.!?？]))(?:\((?:\d{1,2}|[a-e])\)|(?:\d{1,2}|[a-e])\)|\d{1,2}）|[（(][一二三四五六七八九十\d]{1,2}[)）]"
    r"|[①②③④⑤⑥⑦⑧⑨]|[一二三四五]是|其[一二三四五][，,、：:]|第[一二三四五](?:个|件事|点)?[，,、：:]"
    r"|第[一二三四五](?:个|种)(?:方案|做法|选择|办法)?是|(?:方案|选项|做法)[一二三四五1-5ABCDE][，,、：:是]?"
    r"|(?i:(?:option|scenario|alternative|variant|approach|plan)\s+(?:[1-5]|[a-e]\b|one|two|three)\s*[:：.)\-–—]))"
    r"|(?<=[:：;；])\s?\d{1,2}\.(?=\s)"
)
"""A list marker inside a line: "(1) ... (2) ...", "1）…2）…", "一是…二是…", "①…②…", "Option 1: … Option 2: …",
"方案一…方案二…", "第一个是…第二个是…", and "1. … 2. …" after a colon or semicolon."""
_SENTENCE_END = re.compile(r"[。！？!?]|\.(?=\s|$)")


def enumerated(text: str) -> Split | None:
    """A message that lists its transfers with markers in running text; what follows the last item's first
    sentence (the company, the place) belongs to every item, like what comes before the first."""
    marks = list(_INLINE_ITEM.finditer(text))
    if not 2 <= len(marks) <= MAX_PARTS:
        return None
    items = [text[m.start() : (marks[i + 1].start() if i + 1 < len(marks) else len(text))] for i, m in enumerate(marks)]
    last = items[-1]
    end = _SENTENCE_END.search(last, marks[-1].end() - marks[-1].start())
    tail = last[end.end() :] if end else ""
    items[-1] = last[: end.end()] if end else last
    lead = text[: marks[0].start()].strip()
    context = (lead + " " + tail).strip()
    return Split(context, [Piece(item.strip(" ;；,，")) for item in items], lead)


def split_parts(text: str) -> Split | None:
    """The context and the questions of a message that asks two or more questions; None otherwise."""
    if listed := enumerated(text):
        return listed
    sentences = _sentences(text)
    context: list[str] = []
    pieces: list[list[str]] = []
    pending: list[str] = []
    speakers = sum(1 for line in text.splitlines() if _SPEAKER.match(line))
    # pasted minutes, a chat log or a plan: its numbered items are not questions, nor are its speakers' questions
    document = len(text) > DOCUMENT_CHARS or speakers >= MINUTES_SPEAKERS or bool(_RECORD.search(text))
    reported = _said_by_someone(text) - {sentences[-1]} if document and sentences else set()
    for sentence in sentences:
        asks = bool(_ASKS.search(sentence)) and sentence not in reported  # a speaker's question in minutes
        item = bool(_ITEM.match(sentence)) and not document
        if not pieces and not asks and not item:
            context.append(sentence)
            continue
        pending.append(sentence)
        if asks or item:
            pieces.append(pending)
            pending = []
    if pending and pieces:
        pieces[-1] += pending
    if not 2 <= len(pieces) <= MAX_PARTS:
        return None
    return Split(" ".join(context), [Piece(" ".join(p)) for p in pieces])
