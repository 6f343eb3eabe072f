"""The Retriever: BM25, dense or hybrid search over passages, ranked per article, and citation lookup."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, Field

from ..errors import CitationError
from ..settings import Settings
from .corpus import load_passages
from .embeddings import Embedder
from .index import PassageIndex
from .lexical import LexicalIndex, spell_out
from .passages import Passage

Mode = Literal["bm25", "dense", "hybrid"]
Method = Literal["bm25", "dense"]

RRF_K = 5
"""The rank offset of reciprocal rank fusion: a passage at rank r of a method adds weight / (RRF_K + r).

Small, so the first ranks weigh much more than the tail (tuned on the even-numbered evaluation queries)."""

FURTHER_PASSAGES = 0.5
"""Weight of an article's further passages (after its best one) in each method's evidence for it.

An article has up to three passages (official text, English note, Chinese note); when several of them
rank, the article is better supported than by its best passage alone."""

WEIGHTS: dict[Method, float] = {"bm25": 1.0, "dense": 0.5}
"""Weight of each method in hybrid fusion: BM25 (jieba words, glossary concepts shared by the two
languages, note keywords) is the stronger ranker on this corpus; dense search adds paraphrase recall."""

CANDIDATES = 50
"""Passages each method contributes before ranking per article (at least 10 k)."""


class Hit(BaseModel):
    """One search result: the best passage of one article, its score and the methods that found it."""

    passage: Passage
    score: float = Field(description="BM25 score, cosine similarity, or fused RRF score (hybrid).")
    methods: list[Method] = Field(description="The methods whose candidates held this article.")


Ranking = list[tuple[Passage, float]]
Key = tuple[str, str]


def _single(ranking: Ranking, method: Method, k: int) -> list[Hit]:
    """One method's ranking, one hit per article: its best passage, with the method's own score."""
    hits: dict[Key, Hit] = {}
    for passage, score in ranking:
        key = (passage.doc, passage.article)
        if key not in hits:
            hits[key] = Hit(passage=passage, score=score, methods=[method])
    return list(hits.values())[:k]


def fuse(rankings: dict[Method, Ranking], k: int) -> list[Hit]:
    """Rank articles by reciprocal rank fusion over all their passages.

    With one method the result is that method's order and scores. With several, each passage at rank
    r of a method adds WEIGHTS[method] / (RRF_K + r) to its article: per method, the article's best
    passage counts fully and its further passages with FURTHER_PASSAGES; the methods' evidence is
    summed. Each article is represented by its passage with the highest fused score.
    """
    if len(rankings) == 1:
        ((method, ranking),) = rankings.items()
        return _single(ranking, method, k)
    article_score: dict[Key, float] = {}
    found_by: dict[Key, list[Method]] = {}
    passage_score: dict[str, float] = {}
    passages: dict[str, Passage] = {}
    for method, ranking in rankings.items():
        weight = WEIGHTS.get(method, 1.0)
        evidence: dict[Key, list[float]] = {}
        for rank, (passage, _) in enumerate(ranking, start=1):
            contribution = weight / (RRF_K + rank)
            evidence.setdefault((passage.doc, passage.article), []).append(contribution)
            passage_score[passage.id] = passage_score.get(passage.id, 0.0) + contribution
            passages[passage.id] = passage
        for key, parts in evidence.items():
            # Contributions come in rank order, so the first is the article's best passage.
            article_score[key] = article_score.get(key, 0.0) + parts[0] + FURTHER_PASSAGES * sum(parts[1:])
            found_by.setdefault(key, []).append(method)
    best: dict[Key, Passage] = {}
    for pid, passage in passages.items():
        key = (passage.doc, passage.article)
        if key not in best or passage_score[pid] > passage_score[best[key].id]:
            best[key] = passage
    order = sorted(article_score, key=lambda key: -article_score[key])
    return [Hit(passage=best[key], score=article_score[key], methods=found_by[key]) for key in order[:k]]


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
        self._by_article: dict[tuple[str, str], list[Passage]] = {}
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
            # The embedding model may not know the field's abbreviations (CIIO, SCC, 关基): spell them out.
            found = self.dense.search(spell_out(query), depth, doc, article)
            rankings["dense"] = [(self.by_id[pid], score) for pid, score in found if pid in self.by_id]
        return fuse(rankings, k)

    def resolve(self, doc: str, article: str) -> list[Passage]:
        """The passages of one article: official texts first, then the project's notes.

        Raises:
            CitationError: no passage has this (document, article) pair.
        """
        with self._lock:
            if not self._by_article:
                for passage in sorted(self.passages, key=lambda p: p.kind != "official"):
                    self._by_article.setdefault((passage.doc, passage.article), []).append(passage)
        found = self._by_article.get((doc, article))
        if not found:
            raise CitationError(f"no passage for document {doc!r}, article {article!r}")
        return list(found)


def _matches(passage: Passage, doc: str | None, article: str | None) -> bool:
    """Whether a passage passes the doc and article filters."""
    return (doc is None or passage.doc == doc) and (article is None or passage.article == article)
