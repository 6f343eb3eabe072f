"""Bring the database to every head revision, once, under the lock; adopt databases made before migrations.

Alembic is configured in code: the script location is this package, and `env.py` migrates on the connection
passed in `Config.attributes`, inside the locked transaction opened here.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import inspect
from sqlalchemy.engine import Connection, Engine

from ...errors import ConfigurationError
from .lock import locked_transaction

AUDIT_BASE = "audit_0001"
"""The audit branch's first revision: the `audit_cases` table that `create_all` used to make."""
PRE_MIGRATION_TABLE = "audit_cases"
PRE_MIGRATION_COLUMNS = frozenset(
    {
        "id", "created_at", "question", "language", "outcome", "industry", "facts_json", "determination_json",
        "citations_json", "sources_json", "answer", "error", "channel", "key_id", "truncated",
        "feedback_verdict", "feedback_comment", "feedback_at",
    }
)  # fmt: skip
"""The columns of `audit_cases` as `create_all` made it, checked before such a database is stamped."""
LOCK_TIMEOUT_SECONDS = 300.0
"""How long a replica waits for another one's upgrade before giving up."""
SCRIPT_LOCATION = Path(__file__).resolve().parent
"""The folder holding `env.py` and `versions/` (this package)."""


def _config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(SCRIPT_LOCATION).replace("%", "%%"))  # ini interpolation
    config.attributes["connection"] = connection
    return config


def head_revisions() -> frozenset[str]:
    """The head revision of every branch the package ships."""
    return frozenset(ScriptDirectory.from_config(_config()).get_heads())


def current_revisions(engine: Engine) -> frozenset[str]:
    """The revisions the database is at (empty for a fresh database or one made before migrations)."""
    with engine.connect() as connection:
        return frozenset(MigrationContext.configure(connection).get_current_heads())


def upgrade_schema(engine: Engine, *, timeout: float = LOCK_TIMEOUT_SECONDS) -> bool:
    """Upgrade the database to every head; True when this call changed it, False when it was current.

    Safe to call from any number of processes at once: the check under the lock makes a replica that waited
    for another one's upgrade find the schema current and do nothing. A database whose `audit_cases` was made
    by `create_all` (no version table) is stamped at `AUDIT_BASE` first, keeping its rows.

    Raises:
        ConfigurationError: the database holds an `audit_cases` this package did not make, or Alembic
            cannot apply the revisions (e.g. the database is at a revision this package does not know).
        AssistantRuntimeError: another replica held the lock for longer than `timeout` seconds.
    """
    heads = head_revisions()
    if current_revisions(engine) == heads:
        return False  # the usual start: nothing to do, no lock taken
    with engine.connect() as connection, locked_transaction(connection, timeout=timeout):
        config = _config(connection)
        if frozenset(MigrationContext.configure(connection).get_current_heads()) == heads:
            return False  # another replica upgraded while this one waited
        try:
            if _made_before_migrations(connection):
                command.stamp(config, AUDIT_BASE)
            command.upgrade(config, "heads")
        except CommandError as exc:
            raise ConfigurationError(f"cannot upgrade the database schema: {exc}") from None
    return True


def _made_before_migrations(connection: Connection) -> bool:
    """The table `create_all` made is there but no revision is recorded (raises when it is not ours)."""
    inspector = inspect(connection)
    if inspector.has_table("alembic_version") or not inspector.has_table(PRE_MIGRATION_TABLE):
        return False
    columns = {column["name"] for column in inspector.get_columns(PRE_MIGRATION_TABLE)}
    if columns != PRE_MIGRATION_COLUMNS:
        raise ConfigurationError(
            f"the database has a {PRE_MIGRATION_TABLE} table with unexpected columns and no schema version; "
            "not adopting it"
        )
    return True
