"""Uploaded official texts (.docx, .pdf with a text layer, .txt) -> a "text" draft of articles, and back to passages.

The repository carries no official text; a help desk that holds one uploads it. The file is read, split into
articles by the same importer as `../shared`'s texts (`retrieval.official`: 款 and 项 stay inside their article),
given a document id and dates, and saved as a draft whose body is JSON (the document's metadata and its
articles). Once published, `published_passages` turns it into passages of kind "official", which
`retrieval.corpus.load_passages` adds to the corpus: the text is then searched and citable.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import logging
import re
import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any

from ..documents import Document
from ..errors import UploadError
from ..retrieval.official import split_official
from ..retrieval.passages import Lang, Passage, make_passage
from .sheets import ZIP_MAGIC, check_size, file_type

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from ..settings import Settings
    from .store import Version

log = logging.getLogger(__name__)

TEXT_TYPES: tuple[str, ...] = (".docx", ".pdf", ".txt")
"""The file types an official text may come in."""
DOC_ID = re.compile(r"^[a-z0-9][a-z0-9-]{2,59}$")
MAX_PDF_PAGES = 500
MAX_TEXT_CHARS = 2_000_000


@dataclass(frozen=True)
class TextMeta:
    """What the officer states of an uploaded text: its document id, language, titles, issuer and dates."""

    doc: str
    lang: Lang
    title_zh: str
    title_en: str
    issuer: str
    published: dt.date
    effective: dt.date
    short_zh: str = ""
    short_en: str = ""
    url: str | None = None


@dataclass(frozen=True)
class TextDraft:
    """An uploaded text ready to be a draft: its store name, JSON body, article ids and provenance."""

    name: str
    body: str
    articles: list[str]
    provenance: dict[str, str]


def extract_text(name: str, data: bytes, max_bytes: int) -> str:
    """The plain text of an uploaded file.

    Raises:
        UploadError: wrong type, too large, empty, binary, corrupt, or no text (a scanned PDF).
    """
    kind = file_type(name)
    if kind not in TEXT_TYPES:
        raise UploadError("wrong_type", f"{name}: not a text file", types=", ".join(TEXT_TYPES))
    check_size(name, data, max_bytes)
    if kind == ".txt":
        text = _plain(name, data)
    elif kind == ".docx":
        text = _docx(name, data)
    else:
        text = _pdf(name, data)
    text = text.replace("\x00", "")[:MAX_TEXT_CHARS]
    if not text.strip():
        raise UploadError("no_text", f"{name}: no text found")
    return text


def _plain(name: str, data: bytes) -> str:
    if b"\x00" in data[:4096]:
        raise UploadError("binary", f"{name}: not a text file")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UploadError("encoding", f"{name}: not UTF-8 or GB18030 text", encodings="utf-8, gb18030")


def _docx(name: str, data: bytes) -> str:
    import zipfile

    import docx
    from docx.opc.exceptions import PackageNotFoundError

    if not data.startswith(ZIP_MAGIC):
        raise UploadError("corrupt", f"{name}: not a real .docx file", kind=".docx")
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise UploadError("corrupt", f"{name}: cannot read the document ({exc})", kind=".docx") from None
    return "\n".join(p.text for p in document.paragraphs)


def _pdf(name: str, data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError, PyPdfError

    if not data.lstrip()[:5] == b"%PDF-":
        raise UploadError("corrupt", f"{name}: not a real .pdf file", kind=".pdf")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise UploadError("corrupt", f"{name}: the PDF is encrypted", kind=".pdf")
        pages = [page.extract_text() or "" for page in reader.pages[:MAX_PDF_PAGES]]
    except (PdfReadError, PyPdfError, OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise UploadError("corrupt", f"{name}: cannot read the PDF ({exc})", kind=".pdf") from None
    return "\n".join(pages)


def text_draft(
    meta: TextMeta, file_name: str, data: bytes, max_bytes: int, author: str, now: dt.datetime | None = None
) -> TextDraft:
    """Read and split an uploaded text into a draft body, with its provenance (who, when, file hash).

    Raises:
        UploadError: the file is refused, the document id is malformed, or no article is found.
    """
    if not DOC_ID.match(meta.doc):
        raise UploadError("bad_doc_id", f"bad document id {meta.doc!r}")
    text = extract_text(file_name, data, max_bytes)
    sections = split_official(text, meta.lang)
    if not sections:
        raise UploadError("no_articles", f"{file_name}: no articles, parts or sections found")
    when = now or dt.datetime.now(dt.UTC)
    body = {
        "doc": meta.doc,
        "lang": meta.lang,
        "title_zh": meta.title_zh.strip()[:300],
        "title_en": meta.title_en.strip()[:300],
        "short_zh": (meta.short_zh or meta.title_zh).strip()[:120],
        "short_en": (meta.short_en or meta.title_en).strip()[:120],
        "issuer": meta.issuer.strip()[:300],
        "published": meta.published.isoformat(),
        "effective": meta.effective.isoformat(),
        "url": meta.url,
        "file": PurePath(file_name).name[:200],
        "articles": [{"article": s.article, "heading": s.heading, "text": s.text} for s in sections],
    }
    provenance = {
        "file": PurePath(file_name).name[:200],
        "sha256": hashlib.sha256(data).hexdigest(),
        "bytes": str(len(data)),
        "uploaded_by": author,
        "uploaded_at": when.isoformat(timespec="seconds"),
        "articles": str(len(sections)),
    }
    name = meta.doc if meta.lang == "zh" else f"{meta.doc}.en"
    return TextDraft(
        name=name,
        body=json.dumps(body, ensure_ascii=False, indent=1),
        articles=[s.article for s in sections],
        provenance=provenance,
    )


def passages_from_body(body: str, documents: dict[str, Document]) -> list[Passage]:
    """The passages of a text draft's body (an unreadable body gives none).

    A document of the registry keeps its metadata and gains the uploaded article ids; a new document id is
    described by the upload itself.
    """
    try:
        raw: dict[str, Any] = json.loads(body)
        lang: Lang = "en" if raw.get("lang") == "en" else "zh"
        articles = [(str(a["article"]), str(a.get("heading", "")), str(a["text"])) for a in raw["articles"]]
        ids = [a for a, _, _ in articles]
        known = documents.get(str(raw["doc"]))
        if known is not None:
            document = known
            if not known.from_rule_packs:
                document = known.model_copy(update={"articles": sorted(set(ids) | known.fixed_articles)})
                document.__dict__.pop("fixed_articles", None)  # the cached set of the original
        else:
            document = Document(
                id=str(raw["doc"]),
                title_zh=str(raw["title_zh"]),
                title_en=str(raw["title_en"]),
                short_en=str(raw.get("short_en") or raw["title_en"]),
                short_zh=str(raw.get("short_zh") or raw["title_zh"]),
                issuer=str(raw["issuer"]),
                published=dt.date.fromisoformat(str(raw["published"])),
                effective=dt.date.fromisoformat(str(raw["effective"])),
                url=raw.get("url"),
                articles=ids,
                source_file=None,
            )
    except (ValueError, KeyError, TypeError) as exc:
        del exc
        return []
    passages = []
    for article, heading, text in articles:
        title = f"{document.short(lang)} {heading}" if heading else document.label(article, lang)
        passages.append(make_passage(document, article, lang, "official", title, text))
    return passages


def published_passages(settings: Settings, documents: dict[str, Document]) -> list[Passage]:
    """The passages of every published text in the knowledge store (none when the database has no store yet).

    Read without migrating: loading the corpus never creates or changes a database.
    """
    versions = published_texts(settings) or []
    return [p for v in versions for p in passages_from_body(v.body, documents)]


def published_texts(settings: Settings, engine: Engine | None = None) -> list[Version] | None:
    """The text versions in force, or None when the database (or its knowledge tables) is not there yet.

    `engine`: an open engine on the settings' database to read with (else one is opened and closed here).
    """
    from sqlalchemy.exc import SQLAlchemyError

    from .store import KnowledgeStore

    own = engine is None
    engine = engine or _engine(settings)
    if engine is None:
        return None
    try:
        return KnowledgeStore(engine).published("text")
    except SQLAlchemyError:
        return None
    finally:
        if own:
            engine.dispose()


def _engine(settings: Settings) -> Engine | None:
    """An engine on the settings' audit database, or None when it does not exist yet (never created here)."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    from ..casefile.audit import open_engine
    from ..errors import ConfigurationError

    url = settings.audit_database_url()
    try:
        parsed = make_url(url)
    except ArgumentError:
        return None
    if parsed.get_backend_name() == "sqlite" and (not parsed.database or not Path(parsed.database).is_file()):
        return None
    try:
        return open_engine(url)
    except ConfigurationError:
        return None


class TextWatch:
    """Refresh a server's search index when the published texts change, whichever replica published them.

    Every `every` seconds it reads which text versions are in force; when that set changes (a publish or a
    rollback anywhere on the shared database) it calls `refresh` (the retriever's background `start_refresh`).
    The first reading is the baseline: the index built at start already holds those texts.
    """

    def __init__(self, settings: Settings, refresh: Callable[[], object], every: float) -> None:
        """Watch the texts of `settings`' database and call `refresh` on a change."""
        self.settings = settings
        self.refresh = refresh
        self.every = max(0.5, every)
        self._seen: tuple[int, ...] | None = None
        self._engine: Engine | None = None

    def alive(self) -> bool:
        """Whether what the watch refreshes still exists (a weakly held retriever may be gone)."""
        return True

    def check(self) -> bool:
        """Read the texts in force once; call `refresh` and return True when they changed since the last read."""
        if self._engine is None:
            self._engine = _engine(self.settings)  # kept: one connection pool for the watch's life
        versions = published_texts(self.settings, self._engine) if self._engine is not None else None
        now = tuple(sorted(v.id for v in versions or []))
        changed = self._seen is not None and now != self._seen
        self._seen = now
        if changed:
            self.refresh()
        return changed

    def start(self) -> threading.Thread:
        """Check in a daemon thread for as long as the process runs."""

        def loop() -> None:
            while self.alive():
                try:
                    self.check()
                except Exception as exc:  # a database hiccup must not end the watch
                    log.warning("cannot read the published texts: %s", exc)
                time.sleep(self.every)

        thread = threading.Thread(target=loop, name="text-watch", daemon=True)
        thread.start()
        return thread


class _WeakWatch(TextWatch):
    """A watch that holds its retriever weakly and ends with it (an app built and dropped, as in tests)."""

    def __init__(self, settings: Settings, retriever: object, every: float) -> None:
        self._method = weakref.WeakMethod(retriever.start_refresh)  # type: ignore[attr-defined]
        super().__init__(settings, self._call, every)

    def _call(self) -> object:
        method = self._method()
        return method() if method is not None else None

    def alive(self) -> bool:
        return self._method() is not None


def watch_texts(settings: Settings, retriever: object) -> TextWatch:
    """Start refreshing `retriever`'s index (its `start_refresh`) when the published texts change; the watch ends
    when the retriever is dropped."""
    watch = _WeakWatch(settings, retriever, settings.knowledge_poll_seconds)
    watch.start()
    return watch
