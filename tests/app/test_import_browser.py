"""The console's Import tab in real Chromium: upload an item table, read it (the columns are guessed), save, see the
rows that cannot be read with their row numbers and no draft; upload the fixed table and get a draft; upload a
renamed text file and get a clear message. Then the whole path with two accounts: import, preview, approve,
publish, the chat answers by the new item, roll back, the old answer returns. Tables are TEST DATA."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.knowledge.fixtures.sample_table import HEADERS, table, write_csv, write_xlsx

from .conftest import shot
from .test_browser import ask, field, rows, settle, sign_in
from .test_knowledge_browser import _open, _sign_in, knowledge_server  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.server]


def _open_import(page: Any) -> None:
    """Open the Import tab as a person does, clicking it again if its file box has not shown after a while (a
    click that lands while the console is still re-rendering after sign-in or a refresh opens nothing)."""
    for attempt in range(3):
        page.click("button[role='tab']:has-text('Import')")
        try:
            page.locator("#im-table-file").wait_for(state="visible", timeout=20_000)
            return
        except PlaywrightTimeout:
            if attempt == 2:
                raise
            settle(page)


def _upload(page: Any, elem_id: str, path: Path) -> None:
    """Put a file in a file box of the Import tab as a person does: clear the one shown, click, choose the file."""
    settle(page)  # a tab just opened may still be mounting its file box
    box = page.locator(f"#{elem_id}")
    shown = box.get_by_text(path.name).first
    for attempt in range(4):  # as a person would, choose the file again if the box stayed empty
        try:
            clear = box.locator("button[aria-label='Clear']")
            if clear.count():
                clear.first.click()
                settle(page)
            if attempt < 2:
                with page.expect_file_chooser(timeout=20_000) as chooser:
                    box.get_by_text("Click to Upload").click(timeout=20_000)
                chooser.value.set_files(str(path))
            else:  # the box shows but its drop zone does not answer (a re-render): hand the file to its input
                box.locator("input[type='file']").set_input_files(str(path), timeout=20_000)
            shown.wait_for(timeout=30_000)
            break
        except PlaywrightTimeout:
            if attempt == 3:
                raise
            _open_import(page)  # the console may have re-rendered under the tab (after sign-in): open it again
            settle(page)
    settle(page)


def problems(page: Any) -> Any:
    """The rows of the row problems box (a table in Markdown)."""
    return page.locator("#im-errors tbody tr")


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
    _open_import(page)
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
    errors = problems(page)
    errors.first.wait_for()
    shown = [errors.nth(i).inner_text() for i in range(errors.count())]
    assert any(r.startswith("4") and "counts records" in r for r in shown), shown
    assert any(r.startswith("9") and "航天" in r for r in shown), shown
    shot(page, "40-import-row-errors")

    _upload(page, "im-table-file", good)
    page.click("#im-save")
    saved = _message(page, "im-message", "items for")
    assert "30 items for beijing-2025" in saved and "Knowledge tab" in saved
    assert problems(page).count() == 0
    shot(page, "41-import-draft-saved")

    page.locator("#im-table-file button[aria-label='Clear']").first.click()
    page.click("#im-read")
    assert "No file was attached" in _message(page, "im-message", "No file")

    renamed = tmp_path / "not-a-table.xlsx"
    renamed.write_text("行业,数据类别\n银行业,测试\n", encoding="utf-8")
    _upload(page, "im-table-file", renamed)
    page.click("#im-read")
    assert "not a readable .xlsx file" in _message(page, "im-message", "not a readable")


def test_every_unread_row_is_listed_in_a_box_that_scrolls(page: Any, tmp_path: Path) -> None:
    broken = table()
    for row in broken[2:]:
        row[8] = "备案即可"  # no route the assistant knows, on every item row
    broken[5][1] = "航天"  # and not a sector
    bad = write_xlsx(tmp_path / "all-rows-unread.xlsx", broken)
    sign_in(page)
    settle(page)
    _open_import(page)
    _upload(page, "im-table-file", bad)
    page.click("#im-read")
    _message(page, "im-message", "rows read")
    page.click("#im-save")
    assert "30 rows cannot be read" in _message(page, "im-message", "cannot be read")
    listed = problems(page)
    listed.first.wait_for()
    assert listed.count() == 31  # 30 rows, one of them twice (route and sector): all in the page
    box = page.eval_on_selector("#im-errors", "e => [getComputedStyle(e).overflowY, e.scrollHeight, e.clientHeight]")
    assert box[0] == "auto" and box[1] > box[2] > 0, box  # the box scrolls
    sector = listed.filter(has_text="航天").first.inner_text()
    assert "医药行业 / Pharmaceuticals" in sector and "银行业 / Banking" in sector
    listed.last.scroll_into_view_if_needed()
    assert listed.last.inner_text().startswith("32")
    shot(page, "44-import-every-unread-row")


# TEST DATA: one invented banking item, not an item of any official list. It makes a transfer of 20,000 customers'
# contact details (exempt under the national rules) need a security assessment, so the chat shows the change.
BANK_ITEM = [
    1,
    "银行业",
    "",
    "【测试数据】虚构客户数据",
    "测试字段（虚构）",
    "重要数据",
    "1万人",
    "",
    "数据出境安全评估",
    "",
    "",
]
BANK_QUESTION = (
    "Our bank is registered in Beijing, not a CIIO, no important data, no sensitive data. We will send the "
    "contact details of 20,000 customers to our head office abroad this year for account servicing."
)
"""Our own question: exempt by the national rules, a security assessment under the test item."""


def _outcome(page: Any) -> str:
    page.click("button[role='tab']:has-text('Ask')")
    page.click("#new-chat")
    settle(page)
    ask(page, BANK_QUESTION)
    return str(page.locator("#determination .det-card").get_attribute("data-outcome"))


def test_import_preview_approve_publish_ask_and_roll_back(
    chromium: Any,
    knowledge_server: tuple[str, dict[str, str], Path],  # noqa: F811 (the fixture imported above)
    tmp_path: Path,
) -> None:
    base, _, _ = knowledge_server
    started = time.monotonic()
    officer = _open(chromium, base)
    assert _outcome(officer) == "exempt"
    table_file = write_csv(tmp_path / "bank-items.csv", [HEADERS, BANK_ITEM], "gb18030")
    _sign_in(officer, "olga")
    _open_import(officer)
    _upload(officer, "im-table-file", table_file)
    officer.click("#im-read")
    _message(officer, "im-message", "rows read")
    officer.click("#im-save")
    saved = _message(officer, "im-message", "items for")
    draft = saved.split("Draft ")[1].split(" ")[0]

    officer.click("button[role='tab']:has-text('Knowledge')")
    field(officer, "kn-draft-id").fill(draft)
    officer.click("#kn-preview")
    officer.wait_for_selector("#kn-report h4", timeout=300_000)
    report = officer.locator("#kn-report").inner_text()
    assert "The draft is valid" in report and "banking-01" in report
    assert "Publishing this draft replaces 1 items of the pack in force" in report  # the placeholder it replaces
    shot(officer, "42-import-preview")

    approver = _open(chromium, base)
    _sign_in(approver, "anna")
    field(approver, "kn-draft-id").fill(draft)
    approver.click("#kn-approve")
    approver.wait_for_selector(f"#kn-message :text('Draft {draft} approved by anna')")
    officer.click("#kn-publish")
    officer.wait_for_selector("#kn-message :text('Published as version')")
    settle(officer)
    version = rows(officer, "kn-versions").first.locator("[role='gridcell']").first.inner_text().strip()
    assert _outcome(officer) == "security_assessment"
    shot(officer, "43-import-published-answer")
    print(f"\nofficer's path, upload to the chat answering by the new item: {time.monotonic() - started:.0f} s")

    approver.click("button[role='tab']:has-text('Knowledge')")
    field(approver, "kn-version-id").fill(version)
    field(approver, "kn-rollback-note").fill("test item only")
    approver.click("#kn-rollback")
    approver.wait_for_selector(f"#kn-message :text('Version {version}')")
    assert _outcome(officer) == "exempt"
    officer.context.close()
    approver.context.close()
