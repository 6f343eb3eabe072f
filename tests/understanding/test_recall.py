"""Kept readings (understanding/recall.py): the same message read again gives the same reading, never a shared one."""

from __future__ import annotations

import datetime as dt

from assistant.facts import Facts
from assistant.understanding import extract_facts
from assistant.understanding.dates import read_on
from assistant.understanding.recall import READINGS, Readings

MESSAGE = "Our clinic in Haidian plans to send the lab results of 1,234 patients to a partner in Osaka next month."


def test_a_message_read_again_gives_an_equal_reading_that_is_its_own() -> None:
    READINGS.clear()
    first = extract_facts(MESSAGE)
    first.facts.data_kinds.append("genetic")  # a caller changing its reading changes no other's
    first.notes.append("changed by the caller")
    again = extract_facts(MESSAGE)
    READINGS.clear()
    fresh = extract_facts(MESSAGE)
    assert again == fresh
    assert "genetic" not in again.facts.data_kinds and "changed by the caller" not in again.notes


def test_earlier_facts_and_the_day_are_part_of_what_is_read() -> None:
    READINGS.clear()
    with read_on(dt.date(2026, 3, 10)):
        march = extract_facts(MESSAGE)
    with read_on(dt.date(2026, 8, 10)):
        august = extract_facts(MESSAGE)
    assert march.facts.transfer_date != august.facts.transfer_date
    earlier = Facts(zone="other_ftz")
    with read_on(dt.date(2026, 3, 10)):
        assert extract_facts(MESSAGE, earlier) == extract_facts.__wrapped__(MESSAGE, earlier)  # type: ignore[attr-defined]


def test_the_least_recently_used_reading_is_dropped() -> None:
    kept = Readings(size=2)
    reading = extract_facts(MESSAGE)
    day = dt.date(2026, 1, 1)
    for text in ("a", "b"):
        kept.keep((text, None, day, None), reading)
    assert kept.get(("a", None, day, None)) == reading  # "a" is now the more recent
    kept.keep(("c", None, day, None), reading)
    assert kept.get(("b", None, day, None)) is None
    assert kept.get(("a", None, day, None)) == reading
