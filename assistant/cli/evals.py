"""The question evaluation: determination accuracy, citation validity, language match, missing-fact precision."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, Field

from ..answer.reply import Answer
from ..errors import CitationError, CorpusError
from ..pipeline import Assistant

THRESHOLDS = {"accuracy": 0.97, "citation_validity": 1.0, "language_match": 1.0}
CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN = re.compile(r"[A-Za-z]")


class Expectation(BaseModel):
    """What a case must give."""

    outcome: str
    citations: list[str] = Field(default_factory=list)
    missing_facts: list[str] = Field(default_factory=list)


class Case(BaseModel):
    """One question as a person would ask it."""

    id: str
    lang: str
    question: str
    history: list[str] = Field(default_factory=list)
    expect: Expectation
    tags: list[str] = Field(default_factory=list)


class Result(BaseModel):
    """How the assistant did on one case."""

    case: Case
    outcome: str
    correct: bool
    citations_valid: bool
    expected_citations_found: bool
    language_match: bool
    missing_precision: float | None


def load_cases(path: Path) -> tuple[dt.date, list[Case]]:
    """The cases of a questions file and the date they are written for."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        return dt.date.fromisoformat(str(raw["today"])), [Case.model_validate(c) for c in raw["cases"]]
    except (OSError, KeyError, TypeError, ValueError, yaml.YAMLError) as exc:
        raise CorpusError(f"{path}: {exc}") from exc


def run_cases(assistant: Assistant, cases: Iterable[Case]) -> list[Result]:
    """Ask every case and score it."""
    return [score(case, assistant.ask(case.question, case.history), assistant) for case in cases]


def score(case: Case, answer: Answer, assistant: Assistant) -> Result:
    """Score one answer against its case."""
    det = answer.determination
    cited = {f"{c.doc} {c.article}" for c in det.citations} | {f"{s.doc} {s.article}" for s in answer.sources}
    valid = True
    for c in det.citations:
        try:
            assistant.retriever.resolve(c.doc, c.article)
        except CitationError:
            valid = False
    precision = None
    if det.outcome == "needs_more_information" and det.missing_facts:
        asked = set(det.missing_facts)
        precision = len(asked & set(case.expect.missing_facts)) / len(asked) if case.expect.missing_facts else 0.0
    return Result(
        case=case,
        outcome=det.outcome,
        correct=det.outcome == case.expect.outcome,
        citations_valid=valid,
        expected_citations_found=set(case.expect.citations) <= cited,
        language_match=answer.language == case.lang and _written_in(answer.answer, case.lang),
        missing_precision=precision,
    )


def _written_in(text: str, lang: str) -> bool:
    cjk, latin = len(CJK.findall(text)), len(LATIN.findall(text))
    return cjk > latin / 4 if lang == "zh" else latin > cjk


def summarise(results: list[Result]) -> dict[str, dict[str, Any]]:
    """Metrics per language and overall."""
    groups: dict[str, list[Result]] = defaultdict(list)
    for r in results:
        groups[r.case.lang].append(r)
        groups["all"].append(r)
    table: dict[str, dict[str, Any]] = {}
    for lang, rows in sorted(groups.items()):
        precisions = [r.missing_precision for r in rows if r.missing_precision is not None]
        table[lang] = {
            "cases": len(rows),
            "accuracy": sum(r.correct for r in rows) / len(rows),
            "citation_validity": sum(r.citations_valid for r in rows) / len(rows),
            "expected_citations": sum(r.expected_citations_found for r in rows) / len(rows),
            "language_match": sum(r.language_match for r in rows) / len(rows),
            "missing_fact_precision": sum(precisions) / len(precisions) if precisions else None,
        }
    return table


def render(table: dict[str, dict[str, Any]]) -> str:
    """The metrics as a text table."""
    cols = ["cases", "accuracy", "citation_validity", "expected_citations", "language_match", "missing_fact_precision"]
    lines = ["lang  " + "  ".join(f"{c:>22}" for c in cols)]
    for lang, row in table.items():
        cells = [f"{row[c]:>22}" if isinstance(row[c], int) or row[c] is None else f"{row[c]:>22.3f}" for c in cols]
        lines.append(f"{lang:<5} " + "  ".join(cells))
    return "\n".join(lines)


def failures(table: dict[str, dict[str, Any]]) -> list[str]:
    """The thresholds a language misses."""
    found = []
    for lang in ("en", "zh"):
        for metric, minimum in THRESHOLDS.items():
            value = table.get(lang, {}).get(metric)
            if value is not None and value < minimum:
                found.append(f"{lang} {metric} {value:.3f} < {minimum}")
    return found
