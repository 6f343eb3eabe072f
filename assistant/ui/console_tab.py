"""The help-desk console tab's callbacks, without any UI toolkit: sign in and out, filter cases, open one, search.

The app connects them to its components; they take and return plain values (`updates.SKIP` and `Update`),
and raise `Refused` when the console is not signed in.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from ..answer.labels import outcome_label, value_label
from ..catalogue import word
from ..facts import INDUSTRIES
from ..outcomes import OUTCOMES
from .console import ConsoleAccess, case_columns, edition_table, rule_columns
from .session import ConsoleSession
from .updates import SKIP, Event, Refused, Update, table, update

ALL = "*"
"""The filter value that keeps every case."""
FAILED_LOGIN_DELAY = 0.5
"""Seconds a failed sign-in waits: slows guessing down a little."""

SIGN_IN: tuple[str, ...] = ("authed", "login", "body", "login_message", "password", "cases", "editions", "rules")
"""What `sign_in` returns, in order."""
SIGN_OUT: tuple[str, ...] = ("authed", "login", "body", "login_message", "cases", "rules")
"""What `sign_out` returns, in order."""
OPEN_CASE: tuple[str, ...] = ("view", "md_file", "pdf_file")
"""What `open_case` returns, in order."""
FILTERS: tuple[str, ...] = ("filter_outcome", "filter_industry", "since", "until")
"""The case filters, in the order `cases` takes them."""

Choices = list[tuple[str, str]]


def filter_choices(lang: str) -> tuple[Choices, Choices]:
    """The choices of the outcome and the industry filter, each with "all" first."""
    every = (word("console.all", lang), ALL)
    outcomes = [every, *((outcome_label(o, lang), o) for o in OUTCOMES)]
    return outcomes, [every, *((value_label("industry", i, lang), i) for i in INDUSTRIES)]


def filter_relabel(index: int, key: str) -> Callable[[str], Update]:
    """A filter (0 outcome, 1 industry) in an interface language: its label and its choices."""
    return lambda lang: update(label=word(key, lang), choices=filter_choices(lang)[index])


class ConsoleTab:
    """The console tab's callbacks over one `ConsoleSession`."""

    def __init__(self, console: ConsoleSession) -> None:
        """Act for `console`."""
        self.console = console

    def events(self) -> list[Event]:
        """The tab's events, its components named as in `SIGN_IN`, `SIGN_OUT` and `OPEN_CASE` (and `user`,
        `sign_in`, `logout`, `apply`, the filters of `FILTERS`, `cases_message`, `case_id`, `open`, `search`)."""
        case = ("authed", "case_id", "lang")
        opened = Event("cases", "then", self.open_case, case, OPEN_CASE)
        return [
            Event("sign_in", "click", self.sign_in, ("user", "password", "lang"), SIGN_IN),
            Event("password", "submit", self.sign_in, ("user", "password", "lang"), SIGN_IN),
            Event("logout", "click", self.sign_out, ("lang",), SIGN_OUT),
            Event("apply", "click", self.cases, ("authed", *FILTERS, "lang"), ("cases", "cases_message")),
            Event("cases", "select", self.pick, ("authed",), ("case_id",), then=opened),
            Event("open", "click", self.open_case, case, OPEN_CASE),
            Event("case_id", "submit", self.open_case, case, OPEN_CASE),
            Event("search", "change", self.rules, ("authed", "search", "lang"), ("rules",)),
        ]

    @property
    def access(self) -> ConsoleAccess:
        """Who may sign in."""
        return self.console.access

    def dev_hint(self, lang: str) -> str:
        """The development-mode note with its credentials (Markdown)."""
        return "_" + word("console.dev_hint", lang, user=self.access.user, password=self.access.password) + "_"

    def signed_in(self, lang: str) -> str:
        """Who is signed in (Markdown)."""
        return f"_{word('console.signed_in', lang)} {self.access.user}_"

    def sign_in(self, name: str, secret: str, lang: str) -> tuple[Any, ...]:
        """Check the credentials; on success show the console with its cases, editions and rules (`SIGN_IN`)."""
        if not self.access.check(name or "", secret or ""):
            time.sleep(FAILED_LOGIN_DELAY)
            return False, SKIP, SKIP, f"⚠ {word('console.login_failed', lang)}", "", SKIP, SKIP, SKIP
        found, _ = self.cases(True, ALL, ALL, "", "", lang)
        rules = self.rules(True, "", lang)
        hidden, shown = update(visible=False), update(visible=True)
        return True, hidden, shown, "", "", found, edition_table(self.console.book, lang), rules

    def sign_out(self, lang: str) -> tuple[Any, ...]:
        """Hide the console and empty its tables (`SIGN_OUT`)."""
        shown, hidden = update(visible=True), update(visible=False)
        return False, shown, hidden, "", table([], case_columns(lang)), table([], rule_columns(lang))

    def cases(self, ok: bool, outcome: str, industry: str, since: str, until: str, lang: str) -> tuple[Any, str]:
        """The cases table for the filters, and a message (no match, bad date)."""
        _guard(ok, lang)
        rows, message = self.console.cases(
            lang, None if outcome == ALL else outcome, None if industry == ALL else industry, since, until
        )
        return table(rows, case_columns(lang)), message

    def rules(self, ok: bool, query: str, lang: str) -> dict[str, Any]:
        """The negative-list table for the search."""
        _guard(ok, lang)
        return table(self.console.rules(query, lang), rule_columns(lang))

    @staticmethod
    def pick(ok: bool, row: list[Any] | None) -> str:
        """The case id of a clicked row of the cases table ('' when signed out)."""
        row = (row or []) if ok else []
        return str(row[1]) if len(row) > 1 else ""

    def open_case(self, ok: bool, wanted: str, lang: str) -> tuple[Any, ...]:
        """The case's report and its two downloads (`OPEN_CASE`)."""
        _guard(ok, lang)
        view = self.console.open(wanted, lang)
        files = [
            update(value=str(path), visible=True) if path else update(value=None, visible=False)
            for path in (view.md_path, view.pdf_path)
        ]
        return (view.markdown, *files)


def _guard(ok: bool, lang: str) -> None:
    if not ok:
        raise Refused(word("console.login_title", lang))
