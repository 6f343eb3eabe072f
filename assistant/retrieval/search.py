"""The Retriever: BM25, dense or hybrid search over passages, ranked per article, and citation lookup."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, Field

from ..errors import CitationError
from ..settings import Settings
from .embeddings import Embedder
from .index import PassageIndex
from .lexical import LexicalIndex
from .passages import Passage, load_passages

Mode = Literal["bm25", "dense", "hybrid"]
Method = Literal["bm25", "dense"]

RRF_K = 60
"""The constant of reciprocal rank fusion: score = sum over methods of 1 / (RRF_K + rank)."""

CANDIDATES = 50
"""Passages each method contributes before ranking per article (at least 10 k)."""


class Hit(BaseModel):
    """One search result: the best passage of one article, its score and the methods that found it."""

    passage: Passage
    score: float = Field(description="BM25 score, cosine similarity, or fused RRF score (hybrid).")
    methods: list[Method] = Field(description="The methods whose candidates held this article.")


Ranking = list[tuple[Passage, float]]


def _per_article(ranking: Ranking) -> dict[tuple[str, str], int]:
    """The 1-based rank of each (doc, article) in a passage ranking: the rank of its best passage."""
    ranks: dict[tuple[str, str], int] = {}
    for passage, _ in ranking:
        ranks.setdefault((passage.doc, passage.article), len(ranks) + 1)
    return ranks


def fuse(rankings: dict[Method, Ranking], k: int) -> list[Hit]:
    """Rank articles by reciprocal rank fusion of per-method article ranks.

    With one method the result is that method's order and scores. Each article is represented by
    its passage with the highest passage-level fused score.
    """
    article_score: dict[tuple[str, str], float] = {}
    found_by: dict[tuple[str, str], list[Method]] = {}
    best: dict[tuple[str, str], tuple[float, Passage]] = {}
    for method, ranking in rankings.items():
        for key, rank in _per_article(ranking).items():
            article_score[key] = article_score.get(key, 0.0) + 1.0 / (RRF_K + rank)
            found_by.setdefault(key, []).append(method)
    passage_score: dict[str, float] = {}
    for ranking in rankings.values():
        for rank, (passage, _) in enumerate(ranking, start=1):
            passage_score[passage.id] = passage_score.get(passage.id, 0.0) + 1.0 / (RRF_K + rank)
            key = (passage.doc, passage.article)
            if key not in best or passage_score[passage.id] > best[key][0]:
                best[key] = (passage_score[passage.id], passage)
    if len(rankings) == 1:
        (ranking,) = rankings.values()
        raw = {passage.id: score for passage, score in ranking}
        order = list(_per_article(ranking))
        return [Hit(passage=best[key][1], score=raw[best[key][1].id], methods=found_by[key]) for key in order][:k]
    order = sorted(article_score, key=lambda key: -article_score[key])
    return [Hit(passage=best[key][1], score=article_score[key], methods=found_by[key]) for key in order][:k]


class Retriever:
    """Search and citation lookup over the whole corpus; indexes build on first use."""

    def __init__(
        self,
        settings: Settings,
        *,
        embedder: Embedder | None = None,
        passages: Sequence[Passage] | None = None,
    ) -> None:
        """Prepare a retriever; nothing is read, loaded or embedded until the first call.

        Args:
            settings: corpus, official texts, index location, embedder and `retrieval_mode`.
            embedder: overrides the embedder that `settings` names.
            passages: overrides the corpus (tests); by default it is loaded from `settings`.
        """
        self.settings = settings
        self.mode: Mode = settings.retrieval_mode
        self._embedder = embedder
        self._passages = list(passages) if passages is not None else None
        self._by_id: dict[str, Passage] = {}
        self._lexical: LexicalIndex | None = None
        self._dense: PassageIndex | None = None
        # The app searches from several threads; the lazy loads below must run once.
        self._lock = threading.RLock()

    @property
    def passages(self) -> list[Passage]:
        """Every passage of the corpus, loaded on first use."""
        with self._lock:
            if self._passages is None:
                self._passages = load_passages(self.settings)
            return self._passages

    @property
    def by_id(self) -> dict[str, Passage]:
        """Passages by id."""
        with self._lock:
            if not self._by_id:
                self._by_id = {passage.id: passage for passage in self.passages}
            return self._by_id

    @property
    def lexical(self) -> LexicalIndex:
        """The BM25 index, built on first use."""
        with self._lock:
            if self._lexical is None:
                self._lexical = LexicalIndex(self.passages)
            return self._lexical

    @property
    def dense(self) -> PassageIndex:
        """The dense index, opened and brought up to date with the corpus on first use."""
        with self._lock:
            if self._dense is None:
                index = PassageIndex(self.settings, self._embedder)
                index.sync(self.passages, progress=False)
                self._dense = index
            return self._dense

    def close(self) -> None:
        """Release the dense index's client, if it was opened."""
        with self._lock:
            if self._dense is not None:
                self._dense.close()
                self._dense = None

    def search(
        self,
        query: str,
        k: int = 5,
        doc: str | None = None,
        article: str | None = None,
        *,
        mode: Mode | None = None,
    ) -> list[Hit]:
        """Find the articles that best answer `query`, one hit (its best passage) per article.

        Args:
            query: the question, in Chinese, English or both.
            k: the number of articles to return.
            doc: only passages of this document id.
            article: only passages of this article (of any document unless `doc` is given).
            mode: overrides `settings.retrieval_mode` for this call.

        Returns:
            At most `k` hits, best first.

        Raises:
            CorpusError: the corpus is malformed (first call only).
            RetrievalError: the dense index or the embedder failed.
        """
        mode = mode or self.mode
        depth = max(CANDIDATES, 10 * k)
        rankings: dict[Method, Ranking] = {}
        if mode in ("bm25", "hybrid"):
            rankings["bm25"] = self.lexical.search(query, depth, lambda p: _matches(p, doc, article))
        if mode in ("dense", "hybrid"):
            found = self.dense.search(query, depth, doc, article)
            rankings["dense"] = [(self.by_id[pid], score) for pid, score in found if pid in self.by_id]
        return fuse(rankings, k)

    def resolve(self, doc: str, article: str) -> list[Passage]:
        """The passages of one article: official texts first, then the project's notes.

        Raises:
            CitationError: no passage has this (document, article) pair.
        """
        found = [p for p in self.passages if p.doc == doc and p.article == article]
        if not found:
            raise CitationError(f"no passage for document {doc!r}, article {article!r}")
        return sorted(found, key=lambda passage: passage.kind != "official")


def _matches(passage: Passage, doc: str | None, article: str | None) -> bool:
    """Whether a passage passes the doc and article filters."""
    return (doc is None or passage.doc == doc) and (article is None or passage.article == article)
