"""The preview: validation with the project's validators, the diff, and the answers a draft would change."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from assistant.casefile.audit import CaseRow
from assistant.errors import KnowledgeError
from assistant.facts import Facts
from assistant.knowledge import KnowledgeStore
from assistant.knowledge.preview import GoldenCase, golden_cases, preview
from assistant.knowledge.publish import publish_draft
from assistant.retrieval.embeddings import FakeEmbedder
from assistant.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
PACK = (ROOT / "corpus" / "rules" / "beijing-ftz-2024.yaml").read_text(encoding="utf-8")
SHIPPED = "threshold: {fact: individuals, at_least: 50000}"
LOWER = PACK.replace(SHIPPED, "threshold: {fact: individuals, at_least: 30000}")
DAY = dt.date(2026, 11, 27)
TRIAL = Facts.model_validate(
    {"zone": "beijing_ftz", "industry": "pharmaceutical", "scenario": "clinical_trial", "sensitive_info_count": 35000}
)
"""A clinical trial of 35,000 people: between the shipped threshold and the lowered one."""
SMALL = TRIAL.with_value("sensitive_info_count", 2000)
MINE = [
    GoldenCase("own-1", "a trial of thirty-five thousand people", DAY, TRIAL, informational=False),
    GoldenCase("own-2", "a trial of two thousand people", DAY, SMALL, informational=False),
    GoldenCase("own-3", "what is a negative list", DAY, None, informational=True),
]
CARD = """\
id: helpdesk-sample
topic: durations
questions:
  en:
    - How long is a security assessment result valid for the help desk sample?
  zh:
    - 帮助台示例：安全评估结果有效期多久？
answer:
  en: 3 years from the date the result is issued (Provisions art 9).
  zh: 自评估结果出具之日起3年（《规定》第九条）。
citations: [cbdf-provisions-2024 9]
"""


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path, embedder="fake")


def _draft(store: KnowledgeStore, kind: str, name: str, body: str, retire: bool = False) -> int:
    return store.save_draft(kind, name, body, "olga", retire=retire)  # type: ignore[arg-type]


def test_a_lower_threshold_lists_the_cases_it_changes(store: KnowledgeStore, settings: Settings) -> None:
    draft = store.draft(_draft(store, "pack", "beijing-ftz-2024", LOWER))
    result = preview(draft, store, settings, golden=MINE, recorded=False)
    assert result.ok, result.problems
    assert [(c.what, c.section, c.ident) for c in result.changes] == [("changed", "items", "pharma-clinical-trial-pi")]
    assert "30000" in result.changes[0].detail and "50000" in result.changes[0].detail
    assert [(e.case, e.old, e.new) for e in result.effects] == [
        ("own-1", "outside_negative_list", "security_assessment")
    ]
    assert "pharma-clinical-trial-pi" in result.effects[0].why
    assert result.checked == {"golden": 2}


def test_recorded_cases_of_the_last_90_days_are_re_decided(store: KnowledgeStore, settings: Settings) -> None:
    now = dt.datetime.now(dt.UTC)
    rows = [("recent-case", now - dt.timedelta(days=3)), ("old-case", now - dt.timedelta(days=120))]
    with Session(store.engine) as session, session.begin():
        for case_id, at in rows:
            session.add(_case(case_id, at, TRIAL))
        session.add(_case("broken-facts", now, None))
    draft = store.draft(_draft(store, "pack", "beijing-ftz-2024", LOWER))
    result = preview(draft, store, settings, golden=[], recorded=True)
    assert [(e.source, e.case, e.new) for e in result.effects] == [("recorded", "recent-case", "security_assessment")]
    assert result.checked == {"golden": 0, "recorded": 1}


def _case(case_id: str, at: dt.datetime, facts: Facts | None) -> CaseRow:
    return CaseRow(
        id=case_id, created_at=at, question="a recorded question", language="en", outcome="outside_negative_list",
        industry=None, facts_json=facts.model_dump_json() if facts else "{not json", determination_json="{}",
        citations_json="[]", sources_json="[]", answer="", error=None, channel="chat", key_id=None, truncated=False,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("name", "body", "expected"),
    [
        ("beijing-ftz-2024", "pack: [unclosed", "not a rule pack"),
        ("another-name", LOWER, "is not its name"),
        ("beijing-ftz-2024", LOWER.replace("effective_to: 2026-05-10", "effective_to: 2026-06-30"), "still in force"),
        ("beijing-ftz-2024", LOWER.replace("effect: relax", "effect: relaxed", 1), "effect"),
    ],
)
def test_invalid_packs_are_named_and_cannot_be_published(
    store: KnowledgeStore, settings: Settings, name: str, body: str, expected: str
) -> None:
    draft_id = _draft(store, "pack", name, body)
    result = preview(store.draft(draft_id), store, settings, golden=MINE, recorded=False)
    assert not result.ok and any(expected in p for p in result.problems), result.problems
    assert result.effects == []
    store.approve(draft_id, "anna")
    with pytest.raises(KnowledgeError) as exc:
        publish_draft(store, settings, draft_id, "olga")
    assert exc.value.code == "invalid"
    assert store.published("pack") == []


def test_a_shipped_pack_cannot_be_retired(store: KnowledgeStore, settings: Settings) -> None:
    result = preview(
        store.draft(_draft(store, "pack", "cn-national-2024", "", retire=True)), store, settings, golden=[]
    )
    assert not result.ok and "shipped" in result.problems[0]


def test_a_published_pack_is_the_base_of_the_next_preview(store: KnowledgeStore, settings: Settings) -> None:
    first = _draft(store, "pack", "beijing-ftz-2024", LOWER)
    store.approve(first, "anna")
    publish_draft(store, settings, first, "olga")
    again = LOWER.replace("at_least: 30000", "at_least: 20000")
    result = preview(store.draft(_draft(store, "pack", "beijing-ftz-2024", again)), store, settings, golden=MINE)
    assert "30000" in result.changes[0].detail and "20000" in result.changes[0].detail
    assert result.effects == []  # 35,000 was already above the published threshold


def test_cards_validate_against_the_corpus(store: KnowledgeStore, settings: Settings) -> None:
    embedder = FakeEmbedder()
    good = preview(store.draft(_draft(store, "card", "helpdesk-sample", CARD)), store, settings, golden=MINE,
                   embedder=embedder)  # fmt: skip
    assert good.ok, good.problems
    assert [(c.what, c.ident) for c in good.changes] == [("added", "helpdesk-sample")]
    assert good.checked["golden"] == 1
    bad_body = CARD.replace("cbdf-provisions-2024 9", "cbdf-provisions-2024 999")
    bad = preview(store.draft(_draft(store, "card", "helpdesk-sample", bad_body)), store, settings, golden=[])
    assert not bad.ok and "does not resolve" in bad.problems[0]
    wrong_id = preview(store.draft(_draft(store, "card", "other-id", CARD)), store, settings, golden=[])
    assert not wrong_id.ok and "not the draft's name" in wrong_id.problems[0]
    changed = CARD.replace("3 years from", "Three years from")
    renamed = changed.replace("helpdesk-sample", "sa-validity")
    existing = preview(store.draft(_draft(store, "card", "sa-validity", renamed)), store, settings, golden=[])
    assert existing.ok and any(c.ident.startswith("sa-validity.") for c in existing.changes)


def test_texts_are_checked_and_diffed_by_article(store: KnowledgeStore, settings: Settings) -> None:
    body = {
        "doc": "helpdesk-sample-text", "lang": "zh", "title_zh": "示例办法", "title_en": "Sample measures",
        "issuer": "Sample issuer", "published": "2026-01-01", "effective": "2026-02-01",
        "articles": [{"article": "1", "heading": "第一条", "text": "第一条 示例。"},
                     {"article": "2", "heading": "第二条", "text": "第二条 示例。"}],
    }  # fmt: skip
    result = preview(store.draft(_draft(store, "text", "helpdesk-sample-text", json.dumps(body))), store, settings)
    assert result.ok, result.problems
    assert [(c.what, c.ident) for c in result.changes] == [("added", "1"), ("added", "2")]
    broken = preview(store.draft(_draft(store, "text", "helpdesk-sample-text", "{}")), store, settings)
    assert not broken.ok


@pytest.mark.slow
def test_the_golden_cases_that_a_lower_threshold_changes(store: KnowledgeStore, settings: Settings) -> None:
    golden = golden_cases(settings)
    assert len(golden) >= 250 - 5  # evals/questions.yaml, every case read (a few are not transfers)
    draft = store.draft(_draft(store, "pack", "beijing-ftz-2024", LOWER))
    result = preview(draft, store, settings, recorded=False)
    assert result.ok
    changed = [e for e in result.effects if e.source == "golden"]
    assert changed, "lowering the clinical-trial threshold changes no golden case"
    assert all(e.old != e.new for e in changed)
    assert all(e.why for e in changed)
    # Mostly the item itself decides now; where the zone was asked only because inside and outside differed,
    # the lower threshold makes them agree and the zone no longer decides (the why says so).
    assert sum("pharma-clinical-trial-pi" in e.why for e in changed) > len(changed) // 2
