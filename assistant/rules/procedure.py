"""The decision procedure: special regimes, important data, sector readings, the list, exemptions, the ladder."""

from __future__ import annotations

import datetime as dt

from ..determination import Message, TraceStep
from ..facts import Facts
from .book import RuleBook
from .exemptions import decide_candidate, exemption_applies, settle_candidate
from .ladder import any_personal, national_ladder
from .lists import ListView, apply_list, fire_item, list_view, mention_other_lists, reference_warnings
from .run import Run
from .sectors import sector_important_data

HGR_KINDS = frozenset({"genetic"})
"""Data kinds that are human genetic resources information (clinical, imaging, protein, metabolic data are not)."""


def evaluate(facts: Facts, book: RuleBook, day: dt.date, *, readings: bool = True) -> Run:
    """One pass of the procedure over `facts` on `day`.

    Args:
        readings: whether readings of sector regulations apply (off: the branch in which they do not hold).

    Raises:
        Missing: a fact that decides the outcome is unknown.
    """
    national = book.national(day)
    assert national is not None
    listp = book.list_for(day, facts.zone, facts.other_zone, facts.industry)
    run = Run(book=book, facts=facts, day=day, national=national, listp=listp, readings=readings)
    settle_candidate(run)
    _assume_same_individuals(run)
    if HGR_KINDS & set(facts.data_kinds):
        run.regime("hgr-report-and-backup")
        run.regime("hgr-security-review")
    if facts.treaty_conditions:
        run.regime("treaty-conditions")
    if facts.recipient_restricted:
        run.regime("recipient-restricted")
    run.outcome = _route(run)
    mention_other_lists(run)
    run.trace.append(TraceStep(rule="outcome", pack="-", result=run.outcome))
    return run


def _route(run: Run) -> str:
    if run.flag("foreign_judicial_request", "assume-no-foreign-judicial-request"):
        run.fire("foreign-judicial-request")
        return "competent_authority_approval"
    if _state_organ(run) and any_personal(run):
        run.fire("state-organ")
        return "security_assessment"
    if run.flag("important_data", "assume-not-important-data"):
        _important_data(run)
        return "security_assessment"
    sector = sector_important_data(run)
    # Once a sector regulation decides, the list is read only to cite it too, never to ask where one is; data
    # collected abroad (Provisions art 4) is not data collected in operations in China, which the lists govern.
    offshore = run.facts.exemption_basis == "offshore_collected_reexport"
    view = list_view(run) if not offshore and (not sector or run.facts.zone is not None) else None
    if view is not None and view.important:
        for item in view.important:
            fire_item(run, view.pack, item, "listed: important data")
        run.note("list-names-important-data")
    if sector or (view is not None and view.important):
        _important_data(run)
        return "security_assessment"
    outcome = _personal_information(run, view)
    if view is not None and outcome not in ("security_assessment", "competent_authority_approval"):
        reference_warnings(run, view)
    return outcome


def _personal_information(run: Run, view: ListView | None) -> str:
    """The route for data that is not important data: an exemption, else the ladder and the list."""
    decide_candidate(run)
    if run.facts.exemption_basis is not None and exemption_applies(run):
        return "exempt"
    outcome = national_ladder(run)
    if outcome == "exempt" or view is None:
        return outcome
    return apply_list(run, view, outcome)


def _state_organ(run: Run) -> bool:
    """A state organ, or a body managing public affairs that the law treats as one (PIPL art 37)."""
    if run.facts.public_affairs_body:
        run.fire("public-affairs-body")
        return True
    return run.flag("state_organ", "assume-not-state-organ")


def _important_data(run: Run) -> None:
    if run.facts.exemption_basis is not None:
        run.fire("art5-excludes-important-data")
    run.fire("important-data-notified")


def _assume_same_individuals(run: Run) -> None:
    """A sensitive count with no other count: those individuals are everyone concerned."""
    f = run.facts
    if f.sensitive_info_count and f.personal_info_count is None:
        run.facts = f.with_value("personal_info_count", f.sensitive_info_count)
        run.assume(Message(key="assumption.same_individuals", params={"count": f.sensitive_info_count}))
        rule = run.rule("counting-window")
        run.record(
            run.national, "assume-same-individuals", "assumed", rule.sources, facts={"personal_info_count": None}
        )
