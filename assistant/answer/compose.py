"""Template answers: verdict first, then why, what to do, assumptions, sources and the contact line.

Everything stated comes from the determination and the resolved passages; nothing here decides.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..catalogue import has, lang_of, word
from ..determination import Citation, Determination
from ..documents import Registry
from ..retrieval.cards import CardHit, split_citation
from ..rules import RuleBook
from .labels import fact_label, outcome_label, section
from .reply import SourcePassage
from .safe import plain

QUOTE_CHARS = {"zh": 80, "en": 160}
"""How much of a source a text answer quotes (Chinese says more in fewer characters)."""


def verdict(outcome: str, lang: str) -> str | None:
    """The answer's first line for a transfer outcome; None for informational and out-of-scope answers."""
    key = f"verdict.{outcome}"
    return word(key, lang) if has(key) else None


def follow_up_question(det: Determination, lang: str) -> str | None:
    """The one short question for the deciding fact, or None when nothing is missing."""
    if det.outcome != "needs_more_information" or not det.missing_facts:
        return None
    name = det.missing_facts[0]
    return (
        word(f"question.{name}", lang)
        if has(f"question.{name}")
        else word("question.default", lang, fact=fact_label(name, lang))
    )


def numbered_options(det: Determination, lang: str) -> str | None:
    """The answers offered to the follow-up question, numbered, for faces without buttons (a reply of "1" or
    the answer's words picks one); None when nothing is asked."""
    question = det.question if det.outcome == "needs_more_information" else None
    labels = [option.label for option in question.options if option.label] if question is not None else []
    if not labels:
        return None
    return "\n".join([word("answer.options_hint", lang), *(f"{n}. {label}" for n, label in enumerate(labels, 1))])


def edition_line(det: Determination, book: RuleBook, lang: str) -> str:
    """Which rule packs govern, and since when."""
    parts = [word("answer.national", lang)]
    pack = book.packs.get(det.applied_list) if det.applied_list else None
    if pack is not None:
        since = pack.effective_from.isoformat()
        parts.append(word("answer.edition_list", lang, title=pack.title.get(lang), since=since))
    return word("sep.cites", lang).join(parts)


FIRST_PART_LIMITS = {"zh": 300, "en": 80}
"""The most the first part of an answer may say: Chinese characters, or English words."""
HEADING = "#### "
"""How a section of an answer starts: the first part is everything before the first one."""
_CJK = re.compile(r"[\u3400-\u9fff]")
_TRAILING_CITES = re.compile(r"\s*[(（][^()（）]*[)）]\s*$")
_SENTENCE_END = re.compile(r"(?<=[。！？；])|(?<=[.!?;])\s+(?=[A-Z(])")


def compose(
    det: Determination,
    sources: list[SourcePassage],
    book: RuleBook,
    lang: str,
) -> str:
    """The answer text for a transfer question, in `lang`: the short first part, then the sections."""
    numbers = _numbering(det, sources)
    lines = [first_part(det, numbers, lang)]
    colon = word("sep.colon", lang)
    outcome = outcome_label(det.outcome, lang)
    lines += [
        "",
        _heading("why", lang),
        f"{word('answer.outcome', lang)}{colon}{outcome} ({edition_line(det, book, lang)})",
    ]
    for n, reason in enumerate(det.reasons):
        cites = det.reason_citations[n] if n < len(det.reason_citations) else []
        lines.append(f"- {reason}{_marks(cites, numbers)}")
    if det.branches:
        lines += ["", _heading("branches", lang)]
        lines += [f"- {b.label}: {outcome_label(b.outcome, lang)}" for b in det.branches]
    if det.next_steps:
        lines += ["", _heading("todo", lang)]
        lines += [f"{n}. {step}" for n, step in enumerate(det.next_steps, 1)]
    if det.special_regimes:
        lines += ["", _heading("regimes", lang)]
        lines += [f"- {regime.text}{_marks(regime.citations, numbers)}" for regime in det.special_regimes]
    if det.assumptions:
        lines += ["", _heading("assumed", lang)]
        lines += [f"- {a}" for a in det.assumptions]
    if det.would_change:
        lines += ["", _heading("change", lang)]
        lines += [f"- {c.text}" for c in det.would_change]
    lines += _source_lines(sources, numbers, book.registry, lang)
    lines += ["", word("answer.note", lang)]
    return "\n".join(lines)


def first_part(det: Determination, numbers: dict[tuple[str, str], int], lang: str) -> str:
    """The verdict, the one reason that decides it and the one next step (or the deciding question), within
    `FIRST_PART_LIMITS`: a longer reason or step is cut to its first sentence."""
    head = verdict(det.outcome, lang)
    lines = [f"**{head}**"] if head else []  # informational (a transfer before the rules): its reason leads
    question = follow_up_question(det, lang)
    if question:
        return "\n".join([*lines, question])
    n = det.deciding_reason if det.deciding_reason is not None or head else 0
    if n is not None and n < len(det.reasons):
        cites = det.reason_citations[n] if n < len(det.reason_citations) else []
        lines.append(det.reasons[n] + _marks(cites, numbers))
    if det.next_steps:
        lines.append(f"{word('answer.first_step', lang)}{word('sep.colon', lang)}{det.next_steps[0]}")
    limit = FIRST_PART_LIMITS[lang_of(lang)]

    def fits() -> bool:
        return size("\n".join(lines), lang) <= limit

    for i in reversed(range(1 if head else 0, len(lines))):  # the step gives way first, a sentence before a line
        for shorten in (_without_trailing_cites, first_sentence, lambda _: ""):
            if not fits():
                lines[i] = shorten(lines[i])
    lines = [line for line in lines if line]
    return "\n".join(lines)


def short_reply(text: str, lang: str, case_id: str | None, options: str = "") -> str:
    """What a chat tool shows: the answer's first part, the follow-up question's options (numbered, when one is
    asked) and the case id to ask the help desk about."""
    head, _ = split_first_part(text)
    parts = [head, options, word("answer.case_ref", lang, case_id=case_id) if case_id else ""]
    return "\n\n".join(p for p in parts if p)


def _without_trailing_cites(text: str) -> str:
    return _TRAILING_CITES.sub("", text)


def split_first_part(text: str) -> tuple[str, str]:
    """An answer's first part (before the first section heading) and the rest."""
    at = text.find("\n" + HEADING)
    return (text, "") if at < 0 else (text[:at].rstrip(), text[at + 1 :])


def size(text: str, lang: str) -> int:
    """How long a text reads: Chinese characters for Chinese, words for English."""
    return len(_CJK.findall(text)) if lang_of(lang) == "zh" else len(text.split())


def first_sentence(text: str) -> str:
    """The first sentence of a text (the whole text when it has one)."""
    head = _SENTENCE_END.split(text, maxsplit=1)[0].strip()
    return head or text


def _heading(key: str, lang: str) -> str:
    return HEADING + section(key, lang)


def compose_parts(parts: list[tuple[str, str, str]], lang: str) -> str:
    """The answer to a message about several things, from each part's (text, outcome, answer): first the
    outcome of each, then each part's own answer under its question."""
    lines = [f"**{word('answer.parts_intro', lang, count=len(parts))}**"]
    colon = word("sep.colon", lang)
    for n, (text, outcome, _) in enumerate(parts, 1):
        lines.append(f"{n}. {plain(_excerpt(text, 60))}{colon}{outcome_label(outcome, lang)}")  # the user's words
    note = word("answer.note", lang)
    for n, (text, _, body) in enumerate(parts, 1):
        own = body.replace(HEADING, "#" + HEADING).replace(note, "").rstrip()
        lines += ["", f"{HEADING}{n}. {plain(_excerpt(text, 120))}", own]
    lines += ["", note]
    return "\n".join(lines)


def compose_informational(
    sources: list[SourcePassage],
    registry: Registry,
    lang: str,
    *,
    card: CardHit | None = None,
    related: Sequence[SourcePassage] = (),
) -> str:
    """A cited answer to a question about the rules: the card's direct answer when a card fits, else the
    retrieved passages.

    Args:
        sources: with a card, its citations resolved to passages (citing.cite); without, the retrieved passages.
        registry: the document registry, for citation labels.
        lang: the question's language.
        card: the answer card that fits the question, with the false premise it corrects, if any.
        related: further passages worth reading beside a card's own sources.
    """
    if card is not None:
        return _card_answer(card, sources, related, registry, lang)
    if not sources:
        return word("answer.no_passage", lang)
    intro = word("answer.rules_intro", lang)
    numbers = {(s.doc, s.article): n for n, s in enumerate(_unique(sources), 1)}
    lines = [intro, ""]
    for s in _unique(sources):
        label = registry.label(s.doc, s.article, lang)
        old = word("answer.superseded", lang, by=s.superseded_by) if s.superseded_by else ""
        lines.append(f"- {label}{old}: {_excerpt(s.text, 320)} [{numbers[(s.doc, s.article)]}]")
    lines += _source_lines(sources, numbers, registry, lang, quote=False)
    lines += ["", word("answer.note", lang)]
    return "\n".join(lines)


def _card_answer(
    hit: CardHit,
    sources: list[SourcePassage],
    related: Sequence[SourcePassage],
    registry: Registry,
    lang: str,
) -> str:
    """Correction (if any), the card's answer and detail, related passages, then the quoted sources."""
    shown = _unique([*sources, *related])
    numbers = {(s.doc, s.article): n for n, s in enumerate(shown, 1)}
    cited = {(s.doc, s.article) for s in sources}
    lines = []
    if hit.correction is not None:
        key = split_citation(hit.correction.citation)
        label = registry.label(key[0], key[1], lang)
        mark = f" [{numbers[key]}]" if key in numbers else ""
        lines += [word("answer.card_correction", lang, text=hit.correction.fix(lang), source=label) + mark, ""]
    own = [numbers[key] for key in hit.card.cited() if key in numbers]
    marks = " " + "".join(f"[{n}]" for n in own) if own else ""
    lines.append(hit.card.answer.get(lang) + marks)
    if hit.card.detail is not None:
        lines += [f"- {line}" for line in hit.card.detail.get(lang)]
    extra = [s for s in shown if (s.doc, s.article) not in cited]
    if extra:
        lines += ["", f"{word('answer.related', lang)}{word('sep.colon', lang).strip()}"]
        for s in extra:
            label = registry.label(s.doc, s.article, lang)
            lines.append(f"- {label}: {_excerpt(s.text, 200)} [{numbers[(s.doc, s.article)]}]")
    lines += ["", f"{section('sources', lang)}{word('sep.colon', lang).strip()}"]
    for s in shown:
        label = registry.label(s.doc, s.article, lang)
        old = word("answer.superseded", lang, by=s.superseded_by) if s.superseded_by else ""
        quote = f" “{_excerpt(s.text, QUOTE_CHARS[lang_of(lang)])}”" if (s.doc, s.article) in cited else ""
        lines.append(f"[{numbers[(s.doc, s.article)]}] {label}{old}{quote}")
    lines += ["", word("answer.note", lang)]
    return "\n".join(lines)


def out_of_scope_text(lang: str) -> str:
    """What the assistant says to a question that is not about sending data abroad."""
    return word("answer.out_of_scope", lang)


def _numbering(det: Determination, sources: list[SourcePassage]) -> dict[tuple[str, str], int]:
    cited = {(c.doc, c.article) for c in det.citations}
    keys = [(s.doc, s.article) for s in _unique(sources) if (s.doc, s.article) in cited]
    return {key: n for n, key in enumerate(keys, 1)}


def _marks(cites: list[Citation], numbers: dict[tuple[str, str], int]) -> str:
    found = sorted({numbers[(c.doc, c.article)] for c in cites if (c.doc, c.article) in numbers})
    return " " + "".join(f"[{n}]" for n in found) if found else ""


def _unique(sources: list[SourcePassage]) -> list[SourcePassage]:
    seen: set[tuple[str, str]] = set()
    out = []
    for s in sources:
        if (s.doc, s.article) not in seen:
            seen.add((s.doc, s.article))
            out.append(s)
    return out


def _source_lines(
    sources: list[SourcePassage],
    numbers: dict[tuple[str, str], int],
    registry: Registry,
    lang: str,
    *,
    quote: bool = True,
) -> list[str]:
    shown = [s for s in _unique(sources) if (s.doc, s.article) in numbers]
    if not shown:
        return []
    lines = ["", _heading("sources", lang)]
    for s in sorted(shown, key=lambda s: numbers[(s.doc, s.article)]):
        label = registry.label(s.doc, s.article, lang)
        text = f" “{_excerpt(s.text, QUOTE_CHARS[lang_of(lang)])}”" if quote else ""
        lines.append(f"[{numbers[(s.doc, s.article)]}] {label}{text}")
    return lines


_OWN_NUMBER = re.compile(
    r"^\s*(?:[(（]?(?:\d{1,2}|[一二三四五六七八九十])[)）.、:：](?!\d)|[(（](?:\d{1,2}|[a-z])[)）])\s*"
)
"""The person's own number of a question ("1）", "(2)", "二、"): the parts are numbered again, so it is dropped."""


def _excerpt(text: str, limit: int) -> str:
    flat = _OWN_NUMBER.sub("", " ".join(text.split()), count=1) or " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"
