"""The help-desk console tab's callbacks, without any UI toolkit: sign in and out, cases, rules, accounts.

Every callback takes the browser's session cookie value first (`token`; the app reads it from the request,
it is not a component) and checks it against the accounts database before doing anything: a Gradio
`session_hash`, a page's state or a replayed queue request opens nothing without a live session. The
sign-in itself happens in the page (`SIGN_IN_JS` posts to `/console/session`, which sets the cookie); the
callback then only reads the cookie. Callbacks return plain values (`updates.SKIP` and `Update`), and raise
`Refused` when the session is missing or its role may not do this.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..accounts import ROLES, Account, Permission, allowed
from ..answer.labels import outcome_label, value_label
from ..catalogue import word
from ..errors import AccountError
from ..facts import INDUSTRIES
from ..outcomes import OUTCOMES
from .console import account_columns, account_rows, case_columns, edition_table, rule_columns
from .session import ConsoleSession
from .updates import SKIP, Event, Refused, Update, table, update

ALL = "*"
"""The filter value that keeps every case."""

SIGN_IN: tuple[str, ...] = (
    "login", "body", "login_message", "password", "who", "admin", "cases", "editions", "rules", "accounts",
)  # fmt: skip
"""What `sign_in` returns, in order."""
SIGN_OUT: tuple[str, ...] = ("login", "body", "login_message", "who", "admin", "cases", "rules", "accounts")
"""What `sign_out` returns, in order."""
OPEN_CASE: tuple[str, ...] = ("view", "md_file", "pdf_file")
"""What `open_case` returns, in order."""
FILTERS: tuple[str, ...] = ("filter_outcome", "filter_industry", "since", "until")
"""The case filters, in the order `cases` takes them."""
ACCOUNT_CHANGE: tuple[str, ...] = ("accounts", "accounts_message")
"""What the account actions return, in order."""

SIGN_IN_STATUSES = frozenset({"ok", "wrong", "locked"})
"""What `/console/session` answers; anything else (a network error) is shown as `console.login_error`."""

SIGN_IN_JS = """
async (user, password, lang) => {
  let status = "error";
  try {
    const response = await fetch("console/session", {
      method: "POST", credentials: "same-origin", headers: {"content-type": "application/json"},
      body: JSON.stringify({user: user || "", password: password || ""}),
    });
    status = (await response.json()).status || "error";
  } catch (e) { status = "error"; }
  return [user, status, lang];
}
"""
"""Runs in the page before `sign_in`: signs in through the cookie route; the password box's value becomes the
route's answer (ok, wrong, locked), so the password never enters Gradio's queue."""
SIGN_OUT_JS = """
async (lang) => {
  try { await fetch("console/session", {method: "DELETE", credentials: "same-origin"}); } catch (e) {}
  return lang;
}
"""
"""Runs in the page before `sign_out`: ends the session and drops the cookie."""
SCRIPTS: dict[str, str] = {"sign_in": SIGN_IN_JS, "password": SIGN_IN_JS, "logout": SIGN_OUT_JS}
"""The page script each trigger runs before its callback."""

Choices = list[tuple[str, str]]


def filter_choices(lang: str) -> tuple[Choices, Choices]:
    """The choices of the outcome and the industry filter, each with "all" first."""
    every = (word("console.all", lang), ALL)
    outcomes = [every, *((outcome_label(o, lang), o) for o in OUTCOMES)]
    return outcomes, [every, *((value_label("industry", i, lang), i) for i in INDUSTRIES)]


def filter_relabel(index: int, key: str) -> Callable[[str], Update]:
    """A filter (0 outcome, 1 industry) in an interface language: its label and its choices."""
    return lambda lang: update(label=word(key, lang), choices=filter_choices(lang)[index])


def role_choices(lang: str) -> Choices:
    """The roles an admin may give, in words."""
    return [(word(f"console.role.{role}", lang), role) for role in ROLES]


def role_relabel(key: str) -> Callable[[str], Update]:
    """A role picker in an interface language: its label and its choices."""
    return lambda lang: update(label=word(key, lang), choices=role_choices(lang))


class ConsoleTab:
    """The console tab's callbacks over one `ConsoleSession`."""

    def __init__(self, console: ConsoleSession) -> None:
        """Act for `console`."""
        self.console = console
        self.accounts = console.accounts

    def events(self) -> list[Event]:
        """The tab's events. Each callback takes the session cookie's value before the inputs named here."""
        case = ("case_id", "lang")
        opened = Event("cases", "then", self.open_case, case, OPEN_CASE)
        manage = ("manage_name", "lang")
        return [
            Event("sign_in", "click", self.sign_in, ("user", "password", "lang"), SIGN_IN),
            Event("password", "submit", self.sign_in, ("user", "password", "lang"), SIGN_IN),
            Event("logout", "click", self.sign_out, ("lang",), SIGN_OUT),
            Event("apply", "click", self.cases, (*FILTERS, "lang"), ("cases", "cases_message")),
            Event("cases", "select", self.pick, (), ("case_id",), then=opened),
            Event("open", "click", self.open_case, case, OPEN_CASE),
            Event("case_id", "submit", self.open_case, case, OPEN_CASE),
            Event("search", "change", self.rules, ("search", "lang"), ("rules",)),
            Event("add_account", "click", self.add_account, ("new_name", "new_password", "new_role", "lang"),
                  (*ACCOUNT_CHANGE, "new_password")),
            Event("accounts", "select", self.pick_account, (), ("manage_name",)),
            Event("change_role", "click", self.change_role, ("manage_name", "manage_role", "lang"), ACCOUNT_CHANGE),
            Event("disable", "click", self.disable, manage, ACCOUNT_CHANGE),
            Event("enable", "click", self.enable, manage, ACCOUNT_CHANGE),
            Event("everywhere", "click", self.sign_out_everywhere, manage, ACCOUNT_CHANGE),
        ]  # fmt: skip

    def signed_in(self, token: str | None, lang: str, need: Permission = "cases") -> Account:
        """The account the cookie signs in, when its role may do `need`.

        Raises:
            Refused: no live session (signed out, expired, revoked), or the role may not do this.
        """
        account = self.accounts.session(token)
        if account is None:
            raise Refused(word("console.session_ended", lang))
        if not allowed(account.role, need):
            raise Refused(word("console.forbidden", lang))
        return account

    def sign_in(self, token: str | None, name: str, status: str, lang: str) -> tuple[Any, ...]:
        """Show the console when the cookie now holds a live session (`SIGN_IN`); else say why not.

        `status` is what the sign-in route answered the page; it only picks the message. Access comes from
        the cookie alone.
        """
        account = self.accounts.session(token)
        if account is None:
            key = {"locked": "console.login_locked", "wrong": "console.login_failed"}.get(status, "console.login_error")
            return SKIP, SKIP, f"⚠ {word(key, lang)}", "", SKIP, SKIP, SKIP, SKIP, SKIP, SKIP
        admin = allowed(account.role, "accounts")
        found, _ = self._cases(ALL, ALL, "", "", lang)
        rules = table(self.console.rules("", lang), rule_columns(lang))
        role = word(f"console.role.{account.role}", lang)
        who = f"_{word('console.signed_in_as', lang, name=account.name, role=role)}_"
        hidden, shown = update(visible=False), update(visible=True)
        accounts = self._accounts_table(lang) if admin else table([], account_columns(lang))
        return (
            hidden, shown, "", "", who, update(visible=admin), found, edition_table(self.console.book, lang), rules,
            accounts,
        )  # fmt: skip

    def sign_out(self, token: str | None, lang: str) -> tuple[Any, ...]:
        """Hide the console and empty its tables (`SIGN_OUT`); the page has already ended the session."""
        self.accounts.sign_out(token)  # in case the page's request did not get through
        shown, hidden = update(visible=True), update(visible=False)
        empty = table([], case_columns(lang)), table([], rule_columns(lang)), table([], account_columns(lang))
        return shown, hidden, "", "", hidden, *empty

    def cases(
        self, token: str | None, outcome: str, industry: str, since: str, until: str, lang: str
    ) -> tuple[Any, str]:
        """The cases table for the filters, and a message (no match, bad date)."""
        self.signed_in(token, lang)
        return self._cases(outcome, industry, since, until, lang)

    def _cases(self, outcome: str, industry: str, since: str, until: str, lang: str) -> tuple[Any, str]:
        rows, message = self.console.cases(
            lang, None if outcome == ALL else outcome, None if industry == ALL else industry, since, until
        )
        return table(rows, case_columns(lang)), message

    def rules(self, token: str | None, query: str, lang: str) -> dict[str, Any]:
        """The negative-list table for the search."""
        self.signed_in(token, lang)
        return table(self.console.rules(query, lang), rule_columns(lang))

    def pick(self, token: str | None, row: list[Any] | None) -> str:
        """The case id of a clicked row of the cases table ('' without a live session)."""
        row = (row or []) if self.accounts.session(token) else []
        return str(row[1]) if len(row) > 1 else ""

    def open_case(self, token: str | None, wanted: str, lang: str) -> tuple[Any, ...]:
        """The case's report and its two downloads (`OPEN_CASE`)."""
        self.signed_in(token, lang)
        view = self.console.open(wanted, lang)
        files = [
            update(value=str(path), visible=True) if path else update(value=None, visible=False)
            for path in (view.md_path, view.pdf_path)
        ]
        return (view.markdown, *files)

    # -- accounts (admins) -------------------------------------------------------------------------------

    def _accounts_table(self, lang: str) -> dict[str, Any]:
        return table(account_rows(self.accounts.all(), lang), account_columns(lang))

    def pick_account(self, token: str | None, row: list[Any] | None) -> str:
        """The name in a clicked row of the accounts table ('' unless an admin is signed in)."""
        account = self.accounts.session(token)
        row = (row or []) if account is not None and allowed(account.role, "accounts") else []
        return str(row[0]) if row else ""

    def add_account(self, token: str | None, name: str, password: str, role: str, lang: str) -> tuple[Any, ...]:
        """Create an account (strength checked); the table, a message, and the password box (emptied on success)."""
        admin = self.signed_in(token, lang, "accounts")
        try:
            added = self.accounts.add(name or "", password or "", role or "officer", actor=admin.name)
        except AccountError as exc:
            return self._accounts_table(lang), _refusal(exc, lang), SKIP
        return self._accounts_table(lang), f"✓ {word('console.account_added', lang, name=added.name)}", ""

    def change_role(self, token: str | None, name: str, role: str, lang: str) -> tuple[Any, str]:
        """Give the named account another role."""
        admin = self.signed_in(token, lang, "accounts")
        return self._change(
            lambda: self.accounts.set_role(name or "", role or "", actor=admin.name), "console.role_changed", lang,
            role=word(f"console.role.{role}", lang) if role in ROLES else role,
        )  # fmt: skip

    def disable(self, token: str | None, name: str, lang: str) -> tuple[Any, str]:
        """Disable the named account (its sessions end)."""
        admin = self.signed_in(token, lang, "accounts")
        return self._change(
            lambda: self.accounts.disable(name or "", actor=admin.name), "console.account_disabled", lang
        )

    def enable(self, token: str | None, name: str, lang: str) -> tuple[Any, str]:
        """Enable the named account again."""
        admin = self.signed_in(token, lang, "accounts")
        change = lambda: self.accounts.disable(name or "", actor=admin.name, disabled=False)  # noqa: E731
        return self._change(change, "console.account_enabled", lang)

    def sign_out_everywhere(self, token: str | None, name: str, lang: str) -> tuple[Any, str]:
        """End every session of the named account (the admin's own too, when it is theirs)."""
        admin = self.signed_in(token, lang, "accounts")
        try:
            count = self.accounts.sign_out_everywhere(name or "", actor=admin.name)
        except AccountError as exc:
            return self._accounts_table(lang), _refusal(exc, lang)
        return self._accounts_table(lang), f"✓ {word('console.signed_out_everywhere', lang, name=name, count=count)}"

    def _change(self, change: Callable[[], Account], key: str, lang: str, **params: str) -> tuple[Any, str]:
        try:
            changed = change()
        except AccountError as exc:
            return self._accounts_table(lang), _refusal(exc, lang)
        return self._accounts_table(lang), f"✓ {word(key, lang, name=changed.name, **params)}"


def _refusal(exc: AccountError, lang: str) -> str:
    """Why an account change was refused, in words (zxcvbn's English hint added in English)."""
    text = word(f"accounts.error.{exc.code}", lang, **{k: str(v) for k, v in exc.params.items()})
    if exc.code == "password_weak" and lang != "zh":
        text = str(exc).capitalize()
    return f"⚠ {text}"
