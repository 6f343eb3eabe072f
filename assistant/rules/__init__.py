"""Rule packs as validated data and the pure checker that reads them."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from .book import RuleBook
from .checker import check
from .loader import load_rulebook

__all__ = ["RuleBook", "check", "default_rulebook", "load_rulebook"]


@lru_cache(maxsize=4)
def _cached(rules_dir: Path, documents_file: Path) -> RuleBook:
    return load_rulebook(rules_dir, documents_file)


def default_rulebook(rules_dir: Path, documents_file: Path) -> RuleBook:
    """The rule book of these folders, loaded once per process."""
    return _cached(rules_dir.resolve(), documents_file.resolve())
