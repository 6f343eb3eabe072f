"""Personal data kept out of the audit log: identity-card numbers, phone numbers and e-mail addresses."""

from __future__ import annotations

import re

ID_MASK = "[ID-NUMBER]"
PHONE_MASK = "[PHONE]"
EMAIL_MASK = "[EMAIL]"

_ID_CARD = re.compile(r"(?<![0-9A-Za-z])\d{6}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])\d{2}\d{3}[0-9Xx](?![0-9A-Za-z])")
"""An 18-digit PRC resident identity-card number (region, birth date, sequence, check digit incl. X)."""

_ID_CARD_LOOSE = re.compile(r"(?<![0-9A-Za-z])\d{17}[0-9Xx](?![0-9A-Za-z])")
"""Any other 17 digits and a check character: masked too, since a mistyped birth date is still an ID."""

_PHONE = re.compile(
    r"(?<![\d+])(?:(?:\+|00)?86[\s\-]?)?1[3-9]\d[\s\-]?\d{4}[\s\-]?\d{4}(?!\d)"  # mobile, optional +86
    r"|(?:\+|00)86[\s\-]?\(?0?\d{2,3}\)?[\s\-]?\d{3,4}[\s\-]?\d{4}(?!\d)"  # landline in +86 form
    r"|(?<![\d+])\(?0\d{2,3}\)?-\d{7,8}(?!\d)"  # landline with area code: 010-12345678
)
"""Mainland mobile numbers (with or without +86 / 0086 and separators) and landlines with an area code."""

_PHONE_HINT = re.compile(r"1[3-9]\d[\s\-]?\d{4}|86|-\d{7}")
"""Text every match of `_PHONE` holds (a mobile number's first seven digits, the 86 of +86, an area code's number):
the full pattern, slow on long text, runs only where this quick one finds something."""

_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")

MAX_FIELD_CHARS = 20_000
"""Longer text is stored truncated, with the record's `truncated` flag set."""

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def mask_pii(text: str) -> str:
    """Replace identity-card numbers, mainland phone numbers and e-mail addresses with placeholders."""
    if "@" in text:
        text = _EMAIL.sub(EMAIL_MASK, text)
    text = _ID_CARD.sub(ID_MASK, text)
    text = _ID_CARD_LOOSE.sub(ID_MASK, text)
    return _PHONE.sub(PHONE_MASK, text) if _PHONE_HINT.search(text) else text


def clean_text(value: object, limit: int = MAX_FIELD_CHARS) -> tuple[str, bool]:
    """Text any database stores: valid UTF-8, no NUL or control bytes, at most `limit` characters.

    Returns the cleaned text and whether anything was cut off.
    """
    if isinstance(value, bytes | bytearray):
        text = bytes(value).decode("utf-8", errors="replace")
    elif isinstance(value, str):
        text = value
    else:
        text = "" if value is None else str(value)
    # Lone surrogates (from surrogateescape decoding) cannot be encoded; replace them.
    text = text.encode("utf-8", errors="replace").decode("utf-8")
    text = _CONTROL.sub("\ufffd", text)
    if len(text) <= limit:
        return text, False
    return text[:limit] + " …[truncated]", True
