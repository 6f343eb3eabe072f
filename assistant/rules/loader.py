"""Load and validate rule packs; every problem names the file and the rule or item."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from ..documents import Registry, load_registry
from ..errors import RulePackError
from .book import RuleBook
from .schema import Pack
from .validate import check_editions, check_pack


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


def load_rulebook(
    rules_dir: Path, documents_file: Path, replace: Path | None = None, published: Mapping[str, str] | None = None
) -> RuleBook:
    """Load every *.yaml pack in `rules_dir` and validate them together.

    Args:
        rules_dir: the folder of packs.
        documents_file: corpus/documents.yaml.
        replace: a pack file to validate in place of the folder's file of the same name.
        published: packs the help desk published (a label such as "knowledge version 3" -> the pack's YAML); each
            replaces the folder's pack of the same id, or adds an edition (assistant/knowledge).

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
    for label, text in (published or {}).items():
        pack = _parse(Path(label), problems, text)
        if pack is not None:
            packs[pack.pack], files[pack.pack] = pack, Path(label)
    book = RuleBook(packs=packs, registry=_with_item_titles(registry, packs), files=files)
    for name, pack in packs.items():
        problems.extend(f"{files[name]}: {p}" for p in check_pack(pack, book))
    problems.extend(check_editions(book))
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


def _parse(path: Path, problems: list[str], text: str | None = None) -> Pack | None:
    try:
        raw = yaml.load(path.read_text(encoding="utf-8") if text is None else text, Loader=_UniqueKeyLoader)
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
