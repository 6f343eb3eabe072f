"""The one message catalogue: every word the assistant shows, in English and Chinese.

The catalogue is gettext `.po` files, one pair per domain (`locales/{en,zh}/LC_MESSAGES/DOMAIN.po`), read
with Babel. A message id is a key (`outcome.exempt`, `reason.depends_on`); its text may hold `{name}`
placeholders. Both languages hold the same keys with the same placeholders (tested).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from babel.messages.pofile import read_po

from .errors import CorpusError

Lang = Literal["en", "zh"]
LANGS: tuple[Lang, ...] = ("en", "zh")
LOCALES = Path(__file__).resolve().parent / "locales"


def lang_of(lang: str | None) -> Lang:
    """`zh` for Chinese, `en` for everything else."""
    return "zh" if lang == "zh" else "en"


@lru_cache(maxsize=len(LANGS))
def catalogue(lang: Lang) -> dict[str, str]:
    """Every message of one language, by key, from all of its domains.

    Raises:
        CorpusError: a key is defined twice, or a message has no text.
    """
    merged: dict[str, str] = {}
    for path in sorted((LOCALES / lang / "LC_MESSAGES").glob("*.po")):
        with path.open("rb") as handle:
            for message in read_po(handle, locale=lang):
                key = str(message.id)
                if not key:
                    continue
                if key in merged:
                    raise CorpusError(f"{path.name}: message {key!r} is defined twice in the {lang} catalogue")
                if not message.string:
                    raise CorpusError(f"{path.name}: message {key!r} has no {lang} text")
                merged[key] = str(message.string)
    return merged


def has(key: str) -> bool:
    """Whether the catalogue holds `key`."""
    return key in catalogue("en")


def word(key: str, lang: str, /, **params: Any) -> str:
    """The text of `key` in `lang`, with `{name}` placeholders filled from `params`.

    A key the catalogue lacks comes back as the key itself, so a missing word shows, never crashes.
    """
    text = catalogue(lang_of(lang)).get(key, key)
    return text.format(**params) if params else text
