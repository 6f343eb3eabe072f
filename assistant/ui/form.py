"""The editable facts panel: choices in words, facts to form values and back."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..answer.labels import fact_label, value_label
from ..catalogue import has, word
from ..errors import FactsError
from ..facts import (
    BOOL_FACTS,
    COUNT_FACTS,
    DATA_KINDS,
    EXEMPTION_BASES,
    INDUSTRIES,
    OTHER_SCENARIO,
    ZONES,
    Facts,
    parse_facts,
)
from ..rules import RuleBook

UNKNOWN = "unknown"
"""The form value of a fact that is not known (a dropdown or yes/no radio)."""

FORM_FIELDS: tuple[str, ...] = (
    "zone",
    "industry",
    "scenario",
    *COUNT_FACTS,
    "data_kinds",
    "ciio",
    "important_data",
    "exemption_basis",
    "transfer_date",
)
"""The facts shown in the panel, in order; other facts carry over unchanged."""
YES_NO_FIELDS: tuple[str, ...] = tuple(n for n in FORM_FIELDS if n in BOOL_FACTS)
"""The panel's yes/no facts (a radio of yes, no and unknown)."""
CHOICE_FIELDS: tuple[str, ...] = ("zone", "industry", "scenario", "exemption_basis")
"""The panel's facts of one value from a list (a dropdown with unknown)."""

Choices = list[tuple[str, str]]


def choices(name: str, book: RuleBook, lang: str) -> Choices:
    """The (label, value) choices of a dropdown, radio or checkbox fact, in `lang`."""
    if name in YES_NO_FIELDS:
        return [(word("form.yes", lang), "yes"), (word("form.no", lang), "no"), (word("form.unknown", lang), UNKNOWN)]
    if name == "data_kinds":
        kinds = sorted(book.data_kinds, key=_kind_order)
        return [(value_label("data_kinds", k, lang), k) for k in kinds]
    values: tuple[str, ...]
    if name == "zone":
        values = ZONES
    elif name == "industry":
        values = INDUSTRIES
    elif name == "scenario":
        values = tuple(sorted(book.scenarios, key=lambda s: (s == OTHER_SCENARIO, s)))
    elif name == "exemption_basis":
        values = EXEMPTION_BASES
    else:
        raise KeyError(name)
    unknown = word("form.none_stated", lang) if name == "exemption_basis" else word("form.unknown", lang)
    return [(f"({unknown})", UNKNOWN), *((value_label(name, v, lang), v) for v in values)]


def _kind_order(kind: str) -> tuple[int, str]:
    return (DATA_KINDS.index(kind), kind) if kind in DATA_KINDS else (len(DATA_KINDS), kind)


def label(name: str, lang: str) -> str:
    """The panel label of a fact (short; the full one, `fact.*`, is for sentences)."""
    key = f"form.label.{name}"
    return word(key, lang) if has(key) else fact_label(name, lang)


def form_values(facts: Facts) -> dict[str, Any]:
    """The panel's values for these facts (unknown as `UNKNOWN`, None or empty)."""
    values: dict[str, Any] = {}
    for name in FORM_FIELDS:
        value = getattr(facts, name)
        if name in YES_NO_FIELDS:
            values[name] = UNKNOWN if value is None else ("yes" if value else "no")
        elif name in CHOICE_FIELDS:
            values[name] = value if value is not None else UNKNOWN
        elif name == "transfer_date":
            values[name] = value.isoformat() if value else ""
        elif name == "data_kinds":
            values[name] = list(value)
        else:
            values[name] = "" if value is None else f"{value:,}"
    return values


def facts_from_form(base: Facts | dict[str, Any] | None, values: dict[str, Any]) -> Facts:
    """The facts with the panel's values applied over `base` (facts the panel does not show carry over).

    Raises:
        FactsError: a value is invalid (the message names the fact).
    """
    data = (base.model_dump(mode="json") if isinstance(base, Facts) else dict(base or {})) or {}
    for name, raw in values.items():
        if name not in FORM_FIELDS:
            continue
        data[name] = _value(name, raw)
    return parse_facts(data)


def _value(name: str, raw: Any) -> Any:
    if name in YES_NO_FIELDS:
        return None if raw in (None, "", UNKNOWN) else raw == "yes"
    if name in CHOICE_FIELDS:
        return None if raw in (None, "", UNKNOWN) else str(raw)
    if name == "data_kinds":
        return [str(k) for k in raw or []]
    if name == "transfer_date":
        text = str(raw or "").strip()
        if not text:
            return None
        try:
            return dt.date.fromisoformat(text).isoformat()
        except ValueError:
            raise FactsError(f"invalid facts: transfer_date: {text!r} is not a date (YYYY-MM-DD)") from None
    if isinstance(raw, str):
        raw = raw.strip().replace(",", "").replace("，", "").replace(" ", "").replace("_", "")
    if raw is None or raw == "":
        return None
    scale = 1
    if isinstance(raw, str) and raw.endswith("万"):  # 4万 = 40,000
        raw, scale = raw[:-1], 10_000
    try:
        number = float(raw) * scale
    except (TypeError, ValueError):
        raise FactsError(f"invalid facts: {name}: {raw!r} is not a number") from None
    if number != int(number) or number < 0:
        raise FactsError(f"invalid facts: {name}: must be a whole number of people, 0 or more")
    return int(number)
