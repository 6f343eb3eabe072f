"""Command bodies of the database schema, for the CLI to wire (`assistant db upgrade`, `assistant db current`).

The same upgrade runs whenever the audit log opens; the command lets an operator run it as a deploy step and
see where a database stands.
"""

from __future__ import annotations

from typing import TextIO

from sqlalchemy.exc import SQLAlchemyError

from ..casefile.audit import open_engine
from ..casefile.migrations import current_revisions, head_revisions, upgrade_schema
from ..errors import ConfigurationError


def db_command(action: str, url: str, out: TextIO) -> int:
    """Run `upgrade` (print what changed) or `current` (print the database's and the package's revisions).

    Returns:
        The exit code: 0; for `current`, 1 when the database is not at every head. Failures raise
        `AssistantError`, which the CLI prints.
    """
    engine = open_engine(url)
    try:
        if action == "upgrade":
            changed = upgrade_schema(engine)
            revisions = ", ".join(sorted(current_revisions(engine)))
            print(f"{'upgraded to' if changed else 'already at'} {revisions}", file=out)
            return 0
        current, heads = current_revisions(engine), head_revisions()
        print(f"database: {', '.join(sorted(current)) or '(none)'}", file=out)
        print(f"package heads: {', '.join(sorted(heads))}", file=out)
        return 0 if current == heads else 1
    except SQLAlchemyError as exc:
        raise ConfigurationError(f"cannot reach the database at {engine.url!r}: {exc}") from None
    finally:
        engine.dispose()
