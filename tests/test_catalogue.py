"""The message catalogue: both languages hold the same keys and placeholders, and every key the code asks for."""

from __future__ import annotations

import re
import string
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from assistant.catalogue import LANGS, LOCALES, catalogue, has, word
from assistant.outcomes import OUTCOMES
from assistant.ui.cards import HEADINGS
from assistant.ui.chat import RATINGS
from assistant.ui.console import CASE_COLUMNS, EDITION_COLUMNS, RULE_COLUMNS
from assistant.ui.form import FORM_FIELDS

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted([*(ROOT / "assistant").rglob("*.py"), ROOT / "app.py"])

LITERAL_KEY = re.compile(r"(?<![\w.])(?:word|label|value|placeholder)\(\s*([\"'])([a-z_]+(?:\.[a-z0-9_]+)+)\1")
"""A catalogue key written out in a call: `word("chat.send", ...)`, and the app's `label("console.user")`,
`value("chat.send")` and `placeholder("chat.placeholder")` (which read the catalogue)."""
MSGID = re.compile(r'^msgid "(.+)"$', re.MULTILINE)


def domains(lang: str) -> dict[str, dict[str, str]]:
    """Each domain's messages in `lang`, by key, read from its .po file."""
    found = {}
    for path in sorted((LOCALES / lang / "LC_MESSAGES").glob("*.po")):
        with path.open("rb") as handle:
            found[path.stem] = {str(m.id): str(m.string) for m in read_po(handle, locale=lang) if m.id}
    return found


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_both_languages_have_the_same_domains_and_keys() -> None:
    en, zh = domains("en"), domains("zh")
    assert set(en) == set(zh)
    assert {"ui", "report"} <= set(en)
    for domain in en:
        assert set(en[domain]) == set(zh[domain]), domain


@pytest.mark.parametrize("lang", LANGS)
def test_no_key_is_defined_twice(lang: str) -> None:
    ids = [key for path in (LOCALES / lang / "LC_MESSAGES").glob("*.po") for key in MSGID.findall(path.read_text())]
    twice = sorted(key for key, count in Counter(ids).items() if count > 1)
    assert not twice


def test_every_message_has_text_and_the_same_placeholders_in_both_languages() -> None:
    en, zh = catalogue("en"), catalogue("zh")
    assert set(en) == set(zh)
    for key, text in en.items():
        assert text.strip() and zh[key].strip(), key
        assert placeholders(text) == placeholders(zh[key]), key


def test_the_code_asks_only_for_keys_the_catalogue_holds() -> None:
    asked = {
        (path.relative_to(ROOT).as_posix(), match[1])
        for path in SOURCES
        for match in LITERAL_KEY.findall(path.read_text(encoding="utf-8"))
    }
    assert len(asked) > 100  # the scan finds the faces' words
    assert sorted((path, key) for path, key in asked if not has(key)) == []


def test_keys_the_faces_compose_exist() -> None:
    composed = [
        *(f"outcome.{o}" for o in OUTCOMES),
        *(f"card.heading.{o}" for o in HEADINGS),
        *(f"form.label.{name}" for name in FORM_FIELDS),
        *(f"console.case_col.{name}" for name in CASE_COLUMNS),
        *(f"console.rule_col.{name}" for name in RULE_COLUMNS),
        *(f"console.edition_col.{name}" for name in EDITION_COLUMNS),
        *(f"console.export_{kind}" for kind in ("md", "pdf")),
        *(f"chat.{verdict}" for verdict in RATINGS),
        *(f"report.rated.{verdict}" for verdict in RATINGS),
    ]
    assert [key for key in composed if not has(key)] == []


def test_a_missing_key_shows_as_itself() -> None:
    assert word("no.such.key", "zh") == "no.such.key"
    assert word("console.edition.rules", "en", count=39) == "39 rules"
