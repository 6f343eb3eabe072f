"""Fixtures for the rule tests: the project's real rule packs."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant import RuleBook, load_rulebook

ROOT = Path(__file__).resolve().parents[2]
RULES_DIR = ROOT / "corpus" / "rules"
DOCUMENTS = ROOT / "corpus" / "documents.yaml"


@pytest.fixture(scope="session")
def rulebook() -> RuleBook:
    """The packs in corpus/rules, loaded once."""
    return load_rulebook(RULES_DIR, DOCUMENTS)
