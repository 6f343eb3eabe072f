"""The question evaluation: outcome and facts accuracy, the deciding question, answer length, citations, language.

Two sets of cases share one shape (read by `assistant.evalcases`): `evals/questions.yaml` (the first 250
questions) and `evals/realistic/*.yaml` (conversations written without reading the assistant, which also state the
facts and, for several transfers, each part's outcome). The thresholds are judged on the held-out split only, so
that a number reported is not one the code was fitted to.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from pydantic import BaseModel, Field

from ..answer.reply import Answer
from ..catalogue import LANGS, catalogue
from ..errors import CitationError
from ..evalcases import SUITES, Case
from ..pipeline import Assistant

THRESHOLDS: dict[str, dict[str, float]] = {
    "questions": {"accuracy": 0.97},
    "realistic": {"accuracy": 0.92, "deciding_question": 0.9, "first_part_within": 0.9},
}
"""The targets: the minimum of each metric per language, judged on the held-out split of each set."""

FLOORS: dict[str, dict[str, float]] = {
    "questions": {"accuracy": 0.97},
    "realistic": {"accuracy": 0.77, "deciding_question": 0.68, "first_part_within": 0.95},
}
"""What the held-out split must not fall below while the realistic targets are not yet met. Measured at the end of
the sixteenth session on all held-out halves (745 cases per language): realistic accuracy en 0.776, zh 0.812;
deciding question en 0.687, zh 0.752 (the session started at accuracy en 0.770, zh 0.800 and deciding question en
0.681, zh 0.745 on the same cases). `scripts/check.sh` fails on a regression below these; raise them as
understanding improves, up to `THRESHOLDS`."""

FIRST_PART_LIMIT = {"zh": 300, "en": 80}
"""How long the part before the first heading may be: Chinese characters for zh, words for en."""
NOT_DECISIONS = frozenset({"informational", "out_of_scope"})
"""Outcomes whose answers are not a decision (their first part is not measured)."""
SET_FACTS = frozenset({"data_kinds", "data_subjects"})
"""Facts compared as sets (their order says nothing)."""

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
LATIN = re.compile(r"[A-Za-z]")
MARK = re.compile(r"\[\d+\]")
WORD = re.compile(r"[A-Za-z0-9]+(?:['’.,\-][A-Za-z0-9]+)*")


class Result(BaseModel):
    """How the assistant did on one case; None where a measure does not apply to the case."""

    case: Case
    outcome: str
    correct: bool
    citations_valid: bool
    citations_dropped: int = 0
    expected_citations_found: bool
    language_match: bool
    missing_precision: float | None
    wrong_facts: dict[str, tuple[Any, Any]] = Field(
        default_factory=dict, description="field -> (expected, got), for the expected facts the answer missed"
    )
    facts_checked: int = 0
    deciding_question: bool | None = None
    asked: str | None = Field(default=None, description="the first fact the answer asks for")
    first_part: int | None = Field(default=None, description="Chinese characters (zh) or words (en)")
    first_part_within: bool | None = None
    parts: list[str] | None = Field(default=None, description="the outcome of each part, when parts are expected")
    parts_correct: bool | None = None

    @property
    def passed(self) -> bool:
        """Whether every measure that applies to the case holds."""
        return (
            self.correct
            and not self.wrong_facts
            and self.deciding_question is not False
            and self.first_part_within is not False
            and self.parts_correct is not False
            and self.language_match
            and self.citations_dropped == 0
            and self.expected_citations_found
        )


def run_cases(
    assistant: Assistant, cases: Iterable[Case], progress: Callable[[Result], None] | None = None
) -> list[Result]:
    """Ask every case on the date its file is written for, and score it."""
    results = []
    default_today = assistant.today
    try:
        for case in cases:
            assistant.today = _clock(case.today) if case.today is not None else default_today
            result = score(case, assistant.ask(case.question, case.history), assistant.retriever.resolve)
            results.append(result)
            if progress is not None:
                progress(result)
    finally:
        assistant.today = default_today
    return results


def _clock(day: dt.date) -> Callable[[], dt.date]:
    return lambda: day


def score(case: Case, answer: Answer, resolve: Callable[[str, str], object]) -> Result:
    """Score one answer against its case; `resolve` raises CitationError for a citation with no passage."""
    det = answer.determination
    cited = {f"{c.doc} {c.article}" for c in det.citations} | {f"{s.doc} {s.article}" for s in answer.sources}
    dropped = citations_dropped(answer, resolve)
    precision = None
    if det.outcome == "needs_more_information" and det.missing_facts:
        asked = set(det.missing_facts)
        precision = len(asked & set(case.expect.missing_facts)) / len(asked) if case.expect.missing_facts else 0.0
    size = within = None
    if det.outcome not in NOT_DECISIONS:
        size = first_part_size(answer.answer, case.lang)
        within = size <= FIRST_PART_LIMIT[case.lang]
    parts = parts_correct = None
    if case.expect.parts:
        parts = part_outcomes(answer)
        parts_correct = parts == case.expect.parts
    return Result(
        case=case,
        outcome=det.outcome,
        correct=det.outcome == case.expect.outcome,
        citations_valid=dropped == 0,
        citations_dropped=dropped,
        expected_citations_found=set(case.expect.citations) <= cited,
        language_match=answer.language == case.lang and _written_in(answer.answer, case.lang),
        missing_precision=precision,
        wrong_facts=wrong_facts(case.expect.facts, answer),
        facts_checked=len(case.expect.facts),
        deciding_question=deciding_question(case, answer),
        asked=det.missing_facts[0] if det.missing_facts else None,
        first_part=size,
        first_part_within=within,
        parts=parts,
        parts_correct=parts_correct,
    )


def citations_dropped(answer: Answer, resolve: Callable[[str, str], object]) -> int:
    """How many of the determination's citations have no passage (the answer cannot show them)."""
    dropped = 0
    for c in answer.determination.citations:
        try:
            resolve(c.doc, c.article)
        except CitationError:
            dropped += 1
    return dropped


def wrong_facts(expected: dict[str, Any], answer: Answer) -> dict[str, tuple[Any, Any]]:
    """The expected facts the answer's facts do not hold: field -> (expected, got)."""
    wrong = {}
    for name, value in expected.items():
        try:
            got = answer.facts.value(name)
        except AttributeError:
            got = None
        if _comparable(name, got) != _comparable(name, value):
            wrong[name] = (_shown(value), _shown(got))
    return wrong


def _comparable(name: str, value: Any) -> Any:
    if name == "transfer_date" and value is not None:
        return str(value)[:7]  # a month names no day: writers and the reader fill in different ones
    if isinstance(value, dt.date):
        return value.isoformat()
    if name in SET_FACTS or isinstance(value, list | tuple | set | frozenset):
        return frozenset(str(v) for v in value or ())
    return value


def _shown(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, set | frozenset | tuple):
        return sorted(str(v) for v in value)
    return value


def deciding_question(case: Case, answer: Answer) -> bool | None:
    """For a case that needs more information: whether the answer asks first for a fact that decides it."""
    if case.expect.outcome != "needs_more_information":
        return None
    det = answer.determination
    return (
        det.outcome == "needs_more_information"
        and bool(det.missing_facts)
        and det.missing_facts[0] in case.expect.missing_facts
    )


def section_headings() -> frozenset[str]:
    """The answer's section headings in both languages (catalogue keys `section.*`)."""
    return frozenset(
        text.strip() for lang in LANGS for key, text in catalogue(lang).items() if key.startswith("section.")
    )


def first_part(text: str) -> str:
    """The answer text before its first section heading.

    A heading is a line starting with `#` or `**`, or a line that is one of the catalogue's section headings
    (with or without a colon). The first line is never a heading: it is the verdict, shown in bold.
    """
    headings = section_headings()
    kept: list[str] = []
    for line in text.splitlines():
        bare = line.strip()
        started = any(k.strip() for k in kept)
        if started and (bare.startswith(("#", "**")) or bare.rstrip(":：").strip() in headings):
            break
        kept.append(line)
    return "\n".join(kept).strip()


def first_part_size(text: str, lang: str) -> int:
    """The length of the first part: Chinese characters for zh, words for en (citation marks like [2] are not)."""
    head = MARK.sub(" ", first_part(text))
    return len(CJK.findall(head)) if lang == "zh" else len(WORD.findall(head))


def part_outcomes(answer: Answer) -> list[str]:
    """The outcome of each part of an answer about several transfers ([] when the answer has no parts)."""
    return [part.determination.outcome for part in answer.parts]


def _written_in(text: str, lang: str) -> bool:
    cjk, latin = len(CJK.findall(text)), len(LATIN.findall(text))
    return cjk > latin / 4 if lang == "zh" else latin > cjk


def _share(flags: Sequence[bool | None]) -> float | None:
    known = [f for f in flags if f is not None]
    return sum(known) / len(known) if known else None


def summarise(results: list[Result]) -> dict[str, dict[str, Any]]:
    """Metrics per set, split and language (`all` rows add the languages and the splits up)."""
    groups: dict[str, list[Result]] = defaultdict(list)
    for r in results:
        c = r.case
        for split in (c.split, "all"):
            for lang in (c.lang, "all"):
                groups[f"{c.suite} {split} {lang}"].append(r)
    table: dict[str, dict[str, Any]] = {}
    for key in sorted(groups, key=_row_order):
        suite, split, lang = key.split()
        rows = groups[key]
        if (split == "all" and len({r.case.split for r in rows}) == 1) or (
            lang == "all" and len({r.case.lang for r in rows}) == 1
        ):
            continue  # the same rows as the one split or language that was run
        table[key] = _metrics(rows, suite, split, lang)
    return table


def _row_order(key: str) -> tuple[int, int, int]:
    suite, split, lang = key.split()
    return SUITES.index(suite), ("dev", "heldout", "all").index(split), ("en", "zh", "all").index(lang)


def _metrics(rows: list[Result], suite: str, split: str, lang: str) -> dict[str, Any]:
    checked = sum(r.facts_checked for r in rows)
    by_field: dict[str, list[bool]] = defaultdict(list)
    for r in rows:
        for name in r.case.expect.facts:
            by_field[name].append(name not in r.wrong_facts)
    sizes = [r.first_part for r in rows if r.first_part is not None]
    precisions = [r.missing_precision for r in rows if r.missing_precision is not None]
    return {
        "set": suite,
        "split": split,
        "lang": lang,
        "cases": len(rows),
        "accuracy": sum(r.correct for r in rows) / len(rows),
        "facts_accuracy": (checked - sum(len(r.wrong_facts) for r in rows)) / checked if checked else None,
        "facts_by_field": {name: sum(ok) / len(ok) for name, ok in sorted(by_field.items())},
        "deciding_question": _share([r.deciding_question for r in rows]),
        "deciding_cases": sum(r.deciding_question is not None for r in rows),
        "first_part_within": _share([r.first_part_within for r in rows]),
        "first_part_max": max(sizes) if sizes and lang != "all" else None,
        "citations_dropped": sum(r.citations_dropped for r in rows),
        "parts_accuracy": _share([r.parts_correct for r in rows]),
        "language_match": sum(r.language_match for r in rows) / len(rows),
        "expected_citations": sum(r.expected_citations_found for r in rows) / len(rows),
        "missing_fact_precision": sum(precisions) / len(precisions) if precisions else None,
    }


COLUMNS = (
    ("cases", "cases"),
    ("accuracy", "outcome"),
    ("facts_accuracy", "facts"),
    ("deciding_question", "deciding_q"),
    ("first_part_within", "1st_part_ok"),
    ("first_part_max", "1st_part_max"),
    ("citations_dropped", "cites_dropped"),
    ("parts_accuracy", "parts"),
    ("language_match", "lang_match"),
    ("expected_citations", "exp_cites"),
    ("missing_fact_precision", "missing_prec"),
)


def render(table: dict[str, dict[str, Any]]) -> str:
    """The metrics as text: one row per set, split and language, then facts accuracy per field."""
    lines = [f"{'set':<10} {'split':<8} {'lang':<4} " + " ".join(f"{title:>13}" for _, title in COLUMNS)]
    for row in table.values():
        cells = " ".join(f"{_cell(row[key]):>13}" for key, _ in COLUMNS)
        lines.append(f"{row['set']:<10} {row['split']:<8} {row['lang']:<4} {cells}")
    fields = sorted({name for row in table.values() for name in row["facts_by_field"]})
    if fields:
        lines += ["", "facts accuracy per field (cases stating the field)"]
        lines.append(f"{'set':<10} {'split':<8} {'lang':<4} " + " ".join(f"{f[:13]:>13}" for f in fields))
        for row in table.values():
            if row["facts_by_field"]:
                cells = " ".join(f"{_cell(row['facts_by_field'].get(f)):>13}" for f in fields)
                lines.append(f"{row['set']:<10} {row['split']:<8} {row['lang']:<4} {cells}")
    lines += ["", f"1st_part: text before the first heading, limit {FIRST_PART_LIMIT['zh']} Chinese characters (zh)"]
    lines.append(f"or {FIRST_PART_LIMIT['en']} words (en), decision answers only; deciding_q: the first fact asked")
    lines.append("decides (cases expecting needs_more_information); cites_dropped: citations with no passage.")
    return "\n".join(lines)


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def failures(table: dict[str, dict[str, Any]], limits: dict[str, dict[str, float]] = THRESHOLDS) -> list[str]:
    """The thresholds (or floors) a language misses on the held-out split of each set that was run."""
    found = []
    for suite, minimums in limits.items():
        for lang in ("en", "zh"):
            row = table.get(f"{suite} heldout {lang}")
            if row is None:
                continue
            for metric, minimum in minimums.items():
                value = row.get(metric)
                if value is not None and value < minimum:
                    found.append(f"{suite} heldout {lang} {metric} {value:.3f} < {minimum}")
    return found


def describe_failure(r: Result) -> str:
    """One failing case: expected against got, and what else went wrong."""
    c = r.case
    line = f"- {c.id} [{c.suite} {c.split}] expected {c.expect.outcome} got {r.outcome}"
    notes = [f"{name}: expected {exp!r} got {got!r}" for name, (exp, got) in r.wrong_facts.items()]
    if r.deciding_question is False:
        notes.append(f"asked {r.asked or 'nothing'}, deciding: {', '.join(c.expect.missing_facts)}")
    if r.first_part_within is False:
        unit = "characters" if c.lang == "zh" else "words"
        notes.append(f"first part {r.first_part} {unit} > {FIRST_PART_LIMIT[c.lang]}")
    if r.parts_correct is False:
        notes.append(f"parts expected {c.expect.parts} got {r.parts}")
    if not r.language_match:
        notes.append("language does not match")
    if r.citations_dropped:
        notes.append(f"{r.citations_dropped} citation(s) dropped")
    if not r.expected_citations_found:
        notes.append(f"expected citations {c.expect.citations} not all cited")
    text = " ".join(c.question.split())
    return "\n".join([f"{line}: {text[:100]}", *(f"    {n}" for n in notes)])
