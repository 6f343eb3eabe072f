"""The knowledge tables (ORM models): drafts, published versions and the knowledge audit trail.

They live in the audit database and are created only by the Alembic revisions of the "knowledge" branch
(`assistant/casefile/migrations/versions/knowledge_*.py`); these models must match them (a test compares the two).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, DateTime, Index, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class KnowledgeBase(DeclarativeBase):
    """Declarative base of the knowledge tables (their own metadata, separate from the audit log's)."""


class DraftRow(KnowledgeBase):
    """One draft of a pack, text or card: written, approved, published or withdrawn."""

    __tablename__ = "knowledge_drafts"
    __table_args__ = (Index("ix_knowledge_drafts_status", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(8))
    name: Mapped[str] = mapped_column(String(128))
    body: Mapped[str] = mapped_column(Text)
    retire: Mapped[bool] = mapped_column(Boolean, default=False)
    author: Mapped[str] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(Text)
    provenance_json: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    approved_by: Mapped[str | None] = mapped_column(String(64))
    approved_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    version_id: Mapped[int | None] = mapped_column(Integer)


class VersionRow(KnowledgeBase):
    """One published version; a rolled-back version keeps its row with the time and who rolled it back."""

    __tablename__ = "knowledge_versions"
    __table_args__ = (Index("ix_knowledge_versions_kind_name", "kind", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    draft_id: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(8))
    name: Mapped[str] = mapped_column(String(128))
    body: Mapped[str] = mapped_column(Text)
    retire: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(Text)
    effective_from: Mapped[dt.date | None] = mapped_column(Date)
    author: Mapped[str] = mapped_column(String(64))
    published_by: Mapped[str] = mapped_column(String(64))
    approved_by: Mapped[str | None] = mapped_column(String(64))
    published_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    rolled_back_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    rolled_back_by: Mapped[str | None] = mapped_column(String(64))


class KnowledgeEventRow(KnowledgeBase):
    """One entry of the knowledge audit trail: who did what to which draft or version, and when."""

    __tablename__ = "knowledge_events"
    __table_args__ = (Index("ix_knowledge_events_action", "action"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    action: Mapped[str] = mapped_column(String(16))
    actor: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(String(160))
    detail: Mapped[str] = mapped_column(Text)
