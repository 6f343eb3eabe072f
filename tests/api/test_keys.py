"""API keys: the settings entries, constant-time lookup, the rate limiter and `assistant keys new`."""

from __future__ import annotations

import json

import pytest

from assistant.api.gate import RateLimiter
from assistant.api.keys import KEY_PREFIX, KeyRing, bearer_token, hash_key, new_key
from assistant.cli.main import main
from assistant.errors import ConfigurationError


def test_issued_keys_are_random_and_stored_hashed() -> None:
    first, second = new_key("help-desk"), new_key("help-desk")
    assert first.key != second.key and first.key.startswith(KEY_PREFIX)
    assert first.entry == f"help-desk:{hash_key(first.key)}"
    assert first.key not in first.entry
    ring = KeyRing([first.entry, new_key("dify").entry])
    assert ring.enabled and ring.ids == ["help-desk", "dify"]
    assert ring.identify(first.key) == "help-desk"
    assert ring.identify(second.key) is None
    assert ring.identify("") is None


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        (["nohash"], "entry 1"),
        (["desk:abc"], "desk is not"),
        ([f"bad id:{'0' * 64}"], "entry 1"),
        ([f"desk:{'0' * 64}", f"desk:{'1' * 64}"], "twice"),
    ],
    ids=["no-colon", "short-hash", "bad-id", "duplicate"],
)
def test_malformed_entries_are_configuration_errors(entries: list[str], message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        KeyRing(entries)


def test_no_entries_means_an_open_api() -> None:
    assert not KeyRing([]).enabled


@pytest.mark.parametrize(
    ("header", "token"),
    [("Bearer abc", "abc"), ("bearer  abc ", "abc"), ("Basic abc", None), ("Bearer", None), (None, None)],
    ids=["bearer", "lowercase", "basic", "empty", "missing"],
)
def test_bearer_token(header: str | None, token: str | None) -> None:
    assert bearer_token(header) == token


def test_rate_limiter_slides_a_one_minute_window() -> None:
    now = [1000.0]
    limiter = RateLimiter(2, clock=lambda: now[0])
    assert limiter.hit("a") is None and limiter.hit("a") is None
    wait = limiter.hit("a")
    assert wait == pytest.approx(60.0)
    assert limiter.hit("b") is None
    now[0] += 30
    assert limiter.hit("a") == pytest.approx(30.0)
    now[0] += 31
    assert limiter.hit("a") is None
    assert RateLimiter(0).hit("a") is None


def test_cli_issues_a_key_and_prints_the_entry(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["keys", "new", "help-desk"]) == 0
    out = capsys.readouterr().out.splitlines()
    key = out[1].strip()
    entries = json.loads(out[3].split("=", 1)[1].strip("'"))
    assert key.startswith(KEY_PREFIX)
    assert KeyRing(entries).identify(key) == "help-desk"
    assert key not in out[3]


def test_cli_refuses_a_bad_key_id(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["keys", "new", "no spaces please"]) == 1
    assert "key id" in capsys.readouterr().err
