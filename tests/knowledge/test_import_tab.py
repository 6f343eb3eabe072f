"""The console's Import tab callbacks (no toolkit): read a table, map, see row errors, save a draft; texts; exports."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from assistant.accounts import Accounts
from assistant.knowledge import KnowledgeStore
from assistant.knowledge.mapping import FIELDS
from assistant.knowledge.preview import Preview
from assistant.settings import Settings
from assistant.ui.import_tab import MAP_FIELDS, NEW_LIST, ImportTab, problem_list
from assistant.ui.knowledge_tab import preview_markdown
from assistant.ui.updates import Refused, Update
from tests.knowledge.conftest import STRONG
from tests.knowledge.fixtures.sample_table import table, write_xlsx
from tests.knowledge.test_import_texts import MEASURES

NO_NEW = (False, "", "", "", "", "", "", "", False)


@pytest.fixture
def tab(tmp_path: Path, store: KnowledgeStore, accounts: Accounts) -> ImportTab:
    settings = Settings(data_dir=tmp_path / "data", audit_url=str(store.engine.url))
    return ImportTab(accounts, store, settings)


@pytest.fixture
def olga(accounts: Accounts) -> str:
    cookie = accounts.sign_in("olga", STRONG, "127.0.0.1").cookie
    assert cookie
    return cookie


def picks(read: tuple[Any, ...]) -> list[str]:
    """The column each picker was set to by `read_table`."""
    updates = read[1 : 1 + len(MAP_FIELDS)]
    return [u.props["value"] for u in updates if isinstance(u, Update)]


def test_read_map_row_errors_then_a_saved_draft(
    tmp_path: Path, tab: ImportTab, olga: str, store: KnowledgeStore
) -> None:
    with pytest.raises(Refused):
        tab.read_table(None, "x.xlsx", "beijing-2025", False, "en")
    rows = table()
    rows[6][8] = "@SUM(A1)"  # a formula-looking route: not a route, and shown as text
    bad = str(write_xlsx(tmp_path / "bad.xlsx", rows))
    read = tab.read_table(olga, bad, "beijing-2025", False, "en")
    assert "数据类别" in read[0] and "30 rows read" in read[-1]
    chosen = picks(read)
    assert dict(zip(FIELDS, chosen, strict=True))["kind"] == "数据级别"
    errors, message = tab.import_table(olga, bad, "beijing-2025", *NO_NEW, *chosen, "", "en")
    assert errors.splitlines() == [
        "| Row | Why it cannot be read |",
        "|---|---|",
        "| 7 | '@SUM(A1)' names neither a security assessment nor a standard contract or certification |",
    ]
    assert message.startswith("⚠ 1 rows cannot be read") and not store.drafts()
    good = str(write_xlsx(tmp_path / "good.xlsx", table()))
    errors, message = tab.import_table(olga, good, "beijing-2025", *NO_NEW, *chosen, "first import", "zh")
    assert message.startswith("✓ 草稿 1 已保存") and errors == ""
    assert store.draft(1).kind == "pack" and store.draft(1).note == "first import"
    # The table replaces the pack's undetermined items of its four sectors: said at once, and kept for the preview.
    assert "此草稿将替换 beijing-2025 中的 4 个条目" in message and "银行业 (1)" in message
    assert store.draft(1).provenance["replaces"] == "4"
    shown = preview_markdown(Preview(1, "pack", "beijing-2025", replaces=4, replaced_sectors=["banking"]), "en")
    assert "Publishing this draft replaces 4 items of the pack in force" in shown and "banking" in shown
    # The columns were saved for the pack: a table with other headers still gets them where they exist.
    again = tab.read_table(olga, good, "beijing-2025", False, "en")
    assert picks(again) == chosen


def test_wrong_files_and_missing_columns_get_clear_messages(tmp_path: Path, tab: ImportTab, olga: str) -> None:
    fake = tmp_path / "fake.xlsx"
    fake.write_text("sector,kind\n", encoding="utf-8")
    assert "not a readable .xlsx file" in tab.read_table(olga, str(fake), "beijing-2025", False, "en")[-1]
    assert "No file was attached" in tab.read_table(olga, None, "beijing-2025", False, "en")[-1]
    assert "未附加文件" in tab.import_table(olga, None, "beijing-2025", *NO_NEW, *[""] * len(FIELDS), "", "zh")[1]
    huge = tmp_path / "huge.csv"
    huge.write_bytes(b"a" * (tab.desk.limit + 1))
    assert "too large" in tab.read_table(olga, str(huge), "beijing-2025", False, "en")[-1]
    folder = tmp_path / "a-folder.csv"
    folder.mkdir()
    assert "could not be read" in tab.read_table(olga, str(folder), "beijing-2025", False, "en")[-1]
    good = str(write_xlsx(tmp_path / "good.xlsx", table(3)))
    empty_map = [""] * len(FIELDS)
    _, message = tab.import_table(olga, good, "beijing-2025", *NO_NEW, *empty_map, "", "en")
    assert message.startswith("⚠ Choose a column for: Data category")
    new = (True, "2030", "", "", "", "", "", "", False)
    _, message = tab.import_table(olga, good, "beijing-2030", *new, *empty_map, "", "en")
    assert "needs its edition, titles" in message
    assert len(NEW_LIST) == len(new)


def test_every_row_problem_is_listed_escaped(tab: ImportTab) -> None:
    problems = [(n, f"reason {n} | <b>not bold</b>\nsecond line") for n in range(3, 503)]
    listed = problem_list(problems, "zh").splitlines()
    assert listed[0] == "| 行号 | 无法读取的原因 |" and len(listed) == 2 + 500  # the whole list, one line a row
    assert listed[-1] == r"| 502 | reason 502 \| \<b\>not bold\</b\> second line |"
    assert problem_list([], "en") == ""


def test_text_upload_and_exports(tmp_path: Path, tab: ImportTab, olga: str, store: KnowledgeStore) -> None:
    text = tmp_path / "m.txt"
    text.write_text(MEASURES, encoding="utf-8")
    fields = ("test-measures-2099", "zh", "测试办法", "Test measures", "Test issuer", "2026-01-02", "2026-02-01", "")
    message = tab.import_text(olga, str(text), *fields, "", "en")
    assert message.startswith("✓ Draft 1 saved: text test-measures-2099 with 2 articles")
    bad_date = ("test-measures-2099", "zh", "测试办法", "Test measures", "Test issuer", "2026-13-02", "2026-02-01", "")
    assert "is not a date" in tab.import_text(olga, str(text), *bad_date, "", "en")
    download, note = tab.export_cases(olga, "2026-01-01", str(dt.date.today()), False, "csv", "en")
    assert note == "" and Path(download.props["value"]).read_bytes().startswith(b"\xef\xbb\xbfid,")
    download, _ = tab.export_pack(olga, "beijing-ftz-2024", "xlsx", "en")
    assert Path(download.props["value"]).name == "beijing-ftz-2024.xlsx"
    hidden, note = tab.export_pack(olga, "nope", "yaml", "en")
    assert hidden.props == {"visible": False} and note.startswith("⚠")
