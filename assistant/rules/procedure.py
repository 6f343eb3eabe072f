"""The decision procedure: special regimes, important data, the list, exemptions, CIIO and the volume ladder."""

from __future__ import annotations

import datetime as dt

from ..determination import Message, TraceStep
from ..facts import SENSITIVE_KINDS, Facts
from .lists import apply_list, fire_item, list_view
from .loader import RuleBook
from .run import Run, value_message


def evaluate(facts: Facts, book: RuleBook, day: dt.date) -> Run:
    national = book.national(day)
    assert national is not None
    run = Run(book=book, facts=facts, day=day, national=national, listp=book.list_pack(day))
    _assume_same_individuals(run)
    if run.flag("foreign_judicial_request", "assume-no-foreign-judicial-request"):
        run.fire("foreign-judicial-request")
        return _decided(run, "competent_authority_approval")
    if run.flag("state_organ", "assume-not-state-organ") and _any_personal(run):
        run.fire("state-organ")
        return _decided(run, "security_assessment")
    if run.flag("important_data", "assume-not-important-data"):
        if run.facts.exemption_basis is not None:
            run.fire("art5-excludes-important-data")
        run.fire("important-data-notified")
        return _decided(run, "security_assessment")
    view = list_view(run)
    if view is not None and view.important:
        for item in view.important:
            fire_item(run, view.pack, item, "listed: important data")
        if run.facts.exemption_basis is not None:
            run.fire("art5-excludes-important-data")
        run.fire("important-data-notified")
        return _decided(run, "security_assessment")
    if run.facts.exemption_basis is not None and _exemption(run):
        return _decided(run, "exempt")
    outcome = _national_ladder(run)
    if outcome == "exempt" or view is None:
        return _decided(run, outcome)
    return _decided(run, apply_list(run, view, outcome))


def _decided(run: Run, outcome: str) -> Run:
    run.outcome = outcome
    run.trace.append(TraceStep(rule="outcome", pack="-", result=outcome))
    return run


def _assume_same_individuals(run: Run) -> None:
    """A sensitive count with no other count: those individuals are everyone concerned."""
    f = run.facts
    if f.sensitive_info_count and f.personal_info_count is None:
        run.facts = f.with_value("personal_info_count", f.sensitive_info_count)
        run.assume(Message(key="assumption.same_individuals", params={"count": f.sensitive_info_count}))
        rule = run.rule("counting-window")
        run.record(
            run.national,
            "assume-same-individuals",
            "assumed",
            rule.sources,
            facts={"personal_info_count": None},
        )


def _exemption(run: Run) -> bool:
    """Apply the claimed exemption of Provisions arts 3-5 if the facts fit it."""
    f = run.facts
    basis = f.exemption_basis
    has_pi = (f.personal_info_count or 0) > 0 or (f.sensitive_info_count or 0) > 0
    if basis == "trade_without_personal_or_important_data":
        if has_pi:
            run.fire("exemption-not-applicable", why=Message(key="exemption.has_personal_information"))
            return False
        run.fire("exemption-trade")
        return True
    rule_id = {
        "offshore_collected_reexport": "exemption-offshore-reexport",
        "contract_with_individual": "exemption-contract",
        "hr_management": "exemption-hr",
        "emergency": "exemption-emergency",
    }[str(basis)]
    run.fire(rule_id)
    return True


def _national_ladder(run: Run) -> str:
    """The CIIO rule and the volume ladder of Provisions arts 5(4), 7 and 8."""
    f = run.facts
    p, s = f.personal_info_count, f.sensitive_info_count
    if run.facts.exemption_basis is None:
        rule = run.rule("assume-no-exemption")
        run.record(run.national, rule.id, "assumed", rule.sources, facts={"exemption_basis": None})
    if run.flag("ciio", "assume-not-ciio"):
        if _any_personal(run):
            run.fire("ciio")
            _note_no_exemption(run)
            return "security_assessment"
        run.fire("no-personal-or-important-data")
        return "exempt"
    sa = run.rule("sa-volume").thresholds
    if (s is not None and s >= sa["sensitive_at_least"]) or (p is not None and p >= sa["personal_at_least"]):
        _sensitive_reason(run)
        run.fire("sa-volume", count_text=_count_text(run))
        run.assume(run.text(run.rule("counting-window")))
        _note_no_exemption(run)
        return "security_assessment"
    if s is None:
        raise run.missing("sensitive_info_count")
    if p is None:
        raise run.missing("personal_info_count")
    if s == 0 and p == 0:
        run.fire("no-personal-or-important-data")
        return "exempt"
    run.assume(run.text(run.rule("counting-window")))
    scc = run.rule("scc-volume").thresholds
    if s >= scc["sensitive_at_least"] or p >= scc["personal_at_least"]:
        _sensitive_reason(run)
        run.fire("scc-volume", count_text=_count_text(run))
        _note_no_exemption(run)
        return "standard_contract_or_certification"
    run.fire("exempt-below-thresholds", count_text=_count_text(run))
    return "exempt"


def _any_personal(run: Run) -> bool:
    """Whether any personal information goes abroad; asks for a count that could say so."""
    p, s = run.facts.personal_info_count, run.facts.sensitive_info_count
    if (p or 0) > 0 or (s or 0) > 0:
        return True
    if p is None:
        raise run.missing("personal_info_count")
    if s is None:
        raise run.missing("sensitive_info_count")
    return False


def _note_no_exemption(run: Run) -> None:
    if run.facts.exemption_basis is None:
        run.assume(run.text(run.rule("assume-no-exemption")))


def _sensitive_reason(run: Run) -> None:
    if (run.facts.sensitive_info_count or 0) > 0:
        kinds = [value_message("data_kinds", k) for k in run.facts.data_kinds if k in SENSITIVE_KINDS]
        named = Message(key="fmt.capitalize", params={"text": kinds}) if kinds else Message(key="reason.data_concerned")
        run.fire("sensitive-personal-information", kinds=named)


def _count_text(run: Run) -> Message:
    f = run.facts
    params = {"sensitive": f.sensitive_info_count or 0, "personal": f.personal_info_count or 0}
    return Message(key="reason.counts_this_year", params=params)
