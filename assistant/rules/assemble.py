"""A determination assembled from one evaluation: reasons, citations, assumptions and next steps."""

from __future__ import annotations

from functools import partial

from ..determination import Branch, Citation, Determination, Message
from .run import Run, cite, step_message
from .schema import Pack, Step, pack_key


def finish(
    run: Run,
    outcome: str,
    missing_facts: list[str] | None = None,
    branches: list[Branch] | None = None,
) -> Determination:
    """The determination of `run` with `outcome` (the missing facts and branches when it is undecided)."""
    packs = [run.national.pack, *(p.pack for p in run.sectors)] + ([run.listp.pack] if run.listp is not None else [])
    steps = _next_steps(run, outcome) if outcome != "needs_more_information" else []
    reasons = list(run.reasons)
    reason_sources = [list(s) for s in run.reason_sources]
    if missing_facts:
        facts = [Message(key=f"fact.{m}") for m in missing_facts]
        reasons.append(Message(key="reason.depends_on", params={"facts": facts}))
        reason_sources.append([])
    step_sources = [c for step in steps for c in _listed(step.params.get("sources")) if isinstance(c, Citation)]
    citations = list(dict.fromkeys([*cite(run.citations), *step_sources]))  # citations are frozen: hashed, not compared
    return Determination(
        outcome=outcome,
        rule_packs=packs,
        reason_keys=reasons,
        reason_citations=reason_sources,
        deciding_reason=run.deciding.get(outcome),
        citations=citations,
        assumption_keys=list(run.assumptions),
        missing_facts=missing_facts or [],
        branches=branches or [],
        next_step_keys=steps,
        trace=run.trace,
        applied_list=run.covering.pack if run.covering is not None else None,
        transfer_date=run.day.isoformat(),
        special_regimes=list(run.regimes),
    )


def _listed(value: object) -> list[object]:
    return list(value) if isinstance(value, list) else []


def _next_steps(run: Run, outcome: str) -> list[Message]:
    """What to do: the covering list's and sector packs' steps for the outcome, the rules' and items' own, then
    the national ones; each as in force on the transfer date."""
    first = [run.covering] if run.covering is not None else []
    steps = [*_pack_steps([*first, *run.sectors], run, outcome), *run.steps]
    return steps + _pack_steps([run.national], run, outcome)


def _pack_steps(packs: list[Pack], run: Run, outcome: str) -> list[Message]:
    steps: list[Message] = []
    for pack in packs:
        for n, step in enumerate(pack.next_steps.get(outcome, [])):  # type: ignore[call-overload]
            if step.in_force(run.day):
                steps.append(run.book.step(pack, outcome, n, partial(_step, pack, outcome, n, step)))
    return steps


def _step(pack: Pack, outcome: str, n: int, step: Step) -> Message:
    return step_message(pack_key(pack.pack, "next_steps", outcome, str(n)), step)
