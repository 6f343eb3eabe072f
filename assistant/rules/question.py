"""The follow-up question of an undecided determination: which fact to ask, and the answers to offer.

The checker evaluates every value of each unknown fact that decides; this module picks the fact whose answer
changes the outcome most and turns its values into 2-5 options (yes/no, a few named values, or count ranges),
so that a person can answer with one click or one word.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..determination import Determination, Message, Option, Question, QuestionKind
from ..facts import COUNT_FACTS, OTHER_SCENARIO
from .run import value_message

MAX_OPTIONS = 5
"""More answers than this are not a question one picks from; the rest fold into "other"."""

FOLDED = ("industry", "scenario")
"""Facts with many values, of which only those that change the outcome are offered (the rest are "other")."""

Results = Sequence[tuple[Any, Determination]]
"""Each value of a fact with the determination it gives."""


@dataclass(frozen=True)
class Range:
    """Counts from `low` to `high` (None: no upper end) that all give `det`."""

    low: int
    high: int | None
    det: Determination


def signature(det: Determination) -> tuple[Any, ...]:
    """What makes two determinations the same answer for the person: outcome, what is still asked, branches."""
    return (
        det.outcome,
        tuple(det.missing_facts),
        tuple((b.label_key.model_dump_json(), b.outcome) for b in det.branches),
    )


def spread(results: Results) -> int:
    """How much the answer changes the outcome: the number of distinct outcomes across the values."""
    return len({det.outcome for _, det in results})


def count_ranges(results: Results) -> list[Range]:
    """Consecutive counts grouped while they give the same decided outcome (an undecided value stands alone)."""
    ranges: list[Range] = []
    for i, (low, det) in enumerate(results):
        if ranges and ranges[-1].det.outcome == det.outcome and not det.missing_facts:
            continue
        nxt = next((v for v, d in results[i + 1 :] if d.outcome != det.outcome or d.missing_facts), None)
        ranges.append(Range(int(low), None if nxt is None else int(nxt) - 1, det))
    return ranges


def branch_label(r: Range) -> Message:
    """A range as a branch shows it: `10,000–99,999`, `1,000,000+`."""
    if r.high is None:
        return Message(key="range.from", params={"low": r.low}) if r.low else Message(key="range.any")
    if r.high == r.low:
        return Message(key="range.one", params={"low": r.low})
    return Message(key="range.between", params={"low": r.low, "high": r.high})


def option_label(r: Range) -> Message:
    """A range as an answer to pick: `fewer than 10,000`, `10,000 to 99,999`, `1,000,000 or more`."""
    if r.high is None:
        return Message(key="option.count.from", params={"low": r.low}) if r.low else Message(key="range.any")
    if r.high == r.low:
        return Message(key="option.count.none") if r.low == 0 else Message(key="range.one", params={"low": r.low})
    if r.low == 0:
        return Message(key="option.count.below", params={"limit": r.high + 1})
    return Message(key="option.count.between", params={"low": r.low, "high": r.high})


def question_for(name: str, results: Results) -> Question:
    """The question for fact `name` with the options its values give."""
    if name in COUNT_FACTS:
        options = [Option(value=r.low, label_key=option_label(r), outcome=r.det.outcome) for r in count_ranges(results)]
        return Question(fact=name, kind="count", options=_capped(options, None))
    values = [v for v, _ in results]
    kind: QuestionKind = "yes_no" if values and all(isinstance(v, bool) for v in values) else "choice"
    if kind == "yes_no":
        options = [
            Option(value=v, label_key=Message(key=f"option.{'yes' if v else 'no'}"), outcome=det.outcome)
            for v, det in sorted(results, key=lambda vd: not vd[0])
        ]
        return Question(fact=name, kind=kind, options=options)
    shown = list(results)
    other = next((det for v, det in results if v == OTHER_SCENARIO), None)
    if name in FOLDED and other is not None:
        same = signature(other)
        shown = [(v, d) for v, d in results if v != OTHER_SCENARIO and signature(d) != same]
        shown.append((OTHER_SCENARIO, other))
    options = [Option(value=v, label_key=_value_label(name, v), outcome=det.outcome) for v, det in shown]
    return Question(fact=name, kind=kind, options=_capped(options, OTHER_SCENARIO if other is not None else None))


def _capped(options: list[Option], other: str | None) -> list[Option]:
    """At most `MAX_OPTIONS`, keeping the "other" option last when there is one."""
    if len(options) <= MAX_OPTIONS:
        return options
    if other is None:
        return options[:MAX_OPTIONS]
    rest = [o for o in options if o.value != other]
    return [*rest[: MAX_OPTIONS - 1], *[o for o in options if o.value == other]]


def _value_label(name: str, value: Any) -> Message:
    shown = value_message(name, value)
    return shown if isinstance(shown, Message) else Message(key="fmt.number", params={"n": shown})
