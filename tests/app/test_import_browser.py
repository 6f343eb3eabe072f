"""The console's Import tab in real Chromium: upload an item table, read it (the columns are guessed), save, see the
rows that cannot be read with their row numbers and no draft; upload the fixed table and get a draft; upload a
renamed text file and get a clear message. The table is the fictitious test table (TEST DATA)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.knowledge.fixtures.sample_table import table, write_xlsx

from .conftest import shot
from .test_browser import field, rows, settle, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _upload(page: Any, elem_id: str, path: Path) -> None:
    """Put a file in a Gradio file box as a person does: clear the one shown, click, choose the file."""
    box = page.locator(f"#{elem_id}")
    clear = box.locator("button[aria-label='Clear']")
    if clear.count():
        clear.first.click()
    with page.expect_file_chooser() as chooser:
        box.get_by_text("Click to Upload").click()
    chooser.value.set_files(str(path))
    box.get_by_text(path.name).first.wait_for()
    settle(page)


def _message(page: Any, elem_id: str, text: str) -> str:
    page.wait_for_function(
        "([id, t]) => (document.getElementById(id)?.innerText || '').includes(t)", arg=[elem_id, text]
    )
    return str(page.locator(f"#{elem_id}").inner_text())


def test_upload_map_see_row_errors_fix_and_save(page: Any, tmp_path: Path) -> None:
    broken = table()
    broken[3][6], broken[3][7] = "10万条", ""  # sheet row 4: records, not people
    broken[8][1] = "航天"  # sheet row 9: not a sector the assistant knows
    bad = write_xlsx(tmp_path / "list-with-errors.xlsx", broken)
    good = write_xlsx(tmp_path / "list-fixed.xlsx", table())
    sign_in(page)
    settle(page)
    page.click("button[role='tab']:has-text('Import')")
    _upload(page, "im-table-file", bad)
    page.click("#im-read")
    page.wait_for_function(
        "() => (document.querySelector('#im-headers textarea, #im-headers input')?.value || '').includes('数据类别')"
    )
    assert "30 rows read" in _message(page, "im-message", "rows read")
    assert field(page, "im-map-kind").input_value() == "数据级别"  # guessed from the header
    page.click("#im-save")
    message = _message(page, "im-message", "cannot be read")
    assert "2 rows cannot be read" in message and "nothing was saved" in message
    errors = rows(page, "im-errors")
    errors.first.wait_for()
    shown = [errors.nth(i).inner_text() for i in range(errors.count())]
    assert any(r.startswith("4") and "counts records" in r for r in shown), shown
    assert any(r.startswith("9") and "航天" in r for r in shown), shown
    shot(page, "40-import-row-errors")

    _upload(page, "im-table-file", good)
    page.click("#im-save")
    saved = _message(page, "im-message", "items for")
    assert "30 items for beijing-2025" in saved and "Knowledge tab" in saved
    assert rows(page, "im-errors").count() == 0
    shot(page, "41-import-draft-saved")

    renamed = tmp_path / "not-a-table.xlsx"
    renamed.write_text("行业,数据类别\n银行业,测试\n", encoding="utf-8")
    _upload(page, "im-table-file", renamed)
    page.click("#im-read")
    assert "not a readable .xlsx file" in _message(page, "im-message", "not a readable")
