"""The facts of a planned transfer: the input of the rule checker (contract: Facts)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import FactsError

Zone = Literal["beijing_ftz", "beijing", "other_ftz", "none"]
Industry = Literal[
    "automotive",
    "pharmaceutical",
    "civil_aviation",
    "retail",
    "ai_training",
    # Sectors added by the 2025 "Two Zones" edition.
    "medical_devices",
    "autonomous_driving",
    "trade_logistics",
    "banking",
    "other",
]
ExemptionBasis = Literal[
    "contract_with_individual",
    "hr_management",
    "emergency",
    "trade_without_personal_or_important_data",
    "offshore_collected_reexport",
    # Network Data Regulations art 35(6) (added 2026-11-30).
    "statutory_duty",
]

SensitiveKind = Literal[
    "health",
    "genetic",
    "biometric",
    "financial_account",
    "location",
    "minor_under_14",
    "identity_document",
    "religion",
    "specific_identity",
]
"""Data kinds that are sensitive personal information (PIPL art 28; identity numbers per GB/T 35273)."""
DataKind = Literal[
    SensitiveKind,
    "contact",
    "employee",
    "account_profile",
    "ota_upgrade",
    "vehicle_exterior_video",
]
"""The contract's fixed data kinds; a rule pack may declare more."""
Scenario = Literal["clinical_trial", "pharmacovigilance", "drug_rd", "diagnosis_treatment", "after_sales"]
"""The contract's fixed scenario ids; a rule pack may declare more."""
Condition = Literal["miit_filed_tamper_protected"]
"""The contract's fixed condition names; a rule pack may declare more."""
DataSubject = Literal[
    "employees",
    "customers",
    "patients",
    "trial_subjects",
    "users",
    "business_contacts",
    "minors",
    "other",
]
"""Whose personal information it is."""

ZONES: tuple[str, ...] = get_args(Zone)
INDUSTRIES: tuple[str, ...] = get_args(Industry)
EXEMPTION_BASES: tuple[str, ...] = get_args(ExemptionBasis)
SENSITIVE_KINDS: tuple[str, ...] = get_args(SensitiveKind)
DATA_KINDS: tuple[str, ...] = get_args(DataKind)
SCENARIOS: tuple[str, ...] = get_args(Scenario)
CONDITIONS: tuple[str, ...] = get_args(Condition)
DATA_SUBJECTS: tuple[str, ...] = get_args(DataSubject)

OtherScenario = Literal["other"]
"""The scenario value meaning none of the list's scenarios (always known, beside the packs' scenario ids)."""
OTHER_SCENARIO: OtherScenario = "other"

COUNT_FACTS: tuple[str, ...] = ("personal_info_count", "sensitive_info_count")
"""The counts of individuals: non-sensitive, then sensitive personal information."""
BOOL_FACTS: tuple[str, ...] = (
    "ciio",
    "state_organ",
    "important_data",
    "foreign_judicial_request",
    "purpose_necessary",
    "public_affairs_body",
    "split_to_avoid_threshold",
    "treaty_conditions",
    "recipient_restricted",
)
"""The yes/no facts (each `None` when unknown)."""


class Facts(BaseModel):
    """What is known of one planned transfer; `None` means unknown, never a guess."""

    model_config = ConfigDict(extra="forbid")

    ciio: bool | None = None
    state_organ: bool | None = None
    zone: Zone | None = None
    industry: Industry | None = None
    scenario: str | None = None
    important_data: bool | None = None
    personal_info_count: int | None = Field(default=None, ge=0)
    sensitive_info_count: int | None = Field(default=None, ge=0)
    approximate_counts: list[Literal["personal_info_count", "sensitive_info_count"]] = Field(default_factory=list)
    """Counts the person gave approximately ("about 100,000"): near a threshold the checker asks for the number."""
    at_most_counts: list[Literal["personal_info_count", "sensitive_info_count"]] = Field(default_factory=list)
    """Counts that are a maximum, not the number of people: records that may repeat a person ("60,000 orders").
    The checker decides when every number up to it gives the same outcome, and asks for the number otherwise."""
    count_ranges: dict[Literal["personal_info_count", "sensitive_info_count"], tuple[int, int]] = Field(
        default_factory=dict
    )
    """Counts given as a range ("50,000 to 80,000", "二三十万"): the count is the upper end; the checker decides when
    both ends give the same outcome and asks for the number otherwise."""
    data_kinds: list[str] = Field(default_factory=list)
    exemption_basis: ExemptionBasis | None = None
    exemption_candidate: ExemptionBasis | None = None
    """A purpose was stated that may fall under this basis, but it is not clear the transfer is necessary for it
    (nor, quite, that this is the purpose): the checker asks `purpose_necessary` when no basis is set."""
    conditions: dict[str, bool | None] = Field(default_factory=dict)
    foreign_judicial_request: bool | None = None
    transfer_date: dt.date | None = None
    # Added to the contract on 2026-11-30; the checker does not read them yet.
    data_subjects: list[DataSubject] = Field(default_factory=list)
    purpose_necessary: bool | None = None
    public_affairs_body: bool | None = None
    split_to_avoid_threshold: bool | None = None
    # Regimes stated beside the route (added 2026-11-30): never an outcome of their own.
    treaty_conditions: bool | None = None
    """A treaty or agreement China is party to sets conditions for this transfer (PIPL art 38 para 2)."""
    recipient_restricted: bool | None = None
    """The recipient is on the CAC's list restricting or prohibiting provision to it (PIPL art 42)."""
    # Added 2026-12-01 (issue 15): with zone other_ftz, which zone (a loaded list pack's `scope.other_zone`).
    other_zone: str | None = Field(default=None, pattern=r"^[a-z][a-z0-9_]{1,39}$")
    """Which other free trade zone the processor is registered in (e.g. tianjin_ftz), when zone is other_ftz."""

    def value(self, name: str) -> Any:
        """The value of a fact by name; `conditions.X` names one condition."""
        if name.startswith("conditions."):
            return self.conditions.get(name.removeprefix("conditions."))
        return getattr(self, name)

    def with_value(self, name: str, value: Any) -> Facts:
        """A copy with one fact set (`conditions.X` sets one condition)."""
        if name.startswith("conditions."):
            conditions = dict(self.conditions)
            conditions[name.removeprefix("conditions.")] = value
            return self.model_copy(update={"conditions": conditions})
        return self.model_copy(update={name: value})


FACT_NAMES: tuple[str, ...] = tuple(Facts.model_fields)
"""Every field name of Facts."""


def parse_facts(data: object) -> Facts:
    """Validate raw JSON-like data as Facts.

    Raises:
        FactsError: naming the first invalid field and why.
    """
    if not isinstance(data, dict):
        raise FactsError("Facts must be a JSON object")
    try:
        return Facts.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            field = ".".join(str(p) for p in err["loc"]) or "(root)"
            problems.append(f"{field}: {err['msg']}")
        raise FactsError("invalid facts: " + "; ".join(problems)) from None
