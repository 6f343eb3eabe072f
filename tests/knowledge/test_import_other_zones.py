"""Other provinces' lists: a list pack for another zone applies in its own zone; Beijing processors read it only
once the help desk switches it on, and are told of it (the help desk can confirm) until then.

The pack is imported from the fictitious test table (TEST DATA, never an official list) with an invented zone
id and list document, into a temporary copy of the shipped rule packs.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from assistant.answer.render import render_determination
from assistant.facts import Facts
from assistant.knowledge.itemdraft import PackMeta, table_to_draft
from assistant.knowledge.mapping import guess, header_row
from assistant.knowledge.sheets import read_table
from assistant.rules import RuleBook, check, load_rulebook
from assistant.settings import Settings
from tests.knowledge.fixtures.sample_table import table, write_xlsx

DAY = dt.date(2026, 12, 1)


def other_zone_book(tmp_path: Path, *, beijing_use: bool) -> RuleBook:
    settings = Settings()
    documents = settings.corpus_dir / "documents.yaml"
    rules = tmp_path / "rules"
    shutil.copytree(settings.rules_path(), rules)
    shipped = load_rulebook(rules, documents)
    grid = read_table("t.xlsx", write_xlsx(tmp_path / "t.xlsx", table()).read_bytes(), 10_000_000)
    meta = PackMeta(
        pack="test-zone-list", edition="test", title_en="Test zone list (fictitious)", title_zh="测试区清单（虚构）",
        list_doc="test-zone-list-doc", effective_from=dt.date(2026, 1, 1), zones=("other_ftz",),
        other_zone="test_zone", beijing_use=beijing_use,
    )  # fmt: skip
    draft = table_to_draft(grid, guess(header_row(grid).cells), shipped, rules, documents, meta=meta)
    assert draft.ok, (draft.problems, draft.pack_problems)
    (rules / "test-zone-list.yaml").write_text(draft.yaml_text, encoding="utf-8")
    return load_rulebook(rules, documents)


def banking(zone: str, other_zone: str | None = None) -> Facts:
    return Facts(
        zone=zone, other_zone=other_zone, industry="banking", ciio=False, state_organ=False, important_data=False,
        personal_info_count=200_000, sensitive_info_count=0, transfer_date=DAY, scenario="other",
        foreign_judicial_request=False,
    )  # fmt: skip


def listed_items(det: object) -> set[str]:
    return {t.rule for t in det.trace if t.pack == "test-zone-list"}  # type: ignore[attr-defined]


@pytest.mark.parametrize("beijing_use", [False, True])
def test_the_list_applies_in_its_own_zone(tmp_path: Path, beijing_use: bool) -> None:
    book = other_zone_book(tmp_path, beijing_use=beijing_use)
    assert book.list_pack(DAY) is not None and book.list_pack(DAY).pack == "beijing-2025"  # type: ignore[union-attr]
    own = check(banking("other_ftz", "test_zone"), book)
    assert own.applied_list == "test-zone-list"
    elsewhere = check(banking("other_ftz", "another_zone"), book)
    assert elsewhere.applied_list is None and not listed_items(elsewhere)


def test_in_beijing_the_list_is_mentioned_until_switched_on(tmp_path: Path) -> None:
    book = other_zone_book(tmp_path, beijing_use=False)
    det = check(banking("beijing"), book)
    assert det.applied_list == "beijing-2025"
    keys = [m.key for m in det.assumption_keys]
    assert "pack:cn-national-2024/rules/other-zone-list-unconfirmed/reason" in keys
    text = " ".join(render_determination(det, book, "en").assumptions)
    assert "Test zone list (fictitious)" in text and "help desk can confirm" in text
    assert "测试区清单（虚构）也涵盖" in " ".join(render_determination(det, book, "zh").assumptions)
    # A Beijing processor of a sector the other list does not regulate hears nothing of it.
    quiet = check(banking("beijing").model_copy(update={"industry": "retail"}), book)
    assert "other-zone-list-unconfirmed" not in " ".join(m.key for m in quiet.assumption_keys)


def test_switched_on_a_beijing_processor_reads_it(tmp_path: Path) -> None:
    book = other_zone_book(tmp_path, beijing_use=True)
    det = check(banking("beijing"), book)
    assert det.applied_list == "test-zone-list"
    assert "other-zone-list-unconfirmed" not in " ".join(m.key for m in det.assumption_keys)
    # Where the Beijing list knows items of the sector (pharmaceuticals, carried over), it stays the one read.
    pharma = banking("beijing").model_copy(update={"industry": "pharmaceutical", "scenario": "clinical_trial"})
    assert check(pharma, book).applied_list == "beijing-2025"


def test_zone_and_switch_are_checked(tmp_path: Path) -> None:
    book = other_zone_book(tmp_path, beijing_use=False)
    pack = book.packs["test-zone-list"]
    assert pack.scope is not None and pack.scope.zones == ["other_ftz"] and pack.scope.other_zone == "test_zone"
    bad = (tmp_path / "rules" / "test-zone-list.yaml").read_text(encoding="utf-8").replace("- other_ftz", "- beijing")
    (tmp_path / "rules" / "test-zone-list.yaml").write_text(bad, encoding="utf-8")
    with pytest.raises(Exception, match="covers the zones \\[other_ftz\\] only"):
        load_rulebook(tmp_path / "rules", Settings().corpus_dir / "documents.yaml")


def test_the_scenario_question_offers_the_own_zone_lists_scenarios(tmp_path: Path) -> None:
    book = other_zone_book(tmp_path, beijing_use=False)
    det = check(banking("other_ftz", "test_zone").model_copy(update={"scenario": None}), book)
    assert det.question is not None and det.question.fact == "scenario"
    offered = {str(o.value) for o in det.question.options}
    assert "other" in offered and any(v.startswith("测试场景") for v in offered)  # the test list's own scenarios
