"""Official texts (.txt, .docx, .pdf) -> a "text" draft split into articles; once published, citable."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from assistant.accounts import Accounts
from assistant.errors import UploadError
from assistant.knowledge import KnowledgeStore
from assistant.knowledge.texts import TextMeta, extract_text, text_draft
from assistant.retrieval import load_passages
from assistant.retrieval.search import Retriever
from assistant.settings import Settings
from assistant.ui.knowledge_tab import KnowledgeTab
from tests.knowledge.conftest import STRONG

LIMIT = 10_485_760
# TEST DATA: a fictitious two-article measures text in our own words (not an official text).
MEASURES = """测试用虚构管理办法（非官方文本）
第一条 为了测试导入功能，制定本办法。
本条第二款：测试数据处理者应当保存导入记录。
第二条 测试数据处理者有下列情形之一的，适用本办法：
（一）导入表格的；
（二）导入文本的。
"""
META = TextMeta(
    doc="test-measures-2099",
    lang="zh",
    title_zh="测试用虚构管理办法",
    title_en="Fictitious measures for tests",
    issuer="Test issuer (fictitious)",
    published=dt.date(2026, 1, 2),
    effective=dt.date(2026, 2, 1),
)


def write_docx(path: Path, text: str) -> Path:
    import docx

    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    document.save(str(path))
    return path


def write_pdf(path: Path, text: str) -> Path:
    from fpdf import FPDF

    from assistant.casefile.pdf import find_cjk_font

    regular, _, index = find_cjk_font()
    pdf = FPDF()
    pdf.add_page()
    pdf.add_font("cjk", "", str(regular), collection_font_number=index)
    pdf.set_font("cjk", size=11)
    for line in text.splitlines():
        pdf.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def check_two_articles(body: str) -> None:
    raw = json.loads(body)
    assert [a["article"] for a in raw["articles"]] == ["1", "2"]
    first, second = (a["text"] for a in raw["articles"])
    assert "第二款" in first  # the second paragraph stays in article 1
    assert "（一）" in second and "（二）" in second  # the items stay in article 2
    assert raw["doc"] == META.doc and raw["effective"] == "2026-02-01"


@pytest.mark.parametrize("kind", ["txt", "docx", "pdf"])
def test_each_format_splits_into_articles_with_their_paragraphs(tmp_path: Path, kind: str) -> None:
    path = tmp_path / f"measures.{kind}"
    if kind == "txt":
        path.write_text(MEASURES, encoding="utf-8")
    elif kind == "docx":
        write_docx(path, MEASURES)
    else:
        write_pdf(path, MEASURES)
    data = path.read_bytes()
    made = text_draft(META, path.name, data, LIMIT, "olga", now=dt.datetime(2026, 12, 1, tzinfo=dt.UTC))
    check_two_articles(made.body)
    assert made.name == META.doc and made.articles == ["1", "2"]
    assert made.provenance["sha256"] == hashlib.sha256(data).hexdigest()
    assert made.provenance["uploaded_by"] == "olga" and made.provenance["uploaded_at"].startswith("2026-12-01")


def test_bad_texts_give_a_clear_code(tmp_path: Path) -> None:
    from fpdf import FPDF

    blank = FPDF()
    blank.add_page()  # a "scanned" PDF: pages without a text layer
    cases = {
        "measures.doc": (b"\xd0\xcf\x11\xe0old word", "wrong_type"),
        "measures.pdf": (b"this is not a pdf", "corrupt"),
        "broken.pdf": (b"%PDF-1.7\n garbage", "corrupt"),
        "scan.pdf": (bytes(blank.output()), "no_text"),
        "measures.docx": (b"plain text renamed", "corrupt"),
        "empty.txt": (b"", "empty"),
        "binary.txt": (b"\x00\x01\x02" * 20, "binary"),
    }
    for name, (data, code) in cases.items():
        with pytest.raises(UploadError) as caught:
            extract_text(name, data, LIMIT)
        assert caught.value.code == code, name
    with pytest.raises(UploadError) as caught:
        text_draft(META, "notes.txt", "只是一段没有条款的文字。".encode(), LIMIT, "olga")
    assert caught.value.code == "no_articles"
    bad = TextMeta(**{**vars(META), "doc": "../etc"})
    with pytest.raises(UploadError) as caught:
        text_draft(bad, "m.txt", MEASURES.encode(), LIMIT, "olga")
    assert caught.value.code == "bad_doc_id"


def test_a_published_uploaded_text_is_in_the_corpus_and_citable(tmp_path: Path, store: KnowledgeStore) -> None:
    settings = Settings(audit_url=str(store.engine.url), data_dir=tmp_path, official_dir=None, retrieval_mode="bm25")
    before = {p.doc for p in load_passages(settings)}
    assert META.doc not in before
    made = text_draft(META, "measures.txt", MEASURES.encode(), LIMIT, "olga")
    draft_id = store.save_draft("text", made.name, made.body, "olga", provenance=made.provenance)
    assert {p.doc for p in load_passages(settings)} == before  # a draft is not published
    store.approve(draft_id, "anna")
    store.publish(draft_id, "anna")
    passages = [p for p in load_passages(settings) if p.doc == META.doc]
    assert [(p.article, p.kind, p.lang) for p in passages] == [("1", "official", "zh"), ("2", "official", "zh")]
    assert passages[0].effective == dt.date(2026, 2, 1) and passages[0].issuer == META.issuer
    retriever = Retriever(settings)
    assert retriever.resolve(META.doc, "2")[0].text.startswith("第二条")
    hits = retriever.search("导入表格 导入文本 适用本办法", k=3)
    assert any(h.passage.doc == META.doc for h in hits)


def test_a_text_for_a_registered_document_keeps_its_metadata(tmp_path: Path, store: KnowledgeStore) -> None:
    settings = Settings(audit_url=str(store.engine.url), data_dir=tmp_path, official_dir=None)
    meta = TextMeta(**{**vars(META), "doc": "bj-measures-2025"})
    made = text_draft(meta, "measures.txt", MEASURES.encode(), LIMIT, "olga")
    draft_id = store.save_draft("text", made.name, made.body, "olga", provenance=made.provenance)
    store.approve(draft_id, "anna")
    store.publish(draft_id, "anna")
    official = [p for p in load_passages(settings) if p.doc == "bj-measures-2025" and p.kind == "official"]
    assert [p.article for p in official] == ["1", "2"]
    assert official[0].title.startswith("北京“两区”负面清单统一管理办法（2025）")  # the registry's short title


def test_publishing_a_text_in_the_console_refreshes_the_search_index(
    tmp_path: Path, store: KnowledgeStore, accounts: Accounts
) -> None:
    refreshed: list[bool] = []
    retriever = SimpleNamespace(start_refresh=lambda: refreshed.append(True))
    settings = Settings(audit_url=str(store.engine.url), data_dir=tmp_path, official_dir=None)
    tab = KnowledgeTab(accounts, store, settings, SimpleNamespace(retriever=retriever))  # type: ignore[arg-type]
    made = text_draft(META, "measures.txt", MEASURES.encode(), LIMIT, "olga")
    draft_id = store.save_draft("text", made.name, made.body, "olga", provenance=made.provenance)
    store.approve(draft_id, "anna")
    olga = accounts.sign_in("olga", STRONG, "127.0.0.1").cookie
    message = tab.publish(olga, str(draft_id), "en")[-1]
    assert message.startswith("✓") and refreshed == [True]


def test_every_replica_refreshes_its_index_when_the_published_texts_change(
    tmp_path: Path, store: KnowledgeStore
) -> None:
    import gc

    from assistant.knowledge.texts import TextWatch, watch_texts

    settings = Settings(audit_url=str(store.engine.url), data_dir=tmp_path, official_dir=None)
    refreshed: list[bool] = []
    watch = TextWatch(settings, lambda: refreshed.append(True), 1.0)
    assert watch.check() is False  # the baseline: what the index was built with
    made = text_draft(META, "measures.txt", MEASURES.encode(), LIMIT, "olga")
    draft_id = store.save_draft("text", made.name, made.body, "olga", provenance=made.provenance)
    store.approve(draft_id, "anna")
    assert watch.check() is False  # a draft changes nothing
    version = store.publish(draft_id, "anna")  # as another replica would
    assert watch.check() is True and refreshed == [True]
    assert watch.check() is False
    store.rollback(version.id, "anna")
    assert watch.check() is True and refreshed == [True, True]

    class Retriever:
        def start_refresh(self) -> None:
            refreshed.append(True)

    held = Retriever()
    weak = watch_texts(settings, held)
    assert weak.alive()
    del held
    gc.collect()
    assert not weak.alive()  # the watch ends with the app that started it
