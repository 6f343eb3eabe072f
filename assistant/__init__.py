"""The Beijing FTZ data-export assistant: rule packs, checker, retrieval and answers."""

from __future__ import annotations

from .determination import Branch, Change, Citation, Determination, TraceStep
from .errors import (
    AssistantError,
    AssistantRuntimeError,
    CitationError,
    ConfigurationError,
    CorpusError,
    DataError,
    FactsError,
    ModelError,
    RetrievalError,
    RulePackError,
    UserError,
)
from .facts import Facts, parse_facts
from .outcomes import OUTCOMES, Outcome
from .rules import RuleBook, check, default_rulebook, load_rulebook
from .settings import Settings

__all__ = [
    "OUTCOMES",
    "AssistantError",
    "AssistantRuntimeError",
    "Branch",
    "Change",
    "Citation",
    "CitationError",
    "ConfigurationError",
    "CorpusError",
    "DataError",
    "Determination",
    "Facts",
    "FactsError",
    "ModelError",
    "Outcome",
    "RetrievalError",
    "RuleBook",
    "RulePackError",
    "Settings",
    "TraceStep",
    "UserError",
    "check",
    "default_rulebook",
    "load_rulebook",
    "parse_facts",
]
