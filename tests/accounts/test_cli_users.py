"""`assistant users ...` in a real subprocess: passwords from stdin only, strength refused, list, role, disable."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from assistant.accounts import open_accounts
from assistant.casefile.audit import AuditLog
from assistant.settings import Settings

from .conftest import STRONG


def users(data: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(data)}
    return subprocess.run(
        [sys.executable, "-m", "assistant.cli", "users", *args], input=stdin, capture_output=True, text=True,
        env=env, timeout=120, check=False,
    )  # fmt: skip


def test_users_commands_manage_accounts(tmp_path: Path) -> None:
    data = tmp_path / "data"
    weak = users(data, "add", "li.na", "--role", "officer", stdin="Password1234!\n")
    assert weak.returncode == 1 and "guess" in weak.stderr
    assert users(data, "add", "li.na", "--role", "officer", "--password", STRONG).returncode == 2  # no such option
    added = users(data, "add", "Li.Na", "--role", "officer", stdin=STRONG + "\n")
    assert added.returncode == 0 and added.stdout.strip() == "added li.na (officer)"
    assert users(data, "add", "zhao.lei", "--role", "admin", stdin=STRONG + "\n").returncode == 0
    assert users(data, "role", "li.na", "approver").stdout.strip() == "li.na is now approver"
    assert users(data, "disable", "li.na").stdout.strip() == "li.na disabled"
    assert users(data, "role", "nobody", "admin").returncode == 1
    assert users(data, "password", "zhao.lei", stdin="Copper-kettle-river-83\n").returncode == 0
    listed = users(data, "list").stdout.splitlines()
    assert [line.split()[:3] for line in listed] == [["li.na", "approver", "disabled"], ["zhao.lei", "admin", "active"]]

    audit = AuditLog(f"sqlite:///{(data / 'audit.db').resolve()}")
    try:
        accounts = open_accounts(Settings(data_dir=data), audit.engine)
        assert accounts.sign_in("zhao.lei", "Copper-kettle-river-83", "127.0.0.1").status == "ok"
        assert accounts.sign_in("li.na", STRONG, "127.0.0.1").status == "wrong"  # disabled
        actions = [e[1] for e in reversed(accounts.events())]
        assert actions[:5] == ["account_added", "account_added", "role_changed", "disabled", "password_changed"]
        assert all(
            (e[2] or "").startswith("cli:") for e in accounts.events() if e[1] != "sign_in_failed" and e[1] != "sign_in"
        )
    finally:
        audit.close()
