"""The case report for a filing: Markdown and a PDF that renders Chinese."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.answer.render import render_determination
from assistant.answer.reply import Answer, SourcePassage
from assistant.casefile import pdf as pdf_module
from assistant.casefile.audit import AuditLog, CaseRecord
from assistant.casefile.report import build_report, report_markdown, report_pdf
from assistant.errors import ConfigurationError
from assistant.facts import Facts
from assistant.rules import RuleBook, check, default_rulebook
from assistant.settings import Settings

FLAGSHIP_FACTS = Facts(
    zone="beijing_ftz",
    industry="pharmaceutical",
    scenario="clinical_trial",
    sensitive_info_count=40_000,
    data_kinds=["health"],
)


@pytest.fixture(scope="module")
def book() -> RuleBook:
    settings = Settings()
    return default_rulebook(settings.rules_path(), settings.corpus_dir / "documents.yaml")


@pytest.fixture
def record(tmp_path: Path, book: RuleBook) -> Iterator[CaseRecord]:
    """The flagship case in Chinese, recorded and read back, with feedback."""
    det = render_determination(check(FLAGSHIP_FACTS, book, today=dt.date(2026, 6, 1)), book, "zh")
    answer = Answer(
        question="我们是北京自贸区药企（联系电话13812345678），能否把4万名患者的临床试验数据传给境外总部？",
        language="zh",
        answer="**可以：办理北京负面清单使用备案后，无需履行国家层面的出境程序。**",
        determination=det,
        facts=FLAGSHIP_FACTS,
        sources=[SourcePassage(doc="cbdf-provisions-2024", article="7", text="第七条 数据处理者向境外提供个人信息……")],
    )
    log = AuditLog(f"sqlite:///{tmp_path / 'audit.db'}")
    case_id = log.record(answer, "chat")
    log.feedback(case_id, "useful", "清楚")
    found = log.get(case_id)
    assert found is not None
    yield found
    log.close()


def test_markdown_has_every_part_of_the_case(record: CaseRecord, book: RuleBook) -> None:
    text = report_markdown(record, book.registry)
    for part in ("# 数据出境咨询案例报告", "## 问题", "## 事实", "## 判定", "## 理由", "## 下一步", "## 假设"):
        assert part in text
    for part in ("## 以下情况会改变结论", "## 判定过程", "## 依据条文", "## 答复内容", "## 反馈"):
        assert part in text
    assert record.id in text
    assert "负面清单外 (outside_negative_list)" in text and "结论：" in text
    assert "| 注册地 | 在北京自贸试验区注册 |" in text
    assert "《促进和规范数据跨境流动规定》第7条" in text
    assert "13812345678" not in text and "\\[PHONE\\]" in text  # the mask, escaped: it renders as [PHONE]
    assert "pharma-clinical-trial-pi" in text  # the trace names the list item


def test_report_language_can_be_chosen(record: CaseRecord, book: RuleBook) -> None:
    text = report_markdown(record, book.registry, lang="en")
    assert text.startswith("# Case report: outbound data transfer")
    assert "## Trace" in text and "outside the negative list" in text


def test_report_survives_a_minimal_record(book: RuleBook) -> None:
    bare = CaseRecord(id="x", created_at=dt.datetime.now(dt.UTC), question="", language="en", outcome="out_of_scope")
    kinds = [block.kind for block in build_report(bare, book.registry)]
    assert kinds[0] == "title" and "table" not in kinds
    assert "out of scope" in report_markdown(bare, None)


def test_pdf_renders_chinese(record: CaseRecord, book: RuleBook, tmp_path: Path) -> None:
    data = report_pdf(record, book.registry)
    assert data.startswith(b"%PDF")
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    fonts = shutil.which("pdffonts")
    if fonts:
        listing = subprocess.run([fonts, str(path)], capture_output=True, text=True, check=True).stdout
        assert "NotoSansCJK" in listing and "yes yes" in listing  # embedded and subset
    to_text = shutil.which("pdftotext")
    if to_text:
        text = subprocess.run([to_text, str(path), "-"], capture_output=True, text=True, check=True).stdout
        assert "数据出境咨询案例报告" in text
        assert "负面清单外" in text and "药物临床试验" in text


def test_missing_font_is_a_clear_error(record: CaseRecord, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(pdf_module, "FONT_DIRS", (tmp_path / "no-fonts",))
    pdf_module.find_cjk_font.cache_clear()
    try:
        with pytest.raises(ConfigurationError, match="fonts-noto-cjk"):
            report_pdf(record, None)
    finally:
        pdf_module.find_cjk_font.cache_clear()


def test_duties_beside_the_route_reach_the_card_and_the_report(tmp_path: Path, book: RuleBook) -> None:
    from assistant.ui.cards import determination_card

    facts = Facts(zone="none", industry="pharmaceutical", sensitive_info_count=500, data_kinds=["genetic"])
    det = render_determination(check(facts, book, today=dt.date(2026, 6, 1)), book, "en")
    assert [r.id for r in det.special_regimes] == ["hgr-report-and-backup", "hgr-security-review"]
    card = determination_card(det, book, "en")
    assert "Also required, beside this route" in card and "National Health Commission" in card
    answer = Answer(
        question="genetic data to a foreign sponsor", language="en", answer="-", determination=det, facts=facts
    )
    log = AuditLog(f"sqlite:///{tmp_path / 'audit.db'}")
    found = log.get(log.record(answer, "api"))
    log.close()
    assert found is not None
    text = report_markdown(found, book.registry, "en")
    assert "National Health Commission" in text and "Biosecurity Law art 57" in text
