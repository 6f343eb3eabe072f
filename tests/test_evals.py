"""The eval runner's scoring, on small answers built by hand; and the eval files' shape and splits."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import pytest

from assistant.answer.reply import Answer, Part
from assistant.catalogue import word
from assistant.cli.evals import (
    FIRST_PART_LIMIT,
    failures,
    first_part,
    first_part_size,
    part_outcomes,
    run_cases,
    score,
    summarise,
)
from assistant.determination import Citation, Determination
from assistant.errors import CitationError, CorpusError
from assistant.evalcases import Case, load_cases, load_suites, suite_files
from assistant.facts import Facts
from assistant.pipeline import Assistant

ROOT = Path(__file__).resolve().parents[1]
EVALS = ROOT / "evals"


def make_case(**overrides: Any) -> Case:
    data: dict[str, Any] = {
        "id": "t-1",
        "lang": "en",
        "split": "heldout",
        "question": "A made-up question about a made-up transfer.",
        "expect": {"outcome": "exempt"},
    }
    data.update(overrides)
    return Case.model_validate(data)


def make_answer(
    outcome: str = "exempt",
    *,
    text: str = "**Yes.**\nOutcome: exempt",
    lang: str = "en",
    facts: Facts | None = None,
    missing: list[str] | None = None,
    citations: list[Citation] | None = None,
) -> Answer:
    det = Determination.model_validate(
        {"outcome": outcome, "missing_facts": missing or [], "citations": citations or [], "language": lang}
    )
    return Answer(question="q", language=cast(Any, lang), answer=text, determination=det, facts=facts or Facts())


def resolves(doc: str, article: str) -> object:
    """A resolver that knows every article but 'ghost'."""
    if article == "ghost":
        raise CitationError(f"no passage for {doc} {article}")
    return [doc, article]


def test_facts_are_compared_per_field_and_kinds_as_sets() -> None:
    case = make_case(
        expect={
            "outcome": "security_assessment",
            "facts": {
                "zone": "beijing",
                "personal_info_count": 120000,
                "data_kinds": ["health", "contact"],
                "transfer_date": dt.date(2026, 3, 1),
            },
        }
    )
    facts = Facts(
        zone="beijing_ftz",
        personal_info_count=120000,
        data_kinds=["contact", "health"],
        transfer_date=dt.date(2026, 3, 1),
    )
    result = score(case, make_answer("security_assessment", facts=facts), resolves)
    assert result.wrong_facts == {"zone": ("beijing", "beijing_ftz")}
    assert result.facts_checked == 4
    row = summarise([result])["questions heldout en"]
    assert row["facts_accuracy"] == 0.75
    assert row["facts_by_field"] == {
        "data_kinds": 1.0,
        "personal_info_count": 1.0,
        "transfer_date": 1.0,
        "zone": 0.0,
    }
    assert not result.passed


def test_a_missing_kind_is_a_wrong_fact() -> None:
    case = make_case(expect={"outcome": "exempt", "facts": {"data_kinds": ["contact", "employee"]}})
    result = score(case, make_answer(facts=Facts(data_kinds=["contact"])), resolves)
    assert set(result.wrong_facts) == {"data_kinds"}


@pytest.mark.parametrize(
    ("outcome", "asked", "expected"),
    [
        ("needs_more_information", ["sensitive_info_count", "zone"], True),
        ("needs_more_information", ["zone", "sensitive_info_count"], False),  # the first question must decide
        ("needs_more_information", [], False),
        ("security_assessment", [], False),
    ],
)
def test_the_deciding_question_is_the_first_fact_asked(outcome: str, asked: list[str], expected: bool) -> None:
    case = make_case(
        expect={
            "outcome": "needs_more_information",
            "missing_facts": ["sensitive_info_count", "personal_info_count"],
        }
    )
    result = score(case, make_answer(outcome, missing=asked), resolves)
    assert result.deciding_question is expected


def test_the_deciding_question_is_not_measured_when_nothing_is_missing() -> None:
    result = score(make_case(), make_answer(missing=["zone"]), resolves)
    assert result.deciding_question is None
    assert summarise([result])["questions heldout en"]["deciding_question"] is None


def test_first_part_ends_at_the_first_heading() -> None:
    why = word("section.why", "en")
    text = f"**Yes, you may send it.**\nOutcome: exempt (two rule sets)\n\n{why}\n- a reason that is long"
    assert first_part(text) == "**Yes, you may send it.**\nOutcome: exempt (two rule sets)"
    assert first_part_size(text, "en") == 10
    assert first_part_size("**Yes.**\nA reason, art 5(4). [1][2][3]\n#### Why\n- more", "en") == 6
    assert first_part("**Verdict**\nline one\n## Details\nmore") == "**Verdict**\nline one"
    assert first_part("**Verdict**\nline one\n\n**Bold heading**\nmore") == "**Verdict**\nline one"
    assert first_part(f"**Verdict**\nline one\n{why}:\nmore") == "**Verdict**\nline one"


def test_first_part_counts_chinese_characters_without_punctuation_or_latin() -> None:
    why = word("section.why", "zh")
    text = f"**可以发送。**\n结论：豁免 (PIPL 2021)\n\n{why}\n- 很长的理由"
    assert first_part_size(text, "zh") == 8


def test_first_part_limit_applies_to_decisions_only() -> None:
    long_en = "**Yes.**\n" + " ".join(["word"] * FIRST_PART_LIMIT["en"])
    over = score(make_case(), make_answer(text=long_en), resolves)
    assert over.first_part == FIRST_PART_LIMIT["en"] + 1
    assert over.first_part_within is False
    informational = score(
        make_case(expect={"outcome": "informational"}), make_answer("informational", text=long_en), resolves
    )
    assert informational.first_part is None and informational.first_part_within is None
    long_zh = "**可以。**\n" + "字" * FIRST_PART_LIMIT["zh"]
    within = score(make_case(lang="zh"), make_answer(text=long_zh, lang="zh"), resolves)
    assert within.first_part == FIRST_PART_LIMIT["zh"] + 2
    assert within.first_part_within is False
    row = summarise([over])["questions heldout en"]
    assert row["first_part_within"] == 0.0 and row["first_part_max"] == FIRST_PART_LIMIT["en"] + 1
    at_limit = score(make_case(), make_answer(text="**Yes.**\n" + "word " * (FIRST_PART_LIMIT["en"] - 1)), resolves)
    assert at_limit.first_part_within is True


def test_parts_are_compared_in_order() -> None:
    case = make_case(expect={"outcome": "security_assessment", "parts": ["security_assessment", "exempt"]})
    plain = make_answer("security_assessment")
    assert part_outcomes(plain) == []
    assert score(case, plain, resolves).parts_correct is False
    parts = [
        Part(text="the first transfer", determination=Determination(outcome="security_assessment")),
        Part(text="the second transfer", determination=Determination(outcome="exempt")),
    ]
    with_parts = plain.model_copy(update={"parts": parts})
    assert score(case, with_parts, resolves).parts_correct is True
    result = score(case, plain.model_copy(update={"parts": parts[::-1]}), resolves)
    assert result.parts_correct is False and result.parts == ["exempt", "security_assessment"]
    assert score(make_case(), plain, resolves).parts_correct is None


def test_citations_that_do_not_resolve_are_counted_as_dropped() -> None:
    cites = [Citation(doc="pipl-2021", article="38"), Citation(doc="pipl-2021", article="ghost")]
    result = score(make_case(), make_answer(citations=cites), resolves)
    assert result.citations_dropped == 1 and not result.citations_valid
    ok = score(make_case(), make_answer(citations=cites[:1]), resolves)
    assert ok.citations_dropped == 0 and ok.citations_valid
    assert summarise([result, ok])["questions heldout en"]["citations_dropped"] == 1


def test_thresholds_judge_held_out_rows_of_the_sets_that_ran() -> None:
    wrong = score(make_case(id="a"), make_answer("security_assessment"), resolves)
    right = score(make_case(id="b"), make_answer(), resolves)
    assert failures(summarise([wrong, right])) == ["questions heldout en accuracy 0.500 < 0.97"]
    dev_only = [r.model_copy(update={"case": r.case.model_copy(update={"split": "dev"})}) for r in (wrong, right)]
    assert failures(summarise(dev_only)) == []
    realistic = make_case(id="c", suite="realistic", expect={"outcome": "exempt"})
    assert failures(summarise([score(realistic, make_answer(), resolves)])) == []
    nmi = make_case(id="d", suite="realistic", expect={"outcome": "needs_more_information", "missing_facts": ["zone"]})
    missed = failures(summarise([score(nmi, make_answer("needs_more_information", missing=["ciio"]), resolves)]))
    assert missed == ["realistic heldout en deciding_question 0.000 < 0.9"]


def test_realistic_format_loads_with_its_date(tmp_path: Path) -> None:
    path = tmp_path / "en.yaml"
    path.write_text(
        "today: 2026-11-30\ncases:\n"
        "  - id: x-1\n    lang: en\n    split: dev\n    question: 'made up'\n    history: []\n"
        "    expect:\n      outcome: exempt\n      facts: {zone: beijing, data_kinds: [contact]}\n"
        "      parts: [exempt, {outcome: security_assessment, facts: {zone: beijing}}]\n    tags: [t]\n",
        encoding="utf-8",
    )
    today, cases = load_cases(path, "realistic")
    assert today == dt.date(2026, 11, 30)
    assert cases[0].today == today and cases[0].suite == "realistic"
    assert cases[0].expect.facts == {"zone": "beijing", "data_kinds": ["contact"]}
    assert cases[0].expect.parts == ["exempt", "security_assessment"]
    path.write_text("today: 2026-11-30\ncases:\n  - id: x-1\n    lang: en\n    question: q\n", encoding="utf-8")
    with pytest.raises(CorpusError):
        load_cases(path)  # no split, no expectation


def test_each_case_is_asked_on_its_files_date() -> None:
    seen: list[dt.date] = []

    class FakeAssistant:
        """Answers every question the same way and notes the date it is asked on."""

        today = dt.date.today
        retriever = SimpleNamespace(resolve=resolves)

        def ask(self, question: str, history: list[str]) -> Answer:
            seen.append(self.today())
            return make_answer()

    fake = FakeAssistant()
    cases = [make_case(today=dt.date(2026, 1, 2)), make_case(today=dt.date(2026, 3, 4))]
    results = run_cases(cast(Assistant, fake), cases)
    assert seen == [dt.date(2026, 1, 2), dt.date(2026, 3, 4)]
    assert [r.correct for r in results] == [True, True]
    assert fake.today == dt.date.today


def _balanced(cases: list[Case]) -> None:
    for lang in ("en", "zh"):
        counts = Counter(c.split for c in cases if c.lang == lang)
        assert abs(counts["dev"] - counts["heldout"]) <= 1, (lang, counts)


def test_questions_file_has_every_case_split_half_and_half() -> None:
    _, cases = load_cases(EVALS / "questions.yaml")
    assert len(cases) >= 250
    assert len({c.id for c in cases}) == len(cases)
    _balanced(cases)
    for tag in ("flagship", "multi-turn", "needs-info", "informational"):
        tagged = Counter(c.split for c in cases if tag in c.tags)
        assert abs(tagged["dev"] - tagged["heldout"]) <= 2, (tag, tagged)


DEV_ONLY = re.compile(r"more\d*-")
"""Realistic files named more-*.yaml (or more2-*.yaml, ...) are extra development cases (all `dev`); the others are
split in halves."""


def test_realistic_files_that_exist_parse_and_are_split() -> None:
    cases = load_suites(EVALS, ["realistic"])
    split: list[Case] = []
    for path in suite_files(EVALS, "realistic"):
        _, found = load_cases(path, "realistic")
        if DEV_ONLY.match(path.name):
            assert {c.split for c in found} <= {"dev"}, path.name
        else:
            split += found
    if cases:
        assert len({c.id for c in cases}) == len(cases)
        _balanced(split)
