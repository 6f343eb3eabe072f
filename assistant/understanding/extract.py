"""Read one message into Facts, merged with what earlier turns said: `extract_facts`."""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field

from ..facts import Facts
from .counts import find_counts
from .injection import strip_injection
from .intent import (
    DEFINITIONAL,
    FIRST_PERSON,
    RULE_QUESTION,
    SAME_AS,
    USES_A_RULE,
    Intent,
    IntentReading,
    ends_on_route,
    mentions_abroad,
    off_topic,
    read_intent,
)
from .people import CORRECTION, HYPOTHETICAL
from .reading import read_turn
from .recall import remembered
from .text import Language, clean_message, detect_language, rx
from .turn import FLAG_FACTS, Turn

_QUESTION = re.compile(r"\?|[吗呢么]\s*$")


class Understanding(BaseModel):
    """What one message says: the merged facts, its intent and language, and what was recognised."""

    model_config = ConfigDict(extra="forbid")

    facts: Facts
    intent: Intent
    language: Language
    notes: list[str] = Field(default_factory=list)
    injection: bool = False
    read: Facts | None = None
    """For a message not read as a transfer: the facts it would give if it were one (a follow-up in a
    conversation about a transfer may be read as one by the caller)."""


@remembered
def extract_facts(text: str, previous: Facts | None = None) -> Understanding:
    """Understand one message: facts stated (merged over `previous`), intent, language and injection.

    Text that instructs the assistant (an injection) is cut out first and never sets a fact; the rest of the
    message is read as usual, and a note says what was ignored.

    Args:
        text: the person's message, in Chinese or English.
        previous: the facts gathered from earlier turns; this turn updates and corrects them.

    Returns:
        The understanding; facts the message does not state keep their previous value (or stay None).
    """
    clean = clean_message(text)
    language = detect_language(clean)
    stripped = strip_injection(clean)
    body = stripped.text
    ignored = [f"instruction to the assistant ignored: «{part}»" for part in stripped.removed]
    base = previous.model_copy(deep=True) if previous is not None else Facts()
    turn = Turn(base)
    read_turn(body, turn)
    intent = _settle_intent(body, read_intent(body), turn, fresh=previous is None or previous == Facts())
    injection = bool(stripped.removed)
    if intent != "transfer":
        return Understanding(
            facts=base, intent=intent, language=language, notes=ignored, injection=injection, read=turn.facts()
        )
    notes = ignored + turn.notes
    return Understanding(facts=turn.facts(), intent=intent, language=language, notes=notes, injection=injection)


_SENTENCE = re.compile(r"[^。.!?！？\n]+[。.!?！？]?")
_ASKED = re.compile(r"[?？]|[吗呢么]\s*[。.]?$")


def described(text: str, reading: IntentReading, turn: Turn, fresh: bool) -> bool:
    """Whether the facts the message states make it about a case of the person's own.

    Later in a conversation any stated fact is part of the case ("we're in Haidian"). A first message must
    describe a transfer (people, purpose, date...), or state facts about the person ("we are a CIIO", "我们是注册在
    上海的公司。"), and name data or outbound data at all: "where do we file an assessment with the Beijing office?",
    "is a phone number sensitive?" or "a residence card for our Dutch manager? we're in Tongzhou" ask about something
    else, whatever place or kind of data they name.
    """
    if not fresh:
        return turn.stated
    if turn.transfer_described and (reading.grounded or turn.counted):
        return True  # a purpose or a recipient alone, in a question naming no data ("a visa for our engineer?"), is not
    if not turn.stated or not reading.grounded:
        return False
    if {"industry", "data_kinds"} <= turn.names and mentions_abroad(text):
        return True  # "厦门一家跨境电商，美国物流商要收件人数据…": a company described, its data, someone abroad
    sentences = [m.group(0).strip() for m in _SENTENCE.finditer(text)]
    statement = any(FIRST_PERSON.search(s) and not _ASKED.search(s) for s in sentences)
    return statement or bool(turn.names & FLAG_FACTS) or not any(_ASKED.search(s) for s in sentences)


def _asks_about_a_rule(text: str) -> bool:
    """Whether a sentence asks about the rules: a rule-question word in a question, or opening a sentence ("how
    long is it valid"); not one inside a statement ("the log says which branch each parcel left from")."""
    for sentence in (m.group(0).strip() for m in _SENTENCE.finditer(text)):
        if _ASKED.search(sentence) and USES_A_RULE.search(sentence) and not FIRST_PERSON.search(sentence):
            return True  # "can a CIIO use the art 5 exemptions?": whether a kind of company may use a rule
        for m in RULE_QUESTION.finditer(sentence):
            if _ASKED.search(sentence) or not sentence[: m.start()].strip(" ,，、-—:：and和那"):
                return True
    return False


_TO_A_RECIPIENT = rx(
    r"(?:传|发|同步|上传|提供|共享|转)(?:到|至|给)[^，。？?！!]{0,10}?(?:总部|母公司|分公司|子公司|服务器|合作方|供应商|服务商|平台|系统)",
    r"\b(?:send|move|transfer|sync|upload|share|give)\b[^.?!]{0,40}?\bto (?:the |our |my )?[\w-]*\s?"
    r"(?:parent|HQ|head office|headquarters|group|affiliate|vendor|partner|servers?|subsidiary)\b",
)
"""A transfer to a particular recipient: the person's own, even when the message drops its "we"."""


_ABOUT_AN_EXEMPTION = rx(r"\b(?:exemption|exception|exempt)\b", "豁免|例外情形")
"""An exemption named as a rule: a question about it that states no case of the person's own asks how it works."""


def _a_case(text: str, turn: Turn) -> bool:
    """Whether the message states a case of the person's own: we, how many people, or somewhere abroad."""
    return bool(
        FIRST_PERSON.search(text)
        or mentions_abroad(text)
        or any(c.attached for c in find_counts(text))
        or turn.names & FLAG_FACTS
    )


def _settle_intent(text: str, reading: IntentReading, turn: Turn, *, fresh: bool = True) -> Intent:
    """The intent once the facts are known: facts about us make a transfer question, rule questions stay one.

    A first message the meaning reads as plainly off-topic stays out of scope whatever facts it happens to name,
    so it never gets a follow-up question; later in a conversation about a transfer (`fresh` False), a short
    message stating facts is taken as part of the case.
    """
    intent = reading.intent
    if (fresh and reading.clearly("out_of_scope")) or reading.about_rules:
        return intent
    if fresh and _ABOUT_AN_EXEMPTION.search(text) and _QUESTION.search(text) and not _a_case(text, turn):
        return "informational"  # "那个人力资源豁免是不是必须写进规章制度才行？": the exemption's conditions
    of_a_kind = bool(USES_A_RULE.search(text)) and not FIRST_PERSON.search(text)  # "can banks use art 5?"
    if described(text, reading, turn, fresh) and intent != "transfer" and not off_topic(text) and not of_a_kind:
        personal = FIRST_PERSON.search(text) or CORRECTION.search(text) or HYPOTHETICAL.search(text)
        if personal or "industry" in turn.names or not _asks_about_a_rule(text):  # a company described: its case
            intent = "transfer"
    if intent == "transfer" and SAME_AS.search(text) and not FIRST_PERSON.search(text):
        return "informational"  # "is a consulate asking for one national's records the same as a police request?"
    if intent != "transfer" or any(c.attached for c in find_counts(text)):
        return intent
    if (
        DEFINITIONAL.search(text)
        and not ({"personal_info_count", "sensitive_info_count", "exemption_basis"} & turn.names)
        and not ends_on_route(text)
    ):
        # "does it count as an export if...": how the rules read, not a case; a message that says whose data
        # ("no personal information in it; does this count as an export?") describes its own case
        return "informational"
    asks = _QUESTION.search(text) or RULE_QUESTION.search(text)
    if asks and not FIRST_PERSON.search(text) and not turn.situation and not _TO_A_RECIPIENT.search(text):
        # about companies in general, describing no transfer of ours ("想把…传到新加坡总部" drops the "we" of its own)
        return "informational"
    return intent
