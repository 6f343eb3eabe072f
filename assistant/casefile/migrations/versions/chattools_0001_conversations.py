"""Chat tools: conversation memory (`chat_turns`) and replies that could not be delivered (`chat_undelivered`).

Matches the ORM models in `assistant/api/conversations.py` and `assistant/api/replies.py`.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "chattools_0001"
down_revision: str | None = None
branch_labels: tuple[str, ...] | None = ("chattools",)
depends_on: str | None = None


def upgrade() -> None:
    """Create the turns of chat-tool conversations and the record of undelivered replies, with their indexes."""
    op.create_table(
        "chat_turns",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("conversation", sa.String(64), nullable=False),
        sa.Column("said_at", sa.Float(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_chat_turns_conversation", "chat_turns", ["conversation"])
    op.create_index("ix_chat_turns_said_at", "chat_turns", ["said_at"])
    op.create_table(
        "chat_undelivered",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.Float(), nullable=False),
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("target", sa.String(128), nullable=False),
        sa.Column("case_id", sa.String(32), nullable=True),
        sa.Column("error", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_chat_undelivered_at", "chat_undelivered", ["at"])


def downgrade() -> None:
    """Drop both tables (conversations are short-lived; undelivered records are also in the logs)."""
    op.drop_index("ix_chat_undelivered_at", table_name="chat_undelivered")
    op.drop_table("chat_undelivered")
    op.drop_index("ix_chat_turns_said_at", table_name="chat_turns")
    op.drop_index("ix_chat_turns_conversation", table_name="chat_turns")
    op.drop_table("chat_turns")
