"""Schema migrations of the assistant's database (Alembic), run once under a lock at start.

Every table the assistant keeps in its database (the audit log's `audit_cases`, and the tables other areas
add: accounts, sign-in sessions, chat-callback replay memory, ...) is created and changed only by the
revisions in `versions/`, never by `metadata.create_all`. `upgrade_schema(engine)` brings a database to
every head under a cross-process lock (`assistant.casefile.migrations.lock`), so any number of replicas can
start together on one fresh database: one migrates, the others wait, find the schema current and go on.
`assistant db upgrade` runs the same step by hand; `assistant db current` prints the applied revisions.
Alembic is configured in code (no alembic.ini is read at run time).

Each area is an independent branch, so areas add revisions without touching each other's history:

- Put the revision in `assistant/casefile/migrations/versions/<area>_<NNNN>_<what>.py` (e.g.
  `accounts_0001_accounts.py`), with `revision = "<area>_<NNNN>"` (e.g. `"accounts_0001"`).
- An area's first revision has `down_revision = None` and `branch_labels = ("<area>",)`; its later ones
  have `down_revision = "<area>_<NNNN-1>"` and `branch_labels = None`.
- If the area's tables reference another area's tables (a foreign key to `audit_cases`), add
  `depends_on = "audit_0001"` (the revision that created them), so Alembic applies that one first.
- Write `upgrade()` with `alembic.op` by hand (`op.create_table`, `op.create_index`, ...), typed
  (`def upgrade() -> None`), the same columns and indexes as the area's ORM model; a test should compare
  the migrated schema with the model (see tests/casefile/test_migrations.py, `compare_metadata`).
  `downgrade()` drops what `upgrade()` created.
- Nothing else is needed: upgrades always run to `heads`, so a new branch or revision is picked up by
  `upgrade_schema`, `assistant db upgrade` and every start. Never edit a revision that has shipped; add one.
"""

from __future__ import annotations

from .schema import AUDIT_BASE, current_revisions, head_revisions, upgrade_schema

__all__ = ["AUDIT_BASE", "current_revisions", "head_revisions", "upgrade_schema"]
