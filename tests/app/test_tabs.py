"""The tabs' callbacks as plain Python: what each returns for the components the app connects them to."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.casefile.audit import AuditLog
from assistant.pipeline import Assistant
from assistant.settings import Settings
from assistant.ui import SKIP, ChatSession, ChatTab, ConsoleAccess, ConsoleSession, ConsoleTab, Refused, Update
from assistant.ui import console_tab as console_module
from assistant.ui.chat import OPTION_BUTTONS, OUTPUTS, RECOMPUTED
from assistant.ui.console_tab import ALL, SIGN_IN, SIGN_OUT
from assistant.ui.form import form_values
from assistant.ui.text import browser_language, header

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


def test_console_refuses_until_signed_in(
    assistant: Assistant, audit: AuditLog, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(console_module, "FAILED_LOGIN_DELAY", 0)
    access = ConsoleAccess.from_settings(Settings(dev_mode=True))
    console = ConsoleTab(ConsoleSession(assistant, audit, access))
    with pytest.raises(Refused, match="sign in"):
        console.rules(False, "", "en")
    failed = dict(zip(SIGN_IN, console.sign_in("dev", "wrong", "en"), strict=True))
    assert failed["authed"] is False and failed["login_message"] == "⚠ Wrong user name or password."
    signed = dict(zip(SIGN_IN, console.sign_in("dev", "dev", "zh"), strict=True))
    assert signed["authed"] is True and signed["body"] == Update({"visible": True})
    assert signed["cases"]["headers"][0] == "时间（UTC）" and "beijing-2025" in signed["editions"]
    assert console.cases(True, ALL, "automotive", "", "", "en")[1] == "No cases match."
    assert console.pick(True, ["2026-01-01", "abc"]) == "abc" and console.pick(False, ["x", "abc"]) == ""
    out = dict(zip(SIGN_OUT, console.sign_out("en"), strict=True))
    assert out["authed"] is False and out["rules"]["headers"][0] == "Edition"


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
