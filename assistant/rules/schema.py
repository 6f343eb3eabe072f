"""The strict schema of a rule pack (YAML in corpus/rules/): unknown keys are load errors."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..outcomes import Outcome

Route = Literal["security_assessment", "standard_contract_or_certification", "unknown"]
Status = Literal["confirmed", "uncertain", "unknown"]


class Strict(BaseModel):
    """Base of every pack model: unknown keys and mutation are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Strict):
    """A bilingual text; `{name}` placeholders take facts and thresholds."""

    en: str = Field(min_length=1)
    zh: str = Field(min_length=1)

    def get(self, lang: str) -> str:
        """The text in `lang` (zh or en)."""
        return self.zh if lang == "zh" else self.en


class Source(Strict):
    """A citation: a document id of the contract and an article or item id in it."""

    doc: str
    article: str
    note: str | None = None


class Step(Strict):
    """One thing to do, with its sources; `until` ends a step that later rules replaced."""

    text: Text
    sources: list[Source] = Field(default_factory=list)
    since: dt.date | None = Field(default=None, description="the step applies to transfers from this date")
    until: dt.date | None = Field(default=None, description="the step applies to transfers up to this date")

    def in_force(self, day: dt.date) -> bool:
        """Whether the step applies to a transfer on `day`."""
        return (self.since is None or self.since <= day) and (self.until is None or day <= self.until)


class Threshold(Strict):
    """A count test: at_least N (the Chinese 以上) or more_than N (超过).

    `fact` is personal_info_count, sensitive_info_count, or individuals (everyone concerned: the larger).
    """

    fact: str
    at_least: int | None = Field(default=None, ge=0)
    more_than: int | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _one_bound(self) -> Threshold:
        if (self.at_least is None) == (self.more_than is None):
            raise ValueError("a threshold has exactly one of at_least or more_than")
        return self

    @property
    def boundary(self) -> int:
        """The smallest count that meets the threshold."""
        return self.at_least if self.at_least is not None else (self.more_than or 0) + 1

    def met(self, count: int) -> bool:
        """Whether `count` meets the threshold."""
        return count >= self.boundary


class Rule(Strict):
    """A national rule: the checker's procedure reads its thresholds, texts and sources by id."""

    id: str
    title: Text
    facts: list[str] = Field(default_factory=list)
    thresholds: dict[str, int] = Field(default_factory=dict)
    outcome: Outcome | None = None
    reason: Text
    sources: list[Source] = Field(min_length=1)
    next_step: Step | None = Field(default=None, description="what to do when the rule applies")
    status: Status = "confirmed"
    note: str | None = None


class Sector(Strict):
    """A sector (field) the list regulates, keyed by the Facts industry value."""

    id: str
    title: Text
    scenarios: list[str] = Field(default_factory=list)
    items_status: Literal["confirmed", "partial", "unknown"]
    sources: list[Source] = Field(min_length=1)


class Exclusion(Strict):
    """Processors of an industry the edition does not apply to."""

    id: str
    industry: str
    reason: Text
    sources: list[Source] = Field(min_length=1)


ItemEffect = Literal["relax", "listed", "carve_out", "reference", "unknown"]
"""What an item does: relaxes a national threshold, lists data (its route applies), keeps data under the
national rules (carve-out), flags data as likely important data (a reference rule for identifying important
data: a warning, never an outcome), or is known to exist with its content unavailable."""
ItemCategory = Literal["important_data", "personal_information", "sensitive_personal_information"]


class Item(Strict):
    """One item of a negative list, or of its reference rules (field null: every sector)."""

    id: str
    field: str | None
    scenario: str | None = None
    category: ItemCategory
    effect: ItemEffect
    title: Text
    data_kinds_any: list[str] = Field(default_factory=list)
    threshold: Threshold | None = None
    requires: dict[str, bool] = Field(default_factory=dict)
    except_subjects: list[str] = Field(
        default_factory=list, description="the item does not apply when the data is only these people's"
    )
    unless: list[str] = Field(default_factory=list)
    route: Route = "unknown"
    status: Status
    text: Text
    next_step: Step | None = None
    reading: Text | None = Field(default=None, description="how the item is read, stated when it applies")
    sources: list[Source] = Field(min_length=1)
    evidence: str | None = None


class CarryOver(Strict):
    """Fields and their items incorporated from an earlier edition by reference (one source of truth)."""

    pack: str
    fields: list[str] = Field(min_length=1)
    reference_rules: bool | Literal["unknown"] = Field(
        default=False,
        description="also carry the items of every sector (the reference rules); `unknown`: whether they carry over "
        "is not known, and the answer says so when one of them would apply",
    )
    sources: list[Source] = Field(min_length=1)


class Scope(Strict):
    """Who a list covers."""

    zones: list[str] = Field(min_length=1)
    other_zone: str | None = Field(
        default=None,
        pattern=r"^[a-z][a-z0-9_]{1,39}$",
        description="another province's list: the zone it applies to (Facts.other_zone; zones is [other_ftz])",
    )
    beijing_use: bool = Field(
        default=False,
        description="another province's list that Beijing processors may use (set by the help desk once the "
        "conditions are known); until then answers only mention it",
    )
    text: Text
    sources: list[Source] = Field(min_length=1)


class Pack(Strict):
    """A rule pack: the national rules, or one edition of a negative list."""

    pack: str
    kind: Literal["national", "list", "sector"]
    edition: str
    title: Text
    list_doc: str | None = Field(default=None, description="document id of the list (list packs)")
    effective_from: dt.date
    effective_to: dt.date | None = None
    sources: list[Source] = Field(min_length=1)
    data_kinds: list[str] = Field(default_factory=list, description="data kinds this pack adds")
    conditions: list[str] = Field(default_factory=list, description="condition names this pack adds")
    scenarios: list[str] = Field(default_factory=list, description="scenario ids this pack adds")
    rules: list[Rule] = Field(default_factory=list)
    next_steps: dict[Outcome, list[Step]] = Field(default_factory=dict)
    scope: Scope | None = None
    industries: list[str] = Field(
        default_factory=list, description="sector packs: the industries whose processors the pack governs"
    )
    fields: list[Sector] = Field(default_factory=list)
    exclusions: list[Exclusion] = Field(default_factory=list)
    carry_over: CarryOver | None = None
    items: list[Item] = Field(default_factory=list)

    def in_force(self, day: dt.date) -> bool:
        """Whether this edition governs transfers on `day`."""
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)


def pack_key(pack: str, kind: str, ident: str, attr: str) -> str:
    """The message key of a text in a rule pack, e.g. `pack:cn-national-2024/rules/sa-volume/reason`.

    `kind` is rules, items, exclusions, fields, next_steps (ident: the outcome, attr: the step's index)
    or scope (ident `-`).
    """
    return f"pack:{pack}/{kind}/{ident}/{attr}"
