"""A pasted chat log or e-mail thread: the person's own words apart from the messages they paste.

"Here's our team chat, who's right?" followed by thirty lines of colleagues arguing is not thirty questions, and
its numbers are not to be added up: people repeat the same figure, correct each other and quote thresholds. The
messages are read one after another like a conversation (a later figure corrects an earlier one) and only their
statements count; the questions asked are the person's own, before and after what they pasted (with the note of
their own that a forwarded thread often opens with). An e-mail thread is read oldest first: by the dates of its
e-mails, else from the bottom up when it quotes replies ("On … wrote:", "> …") or its subjects lose a "RE:".
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from itertools import pairwise

from .dates import find_dates

MIN_MESSAGES = 3
"""Fewer speaker lines than this are a quotation inside a message, not a pasted log."""

_TIME = r"\d{1,2}[:：]\d{2}(?:[:：]\d{2})?"
_DAY = r"\d{1,2}月\d{1,2}[日号]"
_MONTH_EN = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*"
_DAY_EN = rf"(?:\d{{1,2}} {_MONTH_EN}|{_MONTH_EN} \d{{1,2}})"
_NAME = r"[^\s:：\[\]【】()（）0-9][^:：\[\]【】\n]{0,31}?"
_STAMP = (
    r"(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]{0,6}\.?,?\s*|周[一二三四五六日天]\s*|星期[一二三四五六日天]\s*"
    rf"|\d{{4}}[-/.]\d{{1,2}}[-/.]\d{{1,2}}\s+|\d{{1,2}}[/.]\d{{1,2}}\s+|{_DAY}\s*)?{_TIME}"
)
"""A message's time, with its weekday or date before it ("Tue 14:05", "2026-10-08 16:40", "周三 16:40")."""
_SPEAKER = re.compile(
    rf"^\s*(?:"
    rf"【[^】\n]{{1,24}}】\s*(?:{_TIME})?\s*[:：]?"  # 【产品-小周】9:30 …
    rf"|\[{_STAMP}\]\s*{_NAME}\s*[:：]"  # [10:02] Kevin: … / [Tue 14:05] Ana (sales): …
    rf"|\[{_NAME}\]\s*(?:{_TIME})?\s*[:：]?"  # [Kevin 10:02] …
    rf"|{_TIME}\s+{_NAME}\s*[:：]"  # 10:02 Kevin: …
    rf"|\d{{4}}[-/.]\d{{1,2}}[-/.]\d{{1,2}}\s+{_TIME}\s+{_NAME}\s*[:：]"  # 2026-11-19 09:12 Kelly Deng: …
    rf"|{_NAME}\s*(?:[（(][^）)\n]{{1,12}}[）)])?\s*{_TIME}\s*[:：]?"  # 小周 09:12： / 老杨（技术）09:20：
    rf"|[^\s:：\n]{{1,14}}?{_DAY}(?:的)?(?:邮件|回复|回信|来信|消息|留言|补充)?\s*[:：]"  # 申办方11月3日邮件：
    rf"|{_NAME}\s*[,，(（]\s*{_DAY_EN}\s*[)）]?\s*[:：]"  # Sponsor, 3 Nov: / Legal (Nov 5):
    rf"|>\s*{_NAME}\s+(?:wrote|writes|said)\s*[:：]"  # > Mark wrote: … (a quoted reply, answered below it)
    rf"|>\s*{_NAME}\s*(?:写道|说|回复)\s*[:：]"  # > 王经理写道：…
    rf")"
)
_NAMED = re.compile(
    r"^\s*(?:\d{1,2}[.、)）]\s*)?([A-Z][\w.'-]{0,15}(?: [A-Z][\w.'-]{0,15}){0,2}(?: ?\([^)\n]{1,20}\))?"
    r"|[\u4e00-\u9fff\w（）()-]{1,10})\s*[:：]"
)
"""A line opened by a name alone ("Kevin:", "小周：", or an item of minutes, "3. 法务部："): a speaker only where the
same names come back."""
_NOT_NAMES = frozenset(
    {"问题", "背景", "补充", "备注", "结论", "附件", "question", "questions", "note", "re", "fyi", "ps"}
)
_EMAIL_HEADER = re.compile(r"^\s*(?:From|发件人|寄件人|寄件者)\s*[:：]", re.IGNORECASE)
_HEADER_LINE = re.compile(
    r"^\s*(?:From|To|Cc|Bcc|Sent|Date|Subject|发件人|寄件人|寄件者|收件人|抄送|发送时间|时间|日期|主题)\s*[:：]",
    re.IGNORECASE,
)
_SEPARATOR = re.compile(
    r"^\s*[-—_=*>]{2,}.*(?:forwarded|original|转发|原始|邮件).*$|^\s*On .{4,80} wrote:\s*$|^\s*[-—_=]{3,}\s*$",
    re.IGNORECASE,
)
_QUESTION = re.compile(r"[^。！？!?\n]*[？?]")
_ASKS = re.compile(
    r"[？?]|要不要|需不需要|是否|能不能|可不可以|请问|帮忙看|帮我看|给个准话|怎么处理|如何处理"
    r"|\b(?:can you|could you|please (?:advise|confirm|check|help)|let (?:me|us) know|whether|what do we need"
    r"|(?:want|need|like) to know|what we need)\b|想知道|想问",
    re.IGNORECASE,
)
"""Words of a person asking something, with or without a question mark ("麻烦帮忙看下我们要不要备案。")."""


@dataclass(frozen=True)
class Thread:
    """What a message with a pasted log holds: the person's own words and the pasted messages, oldest first."""

    own: str
    messages: list[str]


def pasted_thread(text: str) -> Thread | None:
    """The person's own words and the messages of a chat log or e-mail thread they pasted; None when the message
    pastes neither (at least `MIN_MESSAGES` speaker lines, or two e-mails with their headers)."""
    return _chat(text) or _emails(text)


def statements(message: str) -> str:
    """A pasted message without the questions it asks: what colleagues ask each other is not what the person
    asks, and "any children's data? ID numbers?" states no kind of data."""
    return _QUESTION.sub("", message).strip(" ，,。")


def _chat(text: str) -> Thread | None:
    lines = text.splitlines()
    starts = [i for i, line in enumerate(lines) if _SPEAKER.match(line)] or _named(lines)
    if len(starts) < MIN_MESSAGES:
        return None
    first, last = starts[0], starts[-1]
    end = last + 1
    while end < len(lines) and lines[end].strip() and lines[end][:1].isspace():  # the last message's indented lines
        end += 1
    messages: list[str] = []
    for n, start in enumerate(starts):
        stop = starts[n + 1] if n + 1 < len(starts) else end
        body = (
            (
                _SPEAKER.sub("", lines[start], count=1)
                if _SPEAKER.match(lines[start])
                else _NAMED.sub("", lines[start], count=1)
            )
            + "\n"
            + "\n".join(lines[start + 1 : stop])
        )
        messages.append(body.strip())
    own = "\n".join([*lines[:first], *lines[end:]]).strip()
    return _asking(own, [m for m in messages if m])


def _asking(own: str, messages: list[str]) -> Thread:
    """The thread with the person's question: their own words when these ask something, else the last pasted
    message that asks the assistant ("@数据合规助手 这批名单能发去迪拜吗？"), else the last one that asks at all (a log
    that ends "@bot: can we send this list to Dubai?")."""
    if _ASKS.search(own) or not messages:
        return Thread(own, messages)
    asking = [n for n, m in enumerate(messages) if _QUESTION.search(m)]
    addressed = [n for n in asking if _TO_THE_ASSISTANT.search(messages[n])]
    if not (addressed or asking):
        return Thread(own, messages)
    n = (addressed or asking)[-1]
    return Thread(f"{own}\n{messages[n]}".strip(), messages[:n] + messages[n + 1 :])


_TO_THE_ASSISTANT = re.compile(
    r"@\s*\S{0,12}?(?:助手|机器人|(?i:bot|assistant|AI)\b)"
    r"|(?i:\bquestions? (?:for|to) (?:the )?(?:[\w-]+ ){0,2}(?:assistant|bot|help ?desk)\b)"
    r"|(?:问|请教|请)(?:一下)?(?:下)?(?:合规|数据)?(?:助手|机器人|咨询台|服务台)"
)
"""A message addressed to the assistant in a group chat ("@数据合规助手", "@compliance-bot")."""


def _named(lines: list[str]) -> list[int]:
    """The lines opened by a speaker's name alone, when at least two names speak more than once."""
    names = [(i, m.group(1)) for i, line in enumerate(lines) if (m := _NAMED.match(line))]
    names = [(i, n) for i, n in names if n.lower() not in _NOT_NAMES and not _HEADER_LINE.match(lines[i])]
    repeated = {n for _, n in names if sum(1 for _, other in names if other == n) >= 2}
    return [i for i, n in names if n in repeated] if len(repeated) >= 2 else []


_FORWARD_NOTE = re.compile(
    r"\b(?:(?:the |this )?(?:thread|chain|e-?mails?|messages?|conversation|discussion)s? (?:is )?below|see below"
    r"|below is|(?:my )?question is (?:at the (?:end|bottom)|below)|question (?:at the (?:end|bottom)|below))\b"
    r"|(?:下面|以下)(?:是|为)?[^，。；\n]{0,12}(?:邮件|往来|讨论|聊天|记录|群聊)|问题在(?:最后|下面|后面|末尾)",
    re.IGNORECASE,
)
"""Words of the person forwarding a thread in their own e-mail above it ("Thread below. My question is at the
bottom.")."""
_QUOTED = re.compile(r"^\s*((?:>\s?)+)")
"""The quotation marks that open a quoted line of a reply ("> ", ">> ", "> > ")."""
_ATTRIBUTION = re.compile(r"^\s*(?:On\b.{4,100}?\bwrote|[^\n]{1,60}?写道)\s*[:：]\s*$", re.IGNORECASE)
"""The line that opens a quoted e-mail ("On Mon, 23 Nov 2026, Zhou Ming wrote:", "张三 写道：")."""
_DATED_HEADER = re.compile(r"^\s*(?:Sent|Date|发送时间|时间|日期)\s*[:：]", re.IGNORECASE)


@dataclass
class _Mail:
    depth: int
    lines: list[str]
    opened: bool
    """Opened by a header or an attribution line (not only by a change of quotation depth)."""


def _emails(text: str) -> Thread | None:
    """The e-mails of a pasted thread: each opened by its "From:" header or by the line that quotes it ("On …
    wrote:"), or where a deeper quotation starts; read oldest first."""
    lines = text.splitlines()
    depths = [len(m.group(1).replace(" ", "")) if (m := _QUOTED.match(line)) else 0 for line in lines]
    bare = [_QUOTED.sub("", line) if depth else line for line, depth in zip(lines, depths, strict=True)]
    mails: list[_Mail] = []
    top: int | None = None
    last_depth = 0
    for i, line in enumerate(bare):
        opens = bool(_EMAIL_HEADER.match(line) or _ATTRIBUTION.match(line))
        if top is None and not opens:
            continue
        if top is None:
            top = i
            while top > 0 and (_SEPARATOR.match(lines[top - 1]) or _HEADER_LINE.match(lines[top - 1])):
                top -= 1
        depth = depths[i] if line.strip() else last_depth
        heading = bool(mails) and all(_ATTRIBUTION.match(ln) or not ln.strip() for ln in mails[-1].lines)
        if heading and depth >= mails[-1].depth:  # the e-mail that "On …, Mark wrote:" opens, quoted below it
            mails[-1].depth = depth
            mails[-1].lines.append(line)
        elif opens:
            mails.append(_Mail(depth, [line], opened=True))
        elif depth > last_depth:
            mails.append(_Mail(depth, [line], opened=False))
        elif depth < last_depth:  # back to a shallower reply: the rest of the e-mail that quoted the deeper ones
            mails.append(next((m for m in reversed(mails) if m.depth == depth), _Mail(depth, [], opened=False)))
            mails[-1].lines.append(line)
        else:
            mails[-1].lines.append(line)
        last_depth = depth
    distinct = list({id(m): m for m in mails}.values())
    if top is None or len(distinct) < 2 or (sum(m.opened for m in distinct) < 2 and not any(depths)):
        return None
    bodies = [
        [ln for ln in m.lines if not _HEADER_LINE.match(ln) and not _SEPARATOR.match(ln) and not _ATTRIBUTION.match(ln)]
        for m in distinct
    ]
    if distinct[0].depth == 0 and _FORWARD_NOTE.search("\n".join(bodies[0])) and len(distinct) > 2:
        note = bodies.pop(0)  # the forwarder's own e-mail, sent with the thread below it
        distinct = distinct[1:]
        lines = lines[:top] + note + [""] + lines[top:]
        top += len(note) + 1
    last = mails[-1]
    index = next((i for i, mail in enumerate(distinct) if mail is last), None)  # None: the note, now the own words
    tail = _own_tail(last.lines) if last.depth == 0 and index is not None else []
    if tail and index is not None:
        body = bodies[index]
        del body[len(body) - len(tail) :]
    messages = ["\n".join(bodies[i]).strip() for i in _oldest_first(distinct)]
    own = "\n".join([*lines[:top], *tail]).strip()
    return _asking(own, [m for m in messages if m])


_REPLY_PREFIX = re.compile(r"\b(?:RE|AW|FW|FWD)\s*[:：]|回复\s*[:：]|答复\s*[:：]|转发\s*[:：]", re.IGNORECASE)


def _oldest_first(mails: list[_Mail]) -> list[int]:
    """The order in which to read a pasted e-mail thread: by the dates (and times) of its e-mails when they have
    them, an undated e-mail placed by the one before it; else newest first, as mail programs quote, when its subjects
    lose a "RE:" from one e-mail to the next or its e-mails are quoted ("On … wrote:"); else as pasted."""
    stamps = [_stamp(mail) for mail in mails]
    dated = [stamp for stamp in stamps if stamp is not None]
    falling = sum(a > b for a, b in pairwise(dated))
    rising = sum(a < b for a, b in pairwise(dated))
    if falling or rising:
        newest_first = falling > rising
        keys: list[tuple[tuple[dt.date, int], int]] = []
        last = dated[0]
        for stamp in stamps:
            last = stamp or last
            keys.append((last, 0 if stamp else (-1 if newest_first else 1)))
        return sorted(range(len(mails)), key=lambda i: (keys[i], -i if newest_first else i))
    replies = [
        len(_REPLY_PREFIX.findall(line))
        for mail in mails
        for line in mail.lines
        if re.match(r"\s*(?:Subject|主题)\s*[:：]", line, re.I)
    ]
    if len(replies) >= 2 and replies[0] != replies[-1]:
        newest_first = replies[0] > replies[-1]
    else:
        newest_first = any(_ATTRIBUTION.match(line) for mail in mails for line in mail.lines)
    order = list(range(len(mails)))
    return order[::-1] if newest_first else order


_CLOCK = re.compile(r"(?<!\d)([01]?\d|2[0-3])[:：]([0-5]\d)(?!\d)")


def _stamp(mail: _Mail) -> tuple[dt.date, int] | None:
    """When an e-mail was sent, from its date header or the line that quotes it: the day and the minute of the day
    (0 when no time is given)."""
    for line in mail.lines:
        if _DATED_HEADER.match(line) or _ATTRIBUTION.match(line):
            found = find_dates(line)
            if found:
                clock = _CLOCK.search(line, found[0].end)
                return found[0].value, int(clock.group(1)) * 60 + int(clock.group(2)) if clock else 0
    return None


def _own_tail(body: list[str]) -> list[str]:
    """The last paragraphs after the oldest e-mail when they ask something: the forwarder's own question, written
    below the thread ("Lena, so: do we need to file?"), with the greeting that closes it ("Thanks, Helen"), or all
    that follows a rule ("----") when it asks."""
    rule = max((i for i, line in enumerate(body) if _RULE.match(line)), default=-1)
    if rule >= 0 and any(_QUESTION.search(line) for line in body[rule + 1 :]):
        return body[rule:]
    end = len(body)
    while True:
        blank = max((i for i, line in enumerate(body[:end]) if not line.strip()), default=-1)
        if blank < 0:
            return []
        paragraph = body[blank + 1 : end]
        if any(_QUESTION.search(line) for line in paragraph):
            return body[blank + 1 :]
        if sum(len(line) for line in paragraph) > CLOSING_CHARS:
            return []
        end = blank  # "Thanks, Helen" under the question


_RULE = re.compile(r"^\s*[-—_=]{3,}\s*$")
CLOSING_CHARS = 40
"""A paragraph this short under the question closes the message (a greeting, a name), asking nothing."""
