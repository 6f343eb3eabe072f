"""API keys: stored as `ID:SHA256HEX` entries, checked in constant time, never logged or stored in clear."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from ..errors import ConfigurationError

KEY_PREFIX = "ftz-"
"""Every key this project issues starts so, which makes a leaked key easy to recognise in a scan."""

_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}")
_HEX = re.compile(r"[0-9a-f]{64}")


def hash_key(key: str) -> str:
    """The SHA-256 hex digest of a key (keys are random, so an unsalted hash is enough)."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class IssuedKey:
    """A new key, shown once, and the settings entry that stores only its hash."""

    key_id: str
    key: str

    @property
    def entry(self) -> str:
        """The `ID:SHA256HEX` entry for `ASSISTANT_API_KEYS`."""
        return f"{self.key_id}:{hash_key(self.key)}"


def new_key(key_id: str) -> IssuedKey:
    """Issue a random key for `key_id`.

    Raises:
        ConfigurationError: the id is not 1-64 letters, digits or `_ . @ -`.
    """
    if not _ID.fullmatch(key_id):
        raise ConfigurationError(f"key id {key_id!r}: use 1-64 letters, digits or _ . @ - (starting alphanumeric)")
    return IssuedKey(key_id=key_id, key=KEY_PREFIX + secrets.token_urlsafe(32))


class KeyRing:
    """The configured keys: which id, if any, a presented bearer token belongs to."""

    def __init__(self, entries: Iterable[str]) -> None:
        """Parse `ID:SHA256HEX` entries.

        Raises:
            ConfigurationError: an entry is malformed or an id repeats (the message names the entry's id).
        """
        self._hashes: list[tuple[str, bytes]] = []
        seen: set[str] = set()
        for n, raw in enumerate(entries, 1):
            key_id, sep, digest = raw.strip().rpartition(":")
            if not sep or not _ID.fullmatch(key_id) or not _HEX.fullmatch(digest.lower()):
                shown = key_id if _ID.fullmatch(key_id) else f"entry {n}"
                raise ConfigurationError(f"api_keys: {shown} is not an 'ID:SHA256HEX' entry (64 hex digits)")
            if key_id in seen:
                raise ConfigurationError(f"api_keys: key id {key_id!r} appears twice")
            seen.add(key_id)
            self._hashes.append((key_id, bytes.fromhex(digest)))

    @property
    def enabled(self) -> bool:
        """Whether any key is configured (without keys the API is open)."""
        return bool(self._hashes)

    @property
    def ids(self) -> list[str]:
        """The configured key ids."""
        return [key_id for key_id, _ in self._hashes]

    def identify(self, token: str) -> str | None:
        """The id of the key `token` is, or None; compares every entry so timing tells nothing."""
        presented = hashlib.sha256(token.encode("utf-8", errors="replace")).digest()
        found: str | None = None
        for key_id, digest in self._hashes:
            if hmac.compare_digest(presented, digest):
                found = key_id
        return found


def bearer_token(authorization: str | None) -> str | None:
    """The token of an `Authorization: Bearer TOKEN` header, or None."""
    if not authorization:
        return None
    scheme, _, token = authorization.strip().partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None
