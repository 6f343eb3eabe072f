"""`assistant audit backup FILE`: a consistent copy of the audit database, taken while the server runs.

- SQLite: the online backup API copies the database page by page under SQLite's own locking, so a copy taken
  while replicas write is a database as it was at one moment (copying the file could catch a half-written
  page, and would miss the WAL file's recent pages). The copy is written beside FILE and renamed into place.
- PostgreSQL: `pg_dump` (custom format, restore with `pg_restore`) takes a snapshot in one transaction; it
  runs when installed, else the exact command is printed. The password goes in the environment
  (`PGPASSWORD`), never on a command line other users can read.
"""

from __future__ import annotations

import os
import shlex
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import TextIO

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from ..errors import ConfigurationError, UserError

PG_DUMP_TIMEOUT = 3600
"""Seconds a pg_dump may run."""


def backup_command(url: str, target: Path, out: TextIO) -> int:
    """Copy the audit database at `url` to `target` (which must not exist yet); returns the exit code.

    Raises:
        UserError: `target` exists or its folder does not.
        ConfigurationError: the URL cannot be read, names a database of another kind, or SQLite's file is missing.
    """
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ConfigurationError("the audit database URL cannot be read") from None
    if target.exists():
        raise UserError(f"{target} exists already: give a new file name (a backup never overwrites)")
    if not target.parent.is_dir():
        raise UserError(f"{target.parent} is not a folder")
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return _sqlite(parsed, target, out)
    if backend == "postgresql":
        return _postgres(parsed, target, out)
    raise ConfigurationError(f"backups of {backend} databases are not supported here: use that database's own tool")


def _sqlite(url: URL, target: Path, out: TextIO) -> int:
    """The online backup API, into a temporary file renamed into place when complete."""
    source = Path(url.database or "")
    if not url.database or not source.is_file():
        raise ConfigurationError(f"no audit database at {source}: nothing to back up yet")
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    reader = sqlite3.connect(source)
    try:
        writer = sqlite3.connect(partial)
        try:
            reader.backup(writer)
            (check,) = writer.execute("PRAGMA integrity_check").fetchone()
        finally:
            writer.close()
    except sqlite3.Error as exc:
        partial.unlink(missing_ok=True)
        raise ConfigurationError(f"the SQLite backup failed: {exc}") from None
    finally:
        reader.close()
    if check != "ok":
        partial.unlink(missing_ok=True)
        raise ConfigurationError(f"the copy failed SQLite's integrity check: {check}")
    partial.replace(target)
    print(f"backed up {source} to {target} ({target.stat().st_size:,} bytes, integrity ok)", file=out)
    return 0


def pg_dump_command(url: URL, target: Path) -> tuple[list[str], dict[str, str]]:
    """The pg_dump command line for `url` (its password left out) and the environment variables it needs."""
    options = [
        "pg_dump",
        "--format=custom",
        "--no-owner",
        f"--file={target}",
        f"--host={url.host or 'localhost'}",
        f"--port={url.port or 5432}",
        f"--username={url.username or 'postgres'}",
        f"--dbname={url.database or 'postgres'}",
    ]
    return options, ({"PGPASSWORD": url.password} if url.password else {})


def _postgres(url: URL, target: Path, out: TextIO) -> int:
    """Run pg_dump when it is installed; otherwise print the command to run."""
    command, secrets = pg_dump_command(url, target)
    program = shutil.which("pg_dump")
    shown = " ".join(shlex.quote(part) for part in command)
    if secrets:
        shown = "PGPASSWORD=... " + shown
    if program is None:
        print("a PostgreSQL backup needs pg_dump (Debian: apt install postgresql-client); then run:", file=out)
        print(f"  {shown}", file=out)
        print("restore it with: pg_restore --clean --dbname=... " + shlex.quote(str(target)), file=out)
        return 1
    env = {**os.environ, **secrets}
    try:
        done = subprocess.run([program, *command[1:]], env=env, capture_output=True, text=True,
                              timeout=PG_DUMP_TIMEOUT, check=False)  # fmt: skip
    except subprocess.TimeoutExpired:
        target.unlink(missing_ok=True)
        raise ConfigurationError(f"pg_dump did not finish within {PG_DUMP_TIMEOUT} s") from None
    if done.returncode != 0:
        target.unlink(missing_ok=True)
        print(f"pg_dump failed ({done.returncode}): {done.stderr.strip()[-2000:]}", file=out)
        print(f"the command was: {shown}", file=out)
        return 1
    print(f"backed up {url.database} on {url.host} to {target} ({target.stat().st_size:,} bytes, pg_dump custom "
          "format; restore with pg_restore)", file=out)  # fmt: skip
    return 0
