"""The eval cases: their shape and how they are read from `evals/questions.yaml` and `evals/realistic/*.yaml`.

A module of its own, below the CLI, because two readers need the cases: the eval runner (`assistant evals`)
scores answers against them, and the knowledge preview replays their questions through a drafted rule pack.
Every case is in the `dev` or the `heldout` split: tuning looks at dev; the thresholds are judged on held-out only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, Field, field_validator

from .errors import CorpusError

Split = Literal["dev", "heldout"]
SUITES: tuple[str, ...] = ("questions", "realistic")
"""The case sets: `questions` is evals/questions.yaml, `realistic` is evals/realistic/*.yaml."""


class Expectation(BaseModel):
    """What a case must give."""

    outcome: str
    facts: dict[str, Any] = Field(default_factory=dict)
    missing_facts: list[str] = Field(default_factory=list)
    parts: list[str] = Field(default_factory=list)
    citations: list[str] = Field(default_factory=list)

    @field_validator("parts", mode="before")
    @classmethod
    def _part_outcomes(cls, value: Any) -> Any:
        """A part may be written as its outcome or as a mapping holding it (`{outcome: ..., facts: ...}`)."""
        if isinstance(value, list):
            return [item.get("outcome") if isinstance(item, dict) else item for item in value]
        return value


class Case(BaseModel):
    """One question as a person would ask it (with the earlier user turns of its conversation)."""

    id: str
    lang: Literal["en", "zh"]
    split: Split
    question: str
    history: list[str] = Field(default_factory=list)
    expect: Expectation
    tags: list[str] = Field(default_factory=list)
    suite: str = Field(default="questions", description="the set the case comes from (set when loading)")
    today: dt.date | None = Field(default=None, description="the date its file is written for (set when loading)")


def load_cases(path: Path, suite: str = "questions") -> tuple[dt.date, list[Case]]:
    """The cases of one eval file and the date they are written for (either format)."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        today = dt.date.fromisoformat(str(raw["today"]))
        cases = [Case.model_validate({**c, "suite": suite, "today": today}) for c in raw.get("cases") or []]
    except (OSError, KeyError, TypeError, ValueError, AttributeError, yaml.YAMLError) as exc:
        raise CorpusError(f"{path}: {exc}") from exc
    return today, cases


def suite_files(evals_dir: Path, suite: str) -> list[Path]:
    """The files of one set: evals/questions.yaml, or evals/realistic/*.yaml (none when absent)."""
    if suite == "questions":
        return [evals_dir / "questions.yaml"]
    return sorted((evals_dir / "realistic").glob("*.yaml"))


def load_suites(evals_dir: Path, suites: Iterable[str], split: str = "all") -> list[Case]:
    """The cases of the chosen sets, in file order, keeping the chosen split (`dev`, `heldout` or `all`)."""
    cases = [case for suite in suites for path in suite_files(evals_dir, suite) for case in load_cases(path, suite)[1]]
    return [c for c in cases if split == "all" or c.split == split]


def suite_of(path: Path) -> str:
    """The set a file given on the command line belongs to (a file under a `realistic` folder is realistic)."""
    return "realistic" if path.parent.name == "realistic" else "questions"
