"""Command bodies of the retrieval layer, for the CLI to wire (`assistant index`)."""

from __future__ import annotations

import sys

from ..errors import AssistantError
from ..retrieval.index import BuildTracker, build_index, export_seed, status_file
from ..retrieval.search import Mode, Retriever
from ..settings import Settings


def index_command(settings: Settings, *, save_vectors: bool = False) -> int:
    """Build or refresh the index with a progress bar and print "added N, skipped N, deleted N" (stdout), then
    how many vectors were reused from the shipped ones or embedded, and the time (stderr).

    Args:
        settings: what to index and where.
        save_vectors: also write the vectors of the whole corpus, the understanding's exemplars and the answer
            cards beside it (`corpus/vectors/<embedder>[-exemplars|-cards].npz`), so a fresh checkout's first
            start reuses them; run it after the corpus, the exemplars or the cards change.

    Returns:
        The exit code: 0 on success, 1 when the corpus, the settings or the index failed (the
        message goes to stderr).
    """
    try:
        report = build_index(settings, tracker=BuildTracker(status_file(settings)))  # doctor reads its state
        saved = export_seed(settings) if save_vectors else None
    except AssistantError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"added {report.added}, skipped {report.skipped}, deleted {report.deleted}")
    print(
        f"{report.total} passages in {report.collection}: {report.reused} vectors reused from the shipped ones, "
        f"{report.embedded} embedded, in {report.seconds:.1f} s",
        file=sys.stderr,
    )
    for path, count in saved or []:
        print(f"wrote {count} vectors to {path}", file=sys.stderr)
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
