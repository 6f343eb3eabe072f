"""Exports for the help desk: cases and feedback (.xlsx or .csv) for a date range and filters; a pack as YAML or
as an .xlsx item table that the table importer reads back.

Every text cell that a spreadsheet would run as a formula (starting with = + - @, or a tab or carriage return) is
neutralised with a leading apostrophe: a question typed by anyone must not become a formula on the officer's
machine.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from typing import Any, Literal

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from ..answer.labels import value_label
from ..casefile.audit import CaseRow
from ..rules.schema import Item, Pack
from .itemdraft import pack_yaml

Format = Literal["xlsx", "csv"]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""Leading characters that make a spreadsheet read a cell as a formula (OWASP CSV injection)."""
MAX_EXPORT_ROWS = 100_000
CASE_FIELDS: tuple[str, ...] = (
    "id", "created_at", "channel", "language", "outcome", "industry", "question", "answer", "error",
    "feedback_verdict", "feedback_comment", "feedback_at",
)  # fmt: skip
"""The columns of a cases export (the stored, masked texts)."""
FEEDBACK_FIELDS: tuple[str, ...] = (
    "id", "created_at", "outcome", "industry", "question", "feedback_verdict", "feedback_comment", "feedback_at",
)  # fmt: skip
"""The columns of a feedback export: only the cases that received feedback."""
PACK_HEADERS: tuple[str, ...] = (
    "条目编号", "行业领域", "业务场景", "数据类别", "数据字段描述", "数据级别",
    "数量门槛", "单位", "出境路径", "适用条件", "备注", "数据类别（英文）", "数据字段描述（英文）",
)  # fmt: skip
"""The headers of a pack's item table: the import's mapping guesses each of them."""


def safe_cell(value: Any) -> Any:
    """A cell value that no spreadsheet runs as a formula (text starting = + - @ gets a leading apostrophe)."""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | float):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def to_bytes(headers: Sequence[str], rows: Iterable[Sequence[Any]], fmt: Format, sheet: str = "export") -> bytes:
    """Rows as an .xlsx workbook or a UTF-8 CSV (with a byte-order mark, so spreadsheets read Chinese)."""
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow([safe_cell(h) for h in headers])
        for row in rows:
            writer.writerow(["" if (c := safe_cell(v)) is None else c for v in row])
        return out.getvalue().encode("utf-8-sig")
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    ws = book.create_sheet(sheet[:31])
    ws.append([safe_cell(h) for h in headers])
    for row in rows:
        ws.append([safe_cell(v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _bound(day: dt.date | None, *, end: bool) -> dt.datetime | None:
    if day is None:
        return None
    start = dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)
    return start + dt.timedelta(days=1) if end else start


def case_rows(
    engine: Engine,
    since: dt.date | None = None,
    until: dt.date | None = None,
    *,
    outcome: str | None = None,
    industry: str | None = None,
    channel: str | None = None,
    feedback: str | None = None,
) -> list[CaseRow]:
    """The stored cases of the period (whole UTC days, both ends included), oldest first, filtered.

    `feedback` is a verdict (useful, wrong) or `any` (every case with feedback).
    """
    query = select(CaseRow).order_by(CaseRow.created_at, CaseRow.id).limit(MAX_EXPORT_ROWS)
    start, end = _bound(since, end=False), _bound(until, end=True)
    if start is not None:
        query = query.where(CaseRow.created_at >= start)
    if end is not None:
        query = query.where(CaseRow.created_at < end)
    if outcome:
        query = query.where(CaseRow.outcome == outcome)
    if industry:
        query = query.where(CaseRow.industry == industry)
    if channel:
        query = query.where(CaseRow.channel == channel)
    if feedback == "any":
        query = query.where(CaseRow.feedback_verdict.is_not(None))
    elif feedback:
        query = query.where(CaseRow.feedback_verdict == feedback)
    with Session(engine) as session:
        rows = list(session.scalars(query))
        session.expunge_all()
    return rows


def export_cases(engine: Engine, fmt: Format, *, feedback_only: bool = False, **filters: Any) -> bytes:
    """Cases (or, `feedback_only`, the feedback given) of a period as .xlsx or .csv bytes; see `case_rows`."""
    if feedback_only and not filters.get("feedback"):
        filters["feedback"] = "any"
    fields = FEEDBACK_FIELDS if feedback_only else CASE_FIELDS
    rows = case_rows(engine, **filters)
    return to_bytes(
        fields, ([getattr(r, f) for f in fields] for r in rows), fmt, "feedback" if feedback_only else "cases"
    )


# -- packs ------------------------------------------------------------------------------------------------------


def export_pack_yaml(pack: Pack) -> str:
    """A pack as YAML in the shipped files' format (what the loader and the importer's drafts read)."""
    return pack_yaml(pack.model_dump(mode="python", exclude_defaults=True))


_KIND_WORDS = {
    "important_data": "重要数据",
    "personal_information": "个人信息",
    "sensitive_personal_information": "敏感个人信息",
}
_ROUTE_WORDS = {"security_assessment": "数据出境安全评估", "standard_contract_or_certification": "标准合同或认证"}


OTHER_HEADERS: tuple[str, ...] = ("id", "field", "effect", "status", "category", "title_zh", "text_zh", "text_en")
"""The second sheet's columns: the items an item table cannot express (kept for reading, never imported)."""


def pack_item_rows(pack: Pack) -> list[list[Any]]:
    """One row per listed item of the pack itself (not carried over), in the import's layout. Items of other
    effects (relaxations, carve-outs, reference rules, items whose content is unknown) are not rows of an item
    table: importing them back would make them listed items."""
    return [_item_row(item) for item in pack.items if item.effect == "listed"]


def other_item_rows(pack: Pack) -> list[list[Any]]:
    """The pack's items that are not listed items, for the export's second sheet."""
    return [
        [i.id, i.field or "", i.effect, i.status, i.category, i.title.zh, i.text.zh, i.text.en]
        for i in pack.items
        if i.effect != "listed"
    ]


def _item_row(item: Item) -> list[Any]:
    threshold = ""
    if item.threshold is not None:
        if item.threshold.at_least is not None:
            threshold = f"{item.threshold.at_least}以上"
        else:
            threshold = f"超过{item.threshold.more_than}"
    text = item.text.zh
    prefix = f"{item.title.zh}："
    description = text[len(prefix) :] if text.startswith(prefix) else ("" if text == item.title.zh else text)
    notes = [f"status: {item.status}"] if item.status != "confirmed" else []
    if item.evidence:
        notes.append(item.evidence)
    return [
        item.id,
        value_label("industry", item.field, "zh") if item.field else "",
        value_label("scenario", item.scenario, "zh") if item.scenario else "",
        item.title.zh,
        description,
        _KIND_WORDS[item.category],
        threshold,
        "人" if threshold else "",
        _ROUTE_WORDS.get(item.route, ""),
        "",
        "; ".join(notes),
        *_english(item),
    ]


def _english(item: Item) -> list[str]:
    """The English title and description when they are not the Chinese ones (a bilingual table)."""
    if (item.title.en, item.text.en) == (item.title.zh, item.text.zh):
        return ["", ""]
    prefix = f"{item.title.en}: "
    described = item.text.en[len(prefix) :] if item.text.en.startswith(prefix) else ""
    return [item.title.en, described]


def export_pack_xlsx(pack: Pack) -> bytes:
    """A pack's listed items as an .xlsx item table on the first sheet (the importer maps its headers by itself
    and reads it back); its other items on a second sheet, which the importer does not read."""
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    for title, headers, rows in (
        (pack.pack[:31], PACK_HEADERS, pack_item_rows(pack)),
        ("other items", OTHER_HEADERS, other_item_rows(pack)),
    ):
        sheet = book.create_sheet(title)
        sheet.append([safe_cell(h) for h in headers])
        for row in rows:
            sheet.append([safe_cell(v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
