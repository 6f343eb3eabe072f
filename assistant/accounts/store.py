"""Help-desk accounts in the audit database: manage them, sign in with lockout, check and end sessions.

Every sign-in, failure, lockout, sign-out and account change is written to `account_events` (who, when, the
masked client address, what). Time comes from an injected clock, so expiry and lockout are tested without sleeps.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import Engine, func, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..errors import AccountError
from .cookie import CookieSigner
from .lockout import (
    Policy,
    account_key,
    address_key,
    aware,
    count_attempt,
    locked_until,
    restart_locks,
    take_back,
)
from .passwords import MIN_LENGTH, Hasher, check_strength
from .roles import Role, is_role
from .tables import AccountEventRow, AccountRow, SessionRow

log = logging.getLogger(__name__)

Clock = Callable[[], dt.datetime]
NAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,63}$")
"""Sign-in names: 2-64 lower-case letters, digits and . _ @ -, starting with a letter or digit."""
TOUCH_EVERY = dt.timedelta(seconds=60)
"""A session's last-seen time is written at most this often (idle expiry is counted in minutes)."""
DEV_NAME = "dev"
DEV_PASSWORD = "dev"
"""The development account (dev_mode only, loopback addresses only)."""


def utc_now() -> dt.datetime:
    """The current UTC time."""
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class Account:
    """An account as the console and the CLI show it (never its hash)."""

    name: str
    role: str
    disabled: bool
    dev: bool
    created_at: dt.datetime
    password_changed_at: dt.datetime


@dataclass(frozen=True)
class SignIn:
    """The result of a sign-in: `ok` with the cookie value, `wrong` (name or password), or `locked`."""

    status: Literal["ok", "wrong", "locked"]
    cookie: str = ""
    account: Account | None = None
    retry_after: float = 0.0


@dataclass(frozen=True)
class Lifetimes:
    """How long a session lives unused (idle) and at most (absolute)."""

    idle: dt.timedelta = dt.timedelta(minutes=30)
    absolute: dt.timedelta = dt.timedelta(hours=12)


def mask_address(address: str) -> str:
    """A client address as the audit trail keeps it: IPv4 to its /24, IPv6 to its /48."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return "?"
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def is_loopback(address: str) -> bool:
    """Whether the client address is this machine."""
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


class Accounts:
    """The accounts, sessions, throttles and account events of one database."""

    def __init__(
        self,
        engine: Engine,
        signer: CookieSigner,
        *,
        lifetimes: Lifetimes | None = None,
        policy: Policy | None = None,
        hasher: Hasher | None = None,
        clock: Clock = utc_now,
        dev_mode: bool = False,
        min_length: int = MIN_LENGTH,
    ) -> None:
        """Work on `engine`, whose schema the migrations made (the "accounts" branch)."""
        self.engine = engine
        self.signer = signer
        self.lifetimes = lifetimes or Lifetimes()
        self.policy = policy or Policy()
        self.hasher = hasher or Hasher()
        self.clock = clock
        self.dev_mode = dev_mode
        self.min_length = min_length

    # -- managing accounts -------------------------------------------------------------------------------

    def add(self, name: str, password: str, role: str, *, actor: str | None = None, address: str = "") -> Account:
        """Create an account after checking its name, role and password strength.

        Raises:
            AccountError: `bad_name`, `bad_role`, `exists`, or a password code (`passwords.check_strength`).
        """
        name = _name(name)
        _role(role)
        check_strength(password, name, self.min_length)
        return self._insert(name, self.hasher.hash(password), role, actor=actor, address=address)

    def _insert(
        self, name: str, hashed: str, role: str, *, actor: str | None, address: str, dev: bool = False
    ) -> Account:
        now = self.clock()
        with Session(self.engine) as session, session.begin():
            if session.scalar(select(AccountRow).where(AccountRow.name == name)) is not None:
                raise AccountError("exists", f"an account named {name!r} exists", name=name)
            row = AccountRow(
                name=name, password_hash=hashed, role=role, disabled=False, dev=dev, created_at=now,
                password_changed_at=now,
            )  # fmt: skip
            session.add(row)
            self._event(session, "account_added", actor, name, address, f"role={role}")
            return _account(row)

    def all(self) -> list[Account]:
        """Every account, by name."""
        with Session(self.engine) as session:
            return [_account(row) for row in session.scalars(select(AccountRow).order_by(AccountRow.name))]

    def count(self) -> int:
        """How many accounts exist (development accounts not counted)."""
        with Session(self.engine) as session:
            return int(session.scalar(select(func.count()).select_from(AccountRow).where(~AccountRow.dev)) or 0)

    def get(self, name: str) -> Account | None:
        """The account of this name, or None."""
        with Session(self.engine) as session:
            row = _find(session, name)
            return _account(row) if row is not None else None

    def set_role(self, name: str, role: str, *, actor: str | None = None, address: str = "") -> Account:
        """Change an account's role.

        Raises:
            AccountError: `bad_role`, `missing`, or `last_admin` (the only enabled admin would lose the role).
        """
        _role(role)
        with Session(self.engine) as session, session.begin():
            row = _existing(session, name)
            if row.role == "admin" and role != "admin":
                _keep_an_admin(session, row)
            before, row.role = row.role, role
            self._event(session, "role_changed", actor, row.name, address, f"{before} -> {role}")
            return _account(row)

    def disable(self, name: str, *, actor: str | None = None, address: str = "", disabled: bool = True) -> Account:
        """Disable (or enable again) an account; disabling also ends all its sessions.

        Raises:
            AccountError: `missing`, or `last_admin` (the only enabled admin would be disabled).
        """
        with Session(self.engine) as session, session.begin():
            row = _existing(session, name)
            if disabled and row.role == "admin" and not row.disabled:
                _keep_an_admin(session, row)
            row.disabled = disabled
            if disabled:
                self._revoke(session, row.id)
            self._event(session, "disabled" if disabled else "enabled", actor, row.name, address, "")
            return _account(row)

    def set_password(self, name: str, password: str, *, actor: str | None = None, address: str = "") -> Account:
        """Set a new (strong enough) password; every session of the account ends.

        Raises:
            AccountError: `missing`, or a password code (`passwords.check_strength`).
        """
        name = name.strip().lower()
        check_strength(password, name, self.min_length)
        hashed = self.hasher.hash(password)
        with Session(self.engine) as session, session.begin():
            row = _existing(session, name)
            row.password_hash, row.password_changed_at = hashed, self.clock()
            ended = self._revoke(session, row.id)
            self._event(session, "password_changed", actor, row.name, address, f"sessions ended={ended}")
            return _account(row)

    def sign_out_everywhere(self, name: str, *, actor: str | None = None, address: str = "") -> int:
        """End every session of the account; returns how many were open.

        Raises:
            AccountError: `missing`.
        """
        with Session(self.engine) as session, session.begin():
            row = _existing(session, name)
            ended = self._revoke(session, row.id)
            self._event(session, "sign_out_everywhere", actor, row.name, address, f"sessions ended={ended}")
            return ended

    def events(self, limit: int = 100) -> list[tuple[dt.datetime, str, str | None, str | None, str, str]]:
        """The latest account events first: (at, action, actor, subject, masked address, detail)."""
        query = select(AccountEventRow).order_by(AccountEventRow.id.desc()).limit(max(1, min(limit, 1000)))
        with Session(self.engine) as session:
            return [(aware(e.at), e.action, e.actor, e.subject, e.address, e.detail) for e in session.scalars(query)]

    # -- signing in and out ------------------------------------------------------------------------------

    def sign_in(self, name: str, password: str, address: str) -> SignIn:
        """Check a name and password from a client address, throttled per name and per address.

        Unknown names, disabled accounts and wrong passwords all answer `wrong` after the same work; a locked
        name or address answers `locked` with the seconds to wait, without checking the password.
        """
        name = (name or "").strip().lower()[:64]
        keys = [account_key(name), address_key(address)]
        now = self.clock()
        for attempt in range(3):
            try:
                counted = self._count(name, keys, address, now)
                break
            except IntegrityError:  # a parallel attempt made the same throttle row first: count again
                if attempt == 2:
                    raise
        if isinstance(counted, SignIn):
            return counted
        ok = self.hasher.verify(counted, password or "")
        with Session(self.engine) as session, session.begin():
            row = _find(session, name)
            usable = ok and row is not None and not row.disabled and (not row.dev or self._dev_allowed(address))
            if row is None or not usable:
                reason = "not allowed (disabled, or dev account off loopback)" if ok and row is not None else "wrong"
                self._event(session, "sign_in_failed", None, name, address, reason)
                restart_locks(session, keys, self.clock())  # a lock runs from the answer, not from the count
                return SignIn("wrong")
            take_back(session, keys[0], self.policy, clear=True)
            take_back(session, keys[1], self.policy, clear=False)
            if self.hasher.needs_rehash(row.password_hash):
                row.password_hash = self.hasher.hash(password)
            session_id = self.signer.new_id()
            session.add(
                SessionRow(
                    id_hash=self.signer.digest(session_id), account_id=row.id, created_at=now, last_seen=now,
                    revoked_at=None, address=mask_address(address),
                )
            )  # fmt: skip
            self._event(session, "sign_in", row.name, row.name, address, "")
            return SignIn("ok", self.signer.value(session_id), _account(row))

    def _count(self, name: str, keys: list[str], address: str, now: dt.datetime) -> SignIn | str | None:
        """Refuse a locked name or address (a `SignIn`), or count the attempt and return the stored hash."""
        with Session(self.engine) as session, session.begin():
            if self.engine.dialect.name == "sqlite":
                # pysqlite starts a transaction only at the first write, so the read below would not be part of
                # it; take the write lock first, making check-and-count one step (PostgreSQL: FOR UPDATE rows).
                session.execute(text("BEGIN IMMEDIATE"))
            until = locked_until(session, keys, now)
            if until is not None:
                self._event(session, "sign_in_locked", None, name, address, "")
                return SignIn("locked", retry_after=(until - now).total_seconds())
            for key in keys:
                if count_attempt(session, key, now, self.policy) is not None:
                    self._event(session, "lockout", None, name, address, key.split(":", 1)[0])
            row = _find(session, name)
            return row.password_hash if row is not None else None

    def session(self, cookie: str | None) -> Account | None:
        """The account a cookie value signs in, or None (absent, forged, revoked, idle or too old, disabled)."""
        session_id = self.signer.session_id(cookie) if cookie else None
        if session_id is None:
            return None
        now = self.clock()
        with Session(self.engine) as session, session.begin():
            row = session.get(SessionRow, self.signer.digest(session_id))
            if row is None or row.revoked_at is not None:
                return None
            created, seen = aware(row.created_at), aware(row.last_seen)
            if now >= created + self.lifetimes.absolute or now >= seen + self.lifetimes.idle:
                return None
            account = session.get(AccountRow, row.account_id)
            if account is None or account.disabled or (account.dev and not self.dev_mode):
                return None
            if now - seen >= TOUCH_EVERY:
                row.last_seen = now
            return _account(account)

    def sign_out(self, cookie: str | None, address: str = "") -> bool:
        """End the session of this cookie; whether there was one to end."""
        session_id = self.signer.session_id(cookie) if cookie else None
        if session_id is None:
            return False
        with Session(self.engine) as session, session.begin():
            row = session.get(SessionRow, self.signer.digest(session_id))
            if row is None or row.revoked_at is not None:
                return False
            row.revoked_at = self.clock()
            account = session.get(AccountRow, row.account_id)
            name = account.name if account is not None else None
            self._event(session, "sign_out", name, name, address, "")
            return True

    # -- start-up ----------------------------------------------------------------------------------------

    def bootstrap(self, user: str, password: str) -> str:
        """At start: the dev account in dev_mode; the configured admin when no account exists. Says what it did."""
        notes = []
        if self.dev_mode and self.get(DEV_NAME) is None:
            self._insert(DEV_NAME, self.hasher.hash(DEV_PASSWORD), "admin", actor=None, address="", dev=True)
            notes.append("development account created (dev / dev, loopback only)")
        if user.strip() and password and self.count() == 0:
            try:
                self.add(user, password, "admin")
                notes.append(f"admin account {user.strip().lower()!r} created from console_user")
            except AccountError as exc:
                notes.append(f"console_user not created: {exc}")
        return "; ".join(notes)

    # -- internals ---------------------------------------------------------------------------------------

    def _dev_allowed(self, address: str) -> bool:
        return self.dev_mode and is_loopback(address)

    def _revoke(self, session: Session, account_id: int) -> int:
        result = session.execute(
            update(SessionRow)
            .where(SessionRow.account_id == account_id, SessionRow.revoked_at.is_(None))
            .values(revoked_at=self.clock())
        )
        return int(getattr(result, "rowcount", 0) or 0)

    def _event(
        self, session: Session, action: str, actor: str | None, subject: str | None, address: str, detail: str
    ) -> None:
        masked = mask_address(address) if address else ""
        session.add(
            AccountEventRow(
                at=self.clock(), action=action, actor=actor, subject=subject, address=masked, detail=detail[:500]
            )
        )
        log.info("account event %s actor=%s subject=%s address=%s %s", action, actor, subject, masked, detail)


def _name(name: str) -> str:
    name = (name or "").strip().lower()
    if not NAME.match(name):
        raise AccountError("bad_name", "a name has 2-64 letters, digits and . _ @ -, starting with a letter or digit")
    return name


def _role(role: str) -> Role:
    if not is_role(role):
        raise AccountError("bad_role", f"{role!r} is not a role (officer, approver, admin)", role=role)
    return role  # type: ignore[return-value]


def _find(session: Session, name: str) -> AccountRow | None:
    return session.scalar(select(AccountRow).where(AccountRow.name == (name or "").strip().lower()))


def _existing(session: Session, name: str) -> AccountRow:
    row = _find(session, name)
    if row is None:
        raise AccountError("missing", f"no account named {name!r}", name=name)
    return row


def _keep_an_admin(session: Session, row: AccountRow) -> None:
    others = (
        select(func.count())
        .select_from(AccountRow)
        .where(AccountRow.role == "admin", ~AccountRow.disabled, ~AccountRow.dev, AccountRow.id != row.id)
    )
    if not session.scalar(others):
        raise AccountError("last_admin", "the last enabled admin keeps the admin role and stays enabled")


def _account(row: AccountRow) -> Account:
    return Account(row.name, row.role, row.disabled, row.dev, aware(row.created_at), aware(row.password_changed_at))
