"""The dense index: one Chroma collection per embedder, filled idempotently through langchain-chroma."""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel
from tqdm import tqdm

from ..errors import ConfigurationError, RetrievalError
from ..settings import Settings
from .corpus import load_passages
from .embeddings import Embedder, LangchainEmbeddings, make_embedder
from .passages import Passage

BATCH_SIZE = 64
"""Passages embedded and written per call; small enough for a smooth progress bar."""


class IndexReport(BaseModel):
    """What one ingestion run did to the collection."""

    collection: str
    added: int
    skipped: int
    deleted: int
    total: int


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

    def sync(self, passages: Sequence[Passage], *, progress: bool = True) -> IndexReport:
        """Make the collection hold exactly `passages`: embed only new ids, delete vanished ones.

        Args:
            passages: the whole current corpus (ids are content hashes).
            progress: show a progress bar on stderr while embedding.

        Returns:
            Counts of passages added, skipped (already there) and deleted.
        """
        current = {passage.id: passage for passage in passages}
        existing = self.ids()
        new = [passage for pid, passage in current.items() if pid not in existing]
        vanished = sorted(existing - current.keys())
        if vanished:
            self.store.delete(ids=vanished)
        bar = tqdm(
            total=len(new),
            desc=f"embedding ({self.embedder.name})",
            unit="passage",
            file=sys.stderr,
            disable=not progress or not new,
        )
        with bar:
            for start in range(0, len(new), BATCH_SIZE):
                batch = new[start : start + BATCH_SIZE]
                self.store.add_texts(
                    [passage.content for passage in batch],
                    metadatas=[passage_metadata(passage) for passage in batch],
                    ids=[passage.id for passage in batch],
                )
                bar.update(len(batch))
        return IndexReport(
            collection=self.name,
            added=len(new),
            skipped=len(current) - len(new),
            deleted=len(vanished),
            total=len(current),
        )

    def search(self, query: str, k: int, doc: str | None = None, article: str | None = None) -> list[tuple[str, float]]:
        """The ids of the `k` nearest passages with their cosine similarity, best first."""
        try:
            found = self.store.similarity_search_with_score(query, k=k, filter=where_filter(doc, article))
        except Exception as exc:
            raise RetrievalError(f"dense search failed in {self.name!r}: {exc}") from exc
        return [(document.id, 1.0 - distance) for document, distance in found if document.id]


def build_index(settings: Settings, *, embedder: Embedder | None = None, progress: bool = True) -> IndexReport:
    """Build or refresh the dense index from the corpus, embedding only what changed.

    Args:
        settings: corpus, official texts, data folder or Chroma server, and embedder.
        embedder: overrides the embedder that `settings` names (tests pass a fake one).
        progress: show a progress bar on stderr while embedding.

    Returns:
        The counts of passages added, skipped and deleted.

    Raises:
        CorpusError: a note or an official text is malformed.
        RetrievalError: Chroma or the embedder failed.
    """
    passages = load_passages(settings)
    index = PassageIndex(settings, embedder)
    try:
        return index.sync(passages, progress=progress)
    finally:
        index.close()
