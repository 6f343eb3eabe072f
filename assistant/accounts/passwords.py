"""Password hashing (argon2id, argon2-cffi) and the minimum strength (zxcvbn and a minimum length).

zxcvbn ships its own lists of common passwords, names and keyboard patterns, so `password1`, `P@ssw0rd` and
a row of spaces score 0; the account's name and the app's own words count as guessable too.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from zxcvbn import zxcvbn  # type: ignore[import-untyped]

from ..errors import AccountError

MIN_LENGTH = 12
"""Fewer characters are refused whatever their score."""
MAX_LENGTH = 256
"""More characters are refused: a sign-in must not make the server hash a megabyte."""
MIN_SCORE = 3
"""zxcvbn's score (0-4) a password needs: 3 is 'safely unguessable' against an online attack with throttling."""
APP_WORDS: tuple[str, ...] = (
    "beijing", "ftz", "assistant", "console", "helpdesk", "help-desk", "officer", "approver", "admin",
    "data", "export", "zone", "free", "trade", "pilot", "negative", "list", "password", "bj",
)  # fmt: skip
"""Words anyone might try against this app: guessable, like the user's own name."""


def check_strength(password: str, name: str = "", min_length: int = MIN_LENGTH) -> None:
    """Refuse a password that is too short, too long or too guessable (zxcvbn score below `MIN_SCORE`).

    Raises:
        AccountError: code `password_short`, `password_long` or `password_weak` (the message says why).
    """
    if len(password.strip()) < min_length:
        raise AccountError("password_short", f"the password needs at least {min_length} characters", min=min_length)
    if len(password) > MAX_LENGTH:
        raise AccountError("password_long", f"the password may have at most {MAX_LENGTH} characters", max=MAX_LENGTH)
    result = zxcvbn(password, user_inputs=[name, *name.replace(".", " ").replace("-", " ").split(), *APP_WORDS])
    if int(result["score"]) < MIN_SCORE:
        feedback = result.get("feedback") or {}
        hint = " ".join(filter(None, [feedback.get("warning", ""), *feedback.get("suggestions", [])]))
        raise AccountError("password_weak", f"the password is too easy to guess. {hint}".strip())


class Hasher:
    """argon2id hashes; verifying against a fixed dummy hash keeps an unknown name as slow as a known one."""

    def __init__(self, hasher: PasswordHasher | None = None) -> None:
        """Use argon2-cffi's default parameters (or cheaper ones in tests)."""
        self._hasher = hasher or PasswordHasher()
        self._dummy = self._hasher.hash("an unknown account is checked against this")

    def hash(self, password: str) -> str:
        """The argon2id hash of a password (salted; PHC string)."""
        return self._hasher.hash(password)

    def verify(self, stored: str | None, password: str) -> bool:
        """Whether the password matches; with no stored hash, the same work is done and False returned."""
        try:
            ok = self._hasher.verify(stored or self._dummy, password[:MAX_LENGTH])
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False
        return ok and stored is not None

    def needs_rehash(self, stored: str) -> bool:
        """Whether the hash was made with older parameters (rehashed at the next sign-in)."""
        return self._hasher.check_needs_rehash(stored)
