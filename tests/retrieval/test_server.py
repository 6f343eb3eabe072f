"""The same index against a real Chroma server (HttpClient), when ASSISTANT_TEST_CHROMA_URL names one.

Start one with `export ASSISTANT_TEST_CHROMA_URL="$(scripts/chroma_server.sh start /tmp/chroma)"`.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

from assistant.retrieval.index import PassageIndex, build_index
from assistant.retrieval.search import Retriever
from assistant.settings import Settings

from .conftest import CountingEmbedder

URL = os.environ.get("ASSISTANT_TEST_CHROMA_URL")

pytestmark = [
    pytest.mark.server,
    pytest.mark.skipif(not URL, reason="ASSISTANT_TEST_CHROMA_URL is not set (no Chroma server to test against)"),
]


@pytest.fixture
def server(small_corpus: Settings) -> Iterator[Settings]:
    """The small corpus indexed on the server, in a collection of its own that is dropped afterwards."""
    settings = small_corpus.model_copy(update={"chroma_url": URL, "chroma_collection": f"t{uuid.uuid4().hex[:12]}"})
    yield settings
    index = PassageIndex(settings, CountingEmbedder())
    try:
        index.client.delete_collection(index.name)
    finally:
        index.close()


def test_server_ingestion_is_idempotent(server: Settings, counting: CountingEmbedder) -> None:
    assert build_index(server, embedder=counting, progress=False).added == 7
    second = build_index(server, embedder=counting, progress=False)
    assert (second.added, second.skipped, second.deleted) == (0, 7, 0)
    assert counting.embedded == 7
    assert not (server.data_dir / "chroma").exists()  # nothing embedded locally


def test_server_removed_notes_leave_the_index(server: Settings, counting: CountingEmbedder) -> None:
    build_index(server, embedder=counting, progress=False)
    (server.corpus_dir / "notes" / "cbdf-provisions-2024.yaml").unlink()
    report = build_index(server, embedder=counting, progress=False)
    assert (report.added, report.skipped, report.deleted) == (0, 3, 4)


def test_server_search(server: Settings, counting: CountingEmbedder) -> None:
    retriever = Retriever(server, embedder=counting)
    try:
        hits = retriever.search("sensitive personal information of 10,000 people", k=2)
        assert hits[0].passage.article == "7" and hits[0].methods == ["bm25", "dense"]
        assert {h.passage.article for h in retriever.search("数据", k=5, article="2", mode="dense")} == {"2"}
    finally:
        retriever.close()
