"""Command bodies of the retrieval layer, for the CLI to wire (`assistant index`)."""

from __future__ import annotations

import sys

from ..errors import AssistantError
from ..settings import Settings
from .index import build_index


def index_command(settings: Settings) -> int:
    """Build or refresh the index and print "added N, skipped N, deleted N".

    Args:
        settings: what to index and where.

    Returns:
        The exit code: 0 on success, 1 when the corpus, the settings or the index failed (the
        message goes to stderr).
    """
    try:
        report = build_index(settings)
    except AssistantError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"added {report.added}, skipped {report.skipped}, deleted {report.deleted}")
    return 0
