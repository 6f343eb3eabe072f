"""BM25 over the mixed tokenizer: Chinese through jieba, stemmed English words, article references,
glossary concepts shared by the two languages, normalised numbers."""

from __future__ import annotations

import pytest

from assistant.retrieval.glossary import TERMS
from assistant.retrieval.lexical import LexicalIndex, concepts, normalise, numbers, spell_out, stem, tokenize
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


def test_english_is_lowercased_and_stemmed_without_stopwords() -> None:
    assert tokenize("The Transfers of Personal DATA") == ["transfer", "personal", "data", "~personal-information"]
    assert tokenize("transferring exported processing") == ["transfer", "export", "process", "~outbound"]


@pytest.mark.parametrize(
    ("word", "stemmed"),
    [
        ("transfers", "transfer"),
        ("transferring", "transfer"),
        ("agreed", "agree"),
        ("companies", "compani"),
        ("filing", "file"),
        ("process", "process"),
        ("pipl", "pipl"),
        ("basis", "basis"),
    ],
)
def test_porter_step_one(word: str, stemmed: str) -> None:
    assert stem(word) == stemmed


@pytest.mark.parametrize("text", ["第二十三条", "第23条", "article 23", "Art. 23", "arts 23"])
def test_article_references_become_one_token(text: str) -> None:
    assert tokenize(text) == ["art23"]


def test_mixed_text() -> None:
    tokens = tokenize("PIPL 第三十八条 cross-border 个人信息")
    assert tokens[0] == "art38"
    assert {"pipl", "cross", "border", "个人", "信息"} <= set(tokens)


@pytest.mark.parametrize(
    "text",
    ["critical information infrastructure operators", "a CIIO", "CIIOs", "关键信息基础设施运营者", "我们是关基"],
)
def test_glossary_forms_become_one_concept_in_both_languages(text: str) -> None:
    assert "~ciio" in tokenize(text)


def test_concepts_take_the_longest_form_and_add_broader_ones() -> None:
    assert concepts(normalise("敏感个人信息")) == ["~sensitive-pi", "~personal-information"]
    assert concepts(normalise("sensitive personal information")) == ["~sensitive-pi", "~personal-information"]
    assert concepts(normalise("standard contracts, then a security assessment")) == [
        "~standard-contract",
        "~security-assessment",
    ]
    assert concepts(normalise("a passage about nothing")) == []


def test_glossary_chinese_terms_stay_single_jieba_words() -> None:
    assert {"关基", "安评", "单独同意"} <= set(tokenize("关基 安评 单独同意"))


def test_glossary_is_well_formed() -> None:
    assert len({term.concept for term in TERMS}) == len(TERMS)
    forms = [form for term in TERMS for form in (*term.en, *term.zh, *term.abbreviations)]
    assert len(forms) == len(set(forms))
    assert all(form == form.lower().strip() and form for form in forms)
    known = {term.concept for term in TERMS}
    assert all(set(term.broader) <= known for term in TERMS)
    assert all(term.en and term.zh for term in TERMS)


@pytest.mark.parametrize("text", ["100,000 people", "10万人", "十万人", "100k people", "0.1 million people"])
def test_quantities_share_one_value_token(text: str) -> None:
    assert {"n100000", "m5"} <= set(numbers(normalise(text)))


def test_numbers() -> None:
    assert numbers("1.5 million") == ["n1500000", "m6"]
    assert numbers("一百万") == ["n1000000", "m6"]
    assert numbers("2024年3月22日") == ["n2024", "n3", "n22"]  # a year gets no magnitude token
    assert "n1000000" in tokenize("100万人以上") and "n10000" in tokenize("10,000 individuals")


def test_normalise_folds_width_case_and_common_traditional_characters() -> None:
    assert normalise("ＣＩＩＯ　１０万") == "ciio 10万"
    assert normalise("個人資訊出境評估") == "个人资讯出境评估"
    assert "~security-assessment" in tokenize("數據出境安全評估")


def test_spell_out_adds_the_full_form_of_abbreviations() -> None:
    assert spell_out("Do non-CIIOs need an SCC?") == (
        "Do non-CIIOs need an SCC? (standard contract; critical information infrastructure operator)"
    )
    assert spell_out("关基要做安评吗") == "关基要做安评吗 (安全评估; 关键信息基础设施运营者)"
    assert spell_out("security assessment of a CIIO and its critical information infrastructure operator") == (
        "security assessment of a CIIO and its critical information infrastructure operator"
    )
    assert spell_out("no abbreviation here") == "no abbreviation here"


def test_bm25_chinese_query() -> None:
    hits = LexicalIndex(CORPUS).search("医疗健康信息算敏感个人信息吗", 2)
    assert hits[0][0].article == "28" and hits[0][0].lang == "zh"


def test_bm25_english_query() -> None:
    hits = LexicalIndex(CORPUS).search("security assessment for sending personal information abroad", 2)
    assert (hits[0][0].article, hits[0][0].lang) == ("38", "en")
    assert hits[0][1] > hits[1][1] > 0


def test_bm25_crosses_languages_through_the_glossary() -> None:
    # Only the Chinese passage of art 28 shares anything with this query: the concept "location tracks".
    hits = LexicalIndex(CORPUS).search("whereabouts", 5)
    assert [(p.article, p.lang) for p, _ in hits] == [("28", "zh")]


def test_bm25_indexes_keywords_and_the_document_title() -> None:
    note = _passage("5", "en", "Exemptions for some transfers.").model_copy(
        update={"keywords": ("payroll data",), "doc_title": "Personal Information Protection Law"}
    )
    index = LexicalIndex([*CORPUS, note])
    assert index.search("payroll", 1)[0][0] == note
    assert index.search("Protection Law", 1)[0][0] == note


def test_bm25_filter_and_no_overlap() -> None:
    index = LexicalIndex(CORPUS)
    hits = index.search("personal information rights", 5, keep=lambda p: p.doc == "dsl-2021")
    assert [p.doc for p, _ in hits] == ["dsl-2021"]
    assert index.search("zebra crossing", 5) == []
    assert LexicalIndex([]).search("anything", 5) == []
