"""The dense index in a real embedded Chroma (PersistentClient in tmp_path): content-addressed ingestion."""

from __future__ import annotations

import pytest

from assistant.cli.index import index_command, search_command
from assistant.errors import ConfigurationError, RetrievalError
from assistant.retrieval.corpus import load_passages
from assistant.retrieval.embeddings import FakeEmbedder
from assistant.retrieval.index import PassageIndex, build_index, collection_name, where_filter
from assistant.settings import Settings

from .conftest import NOTES, CountingEmbedder


def test_second_run_embeds_nothing(small_corpus: Settings, counting: CountingEmbedder) -> None:
    first = build_index(small_corpus, embedder=counting, progress=False)
    assert (first.added, first.skipped, first.deleted, first.total) == (7, 0, 0, 7)
    assert counting.embedded == 7
    second = build_index(small_corpus, embedder=counting, progress=False)
    assert (second.added, second.skipped, second.deleted) == (0, 7, 0)
    assert counting.embedded == 7
    assert (small_corpus.data_dir / "chroma").is_dir()


def test_removed_note_file_leaves_the_index(small_corpus: Settings, counting: CountingEmbedder) -> None:
    build_index(small_corpus, embedder=counting, progress=False)
    (small_corpus.corpus_dir / "notes" / "cbdf-provisions-2024.yaml").unlink()
    report = build_index(small_corpus, embedder=counting, progress=False)
    assert (report.added, report.skipped, report.deleted) == (0, 3, 4)
    index = PassageIndex(small_corpus, counting)
    try:
        assert index.ids() == {p.id for p in load_passages(small_corpus)}
    finally:
        index.close()


def test_edited_note_re_embeds_only_that_passage(small_corpus: Settings, counting: CountingEmbedder) -> None:
    build_index(small_corpus, embedder=counting, progress=False)
    notes = small_corpus.corpus_dir / "notes" / "cbdf-provisions-2024.yaml"
    notes.write_text(NOTES.replace("or any important data.", "or important data."), encoding="utf-8")
    report = build_index(small_corpus, embedder=counting, progress=False)
    assert (report.added, report.skipped, report.deleted) == (1, 6, 1)
    assert counting.embedded == 8


def test_vectors_come_from_our_embedder_never_chroma_default(small_corpus: Settings) -> None:
    index = PassageIndex(small_corpus, FakeEmbedder(dim=32))
    try:
        index.sync(load_passages(small_corpus), progress=False)
        stored = index.client.get_collection(index.name).get(include=["embeddings"])
        assert {len(vector) for vector in stored["embeddings"]} == {32}  # Chroma's default model gives 384
    finally:
        index.close()


def test_collection_name_includes_the_embedder(small_corpus: Settings) -> None:
    assert collection_name(small_corpus, FakeEmbedder()) == "passages-fake"
    named = small_corpus.model_copy(update={"chroma_collection": "test run/1"})
    assert collection_name(named, FakeEmbedder()) == "test-run-1-fake"


def test_dense_search_filters_by_doc_and_article(small_corpus: Settings) -> None:
    index = PassageIndex(small_corpus, FakeEmbedder())
    try:
        passages = {p.id: p for p in load_passages(small_corpus)}
        index.sync(list(passages.values()), progress=False)
        found = index.search("important data security assessment", 3)
        assert len(found) == 3 and all(-1.0 <= score <= 1.0 for _, score in found)
        assert [score for _, score in found] == sorted((score for _, score in found), reverse=True)
        only8 = index.search("important data", 10, doc="cbdf-provisions-2024", article="8")
        assert {passages[pid].article for pid, _ in only8} == {"8"}
        assert index.search("important data", 10, doc="pipl-2021") == []
    finally:
        index.close()


def test_where_filter() -> None:
    assert where_filter(None, None) is None
    assert where_filter("d", None) == {"doc": "d"}
    assert where_filter("d", "7") == {"$and": [{"doc": "d"}, {"article": "7"}]}


def test_index_command_prints_counts(small_corpus: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    settings = small_corpus.model_copy(update={"embedder": "fake"})
    assert index_command(settings) == 0
    assert index_command(settings) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == ["added 7, skipped 0, deleted 0", "added 0, skipped 7, deleted 0"]


def test_index_command_reports_a_bad_corpus(small_corpus: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    (small_corpus.corpus_dir / "notes" / "cbdf-provisions-2024.yaml").write_text("doc: [", encoding="utf-8")
    assert index_command(small_corpus) == 1
    assert "cbdf-provisions-2024.yaml: cannot read YAML" in capsys.readouterr().err


def test_bad_chroma_url_is_a_configuration_error(small_corpus: Settings) -> None:
    with pytest.raises(ConfigurationError, match="chroma_url"):
        PassageIndex(small_corpus.model_copy(update={"chroma_url": "localhost:8000"}), FakeEmbedder())


def test_unreachable_chroma_server_is_a_retrieval_error(small_corpus: Settings) -> None:
    # Port 9 (discard) on the loopback interface: nothing listens there.
    with pytest.raises(RetrievalError, match="cannot reach the Chroma server"):
        PassageIndex(small_corpus.model_copy(update={"chroma_url": "http://127.0.0.1:9"}), FakeEmbedder())


def test_search_command_prints_ranked_articles(small_corpus: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    assert search_command(small_corpus, "处理者 标准合同", k=2, mode="bm25") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("1. ") and "[bm25] cbdf-provisions-2024 8 (note, zh)" in lines[0]
    assert len(lines) == 2
