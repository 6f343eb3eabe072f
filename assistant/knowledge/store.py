"""The knowledge store: drafts of rule packs, official texts and answer cards, their approval, and the versions
published in the audit database (so that every replica sees the same knowledge).

Life of a draft: `draft` -> (`approved`) -> `published`, or `withdrawn`. Publishing copies the body into a new
version; the version in force for a (kind, name) is the latest one not rolled back (a retiring version removes the
name). The shipped files stay the base: a published pack replaces the shipped pack of the same name, a pack of a
new name is a new edition picked by its own dates. `version_stamp()` changes on every publish and rollback, so a
server can poll it cheaply and rebuild what it derives from the knowledge.

The store checks who may do what (four eyes, roles from the accounts table); it does not validate bodies: that is
`preview` (the validator, the diff, the effect on answers), which `publish.publish_draft` runs first.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, get_args

import yaml
from sqlalchemy import Engine, func, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from ..accounts.roles import allowed
from ..accounts.tables import AccountRow
from ..casefile.audit import open_engine
from ..casefile.migrations import upgrade_schema
from ..errors import ConfigurationError, KnowledgeError
from .tables import DraftRow, KnowledgeEventRow, VersionRow

if TYPE_CHECKING:
    from ..settings import Settings

KIND = Literal["pack", "text", "card"]
"""What the store holds: a rule pack (YAML), an official text (JSON of its articles) or an answer card (YAML)."""
KINDS: tuple[str, ...] = get_args(KIND)
Status = Literal["draft", "approved", "published", "withdrawn"]
STATUSES: tuple[str, ...] = get_args(Status)
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")
"""Names of packs, texts and cards: letters, digits and . _ - (the pack id, document id or card id)."""
MAX_BODY_CHARS = 5_000_000
"""A body longer than this is refused (a rule pack of a few hundred items is well under a megabyte)."""
MAX_NOTE_CHARS = 2000
STAMP_ACTIONS = ("publish", "rollback")
"""The events that change what is in force (and so the version stamp)."""

Clock = Callable[[], dt.datetime]


def utc_now() -> dt.datetime:
    """The current UTC time."""
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class Draft:
    """A draft as the console, the CLI and the importers see it."""

    id: int
    kind: str
    name: str
    body: str
    author: str
    note: str
    status: str
    created_at: dt.datetime
    updated_at: dt.datetime
    retire: bool = False
    provenance: dict[str, str] = field(default_factory=dict)
    approved_by: str | None = None
    approved_at: dt.datetime | None = None
    version_id: int | None = None


@dataclass(frozen=True)
class Version:
    """A published version: what was published, for which date, by whom, approved by whom, and if rolled back."""

    id: int
    draft_id: int
    kind: str
    name: str
    body: str
    note: str
    effective_from: dt.date | None
    author: str
    published_by: str
    approved_by: str | None
    published_at: dt.datetime
    retire: bool = False
    rolled_back_at: dt.datetime | None = None
    rolled_back_by: str | None = None

    @property
    def in_history(self) -> bool:
        """Still part of the history that decides what is in force (not rolled back)."""
        return self.rolled_back_at is None


@dataclass(frozen=True)
class Event:
    """One entry of the knowledge audit trail."""

    at: dt.datetime
    action: str
    actor: str
    subject: str
    detail: str


class KnowledgeStore:
    """Drafts, approvals, published versions and rollbacks in one database."""

    def __init__(self, engine: Engine, *, four_eyes: bool = True, clock: Clock = utc_now) -> None:
        """Work on `engine`, whose schema the migrations made (the "knowledge" branch)."""
        self.engine = engine
        self.four_eyes = four_eyes
        self.clock = clock

    @classmethod
    def from_settings(cls, settings: Settings) -> KnowledgeStore:
        """The store on the audit database of these settings (its schema brought up to date).

        Raises:
            ConfigurationError: the database cannot be opened or upgraded.
        """
        return cls.open(settings.audit_database_url(), four_eyes=settings.knowledge_four_eyes)

    @classmethod
    def open(cls, url: str, *, four_eyes: bool = True, clock: Clock = utc_now) -> KnowledgeStore:
        """The store on the database at `url` (its schema brought up to date)."""
        engine = open_engine(url)
        try:
            upgrade_schema(engine)
        except SQLAlchemyError as exc:
            engine.dispose()
            raise ConfigurationError(f"cannot open the knowledge store at {engine.url!r}: {exc}") from None
        return cls(engine, four_eyes=four_eyes, clock=clock)

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    # -- drafts ------------------------------------------------------------------------------------------

    def save_draft(
        self,
        kind: KIND,
        name: str,
        body: str,
        author: str,
        note: str = "",
        provenance: dict[str, str] | None = None,
        *,
        retire: bool = False,
    ) -> int:
        """Store a new draft and return its id (a retiring draft, `retire=True`, has an empty body).

        Raises:
            KnowledgeError: `bad_kind`, `bad_name`, `empty`, `too_big`, `bad_author`.
        """
        _kind(kind)
        _check_name(name)
        author = _actor(author)
        body = _body(body, retire)
        now = self.clock()
        row = DraftRow(
            kind=kind,
            name=name,
            body=body,
            retire=retire,
            author=author,
            note=note.strip()[:MAX_NOTE_CHARS],
            provenance_json=json.dumps({str(k)[:64]: str(v)[:500] for k, v in (provenance or {}).items()}),
            status="draft",
            created_at=now,
            updated_at=now,
        )
        with Session(self.engine) as session, session.begin():
            session.add(row)
            session.flush()
            draft_id = row.id
            self._event(
                session, "draft", author, f"draft {draft_id}", f"{kind} {name}" + (" (retire)" if retire else "")
            )
        return draft_id

    def revise(self, draft_id: int, body: str, author: str, note: str | None = None) -> Draft:
        """Replace the body (and note) of a draft not yet published; an approval given before is withdrawn.

        Raises:
            KnowledgeError: `missing`, `not_open` (published or withdrawn), `empty`, `too_big`.
        """
        author = _actor(author)
        with Session(self.engine) as session, session.begin():
            row = _draft_row(session, draft_id)
            if row.status not in ("draft", "approved"):
                raise KnowledgeError("not_open", f"draft {draft_id} is {row.status}", draft=draft_id, status=row.status)
            row.body = _body(body, row.retire)
            if note is not None:
                row.note = note.strip()[:MAX_NOTE_CHARS]
            row.status, row.approved_by, row.approved_at = "draft", None, None
            row.updated_at = self.clock()
            self._event(session, "revise", author, f"draft {draft_id}", "")
            return _draft(row)

    def withdraw(self, draft_id: int, actor: str) -> Draft:
        """Set a draft aside without publishing it (it stays listed, as withdrawn).

        Raises:
            KnowledgeError: `missing`, `not_open`.
        """
        actor = _actor(actor)
        with Session(self.engine) as session, session.begin():
            row = _draft_row(session, draft_id)
            if row.status not in ("draft", "approved"):
                raise KnowledgeError("not_open", f"draft {draft_id} is {row.status}", draft=draft_id, status=row.status)
            row.status, row.updated_at = "withdrawn", self.clock()
            self._event(session, "withdraw", actor, f"draft {draft_id}", "")
            return _draft(row)

    def draft(self, draft_id: int) -> Draft:
        """The draft with this id.

        Raises:
            KnowledgeError: `missing`.
        """
        with Session(self.engine) as session:
            return _draft(_draft_row(session, draft_id))

    def drafts(self, status: str | None = None, kind: str | None = None, limit: int = 500) -> list[Draft]:
        """Drafts, newest first, optionally of one status and kind."""
        query = select(DraftRow).order_by(DraftRow.id.desc()).limit(max(1, min(limit, 5000)))
        if status is not None:
            query = query.where(DraftRow.status == status)
        if kind is not None:
            query = query.where(DraftRow.kind == kind)
        with Session(self.engine) as session:
            return [_draft(row) for row in session.scalars(query)]

    # -- four eyes ---------------------------------------------------------------------------------------

    def approve(self, draft_id: int, approver: str) -> Draft:
        """Record the approval of a draft by an account with the approver role who did not write it.

        Raises:
            KnowledgeError: `missing`, `not_open`, `own_draft` (the author approves), `not_approver`.
        """
        approver = _actor(approver)
        with Session(self.engine) as session, session.begin():
            row = _draft_row(session, draft_id)
            if row.status != "draft":
                raise KnowledgeError("not_open", f"draft {draft_id} is {row.status}", draft=draft_id, status=row.status)
            if approver == row.author:
                raise KnowledgeError("own_draft", "the author of a draft cannot approve it", draft=draft_id)
            _may_publish(session, approver)
            row.status, row.approved_by, row.approved_at = "approved", approver, self.clock()
            self._event(session, "approve", approver, f"draft {draft_id}", f"{row.kind} {row.name}")
            return _draft(row)

    def publish(self, draft_id: int, publisher: str, effective_from: dt.date | None = None) -> Version:
        """Publish a draft as a new version (the caller has validated it: see `publish.publish_draft`).

        With four eyes on, the draft must have been approved by another account; with it off, the publisher needs
        the approver role. The version's effective date is the one its body states (a pack's or card's
        `effective_from`, a text's `effective`), which decides what answers on which date; `effective_from` is
        recorded for a body that states none.

        Raises:
            KnowledgeError: `missing`, `not_open`, `needs_approval`, `not_approver`, `raced` (published meanwhile).
        """
        publisher = _actor(publisher)
        with Session(self.engine) as session, session.begin():
            row = _draft_row(session, draft_id)
            if row.status not in ("draft", "approved"):
                raise KnowledgeError("not_open", f"draft {draft_id} is {row.status}", draft=draft_id, status=row.status)
            if self.four_eyes:
                if row.status != "approved" or not row.approved_by:
                    raise KnowledgeError(
                        "needs_approval", f"draft {draft_id} needs the approval of another approver", draft=draft_id
                    )
            else:
                _may_publish(session, publisher)
            now = self.clock()
            claimed = session.execute(
                update(DraftRow)
                .where(DraftRow.id == draft_id, DraftRow.status == row.status)
                .values(status="published", updated_at=now)
            )
            if claimed.rowcount != 1:  # type: ignore[attr-defined]
                raise KnowledgeError("raced", f"draft {draft_id} changed while publishing", draft=draft_id)
            version = VersionRow(
                draft_id=row.id,
                kind=row.kind,
                name=row.name,
                body=row.body,
                retire=row.retire,
                note=row.note,
                effective_from=(None if row.retire else _effective_from(row.kind, row.body)) or effective_from,
                author=row.author,
                published_by=publisher,
                approved_by=row.approved_by,
                published_at=now,
            )
            session.add(version)
            session.flush()
            session.execute(update(DraftRow).where(DraftRow.id == draft_id).values(version_id=version.id))
            self._event(
                session, "publish", publisher, f"version {version.id}", f"draft {draft_id}: {row.kind} {row.name}"
            )
            return _version(version)

    def rollback(self, version_id: int, actor: str, note: str = "") -> Version:
        """Take a published version out of force; the version before it (or the shipped file) is in force again.

        Needs the approver role (a rollback is the way back from a mistake, so it needs no second person).

        Raises:
            KnowledgeError: `missing_version`, `rolled_back` (already), `not_approver`.
        """
        actor = _actor(actor)
        with Session(self.engine) as session, session.begin():
            row = session.get(VersionRow, version_id)
            if row is None:
                raise KnowledgeError("missing_version", f"no version {version_id}", version=version_id)
            if row.rolled_back_at is not None:
                raise KnowledgeError("rolled_back", f"version {version_id} is already rolled back", version=version_id)
            _may_publish(session, actor)
            row.rolled_back_at, row.rolled_back_by = self.clock(), actor
            detail = f"{row.kind} {row.name}" + (f": {note.strip()[:MAX_NOTE_CHARS]}" if note.strip() else "")
            self._event(session, "rollback", actor, f"version {version_id}", detail)
            return _version(row)

    # -- what is in force --------------------------------------------------------------------------------

    def versions(self, kind: str | None = None, name: str | None = None, limit: int = 1000) -> list[Version]:
        """Every published version (rolled back ones included), newest first."""
        query = select(VersionRow).order_by(VersionRow.id.desc()).limit(max(1, min(limit, 10000)))
        if kind is not None:
            query = query.where(VersionRow.kind == kind)
        if name is not None:
            query = query.where(VersionRow.name == name)
        with Session(self.engine) as session:
            return [_version(row) for row in session.scalars(query)]

    def version(self, version_id: int) -> Version:
        """The version with this id.

        Raises:
            KnowledgeError: `missing_version`.
        """
        with Session(self.engine) as session:
            row = session.get(VersionRow, version_id)
            if row is None:
                raise KnowledgeError("missing_version", f"no version {version_id}", version=version_id)
            return _version(row)

    def published(self, kind: KIND) -> list[Version]:
        """The versions in force of one kind: per name the latest not rolled back, unless that one retires it."""
        return [v for v in self._latest(kind) if not v.retire]

    def retired(self, kind: KIND) -> list[str]:
        """The names whose latest version not rolled back retires them (a retired shipped card stays hidden)."""
        return [v.name for v in self._latest(kind) if v.retire]

    def in_force_ids(self) -> set[int]:
        """The ids of the versions in force of every kind, retiring ones included (what the console marks)."""
        return {v.id for v in self._latest()}

    def in_force(self, kind: KIND, name: str) -> Version | None:
        """The version in force of one name, or None (never published, all rolled back, or retired)."""
        return next((v for v in self._latest(kind, name) if not v.retire), None)

    def _latest(self, kind: str | None = None, name: str | None = None) -> list[Version]:
        """Per kind and name, the latest version not rolled back (a retiring one included): the one question
        behind what is in force, asked of the database (one row per name, not every version). Sorted here by
        name, since a database's collation may order names otherwise (PostgreSQL's follows its locale)."""
        newest = (
            select(func.max(VersionRow.id))
            .where(VersionRow.rolled_back_at.is_(None))
            .group_by(VersionRow.kind, VersionRow.name)
        )
        if kind is not None:
            _kind(kind)
            newest = newest.where(VersionRow.kind == kind)
        if name is not None:
            newest = newest.where(VersionRow.name == name)
        with Session(self.engine) as session:
            rows = session.scalars(select(VersionRow).where(VersionRow.id.in_(newest)))
            return sorted((_version(row) for row in rows), key=lambda v: (v.name, v.kind))

    def version_stamp(self) -> int:
        """A number that changes on every publish and rollback (0 before the first): cheap to poll."""
        query = select(func.max(KnowledgeEventRow.id)).where(KnowledgeEventRow.action.in_(STAMP_ACTIONS))
        with Session(self.engine) as session:
            return int(session.scalar(query) or 0)

    def events(self, limit: int = 200) -> list[Event]:
        """The knowledge audit trail, newest first."""
        query = select(KnowledgeEventRow).order_by(KnowledgeEventRow.id.desc()).limit(max(1, min(limit, 5000)))
        with Session(self.engine) as session:
            return [Event(_aware(e.at), e.action, e.actor, e.subject, e.detail) for e in session.scalars(query)]

    def _event(self, session: Session, action: str, actor: str, subject: str, detail: str) -> None:
        session.add(KnowledgeEventRow(at=self.clock(), action=action, actor=actor, subject=subject, detail=detail))


def _kind(kind: str) -> None:
    if kind not in KINDS:
        raise KnowledgeError("bad_kind", f"{kind!r} is not a kind of knowledge (pack, text, card)", kind=kind)


def _check_name(name: str) -> None:
    if not isinstance(name, str) or not NAME.match(name):
        raise KnowledgeError("bad_name", "a name has 1-128 letters, digits and . _ -, starting with a letter or digit")


def _actor(name: str) -> str:
    name = (name or "").strip()
    if not name or len(name) > 64:
        raise KnowledgeError("bad_author", "every change names the account that makes it")
    return name


def _body(body: str, retire: bool) -> str:
    if retire:
        return ""
    if not isinstance(body, str) or not body.strip():
        raise KnowledgeError("empty", "the draft is empty")
    if len(body) > MAX_BODY_CHARS or "\x00" in body:
        raise KnowledgeError(
            "too_big", f"a draft holds at most {MAX_BODY_CHARS} characters of text", limit=MAX_BODY_CHARS
        )
    return body


def _may_publish(session: Session, name: str) -> None:
    account = session.scalar(select(AccountRow).where(AccountRow.name == name))
    if account is None or account.disabled or not allowed(account.role, "publish"):
        raise KnowledgeError("not_approver", f"{name!r} does not have the approver role", name=name)


def _draft_row(session: Session, draft_id: int) -> DraftRow:
    row = session.get(DraftRow, draft_id)
    if row is None:
        raise KnowledgeError("missing", f"no draft {draft_id}", draft=draft_id)
    return row


def _effective_from(kind: str, body: str) -> dt.date | None:
    """The date a body states it takes effect: `effective_from` of a pack or card (YAML), `effective` of a text
    (JSON); None when it states none or cannot be read."""
    try:
        raw = json.loads(body) if kind == "text" else yaml.safe_load(body)
    except (ValueError, yaml.YAMLError):
        return None
    value = raw.get("effective" if kind == "text" else "effective_from") if isinstance(raw, dict) else None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _aware(value: dt.datetime) -> dt.datetime:
    """A stored instant as UTC (SQLite hands timezone-aware columns back naive)."""
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _draft(row: DraftRow) -> Draft:
    try:
        provenance = {str(k): str(v) for k, v in json.loads(row.provenance_json or "{}").items()}
    except (ValueError, AttributeError):
        provenance = {}
    return Draft(
        id=row.id,
        kind=row.kind,
        name=row.name,
        body=row.body,
        author=row.author,
        note=row.note,
        status=row.status,
        created_at=_aware(row.created_at),
        updated_at=_aware(row.updated_at),
        retire=row.retire,
        provenance=provenance,
        approved_by=row.approved_by,
        approved_at=_aware(row.approved_at) if row.approved_at else None,
        version_id=row.version_id,
    )


def _version(row: VersionRow) -> Version:
    return Version(
        id=row.id,
        draft_id=row.draft_id,
        kind=row.kind,
        name=row.name,
        body=row.body,
        note=row.note,
        effective_from=row.effective_from,
        author=row.author,
        published_by=row.published_by,
        approved_by=row.approved_by,
        published_at=_aware(row.published_at),
        retire=row.retire,
        rolled_back_at=_aware(row.rolled_back_at) if row.rolled_back_at else None,
        rolled_back_by=row.rolled_back_by,
    )
