"""Fixtures of the retrieval tests: a small corpus in tmp_path and an embedder that counts its work."""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Sequence
from pathlib import Path

import pytest

from assistant.retrieval.embeddings import FakeEmbedder
from assistant.settings import PROJECT_ROOT, Settings

NOTES = """\
doc: cbdf-provisions-2024
entries:
  - article: "7"
    title_en: Security assessment triggers
    title_zh: 申报安全评估的情形
    en: >-
      A processor must file a security assessment when it sends sensitive personal information of
      10,000 or more people abroad in a year, or any important data.
    zh: >-
      处理者当年累计向境外提供一万人以上敏感个人信息，或者提供重要数据的，应当申报安全评估。
  - article: "8"
    title_en: Standard contract or certification
    title_zh: 标准合同或认证
    en: >-
      Between 100,000 and one million people of ordinary personal information, the processor signs
      the standard contract or obtains certification.
    zh: >-
      向境外提供十万人以上、不满一百万人个人信息的，应当订立标准合同或者通过认证。
"""

OFFICIAL = """\
---
title: a made-up statute for tests
note: the header block ends at the next line of three dashes
---

# 测试规定

## 第一章 总则

第一条 为了测试，制定本规定。

第二条 处理者应当识别重要数据。

前款所称重要数据，由有关部门告知。

第三条 下列数据可以出境：

（一）不含个人信息的数据；

（二）第二条规定以外的数据。

第二条规定的情形，从其规定。
"""


class CountingEmbedder(FakeEmbedder):
    """The fake embedder, counting the texts it embeds."""

    def __init__(self) -> None:
        super().__init__()
        self.embedded = 0

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        """Embed passages and count them."""
        self.embedded += len(texts)
        return super().embed_documents(texts)


@pytest.fixture
def small_corpus(tmp_path: Path) -> Settings:
    """Settings over a corpus of one notes file (2 entries) and one made-up official text (3 articles)."""
    corpus = tmp_path / "corpus"
    (corpus / "notes").mkdir(parents=True)
    shutil.copy(PROJECT_ROOT / "corpus" / "documents.yaml", corpus / "documents.yaml")
    (corpus / "notes" / "cbdf-provisions-2024.yaml").write_text(NOTES, encoding="utf-8")
    official = tmp_path / "official"
    (official / "sources").mkdir(parents=True)
    (official / "sources" / "cn-provisions-2024.zh.md").write_text(textwrap.dedent(OFFICIAL), encoding="utf-8")
    return Settings(corpus_dir=corpus, official_dir=official, data_dir=tmp_path / "data")


@pytest.fixture
def counting() -> CountingEmbedder:
    """A fresh counting fake embedder."""
    return CountingEmbedder()
