"""Publishing with the checks that make it safe: a draft is validated again (the same validation as the preview)
right before it becomes a version, so nothing that does not load is ever published, even half."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from ..errors import KnowledgeError
from .preview import preview
from .store import KnowledgeStore, Version

if TYPE_CHECKING:
    from ..settings import Settings


def publish_draft(
    store: KnowledgeStore,
    settings: Settings,
    draft_id: int,
    publisher: str,
    effective_from: dt.date | None = None,
) -> Version:
    """Validate the draft with what is in force now, then publish it (four eyes and roles: `KnowledgeStore.publish`).

    Raises:
        KnowledgeError: `invalid` (with `problems`), or any refusal of `KnowledgeStore.publish`.
    """
    draft = store.draft(draft_id)
    checked = preview(draft, store, settings, golden=[], recorded=False)
    if not checked.ok:
        raise KnowledgeError(
            "invalid",
            f"draft {draft_id} does not validate: " + "; ".join(checked.problems[:5]),
            draft=draft_id,
            problems=checked.problems,
        )
    return store.publish(draft_id, publisher, effective_from)
