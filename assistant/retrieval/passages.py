"""Passages, the unit of retrieval: the project's notes and the official texts, article by article."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..documents import Document
from ..errors import CorpusError

Lang = Literal["zh", "en"]
Kind = Literal["official", "note"]


class Passage(BaseModel):
    """One article (or part, section, list item) of one document, in one language, of one kind."""

    model_config = ConfigDict(frozen=True)

    id: str = Field(description="Content hash: the same content always gets the same id.")
    doc: str = Field(description="Document id of the contract (corpus/documents.yaml).")
    article: str = Field(description='Article number as digits ("7"), or a part, section or item id.')
    lang: Lang
    kind: Kind = Field(description="official: read from the official text; note: the project's own note.")
    title: str = Field(description="Heading shown with the passage: document, article and topic.")
    text: str
    keywords: tuple[str, ...] = Field(
        default=(), description="Notes only: terms and plain-language synonyms indexed with the passage, never shown."
    )
    doc_title: str = Field(
        default="", description="Title of the document in the passage's language (searched, not embedded)."
    )
    issuer: str | None = None
    published: dt.date | None = None
    effective: dt.date | None = None
    url: str | None = None
    superseded: bool = False
    superseded_by: str | None = None

    @property
    def content(self) -> str:
        """The text that is indexed and embedded: the title, the text, then the keywords (if any) on one line."""
        if not self.keywords:
            return f"{self.title}\n{self.text}"
        return f"{self.title}\n{self.text}\n{keyword_line(self.lang, self.keywords)}"


class _NoteEntry(BaseModel):
    """One entry of a notes file."""

    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True)

    article: str = Field(min_length=1)
    title_en: str = Field(min_length=1)
    title_zh: str = Field(min_length=1)
    superseded: bool = False
    superseded_by: str | None = None
    en: str = Field(min_length=1)
    zh: str = Field(min_length=1)
    keywords_en: list[str] = Field(default_factory=list, max_length=20)
    keywords_zh: list[str] = Field(default_factory=list, max_length=20)

    @field_validator("keywords_en", "keywords_zh")
    @classmethod
    def _clean_keywords(cls, value: list[str]) -> list[str]:
        """Keywords are short, non-empty and unique."""
        cleaned = [str(keyword).strip() for keyword in value]
        if any(not keyword or len(keyword) > 60 for keyword in cleaned):
            raise ValueError("each keyword must be 1 to 60 characters")
        if len(set(cleaned)) != len(cleaned):
            raise ValueError("keywords must be unique")
        return cleaned


def keyword_line(lang: str, keywords: Sequence[str]) -> str:
    """The line of keywords added to an indexed passage."""
    return ("Keywords: " if lang == "en" else "关键词：") + "; ".join(keywords)


def passage_id(
    doc: str, article: str, lang: str, kind: str, title: str, text: str, keywords: Sequence[str] = ()
) -> str:
    """The content-addressed id: first 16 hex digits of sha256 over the passage's identity and all it embeds.

    Keywords join the hash only when there are some, so passages without keywords keep their ids. The
    document title (BM25 only, never embedded) is document metadata, like the issuer.
    """
    fields = (doc, article, lang, kind, title, text, *(("\x1f".join(keywords),) if keywords else ()))
    return hashlib.sha256("|".join(fields).encode("utf-8")).hexdigest()[:16]


def make_passage(
    document: Document,
    article: str,
    lang: Lang,
    kind: Kind,
    title: str,
    text: str,
    *,
    keywords: Sequence[str] = (),
    superseded: bool = False,
    superseded_by: str | None = None,
) -> Passage:
    """Build a passage with its id and the document's metadata joined."""
    return Passage(
        id=passage_id(document.id, article, lang, kind, title, text, keywords),
        doc=document.id,
        article=article,
        lang=lang,
        kind=kind,
        title=title,
        text=text,
        keywords=tuple(keywords),
        doc_title=document.title_en if lang == "en" else document.title_zh,
        issuer=document.issuer,
        published=document.published,
        effective=document.effective,
        url=document.url,
        superseded=superseded,
        superseded_by=superseded_by,
    )


def _first_error(exc: ValidationError) -> str:
    """A one-line summary of a validation error: field path and message."""
    err = exc.errors()[0]
    where = ".".join(str(part) for part in err["loc"]) or "(entry)"
    return f"{where}: {err['msg']}"


def allows(document: Document, article: str) -> bool:
    """Whether `article` can be an article id of `document` (any id for a list document)."""
    return bool(article) and (document.from_rule_packs or article in document.fixed_articles)


def note_titles(document: Document, article: str, title_en: str, title_zh: str) -> tuple[str, str]:
    """English and Chinese headings of a note: document and article label, then topic."""
    return f"{document.label(article, 'en')}: {title_en}", f"{document.label(article, 'zh')} {title_zh}"


def load_notes_file(path: Path, documents: dict[str, Document]) -> list[Passage]:
    """Load one notes file into passages, two per entry (English and Chinese).

    Raises:
        CorpusError: the file is malformed; the message names the file and the entry.
    """
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise CorpusError(f"{path}: cannot read YAML: {exc}") from exc
    if not isinstance(data, dict) or set(data) != {"doc", "entries"}:
        raise CorpusError(f"{path}: expected exactly the keys 'doc' and 'entries'")
    doc, entries = data["doc"], data["entries"]
    if doc not in documents:
        raise CorpusError(f"{path}: unknown document id {doc!r}")
    if path.stem != doc:
        raise CorpusError(f"{path}: file name must be {doc}.yaml")
    if not isinstance(entries, list):
        raise CorpusError(f"{path}: 'entries' must be a list")
    document = documents[doc]
    passages: list[Passage] = []
    seen: set[str] = set()
    for index, raw in enumerate(entries):
        label = f"entry {index}" + (f" (article {raw.get('article')})" if isinstance(raw, dict) else "")
        try:
            entry = _NoteEntry.model_validate(raw)
        except ValidationError as exc:
            raise CorpusError(f"{path}: {label}: {_first_error(exc)}") from exc
        if not allows(document, entry.article):
            raise CorpusError(f"{path}: {label}: article {entry.article!r} is not an article of {doc}")
        if entry.article in seen:
            raise CorpusError(f"{path}: {label}: duplicate article {entry.article!r}")
        seen.add(entry.article)
        title_en, title_zh = note_titles(document, entry.article, entry.title_en, entry.title_zh)
        versions: tuple[tuple[Lang, str, str, list[str]], ...] = (
            ("en", title_en, entry.en, entry.keywords_en),
            ("zh", title_zh, entry.zh, entry.keywords_zh),
        )
        for lang, title, text, keywords in versions:
            passages.append(
                make_passage(
                    document,
                    entry.article,
                    lang,
                    "note",
                    title,
                    text.strip(),
                    keywords=keywords,
                    superseded=entry.superseded,
                    superseded_by=entry.superseded_by,
                )
            )
    return passages


def load_notes(corpus_dir: Path, documents: dict[str, Document]) -> list[Passage]:
    """Load every corpus_dir/notes/*.yaml file, in file-name order."""
    passages: list[Passage] = []
    for path in sorted((corpus_dir / "notes").glob("*.yaml")):
        passages.extend(load_notes_file(path, documents))
    return passages
