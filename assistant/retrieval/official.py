"""Importer of the official texts: strips their provenance header and splits them into articles."""

from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple

from ..documents import Document
from ..errors import CorpusError
from .passages import Lang, Passage, allows, make_passage

_CN_DIGITS = dict(zip("零〇一二两三四五六七八九", (0, 0, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9), strict=True))
_CN_ORDINALS = "一二三四五六七八九十"
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_NUMERAL = "[0-9零〇一二两三四五六七八九十百千]+"

_ARTICLE = re.compile(rf"^第({_NUMERAL})条(?:[\s　]|$)")
_CHAPTER = re.compile(rf"^第{_NUMERAL}[编章节](?:[\s　]|$)")
_PART = re.compile(r"^([一二三四五六七八九十]+)、\s*(.*)$")
_SECTION = re.compile(r"^(\d+)\.\s+(\S.*)$")
# A line of other scripts (Hangul, Cyrillic, Greek) in an English text is a web page's language menu.
_FOREIGN = re.compile(r"[\uac00-\ud7af\u0400-\u04ff\u0370-\u03ff]")


class Section(NamedTuple):
    """One article, part or section of an official text."""

    article: str
    heading: str
    text: str


def cn_to_int(numeral: str) -> int:
    """Convert a Chinese (or Arabic) numeral below 10,000 to an int: 二十三 -> 23, 一百零五 -> 105."""
    if numeral.isdigit():
        return int(numeral)
    total, digit = 0, 0
    for char in numeral:
        if char in _CN_DIGITS:
            digit = _CN_DIGITS[char]
        elif char in _CN_UNITS:
            total += (digit or 1) * _CN_UNITS[char]
            digit = 0
        else:
            raise ValueError(f"not a Chinese numeral: {numeral!r}")
    return total + digit


def strip_front_matter(text: str) -> str:
    """Drop the provenance header: from a first line '---' to the next line '---'."""
    lines = text.splitlines()
    if lines and lines[0].strip() == "---":
        for index in range(1, len(lines)):
            if lines[index].strip() == "---":
                return "\n".join(lines[index + 1 :])
    return text


def _body_lines(text: str) -> list[str]:
    """Non-empty lines of the body, without markdown headings, comments or editorial gap markers."""
    lines = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", "<!--")) or (line.startswith("[…") and line.endswith("…]")):
            continue
        lines.append(line)
    return lines


def split_statute(text: str) -> list[Section]:
    """Split a Chinese statute on lines starting with 第X条; 款 and 项 stay inside their article.

    A line opens a new article only when its number follows the previous one, so a paragraph that
    happens to start with a cross-reference ("第三条规定的...") stays in place. Chapter headings
    and anything before the first article are dropped.
    """
    sections: list[Section] = []
    current: list[str] = []
    number = 0
    for line in _body_lines(text):
        match = _ARTICLE.match(line)
        if match and (number == 0 or cn_to_int(match.group(1)) == number + 1):
            if current:
                sections.append(Section(str(number), "", "\n".join(current)))
            number, current = cn_to_int(match.group(1)), [line]
        elif number and not _CHAPTER.match(line):
            current.append(line)
    if current:
        sections.append(Section(str(number), "", "\n".join(current)))
    return sections


def split_parts(text: str) -> list[Section]:
    """Split a Chinese guide on its parts 一、二、...; text before the first heading that is found
    belongs to the part before it (our copy of the filing guide lacks the heading of part 一)."""
    parts: list[tuple[int, str, list[str]]] = []
    lead: list[str] = []
    for line in _body_lines(text):
        match = _PART.match(line)
        if match:
            parts.append((cn_to_int(match.group(1)), line, [line]))
        elif parts:
            parts[-1][2].append(line)
        else:
            lead.append(line)
    if lead and parts and 1 < parts[0][0] <= len(_CN_ORDINALS):
        number = parts[0][0] - 1
        parts.insert(0, (number, f"{_CN_ORDINALS[number - 1]}、", lead))
    return [Section(str(number), heading, "\n".join(lines)) for number, heading, lines in parts]


def split_sections(text: str) -> list[Section]:
    """Split an English text into "intro" and its numbered sections "1", "2", ... ("1. heading")."""
    sections = [Section("intro", "", "")]
    for line in _body_lines(text):
        match = _SECTION.match(line)
        if match and int(match.group(1)) == len(sections):
            sections.append(Section(match.group(1), line, line))
        elif not _FOREIGN.search(line):
            article, heading, body = sections[-1]
            sections[-1] = Section(article, heading, f"{body}\n{line}" if body else line)
    return [section for section in sections if section.text]


def split_official(text: str, lang: Lang) -> list[Section]:
    """Split a whole official file (header included) by the structure it has."""
    body = strip_front_matter(text)
    if lang == "en":
        return split_sections(body)
    return split_statute(body) or split_parts(body)


def _title(document: Document, section: Section, lang: Lang) -> str:
    """Heading of an official passage."""
    if not section.heading:
        return document.label(section.article, lang)
    return f"{document.short(lang)} {section.heading}"


def load_official_file(path: Path, document: Document) -> list[Passage]:
    """Read and split one official text into passages of kind "official".

    Raises:
        CorpusError: the file cannot be read, has no recognisable structure, or yields an article
            that documents.yaml does not list for the document.
    """
    lang: Lang = "en" if ".en." in path.name else "zh"
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CorpusError(f"{path}: cannot read official text: {exc}") from exc
    sections = split_official(text, lang)
    if not sections:
        raise CorpusError(f"{path}: no articles, parts or sections found")
    passages = []
    for section in sections:
        if not allows(document, section.article):
            raise CorpusError(f"{path}: article {section.article!r} is not an article of {document.id}")
        title = _title(document, section, lang)
        passages.append(make_passage(document, section.article, lang, "official", title, section.text))
    return passages


def load_official(folder: Path | None, documents: dict[str, Document]) -> list[Passage]:
    """Passages of every document whose `source_file` exists under `folder`; missing ones are skipped."""
    if folder is None:
        return []
    passages: list[Passage] = []
    for document in documents.values():
        if document.source_file and (folder / document.source_file).is_file():
            passages.extend(load_official_file(folder / document.source_file, document))
    return passages
