"""The whole corpus as passages: official texts (when configured), texts the help desk published, and the
project's notes."""

from __future__ import annotations

from ..documents import load_registry
from ..settings import Settings
from .official import load_official
from .passages import Passage, load_notes


def load_passages(settings: Settings) -> list[Passage]:
    """Every passage of the corpus: official texts (when configured), published uploads and notes, without duplicates.

    Args:
        settings: where the corpus and the official texts are.

    Returns:
        Official passages, then notes, each in source order; ids are unique.

    Raises:
        CorpusError: documents.yaml, a notes file or an official text is malformed.
    """
    documents = load_registry(settings.corpus_dir / "documents.yaml").documents
    from ..knowledge.texts import published_passages  # here: the knowledge package imports retrieval

    passages = load_official(settings.official_path(), documents) + published_passages(settings, documents)
    passages += load_notes(settings.corpus_dir, documents)
    unique: dict[str, Passage] = {}
    for passage in passages:
        unique.setdefault(passage.id, passage)
    return list(unique.values())
