"""The help-desk console: who may sign in, the cases table and the rule-pack browser."""

from __future__ import annotations

import datetime as dt
import hmac
from collections.abc import Sequence
from dataclasses import dataclass

from ..answer.labels import outcome_label, value_label
from ..casefile.audit import CaseRecord
from ..catalogue import has, word
from ..rules import RuleBook
from ..rules.schema import Source
from ..settings import Settings

DEV_USER = "dev"
DEV_PASSWORD = "dev"
"""Accepted only with dev_mode on, when no credentials are set."""
WEAK_PASSWORDS = frozenset({"admin", "password", "changeme", "secret", "123456", "12345678", "dev", "test", "guest"})
"""Well-known default passwords: outside dev_mode they keep the console closed."""
MIN_PASSWORD = 8


@dataclass(frozen=True)
class ConsoleAccess:
    """Whether the console is open, and for which credentials."""

    enabled: bool
    user: str
    password: str
    dev_mode: bool
    reason: str = ""

    @classmethod
    def from_settings(cls, settings: Settings) -> ConsoleAccess:
        """Open with the configured credentials; default or empty ones only in dev_mode (dev / dev if unset)."""
        user = settings.console_user.strip()
        password = settings.console_password.get_secret_value()
        if settings.dev_mode:
            if not user or not password:
                user, password = DEV_USER, DEV_PASSWORD
            return cls(True, user, password, True)
        problem = weak_credentials(user, password)
        if problem:
            return cls(False, "", "", False, problem)
        return cls(True, user, password, False)

    def check(self, user: str, password: str) -> bool:
        """Whether these credentials open the console (constant-time comparison)."""
        if not self.enabled:
            return False
        same_user = hmac.compare_digest(user.strip().encode(), self.user.encode())
        same_password = hmac.compare_digest(password.encode(), self.password.encode())
        return same_user and same_password


def weak_credentials(user: str, password: str) -> str:
    """Why these credentials may not open the console outside dev_mode, or '' when they may."""
    if not user or not password:
        return "console_user and console_password are not both set"
    if password.lower() in WEAK_PASSWORDS or password.lower() == user.lower():
        return "console_password is a well-known default"
    if len(password) < MIN_PASSWORD:
        return f"console_password is shorter than {MIN_PASSWORD} characters"
    return ""


CASE_COLUMNS: tuple[str, ...] = ("time", "case", "outcome", "field", "lang", "channel", "feedback", "question")
"""The cases table's columns (headed by `console.case_col.NAME`)."""
CASE_WIDTHS: list[str] = ["13%", "10%", "14%", "10%", "6%", "7%", "10%", "30%"]
"""The width of each column of the cases table."""
QUESTION_CHARS = 90
"""A longer question is cut to this many characters in the cases table."""


def case_columns(lang: str) -> list[str]:
    """The cases table's column headings in words."""
    return [word(f"console.case_col.{name}", lang) for name in CASE_COLUMNS]


def case_rows(records: list[CaseRecord], lang: str) -> list[list[str]]:
    """One table row per case, latest first."""
    rows = []
    for r in records:
        question = " ".join(r.question.split())
        feedback = r.feedback_verdict or ""
        if r.feedback_comment:
            feedback += f": {r.feedback_comment[:40]}"
        rows.append(
            [
                f"{r.created_at:%Y-%m-%d %H:%M}",
                r.id,
                outcome_label(r.outcome, lang),
                value_label("industry", r.industry, lang) if r.industry else "",
                r.language,
                r.channel,
                feedback,
                question if len(question) <= QUESTION_CHARS else question[: QUESTION_CHARS - 1] + "…",
            ]
        )
    return rows


def parse_day(text: str | None) -> dt.date | None:
    """A YYYY-MM-DD filter date, or None when empty.

    Raises:
        ValueError: the text is not a date.
    """
    text = (text or "").strip()
    return dt.date.fromisoformat(text) if text else None


RULE_COLUMNS: tuple[str, ...] = (
    "edition",
    "field",
    "scenario",
    "item",
    "category",
    "route",
    "threshold",
    "status",
    "source",
)
"""The rule table's columns (headed by `console.rule_col.NAME`)."""
RULE_WIDTHS: list[str] = ["6%", "11%", "11%", "15%", "11%", "10%", "11%", "9%", "16%"]
"""The width of each column of the rule table."""
EDITION_COLUMNS: tuple[str, ...] = ("pack", "edition", "in_force", "fields", "known", "unknown")
"""The editions table's columns (headed by `console.edition_col.NAME`)."""


def rule_columns(lang: str) -> list[str]:
    """The rule table's column headings in words."""
    return [word(f"console.rule_col.{name}", lang) for name in RULE_COLUMNS]


def _named(prefix: str, name: str, lang: str) -> str:
    """`prefix.name` in words, or the name itself when the catalogue has no word for it."""
    key = f"{prefix}.{name}"
    return word(key, lang) if has(key) else name


def rule_rows(book: RuleBook, lang: str, query: str = "") -> list[list[str]]:
    """The negative-list items of every loaded edition, unknown ones marked; filtered by `query`."""
    unknown = word("console.unknown_mark", lang)
    rows: list[list[str]] = []
    for pack in sorted(book.packs.values(), key=lambda p: p.effective_from):
        if pack.kind != "list":
            continue
        items = book.items(pack)
        for item in items:
            threshold = ""
            if item.threshold is not None:
                sign = "≥" if item.threshold.at_least is not None else ">"
                bound = item.threshold.at_least if item.threshold.at_least is not None else item.threshold.more_than
                threshold = f"{sign} {bound:,} ({_named('console.counted', item.threshold.fact, lang)})"
            status = unknown if "unknown" in (item.status, item.effect) else _named("console.status", item.status, lang)
            rows.append(
                [
                    pack.edition,
                    value_label("industry", item.field, lang) if item.field else word("console.all", lang),
                    value_label("scenario", item.scenario, lang) if item.scenario else "",
                    item.title.get(lang),
                    _named("console.category", item.category, lang),
                    unknown if item.route == "unknown" else outcome_label(item.route, lang),
                    threshold,
                    status,
                    _sources(item.sources, book, lang),
                ]
            )
        with_items = {i.field for i in items}
        for sector in book.fields(pack):
            if sector.id not in with_items:
                status = word("console.no_items_loaded", lang, mark=unknown)
                row = [pack.edition, sector.title.get(lang), "", "", "", "", "", status]
                rows.append([*row, _sources(sector.sources, book, lang)])
    needle = query.strip().lower()
    return [row for row in rows if not needle or needle in " ".join(row).lower()]


def _sources(sources: Sequence[Source], book: RuleBook, lang: str) -> str:
    return "; ".join(book.registry.label(s.doc, s.article, lang) for s in sources)


def edition_table(book: RuleBook, lang: str) -> str:
    """Each loaded edition with its dates and known/unknown item counts, as a Markdown table."""
    head = "| " + " | ".join(word(f"console.edition_col.{name}", lang) for name in EDITION_COLUMNS) + " |"
    lines = [head, "|---|---|---|---|---|---|"]
    for pack in sorted(book.packs.values(), key=lambda p: (p.kind != "national", p.effective_from)):
        until = pack.effective_to.isoformat() if pack.effective_to else word("console.edition.now", lang)
        period = f"{pack.effective_from.isoformat()} – {until}"
        if pack.kind == "national":
            rules = word("console.edition.rules", lang, count=len(pack.rules))
            lines.append(f"| {pack.pack} | {pack.title.get(lang)} | {period} | — | {rules} | — |")
            continue
        items = book.items(pack)
        unknown = sum(1 for i in items if "unknown" in (i.status, i.effect))
        fields = len(book.fields(pack))
        lines.append(
            f"| {pack.pack} | {pack.title.get(lang)} | {period} | {fields} | {len(items) - unknown} | {unknown} |"
        )
    return "\n".join(lines)
