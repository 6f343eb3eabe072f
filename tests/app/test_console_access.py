"""The console's doors on a real server (uvicorn on a loopback port, the real app): findings 1 and 2 of issue 13.

A Gradio `session_hash` read from the access log and replayed from another client opens nothing; sign-in is
throttled; the cookie is HttpOnly and SameSite=Strict; `/config` names no account; signing out ends the session.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from assistant.accounts import COOKIE_NAME
from assistant.catalogue import word

from .conftest import add_user, running_server

ADMIN = "helpdesk.lead"
PASSWORD = "Lantern-orchard-47-quietly"
OFFICER = "li.na"
EMPTY = word("console.case_empty", "en")
"""What opening no case shows: only a signed-in console gets this far."""
LOG: list[Path] = []
"""The server's log file, once it has started."""


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`assistant serve` on a free loopback port, an officer and an admin added first with `assistant users add`
    (so the bootstrap variables, set too, create nothing); its output (the access log included) goes to LOG."""
    state = tmp_path_factory.mktemp("console-access")
    env = {
        **os.environ,
        "ASSISTANT_DATA_DIR": str(state / "data"),
        "ASSISTANT_EMBEDDER": "fake",
        "ASSISTANT_CONSOLE_USER": "bootstrap.admin",
        "ASSISTANT_CONSOLE_PASSWORD": PASSWORD,
        "ASSISTANT_SIGNIN_ADDRESS_LOCK_AFTER": "1000",  # every client here is 127.0.0.1
        "GRADIO_TEMP_DIR": str(state / "gradio"),
    }
    env.pop("ASSISTANT_DEV_MODE", None)
    add_user(env, OFFICER, "officer", PASSWORD)
    env["ASSISTANT_CONSOLE_USER"] = ""  # an account exists: the bootstrap would create nothing anyway
    add_user(env, ADMIN, "admin", PASSWORD)
    log = state / "server.log"
    LOG.append(log)
    with running_server(env, log) as url:
        yield url


def sign_in(client: httpx.Client, name: str, password: str) -> httpx.Response:
    return client.post("/console/session", json={"user": name, "password": password})


def dependency(config: dict[str, Any], elem_id: str, kind: str) -> tuple[int, int]:
    """The (fn_index, trigger id) of the event `kind` on the component with this elem_id."""
    component = next(c["id"] for c in config["components"] if c.get("props", {}).get("elem_id") == elem_id)
    for dep in config["dependencies"]:
        if [component, kind] in [list(t) for t in dep["targets"]]:
            return int(dep["id"]), component
    raise AssertionError(f"no {kind} event on #{elem_id}")


def queue(client: httpx.Client, fn: tuple[int, int], data: list[Any], session_hash: str) -> dict[str, Any]:
    """Run one event through Gradio's queue as the page does; the final message (process_completed)."""
    joined = client.post(
        "/gradio_api/queue/join",
        json={"data": data, "event_data": None, "fn_index": fn[0], "trigger_id": fn[1], "session_hash": session_hash},
        headers={"x-gradio-user": "app"},
    )
    assert joined.status_code == 200, joined.text
    with client.stream("GET", "/gradio_api/queue/data", params={"session_hash": session_hash}) as stream:
        if stream.status_code != 200:
            return {"msg": "stream refused", "status": stream.status_code, "success": False}
        for line in stream.iter_lines():
            if line.startswith("data:"):
                message = json.loads(line[5:])
                if message.get("msg") == "process_completed":
                    return dict(message)
    raise AssertionError("the queue closed without completing the event")


def test_a_logged_session_hash_replayed_from_another_client_opens_nothing(base: str) -> None:
    with httpx.Client(base_url=base, timeout=60) as officer, httpx.Client(base_url=base, timeout=60) as attacker:
        replay(officer, attacker)


def replay(officer: httpx.Client, attacker: httpx.Client) -> None:
    """Sign in as the officer, then replay the officer's session hash from the attacker's client."""
    config = officer.get("/config").json()
    open_case = dependency(config, "case-open", "click")
    session_hash = uuid.uuid4().hex[:11]

    refused = queue(officer, open_case, ["", "en"], session_hash)  # before signing in
    assert refused["success"] is False and "sign in" in json.dumps(refused)
    assert sign_in(officer, ADMIN, PASSWORD).status_code == 200
    opened = queue(officer, open_case, ["", "en"], session_hash)
    assert opened["success"] is True and EMPTY in json.dumps(opened["output"]["data"])

    logged = LOG[0].read_text(encoding="utf-8", errors="replace")
    assert "/gradio_api/queue/data" in logged and session_hash not in logged
    replayed = queue(attacker, open_case, ["", "en"], session_hash)  # the hash as if it had been logged
    assert replayed["status"] == 403 and EMPTY not in json.dumps(replayed)  # its results are not streamed to them
    own = queue(attacker, open_case, ["", "en"], session_hash + "z")  # and on a stream of its own, refused
    assert own["success"] is False and "sign in" in json.dumps(own) and EMPTY not in json.dumps(own)
    attacker.cookies.set(COOKIE_NAME, "forged.value", domain="127.0.0.1")
    assert queue(attacker, open_case, ["", "en"], session_hash)["success"] is False
    assert queue(attacker, open_case, ["", "en"], session_hash + "y")["success"] is False

    assert officer.delete("/console/session").status_code == 200
    assert queue(officer, open_case, ["", "en"], session_hash)["success"] is False


def test_the_cookie_is_http_only_and_same_site_strict(base: str) -> None:
    with httpx.Client(base_url=base) as client:
        response = sign_in(client, ADMIN, PASSWORD)
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE_NAME}=") and "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert "Max-Age=43200" in cookie and "Path=/" in cookie and "Secure" not in cookie
    assert response.json() == {"status": "ok"}


def test_twenty_wrong_passwords_then_the_right_one_is_refused(base: str) -> None:
    with httpx.Client(base_url=base) as client:
        answers = [sign_in(client, OFFICER, f"guess number {n}").status_code for n in range(20)]
        # Five failures lock the name for 1 s, then each counted failure doubles the wait: most guesses are refused
        # unchecked. (Which later ones land after a lock ran out depends on this machine's speed.)
        assert answers[:6] == [401] * 5 + [429] and set(answers) == {401, 429} and answers.count(401) <= 9
        while sign_in(client, OFFICER, "one more guess").status_code != 401:
            time.sleep(0.25)  # refused while locked; the next counted failure (401) starts a longer lock
        right = sign_in(client, OFFICER.upper(), PASSWORD)
        assert right.status_code == 429 and int(right.headers["retry-after"]) >= 1
        assert right.json()["status"] == "locked" and COOKIE_NAME not in client.cookies
        assert [sign_in(client, "no.such.user", "x").status_code for _ in range(6)] == [401] * 5 + [429]


def test_sign_in_from_another_site_is_refused(base: str) -> None:
    with httpx.Client(base_url=base) as client:
        evil = client.post(
            "/console/session", json={"user": OFFICER, "password": PASSWORD}, headers={"origin": "http://evil.example"}
        )
        form = client.post("/console/session", data={"user": OFFICER, "password": PASSWORD})
        assert evil.status_code == 403 and form.status_code in (403, 422) and COOKIE_NAME not in client.cookies


def test_config_names_no_account(base: str) -> None:
    with httpx.Client(base_url=base) as client:
        text = client.get("/config").text
    assert "console-login-btn" in text  # the sign-in form is there
    assert ADMIN not in text and OFFICER not in text and "bootstrap.admin" not in text and PASSWORD not in text
