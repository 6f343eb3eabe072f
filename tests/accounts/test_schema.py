"""The accounts tables the migrations make are exactly the ORM models (Alembic's autogenerate finds nothing)."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from assistant.accounts.tables import AccountsBase
from assistant.casefile.audit import AuditLog


def test_the_accounts_migration_matches_the_models(audit: AuditLog) -> None:
    ours = set(AccountsBase.metadata.tables)
    with audit.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), AccountsBase.metadata)
    # Tables of other areas show up as "remove_table" (they are not in our metadata): only ours count.
    mine = [d for d in diff if not (d[0] == "remove_table" and d[1].name not in ours)]
    mine = [d for d in mine if not (isinstance(d, tuple) and d[0] == "remove_index" and d[1].table.name not in ours)]
    assert mine == []
