"""Alembic's environment: migrate on the connection `schema.upgrade_schema` hands over (never a URL or an ini).

`schema` opens the transaction (and takes the lock) itself, so the whole upgrade is one transaction where the
database allows it; Alembic sees an external transaction and adds none of its own.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

connection = context.config.attributes.get("connection")
if not isinstance(connection, Connection):
    raise RuntimeError("the assistant's migrations run only through assistant.casefile.migrations.upgrade_schema")
if context.is_offline_mode():
    raise RuntimeError("offline (--sql) migrations are not supported")
context.configure(connection=connection, target_metadata=None)
with context.begin_transaction():
    context.run_migrations()
