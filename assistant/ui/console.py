"""The help-desk console's tables: cases, rule-pack items and editions, and (for admins) accounts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from ..accounts import Account
from ..answer.labels import outcome_label, value_label
from ..casefile.audit import CaseRecord
from ..catalogue import has, word
from ..rules import RuleBook
from ..rules.schema import Source

ACCOUNT_COLUMNS: tuple[str, ...] = ("name", "role", "status", "created", "password_changed")
"""The accounts table's columns (headed by `console.account_col.NAME`)."""


def account_columns(lang: str) -> list[str]:
    """The accounts table's column headings in words."""
    return [word(f"console.account_col.{name}", lang) for name in ACCOUNT_COLUMNS]


def account_rows(accounts: Sequence[Account], lang: str) -> list[list[str]]:
    """One table row per account: name, role, status (active, disabled, development) and dates."""
    rows = []
    for a in accounts:
        status = "disabled" if a.disabled else "dev" if a.dev else "active"
        rows.append(
            [
                a.name,
                word(f"console.role.{a.role}", lang) if has(f"console.role.{a.role}") else a.role,
                word(f"console.account_status.{status}", lang),
                f"{a.created_at:%Y-%m-%d %H:%M}",
                f"{a.password_changed_at:%Y-%m-%d %H:%M}",
            ]
        )
    return rows


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
