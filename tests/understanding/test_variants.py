"""Spelling variants: traditional characters and misspelt keywords are read as their standard form."""

from __future__ import annotations

import pytest

from assistant.understanding.variants import standard_spelling

VARIANTS = [
    ("請問我們在北京海澱的公司", "请问我们在北京海淀的公司"),
    ("十五萬客戶的姓名電話傳給台北的關係企業，需要辦什麼？", "十五万客户的姓名电话传给台北的关系企业，需要办什么？"),
    ("only 800 custmers", "only 800 customers"),
    ("nothing sensitve", "nothing sensitive"),
    ("securty assesment", "security assessment"),
    ("Custmers", "Customers"),
    ("65k memebers", "65k members"),
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
]


@pytest.mark.parametrize(("text", "standard"), VARIANTS, ids=[t for t, _ in VARIANTS])
def test_variants_become_standard(text: str, standard: str) -> None:
    assert standard_spelling(text) == standard


@pytest.mark.parametrize("text", UNCHANGED)
def test_real_words_are_left_alone(text: str) -> None:
    assert standard_spelling(text) == text
