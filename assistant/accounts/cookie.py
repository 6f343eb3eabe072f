"""The console's sign-in cookie: a random session id signed with a secret, and the secret itself.

The id is 256 random bits and the database keeps only its SHA-256, so neither a database dump nor a log line
opens a session; the signature (itsdangerous) lets a forged or truncated cookie be refused without a query.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from pathlib import Path

from itsdangerous import BadSignature, Signer

from ..errors import ConfigurationError
from ..settings import Settings

COOKIE_NAME = "ftz_console"
"""The cookie's name."""
SECRET_FILE = "console-secret"
"""The generated secret's file in the data folder (when `console_secret` is not set)."""
SALT = "assistant.console-session"


def load_secret(settings: Settings) -> bytes:
    """`console_secret`, else the secret in the data folder, generated there once (mode 0600) when missing."""
    configured = settings.console_secret.get_secret_value()
    if configured:
        return configured.encode()
    path = Path(settings.data_dir) / SECRET_FILE
    if path.exists():
        return _read(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f".{SECRET_FILE}.{secrets.token_hex(8)}")
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(secrets.token_urlsafe(48))
    try:
        # A hard link appears whole or not at all: replicas starting together agree on the first one written.
        os.link(draft, path)
    except FileExistsError:
        pass
    finally:
        draft.unlink(missing_ok=True)
    return _read(path)


def _read(path: Path) -> bytes:
    text = path.read_text(encoding="ascii").strip()
    if len(text) < 32:
        raise ConfigurationError(f"{path} holds no usable secret; delete it or set ASSISTANT_CONSOLE_SECRET")
    return text.encode()


class CookieSigner:
    """New session ids, their cookie values and their stored hashes."""

    def __init__(self, secret: bytes) -> None:
        """Sign with this secret."""
        self._signer = Signer(secret, salt=SALT)

    @staticmethod
    def new_id() -> str:
        """A fresh session id: 256 random bits."""
        return secrets.token_urlsafe(32)

    def value(self, session_id: str) -> str:
        """The cookie value of a session id."""
        return self._signer.sign(session_id).decode("ascii")

    def session_id(self, value: str) -> str | None:
        """The session id of a cookie value, or None when its signature is wrong."""
        try:
            return self._signer.unsign(value.encode("ascii", "ignore")).decode("ascii")
        except (BadSignature, UnicodeDecodeError):
            return None

    @staticmethod
    def digest(session_id: str) -> str:
        """What the database keeps of a session id."""
        return hashlib.sha256(session_id.encode("ascii")).hexdigest()
