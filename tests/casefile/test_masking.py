"""mask_pii's quick checks (an @ for e-mail, `_PHONE_HINT` for phone numbers) never change what it masks."""

from __future__ import annotations

import random

from assistant.casefile import privacy
from assistant.casefile.privacy import mask_pii


def _every_pattern(text: str) -> str:
    """mask_pii as every pattern run on the whole text."""
    text = privacy._EMAIL.sub(privacy.EMAIL_MASK, text)
    text = privacy._ID_CARD.sub(privacy.ID_MASK, text)
    text = privacy._ID_CARD_LOOSE.sub(privacy.ID_MASK, text)
    return privacy._PHONE.sub(privacy.PHONE_MASK, text)


def test_numbers_and_addresses_are_masked_as_before() -> None:
    text = "Call +86 139 0011 2233 or 021-65432109, mail li.ming@example.cn; ID 11010519491231002X, year 2026."
    masked = mask_pii(text)
    assert masked == _every_pattern(text)
    assert "[PHONE]" in masked and "[EMAIL]" in masked and "[ID-NUMBER]" in masked and "2026" in masked


def test_the_quick_checks_agree_with_the_full_patterns_on_random_text() -> None:
    draw = random.Random(14)
    alphabet = "0123456789" * 4 + "+-() @.xX86113a电话"
    for _ in range(20_000):
        text = "".join(draw.choice(alphabet) for _ in range(draw.randrange(5, 40)))
        assert mask_pii(text) == _every_pattern(text), text
