"""Sector regulations read beside the national ladder: important data they publish (automotive data)."""

from __future__ import annotations

from .lists import ListView, fire_item, read_item
from .run import Run


def sector_important_data(run: Run) -> bool:
    """Whether a sector pack in force publishes some of this data as important data (a reading, said aloud).

    A sector pack governs processors of its industries and anyone handling the data kinds it declares (whoever
    processes automotive data is an automotive data processor).
    """
    if not run.readings or run.facts.exemption_basis == "offshore_collected_reexport":
        return False
    found = False
    for pack in run.book.sectors(run.day):
        kinds = {k for item in pack.items for k in item.data_kinds_any}
        covered = run.facts.industry in pack.industries or bool(kinds & set(run.facts.data_kinds))
        if not covered:
            continue
        view = ListView(pack=pack)
        for item in pack.items:
            if not (set(item.except_subjects) >= set(run.facts.data_subjects) and run.facts.data_subjects):
                read_item(run, view, item)
        for item in view.important:
            fire_item(run, pack, item, "important data published by a sector regulation (reading)")
        if view.important:
            run.sectors.append(pack)
            found = True
    if found:
        run.read.append("sector-important-data")
        run.fire("sector-important-data")
    return found
