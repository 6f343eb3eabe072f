"""Golden rule cases: YAML files of facts in, expected outcome and fired rules out."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from assistant import OUTCOMES, Determination, Facts, RuleBook, check
from assistant.answer.render import render_determination

CASES_DIR = Path(__file__).parent / "cases"
DEFAULT_TODAY = dt.date(2026, 11, 27)
EXPECT_KEYS = {
    "outcome",
    "fired",
    "not_fired",
    "missing_facts",
    "branches",
    "rule_packs",
    "citations_include",
    "assumptions_include",
    "reasons_include",
    "would_change_include",
    "next_steps_include",
    "regimes_include",
}


def _load_cases() -> list[Any]:
    params = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            params.append(pytest.param(path.name, case, id=f"{path.stem}::{case['name']}"))
    return params


CASES = _load_cases()


def _fired(det: Determination) -> set[str]:
    return {step.rule for step in det.trace if step.result not in ("assumed", "unknown and deciding")}


@pytest.mark.parametrize(("filename", "case"), CASES)
def test_golden_case(filename: str, case: dict[str, Any], rulebook: RuleBook) -> None:
    expect = case["expect"]
    assert set(expect) <= EXPECT_KEYS, f"{filename}: unknown expectation keys {set(expect) - EXPECT_KEYS}"
    today = dt.date.fromisoformat(str(case.get("today", DEFAULT_TODAY)))
    neutral = check(Facts.model_validate(case["facts"]), rulebook, today=today)
    det = render_determination(neutral, rulebook, case.get("lang", "en"))
    where = f"{filename} :: {case['name']}\n{det.render_text()}"
    assert det.outcome == expect["outcome"], where
    fired = _fired(det)
    for rule in expect.get("fired", []):
        assert rule in fired, f"rule {rule} did not fire\n{where}"
    for rule in expect.get("not_fired", []):
        assert rule not in fired, f"rule {rule} fired\n{where}"
    if "missing_facts" in expect:
        assert det.missing_facts == expect["missing_facts"], where
    if "branches" in expect:
        got = {b.label if len(b.if_) != 1 else str(next(iter(b.if_.values()))): b.outcome for b in det.branches}
        for value, outcome in expect["branches"].items():
            assert got.get(str(value)) == outcome, f"branch {value}: {got}\n{where}"
    if "rule_packs" in expect:
        assert det.rule_packs == expect["rule_packs"], where
    cited = {(c.doc, c.article) for c in det.citations}
    for ref in expect.get("citations_include", []):
        doc, article = ref.split(" ", 1)
        assert (doc, article) in cited, f"missing citation {ref}\n{where}"
    regimes = {r.id for r in det.special_regimes}
    for regime in expect.get("regimes_include", []):
        assert regime in regimes, f"special regime {regime} not stated\n{where}"
    for key, rows in (
        ("assumptions_include", det.assumptions),
        ("reasons_include", det.reasons),
        ("next_steps_include", det.next_steps),
        ("would_change_include", [c.text for c in det.would_change]),
    ):
        for fragment in expect.get(key, []):
            assert any(fragment in row for row in rows), f"{key}: {fragment!r} not found\n{where}"


def test_every_outcome_is_covered() -> None:
    outcomes = {case.values[1]["expect"]["outcome"] for case in CASES}
    # out_of_scope comes from the answer layer, never from the checker; the checker's informational is a
    # transfer dated before the national rules it holds.
    assert outcomes == set(OUTCOMES) - {"out_of_scope"}
