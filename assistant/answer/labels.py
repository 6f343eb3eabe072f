"""Names of outcomes, facts, values and answer parts in words, from the catalogue."""

from __future__ import annotations

from typing import Any

from ..catalogue import has, word


def outcome_label(outcome: str, lang: str) -> str:
    """The outcome's name in words."""
    return word(f"outcome.{outcome}", lang)


def fact_label(name: str, lang: str) -> str:
    """The fact's name in words."""
    return word(f"fact.{name}", lang)


def value_label(name: str, value: Any, lang: str) -> str:
    """A fact's value in words (counts with thousands separators; an unnamed value as it is)."""
    if isinstance(value, bool):
        return word(f"value.bool.{str(value).lower()}", lang)
    if isinstance(value, int):
        return f"{value:,}"
    key = f"value.{name}.{value}"
    return word(key, lang) if has(key) else str(value)


def section(key: str, lang: str) -> str:
    """An answer part's heading in words."""
    return word(f"section.{key}", lang)
