"""Schema migrations: a fresh database, adoption of one made before migrations, atomic upgrades, the lock, the
branches per area, the `assistant db` command, and replicas starting together on one fresh SQLite file."""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect
from sqlalchemy.engine import Engine

from assistant.answer.reply import Answer
from assistant.casefile import audit as audit_module
from assistant.casefile.audit import AuditLog, CaseRow, open_engine
from assistant.casefile.migrations import current_revisions, head_revisions, schema, upgrade_schema
from assistant.cli.main import main
from assistant.determination import Determination
from assistant.errors import AssistantRuntimeError, ConfigurationError
from assistant.facts import Facts

from .race import start_together

AUDIT_OBJECTS = ("audit_cases", "ix_audit_cases_created_at", "ix_audit_cases_industry", "ix_audit_cases_outcome")


def an_answer(question: str) -> Answer:
    """A minimal answered turn to record."""
    return Answer(
        question=question,
        language="en",
        answer="Outcome: security assessment",
        determination=Determination(outcome="security_assessment"),
        facts=Facts(),
    )


def ddl(path: Path) -> dict[str, str]:
    """The CREATE statements SQLite stored for the audit table and its indexes."""
    with sqlite3.connect(path) as connection:
        rows = connection.execute("SELECT name, sql FROM sqlite_master WHERE name LIKE '%audit_cases%'").fetchall()
    return {name: sql for name, sql in rows if sql}


def tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as connection:
        return {name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    made = open_engine(f"sqlite:///{tmp_path / 'audit.db'}")
    yield made
    made.dispose()


def test_a_fresh_database_is_upgraded_to_every_head_once(engine: Engine) -> None:
    assert current_revisions(engine) == frozenset()
    assert upgrade_schema(engine) is True
    assert current_revisions(engine) == head_revisions()
    assert inspect(engine).has_table(CaseRow.__tablename__)
    assert upgrade_schema(engine) is False  # current: nothing done


def test_the_first_revision_makes_exactly_the_tables_create_all_made(tmp_path: Path) -> None:
    before = tmp_path / "create_all.db"
    old = create_engine(f"sqlite:///{before}")
    audit_module._Base.metadata.create_all(old)
    old.dispose()
    migrated = tmp_path / "migrated.db"
    AuditLog(f"sqlite:///{migrated}").close()
    assert set(ddl(before)) == set(AUDIT_OBJECTS)
    assert ddl(migrated) == ddl(before)


def test_the_migrated_schema_matches_the_orm_model(engine: Engine) -> None:
    upgrade_schema(engine)
    ours = set(audit_module._Base.metadata.tables)

    def only_ours(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
        return type_ != "table" or name in ours

    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_object": only_ours})
        assert compare_metadata(context, audit_module._Base.metadata) == []


def test_a_database_made_before_migrations_is_adopted_with_its_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'audit.db'}"
    with monkeypatch.context() as before_migrations:  # the audit log as it opened before this change
        before_migrations.setattr(audit_module, "upgrade_schema", lambda e: audit_module._Base.metadata.create_all(e))
        old = AuditLog(url)
        kept = [old.record(an_answer(f"an earlier question number {n}"), "chat") for n in range(3)]
        old.feedback(kept[0], "useful", "it helped")
        old.close()
    assert "alembic_version" not in tables(tmp_path / "audit.db")

    log = AuditLog(url)
    assert current_revisions(log.engine) == head_revisions()
    for case_id in kept:
        record = log.get(case_id)
        assert record is not None and record.question.startswith("an earlier question number")
    assert log.get(kept[0]).feedback_verdict == "useful"  # type: ignore[union-attr]
    assert len(log.recent(limit=10)) == 3
    later = log.record(an_answer("a question after the upgrade"), "chat")
    assert log.get(later) is not None
    log.close()


def test_an_audit_cases_table_of_unknown_shape_is_not_adopted(tmp_path: Path) -> None:
    path = tmp_path / "audit.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE audit_cases (id TEXT PRIMARY KEY, something_else TEXT)")
        connection.execute("INSERT INTO audit_cases VALUES ('x', 'kept')")
    with pytest.raises(ConfigurationError, match="unexpected columns"):
        AuditLog(f"sqlite:///{path}")
    assert tables(path) == {"audit_cases"}
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT * FROM audit_cases").fetchall() == [("x", "kept")]


BROKEN_REVISION = """
import sqlalchemy as sa
from alembic import op

revision = "broken_0001"
down_revision = None
branch_labels = ("broken",)
depends_on = "audit_0001"


def upgrade() -> None:
    op.create_table("half_made", sa.Column("id", sa.Integer(), primary_key=True))
    raise RuntimeError("this revision fails half-way")


def downgrade() -> None:
    op.drop_table("half_made")
"""


def test_a_failed_upgrade_leaves_nothing_half_made(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    scripts = tmp_path / "scripts"
    shutil.copytree(schema.SCRIPT_LOCATION, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / "broken_0001_fails.py").write_text(BROKEN_REVISION, encoding="utf-8")
    monkeypatch.setattr(schema, "SCRIPT_LOCATION", scripts)
    path = tmp_path / "audit.db"
    engine = open_engine(f"sqlite:///{path}")
    with pytest.raises(RuntimeError, match="fails half-way"):
        upgrade_schema(engine)
    engine.dispose()
    assert tables(path) == set()  # every table of every branch rolled back with it, and no version recorded


def test_a_replica_waits_for_the_lock_and_says_so_when_it_is_not_freed(engine: Engine, tmp_path: Path) -> None:
    lock_file = tmp_path / "audit.db.schema-lock"
    fd = os.open(lock_file, os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # another replica in the middle of its upgrade
        with pytest.raises(AssistantRuntimeError, match="not free within"):
            upgrade_schema(engine, timeout=0.2)
        assert current_revisions(engine) == frozenset()
    finally:
        os.close(fd)
    assert upgrade_schema(engine) is True  # freed: the upgrade goes ahead


def test_an_in_memory_database_is_upgraded_too() -> None:
    log = AuditLog("sqlite:///:memory:")
    case_id = log.record(an_answer("a question kept only in memory"), "chat")
    assert log.get(case_id) is not None
    assert current_revisions(log.engine) == head_revisions()
    log.close()


def test_each_area_is_one_branch_named_like_its_files() -> None:
    scripts = ScriptDirectory.from_config(schema._config())
    revisions = list(scripts.walk_revisions("base", "heads"))
    assert revisions
    for revision in revisions:
        assert revision.path is not None
        area = re.fullmatch(r"([a-z]+)_\d{4}", revision.revision)
        assert area, f"revision id {revision.revision!r} is not <area>_<NNNN>"
        assert Path(revision.path).name.startswith(revision.revision + "_"), revision.path
        if revision.down_revision is None:
            assert revision.branch_labels == {area.group(1)}, f"{revision.revision}: base without its area label"
        else:
            assert str(revision.down_revision).startswith(area.group(1) + "_"), f"{revision.revision} crosses areas"
    bases = [revision for revision in revisions if revision.down_revision is None]
    assert len(scripts.get_heads()) == len(bases), "each area has exactly one head"


def test_the_db_command_upgrades_and_shows_the_revisions(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["db", "current"]) == 1
    assert "database: (none)" in capsys.readouterr().out
    assert main(["db", "upgrade"]) == 0
    assert capsys.readouterr().out.startswith("upgraded to ")
    assert main(["db", "upgrade"]) == 0
    assert capsys.readouterr().out.startswith("already at ")
    assert main(["db", "current"]) == 0
    out = capsys.readouterr().out
    assert all(head in out for head in head_revisions())


@pytest.mark.parametrize("round_", range(3), ids=lambda n: f"round-{n}")
def test_replicas_starting_together_on_a_fresh_database_all_succeed(tmp_path: Path, round_: int) -> None:
    """Finding 8: with create_all, one of two replicas exited in most trials; now every one records its case."""
    path = tmp_path / "audit.db"
    replicas = 6
    results = start_together(f"sqlite:///{path}", tmp_path / "sync", replicas)
    failures = [result["error"] for result in results if "error" in result]
    assert failures == []
    case_ids = {result["case_id"] for result in results}
    assert len(case_ids) == replicas
    engine = open_engine(f"sqlite:///{path}")
    try:
        assert current_revisions(engine) == head_revisions()
        with engine.connect() as connection:
            stored = {row[0] for row in connection.exec_driver_sql("SELECT id FROM audit_cases")}
        assert stored == case_ids
        assert inspect(engine).has_table(CaseRow.__tablename__)
    finally:
        engine.dispose()
