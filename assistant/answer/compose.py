"""Template answers: verdict first, then why, what to do, assumptions, sources and the contact line.

Everything stated comes from the determination and the resolved passages; nothing here decides.
"""

from __future__ import annotations

from ..catalogue import has, lang_of, word
from ..determination import Citation, Determination
from ..documents import Registry
from ..rules import RuleBook
from .labels import fact_label, outcome_label, section
from .reply import SourcePassage

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


def edition_line(det: Determination, book: RuleBook, lang: str) -> str:
    """Which rule packs govern, and since when."""
    parts = [word("answer.national", lang)]
    pack = book.packs.get(det.applied_list) if det.applied_list else None
    if pack is not None:
        since = pack.effective_from.isoformat()
        parts.append(word("answer.edition_list", lang, title=pack.title.get(lang), since=since))
    return word("sep.cites", lang).join(parts)


def compose(
    det: Determination,
    sources: list[SourcePassage],
    book: RuleBook,
    lang: str,
) -> str:
    """The answer text for a transfer question, in `lang`."""
    numbers = _numbering(det, sources)
    lines = [f"**{verdict(det.outcome, lang)}**"]
    colon = word("sep.colon", lang)
    outcome = outcome_label(det.outcome, lang)
    lines.append(f"{word('answer.outcome', lang)}{colon}{outcome} ({edition_line(det, book, lang)})")
    if det.reasons:
        lines += ["", section("why", lang)]
        for n, reason in enumerate(det.reasons):
            cites = det.reason_citations[n] if n < len(det.reason_citations) else []
            lines.append(f"- {reason}{_marks(cites, numbers)}")
    if det.branches:
        lines += ["", section("branches", lang)]
        lines += [f"- {b.label}: {outcome_label(b.outcome, lang)}" for b in det.branches]
        question = follow_up_question(det, lang)
        if question:
            lines += ["", f"**{question}**"]
    if det.next_steps:
        lines += ["", section("todo", lang)]
        lines += [f"{n}. {step}" for n, step in enumerate(det.next_steps, 1)]
    if det.special_regimes:
        lines += ["", section("regimes", lang)]
        lines += [f"- {regime.text}{_marks(regime.citations, numbers)}" for regime in det.special_regimes]
    if det.assumptions:
        lines += ["", f"{section('assumed', lang)}{colon.strip()}"]
        lines += [f"- {a}" for a in det.assumptions]
    if det.would_change:
        lines += ["", f"{section('change', lang)}{colon.strip()}"]
        lines += [f"- {c.text}" for c in det.would_change]
    lines += _source_lines(sources, numbers, book.registry, lang)
    lines += ["", word("answer.note", lang)]
    return "\n".join(lines)


def compose_informational(sources: list[SourcePassage], registry: Registry, lang: str) -> str:
    """A cited answer to a question about the rules, from the retrieved passages."""
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
    lines = ["", f"{section('sources', lang)}{word('sep.colon', lang).strip()}"]
    for s in sorted(shown, key=lambda s: numbers[(s.doc, s.article)]):
        label = registry.label(s.doc, s.article, lang)
        text = f" “{_excerpt(s.text, QUOTE_CHARS[lang_of(lang)])}”" if quote else ""
        lines.append(f"[{numbers[(s.doc, s.article)]}] {label}{text}")
    return lines


def _excerpt(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"
