"""The audit log: masking, WAL, filters, feedback, and no record lost on bad input."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from assistant.answer.reply import Answer, SourcePassage
from assistant.casefile.audit import AuditLog
from assistant.casefile.privacy import EMAIL_MASK, ID_MASK, PHONE_MASK, clean_text, mask_pii
from assistant.determination import Citation, Determination
from assistant.errors import ConfigurationError, UserError
from assistant.facts import Facts
from assistant.settings import Settings


def make_answer(
    question: str = "Can we send data abroad?", outcome: str = "security_assessment", **facts: object
) -> Answer:
    det = Determination(outcome=outcome, citations=[Citation(doc="cbdf-provisions-2024", article="7")])  # type: ignore[arg-type]
    return Answer(
        question=question,
        language="en",
        answer=f"Outcome: {outcome}",
        determination=det,
        facts=Facts.model_validate(facts),
        sources=[SourcePassage(doc="cbdf-provisions-2024", article="7", text="Article 7 ...")],
    )


@pytest.fixture
def log(tmp_path: Path) -> Iterator[AuditLog]:
    audit = AuditLog(f"sqlite:///{tmp_path / 'audit.db'}")
    yield audit
    audit.close()


@pytest.mark.parametrize(
    ("raw", "mask"),
    [
        pytest.param("ID 11010519491231002X here", ID_MASK, id="id-card-with-X"),
        pytest.param("身份证号110105194912310021。", ID_MASK, id="id-card-in-chinese"),
        pytest.param("call 13812345678", PHONE_MASK, id="mobile"),
        pytest.param("call +86 138 1234 5678", PHONE_MASK, id="mobile-plus86-spaces"),
        pytest.param("call 0086-139-1234-5678", PHONE_MASK, id="mobile-0086-hyphens"),
        pytest.param("电话8613712345678", PHONE_MASK, id="mobile-86-no-plus"),
        pytest.param("office +86 10 6512 3456", PHONE_MASK, id="landline-plus86"),
        pytest.param("office 010-65123456", PHONE_MASK, id="landline-area-code"),
        pytest.param("write to li.lei+dpo@example.com.cn", EMAIL_MASK, id="email"),
    ],
)
def test_personal_data_is_masked(raw: str, mask: str) -> None:
    masked = mask_pii(raw)
    assert mask in masked
    assert not re.search(r"\d", masked), masked


@pytest.mark.parametrize(
    "kept",
    [
        pytest.param("40,000 patients in 2024-08-30", id="counts-and-dates"),
        pytest.param("10000 people, item pharma-clinical-trial-pi", id="threshold"),
        pytest.param("order 12345678901234567890", id="20-digit-number"),
    ],
)
def test_ordinary_numbers_are_kept(kept: str) -> None:
    assert mask_pii(kept) == kept


def test_record_masks_the_question_and_reads_back(log: AuditLog) -> None:
    question = "We are in the Beijing FTZ (call 13812345678, dpo@example.com, ID 11010519491231002X): can we send?"
    case_id = log.record(make_answer(question, zone="beijing_ftz", industry="pharmaceutical"), "chat")
    record = log.get(case_id)
    assert record is not None
    assert "13812345678" not in record.question and "example.com" not in record.question
    assert "11010519491231002X" not in record.question
    assert all(mask in record.question for mask in (PHONE_MASK, EMAIL_MASK, ID_MASK))
    assert record.outcome == "security_assessment"
    assert record.industry == "pharmaceutical"
    assert record.facts["zone"] == "beijing_ftz"
    assert record.citations == [{"doc": "cbdf-provisions-2024", "article": "7"}]
    assert record.sources[0]["text"] == "Article 7 ..."
    assert record.channel == "chat" and record.key_id is None and not record.truncated
    assert record.created_at.tzinfo is not None


def test_api_key_id_and_channel_are_stored(log: AuditLog) -> None:
    record = log.get(log.record(make_answer(), "api", key_id="help-desk"))
    assert record is not None and (record.channel, record.key_id) == ("api", "help-desk")


def test_sqlite_runs_in_wal_mode(log: AuditLog) -> None:
    with log.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"


def test_default_url_is_sqlite_in_the_data_dir(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "state")
    audit = AuditLog(settings.audit_database_url())
    audit.record(make_answer(), "chat")
    audit.close()
    assert (tmp_path / "state" / "audit.db").is_file()


def test_bad_url_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match="audit_url"):
        AuditLog("not a url ::")


def test_huge_and_binary_text_is_stored_truncated_not_dropped(log: AuditLog) -> None:
    huge = "数据出境" * 200_000 + " 13812345678"
    binary = "abc\x00def\udcff\x07 ok"
    huge_id = log.record(make_answer(huge), "chat")
    binary_id = log.record(make_answer(binary), "chat")
    huge_record, binary_record = log.get(huge_id), log.get(binary_id)
    assert huge_record is not None and huge_record.truncated
    assert len(huge_record.question) < 25_000 and huge_record.question.startswith("数据出境")
    assert binary_record is not None and "\x00" not in binary_record.question
    assert binary_record.question.startswith("abc") and binary_record.question.endswith("ok")


def test_clean_text_reports_truncation() -> None:
    assert clean_text("x" * 10, limit=5)[1] is True
    assert clean_text(b"caf\xc3\xa9", limit=5) == ("café", False)
    assert clean_text(None) == ("", False)


def test_feedback_is_stored_with_the_case_and_masked(log: AuditLog) -> None:
    case_id = log.record(make_answer(), "chat")
    log.feedback(case_id, "wrong", "The count is per year; call me on +86 139 1234 5678")
    record = log.get(case_id)
    assert record is not None
    assert record.feedback_verdict == "wrong"
    assert record.feedback_comment is not None and PHONE_MASK in record.feedback_comment
    assert record.feedback_at is not None


@pytest.mark.parametrize(
    ("case_id", "verdict"),
    [pytest.param("missing", "useful", id="unknown-case"), pytest.param(None, "great", id="bad-verdict")],
)
def test_feedback_refuses_bad_input(log: AuditLog, case_id: str | None, verdict: str) -> None:
    real = log.record(make_answer(), "chat")
    with pytest.raises(UserError):
        log.feedback(case_id or real, verdict, None)


def test_recent_filters_by_outcome_industry_and_date(log: AuditLog) -> None:
    log.record(make_answer(outcome="security_assessment", industry="pharmaceutical"), "chat")
    log.record(make_answer(outcome="outside_negative_list", industry="pharmaceutical"), "chat")
    log.record(make_answer(outcome="security_assessment", industry="automotive"), "api")
    assert len(log.recent(10)) == 3
    assert {r.outcome for r in log.recent(10, outcome="security_assessment")} == {"security_assessment"}
    assert len(log.recent(10, outcome="security_assessment", industry="automotive")) == 1
    today = dt.datetime.now(dt.UTC).date()
    assert len(log.recent(10, since=today, until=today)) == 3
    assert log.recent(10, since=today + dt.timedelta(days=1)) == []
    assert log.recent(10, until=today - dt.timedelta(days=1)) == []
    assert len(log.recent(2)) == 2
    times = [r.created_at for r in log.recent(10)]
    assert times == sorted(times, reverse=True)
