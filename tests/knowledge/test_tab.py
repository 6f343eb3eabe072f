"""The Knowledge tab's callbacks without a toolkit: a live session for everything, the approver role to approve
and roll back, outside text escaped in the preview, and proposals from unanswered rule questions."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from assistant.accounts import Accounts
from assistant.casefile.audit import CaseRow
from assistant.knowledge import KnowledgeStore
from assistant.knowledge.preview import Preview
from assistant.knowledge.proposals import proposals
from assistant.settings import Settings
from assistant.ui.knowledge_tab import CARD_FIELDS, KnowledgeTab, preview_markdown
from assistant.ui.updates import Refused

from .conftest import STRONG


@pytest.fixture
def tab(store: KnowledgeStore, accounts: Accounts, tmp_path: Path) -> KnowledgeTab:
    return KnowledgeTab(accounts, store, Settings(data_dir=tmp_path, embedder="fake"), None)  # type: ignore[arg-type]


def _cookie(accounts: Accounts, name: str) -> str:
    return accounts.sign_in(name, STRONG, "127.0.0.1").cookie


def test_every_callback_needs_a_live_session(tab: KnowledgeTab) -> None:
    with pytest.raises(Refused):
        tab.refresh(None, "en")
    with pytest.raises(Refused):
        tab.save_card("forged", *("" for _ in CARD_FIELDS), "", "en")
    assert tab.pick_draft(None, ["7", "draft"]) == ""


def test_an_officer_saves_a_card_and_an_approver_approves(tab: KnowledgeTab, accounts: Accounts) -> None:
    olga, anna = _cookie(accounts, "olga"), _cookie(accounts, "anna")
    fields = ["sample-card", "durations", "A sample question?", "示例问题？", "An answer.", "答复。",
              "cbdf-provisions-2024 9", "", ""]  # fmt: skip
    message, _ = tab.save_card(olga, *fields, "first", "en")
    assert message.startswith("✓") and "draft 1" in message
    assert tab.pick_draft(olga, ["1", "draft"]) == "1"
    with pytest.raises(Refused):
        tab.approve(olga, "1", "en")  # an officer's role may not approve
    *_, refused = tab.publish(olga, "1", "en")
    assert refused.startswith("⚠") and "another approver" in refused
    *_, approved = tab.approve(anna, "1", "en")
    assert approved == "✓ Draft 1 approved by anna."
    drafts, _, published = tab.publish(olga, "1", "en")
    assert "Published as version 1" in published
    assert drafts["data"][0][1] == "published"
    bad = tab.save_card(olga, *fields[:7], "not-a-date", "", "", "en")[0]
    assert bad.startswith("⚠") and "not a date" in bad


def test_the_preview_escapes_what_came_from_outside() -> None:
    hostile = "<img src=x onerror=alert(1)> [link](https://example.com) **bold**"
    shown = preview_markdown(Preview(1, "card", "x", problems=[hostile]), "en")
    assert "\\<img" in shown and "](https:" not in shown and "\\*\\*bold" in shown
    assert shown.count("<img") == shown.count("\\<img")


class _NoCard:
    def match(self, query: str, today: dt.date | None = None) -> object | None:
        return None


class _Words:
    """Vectors from two words: questions sharing the first word group together."""

    def embed_query(self, text: str) -> list[float]:
        return [1.0, 0.0] if text.lower().startswith("how") else [0.0, 1.0]


def test_proposals_group_the_most_asked_unanswered_questions(audit: Any) -> None:
    now = dt.datetime.now(dt.UTC)
    asked = ["How long is the filing kept?"] * 3 + ["how long is the filing kept"] + ["What is a processor?"] * 2
    with Session(audit.engine) as session, session.begin():
        for n, question in enumerate([*asked, "an old question"]):
            at = now - dt.timedelta(days=200 if question == "an old question" else 1)
            session.add(CaseRow(
                id=f"case-{n}", created_at=at, question=question, language="en", outcome="informational",
                industry=None, facts_json="{}", determination_json="{}", citations_json="[]", sources_json="[]",
                answer="", error=None, channel="chat", key_id=None, truncated=False,
            ))  # fmt: skip
    found = proposals(audit.engine, _NoCard(), _Words(), now.date())
    assert [(p.count, p.questions[0]) for p in found] == [
        (4, "How long is the filing kept?"),
        (2, "What is a processor?"),
    ]
    assert found[0].suggested_id == "how-long-is-the-filing"
