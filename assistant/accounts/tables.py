"""The accounts tables (ORM models): accounts, sign-in sessions, sign-in throttles and the account audit trail.

They live in the audit database and are created only by the Alembic revisions of the "accounts" branch
(`assistant/casefile/migrations/versions/accounts_*.py`); these models must match them (a test compares the two).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class AccountsBase(DeclarativeBase):
    """Declarative base of the accounts tables (their own metadata, separate from the audit log's)."""


class AccountRow(AccountsBase):
    """One help-desk account: a sign-in name, its argon2 hash and its role."""

    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    dev: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    password_changed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class SessionRow(AccountsBase):
    """One sign-in session; only the SHA-256 of its random id is stored, never the id itself."""

    __tablename__ = "account_sessions"
    __table_args__ = (Index("ix_account_sessions_account_id", "account_id"),)

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[int] = mapped_column(Integer, ForeignKey("accounts.id", ondelete="CASCADE"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    last_seen: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    address: Mapped[str] = mapped_column(String(64), default="")


class ThrottleRow(AccountsBase):
    """Failed sign-ins counted for one account name or one client address, and until when it is locked."""

    __tablename__ = "signin_throttle"

    key: Mapped[str] = mapped_column(String(160), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class AccountEventRow(AccountsBase):
    """One entry of the account audit trail: who did what to which account, when, from which (masked) address."""

    __tablename__ = "account_events"
    __table_args__ = (Index("ix_account_events_at", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    action: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str | None] = mapped_column(String(64))
    subject: Mapped[str | None] = mapped_column(String(64))
    address: Mapped[str] = mapped_column(String(64), default="")
    detail: Mapped[str] = mapped_column(Text, default="")
