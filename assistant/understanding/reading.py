"""One turn's facts read on top of the earlier turns': context, data kinds, counts, flags and dates."""

from __future__ import annotations

import re

from ..facts import COUNT_FACTS, OTHER_SCENARIO, SENSITIVE_KINDS
from .business import described_business, industry_by_meaning
from .dates import dates_a_procedure_or_rule, find_dates, of_an_earlier_batch, opens_a_period
from .exemptions import domestic_added, find_exemption, find_necessity, other_purpose
from .flags import find_flags
from .kinds import NO_PERSONAL_INFO, read_kinds, read_subjects
from .people import ORDINARY_KINDS, read_counts
from .places import find_zone, ftz_without_city
from .relative import HEDGE, find_scales
from .text import words
from .turn import Turn
from .vocabulary import (
    HEALTH_SCENARIOS,
    INDUSTRY_PATTERNS,
    PHARMA_SCENARIOS,
    RD_WORDS,
    SCENARIO_PATTERNS,
    SCENARIO_UNSURE,
    TRIAL_WORDS,
    first_match,
)


def read_turn(text: str, turn: Turn) -> None:
    """Read every kind of fact from the message into the turn."""
    _read_context(text, turn)
    found = read_kinds(text)
    narrowed = _narrowed_to_ordinary(text, turn, set(found.stated))
    kinds = [k for k in turn.base.data_kinds if k not in found.absent and k not in narrowed]
    for kind, evidence in found.stated.items():
        if kind not in kinds:
            kinds.append(kind)
            turn.notes.append(f"data_kinds: + {kind} ({evidence})")
    for kind, evidence in found.absent.items():
        if kind in turn.base.data_kinds:
            turn.notes.append(f"data_kinds: − {kind} (not included: {evidence})")
    scenario = turn.values["scenario"]
    if not kinds and not found.other_personal and scenario in HEALTH_SCENARIOS and not NO_PERSONAL_INFO.search(text):
        kinds.append("health")
        turn.notes.append(f"data_kinds: + health (the data of a {scenario} scenario)")
    if found.stated or found.absent or kinds != turn.base.data_kinds:
        turn.stated = True
        turn.names.add("data_kinds")
    turn.values["data_kinds"] = kinds
    _read_subjects(text, turn)
    # the words of sensitive kinds the person thinks may be there ("可能有不满14岁的")
    maybe = [w for k, w in found.possible.items() if k in SENSITIVE_KINDS and k not in kinds and k not in found.absent]
    read_counts(text, turn, kinds, bool(found.other_personal), maybe)
    _maybe_sensitive(turn, maybe, kinds)
    _one_person_in_emergency(text, turn, kinds)
    if not any(k in SENSITIVE_KINDS for k in found.stated) and not found.absent:
        _same_people(turn)
    dropped = [k for k in [*found.absent, *narrowed] if k in turn.base.data_kinds and k in SENSITIVE_KINDS]
    if dropped and not any(k in SENSITIVE_KINDS for k in kinds):
        _no_longer_sensitive(turn, dropped)
    _scale_counts(text, turn)
    for flag in find_flags(text):
        if flag.value is None:
            turn.notes.append(f"{flag.name}: not set ({flag.evidence})")
        else:
            turn.set(flag.name, flag.value, flag.evidence)
    if (turn.values["state_organ"] or turn.values["public_affairs_body"]) and turn.values["industry"] is None:
        turn.set("industry", "other", "a state organ" if turn.values["state_organ"] else "a public affairs body")
    dates = [d for d in find_dates(text) if not dates_a_procedure_or_rule(text, d)]
    dates = [d for d in dates if not of_an_earlier_batch(d, text) and not opens_a_period(d, text)]
    if dates and (dates[-1].ahead or not (dates[-1].relative and MORE_TO_COME.search(text, dates[-1].end))):
        # "今年1月传了6万条，现在还要再传": January was an earlier batch, not the transfer asked about
        last = dates[-1]
        turn.set("transfer_date", last.value, last.text + ("" if last.day_stated else "; day not stated: 1st taken"))
    if turn.values["scenario"] is None and turn.values["data_subjects"] == ["employees"]:
        # the lists' sector scenarios (trials, vehicles, flights...) are business data, not a company's own staff;
        # inferred, not stated (so it makes no rule question a case)
        turn.values["scenario"] = OTHER_SCENARIO
        turn.notes.append("scenario: other (only the company's own employees' data: no sector scenario)")


_ONE_PERSON = words(
    r"\b(?:a|an|one)\s+(?:of (?:our|the|their) )?(?:[\w-]+\s+){0,2}?"
    r"(?:travell?ers?|tourists?|guests?|employees?|colleagues?|staff member|engineers?|patients?|students?|"
    r"passengers?|customers?|members?|drivers?|workers?|expats?|managers?|clients?)\b"
    r"|\b(?:his|her)\s+(?:medical|health|blood|allergy|allergies|insurance|passport|records?|history|details|"
    r"medication|file|test)"
    r"|(?:一|1)\s*(?:位|名|个)[^，。,.；;！!？?]{0,6}?(?:游客|旅客|团员|员工|同事|客户|患者|病人|学生|乘客|工程师|老人|孩子|用户|会员|司机|外派)"
    r"|某(?:位|名|个)?(?:游客|旅客|团员|员工|同事|客户|患者|病人|学生|乘客|工程师)"
    r"|[他她](?:的)?(?:既往|病史|病历|过敏|用药|体检|血型|护照|身份证|保险)"
)
"""One person named: "a colleague on a trip", "one of our engineers", "her allergy history", "一位游客", "他的病史"."""


def _maybe_sensitive(turn: Turn, maybe: list[str], kinds: list[str]) -> None:
    """Sensitive data the person thinks may be there, and no count of it: how many is not known, so the count
    an earlier turn gave none is open again ("学员里可能也有小学生，人数没统计")."""
    if not maybe or "sensitive_info_count" in turn.names or any(k in SENSITIVE_KINDS for k in kinds):
        return
    if turn.values["sensitive_info_count"] == 0:
        turn.set("sensitive_info_count", None, f"{maybe[0]} may be included; how many is not known")


def _one_person_in_emergency(text: str, turn: Turn, kinds: list[str]) -> None:
    """An emergency about one person ("an engineer collapsed on a site in Jakarta; the ICU wants his blood type")
    concerns that one person's data: counted as one when no count is stated, so no list threshold is asked."""
    if turn.values["exemption_basis"] != "emergency" or any(turn.values[name] is not None for name in COUNT_FACTS):
        return
    if found := _ONE_PERSON.search(text):
        sensitive = any(k in SENSITIVE_KINDS for k in kinds)
        turn.set("sensitive_info_count" if sensitive else "personal_info_count", 1, f"{found.group(0)}: one person")


OUTSIDE_LABOUR_RULES = words(
    r"\bnot (?:in|under|part of|covered by|based on|required by) (?:our |the |any )?(?:labou?r|employment|HR) "
    r"(?:rules|regulations|policies|contracts?)\b|\b(?:purely |entirely |completely )?voluntary\b"
    r"|(?:不在|没有写进|没写进|不属于|并非)(?:我们|公司)?(?:的)?(?:劳动)?(?:规章制度|劳动合同|集体合同|员工手册)"
    r"|(?:员工)?自愿(?:参加|参与|报名)"
)
"""A purpose the person says is outside the labour rules and contracts ("a voluntary staff lottery, not in our
labour rules"): not the HR management art 5(2) exempts."""
MORE_TO_COME = words(
    r"\b(?:will|plan(?:s|ning)?|going to|next|another|more|again|now want)\b"
    r"|还要|再传|再提供|再发|本次|这次|将要|计划|准备|打算|拟"
)
"""Words after a past month that announce a further transfer: the month dates an earlier one."""


def _read_subjects(text: str, turn: Turn) -> None:
    """Whose data it is, added to the earlier turns' (a note, not a statement: naming people describes no case)."""
    subjects = list(turn.values["data_subjects"])
    for subject, evidence in read_subjects(text).items():
        if subject not in subjects:
            subjects.append(subject)
            turn.notes.append(f"data_subjects: + {subject} ({evidence})")
    turn.values["data_subjects"] = subjects


_SWAPPED = words(
    r"\b(?:no|not|without|never)\b[^.;!?]{1,30}?[,，]\s*(?:just|only)\b|(?:不|没有)[^。；！？，,]{1,12}[，,]\s*(?:只|仅)"
)
"""One field left out and another named in its place ("names stay out, just the member number and phone"): the
identifiers that go with the data, not all that goes."""
_JUST = words(r"\b(?:just|only|solely|merely)\b|仅|只(?:有|是|传|发|给|要)|单纯")


def _narrowed_to_ordinary(text: str, turn: Turn, stated: set[str]) -> list[str]:
    """The earlier turns' sensitive kinds a follow-up leaves out by naming only ordinary fields ("what about just
    the 300k members' names, e-mails and purchase history?"): the narrowed transfer is of those fields alone."""
    earlier = [k for k in turn.base.data_kinds if k in SENSITIVE_KINDS]
    if not earlier or not stated or not stated <= ORDINARY_KINDS or not _JUST.search(text):
        return []
    if _SWAPPED.search(text):
        return []  # "not the names, only the member number": which identifiers go with the data, not all that goes
    turn.notes.append(f"data_kinds: − {', '.join(earlier)} (only {', '.join(sorted(stated))} named now)")
    return earlier


def _same_people(turn: Turn) -> None:
    """A later count of everyone that names no data ("so the year's total is these 90,000", "actually it's 120,000
    people") counts the same group: the sub-group with sensitive data stays as it was, the others are the rest."""
    before = turn.base
    sensitive, other = before.sensitive_info_count, before.personal_info_count
    changed = [name for name in COUNT_FACTS if turn.values[name] != before.value(name)]
    if not turn.counted or not (sensitive and other) or not changed or turn.added:
        return
    total = sum(turn.values[name] or 0 for name in changed)
    if total <= sensitive:
        return
    why = f"{total:,} people in all, as before {sensitive:,} of them with sensitive data"
    turn.set("sensitive_info_count", sensitive, why)
    turn.set("personal_info_count", total - sensitive, why)


def _no_longer_sensitive(turn: Turn, dropped: list[str]) -> None:
    """A follow-up that leaves out the only sensitive data ("the check-up reports won't go after all"): its people
    still go, with their other data, unless the turn counts them anew."""
    before = turn.base
    sensitive, other = before.sensitive_info_count, before.personal_info_count
    if not sensitive or turn.values["sensitive_info_count"] != sensitive:
        return
    why = f"{', '.join(dropped)} no longer sent"
    turn.set("sensitive_info_count", 0, why)
    if turn.values["personal_info_count"] == other:
        turn.set("personal_info_count", (other or 0) + sensitive, f"{why}: those {sensitive:,} people count as others")


def _scale_counts(text: str, turn: Turn) -> None:
    """A follow-up that scales the earlier counts ("twice as many people?") when it states none of its own.

    A guess ("could be double, maybe even triple", "全年可能翻一番") gives a range, from the earlier count (or the
    smallest factor) to the largest factor, which the checker asks about when a threshold lies inside it."""
    scales = find_scales(text)
    if not scales or turn.counted:
        return
    factors = [factor for factor, _ in scales]
    words = ", ".join(w for _, w in scales)
    hedged = bool(HEDGE.search(text))
    for name in COUNT_FACTS:
        value = turn.base.value(name)
        if not value or turn.values[name] != value:
            continue
        high = int(value * max(factors))
        if hedged or len(set(factors)) > 1:
            low = value if hedged else int(value * min(factors))
            turn.values["count_ranges"] = {**turn.values["count_ranges"], name: (min(low, high), max(low, high))}
            turn.set(name, high, f"{words}: a guess, {min(low, high):,} to {max(low, high):,}")
        else:
            turn.set(name, high, f"{words}: {value:,} × {factors[0]}")


_SITE = (
    r"(?:'s)?\s*(?:sites?|stores?|shops?|branch(?:es)?|centres?|centers?|clinics?|hospitals?|plants?|factor(?:y|ies)|"
    r"warehouses?|offices?|campus(?:es)?|outlets?)\b|的?(?:门店|分店|网点|分院|医院|中心|工厂|仓库|站点|分部|办公室|校区)"
)


def _elsewhere(sector_words: str, business: str, text: str) -> bool:
    """Whether a sector's words come after, and outside, the words in which the person describes the business."""
    at = text.find(business)
    return at >= 0 and sector_words.lower() not in business.lower() and text.find(sector_words, at) > at + len(business)


def _a_site_of_ours(text: str, place: str) -> bool:
    """Whether the place is named as one of our sites ("the Shanghai sites' subjects", "天津门店的会员")."""
    return bool(re.search(re.escape(place) + _SITE, text, re.IGNORECASE))


def _read_context(text: str, turn: Turn) -> None:
    """Zone, industry, scenario and exemption basis."""
    zone = find_zone(text)
    kept = turn.base.zone
    if zone is not None and kept is not None and not zone.said_of_us and _a_site_of_ours(text, zone.evidence):
        # "and if the Shanghai sites' subjects are added?": our sites elsewhere do not move the company
        turn.notes.append(f"zone: {kept} kept ({zone.evidence} names a site of ours, not where the company is)")
    elif zone is not None:
        turn.set("zone", zone.zone, zone.evidence)
    elif ftz_without_city(text) and turn.values["zone"] == "beijing":
        turn.set("zone", "beijing_ftz", "an FTZ named by a company already placed in Beijing")
    elif ftz_without_city(text):
        turn.notes.append("zone: an FTZ is named but not which one; not set")
    scenario = first_match(SCENARIO_PATTERNS, text)
    industry = first_match(INDUSTRY_PATTERNS, text, self_only=frozenset({"other"}))
    business = described_business(text)
    if industry is not None and business is not None and _elsewhere(industry[1], business, text):
        # "We're a law firm; … the bank needs his passport": the business said of us, not a sector named later
        turn.notes.append(f"industry: {industry[0]} not taken ({industry[1]} is not the business described)")
        industry = None
    if industry is not None:
        turn.set("industry", industry[0], industry[1])
    elif turn.values["industry"] is None:
        meant = industry_by_meaning(text, business)
        if meant is not None and meant[2]:
            turn.set("industry", meant[0], meant[1])
        elif business and (scenario or ("", ""))[0] not in PHARMA_SCENARIOS:
            turn.set("industry", "other", f"{business}: none of the lists' sectors")
    if scenario is None and turn.values["industry"] == "pharmaceutical":
        if rd := RD_WORDS.search(text):
            scenario = ("drug_rd", rd.group(0))
        elif trial := TRIAL_WORDS.search(text):
            scenario = ("clinical_trial", trial.group(0))
    if scenario is not None and scenario[0] == "pharmacovigilance":
        trial = TRIAL_WORDS.search(text)  # adverse events in a trial's CRFs are the trial's data
        if trial is not None or turn.base.scenario == "clinical_trial":
            scenario = ("clinical_trial", f"{scenario[1]} of a trial ({trial.group(0) if trial else 'as before'})")
    unsure = SCENARIO_UNSURE.search(text)
    if scenario is not None and unsure:
        turn.notes.append(f"scenario: not set ({unsure.group(0)}: {scenario[1]} may not be the whole of it)")
    elif scenario is not None:
        turn.set("scenario", scenario[0], scenario[1])
        if scenario[0] in PHARMA_SCENARIOS and turn.values["industry"] is None:
            turn.set("industry", "pharmaceutical", f"implied by {scenario[1]}")
    exemption = find_exemption(text)
    base = turn.base
    if exemption is None and (base.exemption_basis or base.exemption_candidate) and (other := other_purpose(text)):
        # "and the courier wants them for its own promotions": a purpose the earlier exemption does not cover
        for name in ("exemption_basis", "exemption_candidate"):
            if base.value(name) is not None:
                turn.set(name, None, f"{other}: a purpose no exemption names")
    settled = exemption is not None and not exemption.asked and turn.values["exemption_basis"] == exemption.candidate
    if exemption is not None and exemption.candidate is not None and settled:
        pass  # the basis already stated, said again less surely
    elif exemption is not None and exemption.candidate is not None:
        turn.set("exemption_candidate", exemption.candidate, exemption.evidence)
        if exemption.asked and turn.values["exemption_basis"] == exemption.candidate:  # now asked whether it applies
            turn.set("exemption_basis", None, f"{exemption.evidence}: whether it applies is in doubt")
    elif exemption is not None and exemption.basis is None:
        turn.notes.append(f"exemption_basis: not set ({exemption.evidence})")
    elif exemption is not None:
        turn.set("exemption_basis", exemption.basis, exemption.evidence)
        if turn.values.get("exemption_candidate") is not None:
            turn.set("exemption_candidate", None, "the basis is now stated")
    if (outside := OUTSIDE_LABOUR_RULES.search(text)) and "hr_management" in (
        turn.values["exemption_basis"],
        turn.values["exemption_candidate"],
    ):
        # art 5(2) covers HR management under lawfully adopted labour rules and collective contracts only
        for name in ("exemption_basis", "exemption_candidate"):
            if turn.values[name] == "hr_management":
                turn.set(name, None, f"{outside.group(0)}: not under labour rules or collective contracts")
    added = domestic_added(text)
    if added is not None and turn.values["exemption_basis"] == "offshore_collected_reexport":
        turn.set("exemption_basis", None, f"{added}: data from China added (Provisions art 4)")
    necessity = find_necessity(text)
    if necessity is not None:
        turn.set("purpose_necessary", necessity[0], necessity[1])
