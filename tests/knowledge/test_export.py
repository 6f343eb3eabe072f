"""Exports: cases and feedback for a period and filters (.xlsx, .csv, formulas neutralised); packs as YAML and as
an .xlsx item table that the importer reads back."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import openpyxl
import yaml
from sqlalchemy.orm import Session

from assistant.casefile.audit import AuditLog, CaseRow
from assistant.knowledge.exports import export_cases, export_pack_xlsx, export_pack_yaml, safe_cell
from assistant.knowledge.itemdraft import table_to_draft, validate_pack_text
from assistant.knowledge.mapping import guess, header_row
from assistant.knowledge.sheets import read_table
from assistant.rules import default_rulebook
from assistant.rules.schema import Pack
from assistant.settings import Settings
from tests.knowledge.fixtures.sample_table import table, write_xlsx

LIMIT = 10_485_760


def add_case(audit: AuditLog, ident: str, when: dt.datetime, question: str, **extra: object) -> None:
    row = CaseRow(
        id=ident, created_at=when, question=question, language="en", outcome=extra.pop("outcome", "exempt"),
        industry=extra.pop("industry", None), facts_json="{}", determination_json="{}", citations_json="[]",
        sources_json="[]", answer="An answer.", error=None, channel="chat", key_id=None, truncated=False, **extra,
    )  # fmt: skip
    with Session(audit.engine) as session, session.begin():
        session.add(row)


def test_safe_cell_neutralises_formulas() -> None:
    for text in ('=HYPERLINK("http://x")', "+1+1", "-2", "@SUM(A1)", "\t=1", "\r=1"):
        assert safe_cell(text) == "'" + text
    assert safe_cell("plain") == "plain" and safe_cell(5) == 5 and safe_cell(None) is None
    assert safe_cell(dt.datetime(2026, 3, 1, 8, 0, tzinfo=dt.UTC)) == "2026-03-01 08:00:00"


def test_cases_for_a_period_and_filters_as_csv_and_xlsx(audit: AuditLog) -> None:
    day = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)
    add_case(audit, "c1", day, "=cmd|' /C calc'!A0", outcome="security_assessment", industry="banking")
    add_case(audit, "c2", day + dt.timedelta(days=1), "Plain question", feedback_verdict="wrong",
             feedback_comment="@attacker", feedback_at=day + dt.timedelta(days=1))  # fmt: skip
    add_case(audit, "c3", day + dt.timedelta(days=5), "Later question")
    data = export_cases(audit.engine, "csv", since=dt.date(2026, 3, 1), until=dt.date(2026, 3, 2))
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["id", "created_at", "channel"]
    assert [r[0] for r in rows[1:]] == ["c1", "c2"]  # both days included, the later case left out
    question = rows[0].index("question")
    assert rows[1][question] == "'=cmd|' /C calc'!A0"
    banking = export_cases(audit.engine, "csv", industry="banking")
    assert [r[0] for r in list(csv.reader(io.StringIO(banking.decode("utf-8-sig"))))[1:]] == ["c1"]
    feedback = export_cases(audit.engine, "xlsx", feedback_only=True)
    sheet = openpyxl.load_workbook(io.BytesIO(feedback)).active
    assert sheet is not None
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][-3:] == ["feedback_verdict", "feedback_comment", "feedback_at"]
    assert [v[0] for v in values[1:]] == ["c2"]
    assert values[1][-2] == "'@attacker" and sheet.cell(2, len(values[0]) - 1).data_type == "s"  # text, not a formula


def test_pack_as_yaml_validates_and_as_xlsx_round_trips(tmp_path: Path) -> None:
    settings = Settings()
    rules, documents = settings.rules_path(), settings.corpus_dir / "documents.yaml"
    book = default_rulebook(rules, documents)
    shipped = book.packs["beijing-ftz-2024"]
    assert validate_pack_text(export_pack_yaml(shipped), shipped.pack, rules, documents) == []
    assert Pack.model_validate(yaml.safe_load(export_pack_yaml(shipped))) == shipped
    # A pack imported from a table, exported as a table, imported again: the same items.
    grid = read_table("t.xlsx", write_xlsx(tmp_path / "t.xlsx", table()).read_bytes(), LIMIT)
    first = table_to_draft(grid, guess(header_row(grid).cells), book, rules, documents, base="beijing-2025")
    assert first.ok and first.pack is not None
    exported = export_pack_xlsx(first.pack)
    again_grid = read_table("export.xlsx", exported, LIMIT)
    again = table_to_draft(again_grid, guess(header_row(again_grid).cells), book, rules, documents, base="beijing-2025")
    assert again.ok and again.pack is not None, (again.problems, again.pack_problems)

    def core(pack: Pack) -> list[tuple[object, ...]]:
        return [
            (i.id, i.field, i.scenario, i.category, i.route, i.threshold, i.title, i.text)
            for i in pack.items
            if i.evidence
        ]

    assert core(again.pack) == core(first.pack) and len(core(first.pack)) == 30
