"""`assistant users ...`: help-desk accounts from the command line (add, list, disable, enable, role, password).

A password is read from a prompt (twice, not echoed) or, when stdin is not a terminal, from its first line;
never from an argument, which would land in the shell history and the process list.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from typing import TextIO

ROLE_NAMES = ("officer", "approver", "admin")
"""The roles (`assistant.accounts.ROLES`), repeated here so building the parser imports nothing heavy."""


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    """Register `users` and its actions on the CLI's subparsers."""
    p_users = sub.add_parser("users", help="help-desk console accounts")
    users = p_users.add_subparsers(dest="users_command", required=True)
    add = users.add_parser("add", help="create an account (password from a prompt or stdin)")
    add.add_argument("name")
    add.add_argument("--role", choices=ROLE_NAMES, required=True)
    users.add_parser("list", help="list the accounts")
    for action, text in (
        ("disable", "disable an account and end its sign-ins"),
        ("enable", "enable a disabled account"),
        ("password", "set a new password (prompt or stdin); ends the account's sign-ins"),
        ("signout", "end every sign-in of the account (sign out everywhere)"),
    ):
        users.add_parser(action, help=text).add_argument("name")
    role = users.add_parser("role", help="change an account's role")
    role.add_argument("name")
    role.add_argument("role", choices=ROLE_NAMES)
    return p_users


def read_password(stdin: TextIO, stderr: TextIO) -> str:
    """The new password: prompted twice on a terminal, else the first line of stdin (newline dropped)."""
    if stdin.isatty():
        first = getpass.getpass("New password: ", stream=stderr)
        if getpass.getpass("Repeat it: ", stream=stderr) != first:
            from ..errors import AccountError

            raise AccountError("mismatch", "the two passwords differ")
        return first
    return stdin.readline().rstrip("\r\n")


def users_command(args: argparse.Namespace, stdin: TextIO = sys.stdin, out: TextIO = sys.stdout) -> int:
    """Run one `assistant users` action on the configured database; errors raise `AssistantError`."""
    from ..accounts import open_accounts
    from ..casefile.audit import AuditLog
    from ..settings import Settings

    settings = Settings()
    audit = AuditLog(settings.audit_database_url())
    try:
        accounts = open_accounts(settings, audit.engine)
        actor = f"cli:{_who()}"
        action = args.users_command
        if action == "list":
            for a in accounts.all():
                status = "disabled" if a.disabled else "dev (loopback only)" if a.dev else "active"
                since = f"{a.password_changed_at:%Y-%m-%d}"
                print(f"{a.name:<24} {a.role:<9} {status:<20} password changed {since}", file=out)
            return 0
        if action == "add":
            added = accounts.add(args.name, read_password(stdin, sys.stderr), args.role, actor=actor)
            print(f"added {added.name} ({added.role})", file=out)
        elif action == "password":
            changed = accounts.set_password(args.name, read_password(stdin, sys.stderr), actor=actor)
            print(f"password of {changed.name} changed; its sign-ins have ended", file=out)
        elif action in ("disable", "enable"):
            done = accounts.disable(args.name, actor=actor, disabled=action == "disable")
            print(f"{done.name} {action}d", file=out)
        elif action == "role":
            done = accounts.set_role(args.name, args.role, actor=actor)
            print(f"{done.name} is now {done.role}", file=out)
        elif action == "signout":
            print(f"{accounts.sign_out_everywhere(args.name, actor=actor)} sign-ins of {args.name} ended", file=out)
        return 0
    finally:
        audit.close()


def _who() -> str:
    try:
        return getpass.getuser()[:40]
    except (KeyError, OSError):
        return str(os.getuid()) if hasattr(os, "getuid") else "?"
