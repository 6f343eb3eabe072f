"""Rows of an item table -> a rule-pack draft in the existing YAML format, or the reasons it cannot be one.

Every row either becomes one item or is reported with its row number and why; a table with any such row gives
no draft (nothing half-read). The pack is then checked by the existing validator (`load_rulebook` with the
draft in place of the shipped file of the same name), so a draft that overlaps an edition, names an unknown
sector or cites an unknown document is refused the same way a hand-written pack would be.

Readings made here, stated so an officer can check them: a blank sector or scenario cell repeats the one above
(a merged cell exported to CSV); a count without a qualifier means "at least" (以上); an important-data count
counts everyone concerned; a count of records (条) is not a count of people and is refused, since every
threshold of the checker counts people.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Mapping as Labelled
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..answer.labels import value_label
from ..catalogue import word
from ..errors import RulePackError
from ..facts import INDUSTRIES, SCENARIOS
from ..retrieval.official import cn_to_int
from ..rules.book import RuleBook
from ..rules.loader import load_rulebook
from ..rules.schema import Pack
from .mapping import Mapping, columns, header_row
from .sheets import Grid, TableRow

BASIS = {"doc": "cbdf-provisions-2024", "article": "6"}
"""Every imported list cites the basis of FTZ lists in the Provisions (cbdf-provisions-2024 art 6)."""
MAX_TITLE_CHARS = 120


@dataclass(frozen=True)
class PackMeta:
    """What the officer states of the list a table belongs to (a new pack)."""

    pack: str
    edition: str
    title_en: str
    title_zh: str
    list_doc: str
    effective_from: dt.date
    effective_to: dt.date | None = None
    zones: tuple[str, ...] = ("beijing_ftz", "beijing")
    other_zone: str | None = None
    """For another province's list (zone other_ftz): which zone, e.g. tianjin_ftz."""
    beijing_use: bool = False
    """Another province's list: usable by Beijing processors (set once the conditions are known)."""


@dataclass(frozen=True)
class RowProblem:
    """A row that could not be read (or was skipped), with the reason as a catalogue key and its parameters."""

    row: int
    code: str
    params: dict[str, str] = field(default_factory=dict)

    def text(self, lang: str) -> str:
        """The reason in words (an empty cell's field named in `lang`)."""
        params = dict(self.params)
        if self.code == "empty":
            params["field"] = word(f"imports.field.{params['field']}", lang)
        return word(f"imports.row.{self.code}", lang, **params)


@dataclass
class ItemDraft:
    """The outcome of an import: a valid pack as YAML, or the row and pack problems that stop it."""

    yaml_text: str = ""
    pack: Pack | None = None
    problems: list[RowProblem] = field(default_factory=list)
    skipped: list[RowProblem] = field(default_factory=list)
    pack_problems: list[str] = field(default_factory=list)
    items: int = 0
    replaced: dict[str, int] = field(default_factory=dict)
    """Per sector, how many items of the loaded pack the table's items replace (its listed and unknown ones)."""

    @property
    def ok(self) -> bool:
        """Whether every row was read and the pack validates: only then may it become a draft."""
        return bool(self.yaml_text) and not self.problems and not self.pack_problems

    @property
    def unread_rows(self) -> int:
        """How many rows could not be read (a row may have several problems)."""
        return len({p.row for p in self.problems})


# -- reading one cell -------------------------------------------------------------------------------------------


def _norm(text: str) -> str:
    return re.sub(r"[\s\W_]+", "", text.lower())


def sector_names(book: RuleBook) -> dict[str, str]:
    """Normalised sector names (ids, labels, pack field titles, in both languages) -> Facts industry."""
    names: dict[str, str] = {}
    for industry in INDUSTRIES:
        if industry == "other":
            continue
        for name in (
            industry,
            industry.replace("_", " "),
            *(value_label("industry", industry, lg) for lg in ("en", "zh")),
        ):
            names[_norm(name)] = industry
    for pack in book.packs.values():
        for fld in book.fields(pack):
            names[_norm(fld.title.en)] = fld.id
            names[_norm(fld.title.zh)] = fld.id
    names.pop("", None)
    return names


def known_sectors(book: RuleBook) -> str:
    """The sectors a table may name, each in Chinese and English: what an unknown sector's message lists."""
    titles: dict[str, tuple[str, str]] = {}
    for pack in book.packs.values():
        for fld in book.fields(pack):
            titles.setdefault(fld.id, (fld.title.zh, fld.title.en))
    for industry in (i for i in INDUSTRIES if i != "other"):
        zh, en = (value_label("industry", industry, lg) for lg in ("zh", "en"))
        titles.setdefault(industry, (zh, en))
    return "; ".join(f"{zh} / {en}" for zh, en in titles.values())


def read_sector(text: str, names: dict[str, str]) -> str | None:
    """The industry a sector cell names: an exact name, else the longest name the cell contains."""
    norm = _norm(text)
    if norm in names:
        return names[norm]
    found = [(len(n), ind) for n, ind in names.items() if len(n) >= 2 and n in norm]
    return max(found)[1] if found else None


def read_kind(text: str) -> str | None:
    """important_data, sensitive_personal_information or personal_information from a kind cell."""
    low = text.lower()
    if "重要数据" in text or "important" in low:
        return "important_data"
    if "敏感" in text or "sensitive" in low:
        return "sensitive_personal_information"
    if "个人信息" in text or "personal" in low:
        return "personal_information"
    return None


def read_route(text: str) -> str | None:
    """The route a route cell names ('unknown' when empty), or None when it names none."""
    low = text.lower()
    if not text.strip():
        return "unknown"
    if "安全评估" in text or "security assessment" in low:
        return "security_assessment"
    if any(w in text for w in ("标准合同", "认证")) or any(w in low for w in ("standard contract", "certification")):
        return "standard_contract_or_certification"
    return None


_MULTIPLIERS = {"万": 10_000, "亿": 100_000_000, "千": 1_000}
_ARABIC = re.compile(r"(\d+(?:\.\d+)?)\s*(万|亿|千)?")
_CHINESE = re.compile(r"([零〇一二两三四五六七八九十百千]+)\s*(万|亿)?")
_BELOW = ("以下", "少于", "不足", "不满", "低于", "below", "less than", "fewer than", "under")
_MORE_THAN = ("超过", "多于", "大于", "高于", "more than", "over", "above", ">")
_RECORDS = ("条", "record", "rows", "entries", "次")


def read_threshold(text: str, unit: str = "") -> tuple[str, int] | str | None:
    """A count of people from a threshold cell and its unit: ('at_least'|'more_than', N), None when empty,
    or a problem code (threshold_records, threshold_below, threshold_unclear, threshold_unreadable).

    '5万人', '五万', '50,000人/年', '10万人以上' and '超过100万人' all read; the unit cell may carry 万 or 人.
    """
    both = f"{text} {unit}".strip()
    if not text.strip():
        return None
    low = both.lower()
    if any(w in low for w in _RECORDS):
        return "threshold_records"
    if any(w in low for w in _BELOW):
        return "threshold_below"
    compact = re.sub(r"(?<=\d)[,，](?=\d{3})", "", both).replace("　", " ")
    numbers = [(m.group(1), m.group(2)) for m in _ARABIC.finditer(compact)]
    if not numbers:
        numbers = [(m.group(1), m.group(2)) for m in _CHINESE.finditer(compact) if m.group(1) != "千"]
    numbers = [n for n in numbers if n[0]]
    if len(numbers) != 1:
        return "threshold_unclear" if numbers else "threshold_unreadable"
    digits, multiplier = numbers[0]
    if multiplier is None and "万" in unit:
        multiplier = "万"
    try:
        value = float(digits) if re.fullmatch(r"[\d.]+", digits) else float(cn_to_int(digits))
    except ValueError:
        return "threshold_unreadable"
    count = round(value * _MULTIPLIERS.get(multiplier or "", 1))
    if count <= 0:
        return "threshold_unreadable"
    bound = "more_than" if any(w in low for w in _MORE_THAN) else "at_least"
    return bound, count


def scenario_id(text: str, known: dict[str, str]) -> str:
    """The id of a scenario cell: a known scenario's id by its label, else the text itself (no spaces or slashes),
    so that a new scenario reads as the table names it."""
    norm = _norm(text)
    if norm in known:
        return known[norm]
    ident = re.sub(r"[\s/]+", "_", text.strip()).strip("_")
    if text.isascii():
        ident = ident.lower()
    return ident[:48] or "scenario"


def _scenario_names(book: RuleBook) -> dict[str, str]:
    names = {}
    for scenario in (*SCENARIOS, *book.scenarios):
        names[_norm(scenario)] = scenario
        for lang in ("en", "zh"):
            names[_norm(value_label("scenario", scenario, lang))] = scenario
    names.pop("", None)
    return names


# -- rows -> items ----------------------------------------------------------------------------------------------


@dataclass
class _Read:
    """What the rows gave: items by sector (in table order), scenario ids and labels, problems."""

    items: list[dict[str, Any]] = field(default_factory=list)
    sectors: dict[str, list[str]] = field(default_factory=dict)
    scenarios: dict[str, str] = field(default_factory=dict)
    problems: list[RowProblem] = field(default_factory=list)
    skipped: list[RowProblem] = field(default_factory=list)
    known_sectors: str = ""


def _heading(row: TableRow) -> str | None:
    """The text of a heading row (one value spread over merged cells, or alone in the first cell), else None."""
    values = [c for c in row.cells if c]
    if len(set(values)) == 1 and (len(values) > 1 or row.cells[0]):
        return values[0]
    return None


def read_rows(grid: Grid, mapping: Mapping, book: RuleBook, list_doc: str) -> tuple[_Read, list[str]]:
    """Read every row after the header into item dicts (the pack schema's shape); return them and the headers."""
    header = header_row(grid)
    headers = header.cells
    cols = columns(mapping, headers)
    out = _Read(known_sectors=known_sectors(book))
    sectors = sector_names(book)
    scenario_names = _scenario_names(book)
    above: dict[str, str] = {}
    counters: dict[str, int] = {}
    for row in grid.rows:
        if row.number <= header.number:
            continue
        if row.cells == headers:
            out.skipped.append(RowProblem(row.number, "repeated_header"))
            continue
        cell = {f: (row.cells[i] if i < len(row.cells) else "") for f, i in cols.items()}
        heading = _heading(row)
        if heading is not None:
            if read_sector(heading, sectors) is not None:
                above = {"sector": heading}
            out.skipped.append(RowProblem(row.number, "heading", {"text": heading[:60]}))
            continue
        for name in ("sector", "scenario"):
            if cell.get(name):
                above[name] = cell[name]
                if name == "sector":
                    above.pop("scenario", None)
            elif name in above:
                cell[name] = above[name]
        item = _item(row.number, cell, sectors, scenario_names, out)
        if item is None:
            continue
        sector = item["field"]
        counters[sector] = counters.get(sector, 0) + 1
        ident = f"{sector.replace('_', '-')}-{counters[sector]:02d}"
        item = {"id": ident, **item, "sources": [{"doc": list_doc, "article": ident}]}
        out.items.append(item)
        scenarios = out.sectors.setdefault(sector, [])
        if item.get("scenario") and item["scenario"] not in scenarios:
            scenarios.append(item["scenario"])
    return out, headers


def _item(
    number: int, cell: dict[str, str], sectors: dict[str, str], scenarios: dict[str, str], out: _Read
) -> dict[str, Any] | None:
    """One row as an item dict, or None after reporting why it cannot be one."""
    problems: list[RowProblem] = []
    for name in ("sector", "category", "kind"):
        if not cell.get(name):
            problems.append(RowProblem(number, "empty", {"field": name}))
    sector = read_sector(cell["sector"], sectors) if cell.get("sector") else None
    if cell.get("sector") and sector is None:
        problems.append(RowProblem(number, "sector_unknown", {"text": cell["sector"][:60], "names": out.known_sectors}))
    category = read_kind(cell["kind"]) if cell.get("kind") else None
    if cell.get("kind") and category is None:
        problems.append(RowProblem(number, "kind_unknown", {"text": cell["kind"][:60]}))
    route = read_route(cell.get("route", ""))
    if route is None:
        problems.append(RowProblem(number, "route_unknown", {"text": cell.get("route", "")[:60]}))
    threshold = read_threshold(cell.get("threshold", ""), cell.get("unit", ""))
    if isinstance(threshold, str):
        problems.append(
            RowProblem(number, threshold, {"text": f"{cell.get('threshold', '')} {cell.get('unit', '')}".strip()[:60]})
        )
    if problems or sector is None or category is None:
        out.problems.extend(problems)
        return None
    title = cell["category"][:MAX_TITLE_CHARS]
    body = "；".join(v for v in (cell.get("description", ""), cell.get("conditions", "")) if v)
    text = f"{title}：{body}" if body else title
    title_en, text_en = title, text
    if cell.get("category_en") or cell.get("description_en"):  # a bilingual table
        title_en = (cell.get("category_en") or title)[:MAX_TITLE_CHARS]
        text_en = f"{title_en}: {cell['description_en']}" if cell.get("description_en") else title_en
    item: dict[str, Any] = {
        "field": sector,
        "category": category,
        "effect": "listed",
        "title": {"en": title_en, "zh": title},
        "route": route,
        "status": "confirmed",
        "text": {"en": text_en, "zh": text},
    }
    if cell.get("scenario"):
        ident = scenario_id(cell["scenario"], scenarios)
        out.scenarios.setdefault(ident, cell["scenario"])
        item["scenario"] = ident
    if isinstance(threshold, tuple):
        bound, count = threshold
        fact = {
            "personal_information": "personal_info_count",
            "sensitive_personal_information": "sensitive_info_count",
        }.get(category, "individuals")
        item["threshold"] = {"fact": fact, bound: count}
        if fact == "individuals":
            item["reading"] = {
                "en": word("imports.reading.individuals", "en"),
                "zh": word("imports.reading.individuals", "zh"),
            }
    evidence = f"row {number} of the imported table"
    if cell.get("remarks"):
        evidence += f"; remarks: {cell['remarks'][:500]}"
    item["evidence"] = evidence
    return item


# -- items -> pack ----------------------------------------------------------------------------------------------


def build_pack(read: _Read, meta: PackMeta | None, base: Pack | None, book: RuleBook) -> dict[str, Any]:
    """The pack as a dict: a new list from `meta`, or `base` with the table's sectors replaced by its items."""
    if base is not None:
        raw = base.model_dump(mode="python", exclude_defaults=True)
        doc = base.list_doc or ""
    else:
        assert meta is not None
        doc = meta.list_doc
        scope: dict[str, Any] = {
            "zones": list(meta.zones),
            "text": {
                "en": word("imports.scope", "en", title=meta.title_en),
                "zh": word("imports.scope", "zh", title=meta.title_zh),
            },
            "sources": [BASIS],
        }
        if meta.other_zone:
            scope["other_zone"] = meta.other_zone
            scope["beijing_use"] = meta.beijing_use
        raw = {
            "pack": meta.pack,
            "kind": "list",
            "edition": meta.edition,
            "title": {"en": meta.title_en, "zh": meta.title_zh},
            "list_doc": meta.list_doc,
            "effective_from": meta.effective_from,
            **({"effective_to": meta.effective_to} if meta.effective_to else {}),
            "sources": [BASIS],
            "scope": scope,
            "fields": [],
            "items": [],
        }
    touched = set(read.sectors)
    raw["items"] = [i for i in raw.get("items", []) if not _replaced(i, touched)] + read.items
    new_scenarios = [s for s in read.scenarios if s not in book.scenarios]
    if new_scenarios:
        raw["scenarios"] = sorted({*raw.get("scenarios", []), *new_scenarios})
    carry = raw.get("carry_over")
    if carry is not None:
        carry["fields"] = [f for f in carry["fields"] if f not in touched]
        if not carry["fields"]:
            raw.pop("carry_over")
    fields = {f["id"]: f for f in raw.get("fields", [])}
    for sector, scenarios in read.sectors.items():
        first = next(i["id"] for i in read.items if i["field"] == sector)
        old = fields.get(sector, {})
        fields[sector] = {
            "id": sector,
            "title": old.get("title")
            or {"en": value_label("industry", sector, "en"), "zh": value_label("industry", sector, "zh")},
            **({"scenarios": scenarios} if scenarios else {}),
            "items_status": "confirmed",
            "sources": [{"doc": doc, "article": first}],
        }
    raw["fields"] = list(fields.values())
    return raw


REPLACED_EFFECTS = ("listed", "unknown")
"""The items of a sector a table replaces: the listed ones (a table holds listed items) and the unknown ones.
Relaxations, carve-outs and reference rules, which a table row cannot express, stay; the preview shows them beside."""


def _replaced(item: dict[str, Any], sectors: set[str]) -> bool:
    """Whether an item of the loaded pack is replaced by a table holding items of `sectors`."""
    return item.get("field") in sectors and item.get("effect") in REPLACED_EFFECTS


def replaced_counts(base: Pack, sectors: set[str]) -> dict[str, int]:
    """Per sector of the table, how many items of the loaded pack `base` its items replace."""
    items = base.model_dump(mode="python", exclude_defaults=True).get("items", [])
    return dict(Counter(str(item["field"]) for item in items if _replaced(item, sectors)))


def pack_yaml(raw: dict[str, Any]) -> str:
    """A pack dict as YAML in the shipped files' key order."""
    header = "# Imported from an item table by the help desk's console; checked by the rule-pack validator.\n"
    return header + yaml.safe_dump(raw, allow_unicode=True, sort_keys=False, width=120)


def validate_pack_text(
    text: str, name: str, rules_dir: Path, documents_file: Path, published: Labelled[str, str] | None = None
) -> list[str]:
    """The validator's problems with this pack in force beside the shipped and `published` packs (it replaces
    the one of the same id); none: valid."""
    label = f"{Path(name).name}.yaml (draft)"
    try:
        load_rulebook(rules_dir, documents_file, published={**(published or {}), label: text})
    except RulePackError as exc:
        return exc.problems
    return []


def table_to_draft(
    grid: Grid,
    mapping: Mapping,
    book: RuleBook,
    rules_dir: Path,
    documents_file: Path,
    *,
    meta: PackMeta | None = None,
    base: str | None = None,
    published: Labelled[str, str] | None = None,
) -> ItemDraft:
    """Read a table into a pack draft: a new list (`meta`) or a new version of the loaded pack `base`.

    The YAML is produced only when every row is read; it is then validated as it would be loaded, beside the
    `published` packs (label -> YAML) that `book` holds.
    """
    if (meta is None) == (base is None):
        raise ValueError("give exactly one of meta (a new pack) or base (a loaded pack)")
    base_pack = book.packs.get(base) if base else None
    if base is not None and (base_pack is None or base_pack.kind != "list"):
        return ItemDraft(pack_problems=[word("imports.no_such_pack", "en", name=base)])
    list_doc = base_pack.list_doc if base_pack is not None else meta.list_doc  # type: ignore[union-attr]
    read, _ = read_rows(grid, mapping, book, list_doc or "")
    result = ItemDraft(problems=read.problems, skipped=read.skipped, items=len(read.items))
    if read.problems:
        return result
    if not read.items:
        result.problems.append(RowProblem(grid.rows[-1].number, "no_items"))
        return result
    raw = build_pack(read, meta, base_pack, book)
    if base_pack is not None:
        result.replaced = replaced_counts(base_pack, set(read.sectors))
    try:
        pack = Pack.model_validate(raw)
    except ValueError as exc:
        result.pack_problems = [str(exc)]
        return result
    text = pack_yaml(raw)
    result.pack_problems = validate_pack_text(text, pack.pack, rules_dir, documents_file, published)
    if not result.pack_problems:
        result.yaml_text, result.pack = text, pack
    return result
