"""The deterministic, offline understanding layer: a message in Chinese or English to Facts, intent and language."""

from __future__ import annotations

from .extract import Understanding, extract_facts
from .injection import detect_injection
from .intent import Intent, classify_intent
from .text import Language, detect_language

__all__ = [
    "Intent",
    "Language",
    "Understanding",
    "classify_intent",
    "detect_injection",
    "detect_language",
    "extract_facts",
]
