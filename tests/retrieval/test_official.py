"""The importer of official texts: header stripping and splitting into articles, parts and sections."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.documents import load_registry
from assistant.errors import CorpusError
from assistant.retrieval.official import (
    cn_to_int,
    load_official,
    load_official_file,
    split_parts,
    split_sections,
    split_statute,
    strip_front_matter,
)
from assistant.settings import PROJECT_ROOT, Settings

REGISTRY = load_registry(PROJECT_ROOT / "corpus" / "documents.yaml")
SHARED = Settings().official_path()


@pytest.mark.parametrize(
    ("numeral", "value"),
    [("一", 1), ("十", 10), ("十四", 14), ("二十", 20), ("二十三", 23), ("七十四", 74), ("一百零五", 105), ("7", 7)],
    ids=lambda v: str(v),
)
def test_cn_to_int(numeral: str, value: int) -> None:
    assert cn_to_int(numeral) == value


def test_cn_to_int_rejects_other_text() -> None:
    with pytest.raises(ValueError, match="not a Chinese numeral"):
        cn_to_int("第七")


def test_front_matter_is_stripped_up_to_the_closing_dashes() -> None:
    text = "---\ntitle: x\nnotes:\n  - a\n---\n\n第一条 正文。"
    assert strip_front_matter(text).strip() == "第一条 正文。"
    assert strip_front_matter("no header\n---\nkept") == "no header\n---\nkept"


def test_statute_keeps_paragraphs_and_items_inside_the_article() -> None:
    text = (
        "# 标题\n## 第一章 总则\n第一条 目的。\n## 第二章 规则\n第二条 条件如下：\n（一）甲；\n（二）乙。\n"
        "第二款内容。\n第一条规定的情形除外。\n第三条 施行。"
    )
    sections = split_statute(text)
    assert [s.article for s in sections] == ["1", "2", "3"]
    assert sections[0].text == "第一条 目的。"  # the chapter heading is dropped
    assert sections[1].text.splitlines() == [
        "第二条 条件如下：",
        "（一）甲；",
        "（二）乙。",
        "第二款内容。",
        "第一条规定的情形除外。",
    ]


def test_a_cross_reference_at_line_start_does_not_open_an_article() -> None:
    sections = split_statute("第一条 甲。\n第三条 规定的情形，从其规定。\n第二条 乙。")
    assert [s.article for s in sections] == ["1", "2"]
    assert "第三条 规定的情形" in sections[0].text


def test_guide_parts_and_the_part_whose_heading_is_missing() -> None:
    text = (
        "# 指南\n[… beginning missing …]\n[…]从其规定。\n"
        "二、备案方式\n十个工作日内备案。\n三、备案流程\n（一）材料提交\n四、联系方式"
    )
    sections = split_parts(text)
    assert [s.article for s in sections] == ["1", "2", "3", "4"]
    assert sections[0].text == "[…]从其规定。"
    assert sections[2].text == "三、备案流程\n（一）材料提交"


def test_english_sections_with_intro_and_no_language_menu() -> None:
    text = (
        "title line\n\n한어Русский языкEnglish\n\nintro text\n\n1. first heading\n\nbody one\n\n2. second\n\nbody two"
    )
    sections = split_sections(text)
    assert [s.article for s in sections] == ["intro", "1", "2"]
    assert sections[0].text == "title line\nintro text"
    assert sections[1].heading == "1. first heading"
    assert sections[1].text == "1. first heading\nbody one"


def test_an_article_unknown_to_the_registry_is_a_corpus_error(tmp_path: Path) -> None:
    path = tmp_path / "provisions.zh.md"
    path.write_text("\n".join(f"第{n}条 正文。" for n in ["一", "二", "三"]) + "\n第四条 多余。", encoding="utf-8")
    document = REGISTRY.documents["cbdf-provisions-2024"].model_copy(update={"articles": 3})
    with pytest.raises(CorpusError, match=r"provisions\.zh\.md: article '4'"):
        load_official_file(path, document)


def test_a_text_without_structure_is_a_corpus_error(tmp_path: Path) -> None:
    path = tmp_path / "empty.zh.md"
    path.write_text("---\ntitle: x\n---\n只有一段话。", encoding="utf-8")
    with pytest.raises(CorpusError, match="no articles"):
        load_official_file(path, REGISTRY.documents["cbdf-provisions-2024"])


def test_missing_folder_or_files_are_skipped(tmp_path: Path) -> None:
    assert load_official(None, REGISTRY.documents) == []
    assert load_official(tmp_path, REGISTRY.documents) == []


needs_sources = pytest.mark.skipif(SHARED is None, reason="the official texts folder (../shared) is not there")


@needs_sources
@pytest.mark.parametrize(
    "doc",
    [d.id for d in REGISTRY.documents.values() if d.source_file],
)
def test_real_texts_split_into_exactly_the_registered_articles(doc: str) -> None:
    document = REGISTRY.documents[doc]
    assert SHARED is not None and document.source_file is not None
    path = SHARED / document.source_file
    if not path.is_file():
        pytest.skip(f"{path} is not there")
    passages = load_official_file(path, document)
    articles = [p.article for p in passages]
    assert len(articles) == len(set(articles))
    assert set(articles) == document.fixed_articles
    assert all(p.kind == "official" and p.doc == doc for p in passages)


@needs_sources
@pytest.mark.parametrize(
    ("doc", "count"),
    [("cbdf-provisions-2024", 14), ("sa-measures-2022", 20), ("pipl-2021", 74), ("csl-2016", 79)],
)
def test_article_counts_of_real_statutes(doc: str, count: int) -> None:
    passages = load_official(SHARED, {doc: REGISTRY.documents[doc]})
    assert len(passages) == count


@needs_sources
def test_real_article_keeps_its_paragraphs_and_items() -> None:
    passages = load_official(SHARED, {"pipl-2021": REGISTRY.documents["pipl-2021"]})
    art38 = next(p for p in passages if p.article == "38")
    assert art38.text.startswith("第三十八条")
    assert "（四）" in art38.text and "国际条约" in art38.text  # 项 and the second 款
    assert "第三十九条" not in art38.text
    assert art38.title == "《个人信息保护法》第38条"
    assert "第二章" not in "".join(p.text for p in passages)  # chapter headings are dropped
