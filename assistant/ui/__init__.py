"""What the faces show and do, without any UI toolkit: cards, the facts form, the console tables, each tab's callbacks.

The Gradio app (`app.py`) lays the page out and connects its components to these; nothing here imports gradio.
The words are in the catalogue (`assistant.catalogue`).
"""

from __future__ import annotations

from .cards import CARD_CSS, badge, determination_card, sources_panel
from .chat import ChatTab
from .console import account_rows, case_rows, edition_table, parse_day, rule_rows
from .console_tab import ConsoleTab
from .form import FORM_FIELDS, UNKNOWN, choices, facts_from_form, form_values
from .session import Answered, CaseView, ChatSession, ConsoleSession
from .text import EXAMPLES
from .updates import SKIP, Refused, Relabels, Update

__all__ = [
    "CARD_CSS",
    "EXAMPLES",
    "FORM_FIELDS",
    "SKIP",
    "UNKNOWN",
    "Answered",
    "CaseView",
    "ChatSession",
    "ChatTab",
    "ConsoleSession",
    "ConsoleTab",
    "Refused",
    "Relabels",
    "Update",
    "account_rows",
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
]
