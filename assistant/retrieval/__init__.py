"""Retrieval: passages from notes and official texts, BM25 and dense search, citation lookup.

Nothing here loads a model, opens an index or reads the network at import time.
"""

from __future__ import annotations

from .corpus import load_passages
from .embeddings import Embedder, FakeEmbedder, LangchainEmbeddings, make_embedder
from .index import IndexReport, PassageIndex, build_index
from .lexical import LexicalIndex, tokenize
from .passages import Passage
from .search import Hit, Mode, Retriever

__all__ = [
    "Embedder",
    "FakeEmbedder",
    "Hit",
    "IndexReport",
    "LangchainEmbeddings",
    "LexicalIndex",
    "Mode",
    "Passage",
    "PassageIndex",
    "Retriever",
    "build_index",
    "load_passages",
    "make_embedder",
    "tokenize",
]
