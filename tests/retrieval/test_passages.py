"""Passages from notes: two per entry, document metadata joined, content-addressed ids, clear errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from assistant.errors import CorpusError
from assistant.retrieval.corpus import load_passages
from assistant.retrieval.passages import load_notes_file, passage_id
from assistant.settings import Settings

from .conftest import NOTES


def test_each_note_entry_gives_an_english_and_a_chinese_passage(small_corpus: Settings) -> None:
    passages = [p for p in load_passages(small_corpus) if p.kind == "note"]
    assert [(p.article, p.lang) for p in passages] == [("7", "en"), ("7", "zh"), ("8", "en"), ("8", "zh")]
    en7 = passages[0]
    assert en7.title == "Provisions art 7: Security assessment triggers"
    assert passages[1].title == "《促进和规范数据跨境流动规定》第7条 申报安全评估的情形"
    assert en7.issuer is not None and "CAC" in en7.issuer
    assert en7.published == dt.date(2024, 3, 22) and en7.url is not None and en7.url.startswith("https://")
    assert en7.superseded is False
    assert en7.content == f"{en7.title}\n{en7.text}"


def test_official_passages_come_from_the_configured_folder(small_corpus: Settings) -> None:
    official = [p for p in load_passages(small_corpus) if p.kind == "official"]
    assert [p.article for p in official] == ["1", "2", "3"]
    assert official[2].text.endswith("第二条规定的情形，从其规定。")
    no_folder = small_corpus.model_copy(update={"official_dir": None})
    assert {p.kind for p in load_passages(no_folder)} == {"note"}


def test_ids_are_content_hashes(small_corpus: Settings) -> None:
    first = load_passages(small_corpus)
    again = load_passages(small_corpus)
    assert [p.id for p in first] == [p.id for p in again]
    assert len({p.id for p in first}) == len(first)
    p = first[0]
    assert p.id == passage_id(p.doc, p.article, p.lang, p.kind, p.title, p.text)
    assert len(p.id) == 16 and int(p.id, 16) >= 0
    assert passage_id(p.doc, p.article, p.lang, p.kind, p.title, p.text + ".") != p.id


KEYWORDS = """\
doc: cbdf-provisions-2024
entries:
  - article: "7"
    title_en: Security assessment triggers
    title_zh: 申报安全评估的情形
    keywords_en: [mandatory filing, "1 million people"]
    keywords_zh: [必须申报]
    en: >-
      A processor must file a security assessment.
    zh: >-
      处理者应当申报安全评估。
"""


def test_keywords_are_indexed_with_the_passage_and_hashed(tmp_path: Path, small_corpus: Settings) -> None:
    from assistant.documents import load_registry

    documents = load_registry(small_corpus.corpus_dir / "documents.yaml").documents
    en, zh = load_notes_file(_write(tmp_path, KEYWORDS), documents)
    assert en.keywords == ("mandatory filing", "1 million people") and zh.keywords == ("必须申报",)
    assert en.content == f"{en.title}\n{en.text}\nKeywords: mandatory filing; 1 million people"
    assert zh.content.endswith("\n关键词：必须申报")
    assert en.id == passage_id(en.doc, en.article, en.lang, en.kind, en.title, en.text, en.keywords)
    assert en.id != passage_id(en.doc, en.article, en.lang, en.kind, en.title, en.text)
    assert en.doc_title == documents["cbdf-provisions-2024"].title_en
    assert zh.doc_title == documents["cbdf-provisions-2024"].title_zh
    # The project's notes all have keywords.
    notes = [p for p in load_passages(Settings()) if p.kind == "note"]
    assert notes and all(p.keywords for p in notes)


def _write(tmp_path: Path, text: str, name: str = "cbdf-provisions-2024.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("    title_en: Security assessment triggers\n", ""), r"entry 0 \(article 7\): title_en: Field required"),
        (('article: "8"', 'article: "99"'), r"entry 1 \(article 99\): article '99' is not an article"),
        (('article: "8"', 'article: "7"'), r"entry 1 \(article 7\): duplicate article"),
        (("    zh: >-\n      处理者", "    colour: red\n    zh: >-\n      处理者"), r"entry 0 .*colour: Extra inputs"),
        (("    zh: >-\n      处理者", "    keywords_en: [a, a]\n    zh: >-\n      处理者"), r"keywords must be unique"),
        (("    zh: >-\n      处理者", "    keywords_zh: ['']\n    zh: >-\n      处理者"), r"1 to 60 characters"),
        (("doc: cbdf-provisions-2024", "doc: no-such-doc"), "unknown document id 'no-such-doc'"),
        (("entries:", "entries: 3\nx:"), "expected exactly the keys"),
        (("  - article", "  -- article"), "cannot read YAML"),
    ],
    ids=[
        "missing-field",
        "unknown-article",
        "duplicate",
        "unknown-key",
        "duplicate-keywords",
        "empty-keyword",
        "unknown-doc",
        "shape",
        "yaml",
    ],
)
def test_malformed_notes_name_the_file_and_entry(
    small_corpus: Settings, tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    from assistant.documents import load_registry

    documents = load_registry(small_corpus.corpus_dir / "documents.yaml").documents
    assert len(load_notes_file(_write(tmp_path, NOTES), documents)) == 4
    assert change[0] in NOTES
    path = _write(tmp_path, NOTES.replace(*change, 1))
    with pytest.raises(CorpusError, match=message) as info:
        load_notes_file(path, documents)
    assert str(path) in str(info.value)


def test_notes_file_must_be_named_after_its_document(small_corpus: Settings, tmp_path: Path) -> None:
    from assistant.documents import load_registry

    documents = load_registry(small_corpus.corpus_dir / "documents.yaml").documents
    with pytest.raises(CorpusError, match=r"file name must be cbdf-provisions-2024\.yaml"):
        load_notes_file(_write(tmp_path, NOTES, "provisions.yaml"), documents)


def test_the_project_corpus_loads() -> None:
    passages = load_passages(Settings())
    assert len({p.id for p in passages}) == len(passages)
    notes = [p for p in passages if p.kind == "note"]
    assert notes, "the project has notes"
    by_lang = {lang: {(p.doc, p.article) for p in notes if p.lang == lang} for lang in ("en", "zh")}
    assert by_lang["en"] == by_lang["zh"]


def test_note_keywords_are_our_own_words() -> None:
    """No keyword line repeats 24 or more consecutive characters of an official text."""
    passages = load_passages(Settings())
    official = [p.text for p in passages if p.kind == "official"]
    if not official:
        pytest.skip("the official texts are not available")
    size = 24
    grams = {text[i : i + size] for text in official for i in range(len(text) - size + 1)}
    for p in passages:
        line = "; ".join(p.keywords)
        assert not any(line[i : i + size] in grams for i in range(len(line) - size + 1)), (p.doc, p.article)
