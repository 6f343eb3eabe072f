"""Files the assistant writes for a moment (case reports) or receives (uploads): unique names, short lives.

A report is named by the full case id plus a random suffix, so two cases never share a file (a prefix of
the id did: 550 cases gave 518 names) and nobody can guess another report's address. Files are swept at
write time once older than `MAX_AGE_SECONDS`, so a busy console or an upload flood cannot fill the disk.
"""

from __future__ import annotations

import re
import secrets
import time
from pathlib import Path

MAX_AGE_SECONDS = 3600.0
"""How long a written report or an uploaded file is kept."""
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


def report_path(folder: Path, case_id: str, suffix: str) -> Path:
    """A fresh path for a case's report: `case-{full id}-{random}.{suffix}` in `folder`."""
    name = _UNSAFE.sub("-", case_id).strip("-") or "unknown"
    return folder / f"case-{name}-{secrets.token_hex(6)}.{suffix.lstrip('.')}"


def sweep(folder: Path, max_age: float = MAX_AGE_SECONDS, now: float | None = None) -> int:
    """Delete the files under `folder` last written more than `max_age` seconds ago (then empty folders).

    Returns:
        How many files were deleted; a file that vanished meanwhile (another replica swept it) is skipped.
    """
    if not folder.is_dir():
        return 0
    cutoff = (time.time() if now is None else now) - max_age
    deleted = 0
    for path in sorted(folder.rglob("*"), key=lambda p: len(p.parts), reverse=True):
        try:
            if path.is_symlink() or path.is_file():
                if path.lstat().st_mtime < cutoff:
                    path.unlink()
                    deleted += 1
            elif path.is_dir() and not any(path.iterdir()) and path.stat().st_mtime < cutoff:
                path.rmdir()
        except OSError:
            continue
    return deleted
