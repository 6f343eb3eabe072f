"""Two replicas agree: two real servers (`assistant serve`) share one audit database; a publish made by another
process (the CLI) changes both servers' answers without a restart, a rollback brings the old answer back, and a
published answer card answers on both."""

from __future__ import annotations

import json
import os
import subprocess
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from tests.app.conftest import CLI, ROOT, add_user, running_server

pytestmark = [pytest.mark.server, pytest.mark.slow]

PASSWORD = "Copper-harbour-91-slowly"
QUESTION = (
    "Our pharmaceutical company registered in the Beijing FTZ will send the clinical trial records of 35,000 "
    "people to the sponsor abroad this year. What do we need?"
)
"""Our own question: a count between the shipped threshold of the clinical-trial item and the draft's."""
SHIPPED = "threshold: {fact: individuals, at_least: 50000}"
DRAFTED = "threshold: {fact: individuals, at_least: 30000}"


CARD = """\
id: helpdesk-sample
topic: filing
questions:
  en:
    - How often must the filing reminder for outbound data be renewed by the help desk?
    - How often must the help desk renew the filing reminder for outbound data?
  zh:
    - 帮助台多久更新一次数据出境备案提醒？
answer:
  en: The help desk sample answer (Provisions art 9).
  zh: 帮助台示例答复（《规定》第九条）。
citations: [cbdf-provisions-2024 9]
"""
"""Our own card; its question is asked as written."""
CARD_QUESTION = "How often must the help desk renew the filing reminder for outbound data?"


def _ask(base: str, question: str = QUESTION) -> dict[str, Any]:
    request = urllib.request.Request(
        f"{base}/api/ask",
        data=json.dumps({"question": question}).encode(),
        headers={"content-type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=120) as response:
        answer: dict[str, Any] = json.loads(response.read())
    return answer


def _outcome(base: str) -> str:
    return str(_ask(base)["determination"]["outcome"])


def _wait_for(base: str, wanted: str, seconds: float = 60) -> str:
    deadline = time.monotonic() + seconds
    outcome = _outcome(base)
    while outcome != wanted and time.monotonic() < deadline:
        time.sleep(0.5)
        outcome = _outcome(base)
    return outcome


def _card_within(base: str, seconds: float) -> str | None:
    deadline = time.monotonic() + seconds
    card = _ask(base, CARD_QUESTION)["card"]
    while card is None and time.monotonic() < deadline:
        time.sleep(0.5)
        card = _ask(base, CARD_QUESTION)["card"]
    return card


def _cli(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([*CLI, "knowledge", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300, check=False)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_a_publish_reaches_both_replicas_and_a_rollback_restores_them(tmp_path: Path) -> None:
    shared = f"sqlite:///{tmp_path / 'shared' / 'audit.db'}"
    common = {
        **os.environ,
        "ASSISTANT_AUDIT_URL": shared,
        "ASSISTANT_EMBEDDER": "fake",
        "ASSISTANT_KNOWLEDGE_POLL_SECONDS": "0.5",
        "HF_HUB_OFFLINE": "1",
        "ANONYMIZED_TELEMETRY": "False",
        "GRADIO_ANALYTICS_ENABLED": "False",
    }
    for name in ("ASSISTANT_CHROMA_URL", "ASSISTANT_API_KEYS", "ASSISTANT_DEV_MODE", "ASSISTANT_REDIS_URL"):
        common.pop(name, None)
    replicas = [
        {**common, "ASSISTANT_DATA_DIR": str(tmp_path / name / "data"), "GRADIO_TEMP_DIR": str(tmp_path / name / "g")}
        for name in ("one", "two")
    ]
    cli = replicas[0]
    for name, role in (("olga", "officer"), ("anna", "approver")):
        add_user(cli, name, role, PASSWORD)
    with (
        running_server(replicas[0], tmp_path / "one.log") as one,
        running_server(replicas[1], tmp_path / "two.log") as two,
    ):
        before = _outcome(one)
        assert before == _outcome(two) == "outside_negative_list"

        pack = (ROOT / "corpus" / "rules" / "beijing-ftz-2024.yaml").read_text(encoding="utf-8")
        assert pack.count(SHIPPED) == 1
        draft_file = tmp_path / "draft.yaml"
        draft_file.write_text(pack.replace(SHIPPED, DRAFTED), encoding="utf-8")
        saved = _cli(cli, "save", "pack", "beijing-ftz-2024", str(draft_file), "--as", "olga", "--note", "lower")
        draft = saved.split()[1]
        _cli(cli, "approve", draft, "--as", "anna")
        published = _cli(cli, "publish", draft, "--as", "olga")
        version = published.split()[2].rstrip(":")

        after = _wait_for(two, "security_assessment")
        assert after == "security_assessment", after
        assert _wait_for(one, "security_assessment") == "security_assessment"
        answer = _ask(two)
        assert any(s["rule"] == "pharma-clinical-trial-pi" for s in answer["determination"]["trace"])

        _cli(cli, "rollback", version, "--as", "anna", "--note", "test over")
        assert _wait_for(two, before) == before
        assert _wait_for(one, before) == before
        assert "rolled back by anna" in _cli(cli, "versions", "--all")

        assert _ask(two, CARD_QUESTION)["card"] is None
        card_file = tmp_path / "card.yaml"
        card_file.write_text(CARD, encoding="utf-8")
        card_draft = _cli(cli, "save", "card", "helpdesk-sample", str(card_file), "--as", "olga").split()[1]
        assert "valid" in _cli(cli, "preview", card_draft, "--no-golden", "--no-recorded")
        _cli(cli, "approve", card_draft, "--as", "anna")
        _cli(cli, "publish", card_draft, "--as", "olga")
        assert _card_within(two, 60) == _card_within(one, 60) == "helpdesk-sample"
