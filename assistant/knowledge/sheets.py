"""Read an uploaded item table (.xlsx, .csv, .docx) into numbered rows of text cells.

The help desk uploads the official table as it comes. Each reader returns the non-empty rows with the row
number the officer sees in the file (the sheet's row, the CSV line, the Word table's row), so a problem can be
reported where it can be fixed. Merged cells are filled with their value in every cell they cover, as a reader
of the printed table would. A file that is not what its name says, too large, empty or broken raises
`UploadError` with a code the console turns into words; nothing here crashes on hostile bytes.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from ..errors import UploadError

TABLE_TYPES: tuple[str, ...] = (".xlsx", ".csv", ".docx")
"""The file types an item table may come in."""
CSV_ENCODINGS: tuple[str, ...] = ("utf-8-sig", "gb18030")
"""Encodings tried in turn for a CSV file (utf-8-sig also reads plain UTF-8)."""
MAX_ROWS = 5000
"""A table with more rows than this is refused (the published lists have well under a hundred)."""
MAX_CELL_CHARS = 2000
"""A longer cell is cut to this many characters."""
MAX_UNZIPPED_BYTES = 100_000_000
"""An .xlsx or .docx may unpack to at most this much (a zip bomb is refused before the parser sees it)."""
ZIP_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class TableRow:
    """One non-empty row: its number in the file (1-based) and its cells as text."""

    number: int
    cells: list[str]


@dataclass(frozen=True)
class Grid:
    """The non-empty rows of an uploaded table, in file order."""

    source: str
    rows: list[TableRow]


def file_type(name: str) -> str:
    """The lower-case suffix of an uploaded file's name ('.xlsx')."""
    return PurePath(name or "").suffix.lower()


def read_table(name: str, data: bytes, max_bytes: int) -> Grid:
    """Read an uploaded table by its file type.

    Raises:
        UploadError: wrong type, too large, empty, binary or corrupt, no table, too many rows.
    """
    kind = file_type(name)
    if kind not in TABLE_TYPES:
        raise UploadError(
            "wrong_type", f"{name}: not a table file ({', '.join(TABLE_TYPES)})", types=", ".join(TABLE_TYPES)
        )
    check_size(name, data, max_bytes)
    if kind == ".csv":
        rows = _csv_rows(name, data)
    elif kind == ".xlsx":
        rows = _xlsx_rows(name, data)
    else:
        rows = _docx_rows(name, data)
    kept = [TableRow(number, cells) for number, cells in rows if any(cells)]
    if not kept:
        raise UploadError("empty", f"{name}: the table has no rows")
    if len(kept) > MAX_ROWS:
        raise UploadError("too_many_rows", f"{name}: more than {MAX_ROWS} rows", limit=MAX_ROWS)
    return Grid(source=PurePath(name).name, rows=kept)


def check_size(name: str, data: bytes, max_bytes: int) -> None:
    """Refuse an empty upload or one over `max_bytes`.

    Raises:
        UploadError: empty or too large.
    """
    if not data:
        raise UploadError("empty", f"{name}: the file is empty")
    if len(data) > max_bytes:
        raise UploadError(
            "too_large", f"{name}: larger than {max_bytes} bytes", limit=f"{max_bytes / 1_048_576:.0f} MB"
        )


def cell_text(value: Any) -> str:
    """A cell's value as the text the table shows: whole numbers without '.0', dates as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date() if value.time() == dt.time() else value
    if isinstance(value, dt.date):
        return value.isoformat()
    text = " ".join(str(value).replace("\x00", "").split())
    return text[:MAX_CELL_CHARS]


def _csv_rows(name: str, data: bytes) -> list[tuple[int, list[str]]]:
    if b"\x00" in data[:4096]:
        raise UploadError("binary", f"{name}: not a text file")
    text = None
    for encoding in CSV_ENCODINGS:
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if text is None:
        raise UploadError("encoding", f"{name}: not UTF-8 or GB18030 text", encodings=", ".join(CSV_ENCODINGS))
    try:
        dialect: Any = csv.Sniffer().sniff(text[:8192], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    rows: list[tuple[int, list[str]]] = []
    try:
        for cells in reader:
            rows.append((reader.line_num, [cell_text(c) for c in cells]))
            if len(rows) > MAX_ROWS * 2:
                break
    except csv.Error as exc:
        raise UploadError("corrupt", f"{name}: unreadable CSV ({exc})", detail=str(exc)) from None
    return rows


def _open_zip(name: str, data: bytes) -> None:
    """Refuse a file that is not a zip package (a renamed text) or that unpacks to far more than it weighs."""
    if not data.startswith(ZIP_MAGIC):
        raise UploadError("corrupt", f"{name}: not a real {file_type(name)} file", kind=file_type(name))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            unpacked = sum(info.file_size for info in package.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UploadError("corrupt", f"{name}: broken package ({exc})", kind=file_type(name)) from None
    if unpacked > MAX_UNZIPPED_BYTES:
        limit = f"{MAX_UNZIPPED_BYTES / 1_000_000:.0f} MB unpacked"
        raise UploadError("too_large", f"{name}: unpacks to {unpacked} bytes", limit=limit)


def _xlsx_rows(name: str, data: bytes) -> list[tuple[int, list[str]]]:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    _open_zip(name, data)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise UploadError("corrupt", f"{name}: cannot read the workbook ({exc})", kind=".xlsx") from None
    try:
        sheet = next((ws for ws in book.worksheets if ws.max_row > 1 or ws.max_column > 1), book.worksheets[0])
        filled: dict[tuple[int, int], Any] = {}
        for merged in list(sheet.merged_cells.ranges):
            top = sheet.cell(merged.min_row, merged.min_col).value
            for row in range(merged.min_row, merged.max_row + 1):
                for col in range(merged.min_col, merged.max_col + 1):
                    filled[(row, col)] = top
        rows: list[tuple[int, list[str]]] = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [cell_text(filled.get((number, col), v)) for col, v in enumerate(values, start=1)]
            rows.append((number, cells))
            if number > MAX_ROWS * 2:
                break
        return rows
    finally:
        book.close()


def _docx_rows(name: str, data: bytes) -> list[tuple[int, list[str]]]:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    _open_zip(name, data)
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise UploadError("corrupt", f"{name}: cannot read the document ({exc})", kind=".docx") from None
    tables = [t for t in document.tables if len(t.rows) > 1]
    if not tables:
        raise UploadError("no_table", f"{name}: the document holds no table")
    table = max(tables, key=lambda t: len(t.rows))  # the item table: the largest one
    return [(number, [cell_text(c.text) for c in row.cells]) for number, row in enumerate(table.rows, start=1)]


def grid_from_rows(source: str, rows: Iterable[list[Any]]) -> Grid:
    """A grid from rows of values (for tables built in memory), numbered from 1, empty rows dropped."""
    kept = [TableRow(n, [cell_text(v) for v in cells]) for n, cells in enumerate(rows, start=1)]
    return Grid(source=source, rows=[r for r in kept if any(r.cells)])
