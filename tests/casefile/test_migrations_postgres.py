"""The same migrations on a real PostgreSQL started by the test (temporary cluster on a free loopback port).

Needs PostgreSQL's server binaries (Debian: `postgresql`) and the `psycopg` driver; as root the cluster runs as
the `postgres` user (initdb refuses root). Skipped when either is missing.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from assistant.casefile import audit as audit_module
from assistant.casefile.audit import AuditLog, open_engine
from assistant.casefile.migrations import current_revisions, head_revisions, schema, upgrade_schema
from assistant.casefile.migrations.lock import PG_LOCK_KEY
from assistant.errors import AssistantRuntimeError

from ..services import new_database, postgres_cluster
from .race import start_together
from .test_migrations import BROKEN_REVISION, an_answer

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """A PostgreSQL cluster for this module; yields the URL of its `postgres` database."""
    with postgres_cluster() as url:
        yield url


@pytest.fixture
def url(server: str) -> str:
    """A fresh, empty database in the cluster for each test."""
    return new_database(server)


def test_a_fresh_database_is_upgraded_and_matches_the_orm_model(url: str) -> None:
    engine = open_engine(url)
    try:
        assert upgrade_schema(engine) is True
        assert current_revisions(engine) == head_revisions()
        assert upgrade_schema(engine) is False
        ours = set(audit_module._Base.metadata.tables)

        def only_ours(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
            return type_ != "table" or name in ours

        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"include_object": only_ours})
            assert compare_metadata(context, audit_module._Base.metadata) == []
    finally:
        engine.dispose()


def test_a_database_made_before_migrations_is_adopted_with_its_rows(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with monkeypatch.context() as before_migrations:
        before_migrations.setattr(audit_module, "upgrade_schema", lambda e: audit_module._Base.metadata.create_all(e))
        old = AuditLog(url)
        kept = [old.record(an_answer(f"an earlier question number {n}"), "chat") for n in range(3)]
        old.close()
    log = AuditLog(url)
    try:
        assert current_revisions(log.engine) == head_revisions()
        assert {record.id for record in log.recent(limit=10)} == set(kept)
    finally:
        log.close()


def test_a_failed_upgrade_leaves_nothing_half_made(url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    scripts = tmp_path / "scripts"
    shutil.copytree(schema.SCRIPT_LOCATION, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / "broken_0001_fails.py").write_text(BROKEN_REVISION, encoding="utf-8")
    monkeypatch.setattr(schema, "SCRIPT_LOCATION", scripts)
    engine = open_engine(url)
    try:
        with pytest.raises(RuntimeError, match="fails half-way"):
            upgrade_schema(engine)
        with engine.connect() as connection:
            count = connection.scalar(text("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"))
        assert count == 0
    finally:
        engine.dispose()


def test_a_replica_waits_for_the_advisory_lock(url: str) -> None:
    engine = open_engine(url)
    try:
        with engine.connect() as holder:
            holder.execute(text("SELECT pg_advisory_lock(:k)"), {"k": PG_LOCK_KEY})  # another replica upgrading
            with pytest.raises(AssistantRuntimeError, match="not free within"):
                upgrade_schema(engine, timeout=0.2)
            holder.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": PG_LOCK_KEY})
            holder.commit()
        assert upgrade_schema(engine) is True
    finally:
        engine.dispose()


@pytest.mark.parametrize("round_", range(3), ids=lambda n: f"round-{n}")
def test_replicas_starting_together_on_a_fresh_database_all_succeed(url: str, tmp_path: Path, round_: int) -> None:
    replicas = 6
    results = start_together(url, tmp_path / "sync", replicas)
    assert [result["error"] for result in results if "error" in result] == []
    engine = open_engine(url)
    try:
        assert current_revisions(engine) == head_revisions()
        with engine.connect() as connection:
            stored = set(connection.scalars(text("SELECT id FROM audit_cases")))
        assert stored == {result["case_id"] for result in results}
    finally:
        engine.dispose()
