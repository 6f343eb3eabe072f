"""Citing: each citation of a determination resolved to the passage the answer quotes."""

from __future__ import annotations

from collections.abc import Sequence

from ..determination import Determination
from ..errors import CitationError
from ..retrieval import Passage, Retriever
from .reply import SourcePassage


def cite(det: Determination, retriever: Retriever, lang: str) -> list[SourcePassage]:
    """Resolve every citation of `det` to a passage to quote; an unresolvable citation is dropped from `det`."""
    sources: list[SourcePassage] = []
    kept = []
    for citation in det.citations:
        try:
            passages = retriever.resolve(citation.doc, citation.article)
        except CitationError:
            continue
        kept.append(citation)
        sources.append(_pick(passages, lang))
    det.citations = kept
    return sources


def _pick(passages: Sequence[Passage], lang: str) -> SourcePassage:
    """The passage to quote: the official text first, else the note in the person's language."""
    official = [p for p in passages if p.kind == "official"]
    notes = [p for p in passages if p.kind == "note"]
    same = [p for p in official if p.lang == lang]
    in_lang = [p for p in notes if p.lang == lang]
    chosen = (same or in_lang or official or notes)[0]
    source = source_passage(chosen, None)
    if chosen.kind != "official" and official:
        source.official = official[0].text
    return source


def source_passage(passage: Passage, score: float | None) -> SourcePassage:
    return SourcePassage(
        doc=passage.doc,
        article=passage.article,
        text=passage.text,
        score=score,
        id=passage.id,
        title=passage.title,
        kind=passage.kind,
        lang=passage.lang,
        superseded_by=(passage.superseded_by or "superseded") if passage.superseded else None,
    )
