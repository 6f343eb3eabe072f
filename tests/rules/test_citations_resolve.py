"""Every citation the rule packs can emit resolves to a passage in the corpus."""

from __future__ import annotations

from assistant import RuleBook, Settings
from assistant.retrieval import Retriever

from .test_sources import all_sources


def test_every_pack_citation_resolves_to_a_note(rulebook: RuleBook) -> None:
    retriever = Retriever(Settings())
    pairs = {(s.doc, s.article) for s in all_sources(rulebook)}
    assert len(pairs) > 60
    for doc, article in sorted(pairs):
        passages = retriever.resolve(doc, article)
        assert any(p.kind == "note" and p.lang == "en" for p in passages), (doc, article)
        assert any(p.kind == "note" and p.lang == "zh" for p in passages), (doc, article)
