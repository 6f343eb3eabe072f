"""The Beijing FTZ data-export assistant: rule packs, checker, retrieval and answers.

`Assistant` (the whole pipeline) is imported on first use, so that `import assistant.facts` or the rule
checker alone does not load the retrieval and language-model layers.
"""

from __future__ import annotations

import importlib
import typing

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

if typing.TYPE_CHECKING:
    from .pipeline import Assistant

__all__ = [
    "OUTCOMES",
    "Assistant",
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

_LAZY_EXPORTS: dict[str, str] = {"Assistant": ".pipeline"}
"""Exported names imported on first use, and the module of each."""


def __getattr__(name: str) -> object:
    """Import a lazily exported name (PEP 562)."""
    if name in _LAZY_EXPORTS:
        return getattr(importlib.import_module(_LAZY_EXPORTS[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
