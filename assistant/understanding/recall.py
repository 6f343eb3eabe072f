"""Readings of messages already read, kept: the same message with the same earlier facts is read once.

A conversation is re-read from its first message at every turn (the chat and the API receive the whole history),
and a help desk sees the same questions again and again; reading a message is all pure work on its text, the
facts of earlier turns, the day it is read on (`dates.reading_day`) and the meaning model, so the reading made
the first time is the reading every time. The kept readings are handed out as deep copies, so no caller can
change what the next one gets.

Cost measured on the 2-core machine (2026-12-01): reading one of the load script's fixed questions takes about
4 ms of CPU; a kept one, its deep copy, about 0.1 ms.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from functools import wraps
from typing import Generic, Protocol, TypeVar

from pydantic import BaseModel

from ..facts import Facts
from .dates import reading_day
from .meaning import meaning_model

R = TypeVar("R", bound=BaseModel)
"""What a reading is (`extract.Understanding`): any pydantic model, so that this module needs nothing from the
reader it keeps readings for."""
R_co = TypeVar("R_co", bound=BaseModel, covariant=True)


class Reader(Protocol[R_co]):
    """How `extract_facts` is called."""

    def __call__(self, text: str, previous: Facts | None = None) -> R_co: ...


KEPT = 1024
"""Readings kept in memory, the least recently used dropped first: about 2.4 KB each and its key (the message and
the earlier facts' JSON), a few MiB when full."""

Key = tuple[str, str | None, dt.date, object]


class Readings(Generic[R]):
    """The kept readings, by message text, earlier facts, reading day and meaning model; safe across threads."""

    def __init__(self, size: int = KEPT) -> None:
        self.size = size
        self._kept: OrderedDict[Key, R] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Key) -> R | None:
        """A copy of the reading kept under `key`, or None."""
        with self._lock:
            found = self._kept.get(key)
            if found is None:
                return None
            self._kept.move_to_end(key)
        return found.model_copy(deep=True)

    def keep(self, key: Key, reading: R) -> None:
        """Keep a copy of `reading` under `key` (the caller goes on with its own)."""
        kept = reading.model_copy(deep=True)
        with self._lock:
            self._kept[key] = kept
            self._kept.move_to_end(key)
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)

    def clear(self) -> None:
        """Forget every reading (tests that change how messages are read)."""
        with self._lock:
            self._kept.clear()


READINGS: Readings[BaseModel] = Readings()
"""The process's kept readings."""


def remembered(read: Reader[R]) -> Reader[R]:
    """`read` (extract_facts), answering from `READINGS` when the same message was read with the same earlier facts,
    on the same day, by the same meaning model (None, the keyword readings, is a model of its own)."""

    @wraps(read)
    def reader(text: str, previous: Facts | None = None) -> R:
        key: Key = (text, None if previous is None else previous.model_dump_json(), reading_day(), meaning_model())
        found = READINGS.get(key)
        if found is not None:
            return found  # type: ignore[return-value]  # kept by this reader: of its type
        reading = read(text, previous)
        READINGS.keep(key, reading)
        return reading

    return reader
