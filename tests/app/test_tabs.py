"""The tabs' callbacks as plain Python: what each returns for the components the app connects them to."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.accounts import open_accounts
from assistant.casefile.audit import AuditLog
from assistant.pipeline import Assistant
from assistant.settings import Settings
from assistant.ui import SKIP, ChatSession, ChatTab, ConsoleSession, ConsoleTab, Refused, Update
from assistant.ui.chat import OPTION_BUTTONS, OUTPUTS, RECOMPUTED
from assistant.ui.console_tab import ALL, SIGN_IN, SIGN_OUT
from assistant.ui.form import form_values
from assistant.ui.text import browser_language, header

STRONG = "Lantern-orchard-47-quietly"
FLAGSHIP = (
    "We are a pharmaceutical company registered in the Beijing FTZ. Can we send clinical-trial data for "
    "40,000 patients to our headquarters abroad?"
)


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    return Assistant(Settings(embedder="fake", data_dir=tmp_path_factory.mktemp("tabs-data")))


@pytest.fixture
def audit(tmp_path: Path) -> Iterator[AuditLog]:
    log = AuditLog(f"sqlite:///{tmp_path / 'audit.db'}")
    yield log
    log.close()


def test_chat_streams_the_answer_then_fills_the_panels(assistant: Assistant, audit: AuditLog) -> None:
    chat = ChatTab(ChatSession(assistant, audit), delay=0)
    assert list(chat.respond("  ", [], [], {}, "en")) == [(SKIP,) * len(OUTPUTS)]
    rows = list(chat.respond(FLAGSHIP, [], [], {}, "en"))
    assert all(len(row) == len(OUTPUTS) for row in rows)
    assert rows[0][0][-1] == {"role": "assistant", "content": "Checking the rules…"} and rows[0][1] == ""
    last = dict(zip(OUTPUTS, rows[-1], strict=True))
    assert 'data-outcome="outside_negative_list"' in last["card"] and last["asked"] == [FLAGSHIP]
    assert last["feedback"] == Update({"visible": True}) and last["zone"] == "beijing_ftz"
    values = {**form_values(assistant.ask(FLAGSHIP).facts), "zone": "none"}
    changed = dict(zip(RECOMPUTED, chat.recompute("en", last["turn"], last["history"], *values.values()), strict=True))
    assert 'data-outcome="security_assessment"' in changed["card"]
    assert "the outcome is now **security assessment**" in changed["history"][-1]["content"]
    cleared = dict(zip(OUTPUTS, chat.clear("zh"), strict=True))
    assert (
        cleared["history"] == [] and cleared["feedback"] == Update({"visible": False}) and cleared["zone"] == "unknown"
    )


def test_console_refuses_until_signed_in_and_by_role(assistant: Assistant, audit: AuditLog, tmp_path: Path) -> None:
    accounts = open_accounts(Settings(data_dir=tmp_path), audit.engine)
    accounts.add("zhao.lei", STRONG, "admin")
    accounts.add("li.na", STRONG, "officer")
    console = ConsoleTab(ConsoleSession(assistant, audit, accounts))
    with pytest.raises(Refused, match="sign in again"):
        console.rules(None, "", "en")
    failed = dict(zip(SIGN_IN, console.sign_in(None, "zhao.lei", "wrong", "en"), strict=True))
    assert failed["body"] is SKIP and failed["login_message"] == "⚠ Wrong user name or password."
    locked = dict(zip(SIGN_IN, console.sign_in("forged.cookie", "zhao.lei", "ok", "en"), strict=True))
    assert locked["body"] is SKIP and "wait" not in locked["login_message"]  # the page's word is never trusted
    admin = accounts.sign_in("zhao.lei", STRONG, "127.0.0.1").cookie
    signed = dict(zip(SIGN_IN, console.sign_in(admin, "zhao.lei", "ok", "zh"), strict=True))
    assert signed["body"] == Update({"visible": True}) and signed["admin"] == Update({"visible": True})
    assert signed["cases"]["headers"][0] == "时间（UTC）" and "beijing-2025" in signed["editions"]
    assert "zhao.lei" in signed["who"] and [row[0] for row in signed["accounts"]["data"]] == ["li.na", "zhao.lei"]
    assert console.cases(admin, ALL, "automotive", "", "", "en")[1] == "No cases match."
    assert console.pick(admin, ["2026-01-01", "abc"]) == "abc" and console.pick(None, ["x", "abc"]) == ""

    officer = accounts.sign_in("li.na", STRONG, "127.0.0.1").cookie
    shown = dict(zip(SIGN_IN, console.sign_in(officer, "li.na", "ok", "en"), strict=True))
    assert shown["admin"] == Update({"visible": False}) and shown["accounts"]["data"] == []
    assert console.rules(officer, "clinical", "en")["data"]
    with pytest.raises(Refused, match="role"):
        console.add_account(officer, "wang.fang", STRONG, "admin", "en")
    assert console.pick_account(officer, ["zhao.lei"]) == ""

    weak = console.add_account(admin, "wang.fang", "P@ssw0rd", "officer", "en")
    assert weak[1].startswith("⚠") and weak[2] is SKIP and accounts.get("wang.fang") is None
    added = console.add_account(admin, "wang.fang", "Copper-kettle-river-83", "approver", "zh")
    assert added[1] == "✓ 已添加账户 wang.fang。" and added[2] == ""
    assert console.change_role(admin, "wang.fang", "officer", "en")[1] == "✓ wang.fang is now officer."
    assert console.change_role(admin, "zhao.lei", "officer", "en")[1].startswith("⚠ The last enabled admin")
    assert console.sign_out_everywhere(admin, "li.na", "en")[1] == "✓ li.na: 1 sign-ins ended."
    with pytest.raises(Refused, match="sign in again"):
        console.open_case(officer, "", "en")
    assert console.disable(admin, "wang.fang", "en")[1].startswith("✓ wang.fang is disabled")

    out = dict(zip(SIGN_OUT, console.sign_out(admin, "en"), strict=True))
    assert out["body"] == Update({"visible": False}) and out["rules"]["headers"][0] == "Edition"
    with pytest.raises(Refused):
        console.cases(admin, ALL, ALL, "", "", "en")


def test_page_words_follow_the_browser() -> None:
    assert browser_language("zh-CN,zh;q=0.9,en;q=0.8") == "zh"
    assert browser_language("en-GB") == browser_language(None) == "en"
    assert header("zh").startswith("# 北京自贸试验区数据出境助手\n")


def test_the_follow_up_options_show_as_buttons_and_a_click_answers(assistant: Assistant, audit: AuditLog) -> None:
    chat = ChatTab(ChatSession(assistant, audit), delay=0)
    first = "Our drug company wants to send the trial records of 30,000 patients to its parent abroad."
    asked = dict(zip(OUTPUTS, list(chat.respond(first, [], [], {}, "en"))[-1], strict=True))
    buttons = [asked[name] for name in OPTION_BUTTONS]
    assert buttons[0] == Update({"value": "registered in the Beijing FTZ", "visible": True})
    assert buttons[3] == Update({"value": "registered elsewhere in mainland China", "visible": True})
    assert buttons[4] == Update({"visible": False})
    click = next(e for e in chat.events() if e.trigger == "option-0" and e.kind == "click")
    assert click.inputs[0] == "option-0"  # the button's own words are the message sent
    rows = list(click.callback("registered in the Beijing FTZ", asked["history"], asked["asked"], asked["turn"], "en"))
    answered = dict(zip(OUTPUTS, rows[-1], strict=True))
    assert 'data-outcome="outside_negative_list"' in answered["card"] and answered["zone"] == "beijing_ftz"
    assert all(answered[name] == Update({"visible": False}) for name in OPTION_BUTTONS)
    cleared = dict(zip(OUTPUTS, chat.clear("en"), strict=True))
    assert all(cleared[name] == Update({"visible": False}) for name in OPTION_BUTTONS)
