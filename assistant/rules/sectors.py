"""Sector regulations read beside the national ladder: important data they publish (automotive data)."""

from __future__ import annotations

from .lists import ListView, fire_item, item_met, read_item
from .run import Run
from .schema import Item


def sector_important_data(run: Run) -> bool:
    """Whether a sector pack in force publishes some of this data as important data (a reading, said aloud).

    A sector pack governs processors of its industries and anyone handling the data kinds its items name
    (whoever processes automotive data is an automotive data processor).
    """
    if not run.readings or run.facts.exemption_basis == "offshore_collected_reexport":
        return False
    for pack in run.book.sectors(run.day):
        kinds = {k for item in pack.items for k in item.data_kinds_any}
        covered = run.facts.industry in pack.industries or bool(kinds & set(run.facts.data_kinds))
        if not covered and run.facts.industry is None and any(_met_by_anyone(run, item) for item in pack.items):
            raise run.missing("industry")  # e.g. 100,001 people's data is important data only for a carmaker
        if not covered:
            continue
        view = ListView(pack=pack)
        for item in pack.items:
            if not _excepted(run, item):
                read_item(run, view, item)
        for item in view.important:
            fire_item(run, pack, item, "important data published by a sector regulation (reading)")
        if view.important:
            run.sectors.append(pack)
    if run.sectors:
        run.fire("sector-important-data")
    return bool(run.sectors)


def _met_by_anyone(run: Run, item: Item) -> bool:
    """Whether an important-data item that names no data kind is met by the facts stated."""
    return item.effect == "listed" and not item.data_kinds_any and not _excepted(run, item) and item_met(run, item)


def _excepted(run: Run, item: Item) -> bool:
    """Whether the data is only the people the item leaves out (an HR transfer is taken to be employees')."""
    subjects = set(run.facts.data_subjects)
    if not subjects and run.facts.exemption_basis == "hr_management":
        subjects = {"employees"}
    return bool(subjects) and subjects <= set(item.except_subjects)
