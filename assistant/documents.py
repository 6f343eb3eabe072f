"""The registry of citable documents (corpus/documents.yaml), by the contract's document ids."""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from .catalogue import word
from .errors import CorpusError

DOC_IDS: tuple[str, ...] = (
    "cbdf-provisions-2024",
    "sa-measures-2022",
    "scc-measures-2023",
    "scc-filing-guide-2024",
    "cert-measures-2025",
    "pipl-2021",
    "dsl-2021",
    "csl-2016",
    "ndsr-2024",
    "bj-ftz-list-2024",
    "bj-ftz-measures-2024",
    "bj-ftz-interpretation-2024",
    "bj-list-2025",
    "bj-measures-2025",
    "auto-data-provisions-2021",
    "auto-export-guide-2026",
    "hgr-regulation-2019",
    "biosecurity-law-2024",
    "sa-filing-guide-2025",
)
"""The contract's document ids; the registry must hold exactly these."""


class Document(BaseModel):
    """One citable document and the ids of its articles."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    title_zh: str
    title_en: str
    short_en: str
    short_zh: str
    issuer: str
    published: dt.date
    effective: dt.date
    url: str | None
    articles: int | list[str] | Literal["from_rule_packs"]
    source_file: str | None
    part_titles: dict[str, dict[str, str]] = {}

    @property
    def from_rule_packs(self) -> bool:
        """Whether the article ids are the item ids of the rule packs (a negative list)."""
        return self.articles == "from_rule_packs"

    @cached_property
    def fixed_articles(self) -> frozenset[str]:
        """The article ids known without the rule packs (empty for a list document)."""
        if isinstance(self.articles, int):
            return frozenset(str(n) for n in range(1, self.articles + 1))
        if isinstance(self.articles, list):
            return frozenset(self.articles)
        return frozenset()

    def title(self, lang: str) -> str:
        """The document's full title in `lang`."""
        return self.title_zh if lang == "zh" else self.title_en

    def short(self, lang: str) -> str:
        """The document's short name in `lang`."""
        return self.short_zh if lang == "zh" else self.short_en

    def label(self, article: str, lang: str) -> str:
        """A short human label such as 'Provisions art 7' or '《…》第7条'."""
        short = self.short(lang)
        if article.isdigit():
            return word("cite.article", lang, short=short, article=article)
        return word("cite.part", lang, short=short, part=self.part_titles.get(article, {}).get(lang, article))


class Registry(BaseModel):
    """All documents by id."""

    model_config = ConfigDict(frozen=True)

    documents: dict[str, Document]

    def get(self, doc: str) -> Document | None:
        """The document with this id, or None."""
        return self.documents.get(doc)

    def label(self, doc: str, article: str, lang: str) -> str:
        """The citation's label in words (`doc article` for a document the registry lacks)."""
        document = self.documents.get(doc)
        return document.label(article, lang) if document else f"{doc} {article}"


def load_registry(path: Path) -> Registry:
    """Load and check corpus/documents.yaml.

    Raises:
        CorpusError: when the file is malformed or its ids differ from the contract's.
    """
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        docs = [Document.model_validate(d) for d in raw["documents"]]
    except (OSError, yaml.YAMLError, KeyError, TypeError, ValidationError) as exc:
        raise CorpusError(f"{path}: {exc}") from exc
    ids = [d.id for d in docs]
    if sorted(ids) != sorted(DOC_IDS):
        raise CorpusError(f"{path}: document ids {sorted(ids)} differ from the contract's {sorted(DOC_IDS)}")
    return Registry(documents={d.id: d for d in docs})
