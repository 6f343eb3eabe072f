"""The meaning model's clause vectors: a full cache never loses a vector the message being read needs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assistant.retrieval.embeddings import FakeEmbedder
from assistant.settings import Settings
from assistant.understanding.meaning import Exemplars, MeaningModel, exemplars_path


def test_a_full_cache_keeps_the_vectors_of_the_clauses_being_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = MeaningModel(FakeEmbedder(), Exemplars.load(exemplars_path(Settings())), tmp_path)
    monkeypatch.setattr("assistant.understanding.meaning.CACHE_SIZE", 2)
    old, other = "the payroll goes to the parent", "a courier needs the address"
    model.embed([old])
    model.embed([other])
    # the cache is full: `old` (the least recently used) is dropped when the new clauses come in
    vectors = model.embed([old, "the clinic sends lab results", "visa papers for the trip"])
    alone = FakeEmbedder().embed_documents([old, "the clinic sends lab results", "visa papers for the trip"])
    assert np.allclose(vectors, np.asarray(alone, dtype=np.float32), atol=1e-6)
    again = model.embed([other, other])
    assert again.shape == (2, vectors.shape[1])
