"""Help-desk accounts: roles, argon2 passwords with a minimum strength, throttled sign-in, expiring sessions.

`open_accounts(settings, engine)` builds the one `Accounts` of a process over the audit database (whose schema
the migrations made); the console (`assistant.ui`), its cookie routes (`assistant.accounts.routes`) and the CLI
(`assistant users ...`) all go through it.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine

from ..settings import Settings
from .cookie import COOKIE_NAME, CookieSigner, load_secret
from .lockout import Policy
from .roles import PERMISSIONS, ROLES, Permission, Role, allowed
from .store import Account, Accounts, Clock, Lifetimes, SignIn, is_loopback, mask_address, utc_now

__all__ = [
    "COOKIE_NAME",
    "PERMISSIONS",
    "ROLES",
    "Account",
    "Accounts",
    "Clock",
    "CookieSigner",
    "Lifetimes",
    "Permission",
    "Policy",
    "Role",
    "SignIn",
    "allowed",
    "is_loopback",
    "mask_address",
    "open_accounts",
]


def open_accounts(settings: Settings, engine: Engine, clock: Clock = utc_now) -> Accounts:
    """The accounts over `engine`, with the settings' lifetimes, lockout policy, cookie secret and dev mode."""
    return Accounts(
        engine,
        CookieSigner(load_secret(settings)),
        lifetimes=Lifetimes(
            idle=dt.timedelta(minutes=settings.session_idle_minutes),
            absolute=dt.timedelta(hours=settings.session_max_hours),
        ),
        policy=Policy(settings.signin_lock_after, settings.signin_address_lock_after, settings.signin_max_lock_seconds),
        clock=clock,
        dev_mode=settings.dev_mode,
        min_length=settings.password_min_length,
    )
