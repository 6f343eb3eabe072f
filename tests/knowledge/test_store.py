"""The store: drafts, four eyes, publish, the versions in force, rollback, the stamp, and the schema."""

from __future__ import annotations

import datetime as dt

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from assistant.casefile.audit import AuditLog
from assistant.errors import KnowledgeError
from assistant.knowledge import KnowledgeStore
from assistant.knowledge.tables import KnowledgeBase

CARD = "id: sample-card\nquestion: a sample\n"


def _code(exc: pytest.ExceptionInfo[KnowledgeError]) -> str:
    return exc.value.code


def test_the_knowledge_migration_matches_the_models(audit: AuditLog) -> None:
    ours = set(KnowledgeBase.metadata.tables)
    with audit.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), KnowledgeBase.metadata)
    mine = [d for d in diff if not (d[0] == "remove_table" and d[1].name not in ours)]
    mine = [d for d in mine if not (isinstance(d, tuple) and d[0] == "remove_index" and d[1].table.name not in ours)]
    assert mine == []


def test_a_draft_is_kept_as_written(store: KnowledgeStore) -> None:
    draft_id = store.save_draft("card", "sample-card", CARD, "olga", "first", {"file": "x.yaml", "sha256": "ab"})
    draft = store.draft(draft_id)
    assert (draft.kind, draft.name, draft.body, draft.author, draft.note) == (
        "card",
        "sample-card",
        CARD,
        "olga",
        "first",
    )
    assert draft.status == "draft" and draft.provenance == {"file": "x.yaml", "sha256": "ab"}
    assert [d.id for d in store.drafts("draft")] == [draft_id]
    assert store.drafts("published") == []


@pytest.mark.parametrize(
    ("kind", "name", "body", "code"),
    [
        ("note", "a", "x", "bad_kind"),
        ("card", "../etc", "x", "bad_name"),
        ("card", "", "x", "bad_name"),
        ("card", "a", "   ", "empty"),
        ("card", "a", "x" * 5_000_001, "too_big"),
        ("card", "a", "bin\x00ary", "too_big"),
    ],
)
def test_bad_drafts_are_refused_by_name(store: KnowledgeStore, kind: str, name: str, body: str, code: str) -> None:
    with pytest.raises(KnowledgeError) as exc:
        store.save_draft(kind, name, body, "olga")  # type: ignore[arg-type]
    assert _code(exc) == code


def test_four_eyes(store: KnowledgeStore) -> None:
    draft_id = store.save_draft("card", "sample-card", CARD, "anna")
    with pytest.raises(KnowledgeError) as exc:
        store.publish(draft_id, "anna")
    assert _code(exc) == "needs_approval"
    with pytest.raises(KnowledgeError) as exc:
        store.approve(draft_id, "anna")
    assert _code(exc) == "own_draft"
    with pytest.raises(KnowledgeError) as exc:
        store.approve(draft_id, "olga")
    assert _code(exc) == "not_approver"
    with pytest.raises(KnowledgeError) as exc:
        store.approve(draft_id, "nobody")
    assert _code(exc) == "not_approver"
    assert store.approve(draft_id, "bert").approved_by == "bert"
    version = store.publish(draft_id, "anna")
    assert (version.published_by, version.approved_by, version.author) == ("anna", "bert", "anna")
    assert store.draft(draft_id).status == "published"
    with pytest.raises(KnowledgeError) as exc:
        store.publish(draft_id, "anna")
    assert _code(exc) == "not_open"


def test_a_revision_withdraws_the_approval(store: KnowledgeStore) -> None:
    draft_id = store.save_draft("card", "sample-card", CARD, "olga")
    store.approve(draft_id, "anna")
    revised = store.revise(draft_id, CARD + "answer: more\n", "olga")
    assert revised.status == "draft" and revised.approved_by is None
    with pytest.raises(KnowledgeError) as exc:
        store.publish(draft_id, "olga")
    assert _code(exc) == "needs_approval"


def test_without_four_eyes_the_publisher_needs_the_approver_role(store: KnowledgeStore) -> None:
    single = KnowledgeStore(store.engine, four_eyes=False)
    draft_id = single.save_draft("card", "sample-card", CARD, "olga")
    with pytest.raises(KnowledgeError) as exc:
        single.publish(draft_id, "olga")
    assert _code(exc) == "not_approver"
    assert single.publish(draft_id, "adam").approved_by is None


def _publish(store: KnowledgeStore, kind: str, name: str, body: str, *, retire: bool = False) -> int:
    draft_id = store.save_draft(kind, name, body, "olga", retire=retire)  # type: ignore[arg-type]
    store.approve(draft_id, "anna")
    return store.publish(draft_id, "bert").id


def test_versions_in_force_rollback_and_the_stamp(store: KnowledgeStore) -> None:
    assert store.version_stamp() == 0
    first = _publish(store, "pack", "sample-pack", "pack: sample-pack\neffective_from: 2025-03-01\n")
    stamp_one = store.version_stamp()
    assert stamp_one > 0
    assert store.version(first).effective_from == dt.date(2025, 3, 1)
    second = _publish(store, "pack", "sample-pack", "pack: sample-pack\neffective_from: 2025-04-01\n")
    assert store.version_stamp() > stamp_one
    assert [v.id for v in store.published("pack")] == [second]
    assert store.published("card") == []
    stamp_two = store.version_stamp()
    store.rollback(second, "anna", "wrong date")
    assert store.version_stamp() > stamp_two
    assert [v.id for v in store.published("pack")] == [first]
    with pytest.raises(KnowledgeError) as exc:
        store.rollback(second, "anna")
    assert _code(exc) == "rolled_back"
    with pytest.raises(KnowledgeError) as exc:
        store.rollback(first, "olga")
    assert _code(exc) == "not_approver"
    store.rollback(first, "adam")
    assert store.published("pack") == []
    assert [v.id for v in store.versions("pack")] == [second, first]
    assert {e.action for e in store.events()} >= {"draft", "approve", "publish", "rollback"}


def test_a_retiring_version_removes_the_name_until_rolled_back(store: KnowledgeStore) -> None:
    _publish(store, "card", "sample-card", CARD)
    retired = _publish(store, "card", "sample-card", "", retire=True)
    assert store.in_force("card", "sample-card") is None
    store.rollback(retired, "anna")
    assert store.in_force("card", "sample-card") is not None


def test_what_is_in_force_is_the_latest_per_kind_and_name(store: KnowledgeStore) -> None:
    old_b = _publish(store, "text", "text-b", '{"articles": []}')
    new_b = _publish(store, "text", "text-b", '{"articles": []}')
    a = _publish(store, "text", "text-a", '{"articles": []}')
    card = _publish(store, "card", "text-a", CARD)  # the same name in another kind is another thing
    gone = _publish(store, "card", "gone-card", CARD)
    retiring = _publish(store, "card", "gone-card", "", retire=True)
    assert [v.id for v in store.published("text")] == [a, new_b]  # by name, the latest of each
    assert [v.id for v in store.published("card")] == [card]
    assert store.retired("card") == ["gone-card"] and store.retired("text") == []
    assert store.in_force_ids() == {a, new_b, card, retiring}
    store.rollback(new_b, "anna")
    assert store.in_force("text", "text-b") == store.version(old_b)
    store.rollback(retiring, "anna")
    assert store.in_force("card", "gone-card") == store.version(gone)


def test_a_second_store_on_the_same_database_sees_the_same(store: KnowledgeStore, audit: AuditLog) -> None:
    other = KnowledgeStore.open(str(audit.engine.url))
    try:
        _publish(store, "text", "sample-text", '{"articles": []}')
        assert other.version_stamp() == store.version_stamp()
        assert [v.name for v in other.published("text")] == ["sample-text"]
    finally:
        other.close()


def test_the_effective_date_is_the_one_the_body_states(store: KnowledgeStore) -> None:
    card = _publish(store, "card", "dated-card", CARD + "effective_from: 2026-07-01\n")
    text = _publish(store, "text", "dated-text", '{"effective": "2026-02-01", "articles": []}')
    assert store.version(card).effective_from == dt.date(2026, 7, 1)
    assert store.version(text).effective_from == dt.date(2026, 2, 1)
    undated = store.save_draft("card", "undated-card", CARD, "olga")
    store.approve(undated, "anna")
    assert store.publish(undated, "bert", dt.date(2026, 9, 1)).effective_from == dt.date(2026, 9, 1)
