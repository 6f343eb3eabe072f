"""The app in a real browser: the flagship question in English and Chinese, a corrected fact, the console."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from .conftest import ADMIN_PASSWORD, ADMIN_USER, SCREENSHOTS, pdf_tools, shot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

FLAGSHIP_EN = (
    "We are a pharmaceutical company registered in the Beijing FTZ. Can we send clinical-trial data for "
    "40,000 patients to our headquarters abroad?"
)
FLAGSHIP_ZH = "我们是注册在北京自贸试验区的医药企业，能否把4万名患者的临床试验数据传给境外总部？"


def ask(page: Any, question: str) -> None:
    """Type a question, send it, and wait until the answer has finished streaming (its text stops changing)."""
    before = page.locator("#chatbot .message").count()
    page.fill("#question textarea", question)
    page.press("#question textarea", "Enter")  # as people send a chat message; the button does the same
    page.wait_for_selector("#determination .det-card[data-outcome]")
    page.wait_for_function(
        "n => { const b = document.querySelectorAll('#chatbot .message');"
        " if (b.length < n + 2) return false;"
        " const t = b[b.length - 1].innerText;"
        " if (/Checking the rules|正在核对规则/.test(t)) return false;"
        " const same = window.__lastAnswer === t; window.__lastAnswer = t; return same; }",
        arg=before,
        polling=700,
    )


def field(page: Any, elem_id: str) -> Any:
    """The text input (or textarea) of a Gradio textbox."""
    return page.locator(f"#{elem_id} :is(input, textarea)").first


def sign_in(page: Any, password: str = ADMIN_PASSWORD) -> None:
    """Open the help-desk tab and sign in."""
    page.click("button[role='tab']:has-text('Help desk')")
    field(page, "console-user").fill(ADMIN_USER)
    field(page, "console-password").fill(password)
    page.click("#console-login-btn")


def rows(page: Any, table: str) -> Any:
    """The visible data rows of a Gradio dataframe."""
    return page.locator(f"#{table} [role='row']:has([role='gridcell'])")


def settle(page: Any) -> None:
    """Wait until Gradio shows no pending event (no dimmed component)."""
    page.wait_for_function("() => !document.querySelector('.pending, .wrap.default.full:not(.hide)')")


def badge(page: Any) -> Any:
    """The outcome badge of the determination card."""
    return page.locator("#determination .det-head .outcome-badge")


def test_flagship_question_in_english(page: Any) -> None:
    shot(page, "01-start")
    ask(page, FLAGSHIP_EN)
    assert badge(page).get_attribute("data-outcome") == "outside_negative_list"
    assert badge(page).inner_text() == "outside the negative list"
    sources = page.locator("#sources")
    assert sources.locator(".src-label", has_text="Provisions art 7").count() == 1
    bubble = page.locator("#chatbot").inner_text()
    assert "no national procedure is needed" in bubble  # the short answer; the card holds the rest
    assert "Would change the outcome" not in bubble
    assert page.locator("#fact-zone input").input_value() == "registered in the Beijing FTZ"
    page.locator("#sources .src", has_text="Provisions art 7").locator("summary").click()
    shot(page, "02-flagship-en")
    field(page, "fb-comment").fill("Clear, thanks. Call me on 13812345678")
    page.click("#fb-useful")
    page.wait_for_selector("#chat-status :text('feedback is saved')")


def test_flagship_question_in_chinese(page: Any) -> None:
    page.locator("#lang label", has_text="中文").click()
    page.wait_for_selector("#tab-chat-button:has-text('咨询'), button:has-text('咨询')")
    ask(page, FLAGSHIP_ZH)
    assert badge(page).get_attribute("data-outcome") == "outside_negative_list"
    assert badge(page).inner_text() == "负面清单外"
    assert page.locator("#sources .src-label", has_text="《促进和规范数据跨境流动规定》第7条").count() == 1
    assert "服务台" in page.locator("body").inner_text()
    shot(page, "03-flagship-zh")


def test_correcting_a_fact_recomputes_the_outcome(page: Any) -> None:
    ask(page, FLAGSHIP_EN)
    assert badge(page).get_attribute("data-outcome") == "outside_negative_list"
    page.click("#fact-zone input")
    page.get_by_role("option", name="registered elsewhere in mainland China").click()
    page.wait_for_selector("#determination .det-card[data-outcome='security_assessment']")
    assert badge(page).inner_text() == "security assessment"
    assert "Recomputed" in page.locator("#determination").inner_text()
    assert page.locator("#sources .src-label", has_text="Provisions art 7").count() == 1
    shot(page, "04-fact-corrected")
    field(page, "fact-sensitive_info_count").fill("5,000")
    page.keyboard.press("Enter")
    page.wait_for_selector("#determination .det-card[data-outcome='standard_contract_or_certification']")
    shot(page, "05-fact-count-corrected")


def test_console_case_and_report(page: Any, tmp_path: Path) -> None:
    ask(page, FLAGSHIP_ZH)
    page.click("button[role='tab']:has-text('Help desk')")
    field(page, "console-user").wait_for()
    shot(page, "06-console-login")
    sign_in(page, "wrong")
    page.wait_for_selector(":text('Wrong user name or password')")
    sign_in(page)
    first = rows(page, "cases").first
    first.wait_for()
    settle(page)  # the sign-in event has finished
    assert "北京自贸试验区" in first.inner_text()
    shot(page, "07-console-cases")
    first.locator("[role='gridcell']").nth(2).click()
    page.wait_for_selector("#case-view h1")
    page.wait_for_selector("#dl-pdf")
    settle(page)
    assert "数据出境咨询案例报告" in page.locator("#case-view").inner_text()
    assert "判定过程" in page.locator("#case-view").inner_text()
    shot(page, "08-console-case")

    with page.expect_download() as md_download:
        page.click("#dl-md")
    markdown = tmp_path / "report.md"
    md_download.value.save_as(markdown)
    assert "负面清单外" in markdown.read_text(encoding="utf-8")
    with page.expect_download() as pdf_download:
        page.click("#dl-pdf")
    pdf = tmp_path / "report.pdf"
    pdf_download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    to_text, to_png = pdf_tools()
    if to_text:
        text = subprocess.run([to_text, str(pdf), "-"], capture_output=True, check=True, text=True).stdout
        assert "数据出境咨询案例报告" in text and "负面清单外" in text
    if to_png:
        subprocess.run([to_png, "-png", "-r", "80", "-f", "1", "-l", "1", str(pdf), str(SCREENSHOTS / "09-report")])


def test_console_rule_pack_browser(page: Any) -> None:
    sign_in(page)
    page.click("button[role='tab']:has-text('Rule packs')")
    page.wait_for_selector("#editions table")
    editions = page.locator("#editions").inner_text()
    assert "beijing-ftz-2024" in editions and "beijing-2025" in editions
    field(page, "rule-search").fill("clinical")
    page.wait_for_function(
        "() => { const rows = document.querySelectorAll('#rules .virtual-row'); "
        "return rows.length > 0 && [...rows].every(r => /clinical/i.test(r.innerText)); }"
    )
    field(page, "rule-search").fill("unknown")
    page.wait_for_function(
        "() => [...document.querySelectorAll('#rules .virtual-row')].some(r => r.innerText.includes('⚠ unknown'))"
    )
    settle(page)
    shot(page, "10-rule-packs")
    assert re.search(r"\d", page.locator("#editions").inner_text())


def test_page_starts_in_the_browsers_language(chromium: Any, server: str) -> None:
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    try:
        page = context.new_page()
        page.goto(server + "/")
        page.wait_for_selector("h1:has-text('北京自贸试验区数据出境助手')")
        assert page.locator("#send").inner_text() == "提问"
        assert page.locator("#lang input[value='zh']").is_checked()
        shot(page, "00-start-zh")
    finally:
        context.close()


def test_an_option_button_answers_the_follow_up_question(page: Any) -> None:
    page.fill(
        "#question textarea",
        "Our drug company wants to send the trial records of 30,000 patients to its parent abroad.",
    )
    page.click("#send")
    page.wait_for_selector("#determination .det-card[data-outcome='needs_more_information']")
    first = page.locator("#option-0")
    first.wait_for(state="visible")
    assert first.inner_text() == "registered in the Beijing FTZ"
    assert page.locator("#option-3").inner_text() == "registered elsewhere in mainland China"
    assert not page.locator("#option-4").is_visible()
    shot(page, "11-follow-up-options")
    first.click()
    page.wait_for_selector("#determination .det-card[data-outcome='outside_negative_list']")
    settle(page)
    messages = page.locator("#chatbot .message")
    assert "registered in the Beijing FTZ" in messages.nth(messages.count() - 2).inner_text()
    assert not page.locator("#option-0").is_visible()
    assert page.locator("#fact-zone input").input_value() == "registered in the Beijing FTZ"
    shot(page, "12-follow-up-answered")


def test_shift_enter_adds_a_line_and_enter_sends(page: Any) -> None:
    box = page.locator("#question textarea")
    box.click()
    box.type("A shop in the Beijing FTZ sends 700 buyers' emails to a mailing service in Ireland.")
    box.press("Shift+Enter")
    box.type("Is a contract needed?")
    assert box.input_value().count("\n") == 1  # a new line, nothing sent
    assert page.locator("#chatbot .message").count() == 0
    box.press("Enter")
    page.wait_for_selector("#determination .det-card[data-outcome]")
    assert box.input_value() == ""
    assert "Is a contract needed?" in page.locator("#chatbot").inner_text()
    settle(page)
