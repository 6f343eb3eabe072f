"""Item tables (.xlsx, .csv, .docx) -> rule-pack drafts: formats, broken files, row errors, mappings, editions."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
import yaml

from assistant.errors import UploadError
from assistant.knowledge.itemdraft import PackMeta, read_threshold, table_to_draft, validate_pack_text
from assistant.knowledge.mapping import guess, header_row, mapping_store, missing, reuse
from assistant.knowledge.sheets import Grid, read_table
from assistant.rules import RuleBook, default_rulebook
from assistant.rules.schema import Pack
from assistant.settings import Settings
from tests.knowledge.fixtures.sample_table import HEADERS, table, write_csv, write_docx, write_xlsx

LIMIT = 10_485_760


@pytest.fixture(scope="module")
def settings() -> Settings:
    return Settings()


@pytest.fixture(scope="module")
def book(settings: Settings) -> RuleBook:
    return default_rulebook(settings.rules_path(), settings.corpus_dir / "documents.yaml")


def draft(grid: Grid, book: RuleBook, settings: Settings, **where: object):  # type: ignore[no-untyped-def]
    mapping = guess(header_row(grid).cells)
    where = where or {"base": "beijing-2025"}
    return table_to_draft(grid, mapping, book, settings.rules_path(), settings.corpus_dir / "documents.yaml", **where)  # type: ignore[arg-type]


def load(path: Path) -> Grid:
    return read_table(path.name, path.read_bytes(), LIMIT)


def test_xlsx_of_30_items_becomes_a_valid_draft_of_the_2025_list(
    tmp_path: Path, book: RuleBook, settings: Settings
) -> None:
    grid = load(write_xlsx(tmp_path / "list.xlsx", table()))
    head = header_row(grid)
    assert head.number == 2  # the merged title row comes first
    assert set(guess(head.cells)) == {
        "sector", "scenario", "category", "description", "kind", "threshold", "unit", "route", "conditions", "remarks",
    }  # fmt: skip
    result = draft(grid, book, settings)
    assert result.ok, (result.problems, result.pack_problems)
    assert result.items == 30
    pack = Pack.model_validate(yaml.safe_load(result.yaml_text))
    assert pack.pack == "beijing-2025"
    fields = {f.id: f for f in pack.fields}
    assert {"medical_devices", "autonomous_driving", "trade_logistics", "banking"} <= set(fields)
    assert all(fields[f].items_status == "confirmed" for f in ("medical_devices", "banking"))
    # The old "items unknown" placeholders of the imported sectors are gone; the carried-over sectors stay.
    assert not [i for i in pack.items if i.effect == "unknown"]
    assert pack.carry_over is not None and "pharmaceutical" in pack.carry_over.fields
    first = pack.items[0]
    assert first.id == "medical-devices-01" and first.category == "sensitive_personal_information"
    assert first.threshold is not None and first.threshold.at_least == 50_000  # "五万" + 人
    assert first.route == "security_assessment"
    assert first.sources[0].doc == "bj-list-2025" and first.sources[0].article == first.id
    assert first.evidence and "row 3" in first.evidence


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_in_each_encoding_reads_the_same(tmp_path: Path, encoding: str, book: RuleBook, settings: Settings) -> None:
    grid = load(write_csv(tmp_path / "list.csv", table(title=False), encoding))
    assert grid.rows[0].cells == HEADERS
    assert grid.rows[1].cells[3] == "【测试数据】虚构数据类别1"
    assert draft(grid, book, settings).ok


def test_docx_table_reads_and_a_docx_without_table_is_refused(
    tmp_path: Path, book: RuleBook, settings: Settings
) -> None:
    grid = load(write_docx(tmp_path / "list.docx", table(title=False)))
    assert draft(grid, book, settings).items == 30
    with pytest.raises(UploadError) as caught:
        load(write_docx(tmp_path / "text-only.docx", table(), with_table=False))
    assert caught.value.code == "no_table"


def test_broken_files_give_a_clear_code(tmp_path: Path) -> None:
    cases = {
        "fake.xlsx": (b"sector,scenario\nbanking,x\n", "corrupt"),
        "fake.docx": (b"\x00\x01binary", "corrupt"),
        "half.xlsx": (b"PK\x03\x04" + b"\x00" * 64, "corrupt"),
        "empty.csv": (b"", "empty"),
        "blank.csv": (b"\n\n ,\n", "empty"),
        "table.pdf": (b"%PDF-1.4", "wrong_type"),
        "binary.csv": (b"\x00\x01\x02" * 10, "binary"),
    }
    for name, (data, code) in cases.items():
        with pytest.raises(UploadError) as caught:
            read_table(name, data, LIMIT)
        assert caught.value.code == code, name
    with pytest.raises(UploadError) as caught:
        read_table("huge.xlsx", b"PK\x03\x04" + b"\x00" * (50 * 1_048_576), LIMIT)  # a 50 MB file
    assert caught.value.code == "too_large"
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as package, package.open("xl/zeros.xml", "w") as member:
        for _ in range(110):
            member.write(b"\x00" * 1_000_000)  # 110 MB unpacked, a few hundred KB packed
    with pytest.raises(UploadError) as caught:
        read_table("bomb.xlsx", bomb.getvalue(), LIMIT)
    assert caught.value.code == "too_large" and "unpacked" in str(caught.value.params["limit"])


def test_row_errors_name_their_row_and_nothing_becomes_a_draft(
    tmp_path: Path, book: RuleBook, settings: Settings
) -> None:
    rows = table()
    rows[3][6], rows[3][7] = "10万条", ""  # sheet row 4: records, not people
    rows[5][5] = "公开数据"  # row 6: no kind
    rows[7][1] = "航天"  # row 8: not a sector of the Facts
    rows[9][3] = ""  # row 10: no data category
    rows[11][6] = "10万人以下"  # row 12: an upper bound
    rows[13][8] = "备案即可"  # row 14: no known route
    rows.insert(16, [""] * len(HEADERS))  # an empty row: skipped, the numbers after it stay the sheet's
    rows[20][6], rows[20][7] = "3万或5万", "人"  # row 21 (after the empty row): two numbers
    grid = load(write_xlsx(tmp_path / "errors.xlsx", rows))
    result = draft(grid, book, settings)
    assert not result.ok and not result.yaml_text
    found = {(p.row, p.code) for p in result.problems}
    assert found == {
        (4, "threshold_records"), (6, "kind_unknown"), (8, "sector_unknown"), (10, "empty"),
        (12, "threshold_below"), (14, "route_unknown"), (21, "threshold_unclear"),
    }  # fmt: skip
    assert "row" not in result.problems[0].text("en")  # the reason; the console shows the number beside it
    assert "条数" in next(p for p in result.problems if p.row == 4).text("zh")
    unknown_sector = next(p for p in result.problems if p.row == 8)
    for lang in ("en", "zh"):  # the sectors it knows, each in both languages, whatever the officer's language
        reason = unknown_sector.text(lang)
        assert "航天" in reason and "医药行业 / Pharmaceuticals" in reason and "银行业 / Banking" in reason


@pytest.mark.parametrize(
    ("text", "unit", "expected"),
    [
        ("5万人", "", ("at_least", 50_000)),
        ("五万", "人", ("at_least", 50_000)),
        ("50,000人/年", "", ("at_least", 50_000)),
        ("10万人以上", "", ("at_least", 100_000)),
        ("超过100万人", "", ("more_than", 1_000_000)),
        ("1.5", "万人", ("at_least", 15_000)),
        ("100000", "", ("at_least", 100_000)),
        ("more than 200,000 people", "", ("more_than", 200_000)),
        ("", "", None),
        ("若干", "", "threshold_unreadable"),
        ("10万条", "", "threshold_records"),
        ("不满1万人", "", "threshold_below"),
    ],
)
def test_thresholds_as_tables_write_them(text: str, unit: str, expected: object) -> None:
    assert read_threshold(text, unit) == expected


def test_merged_sector_cells_and_heading_rows(tmp_path: Path, book: RuleBook, settings: Settings) -> None:
    import openpyxl

    rows = table(6, title=False)
    path = write_xlsx(tmp_path / "merged.xlsx", rows, merge_title=False)
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    assert ws is not None
    ws.insert_rows(2)
    ws.cell(2, 1, "银行业")  # a heading row across the table
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(HEADERS))
    for row in range(3, 9):
        ws.cell(row, 2, None)
    ws.cell(3, 2, "银行业")
    ws.merge_cells(start_row=3, start_column=2, end_row=8, end_column=2)  # one sector cell over six rows
    wb.save(path)
    result = draft(load(path), book, settings)
    assert result.ok, result.problems
    assert [p.code for p in result.skipped] == ["heading"]
    assert {i.field for i in yaml_items(result.yaml_text) if i.id.startswith("banking")} == {"banking"}
    assert result.items == 6


def yaml_items(text: str) -> list:  # type: ignore[type-arg]
    return Pack.model_validate(yaml.safe_load(text)).items


def test_csv_blank_sector_repeats_the_one_above(tmp_path: Path, book: RuleBook, settings: Settings) -> None:
    rows = table(5, title=False)
    for row in rows[2:]:
        row[1] = ""
    result = draft(load(write_csv(tmp_path / "merged.csv", rows)), book, settings)
    imported = [i for i in yaml_items(result.yaml_text) if i.evidence]
    assert result.ok and len(imported) == 5 and {i.field for i in imported} == {"medical_devices"}


def test_mapping_is_saved_and_reused_for_the_next_edition(tmp_path: Path) -> None:
    store = mapping_store(tmp_path)
    assert store.get("beijing-2025") is None
    headers = ["No.", "Field of business", "Kind of data", "Item", "Route", "Scale"]
    mapping = guess(headers)
    assert mapping["kind"] == "Kind of data" and mapping["route"] == "Route" and mapping["threshold"] == "Scale"
    assert missing(mapping, headers) == []
    mapping["sector"] = "Field of business"
    mapping["category"] = "Item"
    store.save("beijing-2025", mapping)
    # The next edition reorders its columns and adds one: the saved choices still hold, the new one is guessed.
    later = ["Item", "Scale", "Route", "Remarks", "Kind of data", "Field of business"]
    again = reuse(mapping_store(tmp_path).get("beijing-2025"), later)
    assert again["sector"] == "Field of business" and again["category"] == "Item" and again["remarks"] == "Remarks"
    assert missing({"sector": "Gone"}, later) == ["category", "kind"]


def test_a_new_list_that_overlaps_an_edition_is_refused(tmp_path: Path, book: RuleBook, settings: Settings) -> None:
    grid = load(write_xlsx(tmp_path / "list.xlsx", table(3)))
    meta = PackMeta(
        pack="beijing-2027", edition="2027", title_en="Test list", title_zh="测试清单", list_doc="bj-list-2025",
        effective_from=dt.date(2026, 12, 1),
    )  # fmt: skip
    result = draft(grid, book, settings, meta=meta)
    assert not result.ok
    assert any("still in force" in p for p in result.pack_problems)


def test_validator_problems_of_a_pack_text_name_the_draft(settings: Settings) -> None:
    problems = validate_pack_text(
        "pack: [", "beijing-2025", settings.rules_path(), settings.corpus_dir / "documents.yaml"
    )
    assert problems and "beijing-2025.yaml (draft)" in problems[0]


def test_a_bilingual_table_gives_english_titles_and_texts(tmp_path: Path, book: RuleBook, settings: Settings) -> None:
    rows = table(4, title=False)
    rows[0] += ["Data category (English)", "Description (English)"]
    for n, row in enumerate(rows[1:], start=1):
        row += [f"[TEST DATA] invented category {n}", f"invented fields A{n} and B{n}"] if n != 2 else ["", ""]
    result = draft(load(write_csv(tmp_path / "bilingual.csv", rows)), book, settings)
    assert result.ok
    items = [i for i in yaml_items(result.yaml_text) if i.evidence]
    assert items[0].title.en == "[TEST DATA] invented category 1" and items[0].title.zh == "【测试数据】虚构数据类别1"
    assert items[0].text.en == "[TEST DATA] invented category 1: invented fields A1 and B1"
    assert items[1].title.en == items[1].title.zh  # no English cells: the table's own text
    from assistant.knowledge.exports import export_pack_xlsx

    assert result.pack is not None
    back = draft(read_table("x.xlsx", export_pack_xlsx(result.pack), LIMIT), book, settings)
    again = [i for i in yaml_items(back.yaml_text) if i.evidence]
    assert [(i.title, i.text) for i in again] == [(i.title, i.text) for i in items]


def test_relaxations_and_carve_outs_of_an_imported_sector_stay(book: RuleBook, settings: Settings) -> None:
    from assistant.knowledge.sheets import grid_from_rows

    row = [1, "医药", "药物临床试验", "【测试数据】虚构类别", "测试", "个人信息", "10万人", "", "标准合同", "", ""]
    result = draft(grid_from_rows("t.csv", [HEADERS, row]), book, settings, base="beijing-ftz-2024")
    assert result.ok and result.pack is not None
    pharma = {i.id: i.effect for i in result.pack.items if i.field == "pharmaceutical"}
    assert pharma == {
        "pharma-clinical-trial-pi": "relax", "pharma-genetic-carve-out": "carve_out", "pharmaceutical-01": "listed",
    }  # fmt: skip
    assert result.replaced == {"pharmaceutical": 4}  # one listed item and three undetermined ones
