"""The Retriever: modes, reciprocal rank fusion, one hit per article, filters and citation lookup."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from assistant.errors import CitationError, UserError
from assistant.retrieval.corpus import load_passages
from assistant.retrieval.passages import Passage, passage_id
from assistant.retrieval.search import FURTHER_PASSAGES, RRF_K, WEIGHTS, Retriever, fuse
from assistant.settings import Settings

from .conftest import CountingEmbedder


def _p(doc: str, article: str, lang: str = "en", kind: str = "note", text: str = "") -> Passage:
    text = text or f"{doc} {article} {lang} {kind}"
    return Passage(
        id=passage_id(doc, article, lang, kind, "t", text),
        doc=doc,
        article=article,
        lang=lang,  # type: ignore[arg-type]
        kind=kind,  # type: ignore[arg-type]
        title="t",
        text=text,
    )


A_EN, A_ZH, B, C = _p("d", "1"), _p("d", "1", "zh"), _p("d", "2"), _p("e", "1")


def test_fusion_ranks_articles_found_by_both_methods_first() -> None:
    hits = fuse({"bm25": [(C, 9.0), (A_EN, 5.0), (B, 1.0)], "dense": [(A_ZH, 0.9), (B, 0.8)]}, k=5)
    assert [(h.passage.doc, h.passage.article) for h in hits] == [("d", "1"), ("d", "2"), ("e", "1")]
    assert hits[0].methods == ["bm25", "dense"] and hits[2].methods == ["bm25"]
    bm25, dense = WEIGHTS["bm25"], WEIGHTS["dense"]
    assert hits[0].score == pytest.approx(bm25 / (RRF_K + 2) + dense / (RRF_K + 1))
    # The article's representative is its passage with the best passage-level fused score.
    assert hits[0].passage == (A_EN if bm25 / (RRF_K + 2) > dense / (RRF_K + 1) else A_ZH)


def test_fusion_adds_the_evidence_of_an_articles_further_passages() -> None:
    a_official = _p("d", "1", "zh", "official")
    rankings = {"bm25": [(B, 3.0), (A_EN, 2.0), (A_ZH, 1.0), (a_official, 0.5)], "dense": [(C, 0.9)]}
    hits = fuse(rankings, k=5)  # type: ignore[arg-type]
    bm25 = WEIGHTS["bm25"]
    further = FURTHER_PASSAGES * bm25 * (1 / (RRF_K + 3) + 1 / (RRF_K + 4))
    assert hits[0].passage == A_EN
    assert hits[0].score == pytest.approx(bm25 / (RRF_K + 2) + further)
    # Three passages of article d/1 outweigh the single, better-ranked passage of d/2.
    assert [(h.passage.doc, h.passage.article) for h in hits][:2] == [("d", "1"), ("d", "2")]


def test_one_method_keeps_its_order_and_scores_one_hit_per_article() -> None:
    hits = fuse({"bm25": [(A_EN, 5.0), (A_ZH, 4.0), (B, 1.0)]}, k=5)
    assert [(h.passage, h.score) for h in hits] == [(A_EN, 5.0), (B, 1.0)]
    assert fuse({"bm25": [(A_EN, 5.0), (B, 1.0)]}, k=1)[0].passage == A_EN
    assert fuse({}, k=3) == []


@pytest.fixture
def retriever(small_corpus: Settings, counting: CountingEmbedder) -> Iterator[Retriever]:
    """A retriever over the small corpus with the counting fake embedder."""
    r = Retriever(small_corpus, embedder=counting)
    yield r
    r.close()


@pytest.mark.parametrize("mode", ["bm25", "dense", "hybrid"])
def test_modes_find_the_article(retriever: Retriever, mode: str) -> None:
    hits = retriever.search("sensitive personal information of 10,000 people: security assessment", mode=mode)  # type: ignore[arg-type]
    assert (hits[0].passage.doc, hits[0].passage.article) == ("cbdf-provisions-2024", "7")
    keys = [(h.passage.doc, h.passage.article) for h in hits]
    assert len(keys) == len(set(keys))
    expected = {"bm25": ["bm25"], "dense": ["dense"], "hybrid": ["bm25", "dense"]}[mode]
    assert hits[0].methods == expected


def test_bm25_mode_never_opens_the_dense_index(small_corpus: Settings, counting: CountingEmbedder) -> None:
    r = Retriever(small_corpus.model_copy(update={"retrieval_mode": "bm25"}), embedder=counting)
    assert r.search("标准合同", k=1)[0].passage.article == "8"
    assert r._dense is None and counting.embedded == 0
    assert not (small_corpus.data_dir / "chroma").exists()


def test_first_dense_search_builds_the_index_once(retriever: Retriever, counting: CountingEmbedder) -> None:
    retriever.search("important data", mode="dense")
    retriever.search("standard contract", mode="dense")
    assert counting.embedded == 7


@pytest.mark.parametrize("mode", ["bm25", "dense", "hybrid"])
def test_filters(retriever: Retriever, mode: str) -> None:
    by_article = retriever.search("数据", k=10, article="2", mode=mode)  # type: ignore[arg-type]
    assert {(h.passage.doc, h.passage.article) for h in by_article} == {("cbdf-provisions-2024", "2")}
    assert retriever.search("数据", k=10, doc="pipl-2021", mode=mode) == []  # type: ignore[arg-type]


def test_resolve_prefers_official_then_notes(retriever: Retriever) -> None:
    found = retriever.resolve("cbdf-provisions-2024", "2")
    assert [p.kind for p in found] == ["official"]
    found = retriever.resolve("cbdf-provisions-2024", "7")
    assert [(p.kind, p.lang) for p in found] == [("note", "en"), ("note", "zh")]


@pytest.mark.parametrize(("doc", "article"), [("cbdf-provisions-2024", "99"), ("no-such-doc", "1")])
def test_resolve_unknown_pair_raises(retriever: Retriever, doc: str, article: str) -> None:
    with pytest.raises(CitationError, match=f"{doc}.*{article}") as info:
        retriever.resolve(doc, article)
    assert isinstance(info.value, UserError)


def test_the_project_corpus_resolves_official_before_notes() -> None:
    settings = Settings()
    r = Retriever(settings, passages=load_passages(settings))
    found = r.resolve("cbdf-provisions-2024", "7")
    if settings.official_path() is not None:
        assert found[0].kind == "official" and found[0].text.startswith("第七条")
    assert {p.kind for p in found} >= {"note"}


def test_concurrent_first_searches_build_the_index_once(retriever: Retriever, counting: CountingEmbedder) -> None:
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda q: retriever.search(q, k=1), ["数据", "标准合同", "important data", "认证"]))
    assert all(len(hits) == 1 for hits in results)
    assert counting.embedded == 7
