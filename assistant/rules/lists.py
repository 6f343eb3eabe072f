"""What a Beijing negative list in force says of a transfer: coverage, items, relaxation, carve-outs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..determination import Message, TraceStep
from ..facts import COUNT_FACTS, OTHER_SCENARIO
from .run import Run, cite, step_message
from .schema import Item, Pack, pack_key


@dataclass
class ListView:
    """What the covering list says of this transfer."""

    pack: Pack
    important: list[Item] = field(default_factory=list)
    listed: list[Item] = field(default_factory=list)
    outside: list[Item] = field(default_factory=list)
    carve_outs: list[Item] = field(default_factory=list)
    unknown: list[Item] = field(default_factory=list)
    reference: list[Item] = field(default_factory=list)
    """Reference rules met: the data is likely important data (a warning, never an outcome)."""
    reference_unknown: list[Item] = field(default_factory=list)
    """An earlier edition's reference rules that would be met, when whether they carry over is not known."""
    field_title: Message | None = None


def list_view(run: Run) -> ListView | None:
    """What the list in force says, or None when no list covers this processor."""
    listp = run.listp
    if listp is None:
        run.trace.append(
            TraceStep(rule="beijing-list", pack="-", result=f"no Beijing list in force on {run.day.isoformat()}")
        )
        return None
    assert listp.scope is not None
    zone = run.facts.zone
    if zone is None:
        raise run.missing("zone")
    beijing_use = listp.scope.beijing_use and zone in ("beijing", "beijing_ftz")
    if zone not in listp.scope.zones and not beijing_use:
        run.record(listp, "scope", "does not cover this processor", listp.scope.sources, facts={"zone": zone})
        if zone == "other_ftz":
            run.fire("other-ftz-list")
        elif zone == "beijing":
            run.fire("list-not-covering", scope=Message(key=pack_key(listp.pack, "scope", "-", "text")))
        return None
    run.covering = listp
    run.record(listp, "scope", "covers this processor", listp.scope.sources, facts={"zone": zone})
    industry: str | None = run.facts.industry
    if industry is None and run.facts.scenario not in (None, OTHER_SCENARIO):
        industry = run.book.scenario_field(listp, str(run.facts.scenario))
    if industry is None:
        raise run.missing("industry")
    view = ListView(pack=listp)
    for exclusion in listp.exclusions:
        if exclusion.industry == industry:
            run.say(Message(key=pack_key(listp.pack, "exclusions", exclusion.id, "reason")), exclusion.sources)
            run.record(
                listp,
                exclusion.id,
                "excludes this processor",
                exclusion.sources,
                facts={"industry": industry},
            )
            return None
    fld = next((f for f in run.book.fields(listp) if f.id == industry), None)
    if fld is None:
        run.record(listp, "fields", "sector not regulated by the list", listp.sources, facts={"industry": industry})
    else:
        view.field_title = Message(key=pack_key(listp.pack, "fields", fld.id, "title"))
        run.record(listp, f"field:{fld.id}", f"sector regulated (items {fld.items_status})", fld.sources)
    for item in run.book.items(listp):
        if item.field is not None and item.field != industry:
            continue
        read_item(run, view, item)
    for item in run.book.unknown_reference_rules(listp):
        if item_met(run, item):
            view.reference_unknown.append(item)
    return view


def mention_other_lists(run: Run) -> None:
    """For a Beijing processor, another province's list of its sector that the help desk has not switched on:
    say it exists and that the help desk can confirm whether it may be used (conditions unknown: sector-rules F1)."""
    industry = run.facts.industry
    if run.facts.zone not in ("beijing", "beijing_ftz") or industry is None:
        return
    for pack in run.book.other_lists(run.day):
        if pack is run.listp or pack.scope is None or pack.scope.beijing_use or not run.book.regulates(pack, industry):
            continue
        run.note("other-zone-list-unconfirmed", title=Message(key=pack_key(pack.pack, "pack", "-", "title")))


def read_item(run: Run, view: ListView, item: Item) -> None:
    """Sort one item of the sector (or of every sector) into the view."""
    f = run.facts
    if item.effect == "reference":
        if item_met(run, item):
            view.reference.append(item)
        return
    if item.effect == "unknown":
        if item.scenario is None or f.scenario in (None, item.scenario):
            view.unknown.append(item)
        return
    for name, wanted in item.requires.items():
        value = f.value(name)
        if value is None and name == "ciio":
            value = False
        if value != wanted:
            return
    if item.scenario is not None:
        if f.scenario is None:
            raise run.missing("scenario")
        if f.scenario != item.scenario:
            return
    if item.data_kinds_any and not set(item.data_kinds_any) & set(f.data_kinds):
        return
    if item.effect == "carve_out":
        view.carve_outs.append(item)
        return
    met = True
    threshold: dict[str, Any] | None = None
    if item.threshold is not None:
        if item.category == "important_data" and not _known(run, item.threshold.fact):
            _assume_below(run, view.pack, item)
            return
        count = _count(run, item.threshold.fact)
        met = item.threshold.met(count)
        threshold = {item.threshold.fact: count, "from": item.threshold.boundary}
    if item.effect == "relax":
        (view.listed if met else view.outside).append(item)
        run.record(
            view.pack,
            item.id,
            "on the list" if met else "outside the list",
            item.sources,
            threshold=threshold,
        )
        return
    if not met:
        return
    for condition in item.unless:
        value = f.conditions.get(condition)
        if value is None:
            raise run.missing(f"conditions.{condition}")
        if value:
            view.outside.append(item)
            fire_item(run, view.pack, item, f"outside the list ({condition})")
            return
    target = (
        view.important if item.category == "important_data" and item.route == "security_assessment" else view.listed
    )
    target.append(item)


def _counted(name: str) -> tuple[str, ...]:
    """The count facts a threshold reads: `individuals` is everyone concerned (sensitive first)."""
    return tuple(reversed(COUNT_FACTS)) if name == "individuals" else (name,)


def _known(run: Run, name: str) -> bool:
    return all(run.facts.value(n) is not None for n in _counted(name))


def _assume_below(run: Run, pack: Pack, item: Item) -> None:
    """An important-data threshold whose count is unknown: like important data, assumed not met (stated)."""
    assert item.threshold is not None
    title = Message(key=pack_key(pack.pack, "items", item.id, "title"))
    run.assume(Message(key="assumption.below_item_threshold", params={"title": title}))
    run.record(pack, item.id, "assumed not met (count not stated)", item.sources)


def _count(run: Run, name: str) -> int:
    """A count a threshold reads; `individuals` is everyone concerned, sensitive or not."""
    values = []
    for fact in _counted(name):
        value = run.facts.value(fact)
        if value is None:
            raise run.missing(fact)
        values.append(int(value))
    return max(values)


def fire_item(run: Run, pack: Pack, item: Item, result: str) -> None:
    """State an item of the list that applies, with its sources (and how it is read, if the pack says)."""
    run.say(Message(key=pack_key(pack.pack, "items", item.id, "text")), item.sources)
    run.record(pack, item.id, result, item.sources)
    if item.reading is not None:
        run.assume(Message(key=pack_key(pack.pack, "items", item.id, "reading")))


def item_met(run: Run, item: Item) -> bool:
    """Whether the facts stated meet an item's requirements, kinds and threshold (unknown counts: not met)."""
    f = run.facts
    if any(f.value(name) is not wanted for name, wanted in item.requires.items()):
        return False
    if item.data_kinds_any and not set(item.data_kinds_any) & set(f.data_kinds):
        return False
    if item.threshold is None:
        return True
    return _known(run, item.threshold.fact) and item.threshold.met(_count(run, item.threshold.fact))


def reference_warnings(run: Run, view: ListView) -> None:
    """Say which reference rules flag the data as likely important data, and what to do."""
    if run.facts.exemption_basis == "offshore_collected_reexport":
        return  # data collected abroad is not data collected in operations in China
    for item in view.reference:
        fire_item(run, view.pack, item, "reference rule met: likely important data")
    if view.reference:
        run.fire("reference-rule-likely")
    carry = view.pack.carry_over
    if carry is None:
        return
    for item in view.reference_unknown:
        run.fire("reference-rules-unknown", title=Message(key=pack_key(carry.pack, "items", item.id, "title")))


def apply_list(run: Run, view: ListView, national: str) -> str:
    """The list's effect on a transfer the national rules would subject to a procedure."""
    pack = view.pack
    for item in view.carve_outs:
        fire_item(run, pack, item, "carve-out: the list does not free this data")
        if item.next_step is not None:
            run.steps.append(step_message(pack_key(pack.pack, "items", item.id, "next_step"), item.next_step))
    if view.carve_outs:
        return national
    for item in view.listed:
        fire_item(run, pack, item, f"on the list, route {item.route}")
        if item.route == "unknown":
            run.fire("list-route-unknown")
    if view.listed:
        known = [i.route for i in view.listed if i.route != "unknown"]
        return known[0] if known else national
    freeing = [i for i in view.outside if i.category != "important_data"]
    if freeing:
        for item in freeing:
            fire_item(run, pack, item, "outside the list")
        run.fire("list-outside", national=Message(key=f"outcome.{national}"))
        if not (run.facts.data_kinds and "genetic" not in run.facts.data_kinds):
            run.assume(Message(key="assumption.no_genetic_data"))
        return "outside_negative_list"
    for item in view.unknown:
        run.record(pack, item.id, "item content not available", item.sources)
    if view.unknown:
        run.fire("list-items-unknown", field=view.field_title or "")
        run.reason_sources[-1].extend(cite([s for i in view.unknown for s in i.sources]))
        run.citations.extend(s for i in view.unknown for s in i.sources)
    return national
