"""The Retriever: BM25, dense or hybrid search over passages, ranked per article, and citation lookup."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, Field

from ..errors import CitationError
from ..settings import Settings
from .corpus import load_passages
from .embeddings import Embedder, make_embedder
from .index import BuildTracker, IndexReport, IndexStatus, PassageIndex, status_file
from .lexical import LexicalIndex, spell_out
from .passages import Passage
from .seeds import load_seed

log = logging.getLogger(__name__)

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
    """Search and citation lookup over the whole corpus.

    Citations and BM25 need only the passages; the dense index needs every passage embedded, which takes
    long on a first start. A server builds it in the background (`start_refresh`) and searches with BM25
    alone until the build completes, then with the hybrid, without a restart. Without a background build
    (the CLI, evaluations), the first dense search builds the index in place.
    """

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
        self._fixed = passages is not None
        self._passages = list(passages) if passages is not None else None
        self._by_id: dict[str, Passage] = {}
        self._by_article: dict[tuple[str, str], list[Passage]] = {}
        self._lexical: LexicalIndex | None = None
        self._dense: PassageIndex | None = None
        self.tracker = BuildTracker(status_file(settings))
        """The dense index's build state (read by /readyz, /metrics, the app and doctor)."""
        # The app searches from several threads; the lazy loads below must run once.
        self._lock = threading.RLock()
        self._refreshing = threading.Lock()
        self._again = threading.Event()
        self._background: threading.Thread | None = None

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
    def embedder(self) -> Embedder:
        """The embedding model of the dense index, also for the answer cards: it opens no Chroma, so an index
        outage does not stop them (the model itself loads on its first embedding)."""
        with self._lock:
            if self._embedder is None:
                self._embedder = make_embedder(self.settings)
            return self._embedder

    @property
    def dense(self) -> PassageIndex:
        """The dense index's collection, opened on first use; `refresh_index` fills it."""
        with self._lock:
            if self._dense is None:
                self._dense = PassageIndex(self.settings, self.embedder)
            return self._dense

    def index_status(self) -> IndexStatus:
        """The dense index's state: waiting, building (with its progress), ready or failed."""
        return self.tracker.status()

    def refresh_index(self, *, progress: bool | None = False) -> IndexReport:
        """Re-read the corpus (`load_passages`) and bring BM25 and the dense index up to date with it.

        Call it after the corpus changes at run time (a help desk publishes a text): BM25 and citations see
        the new passages at once; the dense index adds only passages it lacks. A first build shows as
        `building` (search uses BM25 alone meanwhile); a refresh of a ready index keeps the hybrid serving.
        Concurrent calls run one after another.

        Args:
            progress: a progress bar on stderr (True), none (False), or only on a terminal (None).

        Returns:
            What the dense build did.

        Raises:
            CorpusError: the corpus is malformed (the previous passages keep serving).
            RetrievalError: Chroma or the embedder failed (recorded in `index_status`; BM25 keeps serving).
        """
        with self._refreshing:
            try:
                if not self._fixed:
                    self._swap(load_passages(self.settings))
                passages = self.passages
                index = self.dense
                report = index.sync(
                    passages,
                    progress=progress,
                    tracker=self.tracker,
                    seed=lambda: load_seed(self.settings, index.embedder),
                )
            except Exception as exc:
                self.tracker.fail(f"{type(exc).__name__}: {exc}")
                raise
            self.tracker.finish()
            return report

    def expect_build(self) -> None:
        """A background build will start soon (`start_refresh`): until it completes, search uses BM25 alone
        instead of building the dense index in place."""
        with self._lock:
            if self.tracker.status().state == "waiting":
                self.tracker.begin(0)

    def start_refresh(self, *, progress: bool | None = None) -> threading.Thread:
        """`refresh_index` in a background thread; a failure is logged and kept in `index_status`, never raised.

        A call while a refresh runs makes that refresh run once more when it ends (the corpus changed again).

        Returns:
            The thread that refreshes (tests join it).
        """
        with self._lock:
            if self._background is not None and self._background.is_alive():
                self._again.set()
                return self._background
            self.expect_build()  # "building" before the thread runs: no search may build in place
            thread = threading.Thread(target=self._refresh_loop, args=(progress,), name="index-build", daemon=True)
            self._background = thread
        thread.start()
        return thread

    def _refresh_loop(self, progress: bool | None) -> None:
        while True:
            self._again.clear()
            try:
                report = self.refresh_index(progress=progress)
            except Exception as exc:
                log.error("search index build failed (answers use BM25 until a build succeeds): %s", exc)
            else:
                log.info(
                    "search index ready: %d passages (%d reused, %d embedded, %d deleted) in %.1f s",
                    report.total,
                    report.reused,
                    report.embedded,
                    report.deleted,
                    report.seconds,
                )
            if not self._again.is_set():
                return

    def _swap(self, passages: list[Passage]) -> None:
        """Serve `passages` from now on: BM25 is built first, then everything is replaced at once."""
        with self._lock:
            unchanged = self._passages is not None and [p.id for p in self._passages] == [p.id for p in passages]
        if unchanged:
            return
        lexical = LexicalIndex(passages)
        with self._lock:
            self._passages, self._lexical = passages, lexical
            self._by_id, self._by_article = {}, {}

    def _dense_ready(self) -> bool:
        """Whether dense search may run: after a build, or now, in place, when no background build runs."""
        if self.tracker.ready:
            return True
        state = self.tracker.status().state
        if state == "waiting":
            self.refresh_index()  # no server started a build: build now, as the first search always did
            return True
        return False  # building in the background, or failed: BM25 alone

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
            RetrievalError: the dense index or the embedder failed (a build in place, or the query's embedding).
        """
        mode = mode or self.mode
        if mode != "bm25" and not self._dense_ready():
            mode = "bm25"  # the dense index is building or failed: words alone, until it is ready
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
