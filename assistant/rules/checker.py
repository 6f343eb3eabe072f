"""The deterministic rule checker: `check(facts) -> Determination`, pure (no I/O, no clock, no model).

The procedure follows ../shared/facts/national-rules.md: special regimes, important data, the Beijing
list (when one covers the processor on the transfer date), the exemptions of Provisions arts 3-5, the
CIIO rule and the volume ladder. Thresholds, texts and sources come from the rule packs.

When a deciding fact is unknown, the checker evaluates every value of it (`branches`); a fact whose
every value gives the same result is not deciding and is never asked for.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ..determination import Branch, Change, Citation, Determination, TraceStep
from ..errors import FactsError
from ..facts import INDUSTRIES, SENSITIVE_KINDS, ZONES, Facts
from ..labels import fact_label, outcome_label, value_label
from .loader import RuleBook
from .schema import Item, Pack, Rule, Source, Step

MAX_DEPTH = 4
"""How many unknown facts deep the branch search goes."""

NEUTRAL: dict[str, Any] = {"zone": "none", "industry": "other", "scenario": "other"}
"""The value evaluated for a fact that turns out not to decide the outcome."""


class _Missing(Exception):
    """Raised inside an evaluation that needs a fact it does not have."""

    def __init__(self, fact: str, run: _Run) -> None:
        super().__init__(fact)
        self.fact = fact
        self.run = run


@dataclass
class _Run:
    """The state of one evaluation: what was read, assumed and concluded."""

    book: RuleBook
    facts: Facts
    day: dt.date
    lang: str
    national: Pack
    listp: Pack | None
    reasons: list[str] = field(default_factory=list)
    reason_sources: list[list[Citation]] = field(default_factory=list)
    assumptions: list[str] = field(default_factory=list)
    citations: list[Source] = field(default_factory=list)
    trace: list[TraceStep] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    covering: Pack | None = None

    def rule(self, rule_id: str) -> Rule:
        return next(r for r in self.national.rules if r.id == rule_id)

    def text(self, rule: Rule, **params: Any) -> str:
        values = {**_fact_params(self.facts), **params}
        return rule.reason.get(self.lang).format(**values)

    def record(self, pack: Pack, ident: str, result: str, sources: list[Source], **extra: Any) -> None:
        self.trace.append(
            TraceStep(
                rule=ident,
                pack=pack.pack,
                facts=extra.get("facts", {}),
                threshold=extra.get("threshold"),
                sources=[Citation(doc=s.doc, article=s.article) for s in sources],
                result=result,
            )
        )

    def say(self, reason: str, sources: list[Source]) -> None:
        """Add a reason with the sources it rests on."""
        self.reasons.append(reason)
        self.reason_sources.append([Citation(doc=s.doc, article=s.article) for s in sources])
        self.citations.extend(sources)

    def fire(self, rule_id: str, **params: Any) -> Rule:
        """Record a national rule that applies, with its reason and sources."""
        rule = self.rule(rule_id)
        self.say(self.text(rule, **params), rule.sources)
        used = {n: self.facts.value(n) for n in rule.facts}
        self.record(self.national, rule.id, "applies", rule.sources, facts=used, threshold=rule.thresholds or None)
        return rule

    def missing(self, fact: str) -> _Missing:
        self.trace.append(TraceStep(rule=f"fact:{fact}", pack="-", result="unknown and deciding"))
        return _Missing(fact, self)

    def flag(self, fact: str, assume_rule: str) -> bool:
        """A yes/no fact; unknown is read as no under an explicit assumption."""
        value = self.facts.value(fact)
        if value is None:
            rule = self.rule(assume_rule)
            self.assumptions.append(self.text(rule))
            self.record(self.national, rule.id, "assumed", rule.sources, facts={fact: None})
            return False
        return bool(value)


@dataclass
class _ListView:
    """What the covering list says of this transfer."""

    pack: Pack
    important: list[Item] = field(default_factory=list)
    listed: list[Item] = field(default_factory=list)
    outside: list[Item] = field(default_factory=list)
    carve_outs: list[Item] = field(default_factory=list)
    unknown: list[Item] = field(default_factory=list)
    field_title: str | None = None


def check(
    facts: Facts,
    book: RuleBook,
    *,
    today: dt.date | None = None,
    lang: str = "en",
) -> Determination:
    """Decide which procedure a planned transfer needs.

    Args:
        facts: what is known; `None` fields are unknown.
        book: the loaded rule packs.
        today: the date used when `facts.transfer_date` is null (the caller's clock, never read here).
        lang: language of the texts, "en" or "zh".

    Returns:
        The determination, with reasons, citations, assumptions, branches, next steps and trace.

    Raises:
        FactsError: when the facts name unknown data kinds, scenarios or conditions, or no date is given,
            or no rule pack is in force on the transfer date.
    """
    day = facts.transfer_date or today
    if day is None:
        raise FactsError("transfer_date: unknown, and no date for today was given")
    _validate(facts, book)
    if book.national(day) is None:
        first = min((p.effective_from for p in book.packs.values() if p.kind == "national"), default=None)
        raise FactsError(
            f"transfer_date: no national rule pack is in force on {day.isoformat()}"
            + (f" (the loaded rules start on {first.isoformat()})" if first else "")
        )
    return _resolve(facts, book, day, lang, depth=0)


def _validate(facts: Facts, book: RuleBook) -> None:
    unknown_kinds = [k for k in facts.data_kinds if k not in book.data_kinds]
    if unknown_kinds:
        raise FactsError(f"data_kinds: unknown kind(s) {unknown_kinds}; known: {sorted(book.data_kinds)}")
    if facts.scenario is not None and facts.scenario not in book.scenarios:
        raise FactsError(f"scenario: unknown scenario '{facts.scenario}'; known: {sorted(book.scenarios)}")
    unknown_conditions = [c for c in facts.conditions if c not in book.conditions]
    if unknown_conditions:
        raise FactsError(f"conditions: unknown condition(s) {unknown_conditions}")


def _resolve(facts: Facts, book: RuleBook, day: dt.date, lang: str, depth: int) -> Determination:
    """Evaluate; on an unknown fact, evaluate each of its values and keep it only if it decides."""
    try:
        run = _evaluate(facts, book, day, lang)
    except _Missing as missing:
        return _branch(facts, book, day, lang, depth, missing)
    det = _finish(run, _outcome_of(run))
    if depth == 0:
        det.would_change = _would_change(facts, book, day, lang, det.outcome, run)
    return det


def _branch(facts: Facts, book: RuleBook, day: dt.date, lang: str, depth: int, missing: _Missing) -> Determination:
    name = missing.fact
    run = missing.run
    if depth >= MAX_DEPTH:
        return _finish(run, "needs_more_information", missing_facts=[name])
    values = _domain(name, facts, book, day)
    results = [(v, _resolve(facts.with_value(name, v), book, day, lang, depth + 1)) for v in values]
    if len({_signature(det) for _, det in results}) == 1:
        neutral = NEUTRAL.get(name, values[0])
        det = next((d for v, d in results if v == neutral), results[0][1])
        same = outcome_label(det.outcome, lang)
        note = (
            f"{fact_label(name, lang)}：未说明；无论取何值，结论相同（{same}）"
            if lang == "zh"
            else f"{fact_label(name, lang)}: not stated; every value gives the same outcome ({same})"
        )
        det.assumptions.insert(0, note)
        return det
    missing_facts = [name]
    for _, det in results:
        missing_facts.extend(f for f in det.missing_facts if f not in missing_facts)
    branches = [
        Branch(if_={name: v}, outcome=det.outcome, label=label) for v, det, label in _group(name, results, lang)
    ]
    return _finish(run, "needs_more_information", missing_facts=missing_facts, branches=branches)


def _signature(det: Determination) -> tuple[Any, ...]:
    return (det.outcome, tuple(det.missing_facts), tuple((b.label, b.outcome) for b in det.branches))


def _group(name: str, results: list[tuple[Any, Determination]], lang: str) -> list[tuple[Any, Determination, str]]:
    """One branch per value; for counts, one per range of values with the same outcome."""
    if name not in ("personal_info_count", "sensitive_info_count"):
        return [(v, det, value_label(name, v, lang)) for v, det in results]
    grouped: list[tuple[Any, Determination, str]] = []
    for i, (low, det) in enumerate(results):
        if grouped and grouped[-1][1].outcome == det.outcome and not det.missing_facts:
            continue
        nxt = next((v for v, d in results[i + 1 :] if d.outcome != det.outcome or d.missing_facts), None)
        if nxt is None:
            label = f"{low:,}+" if low else "any"
        elif nxt - 1 == low:
            label = f"{low:,}"
        else:
            label = f"{low:,}–{nxt - 1:,}"
        grouped.append((low, det, label))
    return grouped


def _domain(name: str, facts: Facts, book: RuleBook, day: dt.date) -> list[Any]:
    """The values an unknown fact can take, one per region where the outcome can differ."""
    if name == "zone":
        return list(ZONES)
    if name == "industry":
        return list(INDUSTRIES)
    if name == "scenario":
        listp = book.list_pack(day)
        field_id = facts.industry
        scenarios = [s for f in book.fields(listp) if f.id == field_id for s in f.scenarios] if listp else []
        return [*scenarios, "other"]
    if name in ("personal_info_count", "sensitive_info_count"):
        values = sorted({0, 1, *_boundaries(name, book, day)})
        if name == "sensitive_info_count" and set(facts.data_kinds) & set(SENSITIVE_KINDS):
            return values[1:]  # sensitive data was named: at least one person
        return values
    return [True, False]


def _boundaries(name: str, book: RuleBook, day: dt.date) -> set[int]:
    """Every count at which some rule in force starts to apply."""
    national = book.national(day)
    points: set[int] = set()
    key = "personal" if name == "personal_info_count" else "sensitive"
    for rule in national.rules if national else []:
        for label, value in rule.thresholds.items():
            if label.startswith(key):
                points.add(value)
    listp = book.list_pack(day)
    for item in book.items(listp) if listp else []:
        if item.threshold is not None and item.threshold.fact in (name, "individuals"):
            points.add(item.threshold.boundary)
    return points


def _fact_params(facts: Facts) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for name in ("personal_info_count", "sensitive_info_count"):
        value = facts.value(name)
        params[name] = f"{value:,}" if isinstance(value, int) else "?"
    params["exemption_basis"] = facts.exemption_basis or "-"
    return params


# ---------------------------------------------------------------- the procedure


def _evaluate(facts: Facts, book: RuleBook, day: dt.date, lang: str) -> _Run:
    national = book.national(day)
    assert national is not None
    run = _Run(book=book, facts=facts, day=day, lang=lang, national=national, listp=book.list_pack(day))
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
    view = _list_view(run)
    if view is not None and view.important:
        for item in view.important:
            _fire_item(run, view.pack, item, "listed: important data")
        if run.facts.exemption_basis is not None:
            run.fire("art5-excludes-important-data")
        run.fire("important-data-notified")
        return _decided(run, "security_assessment")
    if run.facts.exemption_basis is not None and _exemption(run):
        return _decided(run, "exempt")
    outcome = _national_ladder(run)
    if outcome == "exempt" or view is None:
        return _decided(run, outcome)
    return _decided(run, _apply_list(run, view, outcome))


def _decided(run: _Run, outcome: str) -> _Run:
    run.trace.append(TraceStep(rule="outcome", pack="-", result=outcome))
    return run


def _outcome_of(run: _Run) -> str:
    return run.trace[-1].result


def _assume_same_individuals(run: _Run) -> None:
    """A sensitive count with no other count: those individuals are everyone concerned."""
    f = run.facts
    if f.sensitive_info_count and f.personal_info_count is None:
        run.facts = f.with_value("personal_info_count", f.sensitive_info_count)
        run.assumptions.append(
            f"未另行说明其他人数：以这{f.sensitive_info_count:,}人作为今年个人信息出境涉及的全部人数"
            if run.lang == "zh"
            else f"No other count given: the {f.sensitive_info_count:,} individuals are taken to be everyone "
            "whose personal information goes abroad this year"
        )
        rule = run.rule("counting-window")
        run.record(
            run.national,
            "assume-same-individuals",
            "assumed",
            rule.sources,
            facts={"personal_info_count": None},
        )


def _exemption(run: _Run) -> bool:
    """Apply the claimed exemption of Provisions arts 3-5 if the facts fit it."""
    f = run.facts
    basis = f.exemption_basis
    has_pi = (f.personal_info_count or 0) > 0 or (f.sensitive_info_count or 0) > 0
    if basis == "trade_without_personal_or_important_data":
        if has_pi:
            why = "数据包含个人信息" if run.lang == "zh" else "the data includes personal information"
            run.fire("exemption-not-applicable", why=why)
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


def _national_ladder(run: _Run) -> str:
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
        run.assumptions.append(run.text(run.rule("counting-window")))
        _note_no_exemption(run)
        return "security_assessment"
    if s is None:
        raise run.missing("sensitive_info_count")
    if p is None:
        raise run.missing("personal_info_count")
    if s == 0 and p == 0:
        run.fire("no-personal-or-important-data")
        return "exempt"
    run.assumptions.append(run.text(run.rule("counting-window")))
    scc = run.rule("scc-volume").thresholds
    if s >= scc["sensitive_at_least"] or p >= scc["personal_at_least"]:
        _sensitive_reason(run)
        run.fire("scc-volume", count_text=_count_text(run))
        _note_no_exemption(run)
        return "standard_contract_or_certification"
    run.fire("exempt-below-thresholds", count_text=_count_text(run))
    return "exempt"


def _any_personal(run: _Run) -> bool:
    """Whether any personal information goes abroad; asks for a count that could say so."""
    p, s = run.facts.personal_info_count, run.facts.sensitive_info_count
    if (p or 0) > 0 or (s or 0) > 0:
        return True
    if p is None:
        raise run.missing("personal_info_count")
    if s is None:
        raise run.missing("sensitive_info_count")
    return False


def _note_no_exemption(run: _Run) -> None:
    if run.facts.exemption_basis is None:
        run.assumptions.append(run.text(run.rule("assume-no-exemption")))


def _sensitive_reason(run: _Run) -> None:
    if (run.facts.sensitive_info_count or 0) > 0:
        kinds = [k for k in run.facts.data_kinds if k in SENSITIVE_KINDS]
        join = "、".join if run.lang == "zh" else ", ".join
        label = join(value_label("data_kinds", k, run.lang) for k in kinds) if kinds else None
        default = "所涉数据" if run.lang == "zh" else "The data concerned"
        run.fire("sensitive-personal-information", kinds=(label or default).capitalize())


def _count_text(run: _Run) -> str:
    f = run.facts
    p, s = f.personal_info_count or 0, f.sensitive_info_count or 0
    if run.lang == "zh":
        return f"今年累计出境：敏感个人信息{s:,}人，其他个人信息{p:,}人"
    return f"This year: {s:,} people's sensitive personal information and {p:,} people's other personal information"


# ---------------------------------------------------------------- the Beijing list


def _list_view(run: _Run) -> _ListView | None:
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
    if zone not in listp.scope.zones:
        run.record(listp, "scope", "does not cover this processor", listp.scope.sources, facts={"zone": zone})
        if zone == "other_ftz":
            run.fire("other-ftz-list")
        elif zone == "beijing":
            run.fire("list-not-covering", scope=listp.scope.text.get(run.lang))
        return None
    run.covering = listp
    run.record(listp, "scope", "covers this processor", listp.scope.sources, facts={"zone": zone})
    industry: str | None = run.facts.industry
    if industry is None and run.facts.scenario not in (None, "other"):
        industry = run.book.scenario_field(listp, str(run.facts.scenario))
    if industry is None:
        raise run.missing("industry")
    view = _ListView(pack=listp)
    for exclusion in listp.exclusions:
        if exclusion.industry == industry:
            run.say(exclusion.reason.get(run.lang), exclusion.sources)
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
        view.field_title = fld.title.get(run.lang)
        run.record(listp, f"field:{fld.id}", f"sector regulated (items {fld.items_status})", fld.sources)
    for item in run.book.items(listp):
        if item.field is not None and item.field != industry:
            continue
        _read_item(run, view, item)
    return view


def _read_item(run: _Run, view: _ListView, item: Item) -> None:
    """Sort one item of the sector (or of every sector) into the view."""
    f = run.facts
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
            _fire_item(run, view.pack, item, f"outside the list ({condition})")
            return
    target = (
        view.important if item.category == "important_data" and item.route == "security_assessment" else view.listed
    )
    target.append(item)


def _known(run: _Run, name: str) -> bool:
    names = ("sensitive_info_count", "personal_info_count") if name == "individuals" else (name,)
    return all(run.facts.value(n) is not None for n in names)


def _assume_below(run: _Run, pack: Pack, item: Item) -> None:
    """An important-data threshold whose count is unknown: like important data, assumed not met (stated)."""
    assert item.threshold is not None
    title = item.title.get(run.lang)
    run.assumptions.append(
        f"未达到“{title}”的门槛（人数未说明）"
        if run.lang == "zh"
        else f"Below the threshold of: {title} (count not stated)"
    )
    run.record(pack, item.id, "assumed not met (count not stated)", item.sources)


def _count(run: _Run, name: str) -> int:
    """A count a threshold reads; `individuals` is everyone concerned, sensitive or not."""
    names = ("sensitive_info_count", "personal_info_count") if name == "individuals" else (name,)
    values = []
    for fact in names:
        value = run.facts.value(fact)
        if value is None:
            raise run.missing(fact)
        values.append(int(value))
    return max(values)


def _fire_item(run: _Run, pack: Pack, item: Item, result: str) -> None:
    run.say(item.text.get(run.lang), item.sources)
    run.record(pack, item.id, result, item.sources)


def _apply_list(run: _Run, view: _ListView, national: str) -> str:
    """The list's effect on a transfer the national rules would subject to a procedure."""
    lang = run.lang
    pack = view.pack
    for item in view.carve_outs:
        _fire_item(run, pack, item, "carve-out: the list does not free this data")
        if item.next_step is not None:
            run.steps.append(item.next_step)
    if view.carve_outs:
        return national
    for item in view.listed:
        _fire_item(run, pack, item, f"on the list, route {item.route}")
        if item.route == "unknown":
            run.fire("list-route-unknown")
    if view.listed:
        known = [i.route for i in view.listed if i.route != "unknown"]
        return known[0] if known else national
    freeing = [i for i in view.outside if i.category != "important_data"]
    if freeing:
        for item in freeing:
            _fire_item(run, pack, item, "outside the list")
        run.fire("list-outside", national=outcome_label(national, lang))
        if not (run.facts.data_kinds and "genetic" not in run.facts.data_kinds):
            run.assumptions.append("不涉及基因数据（未说明）" if lang == "zh" else "No genetic data (not stated)")
        return "outside_negative_list"
    for item in view.unknown:
        run.record(pack, item.id, "item content not available", item.sources)
    if view.unknown:
        run.fire("list-items-unknown", field=view.field_title or "")
        run.reason_sources[-1].extend(Citation(doc=s.doc, article=s.article) for i in view.unknown for s in i.sources)
        run.citations.extend(s for i in view.unknown for s in i.sources)
    return national


# ---------------------------------------------------------------- the determination


def _finish(
    run: _Run,
    outcome: str,
    missing_facts: list[str] | None = None,
    branches: list[Branch] | None = None,
) -> Determination:
    lang = run.lang
    packs = [run.national.pack] + ([run.listp.pack] if run.listp is not None else [])
    steps: list[Step] = []
    if outcome != "needs_more_information":
        if run.covering is not None:
            steps.extend(run.covering.next_steps.get(outcome, []))  # type: ignore[call-overload]
        steps.extend(run.steps)
        steps.extend(run.national.next_steps.get(outcome, []))  # type: ignore[call-overload]
    reasons = list(run.reasons)
    reason_sources = [list(s) for s in run.reason_sources]
    if missing_facts:
        names = "、".join if lang == "zh" else ", ".join
        listed = names(fact_label(m, lang) for m in missing_facts)
        reasons.append(
            f"结论取决于尚未说明的事实：{listed}"
            if lang == "zh"
            else f"The outcome depends on facts not stated: {listed}"
        )
        reason_sources.append([])
    citations: list[Citation] = []
    for src in [*run.citations, *(s for step in steps for s in step.sources)]:
        cite = Citation(doc=src.doc, article=src.article)
        if cite not in citations:
            citations.append(cite)
    book = run.book
    return Determination(
        outcome=outcome,
        rule_packs=packs,
        reasons=reasons,
        reason_citations=reason_sources,
        citations=citations,
        assumptions=list(dict.fromkeys(run.assumptions)),
        missing_facts=missing_facts or [],
        branches=branches or [],
        next_steps=[_step_text(step, book, lang) for step in steps],
        trace=run.trace,
        applied_list=run.covering.pack if run.covering is not None else None,
        transfer_date=run.day.isoformat(),
        language=lang,
    )


def _step_text(step: Step, book: RuleBook, lang: str) -> str:
    labels = []
    for src in step.sources:
        doc = book.registry.get(src.doc)
        labels.append(doc.label(src.article, lang) if doc else f"{src.doc} {src.article}")
    sep = "；" if lang == "zh" else "; "
    return f"{step.text.get(lang)} ({sep.join(labels)})" if labels else step.text.get(lang)


def _would_change(facts: Facts, book: RuleBook, day: dt.date, lang: str, outcome: str, run: _Run) -> list[Change]:
    """Nearby facts that would give another outcome: higher counts, flipped assumptions, another zone."""
    candidates: list[tuple[str, Any]] = []
    effective = run.facts
    for name in ("sensitive_info_count", "personal_info_count"):
        current = effective.value(name)
        if isinstance(current, int):
            candidates.extend((name, b) for b in sorted(_boundaries(name, book, day)) if b > current)
    for name in ("ciio", "important_data"):
        if facts.value(name) is None:
            candidates.append((name, True))
    if outcome == "outside_negative_list" and "genetic" not in facts.data_kinds:
        candidates.append(("data_kinds", [*facts.data_kinds, "genetic"]))
    if run.covering is not None:
        candidates.append(("zone", "none"))
    elif facts.zone in ("none", "other_ftz") and book.list_pack(day) is not None:
        candidates.append(("zone", "beijing"))
    changes: list[Change] = []
    last: dict[str, str] = {}
    for name, value in candidates:
        changed = facts.with_value(name, value)
        if name == "personal_info_count" and facts.personal_info_count is None:
            continue
        try:
            other = _resolve(changed, book, day, lang, depth=MAX_DEPTH - 1).outcome
        except FactsError:
            continue
        if other in (outcome, last.get(name), "needs_more_information"):
            continue
        last[name] = other
        changes.append(Change(if_={name: value}, outcome=other, text=_change_text(name, value, other, lang)))
    return changes


def _change_text(name: str, value: Any, outcome: str, lang: str) -> str:
    result = outcome_label(outcome, lang)
    if name in ("sensitive_info_count", "personal_info_count"):
        if lang == "zh":
            return f"{fact_label(name, lang)}达到{value:,}人或以上：{result}"
        return f"{value:,} or more {fact_label(name, lang)}: {result}"
    if name == "data_kinds":
        return f"如涉及基因数据：{result}" if lang == "zh" else f"If genetic data is included: {result}"
    if name in _FLIP_TEXT:
        return f"{_FLIP_TEXT[name][lang]}：{result}" if lang == "zh" else f"{_FLIP_TEXT[name][lang]}: {result}"
    shown = value_label(name, value, lang)
    return f"如{shown}：{result}" if lang == "zh" else f"If {shown}: {result}"


_FLIP_TEXT: dict[str, dict[str, str]] = {
    "ciio": {
        "en": "If you are designated a critical information infrastructure operator",
        "zh": "如被认定为关键信息基础设施运营者",
    },
    "important_data": {
        "en": "If any of the data is notified or published as important data",
        "zh": "如部分数据被告知或公开发布为重要数据",
    },
}
