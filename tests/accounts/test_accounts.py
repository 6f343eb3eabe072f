"""Accounts: strength, lockout, sessions that expire, sign-out everywhere, roles and the account audit trail."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.accounts import Accounts, allowed, open_accounts
from assistant.accounts.cookie import SECRET_FILE, load_secret
from assistant.accounts.lockout import wait_after
from assistant.accounts.tables import SessionRow
from assistant.casefile.audit import AuditLog
from assistant.errors import AccountError
from assistant.settings import Settings

from .conftest import STRONG, Clock, make_accounts

HOME = "10.1.2.3"
OTHER = "192.0.2.77"


@pytest.mark.parametrize("password", ["password1", "P@ssw0rd", " " * 8, "aaaaaaaaaaaaaaaa", "qwertyuiop123"])
def test_weak_passwords_are_refused(accounts: Accounts, password: str) -> None:
    with pytest.raises(AccountError) as refused:
        accounts.add("li.na", password, "officer")
    assert refused.value.code in ("password_short", "password_weak")
    assert accounts.all() == []


def test_a_password_built_on_the_name_is_refused(accounts: Accounts) -> None:
    with pytest.raises(AccountError, match="guess"):
        accounts.add("wangfang", "wangfang2026", "officer")


def test_names_and_roles_are_checked(accounts: Accounts) -> None:
    with pytest.raises(AccountError) as bad_role:
        accounts.add("li.na", STRONG, "root")
    assert bad_role.value.code == "bad_role"
    with pytest.raises(AccountError) as bad_name:
        accounts.add("Li Na <script>", STRONG, "officer")
    assert bad_name.value.code == "bad_name"
    accounts.add("Li.Na", STRONG, "officer")
    with pytest.raises(AccountError) as exists:
        accounts.add("li.na", STRONG, "admin")
    assert exists.value.code == "exists"


def test_the_stored_hash_is_argon2_and_the_password_signs_in(accounts: Accounts) -> None:
    accounts.add("li.na", STRONG, "officer")
    with Session(accounts.engine) as session:
        stored = session.execute(select(SessionRow)).all()
    assert stored == []
    signed = accounts.sign_in("li.na", STRONG, HOME)
    assert signed.status == "ok" and signed.account is not None and signed.account.role == "officer"
    assert accounts.session(signed.cookie) == signed.account
    with Session(accounts.engine) as session:
        row = session.scalars(select(SessionRow)).one()
    session_id = accounts.signer.session_id(signed.cookie)
    assert session_id and row.id_hash != session_id and session_id not in signed.cookie.split(".")[1:]
    assert len(session_id) >= 43  # 256 bits, url-safe base64


def test_twenty_wrong_passwords_then_the_right_one_is_refused_while_locked(accounts: Accounts, clock: Clock) -> None:
    accounts.add("li.na", STRONG, "officer")
    answers = [accounts.sign_in("li.na", f"guess-{n}", HOME).status for n in range(20)]
    assert answers[:5] == ["wrong"] * 5 and set(answers[5:]) == {"locked"}
    right = accounts.sign_in("li.na", STRONG, HOME)
    assert right.status == "locked" and right.cookie == "" and 0 < right.retry_after <= 1
    clock.advance(seconds=1.5)
    assert accounts.sign_in("li.na", STRONG, HOME).status == "ok"
    assert accounts.sign_in("li.na", "again wrong", HOME).status == "wrong"  # the count started over


def test_the_wait_doubles_up_to_its_limit(accounts: Accounts, clock: Clock) -> None:
    assert [wait_after(n, 5, 900) for n in (4, 5, 6, 7, 14, 15, 40)] == [0, 1, 2, 4, 512, 900, 900]
    accounts.add("li.na", STRONG, "officer")
    for _ in range(4):
        assert accounts.sign_in("li.na", "wrong guess", HOME).status == "wrong"
    waits = []
    for _ in range(5):
        assert accounts.sign_in("li.na", "wrong guess", HOME).status == "wrong"
        locked = accounts.sign_in("li.na", STRONG, HOME)
        assert locked.status == "locked"
        waits.append(round(locked.retry_after))
        clock.advance(seconds=locked.retry_after + 0.01)
    assert waits == [1, 2, 4, 8, 16]


def test_unknown_names_answer_like_known_ones(accounts: Accounts) -> None:
    accounts.add("li.na", STRONG, "officer")
    known = [accounts.sign_in("li.na", "nope", HOME).status for _ in range(7)]
    unknown = [accounts.sign_in("nobody", "nope", OTHER).status for _ in range(7)]
    assert known == unknown == ["wrong"] * 5 + ["locked"] * 2


def test_one_address_guessing_many_names_is_locked(accounts: Accounts) -> None:
    accounts.add("li.na", STRONG, "officer")
    for n in range(20):
        assert accounts.sign_in(f"name{n}", "nope", OTHER).status == "wrong"
    assert accounts.sign_in("li.na", STRONG, OTHER).status == "locked"
    assert accounts.sign_in("li.na", STRONG, HOME).status == "ok"


def test_sessions_expire_when_idle_and_when_old(accounts: Accounts, clock: Clock) -> None:
    accounts.add("li.na", STRONG, "officer")
    idle = accounts.sign_in("li.na", STRONG, HOME).cookie
    clock.advance(minutes=29)
    assert accounts.session(idle) is not None  # used: the idle time starts again
    clock.advance(minutes=29)
    assert accounts.session(idle) is not None
    clock.advance(minutes=31)
    assert accounts.session(idle) is None

    busy = accounts.sign_in("li.na", STRONG, HOME).cookie
    for _ in range(23):
        clock.advance(minutes=29)
        assert accounts.session(busy) is not None
    clock.advance(minutes=29)  # 11 h 36 min of use, then past 12 h
    clock.advance(minutes=25)
    assert accounts.session(busy) is None


def test_forged_and_signed_out_cookies_open_nothing(accounts: Accounts) -> None:
    accounts.add("li.na", STRONG, "officer")
    cookie = accounts.sign_in("li.na", STRONG, HOME).cookie
    assert accounts.session(None) is None and accounts.session("") is None
    assert accounts.session(cookie[:-2] + ("AA" if cookie[-2:] != "AA" else "BB")) is None
    other_signer = make_accounts_with_secret(accounts, b"another secret, just as long as the first one")
    assert other_signer.session(cookie) is None
    assert accounts.sign_out(cookie, HOME) and accounts.session(cookie) is None
    assert not accounts.sign_out(cookie, HOME)


def make_accounts_with_secret(accounts: Accounts, secret: bytes) -> Accounts:
    from assistant.accounts import CookieSigner

    return Accounts(accounts.engine, CookieSigner(secret), hasher=accounts.hasher, clock=accounts.clock)


def test_sign_out_everywhere_ends_every_session(accounts: Accounts) -> None:
    accounts.add("li.na", STRONG, "officer")
    accounts.add("zhao.lei", STRONG, "admin")
    laptop = accounts.sign_in("li.na", STRONG, HOME).cookie
    phone = accounts.sign_in("li.na", STRONG, OTHER).cookie
    colleague = accounts.sign_in("zhao.lei", STRONG, HOME).cookie
    assert accounts.sign_out_everywhere("li.na", actor="zhao.lei", address=HOME) == 2
    assert accounts.session(laptop) is None and accounts.session(phone) is None
    assert accounts.session(colleague) is not None


def test_disabling_and_new_passwords_end_sessions(accounts: Accounts) -> None:
    accounts.add("li.na", STRONG, "officer")
    accounts.add("zhao.lei", STRONG, "admin")
    cookie = accounts.sign_in("li.na", STRONG, HOME).cookie
    accounts.disable("li.na", actor="zhao.lei")
    assert accounts.session(cookie) is None
    assert accounts.sign_in("li.na", STRONG, HOME).status == "wrong"
    accounts.disable("li.na", actor="zhao.lei", disabled=False)
    cookie = accounts.sign_in("li.na", STRONG, HOME).cookie
    accounts.set_password("li.na", "Copper-kettle-river-83", actor="li.na")
    assert accounts.session(cookie) is None
    assert accounts.sign_in("li.na", STRONG, HOME).status == "wrong"
    assert accounts.sign_in("li.na", "Copper-kettle-river-83", HOME).status == "ok"


def test_roles_and_the_last_admin(accounts: Accounts) -> None:
    accounts.add("zhao.lei", STRONG, "admin")
    accounts.add("li.na", STRONG, "officer")
    assert allowed("officer", "cases") and not allowed("officer", "accounts") and not allowed("approver", "accounts")
    assert allowed("approver", "publish") and allowed("admin", "accounts") and not allowed("root", "cases")
    for refused in (lambda: accounts.set_role("zhao.lei", "officer"), lambda: accounts.disable("zhao.lei")):
        with pytest.raises(AccountError) as last:
            refused()
        assert last.value.code == "last_admin"
    assert accounts.set_role("li.na", "admin", actor="zhao.lei").role == "admin"
    assert accounts.set_role("zhao.lei", "approver", actor="li.na").role == "approver"
    with pytest.raises(AccountError):
        accounts.set_role("nobody", "admin")


def test_every_sign_in_failure_lockout_and_change_is_in_the_trail(accounts: Accounts) -> None:
    accounts.add("zhao.lei", STRONG, "admin", actor="cli")
    accounts.add("li.na", STRONG, "officer", actor="zhao.lei", address=HOME)
    for _ in range(6):
        accounts.sign_in("li.na", "wrong one", "203.0.113.9")
    cookie = accounts.sign_in("zhao.lei", STRONG, "2001:db8:1:2::7").cookie
    accounts.set_role("li.na", "approver", actor="zhao.lei")
    accounts.sign_out(cookie, HOME)
    events = accounts.events()
    actions = [e[1] for e in reversed(events)]
    assert actions == [
        "account_added", "account_added", *["sign_in_failed"] * 4, "lockout", "sign_in_failed", "sign_in_locked",
        "sign_in", "role_changed", "sign_out",
    ]  # fmt: skip
    addresses = {e[4] for e in events}
    assert "203.0.113.0/24" in addresses and "2001:db8:1::/48" in addresses
    assert not any("203.0.113.9" in e[4] or "::7" in e[4] for e in events)
    assert next(e for e in events if e[1] == "role_changed")[5] == "officer -> approver"


def test_the_dev_account_signs_in_only_from_loopback_in_dev_mode(audit: AuditLog, clock: Clock) -> None:
    dev = make_accounts(audit, clock, dev_mode=True)
    assert "development account" in dev.bootstrap("", "")
    assert dev.sign_in("dev", "dev", "192.0.2.1").status == "wrong"
    cookie = dev.sign_in("dev", "dev", "127.0.0.1").cookie
    assert dev.session(cookie) is not None
    assert make_accounts(audit, clock).session(cookie) is None  # dev_mode off: the dev session is gone
    assert make_accounts(audit, clock).sign_in("dev", "dev", "127.0.0.1").status == "wrong"


def test_bootstrap_creates_the_configured_admin_only_when_strong_and_alone(accounts: Accounts) -> None:
    assert "not created" in accounts.bootstrap("helpdesk", "password1")
    assert accounts.all() == []
    assert "created" in accounts.bootstrap("HelpDesk", STRONG)
    assert [(a.name, a.role) for a in accounts.all()] == [("helpdesk", "admin")]
    assert accounts.bootstrap("second", STRONG) == ""  # accounts exist: the variables create nothing more


def test_the_cookie_secret_is_generated_once_and_private(tmp_path: Path, audit: AuditLog) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    first, second = load_secret(settings), load_secret(settings)
    assert first == second and len(first) >= 48
    assert os.stat(tmp_path / "data" / SECRET_FILE).st_mode & 0o077 == 0
    assert load_secret(Settings(data_dir=tmp_path, console_secret="x" * 40)) == b"x" * 40
    accounts = open_accounts(Settings(data_dir=tmp_path / "data", session_idle_minutes=5), audit.engine)
    assert accounts.lifetimes.idle.total_seconds() == 300 and accounts.policy.lock_after == 5


def test_parallel_guesses_do_not_slip_past_the_count(accounts: Accounts) -> None:
    accounts.add("li.na", STRONG, "officer")
    answers: list[str] = []
    errors: list[BaseException] = []

    def guess(n: int) -> None:
        try:
            answers.append(accounts.sign_in("li.na", f"parallel guess {n}", f"198.51.100.{n}").status)
        except BaseException as exc:  # any failure of a thread fails the test below
            errors.append(exc)

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and sorted(answers) == ["locked"] * 11 + ["wrong"] * 5
