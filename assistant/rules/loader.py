"""Load and validate rule packs; every problem names the file and the rule or item."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from ..documents import Registry, load_registry
from ..errors import RulePackError
from ..facts import (
    CONDITIONS,
    COUNT_FACTS,
    DATA_KINDS,
    DATA_SUBJECTS,
    FACT_NAMES,
    INDUSTRIES,
    OTHER_SCENARIO,
    SCENARIOS,
    ZONES,
)
from .needs import required_rules
from .schema import Item, Pack, Sector, Source, Step, Text


class _UniqueKeyLoader(yaml.SafeLoader):
    """A YAML loader that refuses duplicate keys instead of silently keeping the last."""


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
        seen[key] = loader.construct_object(value_node, deep=True)
    return seen


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


@dataclass(frozen=True)
class RuleBook:
    """The validated packs and the document registry; what `check` reads."""

    packs: dict[str, Pack]
    registry: Registry
    files: dict[str, Path] = field(default_factory=dict)
    _memo: dict[tuple[str, str], Any] = field(default_factory=dict, compare=False, repr=False)

    def national(self, day: dt.date) -> Pack | None:
        """The national pack in force on `day`."""
        return next((p for p in self.packs.values() if p.kind == "national" and p.in_force(day)), None)

    def sectors(self, day: dt.date) -> list[Pack]:
        """The sector packs in force on `day` (national rules for one industry's data)."""
        return [p for p in self.packs.values() if p.kind == "sector" and p.in_force(day)]

    def list_pack(self, day: dt.date) -> Pack | None:
        """The Beijing list edition in force on `day`, if any."""
        return next((p for p in self.packs.values() if p.kind == "list" and p.in_force(day)), None)

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


def _carried_sources(pack: Pack, item: Item) -> list[Source]:
    """The new edition's own citations of an item it carries over."""
    assert pack.carry_over is not None
    if item.field is None:
        return list(pack.carry_over.sources)
    if pack.list_doc is None:
        return []
    return [Source(doc=pack.list_doc, article=item.id, note=f"carried over from {pack.carry_over.pack}")]


def load_rulebook(rules_dir: Path, documents_file: Path, replace: Path | None = None) -> RuleBook:
    """Load every *.yaml pack in `rules_dir` and validate them together.

    Args:
        rules_dir: the folder of packs.
        documents_file: corpus/documents.yaml.
        replace: a pack file to validate in place of the folder's file of the same name.

    Raises:
        RulePackError: listing every problem, each naming its file and rule or item.
        CorpusError: when the document registry is malformed.
    """
    registry = load_registry(documents_file)
    problems: list[str] = []
    packs: dict[str, Pack] = {}
    files: dict[str, Path] = {}
    paths = sorted(p for p in rules_dir.glob("*.yaml") if replace is None or p.name != replace.name)
    paths += [replace] if replace is not None else []
    if not paths:
        raise RulePackError([f"{rules_dir}: no rule packs (*.yaml) found"])
    for path in paths:
        pack = _parse(path, problems)
        if pack is None:
            continue
        if pack.pack in packs:
            problems.append(f"{path}: pack '{pack.pack}' is also defined in {files[pack.pack]}")
            continue
        packs[pack.pack] = pack
        files[pack.pack] = path
    book = RuleBook(packs=packs, registry=_with_item_titles(registry, packs), files=files)
    for name, pack in packs.items():
        problems.extend(f"{files[name]}: {p}" for p in _check_pack(pack, book))
    problems.extend(_check_editions(book))
    if problems:
        raise RulePackError(problems)
    return book


def _with_item_titles(registry: Registry, packs: dict[str, Pack]) -> Registry:
    """The registry with each list document's items named by their titles (for citation labels)."""
    names = {item.id: {"en": item.title.en, "zh": item.title.zh} for p in packs.values() for item in p.items}
    names |= {
        e.id: {"en": e.reason.en.split(";")[0], "zh": e.reason.zh.split("，")[0]}
        for p in packs.values()
        for e in p.exclusions
    }
    documents = {
        doc_id: doc.model_copy(update={"part_titles": {**names, **doc.part_titles}}) if doc.from_rule_packs else doc
        for doc_id, doc in registry.documents.items()
    }
    return Registry(documents=documents)


def _parse(path: Path, problems: list[str]) -> Pack | None:
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(f"{path}: cannot read: {exc}")
        return None
    except yaml.YAMLError as exc:
        problems.append(f"{path}: invalid YAML: {exc}")
        return None
    if not isinstance(raw, dict):
        problems.append(f"{path}: a rule pack must be a YAML mapping")
        return None
    try:
        return Pack.model_validate(raw)
    except ValidationError as exc:
        for err in exc.errors():
            problems.append(f"{path}: {_where(raw, err['loc'])}: {err['msg']}")
        return None


def _where(raw: dict[str, Any], loc: tuple[int | str, ...]) -> str:
    """Describe an error location by the id of the rule or item it sits in."""
    if len(loc) >= 2 and isinstance(loc[1], int):
        section = raw.get(str(loc[0]))
        if isinstance(section, list) and loc[1] < len(section) and isinstance(section[loc[1]], dict):
            ident = section[loc[1]].get("id", f"#{loc[1] + 1}")
            rest = ".".join(str(p) for p in loc[2:])
            return f"{str(loc[0]).rstrip('s')} '{ident}'" + (f" field {rest}" if rest else "")
    return "field " + ".".join(str(p) for p in loc)


def _duplicates(ids: Iterable[str]) -> Iterator[str]:
    seen: set[str] = set()
    for ident in ids:
        if ident in seen:
            yield ident
        seen.add(ident)


def _check_pack(pack: Pack, book: RuleBook) -> Iterator[str]:
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
    if pack.kind == "list" and (pack.list_doc is None or book.registry.get(pack.list_doc) is None):
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
    for src in sources:
        doc = book.registry.get(src.doc)
        if doc is None:
            yield f"{where}: unknown document '{src.doc}'"
        elif doc.from_rule_packs:
            if src.article not in book.list_items(src.doc):
                yield f"{where}: '{src.doc}' has no item '{src.article}' in the loaded packs"
        elif src.article not in doc.fixed_articles:
            yield f"{where}: '{src.doc}' has no article '{src.article}'"


def _check_editions(book: RuleBook) -> Iterator[str]:
    lists = sorted((p for p in book.packs.values() if p.kind == "list"), key=lambda p: p.effective_from)
    for earlier, later in itertools.pairwise(lists):
        if earlier.effective_to is None or earlier.effective_to >= later.effective_from:
            yield (
                f"{book.files[earlier.pack]}: edition '{earlier.pack}' is still in force when '{later.pack}' "
                f"({book.files[later.pack]}) starts on {later.effective_from}"
            )
