"""`assistant knowledge import-table | import-text | export-cases | export-pack` end to end on a temporary database."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
import yaml

from assistant.cli.main import main
from assistant.knowledge import KnowledgeStore
from tests.knowledge.fixtures.sample_table import table, write_csv, write_xlsx
from tests.knowledge.test_import_texts import MEASURES


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'audit.db'}"
    monkeypatch.setenv("ASSISTANT_AUDIT_URL", url)
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    return url


def test_import_table_reports_rows_then_saves_a_draft(
    tmp_path: Path, env: str, capfd: pytest.CaptureFixture[str]
) -> None:
    rows = table()
    rows[4][5] = "不知道"
    bad = write_xlsx(tmp_path / "bad.xlsx", rows)
    assert main(["knowledge", "import-table", str(bad), "--pack", "beijing-2025", "--as", "olga"]) == 1
    out = capfd.readouterr().out
    assert "row 5: '不知道' is not important data" in out and "no draft" in out
    good = write_csv(tmp_path / "good.csv", table(), "gb18030")
    assert main(["knowledge", "import-table", str(good), "--pack", "beijing-2025", "--as", "olga"]) == 0
    out = capfd.readouterr().out
    assert "draft 1: pack beijing-2025, 30 items" in out and "category = 数据类别" in out
    store = KnowledgeStore.open(env)
    try:
        draft = store.draft(1)
        assert draft.kind == "pack" and draft.status == "draft" and draft.provenance["file"] == "good.csv"
        assert len(draft.provenance["sha256"]) == 64 and not store.published("pack")  # a draft, never published
    finally:
        store.close()
    # The mapping was saved for the next edition.
    assert (tmp_path / "data" / "imports" / "mappings.json").is_file()


def test_import_text_and_exports(tmp_path: Path, env: str, capfd: pytest.CaptureFixture[str]) -> None:
    text = tmp_path / "measures.txt"
    text.write_text(MEASURES, encoding="utf-8")
    argv = [
        "knowledge", "import-text", str(text), "--as", "olga", "--doc", "test-measures-2099",
        "--title-zh", "测试办法", "--title-en", "Test measures", "--issuer", "Test issuer",
        "--published", "2026-01-02", "--effective", "2026-02-01",
    ]  # fmt: skip
    assert main(argv) == 0
    assert "text test-measures-2099, articles 1, 2" in capfd.readouterr().out
    cases = tmp_path / "cases.csv"
    assert main(["knowledge", "export-cases", "--format", "csv", "-o", str(cases), "--since", "2026-01-01"]) == 0
    assert cases.read_bytes().startswith(b"\xef\xbb\xbfid,created_at")
    pack_yaml, pack_xlsx = tmp_path / "p.yaml", tmp_path / "p.xlsx"
    assert main(["knowledge", "export-pack", "beijing-ftz-2024", "-o", str(pack_yaml)]) == 0
    assert yaml.safe_load(pack_yaml.read_text(encoding="utf-8"))["pack"] == "beijing-ftz-2024"
    assert main(["knowledge", "export-pack", "beijing-ftz-2024", "--format", "xlsx", "-o", str(pack_xlsx)]) == 0
    workbook = openpyxl.load_workbook(io.BytesIO(pack_xlsx.read_bytes()))
    items, others = workbook.worksheets
    assert items.cell(1, 2).value == "行业领域" and items.max_row == 10  # the 9 listed items, then the rest
    assert others.title == "other items" and others.max_row > 10
    assert main(["knowledge", "export-pack", "no-such-pack", "-o", str(pack_yaml)]) == 1
