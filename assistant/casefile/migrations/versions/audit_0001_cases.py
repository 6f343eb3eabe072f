"""Audit log: the `audit_cases` table and its indexes, exactly as `metadata.create_all` made them before migrations.

A database created that way (the table present, no `alembic_version`) is stamped at this revision rather than
migrated, so its rows stay as they are (`schema.upgrade_schema`).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "audit_0001"
down_revision: str | None = None
branch_labels: tuple[str, ...] | None = ("audit",)
depends_on: str | None = None


def upgrade() -> None:
    """Create the table of answered turns and its three indexes."""
    op.create_table(
        "audit_cases",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("outcome", sa.String(64), nullable=False),
        sa.Column("industry", sa.String(64), nullable=True),
        sa.Column("facts_json", sa.Text(), nullable=False),
        sa.Column("determination_json", sa.Text(), nullable=False),
        sa.Column("citations_json", sa.Text(), nullable=False),
        sa.Column("sources_json", sa.Text(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("key_id", sa.String(128), nullable=True),
        sa.Column("truncated", sa.Boolean(), nullable=False),
        sa.Column("feedback_verdict", sa.String(16), nullable=True),
        sa.Column("feedback_comment", sa.Text(), nullable=True),
        sa.Column("feedback_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_audit_cases_created_at", "audit_cases", ["created_at"])
    op.create_index("ix_audit_cases_industry", "audit_cases", ["industry"])
    op.create_index("ix_audit_cases_outcome", "audit_cases", ["outcome"])


def downgrade() -> None:
    """Drop the table (and with it every recorded case)."""
    op.drop_index("ix_audit_cases_outcome", table_name="audit_cases")
    op.drop_index("ix_audit_cases_industry", table_name="audit_cases")
    op.drop_index("ix_audit_cases_created_at", table_name="audit_cases")
    op.drop_table("audit_cases")
