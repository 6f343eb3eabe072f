"""Conversation memory of the chat tools: the earlier user turns of one sender in one chat, in the audit database.

A chat tool (Feishu, DingTalk, a WeCom app or robot) sends one message per callback and keeps no conversation
for us, yet a follow-up ("and with twice as many people?", or "1" picking an offered option) only makes sense
after the turns before it. So each message is kept as a row of `chat_turns` under its conversation key (the
platform, the chat and the sender), and the pipeline reads the earlier turns exactly as the OpenAI endpoint
passes them: a list of the earlier user messages, oldest first.

- Per sender in a chat: two people asking in one group have two conversations.
- Idle expiry: a conversation whose newest turn is older than `idle_seconds` is over; the next message starts a
  new one. Rows of ended conversations are swept.
- "new", "/new", "重新开始", "新对话" start over (`is_restart`).
- Shared by replicas: each turn is its own insert (no read-modify-write), so two replicas taking two messages
  of one conversation never lose one; every replica reads the same rows.
- Privacy: the key is stored as a digest (no chat or sender id in clear) and the text masked like the audit
  log's questions.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Engine, Float, Integer, String, Text, delete, func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from ..casefile.audit import MigratedEngine
from ..casefile.privacy import clean_text, mask_pii
from ..errors import AssistantRuntimeError
from ..settings import Settings

TABLE = "chat_turns"
"""The table's name in the audit database (the "chattools" branch of the migrations creates it)."""

RESTART_WORDS = frozenset({"new", "/new", "重新开始", "新对话"})
"""Messages that end the conversation, compared after trimming spaces and punctuation, case-insensitively."""

MAX_TURNS = 20
"""Earlier turns handed to the pipeline at most (the newest); a conversation longer than this forgets its start."""

MAX_TURN_CHARS = 4000
"""A stored turn is cut to this many characters (the pipeline reads no more of a question)."""


@dataclass(frozen=True)
class ConversationKey:
    """Whose conversation: a platform ("feishu", "dingtalk", "wecom", ...), a chat id and a sender id."""

    platform: str
    chat: str
    sender: str

    def digest(self) -> str:
        """The stored form: fixed length, no id in clear (the three parts are length-prefixed, never ambiguous)."""
        joined = "".join(f"{len(part)}:{part}" for part in (self.platform, self.chat, self.sender))
        return hashlib.sha256(joined.encode("utf-8")).hexdigest()


def is_restart(text: str) -> bool:
    """Whether a message asks to start over ("new", "/new", "重新开始", "新对话")."""
    return text.strip().strip("。.!！ \t").lower() in RESTART_WORDS


class _Base(DeclarativeBase):
    """Declarative base of the conversation table."""


class TurnRow(_Base):
    """One user message of a conversation."""

    __tablename__ = TABLE

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation: Mapped[str] = mapped_column(String(64), index=True)
    said_at: Mapped[float] = mapped_column(Float, index=True)
    text: Mapped[str] = mapped_column(Text)


class ConversationStore:
    """Conversations of the chat tools in a table of the audit database, shared by every replica using it."""

    def __init__(
        self,
        engine: Engine | str,
        idle_seconds: float,
        clock: Callable[[], float] = time.time,
        *,
        max_turns: int = MAX_TURNS,
        sweep_every: float = 300.0,
    ) -> None:
        """Keep conversations until idle for `idle_seconds` by `clock` (Unix seconds: replicas compare rows).

        `engine` may be a URL, opened (and migrated) on first use, so that building the API does no I/O.
        """
        self.idle_seconds = idle_seconds
        self.clock = clock
        self.max_turns = max_turns
        self.sweep_every = sweep_every
        self._db = MigratedEngine(engine, "the conversations' database")
        self._last_sweep = float("-inf")

    @classmethod
    def from_settings(cls, settings: Settings, clock: Callable[[], float] = time.time) -> ConversationStore:
        """The store the settings describe: the audit database, `chat_tool_conversation_idle_minutes`."""
        return cls(settings.audit_database_url(), settings.chat_tool_conversation_idle_minutes * 60, clock)

    @property
    def engine(self) -> Engine:
        """The engine, opened and the schema brought to every head on first use.

        Raises:
            ConfigurationError: the database cannot be opened or upgraded.
        """
        return self._db.get()

    def turns(self, key: ConversationKey) -> list[str]:
        """The conversation's user turns so far, oldest first (the newest `max_turns`); [] when it has ended.

        Turns before a gap longer than the idle time belong to an earlier conversation and are left out.

        Raises:
            AssistantRuntimeError: the database failed.
        """
        now = self.clock()
        query = (
            select(TurnRow.said_at, TurnRow.text)
            .where(TurnRow.conversation == key.digest())
            .order_by(TurnRow.said_at.desc(), TurnRow.id.desc())
            .limit(self.max_turns)
        )
        try:
            with Session(self.engine) as session:
                rows = session.execute(query).all()
        except SQLAlchemyError as exc:
            raise AssistantRuntimeError(f"conversation memory failed: {type(exc).__name__}") from exc
        kept: list[str] = []
        later = now
        for said_at, text in rows:  # newest first
            if later - said_at > self.idle_seconds:
                break
            kept.append(text)
            later = said_at
        return kept[::-1]

    def add(self, key: ConversationKey, text: str) -> None:
        """Append a user turn (cleaned, masked, cut to `MAX_TURN_CHARS`).

        Raises:
            AssistantRuntimeError: the database failed.
        """
        now = self.clock()
        stored = mask_pii(clean_text(text, MAX_TURN_CHARS)[0])
        try:
            self._sweep(now)
            with Session(self.engine) as session, session.begin():
                session.add(TurnRow(conversation=key.digest(), said_at=now, text=stored))
        except SQLAlchemyError as exc:
            raise AssistantRuntimeError(f"conversation memory failed to add a turn: {type(exc).__name__}") from exc

    def reset(self, key: ConversationKey) -> None:
        """End the conversation: its turns are deleted, the next message starts a new one.

        Raises:
            AssistantRuntimeError: the database failed.
        """
        try:
            with Session(self.engine) as session, session.begin():
                session.execute(delete(TurnRow).where(TurnRow.conversation == key.digest()))
        except SQLAlchemyError as exc:
            raise AssistantRuntimeError(f"conversation memory failed to start over: {type(exc).__name__}") from exc

    def _sweep(self, now: float) -> None:
        """Delete the turns of conversations idle for longer than the idle time, at most once per `sweep_every`."""
        if now - self._last_sweep < self.sweep_every:
            return
        self._last_sweep = now
        ended = (
            select(TurnRow.conversation)
            .group_by(TurnRow.conversation)
            .having(func.max(TurnRow.said_at) < now - self.idle_seconds)
        )
        with Session(self.engine) as session, session.begin():
            session.execute(delete(TurnRow).where(TurnRow.conversation.in_(ended)))

    def count(self) -> int:
        """Rows held now (for tests and operators)."""
        with Session(self.engine) as session:
            return int(session.scalar(select(func.count()).select_from(TurnRow)) or 0)

    def close(self) -> None:
        """Release the database connections."""
        self._db.dispose()
