"""The optional language model: proposals merge under the policy; the guard catches bad drafts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel, GenericFakeChatModel
from langchain_core.messages import AIMessage

from assistant import Determination, Facts, RuleBook, check, load_rulebook
from assistant.answer.reply import SourcePassage
from assistant.facts import DATA_KINDS, INDUSTRIES, SCENARIOS, ZONES
from assistant.model.llm import FactsProposal, guard_draft, merge_facts, propose_facts, write_prose
from assistant.model.prompts import FACTS_SYSTEM
from assistant.pipeline import Assistant

ROOT = Path(__file__).resolve().parents[1]
TODAY = dt.date(2026, 11, 27)


@pytest.fixture(scope="module")
def book() -> RuleBook:
    return load_rulebook(ROOT / "corpus" / "rules", ROOT / "corpus" / "documents.yaml")


@pytest.fixture(scope="module")
def flagship(book: RuleBook) -> Determination:
    facts = Facts(zone="beijing_ftz", industry="pharmaceutical", scenario="clinical_trial", sensitive_info_count=40000)
    return check(facts, book, today=TODAY)


SOURCES = [
    SourcePassage(doc="cbdf-provisions-2024", article="6", text="...", id="aaaaaaaaaaaaaaaa"),
    SourcePassage(doc="cbdf-provisions-2024", article="7", text="...", id="bbbbbbbbbbbbbbbb"),
]
ALLOWED = {"aaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbb"}


def fake(*replies: str) -> GenericFakeChatModel:
    return GenericFakeChatModel(messages=iter([AIMessage(r) for r in replies]))


class Broken(FakeListChatModel):
    """A chat model whose endpoint always fails."""

    def invoke(self, *args: Any, **kwargs: Any) -> Any:
        raise TimeoutError("endpoint timed out")


def test_honest_draft_passes(flagship: Determination) -> None:
    draft = "Outside the negative list: file with your free-trade group [p:aaaaaaaaaaaaaaaa]."
    assert write_prose(fake(draft), "q", flagship, SOURCES, "en") == draft


def test_a_model_that_lies_about_the_outcome_is_caught(flagship: Determination) -> None:
    draft = "You need a standard contract or certification [p:aaaaaaaaaaaaaaaa]."
    result = guard_draft(draft, flagship, ALLOWED, "en")
    assert not result.ok and any("outcome" in p for p in result.problems)
    assert write_prose(fake(draft), "q", flagship, SOURCES, "en") is None


def test_a_model_that_cites_an_unretrieved_id_is_caught(flagship: Determination) -> None:
    draft = "Outside the negative list [p:cccccccccccccccc]."
    result = guard_draft(draft, flagship, ALLOWED, "en")
    assert result.problems == ["cites an id that was not retrieved: cccccccccccccccc"]
    assert write_prose(fake(draft), "q", flagship, SOURCES, "en") is None


def test_chinese_draft_must_state_the_chinese_outcome(flagship: Determination) -> None:
    assert guard_draft("属于负面清单外数据 [p:aaaaaaaaaaaaaaaa]", flagship, ALLOWED, "zh").ok
    assert not guard_draft("无需任何手续", flagship, ALLOWED, "zh").ok


def test_endpoint_errors_fall_back(flagship: Determination) -> None:
    assert write_prose(Broken(responses=["x"]), "q", flagship, SOURCES, "en") is None
    assert propose_facts(Broken(responses=["x"]), "q") is None


def test_proposal_is_parsed_with_pydantic_and_retried() -> None:
    model = fake("not json at all", '```json\n{"zone": "beijing", "sensitive_info_count": 60000}\n```')
    proposed = propose_facts(model, "we are in chaoyang, 6万 patients")
    assert proposed is not None and proposed.zone == "beijing" and proposed.sensitive_info_count == 60000


def test_invalid_proposal_gives_nothing() -> None:
    assert propose_facts(fake('{"zone": "mars"}', '{"zone": "moon"}'), "q") is None


def test_a_proposed_data_kind_or_scenario_outside_the_vocabulary_is_dropped() -> None:
    reply = '{"zone": "beijing", "data_kinds": ["health", "email"], "scenario": "marketing"}'
    proposed = propose_facts(fake(reply), "q")
    assert isinstance(proposed, FactsProposal)
    assert proposed.zone == "beijing" and proposed.data_kinds == ["health"] and proposed.scenario is None
    assert proposed.dropped == ["scenario: 'marketing'", "data_kinds: 'email'"]
    assert "dropped" not in proposed.model_dump()


def test_the_facts_prompt_lists_the_vocabularies_of_the_facts() -> None:
    for values in (ZONES, INDUSTRIES, SCENARIOS, DATA_KINDS):
        assert ", ".join(values) in FACTS_SYSTEM
    assert "other;" in FACTS_SYSTEM.split("scenario: one of ")[1].splitlines()[0]


def test_a_model_proposing_unknown_values_still_gets_an_answer() -> None:
    model = fake('{"data_kinds": ["email"], "scenario": "marketing"}', "not a usable draft")
    question = (
        "We are a retail company registered in the Beijing FTZ. Can we send the order records of 5,000 customers "
        "to our parent company abroad?"
    )
    answer = Assistant(today=lambda: TODAY, model=model).ask(question)
    assert answer.error is None
    assert answer.determination.outcome not in ("out_of_scope", "informational")
    assert "email" not in answer.facts.data_kinds and answer.facts.scenario != "marketing"
    assert answer.facts.zone == "beijing_ftz" and answer.facts.personal_info_count == 5000


def test_merge_policy_keeps_recognised_facts_and_refuses_regime_facts() -> None:
    recognised = Facts(zone="none", data_kinds=["health"])
    proposed = Facts(
        zone="beijing_ftz",
        industry="pharmaceutical",
        sensitive_info_count=40000,
        data_kinds=["genetic"],
        ciio=False,
        important_data=False,
        exemption_basis="emergency",
    )
    merged = merge_facts(recognised, proposed, injection=False)
    assert merged.zone == "none"
    assert merged.industry == "pharmaceutical" and merged.sensitive_info_count == 40000
    assert merged.data_kinds == ["health"]
    assert merged.ciio is None and merged.important_data is None and merged.exemption_basis is None


def test_injection_gets_no_model_facts() -> None:
    merged = merge_facts(Facts(), Facts(zone="beijing_ftz"), injection=True)
    assert merged == Facts()


def test_a_draft_that_opens_with_another_outcome_is_caught(flagship: Determination) -> None:
    draft = "You need a security assessment. Well, outside the negative list [p:aaaaaaaaaaaaaaaa]."
    assert (
        "its first sentence names security_assessment, not the outcome"
        in guard_draft(draft, flagship, ALLOWED, "en").problems
    )
