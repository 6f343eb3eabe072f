"""The help desk's knowledge: drafts of rule packs, official texts and answer cards, previewed, approved by a
second person, published as versions in the audit database and rolled back when needed.

`KnowledgeStore.from_settings(settings)` opens the store; `preview` says what a draft would change, `publish`
validates and publishes, and `live` hands the pipeline and the card retriever what is in force now.
"""

from __future__ import annotations

from .store import KIND, KINDS, Draft, Event, KnowledgeStore, Version

__all__ = ["KIND", "KINDS", "Draft", "Event", "KnowledgeStore", "Version"]
