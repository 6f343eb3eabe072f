"""Report and upload files (issue 13, finding 4): unique names per case, swept once an hour old."""

from __future__ import annotations

import os
import time
from pathlib import Path

from assistant.casefile.files import MAX_AGE_SECONDS, report_path, sweep


def test_550_cases_with_a_shared_prefix_get_550_names(tmp_path: Path) -> None:
    ids = [f"20261130-63eda9fb{n:04d}" for n in range(550)]  # the first 12 characters are all the same
    names = {report_path(tmp_path, case_id, "md").name for case_id in ids}
    assert len(names) == 550
    assert all(name.startswith("case-20261130-63eda9fb") for name in names)
    assert all(any(case_id in name for name in names) for case_id in ids[:5])  # the full id is in the name


def test_the_same_case_opened_twice_gets_two_unguessable_names(tmp_path: Path) -> None:
    first, second = (report_path(tmp_path, "case-1", "pdf") for _ in range(2))
    assert first != second and first.suffix == ".pdf" and first.parent == tmp_path


def test_a_case_id_cannot_climb_out_of_the_folder(tmp_path: Path) -> None:
    path = report_path(tmp_path, "../../etc/passwd", "md")
    assert path.parent == tmp_path and "/" not in path.name and ".." not in path.name


def test_sweep_deletes_files_older_than_an_hour_only(tmp_path: Path) -> None:
    old, fresh = tmp_path / "a" / "old.md", tmp_path / "b" / "fresh.md"
    for path in (old, fresh):
        path.parent.mkdir()
        path.write_text("x")
    past = time.time() - MAX_AGE_SECONDS - 60
    os.utime(old, (past, past))
    assert sweep(tmp_path) == 1
    assert not old.exists() and fresh.exists()
    assert sweep(tmp_path / "missing") == 0
