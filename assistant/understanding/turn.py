"""One turn's facts being built on top of the earlier turns', with the notes that say what was read."""

from __future__ import annotations

from typing import Any

from ..facts import Facts

FLAG_FACTS = frozenset({"ciio", "state_organ", "public_affairs_body", "important_data", "foreign_judicial_request"})
"""Yes/no facts about the processor or the data; the other facts describe a particular transfer."""
SETTING_FACTS = frozenset({"zone", "industry", "data_kinds"})
"""Where the company is, its sector, which kinds of data: a question about the rules names them too."""


class Turn:
    """The facts of one turn being built on top of the previous ones, with notes."""

    def __init__(self, base: Facts) -> None:
        self.base = base
        self.values: dict[str, Any] = base.model_dump()
        self.notes: list[str] = []
        self.stated = False
        self.names: set[str] = set()
        self.counted = False
        self.added = False
        """Whether the turn's counts add to the earlier turns' (another batch), rather than restate them."""

    def set(self, name: str, value: Any, evidence: str) -> None:
        """Set a fact (`conditions.X` sets one condition) and note it, with the old value when it changes."""
        if name.startswith("conditions."):
            conditions = dict(self.values["conditions"])
            old = conditions.get(name.removeprefix("conditions."))
            conditions[name.removeprefix("conditions.")] = value
            self.values["conditions"] = conditions
        else:
            old = self.values.get(name)
            self.values[name] = value
        change = f"{_shown(old)} → {_shown(value)}" if old is not None and old != value else _shown(value)
        self.notes.append(f"{name}: {change} ({evidence})")
        self.stated = True
        self.names.add(name)

    def infer(self, name: str, value: Any, evidence: str) -> None:
        """Set a fact the turn implies without stating it: noted, but it makes no rule question a case."""
        self.values[name] = value
        self.notes.append(f"{name}: {_shown(value)} ({evidence})")

    @property
    def transfer_described(self) -> bool:
        """Whether the turn described a transfer itself (people counted, its purpose, scenario, date, recipient),
        not only where the company is, its sector or which kinds of data a question is about."""
        return self.counted or bool(self.names - FLAG_FACTS - SETTING_FACTS)

    @property
    def situation(self) -> bool:
        """Whether the turn described a transfer: its data, counts, place, sector, purpose or date."""
        return self.counted or bool(self.names - FLAG_FACTS)

    def facts(self) -> Facts:
        """The merged facts."""
        return Facts.model_validate(self.values)


def _shown(value: Any) -> str:
    """A value as the facts panel shows it (counts with thousands separators)."""
    return f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else str(value)
