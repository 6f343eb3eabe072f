"""The chat tab's callbacks, without any UI toolkit: ask and stream the answer, correct a fact, start over, rate.

The app connects them to its components; they take and return plain values (`updates.SKIP` and `Update`
for "leave it" and "change these properties"). What they show follows `answer.safe`: the person's words are
escaped (shown as typed, never rendered), answers are tamed, and the HTML panels pass nh3.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

from ..answer.safe import clean_html, plain, tame
from ..catalogue import word
from ..facts import Facts
from ..rules import RuleBook
from ..rules.question import MAX_OPTIONS
from .form import FORM_FIELDS, choices, form_values
from .form import label as form_label
from .session import ChatSession, TurnRecord
from .text import EXAMPLES
from .updates import SKIP, Event, Update, update

STREAM_DELAY = 0.012
"""Seconds between streamed steps: the answer is ready at once, but it reads better a few lines at a time."""
STREAM_STEPS = 4
"""At most this many steps stream the answer: each re-sends the whole chat through the queue and the pauses hold
a place of the chat's concurrency, so a long answer comes several lines a step, not one."""

OPTION_BUTTONS: tuple[str, ...] = tuple(f"option-{n}" for n in range(MAX_OPTIONS))
"""The buttons under the chat that answer the follow-up question (hidden when nothing is asked)."""
OUTPUTS: tuple[str, ...] = (
    "history",
    "question",
    "asked",
    "turn",
    "card",
    "sources",
    "status",
    "feedback",
    *FORM_FIELDS,
    *OPTION_BUTTONS,
)
"""What `respond`, `example` and `clear` return, in order: the chat, the question box, the questions asked,
the current turn, the card, the sources, the status line, the feedback row, each fact of the form, then each
option button."""
RECOMPUTED: tuple[str, ...] = ("card", "sources", "turn", "facts_status", "history")
"""What `recompute` returns, in order."""
TYPED_FIELDS: tuple[str, ...] = tuple(n for n in FORM_FIELDS if n.endswith("_count") or n == "transfer_date")
"""The facts typed in a text box (recomputed on Enter or on leaving the box; the others as they change)."""
RATINGS: tuple[str, ...] = ("useful", "wrong")
"""The feedback buttons, each named by the verdict it stores."""

History = list[dict[str, str]]
Row = tuple[Any, ...]


class ChatTab:
    """The chat tab's callbacks over one `ChatSession`."""

    def __init__(self, chat: ChatSession, delay: float = STREAM_DELAY) -> None:
        """Answer with `chat`; stream the answer in steps `delay` seconds apart."""
        self.chat = chat
        self.book = chat.book
        self.delay = delay

    def events(self) -> list[Event]:
        """The tab's events, its components named as in `OUTPUTS` (and `send`, `new`, `example-N`, `comment`,
        `facts_status`, each verdict of `RATINGS`, the state `lang`)."""
        asked = ("history", "asked", "turn", "lang")
        events = [
            Event("send", "click", self.respond, ("question", *asked), OUTPUTS),
            Event("question", "submit", self.respond, ("question", *asked), OUTPUTS),
            *(Event(f"example-{n}", "click", self.example(q), asked, OUTPUTS) for n, q in enumerate(EXAMPLES)),
            Event("new", "click", self.clear, ("lang",), OUTPUTS),
            # A clicked option is sent as if typed: its words are the answer to the question asked.
            *(Event(name, "click", self.respond, (name, *asked), OUTPUTS) for name in OPTION_BUTTONS),
        ]
        for name in FORM_FIELDS:
            for kind in ("submit", "blur") if name in TYPED_FIELDS else ("input",):
                facts = ("lang", "turn", "history", *FORM_FIELDS)
                events.append(Event(name, kind, self.recompute, facts, RECOMPUTED))
        for verdict in RATINGS:
            events.append(
                Event(verdict, "click", self.feedback(verdict), ("comment", "turn", "lang"), ("status", "comment"))
            )
        return events

    def respond(
        self, message: str, history: History, asked: list[str], current: TurnRecord, lang: str, *, paced: bool = True
    ) -> Iterator[Row]:
        """Show the question, then the answer in at most `STREAM_STEPS` steps of whole lines (a pause after each
        unless not `paced`), then the card, sources and facts (`OUTPUTS`)."""
        message = (message or "").strip()
        if not message:
            yield (SKIP,) * len(OUTPUTS)
            return
        shown = [*history, _said("user", message), _said("assistant", word("chat.thinking", lang))]
        yield (shown, "", *(SKIP,) * (len(OUTPUTS) - 2))
        carried = current.get("facts") if asked and isinstance(current, dict) else None
        done = self.chat.answer(message, asked, lang, facts=Facts.model_validate(carried) if carried else None)
        streamed = ""
        for lines in _steps(done.text.splitlines(keepends=True), STREAM_STEPS):
            streamed += "".join(lines)
            shown = [*shown[:-1], _said("assistant", streamed)]  # a new list: each row stands on its own
            yield (shown, *(SKIP,) * (len(OUTPUTS) - 1))
            if paced:
                time.sleep(self.delay)
        card, sources = _panels(self.chat.panels(done.answer, lang))
        values = form_values(done.answer.facts)
        shown_row = update(visible=True)
        buttons = _option_buttons(done.answer.options)
        yield (
            shown,
            SKIP,
            [*asked, message],
            done.turn,
            card,
            sources,
            done.status,
            shown_row,
            *_form(values),
            *buttons,
        )

    def turn(self, message: str, earlier: list[str], lang: str) -> dict[str, Any]:
        """One whole turn as the page runs it, for the app's named `chat` endpoint: the reply shown in the bubble,
        the outcome, the audit case id and the options offered. The pauses between streamed lines are left out:
        they pace reading in the browser, and this caller gets no stream. Stateless: the caller sends the
        questions it asked before, as the HTTP API's callers send their messages. Nothing of the page is built
        (card, sources, form, buttons): this caller never sees them, and they were a part of each turn's CPU."""
        message = (message or "").strip()
        if not message:
            return {"reply": "", "outcome": None, "case_id": None, "options": []}
        done = self.chat.answer(message, list(earlier), lang)
        return {
            "reply": _said("assistant", done.text)["content"],
            "outcome": done.answer.determination.outcome,
            "case_id": done.turn.get("case_id"),
            "options": list(done.answer.options),
        }

    def example(self, question: str) -> Callable[[History, list[str], TurnRecord, str], Iterator[Row]]:
        """The callback of an example button: ask `question`."""

        def ask(history: History, asked: list[str], current: TurnRecord, lang: str) -> Iterator[Row]:
            yield from self.respond(question, history, asked, current, lang)

        return ask

    def clear(self, lang: str) -> Row:
        """A new conversation: everything empty (`OUTPUTS`)."""
        card, sources = _panels(self.chat.empty_panels(lang))
        hidden = _option_buttons([])
        return ([], "", [], {}, card, sources, "", update(visible=False), *_form(form_values(Facts())), *hidden)

    def recompute(self, lang: str, current: TurnRecord, history: History, *values: Any) -> Row:
        """The determination for the facts as corrected in the form (`RECOMPUTED`); a chat line if it changed."""
        result = self.chat.recompute(current, dict(zip(FORM_FIELDS, values, strict=True)), lang)
        if isinstance(result, str):
            return SKIP, SKIP, current, plain(result), SKIP  # the message may quote what was typed
        note = self.chat.change_note(current, result[2], lang)
        shown = [*history, _said("assistant", note)] if note else SKIP
        return (*_panels(result[:2]), result[2], "", shown)

    def feedback(self, verdict: str) -> Callable[[str, TurnRecord, str], tuple[str, str]]:
        """The callback of a rating button: store `verdict` with the comment; the status and the comment box."""

        def send(comment: str, current: TurnRecord, lang: str) -> tuple[str, str]:
            return self.chat.feedback(verdict, comment, current, lang)

        return send

    def relabel(self, current: TurnRecord, lang: str) -> tuple[str, str]:
        """The card and the sources in a newly chosen interface language."""
        return _panels(self.chat.relabel(current, lang))


def chat_words(lang: str) -> Update:
    """The chat's label and the placeholder it shows before the first question."""
    return update(label=word("chat.label", lang), placeholder=word("chat.empty", lang))


def form_relabel(name: str, book: RuleBook) -> Callable[[str], Update]:
    """One fact of the form in an interface language: its label, and its choices or placeholder."""

    def relabel(lang: str) -> Update:
        if name.endswith("_count"):
            return update(label=form_label(name, lang), placeholder=word("form.unknown", lang))
        if name == "transfer_date":
            return update(label=form_label(name, lang), placeholder=word("form.date_hint", lang))
        return update(label=form_label(name, lang), choices=choices(name, book, lang))

    return relabel


def _said(role: str, content: str) -> dict[str, str]:
    """A chat message: the person's words escaped, shown as typed; the assistant's Markdown tamed."""
    return {"role": role, "content": plain(content) if role == "user" else tame(content)}


def _panels(panels: tuple[str, str]) -> tuple[str, str]:
    """The card and the sources HTML through nh3's allow-list."""
    return clean_html(panels[0]), clean_html(panels[1])


def _option_buttons(options: list[str]) -> list[Update]:
    """Each option button showing one answer to the follow-up question, the rest hidden."""
    shown = options[: len(OPTION_BUTTONS)]
    return [update(value=o, visible=True) for o in shown] + [update(visible=False)] * (len(OPTION_BUTTONS) - len(shown))


def _steps(lines: list[str], most: int) -> Iterator[list[str]]:
    """The lines in at most `most` runs of about equal length, in order."""
    size = max(1, -(-len(lines) // most))
    for start in range(0, len(lines), size):
        yield lines[start : start + size]


def _form(values: dict[str, Any]) -> list[Any]:
    return [values[name] for name in FORM_FIELDS]
