"""What a running server sees: the stamp is polled at most every few seconds, a publish rebuilds the rule book and
the cards, a rollback restores them, and a database without knowledge (or without a file) publishes nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from assistant.casefile.audit import AuditLog
from assistant.facts import Facts
from assistant.knowledge import KnowledgeStore
from assistant.knowledge.live import LiveKnowledge
from assistant.rules import check, default_rulebook

ROOT = Path(__file__).resolve().parents[2]
RULES, DOCUMENTS = ROOT / "corpus" / "rules", ROOT / "corpus" / "documents.yaml"
SHIPPED = "threshold: {fact: individuals, at_least: 50000}"
LOWER = (RULES / "beijing-ftz-2024.yaml").read_text(encoding="utf-8").replace(SHIPPED, SHIPPED.replace("50", "30"))
TRIAL = Facts.model_validate(
    {"zone": "beijing_ftz", "industry": "pharmaceutical", "scenario": "clinical_trial", "sensitive_info_count": 35000}
)
DAY = dt.date(2026, 11, 27)


class Ticks:
    """A monotonic clock that moves only when told."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _publish(store: KnowledgeStore, kind: str, name: str, body: str, retire: bool = False) -> int:
    draft = store.save_draft(kind, name, body, "olga", retire=retire)  # type: ignore[arg-type]
    store.approve(draft, "anna")
    return store.publish(draft, "bert").id


def test_a_publish_is_seen_after_the_poll_and_a_rollback_undoes_it(store: KnowledgeStore, audit: AuditLog) -> None:
    ticks = Ticks()
    live = LiveKnowledge(str(audit.engine.url), RULES, DOCUMENTS, poll_seconds=2.0, clock=ticks)
    base = default_rulebook(RULES, DOCUMENTS)
    assert live.rulebook(base) is base
    assert check(TRIAL, live.rulebook(base), today=DAY).outcome == "outside_negative_list"

    version = _publish(store, "pack", "beijing-ftz-2024", LOWER)
    assert live.rulebook(base) is base  # not polled again yet
    ticks.now += 2.0
    book = live.rulebook(base)
    assert book is not base and check(TRIAL, book, today=DAY).outcome == "security_assessment"
    assert live.rulebook(base) is book  # rebuilt once per stamp

    store.rollback(version, "anna")
    ticks.now += 2.0
    assert check(TRIAL, live.rulebook(base), today=DAY).outcome == "outside_negative_list"


def test_published_and_retired_cards(store: KnowledgeStore, audit: AuditLog) -> None:
    ticks = Ticks()
    live = LiveKnowledge(str(audit.engine.url), RULES, DOCUMENTS, poll_seconds=1.0, clock=ticks)
    assert live.cards() == (0, [], frozenset())
    _publish(store, "card", "sample-card", "id: sample-card\n")
    _publish(store, "card", "sa-validity", "", retire=True)
    ticks.now += 1.0
    stamp, bodies, retired = live.cards()
    assert stamp == store.version_stamp() and [b for _, b in bodies] == ["id: sample-card\n"]
    assert retired == frozenset({"sa-validity"})


def test_no_database_file_means_nothing_published_and_nothing_created(tmp_path: Path) -> None:
    missing = tmp_path / "none" / "audit.db"
    live = LiveKnowledge(f"sqlite:///{missing}", RULES, DOCUMENTS)
    base = default_rulebook(RULES, DOCUMENTS)
    assert live.stamp() == 0 and live.rulebook(base) is base and live.texts() == []
    assert not missing.exists()


def test_the_card_index_merges_published_cards_and_hides_retired_ones(tmp_path: Path) -> None:
    from assistant.retrieval.cards import Cards
    from assistant.retrieval.embeddings import FakeEmbedder

    card = (
        "id: helpdesk-sample\ntopic: durations\n"
        "questions: {en: ['How long does the sample last?'], zh: ['示例持续多久？']}\n"
        "answer: {en: Three years (Provisions art 9)., zh: 三年（《规定》第九条）。}\n"
        "citations: [cbdf-provisions-2024 9]\n"
    )
    state = {"stamp": 0, "bodies": [], "retired": frozenset()}

    def published() -> tuple[int, list[tuple[str, str]], frozenset[str]]:
        return state["stamp"], state["bodies"], state["retired"]  # type: ignore[return-value]

    cards = Cards(ROOT / "corpus" / "cards", lambda d, a: None, FakeEmbedder, tmp_path, published)
    shipped = {c.id for c in cards.index().cards}
    assert "sa-validity" in shipped and "helpdesk-sample" not in shipped
    state.update(
        stamp=1, bodies=[("version 1", card), ("version 2", "id: [broken")], retired=frozenset({"sa-validity"})
    )
    ids = {c.id for c in cards.index().cards}
    assert ids == (shipped - {"sa-validity"}) | {"helpdesk-sample"}  # the broken one is skipped, logged
    state.update(stamp=2, bodies=[], retired=frozenset())
    assert {c.id for c in cards.index().cards} == shipped
