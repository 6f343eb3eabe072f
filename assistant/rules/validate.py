"""Validation of loaded rule packs: every problem names the rule, item or field it is in."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator

from ..facts import COUNT_FACTS, DATA_SUBJECTS, FACT_NAMES, INDUSTRIES, SCENARIOS, ZONES
from .book import RuleBook, other
from .needs import required_rules
from .schema import Item, Pack, Source


def _duplicates(ids: Iterable[str]) -> Iterator[str]:
    seen: set[str] = set()
    for ident in ids:
        if ident in seen:
            yield ident
        seen.add(ident)


def check_pack(pack: Pack, book: RuleBook) -> Iterator[str]:
    for kind, ids in (
        ("rule", [r.id for r in pack.rules]),
        ("item", [i.id for i in pack.items]),
        ("field", [f.id for f in pack.fields]),
        ("exclusion", [e.id for e in pack.exclusions]),
    ):
        for dup in _duplicates(ids):
            yield f"{kind} '{dup}': duplicate id"
    yield from _check_sources(f"pack '{pack.pack}'", pack.sources, book)
    if pack.kind == "national":
        missing = sorted(required_rules() - {x.id for x in pack.rules})
        for rule_id in missing:
            yield f"rule '{rule_id}': required by the checker but missing"
    elif pack.kind == "list" and pack.scope is None:
        yield "a list pack needs a scope"
    elif pack.kind == "sector":
        if not pack.industries:
            yield "a sector pack names the industries it governs"
        for industry in pack.industries:
            if industry not in INDUSTRIES:
                yield f"industries: unknown industry '{industry}'"
        for item in pack.items:
            if item.field is not None:
                yield f"item '{item.id}': a sector pack's items have no field"
    yield from _check_rules(pack, book)
    yield from _check_fields(pack, book)
    for item in pack.items:
        yield from _check_item(pack, item, book)


def _check_rules(pack: Pack, book: RuleBook) -> Iterator[str]:
    for rule in pack.rules:
        where = f"rule '{rule.id}'"
        for name in rule.facts:
            if name not in FACT_NAMES:
                yield f"{where}: unknown fact '{name}'"
        yield from _check_sources(where, rule.sources, book)
        if rule.next_step is not None:
            yield from _check_sources(where, rule.next_step.sources, book)
    for outcome, steps in pack.next_steps.items():
        for step in steps:
            yield from _check_sources(f"next step of {outcome}", step.sources, book)


def _check_fields(pack: Pack, book: RuleBook) -> Iterator[str]:
    if pack.scope is not None:
        for zone in pack.scope.zones:
            if zone not in ZONES:
                yield f"scope: unknown zone '{zone}'"
        if pack.scope.other_zone is not None and pack.scope.zones != ["other_ftz"]:
            yield "scope: another province's list (other_zone) covers the zones [other_ftz] only"
        if pack.scope.beijing_use and pack.scope.other_zone is None:
            yield "scope: beijing_use is a switch of another province's list (other_zone)"
        yield from _check_sources("scope", pack.scope.sources, book)
    for dup in _duplicates([i.id for i in book.items(pack)]):
        if dup not in {i.id for i in pack.items}:
            yield f"item '{dup}': duplicates an item carried over"
    for fld in pack.fields:
        for scenario in fld.scenarios:
            if scenario not in SCENARIOS and scenario not in pack.scenarios:
                yield f"field '{fld.id}': unknown scenario '{scenario}'"
        if fld.id not in INDUSTRIES:
            yield f"field '{fld.id}': not an industry of the Facts"
        yield from _check_sources(f"field '{fld.id}'", fld.sources, book)
    for exc in pack.exclusions:
        if exc.industry not in INDUSTRIES:
            yield f"exclusion '{exc.id}': unknown industry '{exc.industry}'"
        yield from _check_sources(f"exclusion '{exc.id}'", exc.sources, book)
    if pack.carry_over is not None:
        base = book.packs.get(pack.carry_over.pack)
        if base is None:
            yield f"carry_over: unknown pack '{pack.carry_over.pack}'"
        else:
            for name in pack.carry_over.fields:
                if name not in {f.id for f in book.fields(base)}:
                    yield f"carry_over: '{base.pack}' has no field '{name}'"
                if name in {f.id for f in pack.fields}:
                    yield f"carry_over: field '{name}' is carried over and must not be redefined"
        yield from _check_sources("carry_over", pack.carry_over.sources, book)
    registered = pack.list_doc is not None and (book.registry.get(pack.list_doc) is not None or other(pack))
    if pack.kind == "list" and not registered:
        yield f"list_doc: a list pack names its list document (got {pack.list_doc!r})"


def _check_item(pack: Pack, item: Item, book: RuleBook) -> Iterator[str]:
    where = f"item '{item.id}'"
    field_ids = {f.id for f in pack.fields} | set(pack.carry_over.fields if pack.carry_over else [])
    if item.field is not None and item.field not in field_ids:
        yield f"{where}: unknown field '{item.field}'"
    if item.scenario is not None:
        sector = next((f for f in book.fields(pack) if f.id == item.field), None)
        if sector is None or item.scenario not in sector.scenarios:
            yield f"{where}: scenario '{item.scenario}' is not a scenario of field '{item.field}'"
    for kind in item.data_kinds_any:
        if kind not in book.data_kinds:
            yield f"{where}: unknown data kind '{kind}'"
    for subject in item.except_subjects:
        if subject not in DATA_SUBJECTS:
            yield f"{where}: unknown data subject '{subject}'"
    if item.threshold is not None and item.threshold.fact not in (*COUNT_FACTS, "individuals"):
        yield f"{where}: unknown fact '{item.threshold.fact}' (a threshold counts *_info_count or individuals)"
    for name in item.requires:
        if name not in FACT_NAMES:
            yield f"{where}: unknown fact '{name}'"
    for name in item.unless:
        if name not in book.conditions:
            yield f"{where}: unknown condition '{name}'"
    if item.effect in ("relax", "reference") and item.threshold is None:
        yield f"{where}: a {item.effect} item needs a threshold"
    if item.effect == "reference" and (item.field is not None or item.category != "important_data"):
        yield f"{where}: a reference rule identifies important data in every sector (field null)"
    if item.status == "unknown" and item.effect != "unknown":
        yield f"{where}: an item with status unknown must have effect unknown"
    yield from _check_sources(where, item.sources, book)
    if item.next_step is not None:
        yield from _check_sources(where, item.next_step.sources, book)


def _check_sources(where: str, sources: list[Source], book: RuleBook) -> Iterator[str]:
    own = {p.list_doc for p in book.packs.values() if other(p) and p.list_doc and not book.registry.get(p.list_doc)}
    for src in sources:
        doc = book.registry.get(src.doc)
        if doc is None and src.doc in own:
            # Another province's list document (not in the registry): its articles are the items citing it.
            if src.article not in book.list_items(src.doc):
                yield f"{where}: '{src.doc}' has no item '{src.article}' in the loaded packs"
        elif doc is None:
            yield f"{where}: unknown document '{src.doc}'"
        elif doc.from_rule_packs:
            if src.article not in book.list_items(src.doc):
                yield f"{where}: '{src.doc}' has no item '{src.article}' in the loaded packs"
        elif src.article not in doc.fixed_articles:
            yield f"{where}: '{src.doc}' has no article '{src.article}'"


def check_editions(book: RuleBook) -> Iterator[str]:
    """Editions of one zone's list must not overlap (Beijing's, and each other province's apart)."""
    zones = {p.scope.other_zone if p.scope else None for p in book.packs.values() if p.kind == "list"}
    for zone in sorted(zones, key=str):
        yield from _editions(book, zone)


def _editions(book: RuleBook, zone: str | None) -> Iterator[str]:
    lists = sorted(
        (p for p in book.packs.values() if p.kind == "list" and (p.scope.other_zone if p.scope else None) == zone),
        key=lambda p: p.effective_from,
    )
    for earlier, later in itertools.pairwise(lists):
        if earlier.effective_to is None or earlier.effective_to >= later.effective_from:
            yield (
                f"{book.files[earlier.pack]}: edition '{earlier.pack}' is still in force when '{later.pack}' "
                f"({book.files[later.pack]}) starts on {later.effective_from}"
            )
