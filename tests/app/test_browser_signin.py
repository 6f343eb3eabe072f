"""Signing in to the console in real Chromium: the page signs in through the cookie route and shows the console;
another browser without the cookie, even holding the first one's Gradio session hash, sees and opens nothing."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from assistant.accounts import COOKIE_NAME
from assistant.catalogue import word

from .conftest import ADMIN_PASSWORD, ADMIN_USER, shot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

EMPTY = word("console.case_empty", "en")

REPLAY_JS = """
async ([fn, trigger, hash]) => {
  const join = await fetch("gradio_api/queue/join", {
    method: "POST", headers: {"content-type": "application/json", "x-gradio-user": "app"},
    body: JSON.stringify({data: ["", "en"], event_data: null, fn_index: fn, trigger_id: trigger, session_hash: hash}),
  });
  if (!join.ok) return "join " + join.status;
  const stream = await fetch("gradio_api/queue/data?session_hash=" + hash);
  if (!stream.ok) return "stream " + stream.status;
  const reader = stream.body.getReader();
  let text = "";
  while (true) {
    const {value, done} = await reader.read();
    if (done) return text;
    text += new TextDecoder().decode(value);
    if (text.includes("process_completed")) return text;
  }
}
"""
"""Queue the 'open case' event under someone else's session hash, as a replay from the access log would."""


def field(page: Any, elem_id: str) -> Any:
    return page.locator(f"#{elem_id} :is(input, textarea)").first


def test_sign_in_through_the_page_and_a_second_browser_sees_nothing(page: Any, chromium: Any, server: str) -> None:
    hashes: list[str] = []
    page.on("request", lambda r: hashes.extend(parse_qs(urlsplit(r.url).query).get("session_hash", [])))
    page.click("button[role='tab']:has-text('Help desk')")
    assert not page.locator("#console-body").is_visible()
    field(page, "console-user").fill(ADMIN_USER)
    field(page, "console-password").fill(ADMIN_PASSWORD)
    page.click("#console-login-btn")
    page.wait_for_selector("#console-body", state="visible")
    assert f"Signed in as {ADMIN_USER} (admin)" in page.locator("#console-who").inner_text()
    page.wait_for_selector("#console-accounts", state="visible")
    assert ADMIN_USER in page.locator("#accounts").inner_text()
    shot(page, "13-console-signed-in")

    cookies = {c["name"]: c for c in page.context.cookies()}
    assert cookies[COOKIE_NAME]["httpOnly"] and cookies[COOKIE_NAME]["sameSite"] == "Strict"
    assert COOKIE_NAME not in page.evaluate("document.cookie")  # page scripts cannot read it
    assert hashes, "the page made no queue request"

    config = page.evaluate("async () => (await fetch('config')).json()")
    opener = next(c["id"] for c in config["components"] if c.get("props", {}).get("elem_id") == "case-open")
    fn = next(d["id"] for d in config["dependencies"] if [opener, "click"] in d["targets"])
    mine = page.evaluate(REPLAY_JS, [fn, opener, hashes[-1] + "x"])  # this browser, with its cookie
    assert '"success": true' in mine.replace('"success":true', '"success": true') and EMPTY in mine

    other = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    try:
        stranger = other.new_page()
        stranger.set_default_timeout(30_000)
        stranger.goto(server + "/")
        stranger.wait_for_selector("#question textarea")
        stranger.click("button[role='tab']:has-text('Help desk')")
        field(stranger, "console-user").wait_for()
        assert not stranger.locator("#console-body").is_visible()
        assert not other.cookies()
        replayed = stranger.evaluate(REPLAY_JS, [fn, opener, hashes[-1]])
        assert replayed == "stream 403"  # the officer's results are not streamed to another browser
        own = stranger.evaluate(REPLAY_JS, [fn, opener, hashes[-1] + "z"])
        completed = [json.loads(line[5:]) for line in own.splitlines() if line.startswith("data:")]
        final = next(m for m in completed if m.get("msg") == "process_completed")
        assert final["success"] is False and EMPTY not in own  # and its own events are refused
    finally:
        other.close()

    page.click("#console-logout")
    page.wait_for_selector("#console-login", state="visible")
    assert COOKIE_NAME not in {c["name"] for c in page.context.cookies()}
