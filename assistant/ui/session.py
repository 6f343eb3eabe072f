"""What the app's handlers do, without any UI toolkit: answer and record a turn, recompute, feedback, console."""

from __future__ import annotations

import logging
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..accounts import Accounts
from ..answer.compose import split_first_part, verdict
from ..answer.labels import outcome_label
from ..answer.render import render_determination
from ..answer.reply import Answer
from ..casefile.audit import AuditLog
from ..casefile.files import report_path, sweep
from ..casefile.report import report_markdown, report_pdf
from ..catalogue import lang_of, word
from ..errors import AssistantError, FactsError
from ..facts import Facts
from ..outcomes import OUTCOMES
from ..pipeline import Assistant
from ..rules import RuleBook
from .cards import determination_card, sources_panel
from .console import case_rows, parse_day, rule_rows
from .form import facts_from_form

log = logging.getLogger(__name__)

DETERMINED = frozenset(o for o in OUTCOMES if o not in ("informational", "out_of_scope"))
"""Outcomes that come from the checker (and can be recomputed in another language)."""

TurnRecord = dict[str, Any]
"""What a browser session keeps of the current turn: case id, question, facts and the answer (JSON)."""


@dataclass
class Answered:
    """One answered message: the answer, its text for the chat, and its audit case."""

    answer: Answer
    text: str
    turn: TurnRecord
    status: str = ""


class ChatSession:
    """The chat's actions over the one assistant and audit log."""

    def __init__(self, assistant: Assistant, audit: AuditLog) -> None:
        """Share the assistant and the audit log across browser sessions."""
        self.assistant = assistant
        self.audit = audit

    @property
    def book(self) -> RuleBook:
        """The rule book in force now (with what the help desk published since the start)."""
        return self.assistant.rulebook

    def answer(
        self, message: str, questions: list[str], lang: str, channel: str = "chat", facts: Facts | None = None
    ) -> Answered:
        """Answer a message (earlier questions, or the facts as corrected, as context) and record the turn."""
        try:
            answer = self.assistant.ask(message, list(questions), facts)
        except AssistantError as exc:
            answer = self.assistant.refusal(message, str(exc))
        case_id, status = None, ""
        try:
            case_id = self.audit.record(answer, channel)
        except AssistantError as exc:
            log.error("audit log write failed: %s", exc)
            status = f"⚠ {word('chat.audit_failed', lang)}: {exc}"
        # A decision's details are in the card beside the chat: the bubble says only the first part.
        shown = split_first_part(answer.answer)[0] if answer.determination.outcome in DETERMINED else answer.answer
        text = shown if not answer.error else f"{shown}\n\n_{answer.error}_"
        return Answered(answer, text, {"case_id": case_id, "question": message, **dump(answer)}, status)

    def panels(self, answer: Answer, lang: str, note: str | None = None) -> tuple[str, str]:
        """The card and the sources in the interface language (rendered again when the answer's differs)."""
        det, sources = answer.determination, answer.sources
        if det.outcome in DETERMINED and det.language != lang_of(lang):
            det = render_determination(det, self.book, lang)
            try:
                sources = self.assistant.cite(det, lang)
            except AssistantError:
                sources = answer.sources
        card = determination_card(det, self.book, lang, note)
        return card, sources_panel(sources, self.book.registry, lang)

    def empty_panels(self, lang: str) -> tuple[str, str]:
        """The card and sources before any question."""
        return determination_card(None, self.book, lang), sources_panel([], self.book.registry, lang)

    def recompute(self, turn: TurnRecord, values: dict[str, Any], lang: str) -> tuple[str, str, TurnRecord] | str:
        """The determination from the corrected facts: card, sources and the new turn; or why the facts are invalid."""
        try:
            facts = facts_from_form(turn.get("facts"), values)
        except FactsError as exc:
            return f"⚠ {word('chat.facts_invalid', lang)}: {exc}"
        answer = self.assistant.decide(facts, lang, str(turn.get("question", "")))
        card, sources = self.panels(answer, lang, note=word("chat.recomputed", lang))
        return card, sources, {**turn, **dump(answer)}

    def change_note(self, before: TurnRecord, after: TurnRecord, lang: str) -> str | None:
        """A chat line saying the outcome changed with the corrected facts, or None when it did not."""
        old = (before.get("answer") or {}).get("determination", {}).get("outcome")
        new = (after.get("answer") or {}).get("determination", {}).get("outcome")
        if not new or new == old:
            return None
        return word("chat.outcome_changed", lang, label=outcome_label(new, lang), verdict=verdict(new, lang) or "")

    def relabel(self, turn: TurnRecord, lang: str) -> tuple[str, str]:
        """The card and sources again, in a newly chosen interface language."""
        if not turn.get("answer"):
            return self.empty_panels(lang)
        return self.panels(Answer.model_validate(turn["answer"]), lang)

    def feedback(self, verdict: str, comment: str, turn: TurnRecord, lang: str) -> tuple[str, str]:
        """Store useful / wrong with the comment on the current turn's case; the status and the comment box."""
        case_id = turn.get("case_id")
        if not case_id:
            return word("chat.feedback_none", lang), comment
        try:
            self.audit.feedback(case_id, verdict, comment)
        except AssistantError as exc:
            return f"⚠ {exc}", comment
        return f"✓ {word('chat.feedback_saved', lang)} {case_id[:8]}.", ""


def dump(answer: Answer) -> TurnRecord:
    """The facts and the whole answer as JSON-ready values."""
    return {"facts": answer.facts.model_dump(mode="json"), "answer": answer.model_dump(mode="json", by_alias=True)}


@dataclass
class CaseView:
    """An opened case: its report as Markdown, and the report files to download."""

    markdown: str
    md_path: Path | None = None
    pdf_path: Path | None = None


class ConsoleSession:
    """The help-desk console's actions: cases, case reports and the rule-pack table, and the accounts who sign in.

    Who is signed in is never kept here: each action's caller checks the browser's session cookie with
    `accounts` first (`ConsoleTab`).
    """

    def __init__(self, assistant: Assistant, audit: AuditLog, accounts: Accounts) -> None:
        """Share the audit log, rule book and accounts; reports are written to a private temporary folder."""
        self.audit = audit
        self.assistant = assistant
        self.accounts = accounts
        self._reports: Path | None = None

    @property
    def book(self) -> RuleBook:
        """The rule book in force now: the rule-pack table shows what the help desk published."""
        return self.assistant.rulebook

    @property
    def reports(self) -> Path:
        """The folder the report files are written to (created on first use)."""
        if self._reports is None:
            self._reports = Path(tempfile.mkdtemp(prefix="assistant-reports-"))
        return self._reports

    def cases(
        self, lang: str, outcome: str | None = None, industry: str | None = None, since: str = "", until: str = ""
    ) -> tuple[list[list[str]], str]:
        """Table rows of the recent cases matching the filters, and a message (no match, bad date)."""
        try:
            start, end = parse_day(since), parse_day(until)
        except ValueError:
            return [], f"⚠ {word('console.bad_date', lang)}"
        records = self.audit.recent(200, outcome=outcome or None, industry=industry or None, since=start, until=end)
        return case_rows(records, lang), "" if records else word("console.no_cases", lang)

    def open(self, case_id: str, lang: str) -> CaseView:
        """The case's report (in the case's language) and its Markdown and PDF files."""
        case_id = (case_id or "").strip()
        record = self.audit.get(case_id) if case_id else None
        if record is None:
            return CaseView(word("console.case_missing", lang) if case_id else word("console.case_empty", lang))
        text = report_markdown(record, self.book.registry)
        sweep(self.reports)  # reports older than an hour go; each opening writes new, unguessable names
        md_path = report_path(self.reports, record.id, "md")
        md_path.write_text(text, encoding="utf-8")
        pdf_path = report_path(self.reports, record.id, "pdf")
        try:
            pdf_path.write_bytes(report_pdf(record, self.book.registry))
        except AssistantError as exc:
            return CaseView(f"> ⚠ {exc}\n\n{text}", md_path, None)
        return CaseView(text, md_path, pdf_path)

    def rules(self, query: str, lang: str) -> list[list[str]]:
        """The negative-list rows matching the search."""
        return rule_rows(self.book, lang, query or "")
