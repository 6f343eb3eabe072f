"""The Knowledge tab in real Chromium: an officer previews a draft that lowers one threshold (the changed golden
outcomes are listed), cannot approve it; a second account with the approver role approves it; the officer
publishes it; the chat answers by the new item; the approver rolls it back and the old answer returns.
Also: a card written in the card editor is saved as a draft and its preview validates it."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import CLI, ROOT, add_user, running_server, shot
from .test_browser import ask, field, rows, settle

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.server]

PASSWORD = "Copper-harbour-91-slowly"
SHIPPED = "threshold: {fact: individuals, at_least: 50000}"
DRAFTED = "threshold: {fact: individuals, at_least: 30000}"
QUESTION = (
    "Our pharmaceutical company registered in the Beijing FTZ will send the clinical trial records of 35,000 "
    "people to the sponsor abroad this year. What do we need?"
)
"""Our own question: its count lies between the shipped threshold and the draft's."""


@pytest.fixture(scope="module")
def knowledge_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str], Path]]:
    """A server with an officer and two approvers, polling the knowledge every half second."""
    state = tmp_path_factory.mktemp("knowledge")
    env = {
        **os.environ,
        "ASSISTANT_DATA_DIR": str(state / "data"),
        "ASSISTANT_EMBEDDER": "fake",
        "ASSISTANT_KNOWLEDGE_POLL_SECONDS": "0.5",
        "HF_HUB_OFFLINE": "1",
        "ANONYMIZED_TELEMETRY": "False",
        "GRADIO_ANALYTICS_ENABLED": "False",
        "GRADIO_TEMP_DIR": str(state / "gradio"),
    }
    for name in ("ASSISTANT_CHROMA_URL", "ASSISTANT_API_KEYS", "ASSISTANT_DEV_MODE", "ASSISTANT_AUDIT_URL"):
        env.pop(name, None)
    for name, role in (("olga", "officer"), ("anna", "approver")):
        add_user(env, name, role, PASSWORD)
    with running_server(env, state / "server.log") as base:
        yield base, env, state


def _open(chromium: Any, base: str) -> Any:
    context = chromium.new_context(viewport={"width": 1440, "height": 1000}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(base + "/")
    page.wait_for_selector("#question textarea")
    return page


def _sign_in(page: Any, name: str) -> None:
    page.click("button[role='tab']:has-text('Help desk')")
    field(page, "console-user").fill(name)
    field(page, "console-password").fill(PASSWORD)
    page.click("#console-login-btn")
    page.wait_for_selector("#console-body", state="visible")
    settle(page)
    page.click("button[role='tab']:has-text('Knowledge')")
    page.click("#kn-refresh")
    settle(page)


def _pick_draft(page: Any, draft: str) -> None:
    row = rows(page, "kn-drafts").filter(has_text="beijing-ftz-2024").first
    row.wait_for()
    row.locator("[role='gridcell']").nth(3).click()
    page.wait_for_function(
        "d => document.querySelector('#kn-draft-id input, #kn-draft-id textarea').value === d", arg=draft
    )


def _save_draft(env: dict[str, str], tmp: Path) -> str:
    pack = (ROOT / "corpus" / "rules" / "beijing-ftz-2024.yaml").read_text(encoding="utf-8")
    assert pack.count(SHIPPED) == 1
    path = tmp / "draft.yaml"
    path.write_text(pack.replace(SHIPPED, DRAFTED), encoding="utf-8")
    command = [*CLI, "knowledge", "save", "pack", "beijing-ftz-2024", str(path), "--as", "olga", "--note", "lower"]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()[1]


def _outcome_after_asking(page: Any) -> str:
    page.click("button[role='tab']:has-text('Ask')")
    page.click("#new-chat")
    settle(page)
    ask(page, QUESTION)
    return str(page.locator("#determination .det-card").get_attribute("data-outcome"))


def test_preview_approve_publish_and_roll_back_in_the_console(
    chromium: Any, knowledge_server: tuple[str, dict[str, str], Path], tmp_path: Path
) -> None:
    base, env, _ = knowledge_server
    officer = _open(chromium, base)
    assert _outcome_after_asking(officer) == "outside_negative_list"
    draft = _save_draft(env, tmp_path)

    _sign_in(officer, "olga")
    _pick_draft(officer, draft)
    officer.click("#kn-preview")
    officer.wait_for_selector("#kn-report h4", timeout=300_000)
    report = officer.locator("#kn-report").inner_text()
    assert "The draft is valid" in report
    assert "pharma-clinical-trial-pi" in report
    assert "outside the negative list" in report and "security assessment" in report
    shot(officer, "30-knowledge-preview")

    officer.click("#kn-publish")
    officer.wait_for_selector("#kn-message :text('needs the approval of another approver')")
    officer.click("#kn-approve")  # an officer may not approve: refused with an error
    officer.wait_for_selector(":text('Your role may not do this')", timeout=30_000)

    approver = _open(chromium, base)
    _sign_in(approver, "anna")
    _pick_draft(approver, draft)
    approver.click("#kn-approve")
    approver.wait_for_selector(f"#kn-message :text('Draft {draft} approved by anna')")
    shot(approver, "31-knowledge-approved")

    officer.click("#kn-publish")
    officer.wait_for_selector("#kn-message :text('Published as version')")
    settle(officer)
    versions = rows(officer, "kn-versions").first
    assert "in force" in versions.inner_text() and "anna" in versions.inner_text()
    shot(officer, "32-knowledge-published")
    version = versions.locator("[role='gridcell']").first.inner_text().strip()

    assert _outcome_after_asking(officer) == "security_assessment"

    approver.click("button[role='tab']:has-text('Knowledge')")
    field(approver, "kn-version-id").fill(version)
    field(approver, "kn-rollback-note").fill("checked: not yet in force")
    approver.click("#kn-rollback")
    approver.wait_for_selector(f"#kn-message :text('Version {version}')")
    assert "rolled back" in rows(approver, "kn-versions").first.inner_text()
    shot(approver, "33-knowledge-rolled-back")

    assert _outcome_after_asking(officer) == "outside_negative_list"
    officer.context.close()
    approver.context.close()


def test_a_card_written_in_the_editor_becomes_a_draft_that_validates(
    chromium: Any, knowledge_server: tuple[str, dict[str, str], Path]
) -> None:
    base, _, _ = knowledge_server
    page = _open(chromium, base)
    _sign_in(page, "olga")
    field(page, "kn-card-id").fill("sa-validity")
    page.click("#kn-card-load")
    page.wait_for_selector("#kn-card-message :text('loaded')")
    assert "cbdf-provisions-2024 9" in field(page, "kn-citations").input_value()
    field(page, "kn-card-id").fill("helpdesk-test-card")
    field(page, "kn-q-en").fill("How long does the help desk keep a <b>draft</b>?\nIs a draft kept?")
    field(page, "kn-q-zh").fill("草稿保存多久？")
    page.click("#kn-card-save")
    page.wait_for_selector("#kn-card-message :text('Saved as draft')")
    message = page.locator("#kn-card-message").inner_text()
    draft = message.split("draft ")[1].split(":")[0]
    field(page, "kn-draft-id").fill(draft)
    page.click("#kn-preview")
    page.wait_for_selector("#kn-report h4", timeout=300_000)
    report = page.locator("#kn-report").inner_text()
    assert "The draft is valid" in report and "helpdesk-test-card" in report
    assert page.locator("#kn-report b").count() == 0  # the typed tag is shown as text, never rendered
    shot(page, "34-knowledge-card-draft")
    page.context.close()
