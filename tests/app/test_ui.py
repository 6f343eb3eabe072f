"""What the app shows, without a browser: console access, the facts form, the cards, the sessions."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.accounts import open_accounts
from assistant.casefile.audit import AuditLog
from assistant.errors import FactsError
from assistant.facts import Facts
from assistant.pipeline import Assistant
from assistant.serve import serve
from assistant.settings import Settings
from assistant.ui import (
    ChatSession,
    ConsoleSession,
    choices,
    determination_card,
    edition_table,
    facts_from_form,
    form_values,
    rule_rows,
)

ROOT = Path(__file__).resolve().parents[2]
FLAGSHIP = (
    "We are a pharmaceutical company registered in the Beijing FTZ. Can we send clinical-trial data for "
    "40,000 patients to our headquarters abroad?"
)


def settings_with(**values: object) -> Settings:
    return Settings.model_validate(values)


def test_form_round_trips_facts_and_keeps_unknown_unknown() -> None:
    facts = Facts(zone="beijing_ftz", sensitive_info_count=40_000, data_kinds=["health"], state_organ=False)
    values = form_values(facts)
    assert values["ciio"] == "unknown" and values["industry"] == "unknown"
    assert values["sensitive_info_count"] == "40,000" and values["personal_info_count"] == ""
    assert facts_from_form(facts, values) == facts
    changed = facts_from_form(facts, {**values, "zone": "none", "personal_info_count": "4万", "ciio": "no"})
    assert (changed.zone, changed.personal_info_count, changed.ciio) == ("none", 40_000, False)
    assert changed.state_organ is False  # a fact the panel does not show carries over


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        pytest.param("sensitive_info_count", "-5", "whole number", id="negative-count"),
        pytest.param("personal_info_count", "many", "not a number", id="words-count"),
        pytest.param("transfer_date", "next week", "YYYY-MM-DD", id="bad-date"),
        pytest.param("zone", "mars", "zone", id="unknown-zone"),
    ],
)
def test_form_rejects_bad_values_naming_the_fact(name: str, value: str, message: str) -> None:
    with pytest.raises(FactsError, match=message):
        facts_from_form(None, {name: value})


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    return Assistant(Settings(embedder="fake", data_dir=tmp_path_factory.mktemp("ui-data")))


def test_choices_are_labelled_in_both_languages(assistant: Assistant) -> None:
    zones_en = dict(choices("zone", assistant.rulebook, "en"))
    zones_zh = dict(choices("zone", assistant.rulebook, "zh"))
    assert zones_en["registered in the Beijing FTZ"] == "beijing_ftz"
    assert zones_zh["在北京自贸试验区注册"] == "beijing_ftz"
    kinds = dict(choices("data_kinds", assistant.rulebook, "en"))
    assert "_" not in "".join(kinds)  # every data kind has a label, pack-added ones included


def test_card_shows_badge_reasons_and_changes(assistant: Assistant) -> None:
    answer = assistant.ask(FLAGSHIP)
    html = determination_card(answer.determination, assistant.rulebook, "en")
    assert 'data-outcome="outside_negative_list"' in html and ">outside the negative list<" in html
    assert "Provisions art 7" in html and "Would change the outcome" in html
    assert "<script" not in determination_card(None, assistant.rulebook, "zh")


def test_rule_table_marks_unknown_items_and_searches(assistant: Assistant) -> None:
    rows = rule_rows(assistant.rulebook, "en")
    assert any("⚠ unknown" in row[7] for row in rows)
    devices = [row for row in rows if row[1] == "medical devices"]  # a 2025 sector with no items confirmed
    assert devices and all(row[7] == "⚠ unknown" and row[0] == "2025" for row in devices)
    clinical = rule_rows(assistant.rulebook, "en", "clinical")
    assert clinical and all("clinical" in " ".join(row).lower() for row in clinical)
    assert "beijing-2025" in edition_table(assistant.rulebook, "zh")


@pytest.fixture
def audit(tmp_path: Path) -> Iterator[AuditLog]:
    log = AuditLog(f"sqlite:///{tmp_path / 'audit.db'}")
    yield log
    log.close()


def test_chat_session_records_recomputes_and_takes_feedback(assistant: Assistant, audit: AuditLog) -> None:
    chat = ChatSession(assistant, audit)
    done = chat.answer(FLAGSHIP, [], "en")
    assert done.turn["case_id"] and done.answer.determination.outcome == "outside_negative_list"
    values = {**form_values(done.answer.facts), "zone": "none"}
    result = chat.recompute(done.turn, values, "en")
    assert not isinstance(result, str)
    card, _sources, turn = result
    assert 'data-outcome="security_assessment"' in card and "Recomputed" in card
    assert 'data-outcome="security_assessment"' in chat.relabel(turn, "zh")[0]
    assert "⚠" in str(chat.recompute(done.turn, {"sensitive_info_count": "-1"}, "en"))
    status, comment = chat.feedback("useful", "fine", turn, "en")
    assert status.startswith("✓") and comment == ""
    record = audit.get(done.turn["case_id"])
    assert record is not None and record.feedback_verdict == "useful"
    assert chat.feedback("useful", "x", {}, "en")[0] == "Ask a question first."


def test_console_session_lists_opens_and_exports(assistant: Assistant, audit: AuditLog, tmp_path: Path) -> None:
    chat = ChatSession(assistant, audit)
    case_id = chat.answer(FLAGSHIP, [], "en").turn["case_id"]
    console = ConsoleSession(assistant, audit, open_accounts(settings_with(data_dir=tmp_path), audit.engine))
    rows, message = console.cases("en", outcome="outside_negative_list")
    assert [row[1] for row in rows] == [case_id] and message == ""
    assert console.cases("en", since="yesterday")[1].startswith("⚠")
    assert console.cases("en", industry="automotive") == ([], "No cases match.")
    view = console.open(case_id, "en")
    assert view.md_path is not None and view.pdf_path is not None
    assert view.md_path.read_text(encoding="utf-8") == view.markdown
    assert view.pdf_path.read_bytes().startswith(b"%PDF")
    assert console.open("nope", "en").md_path is None


def test_the_package_never_imports_gradio() -> None:
    code = (
        "import sys, assistant, assistant.cli, assistant.pipeline, assistant.ui, assistant.casefile.audit, "
        "assistant.casefile.report, assistant.serve; assert 'gradio' not in sys.modules, 'gradio imported'"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def test_serve_refuses_a_bad_port(capsys: pytest.CaptureFixture[str]) -> None:
    assert serve("127.0.0.1", 0, Settings()) == 2
    assert "port" in capsys.readouterr().err
