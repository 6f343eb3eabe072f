"""Every citation in the packs names an article that exists: in the official text, or in the packs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant import RuleBook
from assistant.rules.schema import Source

from .conftest import ROOT

SHARED = ROOT.parent / "shared"
DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 -> 一, 10 -> 十, 14 -> 十四, 23 -> 二十三 (up to 99)."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else DIGITS[tens] + "十")
    return head + (DIGITS[ones] if ones else "") if n >= 10 else DIGITS[n]


def all_sources(book: RuleBook) -> list[Source]:
    found: list[Source] = []
    for pack in book.packs.values():
        found += pack.sources
        for rule in pack.rules:
            found += rule.sources
        for steps in pack.next_steps.values():
            for step in steps:
                found += step.sources
        if pack.scope:
            found += pack.scope.sources
        for sector in pack.fields:
            found += sector.sources
        for exclusion in pack.exclusions:
            found += exclusion.sources
        if pack.carry_over:
            found += pack.carry_over.sources
        for item in book.items(pack):
            found += item.sources
            if item.next_step:
                found += item.next_step.sources
    return found


def test_chinese_numbers() -> None:
    assert [chinese_number(n) for n in (1, 9, 10, 14, 20, 23, 74)] == [
        "一",
        "九",
        "十",
        "十四",
        "二十",
        "二十三",
        "七十四",
    ]


@pytest.mark.skipif(not (SHARED / "sources").is_dir(), reason="official texts (../shared/sources) not present")
def test_every_statute_citation_exists_in_the_official_text(rulebook: RuleBook) -> None:
    missing = []
    for src in all_sources(rulebook):
        doc = rulebook.registry.get(src.doc)
        assert doc is not None
        if doc.source_file is None or not isinstance(doc.articles, int):
            continue
        text = (SHARED / doc.source_file).read_text(encoding="utf-8")
        if src.doc == "scc-filing-guide-2024":
            pattern = rf"^{chinese_number(int(src.article))}、"
        else:
            pattern = rf"^\s*第{chinese_number(int(src.article))}条"
        if not re.search(pattern, text, flags=re.MULTILINE):
            missing.append(f"{src.doc} art {src.article} (not in {doc.source_file})")
    assert not missing, missing


def test_every_list_citation_names_an_item_of_the_packs(rulebook: RuleBook) -> None:
    for src in all_sources(rulebook):
        doc = rulebook.registry.get(src.doc)
        assert doc is not None, src
        if doc.from_rule_packs:
            assert src.article in rulebook.list_items(src.doc), src
        else:
            assert src.article in doc.fixed_articles, src


def test_every_rule_and_item_has_a_source_and_every_pack_dates(rulebook: RuleBook) -> None:
    for pack in rulebook.packs.values():
        assert pack.edition and pack.effective_from and pack.sources
        for rule in pack.rules:
            assert rule.sources, rule.id
        for item in rulebook.items(pack):
            assert item.sources, item.id


def test_the_2025_edition_carries_the_2024_items_by_reference(rulebook: RuleBook) -> None:
    """The sector items carry over; the reference rules do not (whether they continue is not known)."""
    every = rulebook.items(rulebook.packs["beijing-ftz-2024"])
    old = {i.id: i for i in every if i.effect != "reference"}
    assert {i.id for i in rulebook.unknown_reference_rules(rulebook.packs["beijing-2025"])} == {
        i.id for i in every if i.effect == "reference"
    }
    new = rulebook.items(rulebook.packs["beijing-2025"])
    assert not rulebook.packs["beijing-2025"].items or all(
        i.field not in old for i in rulebook.packs["beijing-2025"].items
    )
    carried = [i for i in new if i.id in old]
    assert {i.id for i in carried} == set(old)
    for item in carried:
        docs = {s.doc for s in item.sources}
        assert docs & {"bj-list-2025", "bj-measures-2025"}, item.id
        assert docs & {"bj-ftz-list-2024", "bj-ftz-measures-2024", "bj-ftz-interpretation-2024"}, item.id
    new_sectors = {"medical_devices", "autonomous_driving", "trade_logistics", "banking"}
    assert {i.field for i in new if i.status == "unknown"} >= new_sectors


def test_documents_registry_matches_the_notes_folder() -> None:
    notes = {p.stem for p in (ROOT / "corpus" / "notes").glob("*.yaml")}
    from assistant.documents import DOC_IDS

    assert notes == set(DOC_IDS)


def test_source_files_named_in_the_registry_exist(rulebook: RuleBook) -> None:
    if not SHARED.is_dir():
        pytest.skip("../shared not present")
    for doc in rulebook.registry.documents.values():
        if doc.source_file:
            assert Path(SHARED / doc.source_file).is_file(), doc.source_file


def test_every_note_names_an_existing_article(rulebook: RuleBook) -> None:
    import yaml

    for path in sorted((ROOT / "corpus" / "notes").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        doc = rulebook.registry.get(data["doc"])
        assert doc is not None, path
        valid = rulebook.list_items(doc.id) if doc.from_rule_packs else doc.fixed_articles
        for entry in data["entries"]:
            assert str(entry["article"]) in valid, f"{path.name}: {entry['article']}"
