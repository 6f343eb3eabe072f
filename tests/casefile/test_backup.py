"""`assistant audit backup`: SQLite's online backup while the log is written, and the PostgreSQL path's command.

The PostgreSQL backup itself (pg_dump against a real cluster) runs in tests/replicas/test_replicas.py.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from assistant.casefile.audit import AuditLog
from assistant.cli import audit as audit_cli
from assistant.cli.main import main

from .test_migrations import an_answer


@pytest.fixture
def live(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AuditLog:
    """An open SQLite audit log (WAL mode, as a running server keeps it) that the CLI's settings name."""
    url = f"sqlite:///{tmp_path / 'audit.db'}"
    monkeypatch.setenv("ASSISTANT_AUDIT_URL", url)
    return AuditLog(url)


def test_a_backup_taken_while_turns_are_written_is_a_whole_database(
    live: AuditLog, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = {live.record(an_answer(f"an archived question, number {n}"), "api") for n in range(20)}
    stop = threading.Event()

    def keep_writing() -> None:
        n = 0
        while not stop.is_set():
            live.record(an_answer(f"a question while the copy runs, number {n}"), "api")
            n += 1

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        assert main(["audit", "backup", str(tmp_path / "copy.db")]) == 0
    finally:
        stop.set()
        writer.join()
        live.close()
    assert "integrity ok" in capsys.readouterr().out
    with sqlite3.connect(tmp_path / "copy.db") as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    restored = AuditLog(f"sqlite:///{tmp_path / 'copy.db'}")
    try:
        kept = {record.id for record in restored.recent(limit=10_000)}
    finally:
        restored.close()
    assert before <= kept  # everything written before the backup began is in the copy
    assert not list(tmp_path.glob(".*.partial"))


def test_a_backup_never_overwrites(live: AuditLog, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    live.record(an_answer("a question kept in the log"), "chat")
    live.close()
    (tmp_path / "taken.db").write_bytes(b"an earlier backup")
    assert main(["audit", "backup", str(tmp_path / "taken.db")]) == 1
    assert "exists already" in capsys.readouterr().err
    assert (tmp_path / "taken.db").read_bytes() == b"an earlier backup"
    assert main(["audit", "backup", str(tmp_path / "no-such-folder" / "copy.db")]) == 1
    assert "is not a folder" in capsys.readouterr().err


def test_no_database_yet_is_a_clear_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ASSISTANT_AUDIT_URL", f"sqlite:///{tmp_path / 'never-made.db'}")
    assert main(["audit", "backup", str(tmp_path / "copy.db")]) == 1
    assert "nothing to back up yet" in capsys.readouterr().err
    assert not (tmp_path / "never-made.db").exists() and not (tmp_path / "copy.db").exists()


def test_without_pg_dump_the_exact_command_is_printed_without_the_password(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ASSISTANT_AUDIT_URL", "postgresql+psycopg://audit:s3cret-word@db.internal:5433/assistant")
    monkeypatch.setattr(audit_cli.shutil, "which", lambda name: None)
    assert main(["audit", "backup", str(tmp_path / "audit.dump")]) == 1
    out = capsys.readouterr().out
    assert "needs pg_dump" in out
    assert (
        f"PGPASSWORD=... pg_dump --format=custom --no-owner --file={tmp_path / 'audit.dump'} --host=db.internal" in out
    )
    assert "--port=5433 --username=audit --dbname=assistant" in out
    assert "s3cret-word" not in out


def test_the_pg_dump_command_takes_the_password_from_the_environment(tmp_path: Path) -> None:
    url = make_url("postgresql+psycopg://audit:s3cret-word@db.internal/assistant")
    command, env = audit_cli.pg_dump_command(url, tmp_path / "a.dump")
    assert env == {"PGPASSWORD": "s3cret-word"}
    assert not any("s3cret-word" in part for part in command)
    assert "--port=5432" in command


def test_other_databases_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ASSISTANT_AUDIT_URL", "mysql+pymysql://u@h/db")
    assert main(["audit", "backup", str(tmp_path / "copy")]) == 1
    assert "not supported" in capsys.readouterr().err
