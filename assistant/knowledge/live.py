"""What the help desk has published, as a running server sees it: polled, never pushed, so replicas agree.

Every server process keeps one `LiveKnowledge` per audit database. It reads the store's version stamp at most
every `knowledge_poll_seconds`; when the stamp moved, the rule book (shipped packs plus the published ones) and the
published cards are rebuilt on next use. Reading never migrates or creates the database: a database without the
knowledge tables (or no database yet) simply has nothing published. A published set that fails to load (it passed
the preview, so only a code change could do that) is logged and the last good rule book stays in force.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from ..errors import AssistantError
from ..rules import RuleBook, load_rulebook
from .store import KnowledgeStore, Version

if TYPE_CHECKING:
    from ..settings import Settings

log = logging.getLogger(__name__)

PublishedCards = tuple[int, list[tuple[str, str]], frozenset[str]]
"""(stamp, [(label, card YAML)] in force, names of retired cards): what `retrieval.cards.Cards` merges."""


def pack_label(version: Version) -> str:
    """How a published pack is named in problems and in `RuleBook.files`."""
    return f"knowledge version {version.id} ({version.name})"


class LiveKnowledge:
    """The stamp, rule book and cards in force, refreshed when the database says something was published."""

    def __init__(
        self,
        url: str,
        rules_dir: Path,
        documents_file: Path,
        poll_seconds: float = 3.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Nothing is read until first use."""
        self.url = url
        self.rules_dir = rules_dir
        self.documents_file = documents_file
        self.poll_seconds = poll_seconds
        self.clock = clock
        self._store: KnowledgeStore | None = None
        self._stamp = 0
        self._checked: float | None = None
        self._book: tuple[int, RuleBook, RuleBook] | None = None  # (stamp, base, book)
        self._cards: PublishedCards | None = None
        self._lock = threading.RLock()

    def stamp(self) -> int:
        """The version stamp, read from the database at most every `poll_seconds` (0: nothing published)."""
        with self._lock:
            now = self.clock()
            if self._checked is None or now - self._checked >= self.poll_seconds:
                self._checked = now
                self._stamp = self._read_stamp()
            return self._stamp

    def _read_stamp(self) -> int:
        store = self._open()
        if store is None:
            return 0
        try:
            return store.version_stamp()
        except SQLAlchemyError:  # no knowledge tables yet, or the database is briefly unreachable
            return self._stamp

    def _open(self) -> KnowledgeStore | None:
        if self._store is None:
            try:
                parsed = make_url(self.url)
            except ArgumentError:
                return None
            database = parsed.database or ""
            if parsed.get_backend_name() == "sqlite" and (database in ("", ":memory:") or not Path(database).is_file()):
                return None  # no audit database yet: nothing published, and nothing created by reading
            try:
                from ..casefile.audit import open_engine

                self._store = KnowledgeStore(open_engine(self.url))
            except AssistantError:
                return None
        return self._store

    def rulebook(self, base: RuleBook) -> RuleBook:
        """`base` (the shipped packs) with the published packs in force, rebuilt when the stamp moved."""
        stamp = self.stamp()
        if stamp == 0:
            return base
        with self._lock:
            if self._book is not None and self._book[0] == stamp and self._book[1] is base:
                return self._book[2]
            book = self._build(base)
            self._book = (stamp, base, book)
            return book

    def _build(self, base: RuleBook) -> RuleBook:
        store = self._open()
        if store is None:
            return base
        try:
            published = {pack_label(v): v.body for v in store.published("pack")}
            if not published:
                return base
            return load_rulebook(self.rules_dir, self.documents_file, published=published)
        except (AssistantError, SQLAlchemyError) as exc:
            log.error("published rule packs do not load; keeping the rule book in force: %s", exc)
            return self._book[2] if self._book is not None else base

    def cards(self) -> PublishedCards:
        """The published cards in force and the names of retired ones (for `Cards` to merge with the shipped)."""
        stamp = self.stamp()
        with self._lock:
            if self._cards is not None and self._cards[0] == stamp:
                return self._cards
            found: PublishedCards = (stamp, [], frozenset())
            store = self._open() if stamp else None
            if store is not None:
                try:
                    in_force = store.published("card")
                    retired = frozenset(store.retired("card"))
                    found = (stamp, [(f"knowledge version {v.id} ({v.name})", v.body) for v in in_force], retired)
                except SQLAlchemyError as exc:
                    log.error("cannot read the published cards: %s", exc)
                    found = self._cards or found
            self._cards = found
            return found

    def texts(self) -> list[Version]:
        """The official texts the help desk published, in force now (for the corpus to index)."""
        store = self._open() if self.stamp() else None
        try:
            return store.published("text") if store is not None else []
        except SQLAlchemyError as exc:
            log.error("cannot read the published texts: %s", exc)
            return []


def live_knowledge(settings: Settings) -> LiveKnowledge:
    """The one `LiveKnowledge` of this process for the settings' audit database and rule packs."""
    return _live(
        settings.audit_database_url(),
        settings.rules_path().resolve(),
        (settings.corpus_dir / "documents.yaml").resolve(),
        settings.knowledge_poll_seconds,
    )


@lru_cache(maxsize=8)
def _live(url: str, rules_dir: Path, documents_file: Path, poll_seconds: float) -> LiveKnowledge:
    return LiveKnowledge(url, rules_dir, documents_file, poll_seconds)
