"""BM25 over the mixed tokenizer: Chinese through jieba, English as lowercase words, article references."""

from __future__ import annotations

import pytest

from assistant.retrieval.lexical import LexicalIndex, tokenize
from assistant.retrieval.passages import Passage, passage_id


def _passage(article: str, lang: str, text: str, doc: str = "pipl-2021") -> Passage:
    title = f"{doc} {article}"
    return Passage(
        id=passage_id(doc, article, lang, "note", title, text),
        doc=doc,
        article=article,
        lang=lang,  # type: ignore[arg-type]
        kind="note",
        title=title,
        text=text,
    )


CORPUS = [
    _passage("28", "zh", "敏感个人信息包括生物识别、医疗健康、金融账户、行踪轨迹等信息。"),
    _passage("38", "zh", "个人信息处理者向境外提供个人信息，应当通过安全评估或者订立标准合同。"),
    _passage("28", "en", "Sensitive personal information includes biometrics, health and financial accounts."),
    _passage(
        "38", "en", "Providing personal information abroad requires a security assessment or a standard contract."
    ),
    _passage("1", "en", "The purpose of this law is to protect rights.", doc="dsl-2021"),
]


def test_chinese_is_cut_into_words() -> None:
    tokens = tokenize("数据出境安全评估")
    assert {"数据", "出境", "安全", "评估"} <= set(tokens)


def test_english_is_lowercased_without_stopwords_and_plurals() -> None:
    assert tokenize("The Transfers of Personal DATA") == ["transfer", "personal", "data"]


@pytest.mark.parametrize("text", ["第二十三条", "第23条", "article 23", "Art. 23", "arts 23"])
def test_article_references_become_one_token(text: str) -> None:
    assert tokenize(text) == ["art23"]


def test_mixed_text() -> None:
    tokens = tokenize("PIPL 第三十八条 cross-border 个人信息")
    assert tokens[0] == "art38"
    assert {"pipl", "cross", "border", "个人", "信息"} <= set(tokens)


def test_bm25_chinese_query() -> None:
    hits = LexicalIndex(CORPUS).search("医疗健康信息算敏感个人信息吗", 2)
    assert hits[0][0].article == "28" and hits[0][0].lang == "zh"


def test_bm25_english_query() -> None:
    hits = LexicalIndex(CORPUS).search("security assessment for sending personal information abroad", 2)
    assert (hits[0][0].article, hits[0][0].lang) == ("38", "en")
    assert hits[0][1] > hits[1][1] > 0


def test_bm25_filter_and_no_overlap() -> None:
    index = LexicalIndex(CORPUS)
    hits = index.search("personal information rights", 5, keep=lambda p: p.doc == "dsl-2021")
    assert [p.doc for p, _ in hits] == ["dsl-2021"]
    assert index.search("zebra crossing", 5) == []
    assert LexicalIndex([]).search("anything", 5) == []
