"""The national route for personal information: the CIIO rule and the volume ladder (Provisions arts 5(4), 7, 8)."""

from __future__ import annotations

from ..determination import Message
from ..facts import SENSITIVE_KINDS
from .run import Run


def national_ladder(run: Run) -> str:
    """The CIIO rule and the volume ladder; counts are this year's totals."""
    f = run.facts
    if f.exemption_basis is None:
        rule = run.rule("assume-no-exemption")
        run.record(run.national, rule.id, "assumed", rule.sources, facts={"exemption_basis": None})
    if run.flag("ciio", "assume-not-ciio"):
        if any_personal(run):
            run.fire("ciio")
            _note_no_exemption(run)
            return "security_assessment"
        run.fire("no-personal-or-important-data")
        return "exempt"
    _check_contradiction(run)
    if f.split_to_avoid_threshold:
        run.fire("split-decided-on-whole")
        run.assume(Message(key="assumption.counts_are_whole"))
    p, s = f.personal_info_count, f.sensitive_info_count
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


def any_personal(run: Run) -> bool:
    """Whether any personal information goes abroad; asks for a count that could say so."""
    p, s = run.facts.personal_info_count, run.facts.sensitive_info_count
    if (p or 0) > 0 or (s or 0) > 0:
        return True
    if p is None:
        raise run.missing("personal_info_count")
    if s is None:
        raise run.missing("sensitive_info_count")
    return False


def sensitive_kinds(run: Run) -> list[Message]:
    """The sensitive data kinds named, as messages."""
    return [Message(key=f"value.data_kinds.{k}") for k in run.facts.data_kinds if k in SENSITIVE_KINDS]


def _check_contradiction(run: Run) -> None:
    """Sensitive data named with a sensitive count of 0 is a contradiction to ask about, never an exemption."""
    if run.facts.sensitive_info_count == 0 and (kinds := sensitive_kinds(run)):
        run.fire("contradiction-sensitive-zero", kinds=Message(key="fmt.join", params={"items": kinds}))
        raise run.missing("sensitive_info_count")


def _note_no_exemption(run: Run) -> None:
    if run.facts.exemption_basis is None:
        run.assume(run.text(run.rule("assume-no-exemption")))


def _sensitive_reason(run: Run) -> None:
    if (run.facts.sensitive_info_count or 0) > 0:
        kinds = sensitive_kinds(run)
        named = Message(key="fmt.capitalize", params={"text": kinds}) if kinds else Message(key="reason.data_concerned")
        run.fire("sensitive-personal-information", kinds=named)
        if "identity_document" in run.facts.data_kinds:
            run.note("identity-document-reading")


def _at_most(count: int) -> Message:
    """A count that is a maximum (records that may repeat a person): "at most 60,000"."""
    return Message(key="fmt.at_most", params={"count": count})


def _count_text(run: Run) -> Message:
    """This year's counts, each group of people once: the same people are never shown as two groups."""
    sensitive, personal = run.facts.sensitive_info_count or 0, run.facts.personal_info_count or 0
    if "sensitive_info_count" in run.facts.at_most_counts and sensitive and not personal:
        return Message(key="reason.counts_sensitive_only", params={"sensitive": _at_most(sensitive)})
    if "personal_info_count" in run.facts.at_most_counts and personal and not sensitive:
        return Message(key="reason.counts_no_sensitive", params={"personal": _at_most(personal)})
    if sensitive and sensitive == personal:
        return Message(key="reason.counts_same_people", params={"count": sensitive})
    if not sensitive:
        return Message(key="reason.counts_no_sensitive", params={"personal": personal})
    if not personal:
        return Message(key="reason.counts_sensitive_only", params={"sensitive": sensitive})
    return Message(key="reason.counts_this_year", params={"sensitive": sensitive, "personal": personal})
