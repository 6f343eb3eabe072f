"""Spelling variants: traditional characters (OpenCC) and misspelt English words are read as their standard form."""

from __future__ import annotations

import time

import pytest

from assistant.understanding.text import clean_message
from assistant.understanding.variants import (
    correction,
    distance,
    has_traditional,
    known,
    simplified,
    standard_spelling,
    vocabulary,
)

VARIANTS = [
    ("請問我們在北京海澱的公司", "请问我们在北京海淀的公司"),
    ("十五萬客戶的姓名電話傳給台北的關係企業，需要辦什麼？", "十五万客户的姓名电话传给台北的关系企业，需要办什么？"),
    ("會員資訊要傳到新加坡", "会员信息要传到新加坡"),  # a Taiwan term (資訊) becomes the mainland one
    ("only 800 custmers", "only 800 customers"),
    ("nothing sensitve", "nothing sensitive"),
    ("securty assesment", "security assessment"),
    ("Custmers", "Customers"),
    ("65k memebers", "65k members"),
    ("the patinets of our clinic", "the patients of our clinic"),
    ("personal informaiton of staff", "personal information of staff"),
    ("a standrad contract", "a standard contract"),
    ("Certifcation or a contract?", "Certification or a contract?"),
    ("the headquartrs in Munich", "the headquarters in Munich"),  # 11 letters: distance 2 is allowed
    ("我们的custmers在海淀", "我们的customers在海淀"),
]

UNCHANGED = [
    "account data",
    "member",
    "patients",
    "patents",
    "employers",
    "customs declarations",
    "thousands",
    "contact",
    "personnel",
    "简体中文不变",
    "passport numbers",
    "we haven't decided",
    "forty thousand",
    "They ship to Basel and Tokyo",  # names inside a sentence keep their capitals and spelling
    "CIIO and PIPIA",  # acronyms
    "see https://example.org/recieve or mail recieve@example.org",  # addresses are not words
    "40k 1.2million 2026-03-01",
    "the data is unrelated to our unstated plans",  # a prefix on a known word
    "delivered, deliveries, approximate",  # the family of a known word
    "possibly, reasonably, easily",  # adverbs of known adjectives in -ble and -y
    "trucks on the expressway",  # a long word of the general English word list
    "shapr",  # two words (share, sharp) equally close: which one was meant is unknown
]


@pytest.mark.parametrize(("text", "standard"), VARIANTS, ids=[t for t, _ in VARIANTS])
def test_variants_become_standard(text: str, standard: str) -> None:
    assert standard_spelling(text) == standard


@pytest.mark.parametrize("text", UNCHANGED)
def test_real_words_are_left_alone(text: str) -> None:
    assert standard_spelling(text) == text


def test_traditional_is_detected_and_converted_only_when_present() -> None:
    assert has_traditional("個人資料")
    assert not has_traditional("个人信息 and English")
    assert not has_traditional("plain ASCII")
    assert simplified("軟體公司") == "软件公司"
    assert simplified("我们是软件公司") == "我们是软件公司"


def test_distance_counts_a_transposition_as_one() -> None:
    assert distance("custoemrs", "customers") == 1
    assert distance("abc", "abc") == 0
    assert distance("abc", "") == 3
    assert distance("kitten", "sitting") == 3


def test_the_vocabulary_comes_from_our_own_texts() -> None:
    words = vocabulary()
    assert {"assessment", "certification", "contract", "threshold"} <= words  # notes, rule packs, catalogue
    assert known("assessments") and known("delivered")
    assert correction("assesment") == "assessment"
    assert correction("data") is None  # short words are never corrected
    assert correction("12345") is None


def test_clean_message_applies_both() -> None:
    assert clean_message("　請問ＡＢＣ，custmers？") == "请问ABC,customers?"


def test_spelling_is_fast() -> None:
    standard_spelling("warm up")
    text = "We plan to trasnfer the persnoal informaton of 40,000 custmers to our headquartrs in Basel. " * 10
    start = time.perf_counter()
    for _ in range(20):
        standard_spelling(text + str(_))
    assert (time.perf_counter() - start) / 20 < 0.05


def test_words_of_a_known_family_are_not_corrected() -> None:
    assert "secondees" in standard_spelling("the secondees' visas and the trainees' contracts")
    assert "trainees" in standard_spelling("the secondees' visas and the trainees' contracts")


def test_a_neighbour_decides_a_slip_between_two_words() -> None:
    assert standard_spelling("the clinical trail results go to Basel") == "the clinical trial results go to Basel"
    assert standard_spelling("we keep an audit trail of each export") == "we keep an audit trail of each export"
    assert standard_spelling("both forms were filed and signed") == "both forms were filed and signed"
