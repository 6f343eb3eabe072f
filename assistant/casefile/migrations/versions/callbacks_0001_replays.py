"""Chat-tool callbacks: the replay memory (`callback_replays`), one row per claimed message or delivery.

Matches the ORM model in `assistant/casefile/replay.py`.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "callbacks_0001"
down_revision: str | None = None
branch_labels: tuple[str, ...] | None = ("callbacks",)
depends_on: str | None = None


def upgrade() -> None:
    """Create the table of claimed callback keys and the index the sweep deletes by."""
    op.create_table(
        "callback_replays",
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("seen_at", sa.Float(), nullable=False),
        sa.Column("reply", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_index("ix_callback_replays_seen_at", "callback_replays", ["seen_at"])


def downgrade() -> None:
    """Drop the table (claims are short-lived: nothing of lasting value is lost)."""
    op.drop_index("ix_callback_replays_seen_at", table_name="callback_replays")
    op.drop_table("callback_replays")
