"""Which column of an item table holds what: guessed from the headers, chosen once, saved for the next edition.

A mapping names, for each field of an item (sector, scenario, data category, ...), the header of the column that
holds it. It is kept by header text, not by position, so the next edition's table may reorder its columns.
Mappings are saved as JSON in the data folder (`data_dir/imports/mappings.json`), one per profile (usually the
pack's id).
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path

from .sheets import Grid, TableRow

FIELDS: tuple[str, ...] = (
    "sector",
    "scenario",
    "category",
    "description",
    "kind",
    "threshold",
    "unit",
    "route",
    "conditions",
    "remarks",
    "category_en",
    "description_en",
)
"""The fields of an item a column can hold (headed by `imports.field.NAME`); the English ones are optional (a
bilingual table): without them an item's English text is the table's own."""
REQUIRED: tuple[str, ...] = ("category", "kind")
"""Fields a mapping must give a column: without them no row can become an item (the sector may come from
heading rows)."""

HEADER_WORDS: dict[str, tuple[str, ...]] = {
    "sector": ("行业", "领域", "行业领域", "所属行业", "所属领域", "sector", "industry", "field"),
    "scenario": ("场景", "业务场景", "应用场景", "scenario", "business scenario", "use case"),
    "category": (
        "数据类别", "类别", "数据类目", "数据名称", "数据项", "数据子类", "子类", "category", "data category",
        "data item", "item",
    ),
    "description": (
        "数据字段", "字段", "描述", "数据描述", "具体描述", "数据范围", "说明", "数据字段描述", "description",
        "fields", "data fields",
    ),
    "kind": (
        "数据级别", "级别", "数据性质", "数据类型", "类型", "分级", "数据分级", "kind", "level", "type",
        "classification",
    ),
    "threshold": ("门槛", "阈值", "规模", "数量", "数量规模", "数据规模", "threshold", "volume", "scale"),
    "unit": ("单位", "计量单位", "unit"),
    "route": (
        "出境路径", "路径", "出境方式", "出境条件", "管理要求", "监管要求", "申报路径", "route", "pathway",
        "mechanism", "requirement",
    ),
    "conditions": ("条件", "适用条件", "前提条件", "限定条件", "conditions", "condition"),
    "remarks": ("备注", "附注", "remarks", "remark", "notes", "note"),
    "category_en": (
        "数据类别（英文）", "英文数据类别", "英文名称", "category (English)", "data category (English)",
        "category en", "English category",
    ),
    "description_en": (
        "数据字段描述（英文）", "英文描述", "数据字段（英文）", "description (English)", "data fields (English)",
        "description en", "English description",
    ),
}  # fmt: skip
"""Header words of each field, Chinese and English (compared without case, spaces or punctuation)."""
HEADER_SCAN_ROWS = 10
"""The header is looked for among the table's first rows (a title row may come before it)."""

Mapping = dict[str, str]
"""Field name -> the header text of its column."""


def _norm(text: str) -> str:
    return re.sub(r"[\s\W_]+", "", text.lower())


def _score(header: str, field: str) -> int:
    """How well a header names a field: 3 exact, 2 the header contains a longer word, 1 a short one, 0 none."""
    norm = _norm(header)
    if not norm:
        return 0
    best = 0
    for word in HEADER_WORDS[field]:
        w = _norm(word)
        if norm == w:
            return 3
        if w and w in norm:
            best = max(best, 2 if len(w) >= 3 else 1)
    return best


def guess(headers: list[str]) -> Mapping:
    """The likeliest column of each field from the header texts; each column serves at most one field."""
    pairs = sorted(
        ((_score(h, f), -i, f, h) for i, h in enumerate(headers) for f in FIELDS if h),
        key=lambda t: (-t[0], t[1]),
    )
    chosen: Mapping = {}
    used: set[str] = set()
    for score, _, field, header in pairs:
        if score and field not in chosen and header not in used:
            chosen[field] = header
            used.add(header)
    return {f: chosen[f] for f in FIELDS if f in chosen}


def header_row(grid: Grid) -> TableRow:
    """The header row: among the first rows, the one whose cells name the most fields (ties: the first)."""
    candidates = grid.rows[:HEADER_SCAN_ROWS]
    scored = [(len(guess(row.cells)), -index, row) for index, row in enumerate(candidates)]
    best = max(scored, key=lambda t: (t[0], t[1]))
    if best[0]:
        return best[2]
    return next((r for r in candidates if len({c for c in r.cells if c}) >= 2), candidates[0])


def missing(mapping: Mapping, headers: list[str]) -> list[str]:
    """The required fields the mapping leaves without a column of this table."""
    return [f for f in REQUIRED if mapping.get(f) not in headers]


def columns(mapping: Mapping, headers: list[str]) -> dict[str, int]:
    """Field -> column index in this table, for the mapped headers the table has."""
    index = {h: i for i, h in reversed(list(enumerate(headers))) if h}
    return {f: index[h] for f, h in mapping.items() if f in FIELDS and h in index}


def reuse(saved: Mapping | None, headers: list[str]) -> Mapping:
    """A saved mapping applied to a new table: its headers that the table still has, the rest guessed."""
    guessed = guess(headers)
    if not saved:
        return guessed
    kept = {f: h for f, h in saved.items() if f in FIELDS and h in headers}
    for field, header in guessed.items():
        if field not in kept and header not in kept.values():
            kept[field] = header
    return {f: kept[f] for f in FIELDS if f in kept}


class MappingStore:
    """Saved mappings by profile, in one JSON file of the data folder."""

    def __init__(self, path: Path) -> None:
        """Keep mappings at `path` (made on the first save)."""
        self.path = path

    def load_all(self) -> dict[str, Mapping]:
        """Every saved mapping; an unreadable file reads as none saved."""
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(raw, dict):
            return {}
        return {
            str(name): {str(f): str(h) for f, h in value.items() if f in FIELDS}
            for name, value in raw.items()
            if isinstance(value, dict)
        }

    def get(self, profile: str) -> Mapping | None:
        """The mapping saved under `profile`, or None."""
        return self.load_all().get(profile)

    def save(self, profile: str, mapping: Mapping) -> None:
        """Save (or replace) the mapping of `profile`, atomically."""
        every = self.load_all()
        every[profile[:128]] = {f: h[:200] for f, h in mapping.items() if f in FIELDS and h}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".mappings-", suffix=".json")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(every, out, ensure_ascii=False, indent=1, sort_keys=True)
        os.replace(tmp, self.path)


def mapping_store(data_dir: Path) -> MappingStore:
    """The mapping store of a data folder."""
    return MappingStore(data_dir / "imports" / "mappings.json")
