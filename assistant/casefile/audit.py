"""The audit log: every answered turn, with its facts, determination, sources and feedback (SQLAlchemy 2).

SQLite in WAL mode by default; any SQLAlchemy URL (PostgreSQL, ...) works the same way. The tables are made and
changed by the Alembic revisions in `migrations/`, applied when the log opens (once, under a lock, so replicas
can start together); the ORM model below must match them (a test compares the two).
"""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
import uuid
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import Boolean, DateTime, Engine, Index, String, Text, create_engine, event, insert, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from ..answer.reply import Answer
from ..errors import AssistantRuntimeError, ConfigurationError, UserError
from .migrations import upgrade_schema
from .privacy import MAX_FIELD_CHARS, clean_text, mask_pii

FEEDBACK_VERDICTS: tuple[str, ...] = ("useful", "wrong")
"""The verdicts a person may give an answer (feedback)."""
MAX_JSON_CHARS = 200_000
"""Facts, determination and sources JSON longer than this are stored as a truncation note."""


class _Base(DeclarativeBase):
    """Declarative base of the audit tables."""


class CaseRow(_Base):
    """One answered turn as stored."""

    __tablename__ = "audit_cases"
    __table_args__ = (Index("ix_audit_cases_created_at", "created_at"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    question: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(8))
    outcome: Mapped[str] = mapped_column(String(64), index=True)
    industry: Mapped[str | None] = mapped_column(String(64), index=True)
    facts_json: Mapped[str] = mapped_column(Text)
    determination_json: Mapped[str] = mapped_column(Text)
    citations_json: Mapped[str] = mapped_column(Text)
    sources_json: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    error: Mapped[str | None] = mapped_column(Text)
    channel: Mapped[str] = mapped_column(String(32))
    key_id: Mapped[str | None] = mapped_column(String(128))
    truncated: Mapped[bool] = mapped_column(Boolean, default=False)
    feedback_verdict: Mapped[str | None] = mapped_column(String(16))
    feedback_comment: Mapped[str | None] = mapped_column(Text)
    feedback_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class CaseRecord(BaseModel):
    """A stored turn, read back with its JSON parsed."""

    id: str
    created_at: dt.datetime
    question: str
    language: str
    outcome: str
    industry: str | None = None
    facts: dict[str, Any] = Field(default_factory=dict)
    determination: dict[str, Any] = Field(default_factory=dict)
    citations: list[dict[str, Any]] = Field(default_factory=list)
    sources: list[dict[str, Any]] = Field(default_factory=list)
    answer: str = ""
    error: str | None = None
    channel: str = "chat"
    key_id: str | None = None
    truncated: bool = Field(default=False, description="some stored text was cut to fit")
    feedback_verdict: str | None = None
    feedback_comment: str | None = None
    feedback_at: dt.datetime | None = None


OPEN_ATTEMPTS = 5
"""How many times opening the audit log is tried when SQLite reports the new file locked."""


class AuditLog:
    """Append-only record of answered turns, with feedback attached afterwards."""

    def __init__(self, url: str) -> None:
        """Open the audit database at an SQLAlchemy URL, creating or upgrading its schema when needed.

        Raises:
            ConfigurationError: the URL is malformed, or the database cannot be opened or upgraded.
            AssistantRuntimeError: another process held the schema lock for too long.
        """
        self.engine: Engine = open_engine(url)
        for attempt in range(1, OPEN_ATTEMPTS + 1):
            try:
                upgrade_schema(self.engine)
                break
            except OperationalError as exc:
                # SQLite may answer "database is locked" at once, without waiting out the busy timeout, while
                # replicas starting together switch the new file to WAL: try again shortly
                if "locked" not in str(exc) or attempt == OPEN_ATTEMPTS:
                    raise ConfigurationError(f"cannot open the audit log at {self.engine.url!r}: {exc}") from None
                time.sleep(0.25 * attempt)
            except SQLAlchemyError as exc:
                raise ConfigurationError(f"cannot open the audit log at {self.engine.url!r}: {exc}") from None

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    def record(self, answer: Answer, channel: str, key_id: str | None = None) -> str:
        """Store one answered turn (question masked) and return its case id.

        Raises:
            AssistantRuntimeError: the database refused even the minimal record.
        """
        row = _row(answer, channel, key_id)
        case_id = row.id
        try:
            self._add(row)
        except SQLAlchemyError as exc:
            # Keep the turn even when a field is refused: store a minimal row that says what was lost.
            fallback = _row(answer, channel, key_id, minimal=True)
            case_id = fallback.id
            fallback.error = f"stored without details: {type(exc).__name__}"
            try:
                self._add(fallback)
            except SQLAlchemyError as again:
                raise AssistantRuntimeError(f"audit log write failed: {again}") from again
        return case_id

    def _add(self, row: CaseRow) -> None:
        """Insert one row and commit before returning (an answer is sent only once its row is stored).

        A Core INSERT of the row's values: the ORM's unit of work cost about as much as the row's own masking.
        """
        values = {column.key: getattr(row, column.key) for column in CaseRow.__table__.columns}
        with self.engine.begin() as connection:
            connection.execute(insert(CaseRow), values)

    def feedback(self, case_id: str, verdict: str, comment: str | None = None) -> None:
        """Attach feedback (useful or wrong, with an optional comment, masked) to a case.

        Raises:
            UserError: the verdict is not useful/wrong, or no case has this id.
        """
        if verdict not in FEEDBACK_VERDICTS:
            raise UserError(f"feedback must be one of {', '.join(FEEDBACK_VERDICTS)}, not {verdict!r}")
        text = mask_pii(clean_text(comment, 4000)[0]).strip() if comment else None
        with Session(self.engine) as session, session.begin():
            row = session.get(CaseRow, case_id)
            if row is None:
                raise UserError(f"no case with id {case_id!r}")
            row.feedback_verdict = verdict
            row.feedback_comment = text or None
            row.feedback_at = _now()

    def get(self, case_id: str) -> CaseRecord | None:
        """The case with this id, or None."""
        with Session(self.engine) as session:
            row = session.get(CaseRow, case_id)
            return _record(row) if row is not None else None

    def recent(
        self,
        limit: int = 50,
        outcome: str | None = None,
        industry: str | None = None,
        since: dt.date | dt.datetime | None = None,
        until: dt.date | dt.datetime | None = None,
    ) -> list[CaseRecord]:
        """The latest cases first, filtered by outcome, industry and time (dates are whole UTC days)."""
        query = select(CaseRow).order_by(CaseRow.created_at.desc(), CaseRow.id).limit(max(1, min(limit, 1000)))
        if outcome:
            query = query.where(CaseRow.outcome == outcome)
        if industry:
            query = query.where(CaseRow.industry == industry)
        if since is not None:
            query = query.where(CaseRow.created_at >= _bound(since, end=False))
        if until is not None:
            query = query.where(CaseRow.created_at < _bound(until, end=True))
        with Session(self.engine) as session:
            return [_record(row) for row in session.scalars(query)]


def open_engine(url: str) -> Engine:
    """An engine on the audit database (SQLite: its folder made, WAL and a busy timeout on every connection).

    Raises:
        ConfigurationError: the URL is malformed.
    """
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise ConfigurationError(f"invalid audit_url {url!r}: {exc}") from None
    is_sqlite = parsed.get_backend_name() == "sqlite"
    if is_sqlite and parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    connect_args = {"check_same_thread": False} if is_sqlite else {}
    try:
        engine = create_engine(parsed, connect_args=connect_args)
    except (ArgumentError, ImportError) as exc:
        raise ConfigurationError(f"cannot use the audit_url {parsed!r}: {exc}") from None
    if is_sqlite:
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


class MigratedEngine:
    """An engine, or a URL opened on first use, with the schema brought to every head once (thread-safe).

    Building an app does no I/O: the first request that needs the database opens and migrates it.
    """

    def __init__(self, engine: Engine | str, what: str) -> None:
        self._engine = engine if isinstance(engine, Engine) else None
        self._url = engine if isinstance(engine, str) else None
        self._what = what
        self._opening = threading.Lock()
        self._ready = False

    def get(self) -> Engine:
        """The engine, opened and migrated (under the migrations' lock) on first use.

        Raises:
            ConfigurationError: the database cannot be opened or upgraded.
            AssistantRuntimeError: another process held the schema lock for too long.
        """
        if not self._ready:
            with self._opening:
                if not self._ready:
                    if self._engine is None:
                        assert self._url is not None
                        self._engine = open_engine(self._url)
                    try:
                        upgrade_schema(self._engine)
                    except SQLAlchemyError as exc:
                        raise ConfigurationError(f"cannot open {self._what}: {exc}") from None
                    self._ready = True
        assert self._engine is not None
        return self._engine

    def dispose(self) -> None:
        """Close the engine's connections, if it was ever opened."""
        if self._engine is not None:
            self._engine.dispose()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """WAL lets readers (the console) run while the chat writes; wait rather than fail on a lock."""
    cursor = dbapi_connection.cursor()
    # first: switching to WAL itself may wait for another process; 30 s covers a replica that is applying every
    # migration branch while the others start on a busy machine (5 s did not)
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _bound(value: dt.date | dt.datetime, *, end: bool) -> dt.datetime:
    """A UTC instant; a date means the start of that day, or the start of the next for `until`."""
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    start = dt.datetime.combine(value, dt.time(), tzinfo=dt.UTC)
    return start + dt.timedelta(days=1) if end else start


def _json(value: Any) -> tuple[str, bool]:
    text = json.dumps(value, ensure_ascii=False, default=str)
    if len(text) <= MAX_JSON_CHARS:
        return clean_text(text, MAX_JSON_CHARS)
    return json.dumps({"truncated": True, "chars": len(text)}), True


def _masked(value: str | None, limit: int = MAX_FIELD_CHARS) -> tuple[str, bool]:
    """Cleaned and masked text; masking runs before the cut so that no number is left half-shown."""
    text, cut = clean_text(value, 50 * limit)
    masked, cut_again = clean_text(mask_pii(text), limit)
    return masked, cut or cut_again


def _row(answer: Answer, channel: str, key_id: str | None, *, minimal: bool = False) -> CaseRow:
    data = answer.to_dict()
    question, cut_q = _masked(answer.question)
    text, cut_a = _masked(answer.answer)
    facts, cut_f = _json({} if minimal else data.get("facts", {}))
    det, cut_d = _json({"outcome": answer.determination.outcome} if minimal else data.get("determination", {}))
    cites, cut_c = _json([] if minimal else data.get("determination", {}).get("citations", []))
    sources, cut_s = _json([] if minimal else data.get("sources", []))
    now = _now()
    return CaseRow(
        id=f"{now:%Y%m%d}-{uuid.uuid4().hex[:10]}",  # readable on the phone; unique enough per day
        created_at=now,
        question=question,
        language=clean_text(answer.language, 8)[0],
        outcome=clean_text(answer.determination.outcome, 64)[0],
        industry=answer.facts.industry,
        facts_json=facts,
        determination_json=det,
        citations_json=cites,
        sources_json=sources,
        answer=text,
        error=_masked(answer.error, 4000)[0] if answer.error else None,
        channel=clean_text(channel or "unknown", 32)[0],
        key_id=clean_text(key_id, 128)[0] if key_id else None,
        truncated=minimal or any((cut_q, cut_a, cut_f, cut_d, cut_c, cut_s)),
    )


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    """SQLite hands back naive datetimes; every stored time is UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=dt.UTC)


def _load(text: str, default: Any) -> Any:
    try:
        return json.loads(text)
    except (TypeError, ValueError):
        return default


def _record(row: CaseRow) -> CaseRecord:
    created = _aware(row.created_at)
    assert created is not None
    return CaseRecord(
        id=row.id,
        created_at=created,
        question=row.question,
        language=row.language,
        outcome=row.outcome,
        industry=row.industry,
        facts=_load(row.facts_json, {}),
        determination=_load(row.determination_json, {}),
        citations=_load(row.citations_json, []),
        sources=_load(row.sources_json, []),
        answer=row.answer,
        error=row.error,
        channel=row.channel,
        key_id=row.key_id,
        truncated=bool(row.truncated),
        feedback_verdict=row.feedback_verdict,
        feedback_comment=row.feedback_comment,
        feedback_at=_aware(row.feedback_at),
    )
