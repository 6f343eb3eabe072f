"""Retrieval: passages from notes and official texts, BM25 and dense search, citation lookup.

Nothing here loads a model, opens an index or reads the network at import time.
"""

from __future__ import annotations

from .commands import index_command, search_command
from .embeddings import Embedder, FakeEmbedder, LangchainEmbeddings, make_embedder
from .index import IndexReport, PassageIndex, build_index
from .lexical import LexicalIndex, tokenize
from .passages import Passage, load_passages
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
    "index_command",
    "load_passages",
    "make_embedder",
    "search_command",
    "tokenize",
]
