"""Roles and what each may do in the console: officers work cases, approvers also publish, admins also manage."""

from __future__ import annotations

from typing import Literal, get_args

Role = Literal["officer", "approver", "admin"]
"""An account's role."""
ROLES: tuple[Role, ...] = get_args(Role)
"""Every role, least trusted first."""
Permission = Literal["cases", "publish", "accounts"]
"""Something a role may do: read cases, cards and drafts; publish knowledge; manage accounts, keys and settings."""

PERMISSIONS: dict[Role, frozenset[Permission]] = {
    "officer": frozenset({"cases"}),
    "approver": frozenset({"cases", "publish"}),
    "admin": frozenset({"cases", "publish", "accounts"}),
}
"""What each role may do."""


def allowed(role: str, permission: Permission) -> bool:
    """Whether an account of this role may do this (an unknown role may do nothing)."""
    return permission in PERMISSIONS.get(role, frozenset())  # type: ignore[call-overload]


def is_role(value: str) -> bool:
    """Whether the text names a role."""
    return value in ROLES
