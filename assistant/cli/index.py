"""Command bodies of the retrieval layer, for the CLI to wire (`assistant index`)."""

from __future__ import annotations

import sys

from ..errors import AssistantError
from ..retrieval.index import build_index
from ..retrieval.search import Mode, Retriever
from ..settings import Settings


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


def search_command(settings: Settings, query: str, k: int = 5, mode: Mode | None = None) -> int:
    """Print the best `k` articles for `query`, one line each: rank, score, methods, doc, article, title.

    Args:
        settings: what to search and how (`retrieval_mode` unless `mode` is given).
        query: the question.
        k: how many articles to print.
        mode: overrides `settings.retrieval_mode`.

    Returns:
        The exit code: 0 on success, 1 when the corpus, the settings or the index failed.
    """
    retriever = Retriever(settings)
    try:
        hits = retriever.search(query, k=k, mode=mode)
    except AssistantError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        retriever.close()
    for rank, hit in enumerate(hits, start=1):
        p = hit.passage
        methods = "+".join(hit.methods)
        print(f"{rank}. {hit.score:.4f} [{methods}] {p.doc} {p.article} ({p.kind}, {p.lang}) {p.title}")
    return 0
