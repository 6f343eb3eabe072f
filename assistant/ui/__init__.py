"""What the faces show, without any UI toolkit: words, cards, the facts form and the console tables.

The Gradio app (`app.py`) renders these; nothing here imports gradio.
"""

from __future__ import annotations

from .cards import CARD_CSS, badge, determination_card, sources_panel
from .console import ConsoleAccess, case_rows, edition_table, parse_day, rule_rows
from .form import FORM_FIELDS, UNKNOWN, choices, facts_from_form, form_values
from .session import Answered, CaseView, ChatSession, ConsoleSession
from .text import EXAMPLES, UI, ui

__all__ = [
    "CARD_CSS",
    "EXAMPLES",
    "FORM_FIELDS",
    "UI",
    "UNKNOWN",
    "Answered",
    "CaseView",
    "ChatSession",
    "ConsoleAccess",
    "ConsoleSession",
    "badge",
    "case_rows",
    "choices",
    "determination_card",
    "edition_table",
    "facts_from_form",
    "form_values",
    "parse_day",
    "rule_rows",
    "sources_panel",
    "ui",
]
