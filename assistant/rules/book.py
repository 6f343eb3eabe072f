"""The loaded rule packs and the document registry: what the checker reads."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..determination import Message
from ..documents import Registry
from ..facts import CONDITIONS, DATA_KINDS, OTHER_SCENARIO, SCENARIOS
from .schema import Item, Pack, Rule, Sector, Source, Step, Text

EVALUATIONS_KEPT = 1024
"""Evaluations a rule book keeps: each holds its reasons and trace, some tens of kilobytes (about 40 MiB when full)."""


@dataclass(frozen=True)
class RuleBook:
    """The validated packs and the document registry; what `check` reads."""

    packs: dict[str, Pack]
    registry: Registry
    files: dict[str, Path] = field(default_factory=dict)
    _memo: dict[tuple[str, str], Any] = field(default_factory=dict, compare=False, repr=False)
    _evaluations: dict[tuple[str, dt.date, bool], Any] = field(default_factory=dict, compare=False, repr=False)

    def evaluation(self, key: tuple[str, dt.date, bool], make: Callable[[], Any]) -> Any:
        """The checker's evaluation of the facts (their JSON), day and readings in `key`, made by `make` once.

        An evaluation reads nothing but the facts, the day and this book, so it is the same every time: the branch
        search of one check evaluates about twenty sets of facts, most of them shared by the checks of other
        questions (the same zone and sector with counts at the thresholds). The memo is emptied when it holds
        `EVALUATIONS_KEPT`, which bounds its memory without the bookkeeping of an LRU.
        """
        found = self._evaluations.get(key)
        if found is None:
            if len(self._evaluations) >= EVALUATIONS_KEPT:
                self._evaluations.clear()
            found = self._evaluations[key] = make()
        return found

    def national(self, day: dt.date) -> Pack | None:
        """The national pack in force on `day`."""
        return next((p for p in self.packs.values() if p.kind == "national" and p.in_force(day)), None)

    def national_rules(self, pack: Pack) -> dict[str, Rule]:
        """A pack's rules by id (the first of an id, as a search in order finds it); made once per pack."""
        key = ("rules", pack.pack)
        found: dict[str, Rule] | None = self._memo.get(key)
        if found is None:
            found = {}
            for rule in pack.rules:
                found.setdefault(rule.id, rule)
            self._memo[key] = found
        return found

    def step(self, pack: Pack, outcome: str, n: int, make: Callable[[], Message]) -> Message:
        """The message of a pack's n-th next step for an outcome, made by `make` once (messages are frozen: one
        serves every determination that lists the step)."""
        key = ("step", f"{pack.pack}/{outcome}/{n}")
        found: Message | None = self._memo.get(key)
        if found is None:
            found = self._memo[key] = make()
        return found

    def sectors(self, day: dt.date) -> list[Pack]:
        """The sector packs in force on `day` (national rules for one industry's data)."""
        return [p for p in self.packs.values() if p.kind == "sector" and p.in_force(day)]

    def list_pack(self, day: dt.date) -> Pack | None:
        """The Beijing list edition in force on `day`, if any (another province's list is never it)."""
        return next((p for p in self.packs.values() if p.kind == "list" and p.in_force(day) and not other(p)), None)

    def other_lists(self, day: dt.date) -> list[Pack]:
        """Other provinces' lists in force on `day` (packs whose scope names an `other_zone`)."""
        return [p for p in self.packs.values() if p.kind == "list" and p.in_force(day) and other(p)]

    def list_for(self, day: dt.date, zone: str | None, other_zone: str | None, industry: str | None) -> Pack | None:
        """The list a processor reads.

        A processor in another zone whose list is loaded reads that list. A Beijing processor reads another
        province's list only when the help desk switched it on (`scope.beijing_use`), it regulates the processor's
        sector, and the Beijing list in force knows no item of that sector (it does not regulate it, or its items
        are unknown); otherwise, and everywhere else, the Beijing list.
        """
        beijing = self.list_pack(day)
        if zone == "other_ftz" and other_zone:
            own = next((p for p in self.other_lists(day) if p.scope and p.scope.other_zone == other_zone), None)
            return own or beijing
        if zone in ("beijing", "beijing_ftz") and industry:
            field = next((f for f in self.fields(beijing) if f.id == industry), None) if beijing else None
            if field is None or field.items_status == "unknown":
                usable = (p for p in self.other_lists(day) if p.scope and p.scope.beijing_use)
                return next((p for p in usable if self.regulates(p, industry)), beijing)
        return beijing

    def regulates(self, pack: Pack, industry: str) -> bool:
        """Whether the pack's fields (carried over included) include this industry."""
        return any(f.id == industry for f in self.fields(pack))

    def items(self, pack: Pack) -> list[Item]:
        """The pack's items, with the items it carries over from an earlier edition by reference."""
        key = ("items", pack.pack)
        if key not in self._memo:
            self._memo[key] = self._items(pack)
        return list(self._memo[key])

    def _items(self, pack: Pack) -> list[Item]:
        carry = pack.carry_over
        if carry is None or carry.pack not in self.packs:
            return list(pack.items)
        carried = [
            item.model_copy(update={"sources": [*_carried_sources(pack, item), *item.sources]})
            for item in self.items(self.packs[carry.pack])
            if item.field in carry.fields or (item.field is None and carry.reference_rules is True)
        ]
        return carried + list(pack.items)

    def unknown_reference_rules(self, pack: Pack) -> list[Item]:
        """The earlier edition's reference rules, when whether `pack` carries them over is not known."""
        carry = pack.carry_over
        if carry is None or carry.reference_rules != "unknown" or carry.pack not in self.packs:
            return []
        return [i for i in self.items(self.packs[carry.pack]) if i.field is None and i.effect == "reference"]

    def fields(self, pack: Pack) -> list[Sector]:
        """The pack's fields (sectors), with those it carries over."""
        key = ("fields", pack.pack)
        if key not in self._memo:
            self._memo[key] = self._fields(pack)
        return list(self._memo[key])

    def _fields(self, pack: Pack) -> list[Sector]:
        carry = pack.carry_over
        if carry is None or carry.pack not in self.packs:
            return list(pack.fields)
        base = self.fields(self.packs[carry.pack])
        return [f for f in base if f.id in carry.fields] + list(pack.fields)

    def scenario_field(self, pack: Pack, scenario: str) -> str | None:
        """The field (industry) whose scenarios include `scenario` in this pack."""
        return next((f.id for f in self.fields(pack) if scenario in f.scenarios), None)

    @property
    def data_kinds(self) -> frozenset[str]:
        """Every data kind known: the contract's and those the packs add."""
        return frozenset(DATA_KINDS).union(*(p.data_kinds for p in self.packs.values()))

    @property
    def conditions(self) -> frozenset[str]:
        """Every condition name known."""
        return frozenset(CONDITIONS).union(*(p.conditions for p in self.packs.values()))

    @property
    def scenarios(self) -> frozenset[str]:
        """Every scenario id known, plus `OTHER_SCENARIO` (none of the list's scenarios)."""
        declared = (s for p in self.packs.values() for s in (*p.scenarios, *(s for f in p.fields for s in f.scenarios)))
        return frozenset(SCENARIOS).union(declared, {OTHER_SCENARIO})

    def text(self, key: str) -> Text:
        """The bilingual text of a message key made by `pack_key`.

        Raises:
            KeyError: the key names no text of the loaded packs.
        """
        pack_id, kind, ident, attr = key.removeprefix("pack:").split("/")
        pack = self.packs[pack_id]
        found: object
        if kind == "pack":
            found = pack
        elif kind == "scope" and pack.scope is not None:
            found = pack.scope
        elif kind == "next_steps":
            found = pack.next_steps[ident][int(attr)]  # type: ignore[index]
            attr = "text"
        else:
            collections: dict[str, list[Any]] = {
                "rules": pack.rules,
                "items": self.items(pack),
                "exclusions": pack.exclusions,
                "fields": self.fields(pack),
            }
            found = next((o for o in collections.get(kind, []) if o.id == ident), None)
        value = getattr(found, attr, None)
        if isinstance(value, Step):
            value = value.text
        if not isinstance(value, Text):
            raise KeyError(key)
        return value

    def list_items(self, doc: str) -> frozenset[str]:
        """The ids of the items sourced to the list document `doc`: its citable articles."""
        items = (
            item.id for p in self.packs.values() for item in self.items(p) if any(s.doc == doc for s in item.sources)
        )
        exclusions = (e.id for p in self.packs.values() if p.list_doc == doc for e in p.exclusions)
        return frozenset(items).union(exclusions)


def other(pack: Pack) -> bool:
    """Whether a list pack is another province's list (its scope names the zone)."""
    return pack.scope is not None and pack.scope.other_zone is not None


def _carried_sources(pack: Pack, item: Item) -> list[Source]:
    """The new edition's own citations of an item it carries over."""
    assert pack.carry_over is not None
    if item.field is None:
        return list(pack.carry_over.sources)
    if pack.list_doc is None:
        return []
    return [Source(doc=pack.list_doc, article=item.id, note=f"carried over from {pack.carry_over.pack}")]
