"""A determination is made in no language; one renderer writes it in Chinese or English."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from assistant import Determination, Facts, RuleBook, check
from assistant.answer.render import render_determination

from .test_golden import CASES, DEFAULT_TODAY

UNRESOLVED = re.compile(r"pack:|\{[a-z_]+\}|^[a-z_]+(\.[a-z_0-9-]+)+$")
"""A pack key, an unfilled placeholder, or a bare catalogue key: text that was not rendered."""


def _texts(det: Determination) -> list[str]:
    return [
        *det.reasons,
        *det.assumptions,
        *det.next_steps,
        *(b.label for b in det.branches),
        *(c.text for c in det.would_change),
        *(r.text for r in det.special_regimes),
        *(o.label for o in (det.question.options if det.question else [])),
    ]


def _keyed(det: Determination) -> dict[str, Any]:
    data = det.to_dict()
    for name in ("reasons", "assumptions", "next_steps", "language"):
        data.pop(name)
    for branch in data["branches"]:
        branch.pop("label")
    for change in data["would_change"]:
        change.pop("text")
    for regime in data["special_regimes"]:
        regime.pop("text")
    for option in data["question"]["options"] if data["question"] else []:
        option.pop("label")
    return data


@pytest.mark.parametrize(("filename", "case"), CASES)
def test_keyed_form_is_the_same_in_both_languages(filename: str, case: dict[str, Any], rulebook: RuleBook) -> None:
    today = dt.date.fromisoformat(str(case.get("today", DEFAULT_TODAY)))
    neutral = check(Facts.model_validate(case["facts"]), rulebook, today=today)
    en = render_determination(neutral, rulebook, "en")
    zh = render_determination(neutral, rulebook, "zh")
    assert _keyed(en) == _keyed(zh) == _keyed(neutral)
    assert neutral.reasons == [] and neutral.language == ""
    for lang, det in (("en", en), ("zh", zh)):
        assert det.language == lang
        assert len(det.reasons) == len(det.reason_keys) and len(det.next_steps) == len(det.next_step_keys)
        for text in _texts(det):
            assert text.strip() and not UNRESOLVED.search(text), f"{filename} :: {case['name']} ({lang}): {text!r}"


def test_chinese_rendering_is_chinese(rulebook: RuleBook) -> None:
    facts = Facts(zone="none", sensitive_info_count=20_000, data_kinds=["health"])
    zh = render_determination(check(facts, rulebook, today=DEFAULT_TODAY), rulebook, "zh")
    assert all(re.search(r"[\u4e00-\u9fff]", text) for text in zh.reasons + zh.next_steps)
    assert any("20,000" in text for text in zh.reasons)
