"""Lexical search: BM25 over one mixed tokenizer (jieba words for Chinese, lowercase words for English)."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

from .official import cn_to_int
from .passages import Passage

_NUMERAL = "[0-9零〇一二两三四五六七八九十百千]+"
# Article references become one token ("art7") whichever way they are written.
_ARTICLE_ZH = re.compile(rf"第({_NUMERAL})条")
_ARTICLE_EN = re.compile(r"\b(?:art|arts|article|articles)\.?\s*(\d+)\b")
_TOKEN = re.compile(r"^(?:[a-z0-9]+|[\u3400-\u9fff]+)$")

_EN_STOPWORDS = """a an and are as at be by can could do does for from has have how i if in is it its may must
of on or our that the their there these this to was we what when where which who will with would you your"""
STOPWORDS = frozenset(
    [
        *_EN_STOPWORDS.split(),
        "的",
        "了",
        "和",
        "是",
        "在",
        "与",
        "及",
        "或",
        "等",
        "吗",
        "呢",
        "我们",
        "我",
        "有",
        "对",
    ]
)
"""Words too common to help ranking."""


@cache
def _jieba() -> Any:
    """jieba, imported and quietened on first use (its dictionary loads lazily, about a second)."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba


def _stem(word: str) -> str:
    """A light English plural stripper, so "transfers" matches "transfer"."""
    if len(word) > 4 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def tokenize(text: str) -> list[str]:
    """Tokens of Chinese, English or mixed text: jieba search-mode words, lowercase English words
    (light plural stripping), digits, and one "artN" token per article reference."""
    text = text.lower()
    tokens: list[str] = []

    def article(match: re.Match[str]) -> str:
        tokens.append(f"art{cn_to_int(match.group(1))}")
        return " "

    text = _ARTICLE_EN.sub(article, _ARTICLE_ZH.sub(article, text))
    for token in _jieba().lcut_for_search(text):
        token = token.strip()
        if token and _TOKEN.match(token) and token not in STOPWORDS:
            tokens.append(_stem(token) if token.isascii() else token)
    return tokens


class LexicalIndex:
    """BM25 (Okapi) over the passages' title and text."""

    def __init__(self, passages: Sequence[Passage]) -> None:
        from rank_bm25 import BM25Okapi

        self.passages = list(passages)
        corpus = [tokenize(passage.content) for passage in self.passages]
        # BM25Okapi divides by the corpus size, so an empty corpus has no model at all.
        self._bm25: Any = BM25Okapi(corpus) if self.passages else None

    def search(self, query: str, k: int, keep: Callable[[Passage], bool] | None = None) -> list[tuple[Passage, float]]:
        """The `k` best-scoring passages that `keep` accepts, with their BM25 score, best first.

        Passages sharing no token with the query are never returned.
        """
        tokens = tokenize(query)
        if self._bm25 is None or not tokens:
            return []
        scores = self._bm25.get_scores(tokens)
        order = sorted(range(len(self.passages)), key=lambda i: (-scores[i], i))
        hits: list[tuple[Passage, float]] = []
        for i in order:
            if scores[i] <= 0 or len(hits) >= k:
                break
            if keep is None or keep(self.passages[i]):
                hits.append((self.passages[i], float(scores[i])))
        return hits
